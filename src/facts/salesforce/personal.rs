//! Personal data: which object-permission entries, field-permission entries and sharing
//! rules concern records about people, by the repository's settings.

use serde_json::Value;

use super::{PERSONAL_FIELD, PERSONAL_OBJECT, entries, is_grant, metadata_name};
use crate::config::SalesforceSettings;
use crate::document::Document;
use crate::facts::FactIndex;

/// The list elements of a `SharingRules` file; each rule shares records of the object the
/// file is named after.
const SHARING_RULE_LISTS: &[&str] = &[
    "sharingGuestRules",
    "sharingCriteriaRules",
    "sharingOwnerRules",
    "sharingTerritoryRules",
];

pub fn provide(documents: &[&Document], settings: &SalesforceSettings, index: &mut FactIndex) {
    let personal_object = |name: &str| settings.personal_objects.contains(name);
    for (i, doc) in documents.iter().enumerate() {
        if is_grant(doc) {
            for (pointer, entry) in entries(doc, "objectPermissions") {
                if entry
                    .get("object")
                    .and_then(Value::as_str)
                    .is_some_and(personal_object)
                {
                    index.add_node(i, pointer, PERSONAL_OBJECT, None);
                }
            }
            for (pointer, entry) in entries(doc, "fieldPermissions") {
                let field = entry
                    .get("field")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                // `Case.SuppliedEmail`: the pattern is about the field's own name.
                let name = field.rsplit('.').next().unwrap_or(field);
                if settings.personal_fields.find(name).is_some() {
                    index.add_node(i, pointer, PERSONAL_FIELD, None);
                }
            }
        } else if doc.kind.as_str() == "salesforce/SharingRules"
            && metadata_name(&doc.source.path, "sharingRules").is_some_and(personal_object)
        {
            for list in SHARING_RULE_LISTS {
                for (pointer, _) in entries(doc, list) {
                    index.add_node(i, pointer, PERSONAL_OBJECT, None);
                }
            }
        }
    }
}
