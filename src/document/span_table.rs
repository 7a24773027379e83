//! The table from every node's JSON Pointer to its spans.
//!
//! Every parsed node has an entry, so a large scan holds millions. The pointers are kept
//! end to end in one string, and the hash table holds where each one is: one allocation for
//! all the pointers of a document instead of one each, less memory (no allocator block per
//! pointer), and a document dropped with two frees instead of one per node.

use std::hash::BuildHasher;

use foldhash::fast::RandomState;
use hashbrown::HashTable;

use super::parent_pointer;
use super::span::Span;

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
    /// Every pointer of the table, end to end (a removed one stays, unreferenced).
    pointers: String,
    entries: HashTable<Entry>,
    /// Randomly seeded, so a crafted file cannot force collisions.
    hasher: RandomState,
}

#[derive(Debug, Clone)]
struct Entry {
    /// The pointer: `pointers[start..start + len]`.
    start: usize,
    len: usize,
    spans: NodeSpans,
}

impl SpanTable {
    /// A table with room for `nodes` nodes, for a parser that knows how many it will locate.
    pub fn with_capacity(nodes: usize) -> Self {
        SpanTable {
            // About the length of a short pointer each: a table that grows past it grows
            // once or twice instead of from nothing.
            pointers: String::with_capacity(nodes.saturating_mul(24)),
            entries: HashTable::with_capacity(nodes),
            hasher: RandomState::default(),
        }
    }

    /// Sets the spans of the node at `pointer` (replacing any it had).
    pub fn insert(&mut self, pointer: String, spans: NodeSpans) {
        self.set(&pointer, spans);
    }

    /// [`SpanTable::insert`] for a pointer the caller keeps.
    pub fn set(&mut self, pointer: &str, spans: NodeSpans) {
        let start = self.pointers.len();
        self.pointers.push_str(pointer);
        self.keep_last(start, spans);
    }

    /// Sets the spans of the child `key` of the node at `parent`, the pointer written
    /// straight into the table (see [`super::child_pointer`]).
    pub fn set_child(&mut self, parent: &str, key: &str, spans: NodeSpans) {
        let start = self.pointers.len();
        self.pointers.push_str(parent);
        self.pointers.push('/');
        self.pointers.push_str(&super::escape_token(key));
        self.keep_last(start, spans);
    }

    /// Sets the spans of the item `index` of the array at `parent` (see
    /// [`super::index_pointer`]).
    pub fn set_item(&mut self, parent: &str, index: usize, spans: NodeSpans) {
        let start = self.pointers.len();
        self.pointers.push_str(parent);
        self.pointers.push('/');
        self.pointers.push_str(itoa::Buffer::new().format(index));
        self.keep_last(start, spans);
    }

    /// Makes the pointer written at `pointers[start..]` an entry with `spans`, or, when the
    /// table has it already, takes it off again and sets the existing entry's spans.
    fn keep_last(&mut self, start: usize, spans: NodeSpans) {
        let pointer = &self.pointers[start..];
        let hash = self.hasher.hash_one(pointer);
        let pointers = &self.pointers[..start];
        let found = self.entries.find_mut(hash, |e| key(pointers, e) == pointer);
        if let Some(entry) = found {
            entry.spans = spans;
            self.pointers.truncate(start);
            return;
        }
        let entry = Entry {
            start,
            len: self.pointers.len() - start,
            spans,
        };
        let (pointers, hasher) = (&self.pointers, &self.hasher);
        self.entries
            .insert_unique(hash, entry, |e| hasher.hash_one(key(pointers, e)));
    }

    pub fn remove(&mut self, pointer: &str) {
        let hash = self.hash(pointer);
        let pointers = &self.pointers;
        if let Ok(entry) = self
            .entries
            .find_entry(hash, |e| key(pointers, e) == pointer)
        {
            entry.remove();
        }
    }

