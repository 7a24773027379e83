//! PR-only mode (`--diff-base REF`): scans the head and compares its findings with those at a
//! git revision. [`base`] reads the revision's files from git objects, [`change`] tells which files
//! the head changed and [`lines`] which of their lines; this module decides which base files
//! must be evaluated.

pub mod base;
pub mod change;
pub mod lines;

pub use base::{BaseError, BaseTree};
pub use change::{Change, HeadFile};

use std::collections::{BTreeMap, BTreeSet};

use crate::detect;
use crate::filter::compare_with_base;
use crate::finding::BaseFinding;
use crate::finding::{BaselineState, Finding};
use crate::parse::Format;
use crate::policy::PolicySet;
use crate::progress::Progress;
use crate::read::Content;
use crate::read::Input;
use crate::report::Report;
use crate::scan::deployed;
use crate::scan::{ScanRequest, Scope, check, push_walk_errors, set_root, sort, walk_inputs};

/// Scans files on disk (the head: the work tree as it is) and compares the findings with
/// those at a git revision (the base, evaluated from git objects), by fingerprint: each
/// finding is `new` or `unchanged`, the base's findings that are gone are `fixed`, and
/// `changed_lines` holds the lines the change added or modified. Settings and policies are
/// the head's for both sides, so only the files' change makes a difference. A scan of part of
/// a repository compares the whole repository's files that the facts of the part take from,
/// on both sides, and reports on the part only.
pub fn scan_diff_base(
    request: &ScanRequest,
    policies: &PolicySet,
    reference: &str,
) -> Result<Report, BaseError> {
    let policies = &policies.registry(&request.config.rules);
    let listed = if request.reads_context() {
        std::slice::from_ref(&request.root)
    } else {
        &request.paths[..]
    };
    let walked = walk_inputs(request);
    // Files with no name of their own that a `firebase.json` deploys are listed too (the
    // base's own `firebase.json` decides what they are).
    let inputs: Vec<&Input> = walked.inputs.iter().collect();
    let deployed_at_head: BTreeSet<String> =
        deployed::configs(&inputs, request.config.limits.max_file_size)
            .iter()
            .flat_map(|(shown, text)| detect::firebase_deployments(shown, text))
            .map(|d| d.target)
            .collect();
    // Files a configuration may read by path (`file("policy.json")`) are listed too.
    let base = BaseTree::open(listed, &request.root, reference, |shown| {
        detect::candidate(shown).is_some()
            || deployed_at_head.contains(shown)
            || crate::resolve::may_be_named(shown)
    })?;
    let (inputs, errors, missing) = (walked.inputs, walked.errors, walked.missing);
    let mut head_files: Vec<HeadFile> = inputs
        .iter()
        .filter_map(|input| match &input.content {
            Content::Disk { path, .. } => Some(HeadFile {
                shown: input.shown.clone(),
                path: path.clone(),
                format: input.candidate.format(),
            }),
            // A refused head file (a link out of the tree, a FIFO) is reported, not diffed.
            Content::Memory(_) | Content::Bytes(_) | Content::Refused(_) => None,
        })
        .collect();
    let head = check(
        inputs,
        policies,
        &request.config,
        &request.progress,
        &request.named_files(),
        request.jobs,
    );
    // The files configurations read by path are compared too: a change to one changes
    // findings that land in it.
    let listed_at_head: BTreeSet<String> = head_files.iter().map(|f| f.shown.clone()).collect();
    let named = head
        .named
        .iter()
        .filter(|shown| !listed_at_head.contains(*shown));
    head_files.extend(named.map(|shown| HeadFile {
        shown: shown.clone(),
        path: request.root.join(shown),
        format: Format::JSON,
    }));
    let change = Change::between(&base, &head_files)?;
    let mut report = head.report;
    push_walk_errors(&mut report, errors, &request.config.limits);
    // A missing deployed rules file is the change's when it changed the `firebase.json`
    // naming it (the base's rules files are known only by the paths they are listed by).
    let missing = missing
        .into_iter()
        .filter(|m| change.changed.contains(&m.finding.location.path))
        .collect();
    deployed::report_missing(&mut report, missing);
    sort(&mut report.findings);
    let base_findings = base_findings(
        &base,
        &change,
        &report,
        &head.cross_document,
        policies,
        request,
    )?;
    compare_with_base(
        &mut report,
        format!("git {reference}"),
        base_findings.iter().map(BaseFinding::of),
    );
    follow_renames(&mut report, &change.renamed);
    report.changed_lines = change.lines;
    set_root(&mut report, request);
    Ok(report)
}

