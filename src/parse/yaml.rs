//! YAML through `saphyr-parser`'s event stream, which carries a span on every scalar and
//! collection. Building the tree ourselves keeps three guarantees the loaders lack:
//! a span for every node, a bound on alias expansion ("billion laughs"), and duplicate keys
//! reported as errors instead of silently overwritten.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan, Tag};
use serde_json::{Map, Value};

use super::scalar::yaml_plain;
use super::{MAX_ALIAS_NODES, MAX_DEPTH, ParseError, ParsedDocument};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer};

pub fn parse(source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
    let mut builder = Builder::new(&source.text);
    for event in Parser::new_from_str(&source.text) {
        let (event, span) = event.map_err(|e| {
            let at = builder.offsets.byte(e.marker().index());
            ParseError::new(e.info().to_owned(), Span::new(at, at + 1))
        })?;
        builder.on_event(event, span)?;
    }
    Ok(builder.documents)
}

/// Converts the parser's character offsets to byte offsets. Events arrive almost in order,
/// so a cursor makes the conversion linear overall.
struct CharOffsets<'a> {
    text: &'a str,
    ascii: bool,
    char_pos: usize,
    byte_pos: usize,
}

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            ascii: text.is_ascii(),
            char_pos: 0,
            byte_pos: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.char_pos {
            self.char_pos = 0;
            self.byte_pos = 0;
        }
        let mut chars = self.text[self.byte_pos..].chars();
        while self.char_pos < char_index {
            let Some(c) = chars.next() else { break };
            self.char_pos += 1;
            self.byte_pos += c.len_utf8();
        }
        self.byte_pos
    }

    fn span(&mut self, span: &YamlSpan) -> Span {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        Span::new(start, end.max(start))
    }
}

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

/// The value of a `<<` key, its spans (recorded under `prefix`, the `<<` pointer).
struct Merge {
    value: Value,
    entries: Vec<(String, NodeSpans)>,
    prefix: String,
}

struct FrameCommon {
    pointer: String,
    key: Option<Span>,
    start: usize,
    anchor: usize,
    /// Index into `Builder::entries` where this node's descendants begin.
    mark: usize,
}

struct Anchor {
    value: Value,
    entries: Vec<(String, NodeSpans)>,
}

