//! What a scan reads: the walk's files made inputs, with the rules files a `firebase.json`
//! deploys, the files of Helm charts, and (in a scan of part of a repository) the files of
//! the rest that facts are taken from.

use std::collections::BTreeSet;

use super::reading::allow_unchecked;
use super::{ScanRequest, deployed};
use crate::config::Limits;
use crate::detect;
use crate::document::{SourceFile, Span};
use crate::finding::UNREADABLE;
use crate::read::{Content, Input};
use crate::report::Report;
use crate::walk::{WalkError, WalkedFile, walk};

/// The files of a scan on disk, and the paths that could not be walked. When the scan is of
/// part of a repository, the files of the rest that facts are taken from come too, marked
/// [`Input::context`] (see [`crate::schedule::context`]); what could not be walked there is
/// not reported.
pub(crate) fn walk_inputs(request: &ScanRequest) -> Walked {
    let excludes = &request.config.exclude;
    let wanted = |shown: &str| detect::candidate(shown).is_some() && !excludes.excludes(shown);
    let threads = crate::workers::threads(request.jobs);
    let walked = walk(&request.paths, &request.root, wanted, threads);
    let mut inputs = inputs_of(walked.files, false);
    let scope = request.scope();
    let max_bytes = request.config.limits.max_file_size;
    // The rules files a `firebase.json` deploys are read as what they are, in a scan of part
    // of the repository too: its `firebase.json` files are looked for in all of it.
    let rest = request.reads_context().then(|| {
        let requested: BTreeSet<String> = inputs.iter().map(|i| i.shown.clone()).collect();
        let rest = walk(
            std::slice::from_ref(&request.root),
            &request.root,
            |shown| wanted(shown) && !requested.contains(shown),
            threads,
        );
        inputs_of(rest.files, true)
    });
    let configs = deployed::configs(
        &inputs
            .iter()
            .chain(rest.iter().flatten())
            .collect::<Vec<_>>(),
        max_bytes,
    );
    let lookup = |shown: &str| {
        let path = request.root.join(shown);
        if !path.exists() {
            deployed::Lookup::Missing
        } else if excludes.excludes(shown) || !scope.covers(shown) {
            deployed::Lookup::Skip
        } else {
            deployed::Lookup::Read(Content::Disk { path, len: None })
        }
    };
    let missing = deployed::apply(&mut inputs, &configs, lookup, |shown| scope.covers(shown));
    // Which templates are a chart's depends on the Chart.yaml files of the whole tree.
    let charts = detect::ChartRoots::new(
        inputs
            .iter()
            .chain(rest.iter().flatten())
            .map(|input| input.shown.as_str()),
    );
    crate::read::claim_chart_files(&charts, &mut inputs);
    if let Some(mut rest) = rest {
        deployed::apply(&mut rest, &configs, |_| deployed::Lookup::Skip, |_| false);
        crate::read::claim_chart_files(&charts, &mut rest);
        let context = crate::schedule::context(&inputs, rest);
        inputs.extend(context);
        // In the walk's order, as a scan of the whole root reads them.
        inputs.sort_by(|a, b| a.shown.cmp(&b.shown));
    }
    Walked {
        inputs,
        errors: walked.errors,
        missing,
    }
}

/// The files of a scan on disk, and what was found missing on the way.
pub(crate) struct Walked {
    pub inputs: Vec<Input>,
    /// Paths that could not be walked.
    pub errors: Vec<WalkError>,
    /// Rules files a `firebase.json` deploys that do not exist.
    pub missing: Vec<deployed::MissingFile>,
}

fn inputs_of(files: Vec<WalkedFile>, context: bool) -> Vec<Input> {
    files
        .into_iter()
        .filter_map(|file| {
            Some(Input {
                candidate: detect::candidate(&file.shown)?,
                shown: file.shown,
                content: match file.refused {
                    Some(reason) => Content::Refused(reason),
                    None => Content::Disk {
                        path: file.path,
                        len: Some(file.len),
                    },
                },
                context,
                chart: None,
            })
        })
        .collect()
}

/// Paths that could not be walked are `DC-UNREADABLE` findings.
pub(crate) fn push_walk_errors(report: &mut Report, errors: Vec<WalkError>, limits: &Limits) {
    for error in errors {
        let source = SourceFile::new(error.shown, String::new());
        let mut finding = UNREADABLE.finding(
            &source,
            Span::default(),
            format!("cannot read this path: {}", error.message),
        );
        if !allow_unchecked(&mut finding, limits) {
            report.unreadable += 1;
        }
        report.findings.push(finding);
    }
}

/// The bytes `inputs` will read (asked only of a scan of few files: see
/// [`Workers::for_files`]).
pub(super) fn input_bytes(inputs: &[Input]) -> u64 {
    inputs.iter().map(Input::bytes).sum()
}
