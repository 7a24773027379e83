//! Facts about Kubernetes RBAC: whether a role binding grants more than the endpoints
//! Kubernetes itself serves to everyone (health, version, the service-account issuer's
//! discovery documents). A role is read only from the binding's own file, so the answer does
//! not depend on which other files a scan reads with it; a role defined elsewhere is not
//! known to be harmless.

use serde_json::Value;

use super::{Evidence, FactIndex, FactInfo, Provider, Scope, Settings};
use crate::detect::kinds;

pub const BINDING_GRANTS_API_ACCESS: &str = "kubernetes/binding-grants-api-access";

pub const PROVIDER: Provider = Provider::of_batch(FACTS, KINDS, provide);

const FACTS: &[FactInfo] = &[FactInfo {
    name: BINDING_GRANTS_API_ACCESS,
    scope: Scope::Document,
    description: "a RoleBinding or ClusterRoleBinding whose role may grant more than the \
                  endpoints Kubernetes serves to everyone: any role but Kubernetes' own \
                  `system:public-info-viewer` and `system:service-account-issuer-discovery`, \
                  and a role defined in the binding's own file whose every rule only names \
                  `nonResourceURLs` among /healthz, /livez, /readyz, /version, \
                  /.well-known/openid-configuration and /openid/v1/jwks (evidence at such a \
                  role when it is in the file)",
}];

const KINDS: &[&str] = &[
    kinds::KUBERNETES_ROLE_BINDING,
    kinds::KUBERNETES_CLUSTER_ROLE_BINDING,
    kinds::KUBERNETES_ROLE,
    kinds::KUBERNETES_CLUSTER_ROLE,
];

/// Roles Kubernetes ships for every caller, credentials or not.
const PUBLIC_ROLES: &[&str] = &[
    "system:public-info-viewer",
    "system:service-account-issuer-discovery",
];

/// Non-resource paths Kubernetes serves to everyone by default (a trailing `*` as RBAC
/// writes it).
const PUBLIC_PATHS: &[&str] = &[
    "/healthz",
    "/livez",
    "/readyz",
    "/version",
    "/.well-known/openid-configuration",
    "/openid/v1/jwks",
];

fn provide(given: &super::Given, _: &super::Prepared, _: &Settings, index: &mut FactIndex) {
    let documents = given.documents;
    for (i, doc) in documents.iter().enumerate() {
        let kind = doc.kind.as_str();
        if kind != kinds::KUBERNETES_ROLE_BINDING && kind != kinds::KUBERNETES_CLUSTER_ROLE_BINDING
        {
            continue;
        }
        let Some(role_ref) = doc.value.get("roleRef") else {
            continue;
        };
        let role_name = text(role_ref, "name");
        if PUBLIC_ROLES.contains(&role_name) {
            continue;
        }
        let role_kind = text(role_ref, "kind");
        let namespace = text(&doc.value["metadata"], "namespace");
        let defined = documents.iter().enumerate().find(|(_, role)| {
            role.source.path == doc.source.path
                && role.kind.as_str() == format!("kubernetes/{role_kind}")
                && text(&role.value["metadata"], "name") == role_name
                && (role_kind == "ClusterRole"
                    || text(&role.value["metadata"], "namespace") == namespace)
        });
        match defined {
            Some((_, role)) if only_public_paths(&role.value) => {}
            Some((r, _)) => {
                let message = format!("`{role_name}`, the {role_kind} it grants, is defined here");
                index.add(
                    i,
                    BINDING_GRANTS_API_ACCESS,
                    Some(Evidence::at(r, "/rules", message)),
                );
            }
            None => index.add(i, BINDING_GRANTS_API_ACCESS, None),
        }
    }
}

fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Every rule of the role names only public non-resource paths (and no resources).
fn only_public_paths(role: &Value) -> bool {
    let Some(rules) = role.get("rules").and_then(Value::as_array) else {
        // No rules grant nothing; an aggregated role's rules are filled in by the cluster.
        return role.get("aggregationRule").is_none();
    };
    rules.iter().all(|rule| {
        let none = |key: &str| {
            rule.get(key)
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
        };
        let paths = rule.get("nonResourceURLs").and_then(Value::as_array);
        none("resources")
            && paths.is_some_and(|paths| {
                !paths.is_empty() && paths.iter().all(|p| p.as_str().is_some_and(public_path))
            })
    })
}

/// `/healthz`, `/healthz/*`, `/livez/ping`…: one of [`PUBLIC_PATHS`] or below it.
fn public_path(path: &str) -> bool {
    PUBLIC_PATHS.iter().any(|public| {
        path.strip_prefix(public)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn public_paths_only() {
        let role = |rules: Value| json!({"rules": rules});
        assert!(only_public_paths(&role(json!([
            {"nonResourceURLs": ["/healthz", "/healthz/*", "/version"], "verbs": ["get", "post"]}
        ]))));
        assert!(!only_public_paths(&role(json!([
            {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}
        ]))));
        assert!(!only_public_paths(&role(json!([
            {"nonResourceURLs": ["*"], "verbs": ["get"]}
        ]))));
        assert!(!only_public_paths(&role(json!([
            {"nonResourceURLs": ["/healthz"], "verbs": ["get"]},
            {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}
        ]))));
        assert!(!only_public_paths(&role(json!([
            {"nonResourceURLs": ["/healthzz"], "verbs": ["get"]}
        ]))));
        assert!(only_public_paths(&json!({})));
        assert!(!only_public_paths(&json!({"aggregationRule": {}})));
    }
}
