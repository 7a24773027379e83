//! Which fields hold personal data, decided from what the configuration itself says before
//! any naming guess, in this order:
//!
//! 1. the field's own metadata in the repository (`objects/<Object>/fields/<Field>.field-meta.xml`,
//!    or a `<fields>` entry of a metadata-API `<Object>.object`): a `complianceGroup` (PII,
//!    GDPR, CCPA, HIPAA, …), a sensitive `securityClassification`, or a type that holds a
//!    person's contact details (Email, Phone, EncryptedText) says yes; a type that cannot
//!    hold such a value (a checkbox, a lookup, a picklist) says no, and a number is personal
//!    only as an income or an id number;
//! 2. for a standard field (no `__c`), the table of standard fields that hold personal data
//!    ([`super::standard_fields`]), which is the whole answer for them: `Account.BillingStreet`
//!    is a company's address, `Contact.MailingStreet` a person's;
//! 3. for a custom field, its name against `salesforce.personal-fields`, leaving out names
//!    that say the value is a reference, a flag or a title (`Address_Id__c`,
//!    `Has_Opted_Out_Of_Email__c`, `Mobile_Title__c`), and fields of the standard objects
//!    about organisations (Account, Opportunity, Order, …; a person account's `__pc` fields
//!    excepted), whose addresses and numbers are a company's.

use std::collections::HashMap;

use serde_json::Value;

use super::SalesforceSettings;
use super::field_names::{
    custom_field_words, is_a_personal_number, is_custom, looks_like_a_reference_or_flag,
};
use super::{evidence, metadata_name, standard_fields};
use crate::detect::kinds;
use crate::document::Document;
use crate::document::Evidence;

/// `complianceGroup` values that mark personal data (Salesforce's picklist, and the
/// spellings orgs add).
const PERSONAL_COMPLIANCE_GROUPS: &[&str] = &[
    "PII",
    "GDPR",
    "CCPA",
    "HIPAA",
    "PCI",
    "COPPA",
    "PIPEDA",
    "LGPD",
    "PersonalInfo",
];

/// `securityClassification` values that say the field is sensitive.
const SENSITIVE_CLASSIFICATIONS: &[&str] = &["Confidential", "Restricted", "MissionCritical"];

/// Field types whose value is a person's contact detail or a secret.
const PERSONAL_TYPES: &[&str] = &["Email", "Phone", "EncryptedText"];

/// Field types that cannot hold a personal value by themselves: references to other
/// records, flags, choices from a list, amounts, counters.
const NON_PERSONAL_TYPES: &[&str] = &[
    "Checkbox",
    "Lookup",
    "MasterDetail",
    "Hierarchy",
    "ExternalLookup",
    "IndirectLookup",
    "MetadataRelationship",
    "Picklist",
    "MultiselectPicklist",
    "AutoNumber",
    "Summary",
];

/// Field types that hold a number: personal only as an amount or number about a person
/// (income, an account or national id number), never as an e-mail, phone, name or address
/// (`Unique_Emails__c` counts e-mails).
const NUMBER_TYPES: &[&str] = &["Number", "Currency", "Percent"];

/// One field as the repository describes it.
#[derive(Debug)]
struct FieldMetadata {
    document: usize,
    /// Which `<fields>` entry of a `CustomObject` holds the field's settings; `None` for a
    /// `CustomField` file of its own.
    entry: Option<usize>,
    field_type: Option<String>,
    compliance_group: Option<String>,
    security_classification: Option<String>,
}

/// Why a field holds personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalField {
    /// In words, for the finding: `its type is Email`.
    pub reason: String,
    /// Where the repository says so, when it does.
    pub evidence: Option<Evidence>,
}

/// Every field the repository describes, by `object.field` in lower case (Salesforce API
/// names are case-insensitive).
#[derive(Debug, Default)]
pub struct FieldCatalog {
    fields: HashMap<String, FieldMetadata>,
    /// Objects with at least one field described, by lower-case name: their fields' names.
    by_object: HashMap<String, Vec<String>>,
}

