//! Facts about Power Pages sites (power-pages-2021): which web roles hold a table
//! permission (the anonymous and the authenticated role, through the permission's own roles
//! or its parent chain's), whether it reaches every row (Global scope, itself or through its
//! parents), whether anyone can sign up, what the Web API serves of a table, and which web
//! role ids no file defines. A site is the files of one folder (see
//! [`crate::detect::powerpages_site`]), read together, so every fact here depends only on
//! the documents of the site's own files.

mod settings;
mod site;

pub use settings::PowerPagesSettings;

use std::collections::BTreeMap;

use serde_json::Value;

use super::{FactIndex, FactInfo, Provider, Scope, Settings};
use crate::detect::kinds;
use crate::document::Evidence;
use site::{GLOBAL, Site, scope_name, truthy};

pub const ANONYMOUS_ROLE: &str = "powerpages/anonymous-role";
pub const AUTHENTICATED_ROLE: &str = "powerpages/authenticated-role";
pub const GLOBAL_SCOPE: &str = "powerpages/global-scope";
pub const NOT_PUBLIC_TABLE: &str = "powerpages/not-public-table";
pub const OPEN_REGISTRATION: &str = "powerpages/open-registration";
pub const WEBAPI_ANONYMOUS: &str = "powerpages/webapi-anonymous";
pub const WEBAPI_SIGNED_IN: &str = "powerpages/webapi-signed-in";
pub const UNDEFINED_WEB_ROLE: &str = "powerpages/undefined-web-role";
pub const SHOWS_TABLE: &str = "powerpages/shows-table";

pub const PROVIDER: Provider = Provider::of_batch(FACTS, kinds::POWERPAGES, provide);

const FACTS: &[FactInfo] = &[
    FactInfo {
        name: ANONYMOUS_ROLE,
        scope: Scope::Node,
        description: "a table permission held by the site's anonymous web role \
                      (`anonymoususersrole`), named in its `entitypermission_webrole` ids or, \
                      when it names none, in its nearest parent permission's; the role and \
                      the table are the evidence",
    },
    FactInfo {
        name: AUTHENTICATED_ROLE,
        scope: Scope::Node,
        description: "a table permission held, in the same way, by the role every signed-in \
                      user gets (`authenticatedusersrole`); the role and the table are the \
                      evidence",
    },
    FactInfo {
        name: GLOBAL_SCOPE,
        scope: Scope::Node,
        description: "a table permission of Global scope (756150000), or of Parent scope \
                      whose chain of parent permissions (`parententitypermission`) ends at \
                      one: it reaches every row of its table, or every row related to one; \
                      the parents are the evidence",
    },
    FactInfo {
        name: NOT_PUBLIC_TABLE,
        scope: Scope::Node,
        description: "a table permission whose table is not in `powerpages.public-tables` (default: \
                      knowledgearticle, category)",
    },
    FactInfo {
        name: OPEN_REGISTRATION,
        scope: Scope::Node,
        description: "a table permission the anonymous role does not hold, of a site where \
                      anyone can sign up: \
                      `Authentication/Registration/Enabled` and \
                      `Authentication/Registration/OpenRegistrationEnabled` not false (both \
                      are true unless set), and local sign-up on, or an external provider \
                      other than the organisation's Entra ID (Google, Microsoft accounts, \
                      Azure AD B2C, …); only for a site whose files hold site settings; the \
                      settings are the evidence",
    },
    FactInfo {
        name: WEBAPI_ANONYMOUS,
        scope: Scope::Node,
        description: "a `Webapi/<table>/fields` site setting whose table has the Web API on \
                      (`Webapi/<table>/enabled` true) and a table permission the anonymous \
                      role holds; the enabled setting, the permission and the role are the \
                      evidence",
    },
    FactInfo {
        name: WEBAPI_SIGNED_IN,
        scope: Scope::Node,
        description: "a `Webapi/<table>/fields` site setting whose table has the Web API on \
                      and table permissions, none of them held by the anonymous role; the \
                      enabled setting and the permissions are the evidence",
    },
    FactInfo {
        name: UNDEFINED_WEB_ROLE,
        scope: Scope::Node,
        description: "a web role id in a table permission's `entitypermission_webrole` that \
                      no web role of its site defines, in a site whose files define web roles",
    },
    FactInfo {
        name: SHOWS_TABLE,
        scope: Scope::Node,
        description: "a list, basic form or advanced form step; the table it shows and the \
                      site's anonymous web role are the evidence",
    },
];

