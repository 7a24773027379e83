//! YAML through `saphyr-parser`'s event stream, which carries a span on every scalar and
//! collection. Building the tree ourselves keeps three guarantees the loaders lack:
//! a span for every node, a bound on alias expansion ("billion laughs"), and duplicate keys
//! reported as errors instead of silently overwritten.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan, Tag};
use serde_json::{Map, Value};

/// A YAML stream may not expand aliases to more nodes than this (a "billion laughs" guard).
pub const MAX_ALIAS_NODES: usize = 1_000_000;

use super::scalar::yaml_plain;
use super::{MAX_DEPTH, ParseError, ParsedDocument};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer};
use crate::parse::comments::{Comment, Strings, outside_strings};
use crate::parse::{FileFormat, Format};

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
    /// A CloudFormation short-form tag on this collection: the node is lowered to
    /// `{"Fn::X": <collection>}` and the collection itself sits one level down.
    intrinsic: Option<Intrinsic>,
}

/// Where a tagged collection's wrapper object goes once the collection is complete.
struct Intrinsic {
    /// The wrapper's pointer and key span (the collection's own are one level down).
    pointer: String,
    key: Option<Span>,
    /// Where the wrapper starts: at the tag (or the anchor before it).
    start: usize,
    /// `Ref`, `Condition` or `Fn::X`.
    name: &'static str,
    anchor: usize,
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
                if self.expecting_key() {
                    return self.set_key(text.into_owned(), span);
                }
                let (pointer, key) = self.child_position()?;
                let mark = self.entries.len();
                if let Some(name) = tag.as_deref().and_then(intrinsic_name) {
                    let value = self.intrinsic_scalar(name, text.into_owned(), &pointer, span);
                    self.complete(value, pointer, key, span, anchor, mark)?;
                } else {
                    let value = scalar(&text, style, tag.as_deref());
                    self.complete(value, pointer, key, span, anchor, mark)?;
                }
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
                let common = match tag.as_deref().and_then(intrinsic_name) {
                    // The collection becomes the value of the wrapper's only member, keyed
                    // by the tag; the anchor names the wrapper, as the tag does.
                    Some(name) => {
                        let (tag_span, value_start) = self.properties(span);
                        FrameCommon {
                            pointer: child_pointer(&pointer, name),
                            key: Some(tag_span),
                            start: value_start,
                            anchor: 0,
                            mark: self.entries.len(),
                            intrinsic: Some(Intrinsic {
                                pointer,
                                key,
                                start: span.start,
                                name,
                                anchor,
                            }),
                        }
                    }
                    None => FrameCommon {
                        pointer,
                        key,
                        start: span.start,
                        anchor,
                        mark: self.entries.len(),
                        intrinsic: None,
                    },
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
                match common.intrinsic {
                    None => self.complete(
                        value,
                        common.pointer,
                        common.key,
                        whole,
                        common.anchor,
                        common.mark,
                    )?,
                    Some(intrinsic) => {
                        self.entries.push((
                            common.pointer,
                            NodeSpans {
                                key: common.key,
                                value: whole,
                            },
                        ));
                        let mut wrapper = Map::new();
                        wrapper.insert(intrinsic.name.to_owned(), value);
                        let outer = Span::new(intrinsic.start, whole.end.max(intrinsic.start));
                        self.complete(
                            Value::Object(wrapper),
                            intrinsic.pointer,
                            intrinsic.key,
                            outer,
                            intrinsic.anchor,
                            common.mark,
                        )?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Lowers a tagged scalar (`!Ref X`, `!GetAtt a.b`, `!Sub '…'`) to its long form and
    /// records the spans of its inner member; the wrapper's own spans are the caller's.
    fn intrinsic_scalar(
        &mut self,
        name: &'static str,
        text: String,
        pointer: &str,
        span: Span,
    ) -> Value {
        let (tag_span, value_start) = self.properties(span);
        let value_span = Span::new(value_start.min(span.end), span.end);
        let inner_pointer = child_pointer(pointer, name);
        // The string form of `!GetAtt` names the resource and the attribute with one dot;
        // the long form is always the two-element list.
        let inner = match text.split_once('.') {
            Some((resource, attribute)) if name == "Fn::GetAtt" => {
                let written = self
                    .offsets
                    .text
                    .get(value_span.start..value_span.end)
                    .unwrap_or_default();
                // Each part gets its own span when the scalar is written as is.
                let offset = if written == text {
                    Some(0)
                } else if written.len() == text.len() + 2
                    && written.get(1..written.len() - 1) == Some(text.as_str())
                {
                    Some(1)
                } else {
                    None
                };
                let parts = match offset {
                    Some(o) => {
                        let dot = value_span.start + o + resource.len();
                        [
                            Span::new(value_span.start + o, dot),
                            Span::new(dot + 1, value_span.end - o),
                        ]
                    }
                    None => [value_span, value_span],
                };
                for (i, part) in parts.into_iter().enumerate() {
                    self.entries.push((
                        child_pointer(&inner_pointer, &i.to_string()),
                        NodeSpans {
                            key: None,
                            value: part,
                        },
                    ));
                }
                Value::Array(vec![
                    Value::String(resource.to_owned()),
                    Value::String(attribute.to_owned()),
                ])
            }
            // A tag's argument is its text: `!Ref 123` names `"123"`, as CloudFormation reads it.
            _ => Value::String(text),
        };
        self.entries.push((
            inner_pointer,
            NodeSpans {
                key: Some(tag_span),
                value: value_span,
            },
        ));
        let mut wrapper = Map::new();
        wrapper.insert(name.to_owned(), inner);
        Value::Object(wrapper)
    }

    /// The span of the tag among a node's properties (`&anchor !Tag`, in either order) and
    /// where the node's content starts, past the properties, spaces and comments.
    fn properties(&self, span: Span) -> (Span, usize) {
        let text = self.offsets.text;
        let bytes = text.as_bytes();
        let end = span.end.min(bytes.len());
        let mut at = span.start.min(end);
        let mut tag = Span::new(at, at);
        let mut found_tag = false;
        loop {
            // Spaces, line breaks and comments between properties and content.
            while at < end {
                match bytes[at] {
                    b' ' | b'\t' | b'\r' | b'\n' => at += 1,
                    b'#' => {
                        while at < end && bytes[at] != b'\n' {
                            at += 1;
                        }
                    }
                    _ => break,
                }
            }
            if at >= end || !matches!(bytes[at], b'!' | b'&') {
                break;
            }
            let token_start = at;
            while at < end
                && !matches!(
                    bytes[at],
                    b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                )
            {
                at += 1;
            }
            if bytes[token_start] == b'!' && !found_tag {
                tag = Span::new(token_start, at);
                found_tag = true;
            }
        }
        (tag, at)
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

/// CloudFormation's short-form intrinsic functions (`!Ref`, `!GetAtt`, …) and the names of
/// their long forms, the only spelling CloudFormation JSON templates have.
const INTRINSICS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("ImportValue", "Fn::ImportValue"),
    ("GetAZs", "Fn::GetAZs"),
    ("Transform", "Fn::Transform"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Length", "Fn::Length"),
];

/// The long-form name of a CloudFormation short-form tag (a local `!Name` tag), if it is one.
fn intrinsic_name(tag: &Tag) -> Option<&'static str> {
    if tag.handle != "!" {
        return None;
    }
    INTRINSICS
        .iter()
        .find(|(short, _)| *short == tag.suffix)
        .map(|(_, long)| *long)
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

/// YAML (the YAML parser's spans: `#` outside every scalar and key).
struct Yaml;

impl Format {
    pub const YAML: Format = Format::new(&Yaml);
}

impl FileFormat for Yaml {
    fn name(&self) -> &'static str {
        "YAML"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse(source)
    }

    fn comments(&self, text: &str, parsed: &[ParsedDocument]) -> Vec<Comment> {
        outside_strings(text, &Strings::of(text, parsed, true), false)
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

    fn text_at(source: &SourceFile, span: Span) -> &str {
        &source.text[span.start..span.end]
    }

    #[test]
    fn cloudformation_short_forms_lower_to_long_forms() {
        let (_, d) = docs(concat!(
            "a: !Ref Bucket\n",
            "b: !GetAtt Role.Arn\n",
            "c: !GetAtt [Role, Arn]\n",
            "d: !If [IsProd, !Ref A, !Ref \"AWS::NoValue\"]\n",
            "e: !Sub\n  - 'arn:${Id}'\n  - {Id: !Ref X}\n",
            "f: !Base64\n  Fn::Sub: x\n",
            "g: !GetAZs ''\n",
            "h: !Condition IsProd\n",
            "i: !Ref 123\n",
            "j: !Select [0, !GetAZs '']\n",
        ));
        assert_eq!(
            d[0].value,
            json!({
                "a": {"Ref": "Bucket"},
                "b": {"Fn::GetAtt": ["Role", "Arn"]},
                "c": {"Fn::GetAtt": ["Role", "Arn"]},
                "d": {"Fn::If": ["IsProd", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]},
                "e": {"Fn::Sub": ["arn:${Id}", {"Id": {"Ref": "X"}}]},
                "f": {"Fn::Base64": {"Fn::Sub": "x"}},
                "g": {"Fn::GetAZs": ""},
                "h": {"Condition": "IsProd"},
                "i": {"Ref": "123"},
                "j": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
            })
        );
    }

    #[test]
    fn intrinsic_spans_tag_value_and_whole() {
        let (source, d) = docs(
            "a: !Ref Bucket\nd: !If [IsProd, !Ref A, !Ref \"AWS::NoValue\"]\nb: !GetAtt 'Role.Arn'\n",
        );
        let spans = &d[0].spans;
        let a = spans.get("/a").expect("span");
        assert_eq!(text_at(&source, a.value), "!Ref Bucket");
        assert_eq!(text_at(&source, a.key.expect("key")), "a");
        let inner = spans.get("/a/Ref").expect("span");
        assert_eq!(text_at(&source, inner.key.expect("key")), "!Ref");
        assert_eq!(text_at(&source, inner.value), "Bucket");
        // A nested `!Ref` inside a flow sequence of `!If`.
        let nested = spans.get("/d/Fn::If/2/Ref").expect("span");
        assert_eq!(at(&source, nested.value), (2, 30));
        assert_eq!(text_at(&source, nested.value), "\"AWS::NoValue\"");
        assert_eq!(at(&source, nested.key.expect("key")), (2, 25));
        let wrapper = spans.get("/d/Fn::If/2").expect("span");
        assert_eq!(text_at(&source, wrapper.value), "!Ref \"AWS::NoValue\"");
        let if_inner = spans.get("/d/Fn::If").expect("span");
        assert_eq!(text_at(&source, if_inner.key.expect("key")), "!If");
        assert!(text_at(&source, if_inner.value).starts_with("[IsProd"));
        let d_whole = spans.get("/d").expect("span");
        assert!(text_at(&source, d_whole.value).starts_with("!If ["));
        // The string form of `!GetAtt` splits into two located parts.
        assert_eq!(
            text_at(&source, spans.get("/b/Fn::GetAtt/0").expect("span").value),
            "Role"
        );
        assert_eq!(
            text_at(&source, spans.get("/b/Fn::GetAtt/1").expect("span").value),
            "Arn"
        );
    }

    #[test]
    fn block_collections_with_tags_and_comments() {
        let (source, d) =
            docs("e: !Join # joined\n  - ','\n  - [a, b]\nf: !Base64\n  Fn::Sub: x\n");
        assert_eq!(d[0].value["e"], json!({"Fn::Join": [",", ["a", "b"]]}));
        let join = d[0].spans.get("/e/Fn::Join").expect("span");
        assert_eq!(text_at(&source, join.key.expect("key")), "!Join");
        assert_eq!(at(&source, join.value), (2, 3));
        let item = d[0].spans.get("/e/Fn::Join/1/0").expect("span");
        assert_eq!(at(&source, item.value), (3, 6));
        let sub = d[0].spans.get("/f/Fn::Base64/Fn::Sub").expect("span");
        assert_eq!(at(&source, sub.value), (5, 12));
    }

    #[test]
    fn anchors_and_aliases_with_tags() {
        let (source, d) = docs(concat!(
            "a: &r !Ref Bucket\n",
            "b: !Ref &s Other\n",
            "c: &j !Join [',', [x, y]]\n",
            "d: [*r, *s, *j]\n",
        ));
        assert_eq!(
            d[0].value["d"],
            json!([{"Ref": "Bucket"}, {"Ref": "Other"}, {"Fn::Join": [",", ["x", "y"]]}])
        );
        // Inside an alias, nodes are located where the anchor writes them.
        let r = d[0].spans.get("/d/0/Ref").expect("span");
        assert_eq!(at(&source, r.value), (1, 12));
        assert_eq!(text_at(&source, r.key.expect("key")), "!Ref");
        let s = d[0].spans.get("/d/1/Ref").expect("span");
        assert_eq!(text_at(&source, s.value), "Other");
        assert_eq!(text_at(&source, s.key.expect("key")), "!Ref");
        let y = d[0].spans.get("/d/2/Fn::Join/1/1").expect("span");
        assert_eq!(at(&source, y.value), (3, 23));
        let alias = d[0].spans.get("/d/2").expect("span");
        assert_eq!(text_at(&source, alias.value), "*j");
    }

    #[test]
    fn other_tags_keep_the_plain_value() {
        let (_, d) = docs("a: !!str 123\nb: !Custom 5\nc: !Custom [1]\nd: !!int 7\ne: !Ref\n");
        assert_eq!(
            d[0].value,
            json!({"a": "123", "b": 5, "c": [1], "d": 7, "e": {"Ref": ""}})
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let source = SourceFile::new("t.yaml", "[".repeat(100_000));
        assert!(parse(&source).is_err());
    }
}