    /// Every span in the table, changed by `f` (key and value alike).
    pub fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        for entry in &mut self.entries {
            entry.spans.key = entry.spans.key.map(&f);
            entry.spans.value = f(entry.spans.value);
        }
    }

    pub fn get(&self, pointer: &str) -> Option<&NodeSpans> {
        self.get_key_value(pointer).map(|(_, spans)| spans)
    }

    /// Every node's pointer and spans, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &NodeSpans)> {
        self.entries
            .iter()
            .map(|e| (key(&self.pointers, e), &e.spans))
    }

    /// The spans of the node, or of its nearest ancestor that has them: a setting that is
    /// missing is located at the parent that should hold it.
    pub fn nearest(&self, pointer: &str) -> Option<(&str, &NodeSpans)> {
        let mut current = pointer;
        loop {
            if let Some(found) = self.get_key_value(current) {
                return Some(found);
            }
            current = parent_pointer(current)?;
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn get_key_value(&self, pointer: &str) -> Option<(&str, &NodeSpans)> {
        let pointers = &self.pointers;
        self.entries
            .find(self.hash(pointer), |e| key(pointers, e) == pointer)
            .map(|e| (key(pointers, e), &e.spans))
    }

    fn hash(&self, pointer: &str) -> u64 {
        self.hasher.hash_one(pointer)
    }
}

fn key<'a>(pointers: &'a str, entry: &Entry) -> &'a str {
    &pointers[entry.start..entry.start + entry.len]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(n: usize) -> NodeSpans {
        NodeSpans {
            key: n.is_multiple_of(2).then(|| Span::new(n, n + 1)),
            value: Span::new(n + 2, n + 3),
        }
    }

    #[test]
    fn pointers_map_to_their_spans_and_a_second_insert_replaces() {
        let mut table = SpanTable::with_capacity(2);
        for n in 0..1000 {
            table.insert(format!("/a/{n}"), spans(n));
        }
        table.insert(String::new(), spans(7));
        table.insert("/a/3".to_owned(), spans(9));
        assert_eq!(table.len(), 1001);
        assert_eq!(table.get("/a/3"), Some(&spans(9)));
        assert_eq!(table.get("/a/999"), Some(&spans(999)));
        assert_eq!(table.get(""), Some(&spans(7)));
        assert_eq!(table.get("/a/1000"), None);
        assert_eq!(table.iter().count(), 1001);
        assert!(table.iter().all(|(p, s)| table.get(p) == Some(s)));
    }

    #[test]
    fn children_and_items_are_set_at_their_pointers() {
        let mut table = SpanTable::default();
        table.set_child("/a", "b/c~d", spans(1));
        table.set_item("/a/list", 12, spans(2));
        table.set("/a/list/12", spans(3));
        table.set_child("/a", "b/c~d", spans(4));
        assert_eq!(table.len(), 2);
        assert_eq!(
            table.get(&super::super::child_pointer("/a", "b/c~d")),
            Some(&spans(4))
        );
        assert_eq!(table.get("/a/b~1c~0d"), Some(&spans(4)));
        assert_eq!(table.get("/a/list/12"), Some(&spans(3)));
        // A pointer set again leaves nothing behind in the string.
        assert_eq!(table.pointers.len(), "/a/b~1c~0d/a/list/12".len());
    }

    #[test]
    fn removed_nodes_are_gone_and_the_nearest_ancestor_answers() {
        let mut table = SpanTable::default();
        assert!(table.is_empty());
        table.insert(String::new(), spans(0));
        table.insert("/a".to_owned(), spans(1));
        table.insert("/a/b".to_owned(), spans(2));
        table.remove("/a/b");
        table.remove("/not/there");
        assert_eq!(table.get("/a/b"), None);
        assert_eq!(table.nearest("/a/b/c"), Some(("/a", &spans(1))));
        assert_eq!(table.nearest("/z"), Some(("", &spans(0))));
        table.insert("/a/b".to_owned(), spans(3));
        assert_eq!(table.nearest("/a/b/c"), Some(("/a/b", &spans(3))));
    }

    #[test]
    fn every_span_can_be_moved() {
        let mut table = SpanTable::default();
        table.insert("/a".to_owned(), spans(2));
        table.insert("/b".to_owned(), spans(3));
        let clone = table.clone();
        table.map_spans(|s| Span::new(s.start + 10, s.end + 10));
        assert_eq!(table.get("/a").map(|s| s.value), Some(Span::new(14, 15)));
        assert_eq!(table.get("/a").and_then(|s| s.key), Some(Span::new(12, 13)));
        assert_eq!(table.get("/b").map(|s| s.key), Some(None));
        assert_eq!(clone.get("/a"), Some(&spans(2)));
    }
}
