//! GRANT, REVOKE and ALTER DEFAULT PRIVILEGES replayed: what `anon` and `PUBLIC` may do on
//! each table and function, and on the tables and functions created later.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{At, Model, Name, TABLE_PRIVILEGES, name_of, strings, text};
use crate::document::{child_pointer, index_pointer};

/// Whether a grantee is anon or everyone.
fn is_anon(role: &str) -> bool {
    matches!(role, "anon" | "public")
}

fn table_privileges(list: &[String]) -> Vec<String> {
    if list.iter().any(|p| p == "all") {
        return TABLE_PRIVILEGES.iter().map(|p| (*p).to_owned()).collect();
    }
    list.iter()
        .filter(|p| TABLE_PRIVILEGES.contains(&p.as_str()))
        .cloned()
        .collect()
}

impl Model {
    pub(super) fn grant(&mut self, statement: &Value, pointer: &str, document: usize) {
        let granting = text(statement, "statement") == "grant";
        let privileges = strings(statement, "privileges");
        let grantees = strings(statement, "grantees");
        let anon_at: Vec<usize> = (0..grantees.len())
            .filter(|&g| is_anon(&grantees[g]))
            .collect();
        if anon_at.is_empty() {
            return;
        }
        let objects: Vec<Name> = statement["objects"]
            .as_array()
            .into_iter()
            .flatten()
            .map(name_of)
            .collect();
        // A grant's finding lands on the table (or schema) it names.
        let object_at = |k: usize| At {
            document,
            pointer: index_pointer(&child_pointer(pointer, "objects"), k),
        };
        match text(statement, "on").as_str() {
            on @ ("table" | "all tables in schema") => {
                let changed = table_privileges(&privileges);
                let names: Vec<(Name, At)> = if on == "table" {
                    objects
                        .iter()
                        .enumerate()
                        .map(|(k, o)| (o.clone(), object_at(k)))
                        .collect()
                } else {
                    let mut names = Vec::new();
                    for (k, schema) in objects.iter().enumerate() {
                        let inside = self.tables.keys().filter(|(s, _)| *s == schema.1);
                        names.extend(inside.map(|n| (n.clone(), object_at(k))));
                    }
                    names
                };
                for (name, grantee_at) in names {
                    let Some(table) = self.tables.get_mut(&name) else {
                        continue;
                    };
                    if granting {
                        table.anon.extend(changed.iter().cloned());
                        table.grants.push((grantee_at.clone(), changed.clone()));
                    } else {
                        table.anon.retain(|p| !changed.contains(p));
                        for (_, given) in &mut table.grants {
                            given.retain(|p| !changed.contains(p));
                        }
                        table.grants.retain(|(_, given)| !given.is_empty());
                        if table.anon.is_empty() {
                            table.by_default = false;
                        }
                    }
                }
            }
            on @ ("function" | "all functions in schema") => {
                if !privileges.iter().any(|p| p == "all" || p == "execute") {
                    return;
                }
                let schemas: BTreeSet<&str> = objects.iter().map(|o| o.1.as_str()).collect();
                for (name, function) in &mut self.functions {
                    let named = if on == "function" {
                        objects.contains(name)
                    } else {
                        schemas.contains(name.0.as_str())
                    };
                    if !named {
                        continue;
                    }
                    for &g in &anon_at {
                        match grantees[g].as_str() {
                            "anon" => function.anon = granting,
                            _ => function.public = granting,
                        }
                    }
                }
            }
            _ => {}
        }
    }

    pub(super) fn default_privileges(&mut self, statement: &Value) {
        let granting = statement["grant"].as_bool().unwrap_or(false);
        let grantees = strings(statement, "grantees");
        let privileges = strings(statement, "privileges");
        let schemas: Vec<Option<String>> = match statement["schemas"].as_array() {
            Some(list) if !list.is_empty() => list.iter().map(|s| Some(text(s, "name"))).collect(),
            _ => vec![None],
        };
        for role in grantees.iter().filter(|r| is_anon(r)) {
            match text(statement, "on").as_str() {
                "tables" => {
                    let changed = table_privileges(&privileges);
                    for schema in schemas.iter().flatten() {
                        let defaults = self.table_defaults.entry(schema.clone()).or_default();
                        if granting {
                            defaults.extend(changed.iter().cloned());
                        } else {
                            defaults.retain(|p| !changed.contains(p));
                        }
                    }
                }
                "functions" if privileges.iter().any(|p| p == "all" || p == "execute") => {
                    let revoked = if role == "anon" {
                        &mut self.function_revoked
                    } else {
                        &mut self.public_function_revoked
                    };
                    for schema in &schemas {
                        if granting {
                            revoked.remove(schema);
                        } else {
                            revoked.insert(schema.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
