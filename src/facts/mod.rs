//! Cross-document facts: what a document, or a node in it, is because of other documents or
//! of the repository's settings (the profile a site uses for its guests, the Apex class an
//! access entry names, whether an object holds personal data). They are computed by code
//! here, over every document, before evaluation, and exposed to policies by name only
//! (`facts: [salesforce/guest-access]`), so policies stay declarative.
//!
//! A fact has a scope: a document fact must hold for the document before a policy looks at
//! it; a node fact must hold for each node the policy selects (nodes it does not hold for are
//! skipped). Evidence becomes the finding's related locations.
//!
//! A scan does not hold every document at once (see [`crate::schedule`]). Providers run over
//! the documents of one batch of files together with the documents of the kinds some
//! provider lists in [`Provider::read_first`], which are read before everything else and
//! kept to the end. So the facts a provider establishes for a document may depend only on
//! that document, the documents read with it (a Terraform folder) and `read_first`
//! documents; and facts about `read_first` documents, which are evaluated last, only on
//! other `read_first` documents and the documents its [`Provider::keep`] kept for them.

pub mod access;
pub mod firebase;
mod first_read_passes;
mod given;
mod kubernetes;
pub mod network;
mod origins;
mod patterns;
pub mod powerpages;
pub mod publishing;
pub mod salesforce;
pub mod supabase;
mod terraform;
mod tree;

use std::any::Any;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::document::Kind;
use crate::document::{Document, Evidence};
use crate::resolve::Origin;

pub use firebase::FirebaseSettings;
pub use first_read_passes::{FirstReadPasses, Readers};
pub use given::Given;
pub use network::NetworkSettings;
pub use patterns::Patterns;
pub use powerpages::PowerPagesSettings;
pub use publishing::PublishingSettings;
pub use salesforce::SalesforceSettings;
pub use supabase::SupabaseSettings;

/// What the fact providers read from `.doublecheck.yml`: each pack's settings, whose types
/// and defaults live beside the pack's facts.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub salesforce: SalesforceSettings,
    pub network: NetworkSettings,
    pub publishing: PublishingSettings,
    pub firebase: FirebaseSettings,
    pub powerpages: PowerPagesSettings,
    pub supabase: SupabaseSettings,
}

/// Whether a fact is about a whole document or about the nodes a policy selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Document,
    Node,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Document => "document",
            Scope::Node => "node",
        }
    }
}

/// A fact a policy may require, with what it means (for `doublecheck policies --facts`).
pub struct FactInfo {
    pub name: &'static str,
    pub scope: Scope,
    pub description: &'static str,
}

/// One family of facts: what it can establish, which kinds it reads, and the code that
/// establishes them over a scan's documents. Adding a pack's facts is one entry in
/// [`PROVIDERS`].
pub struct Provider {
    pub facts: &'static [FactInfo],
    /// The kinds it reads; it establishes facts only for documents of these kinds.
    pub kinds: &'static [&'static str],
    /// Establishes the facts of the documents given (see the module's docs and [`Given`]):
    /// those of [`Given::targets`] are kept. The second argument is what
    /// [`Provider::prepare`] made of the first-read documents; a batch's facts should not
    /// go over those again but for the kinds in [`Provider::revisits`].
    pub provide: fn(&Given, &Prepared, &Settings, &mut FactIndex),
    /// Work over the first-read documents (of its kinds) that every batch would otherwise
    /// repeat, done once per scan (a Salesforce org's field metadata, thousands of fields,
    /// was summarised again for every batch of profiles). What it returns refers to the
    /// documents by their index among those of its kinds, which every batch's facts see
    /// first, in the same order.
    pub prepare: fn(&[&Document], &Settings) -> Prepared,
    /// Kinds whose documents give facts to documents of other files (a site names its
    /// guest profile), or take facts from them (a CMS config from its repository's branch
    /// protections): read before all other files, kept, and evaluated last. They must be
    /// few and small, and their kind known from the path ([`crate::detect::expected_kind`]).
    pub read_first: &'static [&'static str],
    /// The first-read kinds whose documents its facts for each batch look at again (the
    /// rest of what it needs of them, [`Provider::prepare`] made once). A batch such a
    /// provider reads holds more files, in proportion to those documents (see
    /// [`FirstReadPasses`]).
    pub revisits: &'static [&'static str],
    /// Given the `read_first` documents, decides once which documents of other kinds they
    /// need: those are kept, after their own evaluation, until the end.
    pub keep: fn(&[&Document]) -> Keep,
    /// Every kind [`Provider::keep`] may keep: a scan of part of a repository that reports
    /// on a first-read document of this provider's reads the documents of these kinds from
    /// the rest of it.
    pub keeps: &'static [&'static str],
    /// For a `read_first` kind it reads, the nodes it needs of such a document (`None`:
    /// all of it). Documents whose every reader names its nodes, and that no policy
    /// checks, are cut down to those nodes once read ([`Document::slim`]): an org's
    /// thousands of Apex classes and object definitions are held for a line each.
    pub slim: fn(&str) -> Option<NodeFilter>,
}

