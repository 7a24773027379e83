//! Facts about Firebase rules: the `match` blocks an `allow` is nested in, and whether the
//! path it guards is named for people's data (`firebase.personal-collections`), in Security
//! Rules (`firebase/rules`) and Realtime Database rules (`firebase/database-rules`). Every
//! fact here is about one rules file and its own nodes.

mod settings;

pub use settings::{DEFAULT_PERSONAL_COLLECTIONS, FirebaseSettings};

use serde_json::Value;

use super::{FactIndex, FactInfo, Provider, Scope, Settings};
use crate::detect::kinds;
use crate::document::{Evidence, child_pointer, index_pointer};

pub const ENCLOSING_MATCHES: &str = "firebase/enclosing-matches";
pub const PERSONAL_DATA: &str = "firebase/personal-data";

pub const PROVIDER: Provider = Provider::of_batch(FACTS, KINDS, provide);

const FACTS: &[FactInfo] = &[
    FactInfo {
        name: ENCLOSING_MATCHES,
        scope: Scope::Node,
        description: "an `allow` of Security Rules; the `match` blocks it is written in, \
                      outermost first, are the evidence",
    },
    FactInfo {
        name: PERSONAL_DATA,
        scope: Scope::Node,
        description: "an `allow` of Security Rules whose match path, or an object of \
                      Realtime Database rules whose path, has a segment (not a wildcard) \
                      matching `firebase.personal-collections` (default: users, profiles, \
                      customers, accounts, orders, payments, messages, admins, tokens, rsvps, \
                      guests, …); the enclosing matches or keys are the evidence, the one \
                      naming people's data saying so",
    },
];

const KINDS: &[&str] = &[kinds::FIREBASE_RULES, kinds::FIREBASE_DATABASE_RULES];

fn provide(given: &super::Given, _: &super::Prepared, settings: &Settings, index: &mut FactIndex) {
    let documents = given.documents;
    let settings = &settings.firebase;
    for (i, doc) in documents.iter().enumerate() {
        match doc.kind.as_str() {
            kinds::FIREBASE_RULES => security_rules(i, &doc.value, settings, index),
            kinds::FIREBASE_DATABASE_RULES => {
                if let Some(rules) = doc.value.get("rules") {
                    let mut path = Vec::new();
                    database_rules(i, rules, "/rules", &mut path, settings, index);
                }
            }
            _ => {}
        }
    }
}

/// The segment of `path` (a match's own path, or one key) named for people's data, with the
/// pattern that says so.
fn personal_segment<'a>(path: &'a str, settings: &'a FirebaseSettings) -> Option<&'a str> {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{') && !s.starts_with('$'))
        .find(|s| settings.personal_collections.is_match(s))
}

fn named_message(segment: &str) -> String {
    format!("`{segment}` is named for people's data (firebase.personal-collections)")
}

fn security_rules(i: usize, value: &Value, settings: &FirebaseSettings, index: &mut FactIndex) {
    let services = value.get("services").and_then(Value::as_array);
    for (s, service) in services.into_iter().flatten().enumerate() {
        let Some(matches) = service.get("matches").and_then(Value::as_array) else {
            continue;
        };
        let matches_pointer = format!("/services/{s}/matches");
        let parent_of = |m: usize| {
            matches[m]
                .get("parent")
                .and_then(Value::as_u64)
                .and_then(|p| usize::try_from(p).ok())
                .filter(|&p| p < m)
        };
        let full_path = |m: usize| matches[m].get("path").and_then(Value::as_str).unwrap_or("");
        // Each match's own path (its full path past its parent's), and the first match of
        // its chain, outermost first, named for people's data.
        let own: Vec<&str> = (0..matches.len())
            .map(|m| {
                let full = full_path(m);
                let prefix = parent_of(m).map_or("", full_path);
                full.strip_prefix(prefix).unwrap_or(full)
            })
            .collect();
        let mut naming: Vec<Option<(usize, &str)>> = Vec::with_capacity(matches.len());
        for (m, own_path) in own.iter().enumerate() {
            let inherited = parent_of(m).and_then(|p| naming[p]);
            naming.push(inherited.or_else(|| personal_segment(own_path, settings).map(|s| (m, s))));
        }
        // Each match's own evidence, made once: the allows of a match and the matches
        // nested in it share it.
        let inside: Vec<Evidence> = own
            .iter()
            .enumerate()
            .map(|(k, path)| {
                let pointer = index_pointer(&matches_pointer, k);
                Evidence::at(i, pointer, format!("inside `match {path}`"))
            })
            .collect();
        for (m, block) in matches.iter().enumerate() {
            let allows = block.get("allows").and_then(Value::as_array);
            let count = allows.map_or(0, Vec::len);
            if count == 0 {
                continue;
            }
            let mut chain = vec![m];
            while let Some(p) = chain.last().copied().and_then(parent_of) {
                chain.push(p);
            }
            chain.reverse();
            let enclosing: Vec<Evidence> = chain.iter().map(|&k| inside[k].clone()).collect();
            let personal: Option<Vec<Evidence>> = naming[m].map(|(at, segment)| {
                let mut evidence = enclosing.clone();
                if let Some(e) = chain.iter().position(|&k| k == at) {
                    evidence[e].message = named_message(segment);
                }
                evidence
            });
            let allows_pointer = format!("{matches_pointer}/{m}/allows");
            for a in 0..count {
                let pointer = index_pointer(&allows_pointer, a);
                if let Some(personal) = &personal {
                    index.add_node_with(i, pointer.clone(), PERSONAL_DATA, personal);
                }
                index.add_node_with(i, pointer, ENCLOSING_MATCHES, &enclosing);
            }
        }
    }
}

/// Realtime Database rules: every object below `rules` under a key named for people's data
/// (`/rules/users`, `/rules/users/$uid`) has the fact; `path` holds the keys above it.
fn database_rules<'a>(
    i: usize,
    node: &'a Value,
    pointer: &str,
    path: &mut Vec<(String, &'a str)>,
    settings: &FirebaseSettings,
    index: &mut FactIndex,
) {
    let Some(object) = node.as_object() else {
        return;
    };
    if let Some(named) = path
        .iter()
        .position(|(_, key)| personal_segment(key, settings).is_some())
    {
        for (k, (key_pointer, key)) in path.iter().enumerate() {
            let message = if k == named {
                named_message(key)
            } else {
                format!("inside `{key}`")
            };
            let evidence = Evidence::at(i, key_pointer.clone(), message);
            index.add_node(i, pointer.to_owned(), PERSONAL_DATA, Some(evidence));
        }
    }
    for (key, child) in object {
        if key.starts_with('.') || !child.is_object() {
            continue;
        }
        let child_at = child_pointer(pointer, key);
        path.push((child_at.clone(), key));
        database_rules(i, child, &child_at, path, settings, index);
        path.pop();
    }
}
