//! Facts about Salesforce metadata: who the guest (unauthenticated) users are, what holds
//! personal data, which Apex classes bypass record sharing, who may hold broad access.

mod access;
mod apex;
mod cumulusci;
mod field_names;
mod fields;
mod guest;
mod permission_sets;
mod personal;
mod settings;
mod standard_fields;

pub use settings::{DEFAULT_GUEST_PERMISSION_SETS, DEFAULT_PERSONAL_FIELDS, SalesforceSettings};

use serde_json::Value;

use std::sync::Arc;

use super::{FactIndex, FactInfo, NodeFilter, Prepared, Provider, Scope, Settings};
use crate::detect::kinds;
use crate::document::Document;
use crate::document::Evidence;
use fields::FieldCatalog;

pub const GUEST_PROFILE: &str = "salesforce/guest-profile";
pub const GUEST_ACCESS: &str = "salesforce/guest-access";
pub const SELF_REGISTRATION: &str = "salesforce/self-registration";
pub const PERSONAL_OBJECT: &str = "salesforce/personal-object";
pub const PERSONAL_FIELD: &str = "salesforce/personal-field";
pub const APEX_BYPASSES_SHARING: &str = "salesforce/apex-bypasses-sharing";
pub const BROAD_ACCESS_NOT_ALLOWED: &str = "salesforce/broad-access-not-allowed";

pub const PROVIDER: Provider = Provider {
    facts: FACTS,
    kinds: KINDS,
    provide,
    prepare,
    read_first: READ_FIRST,
    // A batch of permission sets looks at the scripts that may assign them to a guest.
    revisits: &[kinds::APEX_ANONYMOUS, kinds::CUMULUSCI_CONFIG],
    keep: super::keep_nothing,
    keeps: &[],
    slim,
};

/// What the providers here read of the first-read documents that can be thousands: a
/// field's classification, an Apex class's sharing declarations and API version.
fn slim(kind: &str) -> Option<NodeFilter> {
    match kind {
        kinds::SALESFORCE_CUSTOM_FIELD | kinds::SALESFORCE_CUSTOM_OBJECT => {
            Some(fields::needed_node)
        }
        kinds::SALESFORCE_APEX_CLASS_META => {
            Some(|p| matches!(p, "" | "/ApexClass" | "/ApexClass/apiVersion"))
        }
        // The lowerings are already only the classes' declarations, the pages' controllers.
        kinds::APEX_CLASS | kinds::SALESFORCE_VISUALFORCE => Some(|_| true),
        _ => None,
    }
}

/// What profiles, permission sets and sharing rules take facts from: sites and networks
/// (guest profiles), Experience Cloud sites (evidence), Apex (sharing, guest assignments),
/// CumulusCI tasks, and the metadata of objects' fields (personal data). Profiles and
/// permission sets, the largest files of an org, are streamed.
const READ_FIRST: &[&str] = &[
    kinds::SALESFORCE_CUSTOM_FIELD,
    kinds::SALESFORCE_CUSTOM_OBJECT,
    kinds::SALESFORCE_CUSTOM_SITE,
    kinds::SALESFORCE_NETWORK,
    kinds::SALESFORCE_EXPERIENCE_SITE,
    kinds::SALESFORCE_APEX_CLASS_META,
    kinds::SALESFORCE_VISUALFORCE,
    kinds::APEX_CLASS,
    kinds::APEX_ANONYMOUS,
    kinds::CUMULUSCI_CONFIG,
];