/// The findings at the base, for the files the comparison covers.
///
/// A file's findings depend on its own documents and on the cross-document facts and
/// substitutions, which read only documents of some kinds ([`crate::facts::needs_kind`],
/// [`crate::resolve::needs_kind`]). So when no changed file holds such a document, at the
/// base or at the head, the findings of unchanged files are the head's, and only the changed
/// files are evaluated at the base (with the unchanged files that facts read, so the facts
/// are the same). Otherwise the whole base is evaluated. Files outside the request's scope
/// are read for their facts only, as at the head.
pub fn base_findings(
    base: &BaseTree,
    change: &Change,
    head: &Report,
    head_cross_document: &BTreeSet<String>,
    policies: &PolicySet,
    request: &ScanRequest,
) -> Result<Vec<Finding>, BaseError> {
    let (scope, config) = (&request.scope(), &request.config);
    let changes_cross_document =
        |cross: &BTreeSet<String>| change.changed.iter().any(|shown| cross.contains(shown));
    if !changes_cross_document(head_cross_document) {
        let wanted = change.base_files(base).filter(|shown| {
            change.changed.contains(*shown) || head_cross_document.contains(*shown)
        });
        let checked = check(
            inputs(base, wanted, scope)?,
            policies,
            config,
            &Progress::hidden(),
            &base.named_files(config.limits.max_file_size),
            request.jobs,
        );
        if !changes_cross_document(&checked.cross_document) {
            let at_changed = checked
                .report
                .findings
                .into_iter()
                .filter(|f| change.changed.contains(&f.location.path));
            let at_unchanged = head
                .findings
                .iter()
                .filter(|f| change.unchanged.contains(&f.location.path))
                .cloned();
            return Ok(at_changed.chain(at_unchanged).collect());
        }
    }
    let all = check(
        inputs(base, change.base_files(base), scope)?,
        policies,
        config,
        &Progress::hidden(),
        &base.named_files(config.limits.max_file_size),
        request.jobs,
    );
    Ok(all.report.findings)
}

/// Findings of a file moved without a change: new at its new path and fixed at its old one
/// by fingerprint (which holds the path), they are the same findings when rule and locator
/// agree, so they are unchanged and not fixed.
pub fn follow_renames(report: &mut Report, renamed: &BTreeMap<String, String>) {
    for (new_path, old_path) in renamed {
        let moved = report.findings.iter_mut().filter(|f| {
            f.location.path == *new_path && f.baseline_state == Some(BaselineState::New)
        });
        for finding in moved {
            let before = report.fixed.iter().position(|b| {
                b.path == *old_path && b.rule == finding.rule && b.locator == finding.locator
            });
            if let Some(i) = before {
                report.fixed.remove(i);
                finding.baseline_state = Some(BaselineState::Unchanged);
            }
        }
    }
}

/// The base's content of these files, as scan inputs; those outside `scope` for their facts
/// only.
fn inputs<'a>(
    base: &BaseTree,
    shown: impl Iterator<Item = &'a str>,
    scope: &Scope,
) -> Result<Vec<Input>, BaseError> {
    // The rules files the base's `firebase.json` files deploy are read as what they are.
    let mut deployed: BTreeMap<String, detect::Candidate> = BTreeMap::new();
    for (config, file) in base
        .files()
        .filter(|(shown, _)| detect::is_firebase_json(shown))
    {
        if let Ok(text) = String::from_utf8(base.read(config, file)?) {
            for deployment in detect::firebase_deployments(config, &text) {
                deployed.insert(deployment.target, deployment.candidate);
            }
        }
    }
    let mut inputs = Vec::new();
    for shown in shown {
        let candidate = deployed
            .get(shown)
            .copied()
            .or_else(|| detect::candidate(shown));
        let (Some(candidate), Some(file)) = (candidate, base.get(shown)) else {
            continue;
        };
        // Data files are judged by name: their content is never read.
        let bytes = if candidate.format() == Format::FILE_NAME {
            Vec::new()
        } else {
            base.read(shown, file)?
        };
        inputs.push(Input {
            shown: shown.to_owned(),
            candidate,
            content: Content::Bytes(bytes),
            context: !scope.covers(shown),
            chart: None,
        });
    }
    crate::read::claim_chart_templates(&mut inputs);
    Ok(inputs)
}
