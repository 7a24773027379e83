//! Guest profiles: the profile a site's unauthenticated visitors run as, and the
//! self-registration profile anyone on the internet can sign up into.
//!
//! A profile is a guest profile when its `userLicense` is `Guest User License`, or when a
//! `CustomSite` names it: by `guestProfile` when the file has it, else by the name Salesforce
//! gives a site's guest profile, `<site masterLabel> Profile` (retrieved `CustomSite` files
//! usually omit `guestProfile`) — the name alone links only a profile with the guest licence
//! or with no licence element. A `Network` links the site (`site`) to its Experience Cloud
//! bundle (`picassoSite`); when that bundle is open to guests, it is shown as evidence too.
//!
//! The self-registration profile of a `Network` with `selfRegistration` on is not a guest
//! profile: its users log in, but anyone can become one by signing up. It has facts of its
//! own, so each policy decides what is wrong for it (View All is; reading Contact is not).

use std::collections::HashMap;

use serde_json::Value;

use super::{
    GUEST_ACCESS, GUEST_PROFILE, SELF_REGISTRATION, evidence, metadata_name, root_str, root_value,
};
use crate::detect::kinds;
use crate::document::Document;
use crate::document::Evidence;
use crate::facts::{FactIndex, Given};

const GUEST_LICENSE: &str = "Guest User License";

/// What the sites and networks of a scan say of guest profiles, worked out once from the
/// first-read documents (sites, networks and Experience Cloud bundles are read first):
/// every batch holding profiles asks, and working it out per batch cost the scan batches ×
/// sites.
pub struct GuestSites {
    /// How many documents it was worked out from: the first of every later `documents`.
    documents: usize,
    sites: Vec<SiteClaim>,
    self_registrations: Vec<SelfRegistration>,
}

/// A `CustomSite` naming its guest profile.
struct SiteClaim {
    /// The site's document.
    site: usize,
    label: String,
    claimed: Claimed,
    /// Evidence that the site's Experience Cloud bundle is open to guests.
    public: Vec<Evidence>,
}

enum Claimed {
    /// By `guestProfile`: the name as profiles are compared (see [`profile_key`]).
    Explicit { key: String },
    /// By Salesforce's naming convention, `<masterLabel> Profile`.
    Convention { name: String, key: String },
}

/// A `Network` with self-registration on, and the profile its sign-ups get.
struct SelfRegistration {
    network: usize,
    site: String,
    profile: String,
}

impl GuestSites {
    pub fn of(documents: &[&Document]) -> Self {
        let public_sites = public_experience_sites(documents);
        let mut sites = Vec::new();
        let mut self_registrations = Vec::new();
        for (i, doc) in documents.iter().enumerate() {
            match doc.kind.as_str() {
                kinds::SALESFORCE_CUSTOM_SITE => {
                    let label = root_str(doc, "masterLabel");
                    let claimed = match (root_str(doc, "guestProfile"), label) {
                        // An explicit guestProfile is what Salesforce uses, whatever the
                        // licence.
                        (Some(guest), _) => Claimed::Explicit {
                            key: guest.to_lowercase(),
                        },
                        // Retrieved sites usually omit guestProfile; Salesforce names a
                        // site's guest profile `<label> Profile`.
                        (None, Some(label)) => {
                            let name = format!("{label} Profile");
                            let key = name.to_lowercase();
                            Claimed::Convention { name, key }
                        }
                        (None, None) => continue,
                    };
                    let public = (metadata_name(&doc.source.path, "site"))
                        .and_then(|name| public_sites.get(name))
                        .cloned()
                        .unwrap_or_default();
                    sites.push(SiteClaim {
                        site: i,
                        label: label.unwrap_or("(unnamed)").to_owned(),
                        claimed,
                        public,
                    });
                }
                kinds::SALESFORCE_NETWORK => {
                    let open = root_value(doc, "selfRegistration") == Some(&Value::Bool(true));
                    let (Some(profile), true) = (root_str(doc, "selfRegProfile"), open) else {
                        continue;
                    };
                    self_registrations.push(SelfRegistration {
                        network: i,
                        site: root_str(doc, "site").unwrap_or("(unnamed)").to_owned(),
                        profile: profile.to_owned(),
                    });
                }
                _ => {}
            }
        }
        GuestSites {
            documents: documents.len(),
            sites,
            self_registrations,
        }
    }
}