impl FieldCatalog {
    pub fn build(documents: &[&Document]) -> Self {
        let mut catalog = FieldCatalog::default();
        for (i, doc) in documents.iter().enumerate() {
            match doc.kind.as_str() {
                kinds::SALESFORCE_CUSTOM_FIELD => {
                    let (Some(object), Some(field)) = (
                        field_file_object(&doc.source.path),
                        field_name(doc, "/CustomField")
                            .or_else(|| metadata_name(&doc.source.path, "field")),
                    ) else {
                        continue;
                    };
                    catalog.insert(object, field, i, doc, None);
                }
                kinds::SALESFORCE_CUSTOM_OBJECT => {
                    let Some(object) = metadata_name(&doc.source.path, "object") else {
                        continue;
                    };
                    let fields = doc.value.pointer("/CustomObject/fields");
                    for (n, _) in fields
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .enumerate()
                    {
                        if let Some(field) = field_name(doc, &settings_pointer(Some(n))) {
                            catalog.insert(object, field, i, doc, Some(n));
                        }
                    }
                }
                _ => {}
            }
        }
        catalog
    }

    fn insert(
        &mut self,
        object: &str,
        field: &str,
        document: usize,
        doc: &Document,
        entry: Option<usize>,
    ) {
        let pointer = settings_pointer(entry);
        let text = |key: &str| {
            doc.value
                .pointer(&format!("{pointer}/{key}"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let metadata = FieldMetadata {
            document,
            field_type: text("type"),
            compliance_group: text("complianceGroup"),
            security_classification: text("securityClassification"),
            entry,
        };
        let key = format!("{object}.{field}").to_lowercase();
        self.by_object
            .entry(object.to_lowercase())
            .or_default()
            .push(field.to_owned());
        self.fields.insert(key, metadata);
    }

    /// Whether `Object.Field` holds personal data, and why.
    pub fn personal(
        &self,
        qualified: &str,
        settings: &SalesforceSettings,
    ) -> Option<PersonalField> {
        let (object, field) = qualified.split_once('.')?;
        let metadata = self.fields.get(&qualified.to_lowercase());
        if let Some(metadata) = metadata {
            match metadata.verdict(field) {
                Some(Verdict::Personal(found)) => return Some(found),
                Some(Verdict::NotPersonal) => return None,
                None => {}
            }
        }
        if !is_custom(field) {
            return standard_fields::holds_personal_data(object, field).then(|| PersonalField {
                reason: "a standard field that holds personal data".to_owned(),
                evidence: None,
            });
        }
        let name = custom_field_words(field);
        if looks_like_a_reference_or_flag(&name) || !standard_fields::names_may_tell(object, field)
        {
            return None;
        }
        let pattern = settings.personal_fields.find(&name)?;
        let numeric = metadata
            .and_then(|m| m.field_type.as_deref())
            .is_some_and(|t| NUMBER_TYPES.contains(&t));
        if numeric && !is_a_personal_number(&name) {
            return None;
        }
        let reason = format!("its name matches `{pattern}` of salesforce.personal-fields");
        Some(PersonalField {
            evidence: metadata.map(|m| {
                let message = format!("`{field}`: {reason}");
                evidence(m.document, &m.setting("fullName"), &message)
            }),
            reason,
        })
    }

    /// The first field of an object whose own metadata says it holds personal data. Names
    /// alone do not count here: a whole object is judged by what its fields declare
    /// (`Postal_Code_Format__c` of a country table is no one's address).
    pub fn declared_personal_field_of(&self, object: &str) -> Option<PersonalField> {
        let mut fields = self.by_object.get(&object.to_lowercase())?.clone();
        // The same answer whatever order the files were read in.
        fields.sort();
        fields.iter().find_map(|field| {
            let key = format!("{object}.{field}").to_lowercase();
            match self.fields.get(&key)?.verdict(field) {
                Some(Verdict::Personal(found)) => Some(found),
                _ => None,
            }
        })
    }
}

/// The settings of a field [`FieldCatalog`] reads.
const FIELD_SETTINGS: &[&str] = &[
    "fullName",
    "type",
    "complianceGroup",
    "securityClassification",
];

/// Whether the catalog reads the node of a `CustomField` or `CustomObject` at `pointer`
/// (or holds one it reads): the rest of an object definition (list views, layouts,
/// validation rules) is not needed once the file is read.
pub fn needed_node(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    match tokens.as_slice() {
        [] | ["CustomField" | "CustomObject"] | ["CustomObject", "fields"] => true,
        ["CustomField", setting] => FIELD_SETTINGS.contains(setting),
        ["CustomObject", "fields", index] => index.parse::<usize>().is_ok(),
        ["CustomObject", "fields", index, setting] => {
            index.parse::<usize>().is_ok() && FIELD_SETTINGS.contains(setting)
        }
        _ => false,
    }
}

enum Verdict {
    Personal(PersonalField),
    NotPersonal,
}

impl FieldMetadata {
    /// The pointer of one of the field's settings (`type`, `fullName`, …).
    fn setting(&self, key: &str) -> String {
        format!("{}/{key}", settings_pointer(self.entry))
    }

    /// What the field's own metadata says, if it decides.
    fn verdict(&self, field: &str) -> Option<Verdict> {
        let at = |key: &str, reason: String| {
            Verdict::Personal(PersonalField {
                evidence: Some(evidence(
                    self.document,
                    &self.setting(key),
                    &format!("`{field}` {reason}"),
                )),
                reason,
            })
        };
        if let Some(groups) = &self.compliance_group {
            let personal: Vec<&str> = groups
                .split(';')
                .map(str::trim)
                .filter(|g| {
                    PERSONAL_COMPLIANCE_GROUPS
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(g))
                })
                .collect();
            if !personal.is_empty() {
                let reason = format!("is classified {} (complianceGroup)", personal.join(", "));
                return Some(at("complianceGroup", reason));
            }
        }
        if let Some(class) = &self.security_classification
            && SENSITIVE_CLASSIFICATIONS.contains(&class.as_str())
        {
            let reason = format!("is classified {class} (securityClassification)");
            return Some(at("securityClassification", reason));
        }
        let field_type = self.field_type.as_deref()?;
        if PERSONAL_TYPES.contains(&field_type) {
            return Some(at("type", format!("is of type {field_type}")));
        }
        NON_PERSONAL_TYPES
            .contains(&field_type)
            .then_some(Verdict::NotPersonal)
    }
}

/// The element holding a field's settings: `/CustomField`, or `/CustomObject/fields/<n>`.
fn settings_pointer(entry: Option<usize>) -> String {
    match entry {
        Some(n) => format!("/CustomObject/fields/{n}"),
        None => "/CustomField".to_owned(),
    }
}

fn field_name<'a>(doc: &'a Document, pointer: &str) -> Option<&'a str> {
    doc.value
        .pointer(&format!("{pointer}/fullName"))
        .and_then(Value::as_str)
}

/// `Complaint__c` from `…/objects/Complaint__c/fields/Email__c.field-meta.xml`.
fn field_file_object(path: &str) -> Option<&str> {
    let mut parts = path.rsplit('/');
    let _file = parts.next()?;
    (parts.next()? == "fields").then_some(())?;
    parts.next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_field_settings_are_needed() {
        assert!(needed_node(""));
        assert!(needed_node("/CustomField/type"));
        assert!(needed_node("/CustomObject/fields/12/complianceGroup"));
        assert!(!needed_node("/CustomObject/listViews/0/fullName"));
        assert!(!needed_node("/CustomObject/fields/1/label"));
        assert!(!needed_node("/CustomField/description"));
    }

    #[test]
    fn the_object_of_a_field_file() {
        assert_eq!(
            field_file_object("force-app/objects/Complaint__c/fields/Email__c.field-meta.xml"),
            Some("Complaint__c")
        );
        assert_eq!(field_file_object("objects/Complaint__c.object"), None);
    }
}
