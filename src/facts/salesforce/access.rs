//! Broad access for insiders: export, View All Data and Modify All Data belong to a few
//! named administrators (tokio-marine-2024, rakuten-2005), not to every profile. A profile or
//! permission set that can change every record, every user and the org's configuration is an
//! administrator's whatever its name (a renamed clone of System Administrator): exporting is
//! the least of what it can do, and who holds it is the question, not what it grants.

use serde_json::Value;

use super::SalesforceSettings;
use super::{
    BROAD_ACCESS_NOT_ALLOWED, GUEST_ACCESS, MetadataList, SELF_REGISTRATION, field, grant_name,
    is_grant,
};
use crate::document::Document;
use crate::facts::{FactIndex, Given};

/// Profiles and permission sets are never read first: the look starts after those.
pub fn provide(given: &Given, settings: &SalesforceSettings, index: &mut FactIndex) {
    for (i, doc) in given.after_first().filter(|(_, d)| is_grant(d)) {
        // Guests and self-registered users are not insiders: they have policies of their own.
        if index.get(i, GUEST_ACCESS).is_some() || index.get(i, SELF_REGISTRATION).is_some() {
            continue;
        }
        let allowed = grant_name(doc).is_some_and(|n| settings.broad_access_allowed.contains(n));
        if !allowed && !is_administrator(doc) {
            index.add(i, BROAD_ACCESS_NOT_ALLOWED, None);
        }
    }
}

/// The system permissions that together make an administrator.
const ADMINISTRATOR: &[&str] = &["ModifyAllData", "ManageUsers", "CustomizeApplication"];

fn is_administrator(doc: &Document) -> bool {
    let enabled: Vec<&str> = MetadataList::of(doc, "userPermissions")
        .iter()
        .filter(|(_, p)| field(p, "enabled") == Some(&Value::Bool(true)))
        .filter_map(|(_, p)| field(p, "name").and_then(Value::as_str))
        .collect();
    ADMINISTRATOR.iter().all(|needed| enabled.contains(needed))
}
