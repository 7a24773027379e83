//! One scan, start to end: walk → detect → read and parse → facts → evaluate → sorted report.

mod batch;
pub(crate) mod deployed;
mod inputs;
pub(crate) mod named;
mod parse_rates;
mod reading;
mod reported;
mod tally;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::detect;
use crate::document::{Document, Excerpt, SourceFile};
use crate::facts::{FactIndex, Keeper, Preparation};
use crate::filter::suppress::{self, FileSuppressions};
use crate::finding::Finding;
use crate::policy::PolicySet;
use crate::progress::Progress;
use crate::read::{Content, Input, NamedFiles};
use crate::report::{Report, RuleInfo};
use crate::walk::{anchor, shown_path};
use crate::workers::Workers;
use batch::{BatchContext, Batched, check_batch};
use reported::evaluate_reported;
use tally::Tally;

use inputs::input_bytes;
pub(crate) use inputs::{Walked, push_walk_errors, walk_inputs};
use reading::{read_checked, read_input, slim_unchecked};

pub use parse_rates::{FormatRates, ParseRates, ReferenceRates, parse_rates};

/// What to scan: paths, and the root every shown path is relative to.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    pub paths: Vec<PathBuf>,
    pub root: PathBuf,
    /// Whether the root is a repository's top folder (see [`crate::walk::root::Root`]): a scan of
    /// part of it then reads the files of the rest that facts are taken from, without
    /// reporting on them. Otherwise facts come from the scanned files alone.
    pub repository: bool,
    /// Settings the fact providers read (`.doublecheck.yml`).
    pub config: Config,
    /// Where the scan reports how far it is.
    pub progress: Progress,
    /// `--jobs`: worker threads (see [`crate::workers`]).
    pub jobs: Option<usize>,
}

impl ScanRequest {
    /// The files this scan reports on.
    pub fn scope(&self) -> Scope {
        let root = anchor(&self.root);
        let prefixes = self
            .paths
            .iter()
            .map(|path| {
                let path = anchor(path);
                if path == root {
                    String::new()
                } else {
                    shown_path(&path, &root)
                }
            })
            .collect();
        Scope { prefixes }
    }

    /// Where the files configurations name by path are read: under the root on disk.
    pub(crate) fn named_files(&self) -> named::DiskFiles<'_> {
        let max_bytes = self.config.limits.max_file_size;
        named::DiskFiles::new(&self.root, &self.config.exclude, max_bytes)
    }

    /// Whether files outside the scanned paths are read for the facts they give.
    pub(crate) fn reads_context(&self) -> bool {
        self.repository && !self.scope().is_whole()
    }
}

/// The files a scan reports on, by shown path: those inside the scanned paths. A scan of part
/// of a repository reads the files of the rest that facts are taken from (a site naming a
/// guest profile, CODEOWNERS), but never reports on them, so what it says of a file is what a
/// scan of the whole repository says of it.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The scanned paths, shown; empty for the root itself.
    prefixes: Vec<String>,
}