impl Provider {
    /// A provider whose facts come from the documents of one batch alone: nothing is
    /// prepared, read first, kept or cut down for it.
    pub(crate) const fn of_batch(
        facts: &'static [FactInfo],
        kinds: &'static [&'static str],
        provide: fn(&Given, &Prepared, &Settings, &mut FactIndex),
    ) -> Provider {
        Provider {
            facts,
            kinds,
            provide,
            prepare: prepare_nothing,
            read_first: &[],
            revisits: &[],
            keep: keep_nothing,
            keeps: &[],
            slim: slim_nothing,
        }
    }
}

const PROVIDERS: &[&Provider] = &[
    &salesforce::PROVIDER,
    &network::PROVIDER,
    &kubernetes::PROVIDER,
    &access::PROVIDER,
    &publishing::PROVIDER,
    &firebase::PROVIDER,
    &powerpages::PROVIDER,
    &supabase::PROVIDER,
];

/// Every fact a policy can name, in provider order.
pub fn all() -> impl Iterator<Item = &'static FactInfo> {
    PROVIDERS.iter().flat_map(|p| p.facts.iter())
}

pub fn info(name: &str) -> Option<&'static FactInfo> {
    all().find(|f| f.name == name)
}

/// Kinds whose documents some fact provider reads: they are kept until facts are built.
pub fn needs_kind(kind: &Kind) -> bool {
    PROVIDERS.iter().any(|p| p.kinds.contains(&kind.as_str()))
}

/// Kinds read before all others and kept to the end (see [`Provider::read_first`]).
pub fn read_first(kind: &str) -> bool {
    PROVIDERS.iter().any(|p| p.read_first.contains(&kind))
}

/// The kinds of the documents that may be kept for a first-read document of `kind` (see
/// [`Provider::keeps`]).
pub fn kept_kinds(kind: &str) -> impl Iterator<Item = &'static str> {
    PROVIDERS
        .iter()
        .filter(move |p| p.read_first.contains(&kind))
        .flat_map(|p| p.keeps.iter().copied())
}

/// Whether the `read_first` documents need a document of another kind at the end.
pub type Keep = Box<dyn Fn(&Document) -> bool + Send + Sync>;

/// Every provider's [`Keep`] for the scan's `read_first` documents, decided once (a check
/// per document that went over them all would cost the scan the square of its size).
pub struct Keeper(Vec<Keep>);

impl Keeper {
    pub fn new(first: &[&Document]) -> Self {
        Keeper(PROVIDERS.iter().map(|p| (p.keep)(first)).collect())
    }

    pub fn keeps(&self, document: &Document) -> bool {
        self.0.iter().any(|keep| keep(document))
    }
}

/// What a provider prepared once over the first-read documents, if anything.
pub type Prepared = Option<Arc<dyn Any + Send + Sync>>;

/// Every provider's [`Prepared`] for the scan's `read_first` documents, made once.
pub struct Preparation {
    prepared: Vec<Prepared>,
    /// For each provider, the first-read documents of its kinds, by index: found once, not
    /// again for every batch (a scan of many batches and many first-read documents would
    /// otherwise cost their product).
    first_of_kinds: Vec<Vec<usize>>,
    first_len: usize,
}

impl Preparation {
    pub fn new(first: &[&Document], settings: &Settings) -> Self {
        let mut prepared = Vec::with_capacity(PROVIDERS.len());
        let mut first_of_kinds = Vec::with_capacity(PROVIDERS.len());
        for provider in PROVIDERS {
            let (chosen, seen) = of_kinds(first, provider);
            prepared.push((provider.prepare)(&seen, settings));
            first_of_kinds.push(chosen);
        }
        Preparation {
            prepared,
            first_of_kinds,
            first_len: first.len(),
        }
    }
}