const FACTS: &[FactInfo] = &[
    FactInfo {
        name: GUEST_PROFILE,
        scope: Scope::Document,
        description: "the profile is used by unauthenticated visitors: its userLicense is Guest \
                      User License, or a CustomSite in the tree names it as its guest profile \
                      (guestProfile; or, when the site names none, the `<masterLabel> Profile` \
                      naming convention, which links only a profile with the Guest User License \
                      or no userLicense element); a public Experience Cloud site of that \
                      CustomSite is shown as evidence",
    },
    FactInfo {
        name: GUEST_ACCESS,
        scope: Scope::Document,
        description: "the profile or permission set gives its rights to unauthenticated \
                      visitors: a guest profile, or a permission set for guests (its name, label or \
                      description matches `salesforce.guest-permission-sets`, or anonymous \
                      Apex (a script, a cumulusci.yml task) assigns it to a guest user found by \
                      GuestUserId, Site.getGuestUserId(), `… Site Guest User`, UserType 'Guest' \
                      or a guest profile, or cumulusci.yml's assign_permission_sets assigns it \
                      with user_alias guest)",
    },
    FactInfo {
        name: SELF_REGISTRATION,
        scope: Scope::Document,
        description: "the profile is the self-registration profile of a Network with \
                      selfRegistration on: its users log in, but anyone on the internet can \
                      become one by signing up (profile names compared without regard to case, \
                      as Salesforce does); a guest profile is never also this",
    },
    FactInfo {
        name: PERSONAL_OBJECT,
        scope: Scope::Node,
        description: "an objectPermissions entry or a sharing rule about an object that holds \
                      personal data (`salesforce.personal-objects`); for a sharing rule, also a \
                      custom object one of whose fields declares personal data in its metadata \
                      in the tree (complianceGroup, securityClassification, an Email, Phone or \
                      EncryptedText type; names alone do not count)",
    },
    FactInfo {
        name: PERSONAL_FIELD,
        scope: Scope::Node,
        description: "a fieldPermissions entry whose field holds personal data, of an object the \
                      same profile or permission set can read (allowRead, viewAllRecords or \
                      modifyAllRecords). Decided by the field's metadata in the tree first \
                      (complianceGroup PII/GDPR/CCPA/HIPAA/PCI/…, securityClassification \
                      Confidential/Restricted/MissionCritical, type Email/Phone/EncryptedText; a \
                      checkbox, lookup or picklist is not, a number only as an income or id \
                      number), then for standard fields a table of the standard objects' \
                      personal fields, then for custom fields (not of organisation objects such \
                      as Account) the name against `salesforce.personal-fields`, leaving out \
                      ids, flags, titles and names about the detail (`Email_Status__c`)",
    },
    FactInfo {
        name: APEX_BYPASSES_SHARING,
        scope: Scope::Node,
        description: "a classAccesses entry naming an Apex class in the tree that visitors can \
                      call (an @AuraEnabled, @RemoteAction, @InvocableMethod, @Http… or \
                      webservice method, a @RestResource class, or the controller or an \
                      extension of a Visualforce page or component in the tree) and that runs \
                      without record sharing: declared `without sharing` (itself or an inner \
                      class), or declaring no sharing mode at an API version below 67.0; test \
                      classes (`@isTest`) are not; the way in is evidence too",
    },
    FactInfo {
        name: BROAD_ACCESS_NOT_ALLOWED,
        scope: Scope::Document,
        description: "a profile or permission set for internal users that is not allowed broad \
                      access (`salesforce.broad-access-allowed`, default: the Admin profile) and \
                      is not an administrator's by what it grants (Modify All Data, Manage Users \
                      and Customize Application together)",
    },
];

/// The kinds these providers read.
const KINDS: &[&str] = &[
    kinds::SALESFORCE_CUSTOM_FIELD,
    kinds::SALESFORCE_CUSTOM_OBJECT,
    kinds::SALESFORCE_PROFILE,
    kinds::SALESFORCE_PERMISSION_SET,
    kinds::SALESFORCE_CUSTOM_SITE,
    kinds::SALESFORCE_NETWORK,
    kinds::SALESFORCE_SHARING_RULES,
    kinds::SALESFORCE_APEX_CLASS_META,
    kinds::SALESFORCE_EXPERIENCE_SITE,
    kinds::SALESFORCE_VISUALFORCE,
    kinds::APEX_CLASS,
    kinds::APEX_ANONYMOUS,
    kinds::CUMULUSCI_CONFIG,
];

/// The field catalog, once per scan: every batch of profiles reads the same field metadata.
/// What the first-read Salesforce documents give every batch: the fields of the objects,
/// and the Apex classes that bypass sharing.
struct Firsts {
    catalog: FieldCatalog,
    bypassing: apex::Bypassing,
    assignments: permission_sets::Assignments,
    guest_sites: guest::GuestSites,
}

fn prepare(first: &[&Document], _: &Settings) -> Prepared {
    Some(Arc::new(Firsts {
        catalog: FieldCatalog::build(first),
        bypassing: apex::bypassing(first),
        assignments: permission_sets::Assignments::of(first),
        guest_sites: guest::GuestSites::of(first),
    }))
}

fn provide(given: &super::Given, prepared: &Prepared, settings: &Settings, index: &mut FactIndex) {
    let settings = &settings.salesforce;
    let built;
    let firsts = prepared.as_ref().and_then(|p| p.downcast_ref::<Firsts>());
    let catalog = match firsts {
        Some(firsts) => &firsts.catalog,
        None => {
            built = FieldCatalog::build(given.documents);
            &built
        }
    };
    guest::provide(given, firsts.map(|f| &f.guest_sites), index);
    let assignments = firsts.map(|f| &f.assignments);
    permission_sets::provide(given, assignments, settings, index);
    personal::provide(given, catalog, settings, index);
    apex::provide(given, firsts.map(|f| &f.bypassing), index);
    access::provide(given, settings, index);
}

/// The metadata name of a file: `E-Bikes Profile` from `…/E-Bikes Profile.profile` or
/// `….profile-meta.xml`, for the type whose suffix is `suffix`.
pub(crate) fn metadata_name<'a>(path: &'a str, suffix: &str) -> Option<&'a str> {
    let file = path.rsplit('/').next()?;
    let stem = file.strip_suffix("-meta.xml").unwrap_or(file);
    stem.strip_suffix(suffix)?.strip_suffix('.')
}

