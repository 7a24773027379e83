//! What a provider is given: the documents of its kinds, in an order it can rely on.

use std::ops::Range;

use crate::document::Document;

/// The documents a provider reads for one batch of files, or for the first-read documents
/// at the end (see [`super::FactIndex::build`]).
pub struct Given<'a> {
    /// The first-read documents of its kinds, then the others of its kinds.
    pub documents: &'a [&'a Document],
    /// How many of `documents` are first-read ones. They are of first-read kinds only, so
    /// a look for documents of other kinds starts after them: a batch's facts then cost
    /// nothing per first-read document (an org's thousands of Apex classes).
    pub first: usize,
    /// The documents whose facts are wanted; the others are read for what they say of
    /// these. Facts established for the others are dropped.
    pub targets: Range<usize>,
}

impl<'a> Given<'a> {
    /// The documents after the first-read ones, with their indexes.
    pub fn after_first(&self) -> impl Iterator<Item = (usize, &'a Document)> + 'a {
        let documents = self.documents;
        let first = self.first.min(documents.len());
        (first..documents.len()).map(move |i| (i, documents[i]))
    }

    /// Whether a wanted document satisfies `test`.
    pub fn any_target(&self, test: impl Fn(&Document) -> bool) -> bool {
        self.documents[self.targets.clone()].iter().any(|d| test(d))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::document::{Kind, SourceFile};

    #[test]
    fn the_look_for_later_documents_starts_after_the_first_read_ones() {
        let source = Arc::new(SourceFile::new("a", String::new()));
        let document = |kind: &str| Document {
            source: Arc::clone(&source),
            index_in_file: 0,
            kind: Kind::new(kind),
            value: serde_json::Value::Null,
            spans: Default::default(),
            resolved: None,
        };
        let (a, b, c) = (document("x/a"), document("x/b"), document("x/c"));
        let documents = [&a, &b, &c];
        let given = Given {
            documents: &documents,
            first: 1,
            targets: 2..3,
        };
        let after: Vec<(usize, &str)> = (given.after_first())
            .map(|(i, d)| (i, d.kind.as_str()))
            .collect();
        assert_eq!(after, [(1, "x/b"), (2, "x/c")]);
        assert!(given.any_target(|d| d.kind.as_str() == "x/c"));
        assert!(!given.any_target(|d| d.kind.as_str() == "x/b"));
    }
}
