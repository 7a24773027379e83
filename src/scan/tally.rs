//! What the files read so far came to: counts, findings, excerpts, suppressions, and the
//! files other files' findings depend on.

use std::collections::btree_map::Entry;
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
        for (path, excerpt) in other.excerpts {
            match self.excerpts.entry(path) {
                Entry::Vacant(slot) => {
                    slot.insert(excerpt);
                }
                Entry::Occupied(mut slot) => slot.get_mut().merge(excerpt),
            }
        }
        self.unparsed.extend(other.unparsed);
        self.suppressions.extend(other.suppressions);
        self.cross_document.extend(other.cross_document);
        self.named.extend(other.named);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Location, Span};

    /// A file two batches both read (a file that configurations in both name by path)
    /// keeps the lines each batch's findings point at, not only the later batch's.
    #[test]
    fn merged_tallies_keep_the_lines_of_both_excerpts_of_one_file() {
        let text: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let source = SourceFile::new("shared/policy.json", text.clone());
        let line = |n: usize| {
            let start = text.find(&format!("line {n}\n")).expect("line exists");
            (start, Location::new(&source, Span::new(start, start + 4)))
        };
        let batch = |n: usize| {
            let mut tally = Tally::default();
            let excerpt = Excerpt::of(&source, [&line(n).1]);
            tally.excerpts.insert(source.path.clone(), excerpt);
            tally
        };
        let mut tally = batch(2);
        tally.merge(batch(15));
        let excerpt = &tally.excerpts[&source.path];
        assert_eq!(excerpt.lines(2, 2), Some((line(2).0, "line 2")));
        assert_eq!(excerpt.lines(15, 15), Some((line(15).0, "line 15")));
    }
}
