//! Apex that bypasses record sharing. A class declared `without sharing` runs with access to
//! every record whatever the running user's sharing says, so a guest who may call it reads
//! (or writes) past every guest sharing rule. A class that declares no sharing mode runs the
//! same way when its API version is below 67.0; an inner class has its own mode, and a
//! profile's access to the outer class reaches it.

use std::collections::HashMap;

use serde_json::Value;

use super::{APEX_BYPASSES_SHARING, entries, evidence, is_grant, metadata_name};
use crate::document::Document;
use crate::facts::{Evidence, FactIndex};

/// From this API version on, a class without a sharing keyword runs with sharing.
const SHARING_BY_DEFAULT_FROM: f64 = 67.0;

pub fn provide(documents: &[&Document], index: &mut FactIndex) {
    // Apex names are case-insensitive.
    let mut api_versions: HashMap<String, f64> = HashMap::new();
    for doc in documents
        .iter()
        .filter(|d| d.kind.as_str() == "salesforce/ApexClass")
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
    let mut bypassing: HashMap<String, Evidence> = HashMap::new();
    for (i, doc) in documents.iter().enumerate() {
        if doc.kind.as_str() != "apex/class" {
            continue;
        }
        let Some(file_class) = metadata_name(&doc.source.path, "cls") else {
            continue;
        };
        let version = api_versions.get(&file_class.to_ascii_lowercase()).copied();
        if let Some(found) = bypass(i, doc, version) {
            bypassing.insert(file_class.to_ascii_lowercase(), found);
        }
    }
    if bypassing.is_empty() {
        return;
    }
    for (i, doc) in documents.iter().enumerate().filter(|(_, d)| is_grant(d)) {
        for (pointer, entry) in entries(doc, "classAccesses") {
            let class = entry
                .get("apexClass")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if let Some(found) = bypassing.get(&class.to_ascii_lowercase()) {
                index.add_node(i, pointer, APEX_BYPASSES_SHARING, Some(found.clone()));
            }
        }
    }
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