impl Scope {
    /// Whether the file shown as `shown` is inside the scanned paths.
    pub fn covers(&self, shown: &str) -> bool {
        self.prefixes.iter().any(|prefix| {
            prefix.is_empty()
                || shown
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    /// Whether the scan covers the whole root.
    pub fn is_whole(&self) -> bool {
        self.prefixes.iter().any(String::is_empty)
    }
}

/// Scans files on disk.
pub fn scan(request: &ScanRequest, policies: &PolicySet) -> Report {
    let policies = &policies.registry(&request.config.rules);
    let walked = walk_inputs(request);
    let named = request.named_files();
    let mut report = check_inputs(
        walked.inputs,
        policies,
        &request.config,
        &request.progress,
        &named,
        request.jobs,
    );
    push_walk_errors(&mut report, walked.errors, &request.config.limits);
    deployed::report_missing(&mut report, walked.missing);
    sort(&mut report.findings);
    set_root(&mut report, request);
    report
}

/// What walking, reading and parsing alone came to (`scan --parse-only`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ParseCount {
    /// Files of a known kind that were read and parsed.
    pub files: usize,
    pub documents: usize,
    /// Files of a known kind that could not be read or parsed.
    pub failed: usize,
}

/// Walks, reads and parses every candidate file exactly as [`scan`] does, and evaluates
/// nothing: the floor a scan's time is measured against (bench/run.sh).
pub fn parse_only(request: &ScanRequest) -> ParseCount {
    let Walked {
        mut inputs, errors, ..
    } = walk_inputs(request);
    inputs.retain(|input| !input.context);
    request.progress.set_total(inputs.len() as u64);
    let limits = &request.config.limits;
    let workers = Workers::for_files(request.jobs, inputs.len(), || input_bytes(&inputs));
    let counts = workers.map(inputs, |input| {
        let (outcome, _) = read_input(input, limits);
        request.progress.inc(1);
        ParseCount {
            files: usize::from(outcome.checked),
            documents: outcome.documents.len(),
            failed: usize::from(outcome.unchecked),
        }
    });
    let mut count = counts
        .into_iter()
        .fold(ParseCount::default(), |a, b| ParseCount {
            files: a.files + b.files,
            documents: a.documents + b.documents,
            failed: a.failed + b.failed,
        });
    request.progress.finish();
    count.failed += errors.len();
    count
}

/// Scans files given in memory (policy examples), exactly as a scan on disk would, with the
/// default settings.
pub fn scan_memory(files: &[(String, String)], policies: &PolicySet) -> Report {
    let mut inputs: Vec<Input> = files
        .iter()
        .filter_map(|(shown, text)| {
            Some(Input {
                shown: shown.clone(),
                candidate: detect::candidate(shown)?,
                content: Content::Memory(text.clone()),
                context: false,
                chart: None,
            })
        })
        .collect();
    let configs: Vec<(String, String)> = files
        .iter()
        .filter(|(shown, _)| detect::is_firebase_json(shown))
        .cloned()
        .collect();
    let lookup = |target: &str| match files.iter().find(|(shown, _)| shown == target) {
        Some((_, text)) => deployed::Lookup::Read(Content::Memory(text.clone())),
        None => deployed::Lookup::Missing,
    };
    let missing = deployed::apply(&mut inputs, &configs, lookup, |_| true);
    crate::read::claim_chart_templates(&mut inputs);
    let named = named::MemoryFiles(files);
    let config = Config::default();
    let progress = Progress::hidden();
    let mut report = check_inputs(inputs, policies, &config, &progress, &named, None);
    deployed::report_missing(&mut report, missing);
    sort(&mut report.findings);
    report
}

fn check_inputs(
    inputs: Vec<Input>,
    policies: &PolicySet,
    config: &Config,
    progress: &Progress,
    named: &dyn NamedFiles,
    jobs: Option<usize>,
) -> Report {
    check(inputs, policies, config, progress, named, jobs).report
}

/// A checked set of inputs: the report, and the files holding documents that fact providers
/// or the resolver read (a change to one of them can change findings in other files).
pub(crate) struct Checked {
    pub report: Report,
    pub cross_document: BTreeSet<String>,
    /// The files read because a configuration names them by path (among `cross_document`).
    pub named: BTreeSet<String>,
}

/// Files the configurations name by path (`file("policy.json")`) are read through `named`,
/// from the same side as `inputs`.
pub(crate) fn check(
    inputs: Vec<Input>,
    policies: &PolicySet,
    config: &Config,
    progress: &Progress,
    named: &dyn NamedFiles,
    jobs: Option<usize>,
) -> Checked {
    progress.set_total(inputs.len() as u64);
    let workers = Workers::for_files(jobs, inputs.len(), || input_bytes(&inputs));
    // Files read only for their facts: never evaluated, never reported on.
    let facts_only: BTreeSet<String> = inputs
        .iter()
        .filter(|input| input.context)
        .map(|input| input.shown.clone())
        .collect();
    let schedule = crate::schedule::schedule(inputs);
    let read = |input: Input| {
        let outcome = read_checked(input, policies, config);
        progress.inc(1);
        outcome
    };

    // The documents other files take facts from, or that take facts from other files:
    // read first, kept, evaluated last.
    let mut tally = Tally::default();
    let outcomes = workers.map(schedule.first, |input| {
        let context = input.context;
        let mut outcome = read(input);
        slim_unchecked(&mut outcome.0.documents, policies, context);
        outcome
    });
    let mut last = tally.add(outcomes, &config.limits);
    let first: Vec<&Document> = last.iter().collect();
    let keeper = Keeper::new(&first);
    let prepared = Preparation::new(&first, &config.facts);

    // Everything else, batch by batch: each batch is dropped once evaluated, but for the
    // text of the files findings point into and what the first-read documents need.
    let batches: Vec<(Tally, Batched)> = workers.map(schedule.batches, |batch| {
        let mut tally = Tally::default();
        let outcomes: Vec<_> = batch.into_iter().map(read).collect();
        let documents = tally.add(outcomes, &config.limits);
        let context = BatchContext {
            first: &first,
            keeper: &keeper,
            prepared: &prepared,
            facts_only: &facts_only,
            named,
            workers,
        };
        let batched = check_batch(documents, &context, policies, config, &mut tally);
        (tally, batched)
    });
    drop(first);
    let mut kept = Vec::new();
    for (part, batched) in batches {
        tally.merge(part);
        last.extend(batched.late);
        kept.extend(batched.kept);
    }

    // The first-read documents, with the documents kept for them.
    let evaluated = last.len();
    let all: Vec<&Document> = last.iter().chain(&kept).collect();
    let facts = FactIndex::build(&all, 0..evaluated, &prepared, &config.facts);
    (tally.findings).extend(evaluate_reported(
        &all,
        0..evaluated,
        &facts_only,
        policies,
        &facts,
        workers,
    ));
    // A slim document's source is empty: its excerpt was kept when it was cut down (taken
    // below, for the files findings point into).
    let mut full: Vec<Arc<SourceFile>> = all
        .iter()
        .filter(|d| d.resolved.is_none())
        .map(|d| Arc::clone(&d.source))
        .collect();
    drop(all);

    crate::read::one_note_per_template_folder(&mut tally.findings);
    let mut report = Report {
        rules: RuleInfo::all(policies),
        documents: tally.documents,
        files_checked: tally.files_checked,
        files_unchecked: tally.files_unchecked,
        unreadable: tally.unreadable,
        findings: tally.findings,
        ..Report::default()
    };
    if config.suppressions.inline {
        apply_suppressions(&mut report, &tally.suppressions, policies, config);
    }
    // Files still held whole (first-read, kept, unparsed, with suppression comments) are
    // cut to their excerpts now, with every finding known; batch files were cut in their
    // batch, where all findings about them were made.
    full.extend(tally.unparsed);
    full.extend(tally.suppressions.iter().map(|s| Arc::clone(&s.source)));
    let mut sources = tally.excerpts;
    sources.extend(excerpts(&report.findings, &full));
    let shown: BTreeSet<&str> = report
        .findings
        .iter()
        .flat_map(|f| std::iter::once(&f.location).chain(f.related.iter().map(|r| &r.location)))
        .map(|l| l.path.as_str())
        .collect();
    for (path, excerpt) in last
        .into_iter()
        .chain(kept)
        .filter_map(Document::into_excerpt)
    {
        if shown.contains(path.as_str()) {
            sources.entry(path).or_insert(excerpt);
        }
    }
    report.sources = sources;
    progress.finish();
    Checked {
        report,
        cross_document: tally.cross_document,
        named: tally.named,
    }
}

/// The excerpts of the files among `sources` that findings point into, with every line
/// their snippets show.
fn excerpts(findings: &[Finding], sources: &[Arc<SourceFile>]) -> BTreeMap<String, Excerpt> {
    let mut locations: BTreeMap<&str, Vec<&crate::document::Location>> = BTreeMap::new();
    for finding in findings {
        let related = finding.related.iter().map(|r| &r.location);
        for location in std::iter::once(&finding.location).chain(related) {
            locations
                .entry(location.path.as_str())
                .or_default()
                .push(location);
        }
    }
    let mut excerpts = BTreeMap::new();
    for source in sources {
        if let Some(found) = locations.get(source.path.as_str())
            && !excerpts.contains_key(&source.path)
        {
            let excerpt = Excerpt::of(source, found.iter().copied());
            excerpts.insert(source.path.clone(), excerpt);
        }
    }
    excerpts
}

/// Applies the files' `doublecheck:ignore` comments (see [`crate::filter::suppress`]).
fn apply_suppressions(
    report: &mut Report,
    files: &[FileSuppressions],
    policies: &PolicySet,
    config: &Config,
) {
    if files.is_empty() {
        return;
    }
    let known: BTreeSet<String> = policies
        .policies
        .iter()
        .map(|p| p.id().to_owned())
        .collect();
    let settings = suppress::Settings {
        today: config
            .suppressions
            .today
            .unwrap_or_else(suppress::system_today),
        known: &known,
        disabled: &|id| config.rules.is_disabled(id),
        forbidden: &|id| config.suppressions.forbidden(id),
    };
    suppress::apply(&mut report.findings, files, &settings);
}

/// The scan root as a `file://` base for SARIF (`originalUriBaseIds`).
pub(crate) fn set_root(report: &mut Report, request: &ScanRequest) {
    report.root = std::fs::canonicalize(&request.root)
        .or_else(|_| std::path::absolute(&request.root))
        .ok();
}

pub(crate) fn sort(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
}
