//! One walk of a Terraform document that puts known values in place: every `${…}` string
//! whose value is known (see `eval`), `dynamic` blocks whose `for_each` is known expanded to
//! the blocks they make, and resources whose `for_each` or `count` is known and whose body
//! uses `each` or `count.index` split into their instances (`name["key"]`, `name[1]`).
//! Whatever is put in place is located where it is written (a generated block at its
//! `content`, an instance at its resource) and remembers its definitions as [`Origin`]s.

use serde_json::{Map, Value};

use super::scope::{Bindings, FILE_REFERENCE, Scope, is_unknown, within_size};
use super::{files, locate_inside, preview};
use crate::document::{Evidence, NodeSpans, SpanTable, child_pointer, index_pointer};
use crate::parse::REPEATED_BLOCKS;
use crate::resolve::{Landing, Origin};

pub(super) struct Walk<'s, 'd> {
    pub scope: &'s Scope<'d>,
    pub document: usize,
    pub spans: &'s mut SpanTable,
    pub origins: Vec<Origin>,
    /// Whether expressions are evaluated through and through (in resources and data
    /// sources, which policies read), or only plain references (`${var.x.y}`) elsewhere.
    pub full: bool,
    /// How many more nodes expansion may make in this document: a hostile file's
    /// `dynamic` blocks nested in resources with many instances are left as written
    /// rather than multiplied past it.
    pub budget: usize,
}

