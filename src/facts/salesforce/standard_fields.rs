//! The standard fields of Salesforce's standard objects that hold personal data: a person's
//! name, contact details, addresses and birth date. A standard field that is not listed here
//! is not personal data (`Account.BillingStreet` is a company's address, `Contact.Title` a
//! job title, `Contact.HasOptedOutOfEmail` a flag), so no naming guess is made for them.
//!
//! Compound fields (`MailingAddress`) and their parts (`MailingStreet`, `MailingCity`, …)
//! both appear in profiles, and both are listed.

/// `(object, fields)`; field names as the Metadata API writes them.
const PERSONAL_STANDARD_FIELDS: &[(&str, &[&str])] = &[
    (
        "Contact",
        &[
            "Name",
            "FirstName",
            "LastName",
            "MiddleName",
            "Suffix",
            "Email",
            "Phone",
            "MobilePhone",
            "HomePhone",
            "OtherPhone",
            "Fax",
            "AssistantName",
            "AssistantPhone",
            "Birthdate",
            "MailingAddress",
            "MailingStreet",
            "MailingCity",
            "MailingPostalCode",
            "MailingState",
            "MailingCountry",
            "MailingLatitude",
            "MailingLongitude",
            "OtherAddress",
            "OtherStreet",
            "OtherCity",
            "OtherPostalCode",
            "OtherState",
            "OtherCountry",
            "OtherLatitude",
            "OtherLongitude",
            "GenderIdentity",
            "Pronouns",
        ],
    ),
    (
        "Lead",
        &[
            "Name",
            "FirstName",
            "LastName",
            "MiddleName",
            "Suffix",
            "Email",
            "Phone",
            "MobilePhone",
            "Fax",
            "Address",
            "Street",
            "City",
            "PostalCode",
            "State",
            "Country",
            "Latitude",
            "Longitude",
            "GenderIdentity",
            "Pronouns",
        ],
    ),
    (
        // Person accounts: a business account's Phone, Fax and addresses are the company's.
        "Account",
        &[
            "PersonEmail",
            "PersonMobilePhone",
            "PersonHomePhone",
            "PersonOtherPhone",
            "PersonAssistantPhone",
            "PersonAssistantName",
            "PersonBirthdate",
            "PersonMailingAddress",
            "PersonMailingStreet",
            "PersonMailingCity",
            "PersonMailingPostalCode",
            "PersonMailingState",
            "PersonMailingCountry",
            "PersonOtherAddress",
            "PersonOtherStreet",
            "PersonOtherCity",
            "PersonOtherPostalCode",
            "PersonOtherState",
            "PersonOtherCountry",
            "FirstName",
            "LastName",
            "MiddleName",
            "Suffix",
            "PersonGenderIdentity",
            "PersonPronouns",
        ],
    ),
    (
        // What a web form or e-mail to case captured about the person who wrote in.
        "Case",
        &[
            "SuppliedName",
            "SuppliedEmail",
            "SuppliedPhone",
            "ContactEmail",
            "ContactPhone",
            "ContactMobile",
            "ContactFax",
        ],
    ),
    (
        "User",
        &[
            "Name",
            "FirstName",
            "LastName",
            "MiddleName",
            "Email",
            "Phone",
            "MobilePhone",
            "Fax",
            "Address",
            "Street",
            "City",
            "PostalCode",
            "State",
            "Country",
            "SenderEmail",
            "FederationIdentifier",
        ],
    ),
    (
        "Individual",
        &["Name", "FirstName", "LastName", "BirthDate", "Salutation"],
    ),
    ("ContactPointEmail", &["EmailAddress"]),
    (
        "ContactPointPhone",
        &["TelephoneNumber", "FormattedInternationalPhone"],
    ),
    (
        "ContactPointAddress",
        &[
            "Address",
            "Street",
            "City",
            "PostalCode",
            "State",
            "Country",
        ],
    ),
];

/// Standard objects whose records are about organisations and deals, not people: a custom
/// field on them is personal data only when its metadata says so (a company's billing
/// address or switchboard number is not). A person account's own fields are the exception:
/// they end in `__pc`.
const ORGANISATION_OBJECTS: &[&str] = &[
    "Account",
    "Opportunity",
    "Order",
    "Contract",
    "Quote",
    "Campaign",
    "Product2",
    "Asset",
    "LegalEntity",
    "Partner",
];

/// Whether a custom field of `object` may be judged by its name (see [`ORGANISATION_OBJECTS`]).
pub fn names_may_tell(object: &str, field: &str) -> bool {
    field.ends_with("__pc")
        || !ORGANISATION_OBJECTS
            .iter()
            .any(|o| o.eq_ignore_ascii_case(object))
}

/// Whether the standard field `object.field` holds personal data (names compared without
/// regard to case, as Salesforce does).
pub fn holds_personal_data(object: &str, field: &str) -> bool {
    PERSONAL_STANDARD_FIELDS.iter().any(|(o, fields)| {
        o.eq_ignore_ascii_case(object) && fields.iter().any(|f| f.eq_ignore_ascii_case(field))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations_custom_fields_are_not_judged_by_name() {
        assert!(!names_may_tell("Account", "Billing_Address_formated__c"));
        assert!(names_may_tell("Account", "Home_Phone__pc"));
        assert!(names_may_tell("Complaint__c", "Witness_Email__c"));
    }

    #[test]
    fn people_s_details_not_companies() {
        assert!(holds_personal_data("Contact", "Email"));
        assert!(holds_personal_data("lead", "mobilephone"));
        assert!(holds_personal_data("Case", "SuppliedEmail"));
        assert!(!holds_personal_data("Account", "BillingStreet"));
        assert!(!holds_personal_data("Contact", "Title"));
        assert!(!holds_personal_data("Contact", "HasOptedOutOfEmail"));
        assert!(!holds_personal_data("LegalEntity", "LegalEntityAddress"));
    }
}
