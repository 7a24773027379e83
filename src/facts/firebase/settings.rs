//! The Firebase pack's settings (`firebase:` in `.doublecheck.yml`) and their defaults.

use crate::facts::patterns::Patterns;

/// Collection, folder and Realtime Database key names whose records are about people: their
/// accounts and profiles, what they buy, say and are sent, who comes to what. Each pattern is
/// matched, without regard to case, against one path segment (`users` of
/// `/users/{userId}`), so they are anchored to whole names; `s?` takes the plural too.
pub const DEFAULT_PERSONAL_COLLECTIONS: &[&str] = &[
    r"^(app_?|auth_?)?users?$",
    r"^(user_?)?profiles?$",
    r"^(customers?|clients?|members?|subscribers?|contacts?|leads?)$",
    r"^(accounts?|admins?|employees?|staff|students?|patients?|applicants?)$",
    r"^(orders?|payments?|invoices?|transactions?|bookings?|reservations?)$",
    r"^(messages?|chats?|conversations?|notifications?)$",
    r"^(rsvps?|guests?|attendees?|registrations?|participants?)$",
    r"^(fcm_?)?tokens?$",
];

/// What the Firebase facts treat as people's data.
#[derive(Debug, Clone)]
pub struct FirebaseSettings {
    pub personal_collections: Patterns,
}

impl Default for FirebaseSettings {
    fn default() -> Self {
        FirebaseSettings {
            personal_collections: Patterns::builtin(DEFAULT_PERSONAL_COLLECTIONS),
        }
    }
}