impl Walk<'_, '_> {
    /// Puts known values in place in `value`, at `pointer`.
    pub fn value(&mut self, value: &mut Value, pointer: &str, bindings: &mut Bindings) {
        match value {
            Value::String(text) if text.contains("${") && worth_evaluating(text, bindings) => {
                self.string(value, pointer, bindings);
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if may_hold_expressions(item) {
                        self.value(item, &index_pointer(pointer, i), bindings);
                    }
                }
            }
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    if key != "dynamic" && may_hold_expressions(item) {
                        self.value(item, &child_pointer(pointer, key), bindings);
                    }
                }
                if map.contains_key("dynamic") {
                    self.dynamic(map, pointer, bindings);
                }
            }
            _ => {}
        }
    }

    fn string(&mut self, node: &mut Value, pointer: &str, bindings: &mut Bindings) {
        let Value::String(text) = &*node else {
            return;
        };
        let mut references = Vec::new();
        let value = match self.full {
            true => self.scope.string(text, bindings, &mut references),
            false => self.scope.plain(text, bindings, &mut references),
        };
        let Some(value) = value else {
            return;
        };
        if value == *node || is_unknown(&value) {
            return;
        }
        if let Some(spans) = self.spans.get(pointer).copied() {
            locate_inside(self.spans, &value, pointer, spans.value);
        }
        references.dedup();
        // A value that is one variable's or local's, as it is written there: a finding
        // about it lands where it is written, once for every use (this one is related).
        let landing = match references.as_slice() {
            [_] => self.scope.landing(text),
            _ => None,
        };
        let whole_file = references.len() == 1 && files::reads_whole(text);
        for reference in references {
            if let Some(path) = reference.strip_prefix(FILE_REFERENCE) {
                self.file_origin(path, text, pointer, whole_file);
                continue;
            }
            match self.scope.definition(&reference) {
                Some(definition) => {
                    let shown = (self.scope.preview(&reference))
                        .unwrap_or_else(|| preview(&definition.value));
                    let said = format!("`{reference}` is {shown}, {}", definition.how);
                    let (definition, landing) = match &landing {
                        Some((document, written)) => (
                            Evidence::at(self.document, pointer, format!("used here: {said}")),
                            Some(Landing {
                                document: *document,
                                pointer: written.clone(),
                            }),
                        ),
                        None => (
                            Evidence::at(definition.document, definition.pointer.clone(), said),
                            None,
                        ),
                    };
                    self.origins.push(Origin {
                        document: self.document,
                        pointer: pointer.to_owned(),
                        definition,
                        landing,
                    });
                }
                None => self.policy_origins(&reference, &value, pointer),
            }
        }
        *node = value;
    }

    /// A value read from a file (`file`, `templatefile`): a finding about a value that is
    /// the whole of a file's document (`file(p)`, `jsondecode(file(p))`,
    /// `yamldecode(file(p))`) lands at the value in the file, with the use related; one
    /// about a value made from the file (a rendered template) stays at the use, the file
    /// related.
    fn file_origin(&mut self, path: &str, text: &str, pointer: &str, whole: bool) {
        let Some(file) = self.scope.named_file(path) else {
            return;
        };
        let call = files::shown_call(text);
        let origin = if whole {
            Origin {
                document: self.document,
                pointer: pointer.to_owned(),
                definition: Evidence::at(
                    self.document,
                    pointer,
                    format!("used here: read by `{call}`"),
                ),
                landing: Some(Landing {
                    document: file.document,
                    pointer: String::new(),
                }),
            }
        } else {
            Origin {
                document: self.document,
                pointer: pointer.to_owned(),
                definition: Evidence::at(file.document, "", format!("rendered by `{call}`")),
                landing: None,
            }
        };
        self.origins.push(origin);
    }

    /// A policy document put in place of `data.aws_iam_policy_document.<name>.json`: a
    /// finding about a statement's principal lands on the principal in the data block,
    /// whichever file of the folder holds it, with the use related.
    fn policy_origins(&mut self, reference: &str, value: &Value, pointer: &str) {
        let Some(produced) = self.scope.documents.get(reference) else {
            return;
        };
        if produced.value != *value {
            return;
        }
        let name = reference;
        for (i, principal) in &produced.principals {
            let statement = index_pointer(&child_pointer(pointer, "Statement"), *i);
            let message = format!("the policy document `{name}` is used here");
            self.origins.push(Origin {
                document: self.document,
                pointer: child_pointer(&statement, "Principal"),
                definition: Evidence::at(self.document, pointer, message),
                landing: Some(Landing {
                    document: produced.document,
                    pointer: principal.clone(),
                }),
            });
        }
    }

    /// Whether `copies` copies of `value` fit in what expansion may still make; if so,
    /// they are counted off.
    pub fn afford(&mut self, value: &Value, copies: usize) -> bool {
        let mut size = self.budget;
        if !within_size(value, &mut size) {
            return false;
        }
        let needed = (self.budget - size).saturating_mul(copies);
        let affordable = needed <= self.budget;
        if affordable {
            self.budget -= needed;
        }
        affordable
    }

    /// A `for_each` collection, when it is known.
    pub fn collection(&self, for_each: &Value, bindings: &mut Bindings) -> Option<Value> {
        match for_each {
            Value::String(text) => self.scope.string(text, bindings, &mut Vec::new()),
            Value::Array(_) | Value::Object(_) => {
                Some(self.scope.value(for_each, bindings, &mut Vec::new()))
            }
            _ => None,
        }
    }

    /// Expands the `dynamic` blocks of `map` whose `for_each` is known; the others stay.
    fn dynamic(&mut self, map: &mut Map<String, Value>, pointer: &str, bindings: &mut Bindings) {
        let Some(Value::Array(entries)) = map.remove("dynamic") else {
            return;
        };
        let dynamic_pointer = child_pointer(pointer, "dynamic");
        let mut kept = Vec::new();
        for (j, entry) in entries.into_iter().enumerate() {
            let entry_pointer = index_pointer(&dynamic_pointer, j);
            match self.expand_one(map, pointer, &entry, &entry_pointer, bindings) {
                true => {}
                false => {
                    let new_pointer = index_pointer(&dynamic_pointer, kept.len());
                    if new_pointer != entry_pointer {
                        copy_spans(self.spans, &entry, &entry_pointer, &new_pointer);
                    }
                    kept.push(entry);
                }
            }
        }
        if !kept.is_empty() {
            map.insert("dynamic".to_owned(), Value::Array(kept));
        }
    }

    /// One `dynamic "label" { for_each = …; iterator = …; content { … } }`, expanded into
    /// `map[label]` when its `for_each` is known; `false` when it is not.
    fn expand_one(
        &mut self,
        map: &mut Map<String, Value>,
        pointer: &str,
        entry: &Value,
        entry_pointer: &str,
        bindings: &mut Bindings,
    ) -> bool {
        let Some((label, block)) = entry.as_object().and_then(|m| m.iter().next()) else {
            return false;
        };
        let block_pointer = child_pointer(entry_pointer, label);
        let (Some(for_each), Some(content)) = (block.get("for_each"), block.get("content")) else {
            return false;
        };
        let Some(pairs) = self.collection(for_each, bindings).and_then(pairs) else {
            return false;
        };
        let existing = map.get(label);
        if matches!(existing, Some(v) if !v.is_array()) || !self.afford(content, pairs.len()) {
            return false;
        }
        let iterator = match block.get("iterator") {
            Some(Value::String(name)) => name
                .trim_start_matches("${")
                .trim_end_matches('}')
                .trim()
                .to_owned(),
            _ => label.clone(),
        };
        let start = existing.and_then(Value::as_array).map_or(0, Vec::len);
        let as_array = start > 0 || pairs.len() != 1 || REPEATED_BLOCKS.contains(&label.as_str());
        let content_pointer = child_pointer(&block_pointer, "content");
        let label_pointer = child_pointer(pointer, label);
        let block_spans = self.spans.get(&block_pointer).copied();
        let count = pairs.len();
        if existing.is_none()
            && count > 0
            && let Some(spans) = block_spans
        {
            self.spans.insert(label_pointer.clone(), spans);
        }
        let mut made = Vec::with_capacity(count);
        for (i, (key, value)) in pairs.into_iter().enumerate() {
            let at = if as_array {
                index_pointer(&label_pointer, start + i)
            } else {
                label_pointer.clone()
            };
            copy_spans(self.spans, content, &content_pointer, &at);
            if let (Some(block), Some(content)) =
                (block_spans, self.spans.get(&content_pointer).copied())
            {
                self.spans.insert(
                    at.clone(),
                    NodeSpans {
                        key: block.key,
                        value: content.value,
                    },
                );
            }
            let mut item = content.clone();
            let mut iterator_value = Map::new();
            iterator_value.insert("key".into(), key);
            iterator_value.insert("value".into(), value);
            bindings.push((iterator.clone(), Value::Object(iterator_value)));
            self.value(&mut item, &at, bindings);
            bindings.pop();
            let text = source_text(for_each);
            let message = format!(
                "made by `dynamic \"{label}\"`, one of {}, for each of `{text}`",
                crate::words::count(count, "block", "blocks")
            );
            self.origins.push(Origin {
                document: self.document,
                pointer: at,
                definition: Evidence::at(
                    self.document,
                    child_pointer(&block_pointer, "for_each"),
                    message,
                ),
                landing: None,
            });
            made.push(item);
        }
        match map.get_mut(label) {
            Some(Value::Array(items)) => items.extend(made),
            // An empty collection makes no block at all.
            None if made.is_empty() => {}
            _ if as_array => {
                map.insert(label.clone(), Value::Array(made));
            }
            _ => {
                map.insert(label.clone(), made.pop().unwrap_or_default());
            }
        }
        true
    }
}