/// `prepared` was worked out from the documents `documents` opens with; when a later one is
/// a site, a network or a bundle (a scan's files given in another order), it is all worked
/// out again.
pub fn provide(given: &Given, prepared: Option<&GuestSites>, index: &mut FactIndex) {
    let documents = given.documents;
    let is_site_part = |d: &&Document| {
        matches!(
            d.kind.as_str(),
            kinds::SALESFORCE_CUSTOM_SITE
                | kinds::SALESFORCE_NETWORK
                | kinds::SALESFORCE_EXPERIENCE_SITE
        )
    };
    let worked_out;
    let guest_sites = match prepared {
        Some(prepared)
            if prepared.documents <= documents.len()
                && !documents[prepared.documents..].iter().any(is_site_part) =>
        {
            prepared
        }
        _ => {
            worked_out = GuestSites::of(documents);
            &worked_out
        }
    };
    // Salesforce compares profile names without regard to case: a Network writes its
    // `selfRegProfile` in lower case (`customer community user`). Profiles are never read
    // first: the look starts after those.
    let profiles: HashMap<String, usize> = given
        .after_first()
        .filter(|(_, d)| d.kind.as_str() == kinds::SALESFORCE_PROFILE)
        .filter_map(|(i, d)| Some((profile_key(metadata_name(&d.source.path, "profile")?), i)))
        .collect();
    if profiles.is_empty() {
        return;
    }

    for (i, doc) in given.after_first() {
        if doc.kind.as_str() == kinds::SALESFORCE_PROFILE
            && root_str(doc, "userLicense") == Some(GUEST_LICENSE)
        {
            let evidence = evidence(
                i,
                "/Profile/userLicense",
                "the profile's licence is the Guest User License",
            );
            index.add(i, GUEST_PROFILE, Some(evidence));
        }
    }

    for claim in &guest_sites.sites {
        let label = &claim.label;
        let (profile_doc, pointer, message) = match &claim.claimed {
            Claimed::Explicit { key } => {
                let Some(&profile_doc) = profiles.get(key) else {
                    continue;
                };
                let message =
                    format!("site `{label}` names it as its guest profile (guestProfile)");
                (profile_doc, "/CustomSite/guestProfile", message)
            }
            // A profile of that name with another licence is an internal profile that
            // happens to share the name.
            Claimed::Convention { name, key } => {
                let Some(&profile_doc) =
                    (profiles.get(key)).filter(|&&p| may_be_guest_licence(documents[p]))
                else {
                    continue;
                };
                let message = format!(
                    "site `{label}` uses `{name}` as its guest profile by Salesforce's naming convention (the site file names no guestProfile){}",
                    licence_note(documents[profile_doc])
                );
                (profile_doc, "/CustomSite/masterLabel", message)
            }
        };
        index.add(
            profile_doc,
            GUEST_PROFILE,
            Some(evidence(claim.site, pointer, &message)),
        );
        for public in &claim.public {
            index.add(profile_doc, GUEST_PROFILE, Some(public.clone()));
        }
    }

    for profile_doc in index.documents_with(GUEST_PROFILE) {
        let list: Vec<Evidence> = index
            .get(profile_doc, GUEST_PROFILE)
            .unwrap_or_default()
            .to_vec();
        for e in list {
            index.add(profile_doc, GUEST_ACCESS, Some(e));
        }
    }

    for registration in &guest_sites.self_registrations {
        let profile = &registration.profile;
        // A guest profile is already judged as one; its stricter rules apply.
        if let Some(&profile_doc) = profiles.get(&profile.to_lowercase())
            && index.get(profile_doc, GUEST_ACCESS).is_none()
        {
            let name = &registration.site;
            let message = format!(
                "network `{name}` lets anyone sign up and become a user of this profile (`{profile}`)"
            );
            index.add(
                profile_doc,
                SELF_REGISTRATION,
                Some(evidence(
                    registration.network,
                    "/Network/selfRegistration",
                    &message,
                )),
            );
        }
    }
}

