//! What a custom field's name says, for the last step of deciding whether it holds personal
//! data (see [`super::fields`]): its words without namespace and suffix, and whether they
//! name the detail itself or something about it.

use std::sync::OnceLock;

use regex::Regex;

/// Custom fields end in `__c` (a person account's contact fields on Account in `__pc`); a
/// managed package's also start with `namespace__`.
pub(super) fn is_custom(field: &str) -> bool {
    field.ends_with("__c") || field.ends_with("__pc")
}

/// `Home_Phone` from `ns__Home_Phone__c`.
pub(super) fn custom_field_words(field: &str) -> String {
    let bare = field
        .strip_suffix("__c")
        .or_else(|| field.strip_suffix("__pc"))
        .unwrap_or(field);
    let bare = bare.rsplit_once("__").map_or(bare, |(_, name)| name);
    bare.to_owned()
}

/// Names of numbers that are about a person: income, an account, tax or national id number.
pub(super) fn is_a_personal_number(name: &str) -> bool {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN
        .get_or_init(|| {
            Regex::new(
                r"(?i)income|salary|wage|account_?(number|no)|iban|routing|ssn|social_?security|tax_?id|national_?id|passport|licen[cs]e_?(number|no)",
            )
            .expect("a valid pattern")
        })
        .is_match(name)
}

/// Names that say the value is not the personal detail itself: a reference to another
/// record (`Address_Id`, `ContactId`), a yes/no flag (`Is_Email_Verified`,
/// `Has_Opted_Out_Of_Email`, `Email_Opt_In`), a title (`Mobile_Title`), or something about
/// the detail rather than the detail: a count, kind, state or format (`Phone_Count`,
/// `Address_Type`, `Email_Status`, `Postal_Code_Format`, `EmailMessage`).
pub(super) fn looks_like_a_reference_or_flag(name: &str) -> bool {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?i:_ids?$) | [a-z]I[dD]s?$ | ^(?i:ids?)$   # Address_Id, ContactId, Address_IDs
            | (?i:title)
            | (?i:opt_?(ed)?_?(out|in))
            | ^(?i:is|has)(_|[A-Z])              # Is_Verified, HasBounced
            | (?i:(flag|count|type|status|verified|consent|template|domain|message|format
                   |regex|pattern|sent|opened|bounced|preferences?)$)   # EmailMessage, *_Format
            ",
        )
        .expect("a valid pattern")
    });
    pattern.is_match(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_flags_and_titles_are_not_personal_values() {
        for name in [
            "Address_Id",
            "ContactId",
            "Mobile_Title",
            "Has_Opted_Out_Of_Email",
            "Email_Opt_In",
            "Is_Email_Verified",
            "HasBounced",
            "Phone_Count",
            "Address_Type",
            "EmailMessage",
            "Postal_Code_Format",
            "Email_Preferences",
            "Postal_Code_Format_regEx",
        ] {
            assert!(looks_like_a_reference_or_flag(name), "{name}");
        }
        for name in [
            "Home_Phone",
            "Email",
            "Birth_Date",
            "Street_Address",
            "Bank_Account_Number",
            "Idaho_Address",
        ] {
            assert!(!looks_like_a_reference_or_flag(name), "{name}");
        }
    }

    #[test]
    fn numbers_are_personal_as_income_or_id_numbers_only() {
        assert!(is_a_personal_number("Annual_Income"));
        assert!(is_a_personal_number("Bank_Account_Number"));
        assert!(!is_a_personal_number("Unique_Emails"));
        assert!(!is_a_personal_number("Phone_Calls"));
    }

    #[test]
    fn custom_field_words_drop_suffix_and_namespace() {
        assert_eq!(custom_field_words("ns__Home_Phone__c"), "Home_Phone");
        assert_eq!(custom_field_words("Email__c"), "Email");
        assert_eq!(custom_field_words("Home_Phone__pc"), "Home_Phone");
    }
}