/// `/Profile/<key>` (or `/PermissionSet/<key>`…) of a metadata document, as a string.
fn root_str<'a>(doc: &'a Document, key: &str) -> Option<&'a str> {
    root_value(doc, key).and_then(Value::as_str)
}

fn root_value<'a>(doc: &'a Document, key: &str) -> Option<&'a Value> {
    doc.value.as_object()?.values().next()?.get(key)
}

/// The name of the metadata root element: `Profile`, `PermissionSet`, ….
fn root_name(doc: &Document) -> &str {
    doc.value
        .as_object()
        .and_then(|o| o.keys().next())
        .map_or("", String::as_str)
}

/// Profiles and permission sets: the documents that grant access.
fn is_grant(doc: &Document) -> bool {
    matches!(
        doc.kind.as_str(),
        kinds::SALESFORCE_PROFILE | kinds::SALESFORCE_PERMISSION_SET
    )
}

/// The name of a profile or permission set from its path.
fn grant_name(doc: &Document) -> Option<&str> {
    match doc.kind.as_str() {
        kinds::SALESFORCE_PROFILE => metadata_name(&doc.source.path, "profile"),
        kinds::SALESFORCE_PERMISSION_SET => metadata_name(&doc.source.path, "permissionset"),
        _ => None,
    }
}

/// One list of a metadata document (`/Profile/fieldPermissions`), whose entries' pointers
/// are written only for the entries a fact is about: a profile's lists run to thousands.
struct MetadataList<'a> {
    root: &'a str,
    list: &'a str,
    items: &'a [Value],
}

impl<'a> MetadataList<'a> {
    fn of(doc: &'a Document, list: &'a str) -> Self {
        let items = match root_value(doc, list) {
            Some(Value::Array(items)) => items.as_slice(),
            _ => &[],
        };
        MetadataList {
            root: root_name(doc),
            list,
            items,
        }
    }

    fn iter(&self) -> impl Iterator<Item = (usize, &'a Value)> + use<'a> {
        self.items.iter().enumerate()
    }

    fn pointer(&self, index: usize) -> String {
        format!("/{}/{}/{index}", self.root, self.list)
    }
}

/// Objects with at most this many keys are searched key by key (see [`field`]).
const FEW_KEYS: usize = 8;

/// `entry[key]` for an entry of a metadata list. The entries hold a few keys each and are
/// read by the hundred thousand in a large org: comparing a few keys costs less than
/// hashing the one asked for (serde_json's map hashes with SipHash).
fn field<'a>(entry: &'a Value, key: &str) -> Option<&'a Value> {
    let map = entry.as_object()?;
    if map.len() <= FEW_KEYS {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

fn evidence(document: usize, pointer: &str, message: &str) -> Evidence {
    Evidence {
        document,
        pointer: pointer.to_owned(),
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_found_in_small_and_large_entries() {
        let small = serde_json::json!({"field": "Account.Phone", "readable": true});
        assert_eq!(field(&small, "readable"), Some(&Value::Bool(true)));
        assert_eq!(field(&small, "editable"), None);
        let large: serde_json::Map<String, Value> = (0..=FEW_KEYS)
            .map(|k| (format!("k{k}"), Value::from(k)))
            .collect();
        let large = Value::Object(large);
        assert_eq!(
            field(&large, &format!("k{FEW_KEYS}")),
            Some(&Value::from(FEW_KEYS))
        );
        assert_eq!(field(&large, "field"), None);
        assert_eq!(field(&Value::from(3), "field"), None);
    }

    #[test]
    fn list_entries_have_their_pointers() {
        let doc = Document {
            source: Arc::new(crate::document::SourceFile::new("a.profile", String::new())),
            index_in_file: 0,
            kind: crate::document::Kind::new(kinds::SALESFORCE_PROFILE),
            value: serde_json::json!({"Profile": {"fieldPermissions": [{"field": "A.b"}, {}]}}),
            spans: Default::default(),
            resolved: None,
        };
        let list = MetadataList::of(&doc, "fieldPermissions");
        assert_eq!(list.iter().count(), 2);
        assert_eq!(list.pointer(1), "/Profile/fieldPermissions/1");
        assert_eq!(
            MetadataList::of(&doc, "objectPermissions").iter().count(),
            0
        );
    }

    #[test]
    fn metadata_names_from_both_suffix_families() {
        assert_eq!(
            metadata_name("a/profiles/E-Bikes Profile.profile", "profile"),
            Some("E-Bikes Profile")
        );
        assert_eq!(
            metadata_name("force-app/profiles/Guest.profile-meta.xml", "profile"),
            Some("Guest")
        );
        assert_eq!(
            metadata_name("x/Account.sharingRules-meta.xml", "sharingRules"),
            Some("Account")
        );
        assert_eq!(metadata_name("x.permissionset-meta.xml", "profile"), None);
        assert_eq!(metadata_name("a/Foo.cls", "cls"), Some("Foo"));
    }
}
