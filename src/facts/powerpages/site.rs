//! One Power Pages site's records, indexed: its web roles by id, its table permissions by id
//! and by table, its site settings by name. Every record is a node `/<n>` of a document
//! that `resolve::powerpages` made a list of records with unprefixed fields.

use std::collections::HashMap;

use serde_json::Value;

use crate::detect::kinds;
use crate::document::Document;

/// Table permission scopes (Dataverse choice `adx_scope` / `mspp_scope`).
pub const GLOBAL: i64 = 756_150_000;
pub const PARENT: i64 = 756_150_003;

/// The name Power Pages gives each scope code, for messages.
pub fn scope_name(code: i64) -> &'static str {
    match code {
        GLOBAL => "Global",
        756_150_001 => "Contact",
        756_150_002 => "Account",
        PARENT => "Parent",
        756_150_004 => "Self",
        756_150_005 => "Custom",
        _ => "unknown",
    }
}

/// A record: its document (an index into the provider's documents) and its position.
#[derive(Debug, Clone, Copy)]
pub struct At {
    pub document: usize,
    pub record: usize,
}

impl At {
    pub fn pointer(self) -> String {
        format!("/{}", self.record)
    }

    pub fn field(self, name: &str) -> String {
        format!("/{}/{name}", self.record)
    }
}

pub struct Role<'a> {
    pub at: At,
    pub name: &'a str,
    pub anonymous: bool,
    pub authenticated: bool,
}

pub struct Permission<'a> {
    pub at: At,
    pub name: &'a str,
    pub table: &'a str,
    pub scope: Option<i64>,
    /// The web role ids it names, in lower case, with their positions in the list.
    pub roles: Vec<(usize, String)>,
    pub parent: Option<String>,
}

pub struct Setting<'a> {
    pub at: At,
    pub name: &'a str,
    pub value: Option<&'a Value>,
}

#[derive(Default)]
pub struct Site<'a> {
    pub roles: HashMap<String, Role<'a>>,
    pub permissions: Vec<Permission<'a>>,
    pub permission_ids: HashMap<String, usize>,
    /// By name in lower case (Power Pages reads site setting names without regard to case).
    pub settings: HashMap<String, Setting<'a>>,
    /// Lists, basic forms and advanced form steps, with the field naming their table.
    pub pages: Vec<(At, Option<&'static str>)>,
}

fn text<'a>(record: &'a Value, field: &str) -> Option<&'a str> {
    record.get(field).and_then(Value::as_str)
}

fn flag(record: &Value, field: &str) -> bool {
    truthy(record.get(field))
}

/// A Dataverse yes/no as the CLI writes it: `true`, or `"true"`/`"True"` in a setting.
pub fn truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A record's id: `id` (enhanced data model) or `<type>id` (standard).
fn id<'a>(record: &'a Value, typed: &str) -> Option<&'a str> {
    text(record, "id").or_else(|| text(record, typed))
}

fn records(document: &Document) -> impl Iterator<Item = (usize, &Value)> {
    document.value.as_array().into_iter().flatten().enumerate()
}

impl<'a> Site<'a> {
    /// Adds a document's records to the site.
    pub fn add(&mut self, index: usize, document: &'a Document) {
        for (record_index, record) in records(document) {
            let at = At {
                document: index,
                record: record_index,
            };
            match document.kind.as_str() {
                kinds::POWERPAGES_WEB_ROLE => {
                    if let Some(role_id) = id(record, "webroleid") {
                        self.roles.insert(
                            role_id.to_ascii_lowercase(),
                            Role {
                                at,
                                name: text(record, "name").unwrap_or(role_id),
                                anonymous: flag(record, "anonymoususersrole"),
                                authenticated: flag(record, "authenticatedusersrole"),
                            },
                        );
                    }
                }
                kinds::POWERPAGES_TABLE_PERMISSION => self.add_permission(at, record),
                kinds::POWERPAGES_SITE_SETTING => {
                    if let Some(name) = text(record, "name") {
                        let setting = Setting {
                            at,
                            name: name.trim(),
                            value: record.get("value"),
                        };
                        self.settings
                            .insert(name.trim().to_ascii_lowercase(), setting);
                    }
                }
                kinds::POWERPAGES_LIST
                | kinds::POWERPAGES_BASIC_FORM
                | kinds::POWERPAGES_ADVANCED_FORM_STEP => {
                    let table = ["entityname", "targetentitylogicalname"]
                        .into_iter()
                        .find(|field| record.get(field).is_some_and(Value::is_string));
                    self.pages.push((at, table));
                }
                _ => {}
            }
        }
    }

    fn add_permission(&mut self, at: At, record: &'a Value) {
        let roles = record
            .get("entitypermission_webrole")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(k, role)| Some((k, role.as_str()?.trim().to_ascii_lowercase())))
            .collect();
        let table = text(record, "entitylogicalname").unwrap_or("");
        let permission = Permission {
            at,
            name: text(record, "entityname").unwrap_or(table),
            table,
            scope: record.get("scope").and_then(Value::as_i64),
            roles,
            parent: text(record, "parententitypermission").map(|p| p.trim().to_ascii_lowercase()),
        };
        if let Some(permission_id) = id(record, "entitypermissionid") {
            let n = self.permissions.len();
            self.permission_ids
                .insert(permission_id.trim().to_ascii_lowercase(), n);
        }
        self.permissions.push(permission);
    }

    /// The permissions a Parent-scope permission hangs from, nearest first, stopping at a
    /// loop or an id no file defines.
    pub fn parents(&self, permission: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = permission;
        while let Some(parent) = self.permissions[current].parent.as_deref()
            && self.permissions[current].scope == Some(PARENT)
            && let Some(&next) = self.permission_ids.get(parent)
            && next != permission
            && !chain.contains(&next)
        {
            chain.push(next);
            current = next;
        }
        chain
    }

    /// The roles that hold a permission: its own, or, when it names none, those of the
    /// nearest permission up its parent chain that names some.
    pub fn holders(&self, permission: usize) -> Vec<&Role<'a>> {
        let own = &self.permissions[permission].roles;
        let named = if own.is_empty() {
            self.parents(permission)
                .into_iter()
                .map(|p| &self.permissions[p].roles)
                .find(|roles| !roles.is_empty())
                .unwrap_or(own)
        } else {
            own
        };
        named
            .iter()
            .filter_map(|(_, id)| self.roles.get(id))
            .collect()
    }

    pub fn setting(&self, name: &str) -> Option<&Setting<'a>> {
        self.settings.get(&name.to_ascii_lowercase())
    }
}