fn provide(given: &super::Given, _: &super::Prepared, settings: &Settings, index: &mut FactIndex) {
    let documents = given.documents;
    let mut sites: BTreeMap<&str, Site> = BTreeMap::new();
    for (i, document) in documents.iter().enumerate() {
        let folder = crate::detect::powerpages_site(&document.source.path);
        sites.entry(folder).or_default().add(i, document);
    }
    for site in sites.values() {
        permissions(site, &settings.powerpages, index);
        web_api(site, index);
        pages(site, index);
    }
}

fn role_evidence(role: &site::Role, what: &str) -> Evidence {
    let message = format!("{what} `{}`", role.name);
    Evidence::at(role.at.document, role.at.field("name"), message)
}

fn table_evidence(permission: &site::Permission) -> Evidence {
    let message = format!("table `{}`", permission.table);
    Evidence::at(
        permission.at.document,
        permission.at.field("entitylogicalname"),
        message,
    )
}

fn permissions(site: &Site, settings: &PowerPagesSettings, index: &mut FactIndex) {
    let registration = open_registration(site);
    for (n, permission) in site.permissions.iter().enumerate() {
        let (document, pointer) = (permission.at.document, permission.at.pointer());
        let holders = site.holders(n);
        let table = table_evidence(permission);
        for (fact, what, holds) in [
            (
                ANONYMOUS_ROLE,
                "held by the anonymous role",
                holders.iter().find(|r| r.anonymous),
            ),
            (
                AUTHENTICATED_ROLE,
                "held by every signed-in user's role",
                holders.iter().find(|r| r.authenticated),
            ),
        ] {
            if let Some(role) = holds {
                let evidence = [role_evidence(role, what), table.clone()];
                index.add_node_with(document, pointer.clone(), fact, &evidence);
            }
        }
        let parents = site.parents(n);
        if permission.scope == Some(GLOBAL) {
            index.add_node(document, pointer.clone(), GLOBAL_SCOPE, None);
        } else if let Some(&root) = parents.last()
            && site.permissions[root].scope == Some(GLOBAL)
        {
            let evidence: Vec<Evidence> = parents
                .iter()
                .map(|&p| {
                    let parent = &site.permissions[p];
                    let scope = parent.scope.map_or("unknown", scope_name);
                    let message = format!("child of `{}` ({scope} scope)", parent.name);
                    Evidence::at(parent.at.document, parent.at.field("scope"), message)
                })
                .collect();
            index.add_node_with(document, pointer.clone(), GLOBAL_SCOPE, &evidence);
        }
        if !settings.is_public(permission.table) {
            index.add_node(document, pointer.clone(), NOT_PUBLIC_TABLE, None);
        }
        // What the anonymous role holds is the anonymous rules' to report, not sign-up's.
        if let Some(evidence) = &registration
            && !holders.iter().any(|r| r.anonymous)
        {
            index.add_node_with(document, pointer.clone(), OPEN_REGISTRATION, evidence);
        }
        if !site.roles.is_empty() {
            for (k, role) in &permission.roles {
                if !site.roles.contains_key(role) {
                    let at = format!("{}/entitypermission_webrole/{k}", pointer);
                    index.add_node(document, at, UNDEFINED_WEB_ROLE, None);
                }
            }
        }
    }
}

