//! What a chart's templates see: `.Values` (the chart's `values.yaml`, the values files the
//! user names, a parent chart's values for a subchart), `.Chart`, `.Release` and
//! `.Capabilities` with the fixed defaults `helm template` uses.

use std::collections::BTreeMap;

use super::collections::merge_into;
use super::value::Val;

/// The Kubernetes version `.Capabilities` reports: a recent one, so charts take their
/// current API versions.
const KUBE_VERSION: (&str, &str) = ("1", "31");

/// API groups and versions every cluster of that version serves (`.Capabilities.APIVersions`
/// without custom resources, as `helm template` has them).
const BUILT_IN_APIS: &[&str] = &[
    "v1",
    "apps/v1",
    "batch/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "policy/v1",
    "networking.k8s.io/v1",
    "rbac.authorization.k8s.io/v1",
    "storage.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "admissionregistration.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "certificates.k8s.io/v1",
    "node.k8s.io/v1",
    "events.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
];

/// `.Capabilities.APIVersions.Has "apps/v1"` (or `"apps/v1/Deployment"`).
pub fn api_version_available(version: &str) -> bool {
    let group_version = match version.matches('/').count() {
        0 => version,
        1 if version.starts_with("v1/") => "v1",
        1 => version,
        _ => version.rsplit_once('/').map_or(version, |(gv, _)| gv),
    };
    BUILT_IN_APIS.contains(&group_version)
}

/// The chart's `Chart.yaml` as `.Chart`: Helm's field names start with a capital.
pub fn chart_object(chart: &serde_json::Value) -> Val {
    let mut fields = BTreeMap::new();
    if let Some(map) = chart.as_object() {
        for (key, value) in map {
            let mut name = key.clone();
            if let Some(first) = name.get(..1) {
                name.replace_range(..1, &first.to_uppercase());
            }
            fields.insert(name, Val::from_json(value));
        }
    }
    fields
        .entry("Name".to_owned())
        .or_insert_with(|| Val::str("chart"));
    Val::map(fields)
}

/// The dot of every template of the chart.
pub fn root(values: Val, chart: Val, template_name: &str, base_path: &str) -> Val {
    let mut release = BTreeMap::new();
    for (key, value) in [
        ("Name", Val::str("release-name")),
        ("Namespace", Val::str("default")),
        ("Service", Val::str("Helm")),
        ("IsInstall", Val::Bool(true)),
        ("IsUpgrade", Val::Bool(false)),
        ("Revision", Val::Int(1)),
    ] {
        release.insert(key.to_owned(), value);
    }
    let (major, minor) = KUBE_VERSION;
    let version = format!("v{major}.{minor}.0");
    let mut kube = BTreeMap::new();
    kube.insert("Major".to_owned(), Val::str(major));
    kube.insert("Minor".to_owned(), Val::str(minor));
    kube.insert("Version".to_owned(), Val::str(version.as_str()));
    kube.insert("GitVersion".to_owned(), Val::str(version.as_str()));
    let mut capabilities = BTreeMap::new();
    capabilities.insert("KubeVersion".to_owned(), Val::map(kube));
    capabilities.insert("APIVersions".to_owned(), Val::Method("APIVersions"));
    capabilities.insert("HelmVersion".to_owned(), Val::map(BTreeMap::new()));
    let mut template = BTreeMap::new();
    template.insert("Name".to_owned(), Val::str(template_name));
    template.insert("BasePath".to_owned(), Val::str(base_path));
    let mut dot = BTreeMap::new();
    dot.insert("Values".to_owned(), values);
    dot.insert("Chart".to_owned(), chart);
    dot.insert("Release".to_owned(), Val::map(release));
    dot.insert("Capabilities".to_owned(), Val::map(capabilities));
    dot.insert("Template".to_owned(), Val::map(template));
    dot.insert("Files".to_owned(), Val::Method("Files"));
    Val::map(dot)
}

/// Values files in the order they apply, later ones winning, merged deeply as Helm merges
/// `-f` files.
pub fn merged_values<'a>(files: impl IntoIterator<Item = &'a serde_json::Value>) -> Val {
    let mut merged = BTreeMap::new();
    for file in files {
        if let Val::Map(map) = Val::from_json(file) {
            let map = map.borrow().clone();
            merge_into(&mut merged, &map, true, 0);
        }
    }
    Val::map(merged)
}

/// A subchart's values: its own, overridden by what the parent sets under its name, with the
/// parent's `global` values.
pub fn subchart_values(own: Val, parent: &Val, name: &str) -> Val {
    let Val::Map(own) = own else {
        return own;
    };
    let mut merged = own.borrow().clone();
    if let Val::Map(from_parent) = parent.field(name) {
        let from_parent = from_parent.borrow().clone();
        merge_into(&mut merged, &from_parent, true, 0);
    }
    if let Val::Map(global) = parent.field("global") {
        let mut globals = BTreeMap::new();
        globals.insert("global".to_owned(), Val::Map(global));
        merge_into(&mut merged, &globals, true, 0);
    }
    Val::map(merged)
}

/// Whether the parent chart's `dependencies` entry for `name` is enabled by its `condition`
/// (a comma-separated list of value paths; the first that is set decides).
pub fn dependency_enabled(
    parent_chart: &serde_json::Value,
    parent_values: &Val,
    name: &str,
) -> bool {
    let Some(dependencies) = parent_chart.get("dependencies").and_then(|d| d.as_array()) else {
        return true;
    };
    let entry = dependencies.iter().find(|d| {
        d.get("alias")
            .or_else(|| d.get("name"))
            .and_then(|n| n.as_str())
            == Some(name)
            || d.get("name").and_then(|n| n.as_str()) == Some(name)
    });
    let Some(condition) = entry
        .and_then(|d| d.get("condition"))
        .and_then(|c| c.as_str())
    else {
        return true;
    };
    for path in condition.split(',').map(str::trim) {
        let mut value = parent_values.clone();
        for part in path.split('.') {
            value = value.field(part);
        }
        if let Val::Bool(enabled) = value {
            return enabled;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn capabilities_and_conditions() {
        assert!(api_version_available("policy/v1"));
        assert!(api_version_available("apps/v1/Deployment"));
        assert!(!api_version_available("monitoring.coreos.com/v1"));
        assert!(!api_version_available("policy/v1beta1"));
        let chart = json!({"dependencies": [{"name": "redis", "condition": "redis.enabled"}]});
        let values = Val::from_json(&json!({"redis": {"enabled": false}}));
        assert!(!dependency_enabled(&chart, &values, "redis"));
        assert!(dependency_enabled(&chart, &values, "other"));
    }

    #[test]
    fn later_values_files_win_deeply() {
        let merged = merged_values([&json!({"a": {"b": 1, "c": 2}}), &json!({"a": {"b": 3}})]);
        assert_eq!(merged.to_json(0), Some(json!({"a": {"b": 3, "c": 2}})));
    }
}
