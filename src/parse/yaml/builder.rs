//! The tree built from the parser's events: a JSON value and a span entry for every node,
//! local tags noted, duplicate keys refused. Anchors, aliases and merge keys are in
//! `anchors.rs`.

use std::collections::HashMap;

use saphyr_parser::{Event, ScalarStyle, Span as YamlSpan, Tag};
use serde_json::{Map, Value};

use super::anchors::{Anchor, Merge};
use super::offsets::CharOffsets;
use super::tags::Noted;
use crate::document::{NodeSpans, Span, SpanTable, child_pointer, index_pointer};
use crate::parse::scalar::yaml_plain;
use crate::parse::{MAX_DEPTH, ParseError, ParsedDocument};

/// A node being built: a mapping or sequence whose children are still arriving.
enum Frame {
    Mapping {
        map: Map<String, Value>,
        pending_key: Option<(String, Span)>,
        /// `<<` merge values, applied at the end so explicit keys win, with their spans
        /// recorded under the `<<` pointer.
        merges: Vec<Merge>,
        common: FrameCommon,
    },
    Sequence {
        items: Vec<Value>,
        common: FrameCommon,
    },
}

struct FrameCommon {
    pointer: String,
    key: Option<Span>,
    start: usize,
    anchor: usize,
    /// Index into `Builder::entries` where this node's descendants begin.
    mark: usize,
    /// The collection's local tag; its content ends with the collection.
    tag: Option<Noted>,
}

/// A finished node: its pointer, its spans and its local tag. Entries are kept in
/// completion order, so a node's subtree is a contiguous tail.
pub(super) struct Entry {
    pub(super) pointer: String,
    pub(super) spans: NodeSpans,
    pub(super) tag: Option<Box<Noted>>,
}

impl Entry {
    /// The same node's entry under another pointer (in an alias, a merge, an anchor).
    pub(super) fn moved(&self, pointer: String) -> Entry {
        Entry {
            pointer,
            spans: self.spans,
            tag: self.tag.clone(),
        }
    }
}