struct Builder<'a> {
    offsets: CharOffsets<'a>,
    stack: Vec<Frame>,
    /// Span entries in completion order, so a node's subtree is a contiguous tail.
    entries: Vec<(String, NodeSpans)>,
    anchors: HashMap<usize, Anchor>,
    alias_nodes: usize,
    root: Option<Value>,
    documents: Vec<ParsedDocument>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
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

    fn on_event(&mut self, event: Event, span: YamlSpan) -> Result<(), ParseError> {
        let span = self.offsets.span(&span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                self.entries.clear();
                self.root = None;
            }
            Event::DocumentEnd => self.end_document(),
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(&text, style, tag.as_deref());
                if self.expecting_key() {
                    return self.set_key(text.into_owned(), span);
                }
                let (pointer, key) = self.child_position()?;
                let mark = self.entries.len();
                self.complete(value, pointer, key, span, anchor, mark)?;
            }
            Event::Alias(id) => self.alias(id, span)?,
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
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
                let (value, common) = match frame {
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
                let whole = Span::new(common.start, span.end.max(common.start));
                self.complete(
                    value,
                    common.pointer,
                    common.key,
                    whole,
                    common.anchor,
                    common.mark,
                )?;
            }
        }
        Ok(())
    }

    fn expecting_key(&self) -> bool {
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
    fn child_position(&self) -> Result<(String, Option<Span>), ParseError> {
        Ok(match self.stack.last() {
            None => (String::new(), None),
            Some(Frame::Sequence { items, common }) => (
                child_pointer(&common.pointer, &items.len().to_string()),
                None,
            ),
            Some(Frame::Mapping {
                pending_key: Some((key, key_span)),
                common,
                ..
            }) => (child_pointer(&common.pointer, key), Some(*key_span)),
            Some(Frame::Mapping { common, .. }) => (common.pointer.clone(), None),
        })
    }

    /// Records a finished node's spans, remembers it if anchored, and hands it to its parent.
    fn complete(
        &mut self,
        value: Value,
        pointer: String,
        key: Option<Span>,
        span: Span,
        anchor: usize,
        mark: usize,
    ) -> Result<(), ParseError> {
        self.entries
            .push((pointer.clone(), NodeSpans { key, value: span }));
        if anchor > 0 {
            let entries = self.entries[mark..]
                .iter()
                .map(|(p, s)| (p[pointer.len()..].to_owned(), *s))
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

    fn attach(&mut self, value: Value, mark: usize) -> Result<(), ParseError> {
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

    fn alias(&mut self, id: usize, span: Span) -> Result<(), ParseError> {
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
        let inner: Vec<_> = anchor
            .entries
            .iter()
            .filter(|(rel, _)| !rel.is_empty())
            .map(|(rel, s)| (format!("{pointer}{rel}"), *s))
            .collect();
        self.entries.extend(inner);
        self.entries.push((pointer, NodeSpans { key, value: span }));
        self.attach(value, mark)
    }

    fn apply_merges(&mut self, map: &mut Map<String, Value>, merges: Vec<Merge>, pointer: &str) {
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
                    .map(|(i, v)| (v, child_pointer(&prefix, &i.to_string())))
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
                    for (p, s) in &entries {
                        if p == &old || p.starts_with(&old_children) {
                            self.entries.push((format!("{new}{}", &p[old.len()..]), *s));
                        }
                    }
                    map.insert(key, value);
                }
            }
        }
    }

    fn end_document(&mut self) {
        // An empty document (a trailing `---`) is no document, as for kubectl.
        let Some(value) = self.root.take().filter(|v| !v.is_null()) else {
            self.entries.clear();
            return;
        };
        let mut spans = SpanTable::default();
        for (pointer, node) in self.entries.drain(..) {
            spans.insert(pointer, node);
        }
        self.documents.push(ParsedDocument { value, spans });
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn docs(text: &str) -> (SourceFile, Vec<ParsedDocument>) {
        let source = SourceFile::new("t.yaml", text.to_owned());
        let parsed = parse(&source).expect("parses");
        (source, parsed)
    }

    fn at(source: &SourceFile, span: Span) -> (usize, usize) {
        let p = source.position(span.start);
        (p.line, p.column)
    }

    #[test]
    fn keys_values_and_nested_sequences() {
        let (source, d) = docs("a:\n  b:\n    - x: 1\n    - [2, 'three']\non: yes\n");
        assert_eq!(
            d[0].value,
            json!({"a": {"b": [{"x": 1}, [2, "three"]]}, "on": "yes"})
        );
        let x = d[0].spans.get("/a/b/0/x").expect("span");
        assert_eq!(at(&source, x.key.expect("key")), (3, 7));
        assert_eq!(at(&source, x.value), (3, 10));
        let three = d[0].spans.get("/a/b/1/1").expect("span");
        // A quoted scalar's span starts at its opening quote.
        assert_eq!(at(&source, three.value), (4, 11));
        let b = d[0].spans.get("/a/b").expect("span");
        assert_eq!(at(&source, b.key.expect("key")), (2, 3));
    }

    #[test]
    fn multi_document_streams() {
        let (source, d) = docs("kind: A\n---\nkind: B\n---\n");
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].value, json!({"kind": "B"}));
        let kind = d[1].spans.get("/kind").expect("span");
        assert_eq!(at(&source, kind.value), (3, 7));
    }

    #[test]
    fn crlf_bom_and_multibyte() {
        let (source, d) = docs("\u{feff}名前: 値\r\nk: true\r\n");
        let k = d[0].spans.get("/k").expect("span");
        assert_eq!(at(&source, k.value), (2, 4));
        let name = d[0].spans.get("/名前").expect("span");
        assert_eq!(at(&source, name.value), (1, 5));
    }

    #[test]
    fn aliases_are_located_at_their_anchor() {
        let (source, d) = docs("base: &b\n  port: 22\nuse: *b\n");
        assert_eq!(d[0].value["use"], json!({"port": 22}));
        let port = d[0].spans.get("/use/port").expect("span");
        assert_eq!(at(&source, port.value), (2, 9));
        let used = d[0].spans.get("/use").expect("span");
        assert_eq!(at(&source, used.value), (3, 6));
    }

    #[test]
    fn merge_keys_explicit_wins() {
        let (source, d) = docs("a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  y: 3\n");
        assert_eq!(d[0].value["b"], json!({"y": 3, "x": 1}));
        let x = d[0].spans.get("/b/x").expect("span");
        assert_eq!(at(&source, x.value), (1, 11));
        assert!(d[0].spans.get("/b/<<").is_none());
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let source = SourceFile::new("t.yaml", "a: 1\nb: 2\na: 3\n".to_owned());
        let err = parse(&source).expect_err("duplicate");
        assert!(err.message.contains("duplicate key `a`"));
        assert_eq!(source.position(err.span.start).line, 3);
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let source = SourceFile::new("t.yaml", text);
        let err = parse(&source).expect_err("bomb");
        assert!(err.message.contains("aliases expand"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let source = SourceFile::new("t.yaml", "a: 1\nb: [1, 2\nc: 3\n".to_owned());
        let err = parse(&source).expect_err("malformed");
        assert!(source.position(err.span.start).line >= 2);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let source = SourceFile::new("t.yaml", "[".repeat(100_000));
        assert!(parse(&source).is_err());
    }
}
