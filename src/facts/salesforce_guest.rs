//! `salesforce/guest-profile`: a profile whose users are the unauthenticated public.
//!
//! It holds when the profile's `userLicense` is `Guest User License`, or when a `CustomSite`
//! in the tree names it: by `guestProfile` when the file has it, else by the name Salesforce
//! gives a site's guest profile, `<site masterLabel> Profile` (retrieved `CustomSite` files
//! usually omit `guestProfile`).

use std::collections::HashMap;

use super::{Evidence, FactIndex, FactInfo};
use crate::document::Document;

pub const NAME: &str = "salesforce/guest-profile";

pub const INFO: FactInfo = FactInfo {
    name: NAME,
    description: "the Salesforce profile is used by unauthenticated visitors: its userLicense \
                  is Guest User License, or a CustomSite in the tree names it as its guest \
                  profile (guestProfile, or the `<masterLabel> Profile` naming convention)",
};

/// The kinds this provider reads.
pub const KINDS: &[&str] = &["salesforce/Profile", "salesforce/CustomSite"];

const GUEST_LICENSE: &str = "Guest User License";

pub fn provide(documents: &[Document], index: &mut FactIndex) {
    let mut profiles: HashMap<String, usize> = HashMap::new();
    for (i, doc) in documents.iter().enumerate() {
        if doc.kind.as_str() != "salesforce/Profile" {
            continue;
        }
        if let Some(name) = profile_name(&doc.source.path) {
            profiles.insert(name.to_owned(), i);
        }
        let license = doc.value.pointer("/Profile/userLicense");
        if license.and_then(|v| v.as_str()) == Some(GUEST_LICENSE) {
            index.add(
                i,
                NAME,
                Evidence {
                    document: i,
                    pointer: "/Profile/userLicense".to_owned(),
                    message: "the profile's licence is the Guest User License".to_owned(),
                },
            );
        }
    }
    for (i, doc) in documents.iter().enumerate() {
        if doc.kind.as_str() != "salesforce/CustomSite" {
            continue;
        }
        let site = |key: &str| {
            doc.value
                .pointer(&format!("/CustomSite/{key}"))
                .and_then(|v| v.as_str())
        };
        let label = site("masterLabel").unwrap_or("(unnamed)");
        let (profile, pointer, how) = match (site("guestProfile"), site("masterLabel")) {
            (Some(guest), _) => (guest.to_owned(), "/CustomSite/guestProfile", "names it"),
            (None, Some(label)) => (
                format!("{label} Profile"),
                "/CustomSite/masterLabel",
                "implies it by name",
            ),
            (None, None) => continue,
        };
        if let Some(&profile_doc) = profiles.get(&profile) {
            index.add(
                profile_doc,
                NAME,
                Evidence {
                    document: i,
                    pointer: pointer.to_owned(),
                    message: format!("site `{label}` {how} as its guest profile (`{profile}`)"),
                },
            );
        }
    }
}

/// `E-Bikes Profile` from `…/profiles/E-Bikes Profile.profile` or `….profile-meta.xml`.
fn profile_name(path: &str) -> Option<&str> {
    let file = path.rsplit('/').next()?;
    file.strip_suffix(".profile-meta.xml")
        .or_else(|| file.strip_suffix(".profile"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_from_both_suffixes() {
        assert_eq!(
            profile_name("a/profiles/E-Bikes Profile.profile"),
            Some("E-Bikes Profile")
        );
        assert_eq!(
            profile_name("force-app/profiles/Guest.profile-meta.xml"),
            Some("Guest")
        );
        assert_eq!(profile_name("x.permissionset-meta.xml"), None);
    }
}
