//! Anchors, aliases and `<<` merge keys: an alias is a copy of its anchored node, whose nodes
//! (and their tags) stay located where the anchor writes them; expansion is bounded.

use serde_json::{Map, Value};

use super::MAX_ALIAS_NODES;
use super::builder::{Builder, Entry};
use crate::document::{NodeSpans, Span, child_pointer, index_pointer};
use crate::parse::ParseError;

/// An anchored node: its value, and its entries with pointers relative to it (its own is
/// `""`).
pub(super) struct Anchor {
    pub(super) value: Value,
    pub(super) entries: Vec<Entry>,
}

/// The value of a `<<` key, its entries (recorded under `prefix`, the `<<` pointer).
pub(super) struct Merge {
    pub(super) value: Value,
    pub(super) entries: Vec<Entry>,
    pub(super) prefix: String,
}

impl Builder<'_> {
    pub(super) fn alias(&mut self, id: usize, span: Span) -> Result<(), ParseError> {
        if self.expecting_key() {
            return Err(ParseError::new(
                "an alias used as a key is not supported",
                span,
            ));
        }
        let Some(anchor) = self.anchors.get(&id) else {
            return Err(ParseError::new("alias to an unknown anchor", span));
        };
        self.alias_nodes += anchor.entries.len();
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(ParseError::new(
                format!(
                    "aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); \
                     doublecheck stops here rather than exhaust memory"
                ),
                span,
            ));
        }
        let (pointer, key) = self.child_position()?;
        let value = anchor.value.clone();
        let mark = self.entries.len();
        // Nodes inside the alias are located where they are written: in the anchored node.
        // The alias itself is located at the alias, and bears the anchored node's tag.
        let mut tag = None;
        let mut inner = Vec::with_capacity(anchor.entries.len());
        for entry in &anchor.entries {
            if entry.pointer.is_empty() {
                tag.clone_from(&entry.tag);
            } else {
                inner.push(entry.moved(format!("{pointer}{}", entry.pointer)));
            }
        }
        self.entries.extend(inner);
        self.entries.push(Entry {
            pointer,
            spans: NodeSpans { key, value: span },
            tag,
        });
        self.attach(value, mark)
    }

    pub(super) fn apply_merges(
        &mut self,
        map: &mut Map<String, Value>,
        merges: Vec<Merge>,
        pointer: &str,
    ) {
        for Merge {
            value: merged,
            entries,
            prefix,
        } in merges
        {
            // `<<: *a` merges one mapping; `<<: [*a, *b]` merges several, earlier first.
            let sources: Vec<(Value, String)> = match merged {
                Value::Object(_) => vec![(merged, prefix.clone())],
                Value::Array(items) => items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (v, index_pointer(&prefix, i)))
                    .collect(),
                _ => Vec::new(),
            };
            for (source, source_pointer) in sources {
                let Value::Object(source) = source else {
                    continue;
                };
                for (key, value) in source {
                    if map.contains_key(&key) {
                        continue;
                    }
                    let old = child_pointer(&source_pointer, &key);
                    let new = child_pointer(pointer, &key);
                    let old_children = format!("{old}/");
                    for entry in &entries {
                        let p = &entry.pointer;
                        if p == &old || p.starts_with(&old_children) {
                            self.entries
                                .push(entry.moved(format!("{new}{}", &p[old.len()..])));
                        }
                    }
                    map.insert(key, value);
                }
            }
        }
    }
}
