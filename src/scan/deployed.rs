//! Rules files that `firebase.json` files deploy ([`crate::detect::firebase_deployments`]):
//! each is read as the rules it is, whatever its name, and one that does not exist is a
//! `DC-MISSING` finding at its name in the `firebase.json`.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::detect::{Deployment, firebase_deployments, is_firebase_json};
use crate::document::{Excerpt, SourceFile};
use crate::finding::{Finding, MISSING, fingerprint};
use crate::read::{Content, Input};
use crate::report::Report;

/// What a scan knows of a file a `firebase.json` names that is not among its inputs.
pub(crate) enum Lookup {
    /// It exists and may be read: its content.
    Read(Content),
    /// It exists but is left out (`exclude`), or is outside the paths reported on.
    Skip,
    /// There is no such file.
    Missing,
}

/// A deployed rules file that does not exist: the finding, and the `firebase.json` it is in.
pub(crate) struct MissingFile {
    pub finding: Finding,
    pub source: Arc<SourceFile>,
}

/// Reads every input that a `firebase.json` among `configs` (shown path and text) deploys as
/// the rules it is, adds those that no path claims from `lookup`, and returns the deployed
/// files that do not exist, for the `firebase.json` files `reported` covers.
pub(crate) fn apply(
    inputs: &mut Vec<Input>,
    configs: &[(String, String)],
    lookup: impl Fn(&str) -> Lookup,
    reported: impl Fn(&str) -> bool,
) -> Vec<MissingFile> {
    let mut missing = Vec::new();
    let mut added = false;
    for (shown, text) in configs {
        let deployments = firebase_deployments(shown, text);
        if deployments.is_empty() {
            continue;
        }
        let source = Arc::new(SourceFile::new(shown.clone(), text.clone()));
        for deployment in deployments {
            if let Some(input) = inputs.iter_mut().find(|i| i.shown == deployment.target) {
                input.candidate = deployment.candidate;
                continue;
            }
            match lookup(&deployment.target) {
                Lookup::Read(content) => {
                    inputs.push(Input {
                        shown: deployment.target.clone(),
                        candidate: deployment.candidate,
                        content,
                        context: false,
                        chart: None,
                    });
                    added = true;
                }
                Lookup::Skip => {}
                Lookup::Missing if reported(shown) => missing.push(MissingFile {
                    finding: missing_finding(&source, &deployment),
                    source: Arc::clone(&source),
                }),
                Lookup::Missing => {}
            }
        }
    }
    if added {
        inputs.sort_by(|a, b| a.shown.cmp(&b.shown));
    }
    missing
}

/// The `firebase.json` files among `inputs` read from disk or memory, for [`apply`]; one that
/// cannot be read names nothing (reading it as an input reports why).
pub(crate) fn configs(inputs: &[&Input], max_bytes: u64) -> Vec<(String, String)> {
    inputs
        .iter()
        .filter(|i| is_firebase_json(&i.shown))
        .filter_map(|input| {
            let text = match &input.content {
                Content::Disk { path, .. } => {
                    String::from_utf8(crate::read::read_file(path, max_bytes).ok()?).ok()?
                }
                Content::Memory(text) => text.clone(),
                Content::Bytes(bytes) => String::from_utf8(bytes.clone()).ok()?,
                Content::Refused(_) => return None,
            };
            Some((input.shown.clone(), text))
        })
        .collect()
}

fn missing_finding(source: &SourceFile, deployment: &Deployment) -> Finding {
    let product = match deployment.product {
        "firestore" => "Cloud Firestore",
        "storage" => "Cloud Storage",
        _ => "Realtime Database",
    };
    let mut finding = MISSING.finding(
        source,
        deployment.span,
        format!(
            "`{}` is deployed as the {product} rules, but there is no such file: the rules in \
             force were not checked",
            deployment.target
        ),
    );
    finding.pointer = Some(deployment.pointer.clone());
    finding.locator.clone_from(&deployment.pointer);
    finding.fingerprint = fingerprint(&[MISSING.id, &source.path, &deployment.pointer]);
    finding
}

/// Adds the missing files' findings to a report, with the lines of their `firebase.json`.
pub(crate) fn report_missing(report: &mut Report, missing: Vec<MissingFile>) {
    let mut locations: BTreeMap<String, (Arc<SourceFile>, Vec<Finding>)> = BTreeMap::new();
    for file in missing {
        let entry = locations
            .entry(file.source.path.clone())
            .or_insert_with(|| (Arc::clone(&file.source), Vec::new()));
        entry.1.push(file.finding);
    }
    for (path, (source, findings)) in locations {
        report
            .sources
            .entry(path)
            .or_insert_with(|| Excerpt::of(&source, findings.iter().map(|f| &f.location)));
        report.findings.extend(findings);
    }
}
