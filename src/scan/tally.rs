//! What the files read so far came to: counts, findings, excerpts, suppressions, and the
//! files other files' findings depend on.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::reading::allow_unchecked;
use crate::config::Limits;
use crate::document::{Document, Excerpt, SourceFile};
use crate::filter::suppress::FileSuppressions;
use crate::finding::Finding;
use crate::read::FileOutcome;

/// What the files read so far came to, but for their documents.
#[derive(Default)]
pub(super) struct Tally {
    pub documents: usize,
    pub files_checked: usize,
    pub files_unchecked: usize,
    pub unreadable: usize,
    pub findings: Vec<Finding>,
    /// The lines of batch files findings point into.
    pub excerpts: BTreeMap<String, Excerpt>,
    pub unparsed: Vec<Arc<SourceFile>>,
    pub suppressions: Vec<FileSuppressions>,
    /// Files holding documents that fact providers or the resolver read.
    pub cross_document: BTreeSet<String>,
    /// Files read because a configuration names them by path.
    pub named: BTreeSet<String>,
}

impl Tally {
    /// Counts the files read and returns their documents.
    pub fn add(
        &mut self,
        outcomes: Vec<(FileOutcome, bool, usize)>,
        limits: &Limits,
    ) -> Vec<Document> {
        let mut documents = Vec::new();
        for (mut outcome, unreadable, parsed) in outcomes {
            self.documents += parsed;
            self.files_checked += usize::from(outcome.checked);
            self.files_unchecked += usize::from(outcome.unchecked);
            let mut allowed = false;
            if outcome.unchecked {
                for finding in &mut outcome.findings {
                    allowed |= allow_unchecked(finding, limits);
                }
            }
            self.unreadable += usize::from(unreadable && !allowed);
            self.findings.extend(outcome.findings);
            self.unparsed.extend(outcome.unparsed);
            self.suppressions.extend(outcome.suppressions);
            for document in &outcome.documents {
                if crate::facts::needs_kind(&document.kind)
                    || crate::resolve::needs_kind(&document.kind)
                {
                    self.cross_document.insert(document.source.path.clone());
                }
            }
            documents.extend(outcome.documents);
        }
        documents
    }

    pub fn merge(&mut self, other: Tally) {
        self.documents += other.documents;
        self.files_checked += other.files_checked;
        self.files_unchecked += other.files_unchecked;
        self.unreadable += other.unreadable;
        self.findings.extend(other.findings);
        self.excerpts.extend(other.excerpts);
        self.unparsed.extend(other.unparsed);
        self.suppressions.extend(other.suppressions);
        self.cross_document.extend(other.cross_document);
        self.named.extend(other.named);
    }
}
