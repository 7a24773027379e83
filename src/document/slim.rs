//! Documents cut down to what other files need of them. The documents a scan reads first and
//! keeps to the end (see [`crate::schedule`]) can be most of a Salesforce org: thousands of
//! Apex classes and object definitions, held for the one line each that says how a class
//! shares records or what a field holds. A slim document keeps only the nodes its readers
//! name, with the positions their findings point at resolved while the text is there and
//! the lines snippets of them show; the text itself, the other nodes and their spans go.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{Document, Excerpt, Position, SourceFile, SpanTable, split_pointer};
use crate::document::Location;

/// What is left of a slim document's text: where its kept nodes are, and the lines that
/// show them.
#[derive(Debug, Default)]
pub struct Resolved {
    /// The focus of every kept node (see [`Document::focus_span`]), by pointer.
    focus: HashMap<String, (Position, Position)>,
    pub excerpt: Excerpt,
}

impl Document {
    /// Keeps the nodes whose pointer `keep` accepts, with the ancestors that hold them, and
    /// drops the rest and the text (see the module's docs).
    pub fn slim(&mut self, keep: &dyn Fn(&str) -> bool) {
        if self.resolved.is_some() {
            return;
        }
        let kept: Vec<String> = self
            .spans
            .iter()
            .map(|(pointer, _)| pointer)
            .filter(|pointer| keep(pointer))
            .map(str::to_owned)
            .collect();
        let mut focus = HashMap::with_capacity(kept.len());
        let mut spans = SpanTable::default();
        let mut value = Value::Null;
        for pointer in &kept {
            let span = self.focus_span(pointer);
            let start = self.source.position(span.start);
            let end = self.source.position(span.end.max(span.start));
            focus.insert(pointer.clone(), (start, end));
            if let Some(node) = self.spans.get(pointer) {
                spans.insert(pointer.clone(), *node);
            }
            if let Some(node) = self.value.pointer(pointer) {
                insert_at(&mut value, &split_pointer(pointer), shallow(node));
            }
        }
        let locations: Vec<Location> = focus
            .values()
            .map(|(start, end)| Location {
                path: self.source.path.clone(),
                start: *start,
                end: *end,
            })
            .collect();
        let excerpt = Excerpt::of(&self.source, &locations);
        self.value = value;
        self.spans = spans;
        self.source = Arc::new(SourceFile::new(self.source.path.clone(), String::new()));
        self.resolved = Some(Box::new(Resolved { focus, excerpt }));
    }

    /// The start and end of the node's focus (its nearest kept ancestor's, as
    /// [`Document::focus_span`] does for a node that is not there).
    pub fn focus_positions(&self, pointer: &str) -> (Position, Position) {
        match &self.resolved {
            Some(resolved) => {
                let mut current = pointer;
                loop {
                    if let Some(found) = resolved.focus.get(current) {
                        return *found;
                    }
                    match super::parent_pointer(current) {
                        Some(parent) => current = parent,
                        None => {
                            let start = Position {
                                line: 1,
                                column: 1,
                                byte: 0,
                            };
                            return (start, start);
                        }
                    }
                }
            }
            None => {
                let span = self.focus_span(pointer);
                (
                    self.source.position(span.start),
                    self.source.position(span.end.max(span.start)),
                )
            }
        }
    }

    /// A slim document's path and excerpt, the rest dropped.
    pub fn into_excerpt(self) -> Option<(String, Excerpt)> {
        let excerpt = self.resolved?.excerpt;
        Some((self.source.path.clone(), excerpt))
    }
}

/// A scalar as it is; an object or array as an empty one of its kind, for its kept members
/// to be inserted into.
fn shallow(node: &Value) -> Value {
    match node {
        Value::Object(_) => Value::Object(Map::new()),
        Value::Array(_) => Value::Array(Vec::new()),
        scalar => scalar.clone(),
    }
}

/// Puts `node` at `path` under `root`, creating the containers on the way; array elements
/// before an index are filled with nulls, so indexes (and the pointers that name them)
/// stay what they were.
fn insert_at(root: &mut Value, path: &[String], node: Value) {
    let Some((last, parents)) = path.split_last() else {
        if root.is_null() {
            *root = node;
        }
        return;
    };
    let mut current = root;
    for (i, token) in parents.iter().enumerate() {
        let next_is_index = path[i + 1].parse::<usize>().is_ok();
        current = child(current, token, || {
            if next_is_index {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            }
        });
    }
    let slot = child(current, last, || Value::Null);
    if slot.is_null() || !node.is_object() && !node.is_array() {
        *slot = node;
    }
}

fn child<'a>(parent: &'a mut Value, token: &str, empty: impl FnOnce() -> Value) -> &'a mut Value {
    if parent.is_null() {
        *parent = match token.parse::<usize>() {
            Ok(_) => Value::Array(Vec::new()),
            Err(_) => Value::Object(Map::new()),
        };
    }
    match parent {
        Value::Array(items) => {
            let index = token.parse::<usize>().unwrap_or(items.len());
            if items.len() <= index {
                items.resize(index + 1, Value::Null);
            }
            if items[index].is_null() {
                items[index] = empty();
            }
            &mut items[index]
        }
        Value::Object(map) => map.entry(token.to_owned()).or_insert_with(empty),
        _ => parent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Kind;
    use crate::parse::{Format, parse};

    fn document(text: &str) -> Document {
        let source = Arc::new(SourceFile::new(
            "objects/Complaint__c.object",
            text.to_owned(),
        ));
        let parsed = parse(Format::XML, &source).expect("parses").remove(0);
        Document {
            source,
            index_in_file: 0,
            kind: Kind::new("salesforce/CustomObject"),
            value: parsed.value,
            spans: parsed.spans,
            resolved: None,
        }
    }

    const OBJECT: &str = "<CustomObject>\n  <fields>\n    <fullName>A__c</fullName>\n    \
        <label>A</label>\n  </fields>\n  <fields>\n    <fullName>Email__c</fullName>\n    \
        <type>Email</type>\n  </fields>\n  <listViews>\n    <fullName>All</fullName>\n  \
        </listViews>\n</CustomObject>\n";

    #[test]
    fn keeps_the_named_nodes_at_their_indexes_and_positions() {
        let mut doc = document(OBJECT);
        let before = doc.focus_positions("/CustomObject/fields/1/type");
        let keep = |p: &str| {
            p.is_empty()
                || p == "/CustomObject"
                || p.starts_with("/CustomObject/fields") && !p.ends_with("/label")
        };
        doc.slim(&keep);
        assert_eq!(
            doc.value,
            serde_json::json!({"CustomObject": {"fields": [
                {"fullName": "A__c"},
                {"fullName": "Email__c", "type": "Email"}
            ]}})
        );
        assert_eq!(doc.source.text, "");
        assert_eq!(doc.focus_positions("/CustomObject/fields/1/type"), before);
        assert_eq!(before.0.line, 8);
        // A node that was dropped is located at its nearest kept ancestor.
        assert_eq!(
            doc.focus_positions("/CustomObject/fields/0/label").0.line,
            2
        );
        let (_, excerpt) = doc.into_excerpt().expect("a slim document keeps its lines");
        assert!(excerpt.lines(8, 8).is_some());
        assert!(excerpt.lines(11, 11).is_none());
    }
}