/// An attribute's value as it is written: an expression's text, a literal's JSON.
pub(super) fn source_text(value: &Value) -> String {
    match value {
        Value::String(text) if text.starts_with("${") && text.ends_with('}') => {
            text[2..text.len() - 1].trim().to_owned()
        }
        other => other.to_string(),
    }
}

/// A known `for_each` collection's keys and values: a map's members, a set's (or list's)
/// elements as both key and value (a list of objects: its index as key).
pub(super) fn pairs(collection: Value) -> Option<Vec<(Value, Value)>> {
    match collection {
        Value::Object(map) => Some(
            map.into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect(),
        ),
        Value::Array(items) => Some(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| match &v {
                    Value::String(_) | Value::Number(_) => (v.clone(), v),
                    _ => (Value::from(i), v),
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Whether a node is worth visiting: a list, an object or a `${…}` string (most leaves are
/// literals, and their pointers are not worth building).
fn may_hold_expressions(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains("${"),
        Value::Array(_) | Value::Object(_) => true,
        _ => false,
    }
}

/// Whether a string may hold something the evaluation knows: a variable, a local, a bound
/// name or a policy document (most `${…}` strings name resources and are skipped unparsed).
fn worth_evaluating(text: &str, bindings: &Bindings) -> bool {
    ["var.", "local.", "data.aws_iam_policy_document.", "file("]
        .iter()
        .any(|p| text.contains(p))
        || bindings
            .iter()
            .any(|(name, _)| text.contains(name.as_str()))
}

/// The spans of `value`'s nodes under `from`, copied to the same nodes under `to`.
pub(super) fn copy_spans(spans: &mut SpanTable, value: &Value, from: &str, to: &str) {
    if let Some(found) = spans.get(from).copied() {
        spans.insert(to.to_owned(), found);
    }
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let token = i.to_string();
                copy_spans(
                    spans,
                    item,
                    &child_pointer(from, &token),
                    &child_pointer(to, &token),
                );
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                copy_spans(
                    spans,
                    item,
                    &child_pointer(from, key),
                    &child_pointer(to, key),
                );
            }
        }
        _ => {}
    }
}
