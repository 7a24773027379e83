//! CloudFormation's short-form tags lowered to the long form JSON templates use (`!Ref X` →
//! `{"Ref": "X"}`, `!GetAtt a.b` → `{"Fn::GetAtt": ["a", "b"]}`, `!Sub`/`!If`/… →
//! `{"Fn::Sub": …}`), nested or not, so one policy reads both. The YAML parser only notes the
//! tags ([`LocalTag`]); here each tagged node becomes a one-member object located where the
//! node is written (tag and argument), its member's key at the tag and its value at the
//! tag's argument, whose own nodes keep their spans one level down (`/a/Fn::If/1`). Other
//! tags are ignored: the node keeps its plain value.
//!
//! Across the template, `Ref`s to parameters take their defaults ([`parameters`]).

mod parameters;

pub use parameters::substitute as substitute_parameters;

use foldhash::HashMap;
use std::borrow::Cow;
use std::cmp::Reverse;

use serde_json::{Map, Value};

use crate::document::{NodeSpans, Span, SpanTable, child_pointer, index_pointer};
use crate::parse::{LocalTag, ParsedDocument};

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

/// The long-form name of a short-form tag's name (`GetAtt` → `Fn::GetAtt`), if it is one.
fn long_form(short: &str) -> Option<&'static str> {
    INTRINSICS
        .iter()
        .find(|(name, _)| *name == short)
        .map(|(_, long)| *long)
}

/// `template` with its short-form tags in the long form; `text` is the file's text.
pub fn lower(template: ParsedDocument, text: &str) -> ParsedDocument {
    let ParsedDocument {
        mut value,
        spans,
        tags,
    } = template;
    let mut intrinsics: Vec<(&LocalTag, &'static str)> = tags
        .iter()
        .filter_map(|tag| Some((tag, long_form(&tag.name)?)))
        .collect();
    if intrinsics.is_empty() {
        return ParsedDocument::new(value, spans);
    }
    // What a tagged mapping or sequence holds moves one level down, under the long form's
    // name: `/a/0` becomes `/a/Fn::If/0`.
    let wrapped: HashMap<&str, &str> = intrinsics
        .iter()
        .filter(|(tag, _)| tag.text.is_none())
        .map(|(tag, name)| (tag.pointer.as_str(), *name))
        .collect();
    let mut lowered = if wrapped.is_empty() {
        spans
    } else {
        let mut moved_spans = SpanTable::with_capacity(spans.len());
        for (pointer, node) in spans.iter() {
            moved_spans.set(&moved(pointer, &wrapped), *node);
        }
        moved_spans
    };
    // Deepest first, so that a tag's pointer still leads to its node: only the nodes below a
    // lowered one move.
    intrinsics.sort_by_key(|(tag, _)| Reverse(tag.pointer.matches('/').count()));
    for (tag, name) in intrinsics {
        let Some(node) = value.pointer_mut(&tag.pointer) else {
            continue;
        };
        let member = child_pointer(&moved(&tag.pointer, &wrapped), name);
        let argument = match &tag.text {
            Some(scalar) => argument(name, scalar, tag.content, text, &member, &mut lowered),
            None => node.take(),
        };
        lowered.insert(
            member,
            NodeSpans {
                key: Some(tag.span),
                value: tag.content,
            },
        );
        let mut wrapper = Map::new();
        wrapper.insert(name.to_owned(), argument);
        *node = Value::Object(wrapper);
    }
    ParsedDocument::new(value, lowered)
}

/// `pointer` once every tagged collection above it holds its content one level down (as
/// it is, without a copy, when none is above it: most nodes of a template).
fn moved<'p>(pointer: &'p str, wrapped: &HashMap<&str, &str>) -> Cow<'p, str> {
    let mut out: Option<String> = None;
    let mut from = 0;
    // Every ancestor ends where a `/` starts: "" (the root), `/a`, `/a/0`, …
    for at in memchr::memchr_iter(b'/', pointer.as_bytes()) {
        if let Some(name) = wrapped.get(&pointer[..at]) {
            let out = out.get_or_insert_with(|| String::with_capacity(pointer.len() + 16));
            out.push_str(&pointer[from..at]);
            out.push('/');
            out.push_str(name);
            from = at;
        }
    }
    match out {
        None => Cow::Borrowed(pointer),
        Some(mut out) => {
            out.push_str(&pointer[from..]);
            Cow::Owned(out)
        }
    }
}

/// A tagged scalar's argument: its text (`!Ref 123` names `"123"`, as CloudFormation reads
/// it), but for the string form of `!GetAtt`, which names the resource and the attribute
/// with one dot and whose long form is always the two-element list.
fn argument(
    name: &str,
    scalar: &str,
    content: Span,
    text: &str,
    member: &str,
    spans: &mut SpanTable,
) -> Value {
    let Some((resource, attribute)) = scalar.split_once('.').filter(|_| name == "Fn::GetAtt")
    else {
        return Value::String(scalar.to_owned());
    };
    let written = text.get(content.start..content.end).unwrap_or_default();
    // Each part gets its own span when the scalar is written as is, or just quoted.
    let offset = if written == scalar {
        Some(0)
    } else if written.len() == scalar.len() + 2 && written.get(1..written.len() - 1) == Some(scalar)
    {
        Some(1)
    } else {
        None
    };
    let parts = match offset {
        Some(o) => {
            let dot = content.start + o + resource.len();
            [
                Span::new(content.start + o, dot),
                Span::new(dot + 1, content.end - o),
            ]
        }
        None => [content, content],
    };
    for (i, part) in parts.into_iter().enumerate() {
        spans.insert(
            index_pointer(member, i),
            NodeSpans {
                key: None,
                value: part,
            },
        );
    }
    Value::Array(vec![
        Value::String(resource.to_owned()),
        Value::String(attribute.to_owned()),
    ])
}

#[cfg(test)]
mod tests;
