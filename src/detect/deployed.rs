//! The rules files a `firebase.json` deploys: `firebase deploy` uploads the file named under
//! `firestore.rules`, `storage.rules` (or `storage[*].rules`, one per bucket) and
//! `database.rules` (or `database[*].rules`), whatever it is called, relative to the
//! folder of the `firebase.json`. A scan reads each as the rules it is
//! (`rules/firestore.prod.rules`, `database-rules.json`), and says so when one is missing.

use serde_json::Value;

use super::table::{DEPLOYED_DATABASE_RULES, DEPLOYED_SECURITY_RULES};
use super::{Candidate, FilePath};
use crate::document::{SourceFile, Span, child_pointer, index_pointer};

/// The name of the Firebase CLI's project file.
pub const FIREBASE_JSON: &str = "firebase.json";

/// One rules file a `firebase.json` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The rules file, as a path shown from the scan root.
    pub target: String,
    /// How the file is read.
    pub candidate: Candidate,
    /// Where it is named: the `firebase.json` (shown), the value's pointer and span.
    pub named_in: String,
    pub pointer: String,
    pub span: Span,
    /// `firestore`, `storage` or `database`.
    pub product: &'static str,
}

/// Whether a path is a Firebase CLI project file.
pub fn is_firebase_json(shown: &str) -> bool {
    FilePath::new(shown).name == FIREBASE_JSON
}

/// The rules files the `firebase.json` shown as `shown` names, in the order written. A file
/// that is not valid JSON names none (it is reported when it is read); a path that leaves the
/// scan root, or a Bolt source (`*.bolt`, compiled before deploying), is not followed.
pub fn firebase_deployments(shown: &str, text: &str) -> Vec<Deployment> {
    let source = SourceFile::new(shown.to_owned(), text.to_owned());
    let Ok(mut documents) = crate::parse::parse(crate::parse::Format::JSON, &source) else {
        return Vec::new();
    };
    let Some(document) = documents.pop() else {
        return Vec::new();
    };
    let folder = shown.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut out = Vec::new();
    for (product, candidate) in [
        ("firestore", DEPLOYED_SECURITY_RULES),
        ("storage", DEPLOYED_SECURITY_RULES),
        ("database", DEPLOYED_DATABASE_RULES),
    ] {
        let section = child_pointer("", product);
        let entries: Vec<(String, &Value)> = match document.value.get(product) {
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, v)| (index_pointer(&section, i), v))
                .collect(),
            Some(value) => vec![(section, value)],
            None => Vec::new(),
        };
        for (pointer, entry) in entries {
            let Some(rules) = entry.get("rules").and_then(Value::as_str) else {
                continue;
            };
            let Some(target) = join(folder, rules) else {
                continue;
            };
            if rules.ends_with(".bolt") {
                continue;
            }
            let pointer = child_pointer(&pointer, "rules");
            let span = document
                .spans
                .get(&pointer)
                .map_or(Span::new(0, 0), |s| s.value);
            out.push(Deployment {
                target,
                candidate: Candidate {
                    detector: candidate,
                },
                named_in: shown.to_owned(),
                pointer,
                span,
                product,
            });
        }
    }
    out
}

/// `relative` (`./rules/firestore.rules`, `../shared/storage.rules`) from `folder`, both
/// shown paths, normalized; `None` when it is empty, absolute or leaves the root.
fn join(folder: &str, relative: &str) -> Option<String> {
    if relative.is_empty() || relative.starts_with('/') || relative.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_product_s_rules_are_found_relative_to_the_file() {
        let text = r#"{
          "firestore": {"rules": "rules/firestore.prod.rules", "indexes": "x.json"},
          "storage": [{"bucket": "a", "rules": "./storage.rules"}, {"bucket": "b"}],
          "database": {"rules": "../db/rules.json"},
          "hosting": {"public": "build"}
        }"#;
        let found = firebase_deployments("app/firebase.json", text);
        let targets: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|d| (d.target.as_str(), d.product, d.pointer.as_str()))
            .collect();
        assert_eq!(
            targets,
            [
                (
                    "app/rules/firestore.prod.rules",
                    "firestore",
                    "/firestore/rules"
                ),
                ("app/storage.rules", "storage", "/storage/0/rules"),
                ("db/rules.json", "database", "/database/rules"),
            ]
        );
        assert_eq!(
            found[0].candidate.detector.name,
            DEPLOYED_SECURITY_RULES.name
        );
        assert_eq!(
            found[2].candidate.detector.name,
            DEPLOYED_DATABASE_RULES.name
        );
        // The span is the string value, quotes included.
        let span = found[0].span;
        assert_eq!(
            &text[span.start..span.end],
            "\"rules/firestore.prod.rules\""
        );
    }

    #[test]
    fn paths_out_of_the_tree_bolt_sources_and_broken_files_name_nothing() {
        let text = r#"{"firestore": {"rules": "../../x.rules"}, "database": {"rules": "r.bolt"},
                       "storage": {"rules": "/etc/storage.rules"}}"#;
        assert!(firebase_deployments("app/firebase.json", text).is_empty());
        assert!(firebase_deployments("firebase.json", "{\"firestore\": ").is_empty());
        assert!(firebase_deployments("firebase.json", "[1, 2]").is_empty());
        assert!(firebase_deployments("firebase.json", r#"{"firestore": {"rules": 3}}"#).is_empty());
    }
}
