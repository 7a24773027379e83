//! One batch of files checked beside the first-read documents: charts rendered, the files
//! its configurations name read, values resolved, facts given, documents evaluated.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::excerpts;
use super::named;
use super::reported::evaluate_reported;
use super::tally::Tally;
use crate::config::Config;
use crate::document::{Document, Location, SourceFile};
use crate::facts::{FactIndex, Keeper, Preparation};
use crate::finding::{Finding, Related, TEMPLATE};
use crate::policy::PolicySet;
use crate::read::NamedFiles;
use crate::workers::Workers;

/// What a batch leaves for the end of the scan.
pub(super) struct Batched {
    /// Documents of a kind read first that the path did not announce: evaluated last.
    pub late: Vec<Document>,
    /// Documents the first-read documents need (see [`Keeper`]).
    pub kept: Vec<Document>,
}

/// What every batch is checked beside: the first-read documents and what was decided once
/// about them.
pub(super) struct BatchContext<'a> {
    pub first: &'a [&'a Document],
    pub keeper: &'a Keeper,
    pub prepared: &'a Preparation,
    /// The files read only for their facts (by shown path).
    pub facts_only: &'a BTreeSet<String>,
    /// Where the files configurations name by path are read.
    pub named: &'a dyn NamedFiles,
    pub workers: Workers,
}

/// Resolves, gives facts to and evaluates one batch's documents beside the first-read
/// documents.
pub(super) fn check_batch(
    documents: Vec<Document>,
    context: &BatchContext<'_>,
    policies: &PolicySet,
    config: &Config,
    tally: &mut Tally,
) -> Batched {
    let (late, documents): (Vec<Document>, Vec<Document>) = documents
        .into_iter()
        .partition(|d| crate::facts::read_first(d.kind.as_str()));
    let charts = crate::resolve::helm::render_charts(documents, &config.helm.values);
    // A scan of part of a repository reports only on what it names (a chart's note sits at
    // its Chart.yaml).
    tally.findings.extend(
        charts
            .notes
            .into_iter()
            .filter(|note| !context.facts_only.contains(&note.source.path))
            .map(chart_note),
    );
    let mut documents = charts.documents;
    // A change to a file a configuration reads can change findings in the configuration.
    for shown in named::add(&mut documents, context.named) {
        tally.cross_document.insert(shown.clone());
        tally.named.insert(shown);
    }
    let mut origins = charts.origins;
    origins.extend(crate::resolve::resolve(&mut documents));
    let first = context.first;
    let all: Vec<&Document> = first.iter().copied().chain(&documents).collect();
    let mut facts = FactIndex::build(
        &all,
        first.len()..all.len(),
        context.prepared,
        &config.facts,
    );
    facts.add_origins(origins.into_iter().map(|o| o.shifted(first.len())));
    (tally.findings).extend(evaluate_reported(
        &all,
        first.len()..all.len(),
        context.facts_only,
        policies,
        &facts,
        context.workers,
    ));
    let batch: Vec<Arc<SourceFile>> = documents.iter().map(|d| Arc::clone(&d.source)).collect();
    tally.excerpts.extend(excerpts(&tally.findings, &batch));
    drop(all);
    let kept = documents
        .into_iter()
        .filter(|d| context.keeper.keeps(d))
        .collect();
    Batched { late, kept }
}

/// The note for a chart that could not be rendered whole.
fn chart_note(note: crate::resolve::helm::ChartNote) -> Finding {
    let mut finding = TEMPLATE.finding(&note.source, note.span, note.message);
    finding.related = note
        .related
        .into_iter()
        .map(|(source, span, message)| Related {
            location: Location::new(&source, span),
            message,
        })
        .collect();
    finding
}