/// A profile's name as Salesforce compares it: the Metadata API writes characters such as
/// `&` percent-encoded in file names (`BLF %26 SIBs Office Users Profile.profile` is the
/// profile `BLF & SIBs Office Users Profile`), and names are compared without regard to case.
fn profile_key(file_name: &str) -> String {
    percent_encoding::percent_decode_str(file_name)
        .decode_utf8_lossy()
        .to_lowercase()
}

/// Whether a profile's licence allows it to be a site's guest profile: the Guest User
/// License, or no licence element (a partial file, as retrieved with only some of its parts).
fn may_be_guest_licence(profile: &Document) -> bool {
    root_str(profile, "userLicense").is_none_or(|l| l == GUEST_LICENSE)
}

fn licence_note(profile: &Document) -> &'static str {
    match root_str(profile, "userLicense") {
        Some(_) => "",
        None => "; this profile file has no userLicense to confirm it",
    }
}

/// Experience Cloud bundles open to guests, keyed by the CustomSite their Network names.
fn public_experience_sites<'a>(documents: &[&'a Document]) -> HashMap<&'a str, Vec<Evidence>> {
    let mut bundles: HashMap<&str, Evidence> = HashMap::new();
    for (i, doc) in documents.iter().enumerate() {
        if doc.kind.as_str() != kinds::SALESFORCE_EXPERIENCE_SITE {
            continue;
        }
        let Some(bundle) = experience_bundle_name(&doc.source.path) else {
            continue;
        };
        let aura = doc.value.pointer("/isAvailableToGuests") == Some(&Value::Bool(true));
        let lwr = doc
            .value
            .pointer("/contentBody/authenticationType")
            .and_then(Value::as_str)
            .is_some_and(|t| {
                matches!(
                    t,
                    "AUTHENTICATED_WITH_PUBLIC_ACCESS_ENABLED" | "UNAUTHENTICATED"
                )
            });
        let found = if aura {
            Some(("/isAvailableToGuests", "isAvailableToGuests"))
        } else if lwr {
            Some(("/contentBody/authenticationType", "authenticationType"))
        } else {
            None
        };
        if let Some((pointer, setting)) = found {
            let message =
                format!("the Experience Cloud site `{bundle}` is open to guests ({setting})");
            bundles.insert(bundle, evidence(i, pointer, &message));
        }
    }
    let mut sites: HashMap<&str, Vec<Evidence>> = HashMap::new();
    for doc in documents
        .iter()
        .filter(|d| d.kind.as_str() == kinds::SALESFORCE_NETWORK)
    {
        if let (Some(site), Some(bundle)) = (root_str(doc, "site"), root_str(doc, "picassoSite"))
            && let Some(public) = bundles.get(bundle)
        {
            sites.entry(site).or_default().push(public.clone());
        }
    }
    sites
}

/// `E_Bikes1` from `…/experiences/E_Bikes1/config/eBikes.json` (Aura) or
/// `…/digitalExperiences/site/E_Bikes1/sfdc_cms__site/E_Bikes1/content.json` (LWR).
pub(crate) fn experience_bundle_name(path: &str) -> Option<&str> {
    let parts: Vec<&str> = path.split('/').collect();
    parts.windows(2).rev().find_map(|w| match w {
        ["experiences", name] => Some(*name),
        ["site", name] if path.contains("digitalExperiences/site/") => Some(*name),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_decoded_and_compared_without_case() {
        assert_eq!(
            profile_key("BLF %26 SIBs Office Users Profile"),
            "blf & sibs office users profile"
        );
        assert_eq!(profile_key("STADD Profile"), "stadd profile");
    }

    #[test]
    fn bundle_names_for_aura_and_lwr() {
        assert_eq!(
            experience_bundle_name(
                "force-app/main/default/experiences/E_Bikes1/config/eBikes.json"
            ),
            Some("E_Bikes1")
        );
        assert_eq!(
            experience_bundle_name(
                "force-app/main/default/digitalExperiences/site/Shop1/sfdc_cms__site/Shop1/content.json"
            ),
            Some("Shop1")
        );
        assert_eq!(experience_bundle_name("x/config/y.json"), None);
    }
}