/// For providers with nothing to prepare.
pub(crate) fn prepare_nothing(_: &[&Document], _: &Settings) -> Prepared {
    None
}

/// The documents a provider reads, with their indexes among `documents`.
fn of_kinds<'a>(
    documents: &[&'a Document],
    provider: &Provider,
) -> (Vec<usize>, Vec<&'a Document>) {
    (0..documents.len())
        .filter(|&i| provider.kinds.contains(&documents[i].kind.as_str()))
        .map(|i| (i, documents[i]))
        .unzip()
}

/// For providers that keep nothing.
pub(crate) fn keep_nothing(_: &[&Document]) -> Keep {
    Box::new(|_| false)
}

/// Whether a provider needs the node at a JSON Pointer.
pub type NodeFilter = fn(&str) -> bool;

/// For providers that need whole documents.
pub(crate) fn slim_nothing(_: &str) -> Option<NodeFilter> {
    None
}

/// The nodes of a document of `kind` that fact providers need, when every provider that
/// reads the kind names them (see [`Provider::slim`]): one test per provider, a node is
/// needed when any of them says so.
pub fn slim_filter(kind: &str) -> Option<Vec<NodeFilter>> {
    let filters = PROVIDERS
        .iter()
        .filter(|p| p.kinds.contains(&kind))
        .map(|p| (p.slim)(kind))
        .collect::<Option<Vec<_>>>()?;
    (!filters.is_empty()).then_some(filters)
}

