//! The format-neutral document model: the JSON data model plus a table from every node's
//! JSON Pointer to its source spans. Every parser lowers to this; policies see nothing else.

mod evidence;
mod excerpt;
mod kind;
mod location;
mod pointer;
mod slim;
mod span;
mod span_table;

use std::sync::Arc;

pub use evidence::Evidence;
pub use excerpt::{Excerpt, SNIPPET_LINES, snippet_last_line};
pub use kind::Kind;
pub use location::{Location, folder};
pub use pointer::{
    child_pointer, escape_token, index_pointer, last_key, parent_pointer, split_pointer,
};
pub use slim::Resolved;
pub use span::{LineIndex, Position, Span};
pub use span_table::{NodeSpans, SpanTable};

/// One file read from the scanned tree, shared by every document parsed from it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the scan root, with `/` separators: what every output shows.
    pub path: String,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            text,
            lines,
        }
    }

    pub fn position(&self, byte: usize) -> Position {
        self.lines.position(&self.text, byte)
    }
}

/// One parsed document: a file, or one document of a multi-document YAML stream.
#[derive(Debug)]
pub struct Document {
    pub source: Arc<SourceFile>,
    /// 0-based position of this document in its file (always 0 but for YAML streams).
    pub index_in_file: usize,
    pub kind: Kind,
    pub value: serde_json::Value,
    pub spans: SpanTable,
    /// Set when the document was cut down to what other files need of it (see
    /// [`Document::slim`]): its text is gone, its kept nodes' positions are here.
    pub resolved: Option<Box<Resolved>>,
}

impl Document {
    /// The span a finding about the node at `pointer` should underline: a scalar's value;
    /// for an object or array (which may span many lines) its key when it has one.
    pub fn focus_span(&self, pointer: &str) -> Span {
        let Some((found, spans)) = self.spans.nearest(pointer) else {
            return Span::new(0, 0);
        };
        let is_container = self
            .value
            .pointer(found)
            .map(|v| v.is_object() || v.is_array())
            .unwrap_or(false);
        match (is_container, spans.key) {
            (true, Some(key)) => key,
            // A keyless container (an array element, a document) is marked on its first
            // line only: underlining a whole block says less than pointing at its start.
            (true, None) => {
                let start = spans.value.start.min(self.source.text.len());
                let line_end = self.source.text[start..]
                    .find(['\r', '\n'])
                    .map_or(self.source.text.len(), |i| start + i);
                Span::new(start, spans.value.end.min(line_end).max(start))
            }
            (false, _) => spans.value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Format, parse};

    fn document(text: &str) -> Document {
        let source = Arc::new(SourceFile::new("t.yml", text.to_owned()));
        let parsed = parse(Format::YAML, &source).expect("parses").remove(0);
        Document {
            source,
            index_in_file: 0,
            kind: Kind::new("test/doc"),
            value: parsed.value,
            spans: parsed.spans,
            resolved: None,
        }
    }

    #[test]
    fn focus_is_the_value_the_key_or_the_first_line() {
        let doc = document("a:\n  b: 1\nlist:\n  - name: x\n    more: y\n");
        // A scalar: its value.
        assert_eq!(doc.focus_span("/a/b"), Span::new(8, 9));
        // A mapping with a key: the key.
        assert_eq!(doc.focus_span("/a"), Span::new(0, 1));
        // A keyless mapping (array element): its first line only.
        let item = doc.focus_span("/list/0");
        assert_eq!(&doc.source.text[item.start..item.end], "name: x");
        // A missing node: the nearest ancestor that exists.
        assert_eq!(doc.focus_span("/a/missing"), Span::new(0, 1));
    }
}
