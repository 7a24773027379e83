//! Which documents of a batch are evaluated, and which findings reach the report: in a scan
//! of part of a repository, the files read only for their facts are not reported on, but one
//! is evaluated when a finding about it lands in a file that is (see
//! [`crate::resolve::Origin::landing`]).

use std::collections::BTreeSet;
use std::ops::Range;

use crate::document::Document;
use crate::evaluate::{evaluate, one_per_fingerprint};
use crate::facts::FactIndex;
use crate::finding::Finding;
use crate::policy::PolicySet;
use crate::workers::Workers;

/// The runs of consecutive documents of `documents[range]` that are evaluated: those
/// reported on, that is not read only for their facts, and those read only for their facts
/// from which a finding lands in one reported on (a resource whose value the named
/// `variables.tf` sets).
fn evaluated_runs(
    documents: &[&Document],
    range: Range<usize>,
    facts_only: &BTreeSet<String>,
    facts: &FactIndex,
) -> Vec<Range<usize>> {
    let reported =
        |i: usize| (documents.get(i)).is_some_and(|d| !facts_only.contains(&d.source.path));
    let mut runs: Vec<Range<usize>> = Vec::new();
    for i in range {
        if !reported(i) && !facts.lands_in(i, &reported) {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.end == i => run.end = i + 1,
            _ => runs.push(i..i + 1),
        }
    }
    runs
}

/// Evaluates the documents of `documents[range]` a scan reports on (see [`evaluated_runs`])
/// and keeps the findings located in files it reports on, one per fingerprint.
pub(super) fn evaluate_reported(
    documents: &[&Document],
    range: Range<usize>,
    facts_only: &BTreeSet<String>,
    policies: &PolicySet,
    facts: &FactIndex,
    workers: Workers,
) -> Vec<Finding> {
    let mut found = Vec::new();
    for run in evaluated_runs(documents, range, facts_only, facts) {
        found.extend(evaluate(documents, run, policies, facts, workers));
    }
    if !facts_only.is_empty() {
        found.retain(|f| !facts_only.contains(&f.location.path));
    }
    one_per_fingerprint(found)
}
