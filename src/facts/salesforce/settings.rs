//! The Salesforce pack's settings (`salesforce:` in `.doublecheck.yml`) and their defaults.

use std::collections::BTreeSet;

use crate::facts::patterns::Patterns;

/// Objects whose records describe people (the Salesforce standard objects for customers,
/// prospects, cases and contact points).
pub const DEFAULT_PERSONAL_OBJECTS: &[&str] = &[
    "Account",
    "Contact",
    "Lead",
    "Case",
    "Opportunity",
    "User",
    "Individual",
    "Order",
    "Contract",
    "ContactPointAddress",
    "ContactPointEmail",
    "ContactPointPhone",
];

/// Field-name patterns for personal data: the kinds of data the Rakuten and SoftBank cases
/// exposed (contact details, birth dates, addresses, bank accounts, licence numbers, income).
pub const DEFAULT_PERSONAL_FIELDS: &[&str] = &[
    r"e_?mail",
    r"phone|mobile|fax",
    r"birth|(^|_)dob(_|$)",
    r"address|street|postal|zip_?code",
    r"bank|iban|account_?number|routing_?number",
    r"licen[cs]e_?(number|no)|passport|national_?id|(^|_)ssn(_|$)|social_?security|tax_?id",
    r"income|salary",
    r"(first|last|middle|full|supplied)_?name",
];

/// Permission sets whose name, label or description says they are for guest users.
pub const DEFAULT_GUEST_PERMISSION_SETS: &[&str] = &[
    r"guest",
    r"public[ _-]?(site|access|user)",
    r"unauthenticated",
    r"site[ _-]?visitor",
];

/// `Admin` is the API name of the System Administrator profile.
pub const DEFAULT_BROAD_ACCESS_ALLOWED: &[&str] = &["Admin"];

#[derive(Debug, Clone)]
pub struct SalesforceSettings {
    pub personal_objects: BTreeSet<String>,
    pub personal_fields: Patterns,
    pub guest_permission_sets: Patterns,
    pub broad_access_allowed: BTreeSet<String>,
}

impl Default for SalesforceSettings {
    fn default() -> Self {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        SalesforceSettings {
            personal_objects: names(DEFAULT_PERSONAL_OBJECTS),
            personal_fields: Patterns::builtin(DEFAULT_PERSONAL_FIELDS),
            guest_permission_sets: Patterns::builtin(DEFAULT_GUEST_PERMISSION_SETS),
            broad_access_allowed: names(DEFAULT_BROAD_ACCESS_ALLOWED),
        }
    }
}
