//! Broad access for insiders: export, View All Data, Modify All Data and API access belong to
//! a few named administrators (tokio-marine-2024, rakuten-2005), not to every profile.

use super::{BROAD_ACCESS_NOT_ALLOWED, GUEST_ACCESS, SELF_REGISTRATION, grant_name, is_grant};
use crate::config::SalesforceSettings;
use crate::document::Document;
use crate::facts::FactIndex;

pub fn provide(documents: &[&Document], settings: &SalesforceSettings, index: &mut FactIndex) {
    for (i, doc) in documents.iter().enumerate().filter(|(_, d)| is_grant(d)) {
        // Guests and self-registered users are not insiders: they have policies of their own.
        if index.get(i, GUEST_ACCESS).is_some() || index.get(i, SELF_REGISTRATION).is_some() {
            continue;
        }
        let allowed = grant_name(doc).is_some_and(|n| settings.broad_access_allowed.contains(n));
        if !allowed {
            index.add(i, BROAD_ACCESS_NOT_ALLOWED, None);
        }
    }
}
