//! Apex that bypasses record sharing. A class declared `without sharing` runs with access to
//! every record whatever the running user's sharing says, so a guest who may call it reads
//! (or writes) past every guest sharing rule. A class that declares no sharing mode runs the
//! same way when its API version is below 67.0 and it is the code called first; an inner
//! class has its own mode, and a profile's access to the outer class reaches it.
//!
//! A profile's access to a class matters only for the ways in that Salesforce checks it: an
//! `@AuraEnabled`, `@RemoteAction`, `@InvocableMethod`, `@Http…` or `webservice` method, a
//! `@RestResource` class, or a Visualforce page or component that runs the class as its
//! controller or extension. A helper class with none of these is run by other code, in the
//! sharing of that code's caller; access to it grants nothing by itself. Test classes are
//! never run by visitors.

use std::collections::HashMap;

use serde_json::Value;

use super::{APEX_BYPASSES_SHARING, MetadataList, evidence, field, is_grant, metadata_name};
use crate::detect::kinds;
use crate::document::Document;
use crate::document::Evidence;
use crate::facts::{FactIndex, Given};

/// From this API version on, a class without a sharing keyword runs with sharing.
const SHARING_BY_DEFAULT_FROM: f64 = 67.0;

/// The classes that bypass sharing and have a way in, by lower-case name, each with why
/// and how; worked out once for the first-read documents of a scan.
pub struct Bypassing {
    /// How many documents they were worked out from: the first of every later `documents`.
    documents: usize,
    classes: HashMap<String, Vec<Evidence>>,
}

/// The classes of `documents` that bypass sharing.
pub fn bypassing(documents: &[&Document]) -> Bypassing {
    // Apex names are case-insensitive.
    let mut api_versions: HashMap<String, f64> = HashMap::new();
    for doc in documents
        .iter()
        .filter(|d| d.kind.as_str() == kinds::SALESFORCE_APEX_CLASS_META)
    {
        let version = doc
            .value
            .pointer("/ApexClass/apiVersion")
            .and_then(|v| match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            });
        if let (Some(name), Some(version)) = (metadata_name(&doc.source.path, "cls"), version) {
            api_versions.insert(name.to_ascii_lowercase(), version);
        }
    }
    let pages = visualforce_controllers(documents);
    let mut classes: HashMap<String, Vec<Evidence>> = HashMap::new();
    for (i, doc) in documents.iter().enumerate() {
        if doc.kind.as_str() != kinds::APEX_CLASS {
            continue;
        }
        let Some(file_class) = metadata_name(&doc.source.path, "cls") else {
            continue;
        };
        let key = file_class.to_ascii_lowercase();
        let Some(way_in) = entry(i, doc).or_else(|| pages.get(&key).cloned()) else {
            continue;
        };
        let version = api_versions.get(&key).copied();
        if let Some(found) = bypass(i, doc, version) {
            classes.insert(key, vec![found, way_in]);
        }
    }
    Bypassing {
        documents: documents.len(),
        classes,
    }
}

/// Marks each class access of a profile or permission set to a class that bypasses sharing.
/// `prepared` holds the classes of the documents `documents` opens with; when a later one
/// is Apex or Visualforce, everything is worked out again.
pub fn provide(given: &Given, prepared: Option<&Bypassing>, index: &mut FactIndex) {
    let documents = given.documents;
    let is_code = |d: &&Document| {
        matches!(
            d.kind.as_str(),
            kinds::APEX_CLASS | kinds::SALESFORCE_APEX_CLASS_META | kinds::SALESFORCE_VISUALFORCE
        )
    };
    let worked_out;
    let bypassing = match prepared {
        Some(prepared)
            if prepared.documents <= documents.len()
                && !documents[prepared.documents..].iter().any(is_code) =>
        {
            &prepared.classes
        }
        _ => {
            worked_out = bypassing(documents).classes;
            &worked_out
        }
    };
    if bypassing.is_empty() {
        return;
    }
    // Profiles and permission sets are never read first: the look starts after those.
    for (i, doc) in given.after_first().filter(|(_, d)| is_grant(d)) {
        let accesses = MetadataList::of(doc, "classAccesses");
        for (at, entry) in accesses.iter() {
            let class = field(entry, "apexClass")
                .and_then(Value::as_str)
                .unwrap_or_default();
            for found in bypassing
                .get(&class.to_ascii_lowercase())
                .into_iter()
                .flatten()
            {
                index.add_node(
                    i,
                    accesses.pointer(at),
                    APEX_BYPASSES_SHARING,
                    Some(found.clone()),
                );
            }
        }
    }
}

