//! Permission sets for guests: a permission set assigned to a site's guest user gives its
//! rights to every unauthenticated visitor, just like the guest profile.
//!
//! It is linked to guests when its name, label or description matches the
//! `salesforce.guest-permission-sets` patterns, or when anonymous Apex in the repository (a
//! `*.apex` script, or the inline `apex` option of a cumulusci.yml task) assigns it to a
//! site's `GuestUserId`: such a script mentions `GuestUserId` and `PermissionSetAssignment`,
//! and names the permission set in a string literal.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::{GUEST_ACCESS, evidence, metadata_name, root_str};
use crate::config::SalesforceSettings;
use crate::document::{Document, SourceFile, child_pointer};
use crate::facts::FactIndex;
use crate::parse::{self, Format};

pub fn provide(documents: &[&Document], settings: &SalesforceSettings, index: &mut FactIndex) {
    let mut sets: HashMap<&str, usize> = HashMap::new();
    for (i, doc) in documents.iter().enumerate() {
        if doc.kind.as_str() != "salesforce/PermissionSet" {
            continue;
        }
        let Some(name) = metadata_name(&doc.source.path, "permissionset") else {
            continue;
        };
        sets.insert(name, i);
        let named = [
            ("name", Some(name), "/PermissionSet"),
            ("label", root_str(doc, "label"), "/PermissionSet/label"),
            (
                "description",
                root_str(doc, "description"),
                "/PermissionSet/description",
            ),
        ];
        for (what, text, pointer) in named {
            if let Some(pattern) = text.and_then(|t| settings.guest_permission_sets.find(t)) {
                let message = format!(
                    "its {what} says it is for guest users (matches `{pattern}` of salesforce.guest-permission-sets)"
                );
                index.add(i, GUEST_ACCESS, Some(evidence(i, pointer, &message)));
                break;
            }
        }
    }
    if sets.is_empty() {
        return;
    }
    for (i, doc) in documents.iter().enumerate() {
        match doc.kind.as_str() {
            "apex/anonymous" => {
                for (pointer, set) in guest_assignments(&doc.value, &sets) {
                    let message = "this script assigns the permission set to a site's guest user";
                    index.add(set, GUEST_ACCESS, Some(evidence(i, &pointer, message)));
                }
            }
            "cumulusci/config" => {
                for (pointer, code) in inline_apex(&doc.value) {
                    let source = SourceFile::new(doc.source.path.clone(), code.to_owned());
                    let Ok(mut parsed) = parse::parse(Format::ApexAnonymous, &Arc::new(source))
                    else {
                        continue;
                    };
                    let Some(script) = parsed.pop() else { continue };
                    for (_, set) in guest_assignments(&script.value, &sets) {
                        let message = "this cumulusci.yml task assigns the permission set to a site's guest user";
                        index.add(set, GUEST_ACCESS, Some(evidence(i, &pointer, message)));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The permission sets an anonymous-Apex script assigns to a guest user: the pointer of the
/// string literal naming each, and its document index.
fn guest_assignments(script: &Value, sets: &HashMap<&str, usize>) -> Vec<(String, usize)> {
    let names = |key: &str| -> Vec<&str> {
        script
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    };
    let identifiers = names("identifiers");
    let mentions = |word: &str| identifiers.iter().any(|i| i.eq_ignore_ascii_case(word));
    if !mentions("GuestUserId") || !mentions("PermissionSetAssignment") {
        return Vec::new();
    }
    names("strings")
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| Some((format!("/strings/{i}"), *sets.get(s)?)))
        .collect()
}

/// `tasks.<name>.options.apex` strings of a cumulusci.yml, with their pointers.
fn inline_apex(config: &Value) -> Vec<(String, &str)> {
    let Some(tasks) = config.get("tasks").and_then(Value::as_object) else {
        return Vec::new();
    };
    tasks
        .iter()
        .filter_map(|(name, task)| {
            let code = task.pointer("/options/apex")?.as_str()?;
            let pointer = child_pointer(&child_pointer("/tasks", name), "options");
            Some((format!("{pointer}/apex"), code))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_script_that_assigns_to_the_guest_user_names_its_sets() {
        let sets: HashMap<&str, usize> = [("Guest_Access", 3)].into_iter().collect();
        let script = json!({
            "identifiers": ["GuestUserId", "PermissionSetAssignment", "Site"],
            "strings": ["Shop", "Guest_Access"]
        });
        assert_eq!(
            guest_assignments(&script, &sets),
            vec![("/strings/1".to_owned(), 3)]
        );
        let unrelated =
            json!({"identifiers": ["PermissionSetAssignment"], "strings": ["Guest_Access"]});
        assert!(guest_assignments(&unrelated, &sets).is_empty());
    }

    #[test]
    fn inline_apex_of_cumulusci_tasks() {
        let config = json!({"tasks": {"assign/guest": {"options": {"apex": "x"}}, "other": {}}});
        assert_eq!(
            inline_apex(&config),
            vec![("/tasks/assign~1guest/options/apex".to_owned(), "x")]
        );
    }
}