fn is_false(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// Whether anyone can sign up, with the settings that say so; `None` when a setting turns
/// it off, when the only way in is the organisation's own Microsoft Entra ID (local sign-up
/// off, no other provider configured), or when the site's files hold no site settings.
fn open_registration(site: &Site) -> Option<Vec<Evidence>> {
    if site.settings.is_empty() {
        return None;
    }
    let off = |name: &str| site.setting(name).is_some_and(|s| is_false(s.value));
    let names = [
        "Authentication/Registration/Enabled",
        "Authentication/Registration/OpenRegistrationEnabled",
    ];
    if names.iter().any(|name| off(name)) {
        return None;
    }
    let at_value = |setting: &site::Setting, message: String| {
        Evidence::at(setting.at.document, setting.at.field("value"), message)
    };
    let mut evidence: Vec<Evidence> = names
        .iter()
        .filter_map(|name| site.setting(name))
        .map(|s| at_value(s, format!("`{}` is true: anyone can sign up", s.name)))
        .collect();
    let local = "Authentication/Registration/LocalLoginEnabled";
    if !off(local) {
        if let Some(setting) = site.setting(local) {
            let message = format!(
                "`{}` is true: sign-up with any e-mail address",
                setting.name
            );
            evidence.push(at_value(setting, message));
        }
    } else if !off("Authentication/Registration/ExternalLoginEnabled")
        && let Some(provider) = public_provider(site)
    {
        let message = format!(
            "`{}`: a sign-in provider open to people outside the organisation",
            provider.name
        );
        evidence.push(at_value(provider, message));
    } else {
        return None;
    }
    Some(evidence)
}

/// An external sign-in provider other than the organisation's own Microsoft Entra ID (the
/// `AzureAD` provider every site has): a Google, Facebook, Microsoft account, LinkedIn or
/// Twitter app (`Authentication/OpenAuth/<provider>/ClientId`, `AppId`, `ConsumerKey`), or an
/// OpenID Connect, SAML 2 or WS-Federation provider such as Azure AD B2C. The first by name.
fn public_provider<'s, 'a>(site: &'s Site<'a>) -> Option<&'s site::Setting<'a>> {
    let configured = |setting: &&site::Setting| {
        setting
            .value
            .and_then(Value::as_str)
            .is_some_and(|v| !v.trim().is_empty())
    };
    let mut providers: Vec<(&String, &site::Setting)> = site
        .settings
        .iter()
        .filter(|(name, setting)| {
            let parts: Vec<&str> = name.split('/').collect();
            let [first, family, provider, key] = parts.as_slice() else {
                return false;
            };
            *first == "authentication"
                && configured(setting)
                && match *family {
                    "openauth" => matches!(*key, "clientid" | "appid" | "consumerkey"),
                    "openidconnect" | "saml2" | "wsfederation" => {
                        *provider != "azuread"
                            && matches!(*key, "authority" | "metadataaddress" | "clientid")
                    }
                    _ => false,
                }
        })
        .collect();
    providers.sort_by_key(|(name, _)| *name);
    providers.first().map(|(_, setting)| *setting)
}

/// `Webapi/<table>/fields` settings of tables whose Web API is on.
fn web_api(site: &Site, index: &mut FactIndex) {
    for (name, setting) in &site.settings {
        let Some(table) = name
            .strip_prefix("webapi/")
            .and_then(|rest| rest.strip_suffix("/fields"))
        else {
            continue;
        };
        let enabled_name = format!("Webapi/{table}/enabled");
        let Some(enabled) = site.setting(&enabled_name).filter(|s| truthy(s.value)) else {
            continue;
        };
        let enabled_evidence = Evidence::at(
            enabled.at.document,
            enabled.at.field("value"),
            format!("`{enabled_name}` is true"),
        );
        let on_table: Vec<usize> = (0..site.permissions.len())
            .filter(|&n| site.permissions[n].table.eq_ignore_ascii_case(table))
            .collect();
        let anonymous = on_table.iter().find_map(|&n| {
            let role = site.holders(n).into_iter().find(|r| r.anonymous)?;
            Some((n, role))
        });
        let (document, pointer) = (setting.at.document, setting.at.pointer());
        if let Some((n, role)) = anonymous {
            let permission = &site.permissions[n];
            let evidence = [
                enabled_evidence,
                Evidence::at(
                    permission.at.document,
                    permission.at.field("entitylogicalname"),
                    format!("table permission `{}` on `{table}`", permission.name),
                ),
                role_evidence(role, "held by the anonymous role"),
            ];
            index.add_node_with(document, pointer, WEBAPI_ANONYMOUS, &evidence);
        } else if !on_table.is_empty() {
            let mut evidence = vec![enabled_evidence];
            evidence.extend(on_table.iter().map(|&n| {
                let permission = &site.permissions[n];
                Evidence::at(
                    permission.at.document,
                    permission.at.field("entitylogicalname"),
                    format!("table permission `{}` on `{table}`", permission.name),
                )
            }));
            index.add_node_with(document, pointer, WEBAPI_SIGNED_IN, &evidence);
        }
    }
}

/// Lists and forms: the table they show, and who visits without signing in.
fn pages(site: &Site, index: &mut FactIndex) {
    let anonymous = site.roles.values().find(|r| r.anonymous);
    for (at, table) in &site.pages {
        let mut evidence = Vec::new();
        if let Some(field) = table {
            evidence.push(Evidence::at(
                at.document,
                at.field(field),
                "the table it shows",
            ));
        }
        if let Some(role) = anonymous {
            evidence.push(role_evidence(
                role,
                "visitors who do not sign in have the role",
            ));
        }
        index.add_node_with(at.document, at.pointer(), SHOWS_TABLE, &evidence);
    }
}
