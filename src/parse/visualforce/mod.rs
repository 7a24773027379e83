//! Visualforce pages (`pages/*.page`) and components (`components/*.component`), lowered only
//! as far as policies need them: the Apex classes the root `<apex:page>` or
//! `<apex:component>` runs, `{"tag": "apex:page", "controllers": ["ShopController", …]}` —
//! its `controller` and each of its comma-separated `extensions`, each located at its name in
//! the attribute. A class a page runs is code its visitors call, like an `@AuraEnabled`
//! method.
//!
//! A page is markup in which HTML and JavaScript need not be well-formed XML, so it is read
//! with quick-xml's event reader without end-tag checks, only as far as the root tag.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde_json::{Value, json};

use super::{ParseError, ParsedDocument};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable};
use crate::parse::comments::Comment;
use crate::parse::{FileFormat, Format};

/// The attributes of the root tag that name the Apex classes it runs.
const CONTROLLER_ATTRIBUTES: &[&str] = &["controller", "extensions"];

pub fn parse(source: &SourceFile) -> Result<ParsedDocument, ParseError> {
    let text = source.text.as_str();
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut spans = SpanTable::default();
    let whole = Span::new(0, text.len());
    spans.insert(
        String::new(),
        NodeSpans {
            key: None,
            value: whole,
        },
    );
    loop {
        let event = reader.read_event().map_err(|error| {
            let at = usize::try_from(reader.error_position()).unwrap_or(text.len());
            ParseError::new(
                format!("this Visualforce markup cannot be read: {error}"),
                Span::new(at, (at + 1).min(text.len())),
            )
        })?;
        match event {
            Event::Start(tag) | Event::Empty(tag) => {
                let raw_name: &str = tag.name().into_inner();
                let name = raw_name.to_owned();
                let mut controllers = Vec::new();
                let lower = name.to_ascii_lowercase();
                if matches!(lower.as_str(), "apex:page" | "apex:component") {
                    controllers = controller_names(text, &tag, &mut spans);
                }
                let at = offset_span(text, raw_name.as_bytes());
                for pointer in ["/tag", "/controllers"] {
                    spans.insert(
                        pointer.to_owned(),
                        NodeSpans {
                            key: None,
                            value: at,
                        },
                    );
                }
                return Ok(ParsedDocument::new(
                    json!({"tag": name, "controllers": controllers}),
                    spans,
                ));
            }
            Event::Eof => {
                return Ok(ParsedDocument::new(
                    json!({"tag": Value::Null, "controllers": []}),
                    spans,
                ));
            }
            // Declarations, comments, doctype and text before the root.
            _ => {}
        }
    }
}

/// The class names of the root tag's controller attributes, with their spans recorded.
fn controller_names(text: &str, tag: &BytesStart<'_>, spans: &mut SpanTable) -> Vec<String> {
    let mut names = Vec::new();
    for attribute in tag.attributes().with_checks(false).flatten() {
        let key = attribute.key.into_inner().to_ascii_lowercase();
        if !CONTROLLER_ATTRIBUTES.contains(&key.as_str()) {
            continue;
        }
        let raw: &[u8] = attribute.value.as_bytes();
        let value_start = offset_span(text, raw).start;
        let mut at = 0;
        for part in raw.split(|&b| b == b',') {
            let trimmed_start = part.iter().position(|b| !b.is_ascii_whitespace());
            if let Some(lead) = trimmed_start {
                let trail = part
                    .iter()
                    .rposition(|b| !b.is_ascii_whitespace())
                    .unwrap_or(lead);
                let name = String::from_utf8_lossy(&part[lead..=trail]).into_owned();
                let start = value_start + at + lead;
                let span = Span::new(start, value_start + at + trail + 1);
                spans.insert(
                    format!("/controllers/{}", names.len()),
                    NodeSpans {
                        key: None,
                        value: span,
                    },
                );
                names.push(name);
            }
            at += part.len() + 1;
        }
    }
    names
}

/// Where a slice of `text` (as quick-xml hands it out, borrowed from the input) lies in it;
/// an empty span at the end for a slice that is not the text's.
fn offset_span(text: &str, slice: &[u8]) -> Span {
    let base = text.as_ptr() as usize;
    let start = slice.as_ptr() as usize;
    match start.checked_sub(base) {
        Some(offset) if offset + slice.len() <= text.len() => {
            Span::new(offset, offset + slice.len())
        }
        _ => Span::new(text.len(), text.len()),
    }
}

/// Visualforce pages and components (XML comments).
struct Visualforce;

impl Format {
    pub const VISUALFORCE: Format = Format::new(&Visualforce);
}

impl FileFormat for Visualforce {
    fn name(&self) -> &'static str {
        "Visualforce"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse(source).map(|doc| vec![doc])
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        crate::parse::xml::comments::comments(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(text: &str) -> (Value, SpanTable) {
        let source = SourceFile::new("pages/Shop.page", text.to_owned());
        let parsed = parse(&source).expect("parses");
        (parsed.value, parsed.spans)
    }

    fn at<'a>(text: &'a str, spans: &SpanTable, pointer: &str) -> &'a str {
        let span = spans.get(pointer).expect("located").value;
        &text[span.start..span.end]
    }

    #[test]
    fn controller_and_extensions_of_the_root_tag() {
        let text = "<!-- shop -->\n<apex:page controller=\"ShopController\" \
                    extensions=\"Cart, Wishlist\" showHeader=\"false\">\n<div>&nbsp;<br></div>\n";
        let (value, spans) = lowered(text);
        assert_eq!(
            value,
            json!({"tag": "apex:page", "controllers": ["ShopController", "Cart", "Wishlist"]})
        );
        assert_eq!(at(text, &spans, "/controllers/0"), "ShopController");
        assert_eq!(at(text, &spans, "/controllers/2"), "Wishlist");
    }

    #[test]
    fn a_component_and_a_page_without_apex() {
        let (value, _) = lowered("<apex:component controller='Picker'/>");
        assert_eq!(value["controllers"], json!(["Picker"]));
        let (value, _) = lowered("<apex:page standardController=\"Account\"></apex:page>");
        assert_eq!(value["controllers"], json!([]));
        let (value, _) = lowered("");
        assert_eq!(value["controllers"], json!([]));
    }

    #[test]
    fn unreadable_markup_is_located() {
        let source = SourceFile::new("pages/Bad.page", "<apex:page controller=\"A".to_owned());
        let error = parse(&source).expect_err("an unterminated tag");
        assert!(error.span.start <= source.text.len());
    }
}
