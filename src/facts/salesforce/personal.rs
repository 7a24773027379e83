//! Personal data: which object-permission entries, field-permission entries and sharing
//! rules concern records about people.
//!
//! An object holds personal data when `salesforce.personal-objects` lists it; a sharing rule
//! of a custom object also when one of the object's fields declares it in its metadata (see
//! [`super::fields`]). A field-permission entry counts only when the same profile or
//! permission set can read the field's object: a field permission alone grants nothing.

use std::collections::HashMap;

use serde_json::Value;

use super::SalesforceSettings;
use super::fields::FieldCatalog;
use super::{
    MetadataList, PERSONAL_FIELD, PERSONAL_OBJECT, evidence, field, is_grant, metadata_name,
};
use crate::detect::kinds;
use crate::document::Document;
use crate::facts::{FactIndex, Given};

/// The list elements of a `SharingRules` file; each rule shares records of the object the
/// file is named after.
const SHARING_RULE_LISTS: &[&str] = &[
    "sharingGuestRules",
    "sharingCriteriaRules",
    "sharingOwnerRules",
    "sharingTerritoryRules",
];

/// The object permissions that let their holder read records.
const READ_GRANTS: &[&str] = &["allowRead", "viewAllRecords", "modifyAllRecords"];

pub fn provide(
    given: &Given,
    catalog: &FieldCatalog,
    settings: &SalesforceSettings,
    index: &mut FactIndex,
) {
    let listed = |name: &str| settings.personal_objects.contains(name);
    // Grants and sharing rules are never read first: the look starts after those.
    for (i, doc) in given.after_first() {
        if is_grant(doc) {
            grant(i, doc, catalog, settings, index);
            continue;
        }
        if doc.kind.as_str() != kinds::SALESFORCE_SHARING_RULES {
            continue;
        }
        let Some(object) = metadata_name(&doc.source.path, "sharingRules") else {
            continue;
        };
        // Some(evidence) when the object holds personal data.
        let why = if listed(object) {
            Some(None)
        } else if object.ends_with("__c") {
            catalog.declared_personal_field_of(object).map(|found| {
                found.evidence.map(|mut e| {
                    e.message = format!("{object} holds personal data: {}", e.message);
                    e
                })
            })
        } else {
            None
        };
        let Some(evidence) = why else { continue };
        for list in SHARING_RULE_LISTS {
            let rules = MetadataList::of(doc, list);
            for (at, _) in rules.iter() {
                index.add_node(i, rules.pointer(at), PERSONAL_OBJECT, evidence.clone());
            }
        }
    }
}

/// The personal-data facts of one profile or permission set.
fn grant(
    i: usize,
    doc: &Document,
    catalog: &FieldCatalog,
    settings: &SalesforceSettings,
    index: &mut FactIndex,
) {
    let holder = match doc.kind.as_str() {
        kinds::SALESFORCE_PROFILE => "profile",
        _ => "permission set",
    };
    // Objects this grant can read records of, by lower-case name: where it says so.
    let mut readable: HashMap<String, (String, &str)> = HashMap::new();
    let objects = MetadataList::of(doc, "objectPermissions");
    for (at, entry) in objects.iter() {
        let Some(object) = field(entry, "object").and_then(Value::as_str) else {
            continue;
        };
        if settings.personal_objects.contains(object) {
            index.add_node(i, objects.pointer(at), PERSONAL_OBJECT, None);
        }
        if let Some(grant) = READ_GRANTS
            .iter()
            .find(|g| field(entry, g) == Some(&Value::Bool(true)))
        {
            readable.insert(
                object.to_lowercase(),
                (format!("{}/{grant}", objects.pointer(at)), object),
            );
        }
    }
    let fields = MetadataList::of(doc, "fieldPermissions");
    let mut lower = String::new();
    for (at, entry) in fields.iter() {
        let Some(qualified) = field(entry, "field").and_then(Value::as_str) else {
            continue;
        };
        let Some((object, _)) = qualified.split_once('.') else {
            continue;
        };
        let Some((read_at, object_name)) = readable.get(lower_case(object, &mut lower)) else {
            continue;
        };
        let Some(found) = catalog.personal(qualified, settings) else {
            continue;
        };
        let pointer = fields.pointer(at);
        if let Some(why) = found.evidence {
            index.add_node(i, pointer.clone(), PERSONAL_FIELD, Some(why));
        }
        let message = format!("the {holder} can read {object_name} records");
        index.add_node(
            i,
            pointer,
            PERSONAL_FIELD,
            Some(evidence(i, read_at, &message)),
        );
    }
}

/// `text` in lower case, as `str::to_lowercase` gives it, written into `buffer` (one
/// allocation for a whole list instead of one per entry).
fn lower_case<'b>(text: &str, buffer: &'b mut String) -> &'b str {
    buffer.clear();
    if text.is_ascii() {
        buffer.push_str(text);
        buffer.make_ascii_lowercase();
    } else {
        buffer.push_str(&text.to_lowercase());
    }
    buffer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_is_str_to_lowercase() {
        let mut buffer = String::new();
        for text in ["Account", "MY_OBJ__c", "ÄRENDE__c", "ΟΔΟΣ"] {
            assert_eq!(lower_case(text, &mut buffer), text.to_lowercase());
        }
    }
}