pub(super) struct Builder<'a> {
    pub(super) offsets: CharOffsets<'a>,
    stack: Vec<Frame>,
    pub(super) entries: Vec<Entry>,
    pub(super) anchors: HashMap<usize, Anchor>,
    pub(super) alias_nodes: usize,
    root: Option<Value>,
    pub(super) documents: Vec<ParsedDocument>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Builder {
            offsets: CharOffsets::new(text),
            stack: Vec::new(),
            entries: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            root: None,
            documents: Vec::new(),
        }
    }

    pub(super) fn on_event(&mut self, event: Event, span: YamlSpan) -> Result<(), ParseError> {
        let span = self.offsets.span(&span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                self.entries.clear();
                self.root = None;
            }
            Event::DocumentEnd => self.end_document(),
            Event::Scalar(text, style, anchor, tag) => {
                if self.expecting_key() {
                    return self.set_key(text.into_owned(), span);
                }
                let (pointer, key) = self.child_position()?;
                let mark = self.entries.len();
                let value = scalar(&text, style, tag.as_deref());
                let tag = Noted::of(tag.as_deref(), self.offsets.text, span, Some(&text));
                let spans = NodeSpans { key, value: span };
                self.complete(value, pointer, spans, anchor, mark, tag)?;
            }
            Event::Alias(id) => self.alias(id, span)?,
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                if self.expecting_key() {
                    return Err(ParseError::new(
                        "a mapping or sequence used as a key is not supported",
                        span,
                    ));
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(ParseError::new(
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                        span,
                    ));
                }
                let (pointer, key) = self.child_position()?;
                let common = FrameCommon {
                    pointer,
                    key,
                    start: span.start,
                    anchor,
                    mark: self.entries.len(),
                    tag: Noted::of(tag.as_deref(), self.offsets.text, span, None),
                };
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Mapping {
                            map: Map::new(),
                            pending_key: None,
                            merges: Vec::new(),
                            common,
                        }
                    } else {
                        Frame::Sequence {
                            items: Vec::new(),
                            common,
                        }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (value, mut common) = match frame {
                    Frame::Sequence { items, common } => (Value::Array(items), common),
                    Frame::Mapping {
                        mut map,
                        merges,
                        common,
                        ..
                    } => {
                        self.apply_merges(&mut map, merges, &common.pointer);
                        (Value::Object(map), common)
                    }
                };
                let content_start = common
                    .tag
                    .as_ref()
                    .map_or(common.start, |t| t.content.start);
                let end = span.end.max(content_start);
                if let Some(tag) = &mut common.tag {
                    tag.content = Span::new(content_start, end);
                }
                let spans = NodeSpans {
                    key: common.key,
                    value: Span::new(common.start, end),
                };
                self.complete(
                    value,
                    common.pointer,
                    spans,
                    common.anchor,
                    common.mark,
                    common.tag,
                )?;
            }
        }
        Ok(())
    }

    pub(super) fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Mapping {
                pending_key: None,
                ..
            })
        )
    }

    fn set_key(&mut self, key: String, span: Span) -> Result<(), ParseError> {
        if let Some(Frame::Mapping {
            map, pending_key, ..
        }) = self.stack.last_mut()
        {
            if key != "<<" && map.contains_key(&key) {
                return Err(ParseError::new(
                    format!("duplicate key `{key}` in the same mapping"),
                    span,
                ));
            }
            *pending_key = Some((key, span));
        }
        Ok(())
    }

    /// The pointer and key span of the node that starts now.
    pub(super) fn child_position(&self) -> Result<(String, Option<Span>), ParseError> {
        Ok(match self.stack.last() {
            None => (String::new(), None),
            Some(Frame::Sequence { items, common }) => {
                (index_pointer(&common.pointer, items.len()), None)
            }
            Some(Frame::Mapping {
                pending_key: Some((key, key_span)),
                common,
                ..
            }) => (child_pointer(&common.pointer, key), Some(*key_span)),
            Some(Frame::Mapping { common, .. }) => (common.pointer.clone(), None),
        })
    }

    /// Records a finished node's spans and tag, remembers it if anchored, and hands it to its
    /// parent.
    fn complete(
        &mut self,
        value: Value,
        pointer: String,
        spans: NodeSpans,
        anchor: usize,
        mark: usize,
        tag: Option<Noted>,
    ) -> Result<(), ParseError> {
        let base = pointer.len();
        self.entries.push(Entry {
            pointer,
            spans,
            tag: tag.map(Box::new),
        });
        if anchor > 0 {
            let entries = self.entries[mark..]
                .iter()
                .map(|entry| entry.moved(entry.pointer[base..].to_owned()))
                .collect();
            self.anchors.insert(
                anchor,
                Anchor {
                    value: value.clone(),
                    entries,
                },
            );
        }
        self.attach(value, mark)
    }

    /// Hands a finished node to its parent (or makes it the document's root).
    pub(super) fn attach(&mut self, value: Value, mark: usize) -> Result<(), ParseError> {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping {
                map,
                pending_key,
                merges,
                common,
            }) => {
                let Some((key, _)) = pending_key.take() else {
                    return Ok(());
                };
                if key == "<<" {
                    let entries = self.entries.drain(mark..).collect();
                    let prefix = child_pointer(&common.pointer, "<<");
                    merges.push(Merge {
                        value,
                        entries,
                        prefix,
                    });
                } else {
                    map.insert(key, value);
                }
            }
        }
        Ok(())
    }

    fn end_document(&mut self) {
        // An empty document (a trailing `---`) is no document, as for kubectl.
        let Some(value) = self.root.take().filter(|v| !v.is_null()) else {
            self.entries.clear();
            return;
        };
        let mut spans = SpanTable::with_capacity(self.entries.len());
        let mut tags = Vec::new();
        for entry in self.entries.drain(..) {
            if let Some(tag) = entry.tag {
                tags.push(tag.at(entry.pointer.clone()));
            }
            spans.insert(entry.pointer, entry.spans);
        }
        self.documents.push(ParsedDocument { value, spans, tags });
    }
}

/// A scalar's value: YAML 1.2 core schema for a plain scalar, a string when quoted or block;
/// `!!str` makes it a string, another standard tag (`!!int`) reads it as plain. A local tag
/// (`!Name`) changes nothing.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag
        && tag.handle == "tag:yaml.org,2002:"
    {
        return match tag.suffix.as_str() {
            "str" => Value::String(text.to_owned()),
            _ => yaml_plain(text),
        };
    }
    match style {
        ScalarStyle::Plain => yaml_plain(text),
        _ => Value::String(text.to_owned()),
    }
}