/// The first way into a class file's code that a profile's class access governs, as
/// evidence: an entry-point annotation or `webservice` (see [`crate::parse`]'s Apex lowering).
fn entry(index: usize, doc: &Document) -> Option<Evidence> {
    let classes = doc.value.get("classes")?.as_array()?;
    classes.iter().enumerate().find_map(|(c, class)| {
        if class.get("test").and_then(Value::as_bool) == Some(true) {
            return None;
        }
        let marker = class.get("entry")?.as_str()?;
        let name = class.get("name").and_then(Value::as_str).unwrap_or("?");
        let message = match marker {
            "webservice" => format!("`{name}` has a `webservice` method, callable over SOAP"),
            "RestResource" => format!("`{name}` is a REST resource (`@RestResource`)"),
            "InvocableMethod" => format!("`{name}` has an `@InvocableMethod`, which flows call"),
            "AuraEnabled" | "RemoteAction" => {
                format!("`{name}` has an `@{marker}` method, which a visitor's browser calls")
            }
            _ => format!("`{name}` answers REST requests (`@{marker}`)"),
        };
        Some(evidence(index, &format!("/classes/{c}/entry"), &message))
    })
}

/// Classes that Visualforce pages and components in the tree run, by lower-case name, with
/// the first place that names each.
fn visualforce_controllers(documents: &[&Document]) -> HashMap<String, Evidence> {
    let mut found: HashMap<String, Evidence> = HashMap::new();
    for (i, doc) in documents.iter().enumerate() {
        if doc.kind.as_str() != kinds::SALESFORCE_VISUALFORCE {
            continue;
        }
        let page = doc
            .source
            .path
            .rsplit('/')
            .next()
            .unwrap_or(&doc.source.path);
        let names = doc.value.get("controllers").and_then(Value::as_array);
        for (n, name) in names.into_iter().flatten().enumerate() {
            let Some(name) = name.as_str() else { continue };
            let message = format!("the Visualforce `{page}` runs `{name}`");
            found
                .entry(name.to_ascii_lowercase())
                .or_insert_with(|| evidence(i, &format!("/controllers/{n}"), &message));
        }
    }
    found
}

/// Why the classes of one `.cls` file bypass sharing, if they do: the first `without
/// sharing` declaration, else a top-level class with no sharing mode at an old API version.
fn bypass(index: usize, doc: &Document, version: Option<f64>) -> Option<Evidence> {
    let classes = doc.value.get("classes")?.as_array()?;
    let is_test = |class: &Value| class.get("test").and_then(Value::as_bool) == Some(true);
    for (c, class) in classes.iter().enumerate().filter(|(_, c)| !is_test(c)) {
        if class.get("sharing").and_then(Value::as_str) == Some("without") {
            let name = class.get("name").and_then(Value::as_str).unwrap_or("?");
            let inner = if class.get("outer").is_some_and(|o| !o.is_null()) {
                "inner class"
            } else {
                "class"
            };
            let message = format!("{inner} `{name}` is declared `without sharing`");
            return Some(evidence(index, &format!("/classes/{c}/sharing"), &message));
        }
    }
    let (c, top) = classes
        .iter()
        .enumerate()
        .find(|(_, class)| class.get("outer").is_none_or(Value::is_null))?;
    if is_test(top) || !top.get("sharing").is_some_and(Value::is_null) {
        return None;
    }
    let name = top.get("name").and_then(Value::as_str).unwrap_or("?");
    let message = match version {
        Some(v) if v >= SHARING_BY_DEFAULT_FROM => return None,
        Some(v) => format!(
            "class `{name}` declares no sharing mode and its API version is {v:.1}: below {SHARING_BY_DEFAULT_FROM:.1} it runs without sharing"
        ),
        None => format!(
            "class `{name}` declares no sharing mode and has no .cls-meta.xml with an API version of {SHARING_BY_DEFAULT_FROM:.1} or above"
        ),
    };
    Some(evidence(index, &format!("/classes/{c}/name"), &message))
}
