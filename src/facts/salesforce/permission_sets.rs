//! Permission sets for guests: a permission set assigned to a site's guest user gives its
//! rights to every unauthenticated visitor, just like the guest profile.
//!
//! It is linked to guests when its name, label or description matches the
//! `salesforce.guest-permission-sets` patterns, or when the repository assigns it to a guest
//! user: anonymous Apex (a `*.apex` script, or the `apex` option of a cumulusci.yml task or
//! flow step) whose `PermissionSetAssignment` takes its `AssigneeId` from a guest user (see
//! [`guest_user`]) and its `PermissionSetId` from a query naming the set; or CumulusCI's
//! `assign_permission_sets` task run for `user_alias: guest`, the alias Salesforce gives a
//! site's guest user.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::SalesforceSettings;
use super::{GUEST_ACCESS, cumulusci, evidence, metadata_name, root_str};
use crate::detect::kinds;
use crate::document::{Document, SourceFile};
use crate::facts::{FactIndex, Given};
use crate::parse::{self, Format};

/// What the first-read documents (the first of a provider's documents) assign, worked out
/// once a scan: every batch holding permission sets asks for it, and working it out again
/// per batch cost the scan batches × first-read documents.
pub struct Assignments {
    /// For each document, what it assigns if it is a `cumulusci.yml` (nothing otherwise).
    by_document: Vec<ConfigAssignments>,
    /// The documents that may assign a permission set to a guest: anonymous Apex and
    /// `cumulusci.yml` files, by index. A batch of permission sets looks at these alone
    /// among the first-read documents, not at every Apex class.
    assigning: Vec<usize>,
    /// The guest profiles' names the documents' sites give (see [`guest_profile_names`]).
    guest_profiles: Vec<String>,
}

/// What one `cumulusci.yml`'s tasks may assign to a guest user.
#[derive(Default)]
struct ConfigAssignments {
    /// The anonymous Apex its tasks run inline (a task's or flow step's `apex` option),
    /// parsed: the option's pointer and the script's model.
    scripts: Vec<(String, Value)>,
    /// The permission sets its tasks assign to a guest user's alias (see
    /// [`cumulusci::guest_permission_sets`]).
    aliased: Vec<AliasedSet>,
}

impl ConfigAssignments {
    fn of(config: &Document) -> Self {
        ConfigAssignments {
            scripts: parsed_inline_apex(config),
            aliased: aliased_sets(config),
        }
    }
}

/// A permission set a task assigns to a guest user's alias: the pointer of its name, the
/// name and the alias.
type AliasedSet = (String, String, String);

impl Assignments {
    pub fn of(documents: &[&Document]) -> Self {
        let by_document = (documents.iter())
            .map(|doc| match doc.kind.as_str() {
                kinds::CUMULUSCI_CONFIG => ConfigAssignments::of(doc),
                _ => ConfigAssignments::default(),
            })
            .collect();
        let assigning = (0..documents.len())
            .filter(|&i| assigns(documents[i]))
            .collect();
        Assignments {
            by_document,
            assigning,
            guest_profiles: guest_profile_names(documents),
        }
    }
}

fn aliased_sets(doc: &Document) -> Vec<AliasedSet> {
    (cumulusci::guest_permission_sets(&doc.value).into_iter())
        .map(|(pointer, name, alias)| (pointer, name.to_owned(), alias.to_owned()))
        .collect()
}

/// The scripts a `cumulusci.yml` runs inline that parse, with the pointers of their options.
fn parsed_inline_apex(doc: &Document) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (pointer, code) in cumulusci::inline_apex(&doc.value) {
        let source = SourceFile::new(doc.source.path.clone(), code.to_owned());
        let Ok(mut parsed) = parse::parse(Format::APEX_ANONYMOUS, &Arc::new(source)) else {
            continue;
        };
        if let Some(script) = parsed.pop() {
            out.push((pointer, script.value));
        }
    }
    out
}

