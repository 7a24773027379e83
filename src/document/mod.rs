//! The format-neutral document model: the JSON data model plus a table from every node's
//! JSON Pointer to its source spans. Every parser lowers to this; policies see nothing else.

mod evidence;
mod excerpt;
mod kind;
mod location;
mod pointer;
mod slim;
mod span;

use std::collections::HashMap;
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

/// Where a node sits in its file: the span of its value and, for object members, of its key
/// (an XML element's name, a YAML or JSON property name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpans {
    pub key: Option<Span>,
    pub value: Span,
}

/// Maps the JSON Pointer of every node (`""` is the root) to its spans.
#[derive(Debug, Default, Clone)]
pub struct SpanTable {
    nodes: HashMap<String, NodeSpans, foldhash::fast::RandomState>,
}

impl SpanTable {
    /// A table with room for `nodes` nodes, for a parser that knows how many it will locate.
    pub fn with_capacity(nodes: usize) -> Self {
        SpanTable {
            nodes: HashMap::with_capacity_and_hasher(nodes, Default::default()),
        }
    }

    pub fn insert(&mut self, pointer: String, spans: NodeSpans) {
        self.nodes.insert(pointer, spans);
    }

    pub fn remove(&mut self, pointer: &str) {
        self.nodes.remove(pointer);
    }

    /// Every span in the table, changed by `f` (key and value alike).
    pub fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        for spans in self.nodes.values_mut() {
            spans.key = spans.key.map(&f);
            spans.value = f(spans.value);
        }
    }

    pub fn get(&self, pointer: &str) -> Option<&NodeSpans> {
        self.nodes.get(pointer)
    }

    /// Every node's pointer and spans, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &NodeSpans)> {
        self.nodes.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The spans of the node, or of its nearest ancestor that has them: a setting that is
    /// missing is located at the parent that should hold it.
    pub fn nearest(&self, pointer: &str) -> Option<(&str, &NodeSpans)> {
        let mut current = pointer;
        loop {
            if let Some((key, spans)) = self.nodes.get_key_value(current) {
                return Some((key.as_str(), spans));
            }
            current = parent_pointer(current)?;
        }
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