/// Keyed by pointers and document numbers, looked up for every selected node: foldhash,
/// randomly seeded, not SipHash.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The facts established for each document and node.
#[derive(Debug, Default)]
pub struct FactIndex {
    documents: FastMap<(usize, &'static str), Vec<Evidence>>,
    nodes: FastMap<(usize, &'static str), FastMap<String, Vec<Evidence>>>,
    /// Nodes whose value was substituted from elsewhere (see [`crate::resolve`]).
    origins: FastMap<usize, Vec<Origin>>,
}

impl FactIndex {
    /// Runs the providers over the documents given together (see the module's docs), for
    /// the facts of `documents[evaluated]`. Each provider sees only the documents of its
    /// kinds, and one none of whose kinds is among `evaluated` has nothing to say about
    /// them and is not run: a batch of Kubernetes manifests costs no pass over the
    /// first-read Salesforce sites, a batch of profiles none over the CODEOWNERS files.
    ///
    /// `prepared` was made over the first-read documents, which must open `documents`.
    pub fn build(
        documents: &[&Document],
        evaluated: Range<usize>,
        prepared: &Preparation,
        settings: &Settings,
    ) -> Self {
        let mut index = FactIndex::default();
        let targets = &documents[evaluated.clone()];
        let first_len = prepared.first_len.min(documents.len());
        for (p, provider) in PROVIDERS.iter().enumerate() {
            let reads = |d: &Document| provider.kinds.contains(&d.kind.as_str());
            if !targets.iter().any(|d| reads(d)) {
                continue;
            }
            // The first-read documents of the provider's kinds are known; the others are
            // looked for.
            let first = prepared.first_of_kinds[p].iter().copied();
            let first = first.filter(|&i| i < first_len);
            let rest = (first_len..documents.len()).filter(|&i| reads(documents[i]));
            let chosen: Vec<usize> = first.chain(rest).collect();
            let seen: Vec<&Document> = chosen.iter().map(|&i| documents[i]).collect();
            let (first, targets) = split(&chosen, first_len, &evaluated);
            let given = Given {
                documents: &seen,
                first,
                targets,
            };
            let mut part = FactIndex::default();
            (provider.provide)(&given, &prepared.prepared[p], settings, &mut part);
            index.absorb(part, &chosen);
        }
        index
    }

    /// Adds the facts of `part`, whose document `i` is document `global[i]` here.
    fn absorb(&mut self, part: FactIndex, global: &[usize]) {
        let evidence = |mut e: Evidence| {
            e.document = global[e.document];
            e
        };
        for ((document, fact), list) in part.documents {
            let entry = self.documents.entry((global[document], fact)).or_default();
            for e in list {
                push_unique(entry, Some(evidence(e)));
            }
        }
        for ((document, fact), nodes) in part.nodes {
            let entry = self.nodes.entry((global[document], fact)).or_default();
            for (pointer, list) in nodes {
                let slot = entry.entry(pointer).or_default();
                for e in list {
                    push_unique(slot, Some(evidence(e)));
                }
            }
        }
    }

    /// Records that a document fact holds; `evidence` may be `None` for a fact that holds by
    /// the settings alone.
    pub fn add(&mut self, document: usize, fact: &'static str, evidence: Option<Evidence>) {
        let list = self.documents.entry((document, fact)).or_default();
        push_unique(list, evidence);
    }

    /// Records that a node fact holds for the node at `pointer`.
    pub fn add_node(
        &mut self,
        document: usize,
        pointer: String,
        fact: &'static str,
        evidence: Option<Evidence>,
    ) {
        let list = self
            .nodes
            .entry((document, fact))
            .or_default()
            .entry(pointer)
            .or_default();
        push_unique(list, evidence);
    }

    /// Records that a node fact holds for the node at `pointer`, with every piece of
    /// `evidence` (one lookup for them all).
    pub fn add_node_with(
        &mut self,
        document: usize,
        pointer: String,
        fact: &'static str,
        evidence: &[Evidence],
    ) {
        let list = self
            .nodes
            .entry((document, fact))
            .or_default()
            .entry(pointer)
            .or_default();
        for e in evidence {
            push_unique(list, Some(e.clone()));
        }
    }

    /// The evidence for a document fact, or `None` when it does not hold.
    pub fn get(&self, document: usize, fact: &str) -> Option<&[Evidence]> {
        let fact = info(fact)?.name;
        self.documents.get(&(document, fact)).map(Vec::as_slice)
    }

    /// The evidence for a node fact on the node at `pointer`, or `None`.
    pub fn get_node(&self, document: usize, pointer: &str, fact: &str) -> Option<&[Evidence]> {
        let fact = info(fact)?.name;
        self.nodes
            .get(&(document, fact))?
            .get(pointer)
            .map(Vec::as_slice)
    }

    /// Whether a node fact holds for any node of the document.
    pub fn has_node_fact(&self, document: usize, fact: &str) -> bool {
        info(fact).is_some_and(|info| self.nodes.contains_key(&(document, info.name)))
    }

    /// Every document a document fact holds for, in index order.
    pub fn documents_with(&self, fact: &'static str) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .documents
            .keys()
            .filter(|(_, f)| *f == fact)
            .map(|(d, _)| *d)
            .collect();
        found.sort_unstable();
        found
    }
}

/// Among the documents a provider is given (`chosen`, their ascending indexes among those
/// given together), how many are first-read ones (those before `first_len`) and which are
/// wanted (those in `evaluated`).
fn split(chosen: &[usize], first_len: usize, evaluated: &Range<usize>) -> (usize, Range<usize>) {
    let before = |end: usize| chosen.partition_point(|&i| i < end);
    (
        before(first_len),
        before(evaluated.start)..before(evaluated.end),
    )
}

fn push_unique(list: &mut Vec<Evidence>, evidence: Option<Evidence>) {
    if let Some(evidence) = evidence
        && !list.contains(&evidence)
    {
        list.push(evidence);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_fact_is_known_per_document_once_any_node_has_it() {
        let fact = network::INGRESS_TO_ADMIN_PORT;
        let mut index = FactIndex::default();
        index.add_node(1, "/Resources/Open".to_owned(), fact, None);
        assert!(index.has_node_fact(1, fact));
        assert!(!index.has_node_fact(0, fact));
        assert!(!index.has_node_fact(1, network::INTERNET_TO_ADMIN_PORT));
        assert!(!index.has_node_fact(1, "no/such-fact"));
        assert!(index.get_node(1, "/Resources/Open", fact).is_some());
    }

    /// A provider is told where its first-read documents end and which it is given are
    /// wanted: a batch's own after the first-read ones, or at the end the first-read ones
    /// and those found late, not the documents kept for them.
    #[test]
    fn a_provider_is_told_its_first_read_and_wanted_documents() {
        // Documents 0..6 are first-read; the provider reads 0, 2 and 5 of them.
        let batch = [0, 2, 5, 7, 9];
        assert_eq!(split(&batch, 6, &(6..10)), (3, 3..5));
        // At the end: 0..8 evaluated (6 and 7 found late), 9 kept.
        let end = [0, 2, 5, 7, 9];
        assert_eq!(split(&end, 6, &(0..8)), (3, 0..4));
        assert_eq!(split(&[], 6, &(6..10)), (0, 0..0));
    }
}