/// `first` holds what the first of `documents` assign (see [`Assignments`]).
pub fn provide(
    given: &Given,
    first: Option<&Assignments>,
    settings: &SalesforceSettings,
    index: &mut FactIndex,
) {
    let documents = given.documents;
    let mut sets: HashMap<&str, usize> = HashMap::new();
    // Permission sets are never read first: the look starts after those.
    for (i, doc) in given.after_first() {
        if doc.kind.as_str() != kinds::SALESFORCE_PERMISSION_SET {
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
    // The sites are read first: a batch's documents add none, unless the scan's files came
    // in another order.
    let worked_out;
    let guest_profiles = match first {
        Some(first)
            if first.by_document.len() <= documents.len()
                && !(documents[first.by_document.len()..].iter())
                    .any(|d| d.kind.as_str() == kinds::SALESFORCE_CUSTOM_SITE) =>
        {
            &first.guest_profiles
        }
        _ => {
            worked_out = guest_profile_names(documents);
            &worked_out
        }
    };
    // What may assign them: the prepared first-read ones and every later one.
    let assigning_from = |from: usize| (from..documents.len()).filter(|&i| assigns(documents[i]));
    let assigning: Vec<usize> = match first {
        Some(first) if first.by_document.len() <= documents.len() => (first.assigning.iter())
            .copied()
            .chain(assigning_from(first.by_document.len()))
            .collect(),
        _ => assigning_from(0).collect(),
    };
    for i in assigning {
        let doc = documents[i];
        match doc.kind.as_str() {
            kinds::APEX_ANONYMOUS => {
                for (pointer, set, how) in guest_assignments(&doc.value, &sets, guest_profiles) {
                    let message =
                        format!("this script assigns the permission set to a guest user: {how}");
                    index.add(set, GUEST_ACCESS, Some(evidence(i, &pointer, &message)));
                }
            }
            kinds::CUMULUSCI_CONFIG => {
                let worked_out;
                let config = match first.and_then(|f| f.by_document.get(i)) {
                    Some(config) => config,
                    None => {
                        worked_out = ConfigAssignments::of(doc);
                        &worked_out
                    }
                };
                for (pointer, script) in &config.scripts {
                    for (_, set, how) in guest_assignments(script, &sets, guest_profiles) {
                        let message = format!(
                            "this cumulusci.yml task assigns the permission set to a guest user: {how}"
                        );
                        index.add(set, GUEST_ACCESS, Some(evidence(i, pointer, &message)));
                    }
                }
                for (pointer, name, alias) in &config.aliased {
                    let Some(&set) = sets.get(name.as_str()) else {
                        continue;
                    };
                    let message = format!(
                        "this cumulusci.yml task assigns the permission set to the user with alias `{alias}`, the alias Salesforce gives a site's guest user"
                    );
                    index.add(set, GUEST_ACCESS, Some(evidence(i, pointer, &message)));
                }
            }
            _ => {}
        }
    }
}

/// Whether a document may assign a permission set to a guest user.
fn assigns(doc: &Document) -> bool {
    matches!(
        doc.kind.as_str(),
        kinds::APEX_ANONYMOUS | kinds::CUMULUSCI_CONFIG
    )
}

/// The names a guest profile has in this tree: each `CustomSite`'s `guestProfile`, or the
/// name Salesforce gives it, `<masterLabel> Profile`.
fn guest_profile_names(documents: &[&Document]) -> Vec<String> {
    documents
        .iter()
        .filter(|d| d.kind.as_str() == kinds::SALESFORCE_CUSTOM_SITE)
        .filter_map(|d| {
            root_str(d, "guestProfile")
                .map(str::to_owned)
                .or_else(|| root_str(d, "masterLabel").map(|l| format!("{l} Profile")))
        })
        .collect()
}

/// The permission sets an anonymous-Apex script assigns to a guest user: the pointer of the
/// string literal naming each, its document index, and how the assignee is a guest.
fn guest_assignments(
    script: &Value,
    sets: &HashMap<&str, usize>,
    guest_profiles: &[String],
) -> Vec<(String, usize, String)> {
    let mut found = Vec::new();
    let assignments = script.get("assignments").and_then(Value::as_array);
    for (a, assignment) in assignments.into_iter().flatten().enumerate() {
        let Some(how) = guest_user(&assignment["assignee"], guest_profiles) else {
            continue;
        };
        let names = assignment["permission_set"]["strings"].as_array();
        for (k, name) in names.into_iter().flatten().enumerate() {
            if let Some(&set) = name.as_str().and_then(|n| sets.get(n)) {
                let pointer = format!("/assignments/{a}/permission_set/strings/{k}");
                found.push((pointer, set, how.clone()));
            }
        }
    }
    found
}

/// How an assignee (the identifiers and strings its value comes from) is a site's guest
/// user, if it is: the site's `GuestUserId`, `Site.getGuestUserId()`, the user Salesforce
/// names `<site> Site Guest User`, `UserType = 'Guest'`, the Guest User License, or a guest
/// profile of a site in the tree.
fn guest_user(assignee: &Value, guest_profiles: &[String]) -> Option<String> {
    let list = |key: &str| -> Vec<&str> {
        assignee
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    };
    let identifiers = list("identifiers");
    let strings = list("strings");
    let has = |word: &str| identifiers.iter().any(|i| i.eq_ignore_ascii_case(word));
    if has("GuestUserId") {
        return Some("its AssigneeId is a site's GuestUserId".to_owned());
    }
    if has("getGuestUserId") {
        return Some("its AssigneeId is Site.getGuestUserId()".to_owned());
    }
    for s in &strings {
        let lower = s.to_ascii_lowercase();
        if lower.ends_with("site guest user") {
            return Some(format!("its AssigneeId is the user named `{s}`"));
        }
        if lower.contains("guest user license") {
            return Some("its AssigneeId is a user with the Guest User License".to_owned());
        }
    }
    if has("UserType") && strings.iter().any(|s| s.eq_ignore_ascii_case("Guest")) {
        return Some("its AssigneeId is a user of UserType 'Guest'".to_owned());
    }
    let profile = strings
        .iter()
        .find(|s| guest_profiles.iter().any(|p| p.eq_ignore_ascii_case(s)))?;
    Some(format!(
        "its AssigneeId is a user of `{profile}`, a site's guest profile"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn assignment(identifiers: &[&str], strings: &[&str], sets: &[&str]) -> Value {
        json!({"assignments": [{
            "assignee": {"identifiers": identifiers, "strings": strings},
            "permission_set": {"identifiers": ["Id"], "strings": sets},
        }]})
    }

    #[test]
    fn each_way_a_script_names_the_guest_user() {
        let sets: HashMap<&str, usize> = [("Guest_Access", 3)].into_iter().collect();
        let profiles = ["Shop Profile".to_owned()];
        let how =
            |identifiers: &[&str], strings: &[&str]| {
                let script = assignment(identifiers, strings, &["Other", "Guest_Access"]);
                let found = guest_assignments(&script, &sets, &profiles);
                assert!(found.iter().all(|(p, s, _)| {
                    p == "/assignments/0/permission_set/strings/1" && *s == 3
                }));
                found.into_iter().map(|(_, _, how)| how).next()
            };
        assert_eq!(
            how(&["site", "GuestUserId"], &["Shop"]).as_deref(),
            Some("its AssigneeId is a site's GuestUserId")
        );
        assert_eq!(
            how(&["Site", "getGuestUserId"], &[]).as_deref(),
            Some("its AssigneeId is Site.getGuestUserId()")
        );
        assert_eq!(
            how(&["Name"], &["Customer Portal Site Guest User"]).as_deref(),
            Some("its AssigneeId is the user named `Customer Portal Site Guest User`")
        );
        assert_eq!(
            how(&["UserType"], &["Guest"]).as_deref(),
            Some("its AssigneeId is a user of UserType 'Guest'")
        );
        assert_eq!(
            how(&["Profile", "Name"], &["shop profile"]).as_deref(),
            Some("its AssigneeId is a user of `shop profile`, a site's guest profile")
        );
        // An administrator, the running user, a guest mentioned elsewhere: no link.
        assert_eq!(how(&["Profile", "Name"], &["System Administrator"]), None);
        assert_eq!(how(&["UserInfo", "getUserId"], &[]), None);
        assert_eq!(how(&["Type"], &["Guest"]), None);
    }
}
