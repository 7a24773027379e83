//! Cross-document facts: what one document is because of another (the profile a site uses
//! for its guests, …). They are computed by code here, over every document, before
//! evaluation, and exposed to policies by name only (`facts: [salesforce/guest-profile]`),
//! so policies stay declarative. A provider keeps only the small summaries it needs, never
//! whole trees.

mod salesforce_guest;

use std::collections::HashMap;

use crate::detect::Kind;
use crate::document::Document;

/// A fact a policy may require, with what it means (for `doublecheck policies --facts`).
pub struct FactInfo {
    pub name: &'static str,
    pub description: &'static str,
}

/// Every fact a policy can name.
pub const FACTS: &[FactInfo] = &[salesforce_guest::INFO];

/// Kinds whose documents some fact provider reads: they are kept until facts are built.
pub fn needs_kind(kind: &Kind) -> bool {
    salesforce_guest::KINDS.contains(&kind.as_str())
}

/// Why a fact holds: a node, possibly in another document, shown as a related location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Index of the document in the scan's document list.
    pub document: usize,
    pub pointer: String,
    pub message: String,
}

/// The facts established for each document.
#[derive(Debug, Default)]
pub struct FactIndex {
    facts: HashMap<(usize, &'static str), Vec<Evidence>>,
}

impl FactIndex {
    /// Runs every provider over the documents of one scan.
    pub fn build(documents: &[Document]) -> Self {
        let mut index = FactIndex::default();
        salesforce_guest::provide(documents, &mut index);
        index
    }

    pub fn add(&mut self, document: usize, fact: &'static str, evidence: Evidence) {
        let list = self.facts.entry((document, fact)).or_default();
        if !list.contains(&evidence) {
            list.push(evidence);
        }
    }

    /// The evidence for `fact` on `document`, or `None` when it does not hold.
    pub fn get(&self, document: usize, fact: &str) -> Option<&[Evidence]> {
        FACTS
            .iter()
            .find(|f| f.name == fact)
            .and_then(|f| self.facts.get(&(document, f.name)))
            .map(Vec::as_slice)
    }
}
