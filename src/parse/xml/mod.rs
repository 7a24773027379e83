//! XML through `roxmltree` (no DTDs, so no entity expansion and no external entities).
//!
//! The mapping is the one Salesforce metadata needs to be queried like JSON:
//! - the document is `{RootElement: …}`;
//! - an element with only text becomes a scalar (typed by [`super::scalar::xml_text`]);
//! - an element with child elements or attributes becomes an object: attributes as `@name`,
//!   children by element name, non-blank text beside children as `#text`;
//! - a child whose name is in [`REPEATED_ELEMENTS`], or that occurs more than once, becomes
//!   an array, so one policy matches a file with one `objectPermissions` and a file with many.

pub mod comments;

use foldhash::HashMap;

use roxmltree::{Node, ParsingOptions};
use serde_json::{Map, Value};

use super::scalar::xml_text;
use super::{MAX_DEPTH, ParseError, ParsedDocument, byte_at};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer, escape_token};
use crate::parse::comments::Comment;
use crate::parse::{FileFormat, Format};

/// Elements that the Salesforce Metadata API declares as lists (`maxOccurs="unbounded"`)
/// in the types doublecheck reads, so they are arrays even when a file holds just one.
pub const REPEATED_ELEMENTS: &[&str] = &[
    // Profile, PermissionSet, MutingPermissionSet
    "applicationVisibilities",
    "categoryGroupVisibilities",
    "classAccesses",
    "customMetadataTypeAccesses",
    "customPermissions",
    "customSettingAccesses",
    "externalCredentialPrincipalAccesses",
    "externalDataSourceAccesses",
    "fieldPermissions",
    "flowAccesses",
    "layoutAssignments",
    "loginFlows",
    "loginIpRanges",
    "objectPermissions",
    "pageAccesses",
    "profileActionOverrides",
    "recordTypeVisibilities",
    "tabSettings",
    "tabVisibilities",
    "userPermissions",
    // SharingRules
    "sharingCriteriaRules",
    "sharingGuestRules",
    "sharingOwnerRules",
    "sharingTerritoryRules",
    "criteriaItems",
    // CustomObject
    "fields",
    "listViews",
    "recordTypes",
    "validationRules",
    "webLinks",
    "fieldSets",
    "compactLayouts",
    "businessProcesses",
    "actionOverrides",
    // Network, CustomSite
    "networkMemberGroups",
    "networkPageOverrides",
    "customUrls",
    "siteRedirectMappings",
    "siteIframeWhiteListUrls",
    // PermissionSetGroup, package.xml
    "permissionSets",
    "mutingPermissionSets",
    "types",
    "members",
];

pub fn parse(source: &SourceFile) -> Result<ParsedDocument, ParseError> {
    check_depth(&source.text)?;
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let tree = roxmltree::Document::parse_with_options(&source.text, options).map_err(|e| {
        if matches!(e, roxmltree::Error::DtdDetected)
            && let Some(at) = source.text.find("<!DOCTYPE")
        {
            // roxmltree reports it at 1:1; the declaration is where the reader should look.
            return ParseError::new(
                "a DTD (`<!DOCTYPE`) is refused: entities are never expanded and external \
                 ones never fetched",
                Span::new(at, at + "<!DOCTYPE".len()),
            );
        }
        let pos = e.pos();
        let at = byte_at(source, pos.row as usize, pos.col as usize);
        ParseError::new(e.to_string(), Span::new(at, at + 1))
    })?;
    let root = tree.root_element();
    // Every element and attribute is located (and an array for each repeated name, which
    // the growth of the table absorbs): sized once instead of rehashed as it grows.
    let located: usize = root
        .descendants()
        .filter(|n| n.is_element())
        .map(|n| 1 + n.attributes().len())
        .sum();
    let mut spans = SpanTable::with_capacity(located + 1);
    let name = root.tag_name().name().to_owned();
    let mut pointer = child_pointer("", &name);
    let value = lower_element(root, &mut pointer, &mut spans);
    let mut map = Map::new();
    map.insert(name, value);
    spans.insert(
        String::new(),
        NodeSpans {
            key: None,
            value: Span::new(0, source.text.len()),
        },
    );
    Ok(ParsedDocument::new(Value::Object(map), spans))
}

/// Lowers `element`, whose pointer is `pointer`. The pointer is one buffer for the whole
/// document: each child's is written after it and cut off again, so no node's pointer is
/// a string of its own (the span table copies it).
fn lower_element(element: Node, pointer: &mut String, spans: &mut SpanTable) -> Value {
    let range = element.range();
    // The name as written after `<` (prefix included), up to a space, `/` or `>`: rebuilding
    // it from the parsed name and prefix went wrong for odd names such as `<:é/>` (fuzzing).
    let input = element.document().input_text();
    let name_start = (range.start + 1).min(input.len());
    let name_len = input[name_start..]
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(input.len() - name_start);
    let key = Span::new(name_start, name_start + name_len);
    let children: Vec<Node> = element.children().filter(Node::is_element).collect();
    let attributes: Vec<_> = element.attributes().collect();

    if children.is_empty() && attributes.is_empty() {
        let (value, value_span) = match text_span(element) {
            Some((text, span)) => (xml_text(text), span),
            None => (
                Value::String(String::new()),
                Span::new(range.start, range.end),
            ),
        };
        spans.set(
            pointer,
            NodeSpans {
                key: Some(key),
                value: value_span,
            },
        );
        return value;
    }

    let mut map = Map::new();
    for attribute in attributes {
        let name = format!("@{}", attribute.name());
        let value_range = attribute.range_value();
        let qname = attribute.range_qname();
        spans.set_child(
            pointer,
            &name,
            NodeSpans {
                key: Some(Span::new(qname.start, qname.end)),
                value: Span::new(value_range.start, value_range.end),
            },
        );
        map.insert(name, xml_text(attribute.value()));
    }
    let repeats = Repeats::of(&children);
    let own = pointer.len();
    for node in &children {
        let name = node.tag_name().name();
        push_token(pointer, name);
        if REPEATED_ELEMENTS.contains(&name) || repeats.repeats(name) {
            let array = pointer.len();
            match map.get_mut(name) {
                Some(Value::Array(items)) => {
                    push_index(pointer, items.len());
                    items.push(lower_element(*node, pointer, spans));
                }
                _ => {
                    push_index(pointer, 0);
                    let item = lower_element(*node, pointer, spans);
                    // The name is copied once, for the first item (a profile repeats some
                    // thousands).
                    map.insert(name.to_owned(), Value::Array(vec![item]));
                    // The array itself is located at its first element, as the parent that
                    // holds it.
                    if let Some(first) = spans.get(pointer).copied() {
                        pointer.truncate(array);
                        spans.set(pointer, first);
                    }
                }
            }
        } else {
            let value = lower_element(*node, pointer, spans);
            map.insert(name.to_owned(), value);
        }
        pointer.truncate(own);
    }
    if let Some((text, _)) = text_span(element) {
        map.insert("#text".to_owned(), Value::String(text.to_owned()));
    }
    spans.set(
        pointer,
        NodeSpans {
            key: Some(key),
            value: Span::new(range.start, range.end),
        },
    );
    Value::Object(map)
}

/// Writes the pointer of the child `key` after its parent's in `pointer` (see
/// [`crate::document::child_pointer`]).
fn push_token(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&escape_token(key));
}

/// Writes the pointer of the item `index` after its array's in `pointer`.
fn push_index(pointer: &mut String, index: usize) {
    pointer.push('/');
    pointer.push_str(itoa::Buffer::new().format(index));
}

/// Which names occur more than once among an element's children (their values become
/// arrays): decided by comparing names for a few children, counted once for many, so it
/// stays linear in the children either way.
enum Repeats<'a> {
    Few(&'a [Node<'a, 'a>]),
    Counted(HashMap<&'a str, usize>),
}

impl<'a> Repeats<'a> {
    /// Up to this many children, comparing every pair costs less than a table.
    const FEW: usize = 16;

    fn of(children: &'a [Node<'a, 'a>]) -> Self {
        if children.len() <= Self::FEW {
            return Repeats::Few(children);
        }
        let mut counts: HashMap<&str, usize> = HashMap::default();
        for node in children {
            *counts.entry(node.tag_name().name()).or_default() += 1;
        }
        Repeats::Counted(counts)
    }

    fn repeats(&self, name: &str) -> bool {
        match self {
            Repeats::Few(children) => {
                let mut same = children.iter().filter(|n| n.tag_name().name() == name);
                same.next().is_some() && same.next().is_some()
            }
            Repeats::Counted(counts) => counts.get(name).is_some_and(|n| *n > 1),
        }
    }
}

/// The element's direct, non-blank text, trimmed, with its byte range.
fn text_span<'a>(element: Node<'a, 'a>) -> Option<(&'a str, Span)> {
    let node = element
        .children()
        .find(|c| c.is_text() && c.text().is_some_and(|t| !is_blank(t)))?;
    let text = node.text()?;
    let range = node.range();
    let trimmed = text.trim();
    // The node's text may differ from the source when entities were decoded; only trust
    // the range arithmetic when the raw slice matches.
    let lead = text.len() - text.trim_start().len();
    let start = range.start + lead;
    let span = if range.end - range.start == text.len() {
        Span::new(start, start + trimmed.len())
    } else {
        Span::new(range.start, range.end)
    };
    Some((trimmed, span))
}

/// Whether `text` is only white space (`str::trim` would leave nothing). Almost every text
/// node between elements is indentation: it is tested byte by byte, and only text with
/// other than ASCII in it is decoded.
fn is_blank(text: &str) -> bool {
    let ascii_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    match text.bytes().position(|b| !ascii_space(&b)) {
        None => true,
        Some(at) => !text.as_bytes()[at].is_ascii() && text[at..].trim().is_empty(),
    }
}

/// Refuses nesting beyond [`MAX_DEPTH`] before building a tree we would walk recursively.
fn check_depth(text: &str) -> Result<(), ParseError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    for i in memchr::memchr_iter(b'<', bytes) {
        let Some(&next) = bytes.get(i + 1) else {
            break;
        };
        match next {
            b'/' => depth = depth.saturating_sub(1),
            b'?' | b'!' => {}
            _ => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ParseError::new(
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                        Span::new(i, i + 1),
                    ));
                }
                // A self-closing tag does not nest.
                if let Some(end) = memchr::memchr(b'>', &bytes[i..])
                    && end > 0
                    && bytes[i + end - 1] == b'/'
                {
                    depth -= 1;
                }
            }
        }
    }
    Ok(())
}

/// XML (comment nodes).
struct Xml;

impl Format {
    pub const XML: Format = Format::new(&Xml);
}

impl FileFormat for Xml {
    fn name(&self) -> &'static str {
        "XML"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse(source).map(|doc| vec![doc])
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        comments::comments(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_what_trim_leaves_empty() {
        for text in [
            "",
            " ",
            "\n    ",
            "\t\r\n",
            "\x0B",
            "\x0C",
            "\u{A0}",
            " \u{3000} ",
            "\u{2028}",
            "a",
            " a ",
            "\n  x\n",
            " \u{A0}x",
            "é",
            "\u{200B}",
        ] {
            assert_eq!(is_blank(text), text.trim().is_empty(), "{text:?}");
        }
    }
    use serde_json::json;

    fn doc(text: &str) -> (SourceFile, ParsedDocument) {
        let source = SourceFile::new("t.xml", text.to_owned());
        let parsed = parse(&source).expect("parses");
        (source, parsed)
    }

    fn at(source: &SourceFile, span: Span) -> (usize, usize) {
        let p = source.position(span.start);
        (p.line, p.column)
    }

    const ONE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <objectPermissions>
        <allowRead>true</allowRead>
        <object>Account</object>
    </objectPermissions>
    <userLicense>Guest User License</userLicense>
</Profile>
"#;

    #[test]
    fn repeated_elements_are_arrays_even_alone() {
        let (_, parsed) = doc(ONE);
        assert_eq!(
            parsed.value,
            json!({"Profile": {
                "objectPermissions": [{"allowRead": true, "object": "Account"}],
                "userLicense": "Guest User License"
            }})
        );
    }

    #[test]
    fn leaf_value_span_is_the_text() {
        let (source, parsed) = doc(ONE);
        let read = parsed
            .spans
            .get("/Profile/objectPermissions/0/allowRead")
            .expect("span");
        assert_eq!(at(&source, read.value), (4, 20));
        assert_eq!(&source.text[read.value.start..read.value.end], "true");
        assert_eq!(at(&source, read.key.expect("key")), (4, 10));
        let item = parsed
            .spans
            .get("/Profile/objectPermissions/0")
            .expect("span");
        assert_eq!(at(&source, item.key.expect("key")), (3, 6));
    }

    #[test]
    fn unknown_repeats_become_arrays() {
        let (_, parsed) = doc("<R><x>1</x><x>2</x><y a=\"b\">t</y></R>");
        assert_eq!(
            parsed.value,
            json!({"R": {"x": [1, 2], "y": {"@a": "b", "#text": "t"}}})
        );
    }

    #[test]
    fn crlf_bom_and_multibyte_before_span() {
        let text = "\u{feff}<R>\r\n  <名前>値</名前>\r\n  <b>true</b>\r\n</R>";
        let (source, parsed) = doc(text);
        let b = parsed.spans.get("/R/b").expect("span");
        assert_eq!(at(&source, b.value), (3, 6));
        let name = parsed.spans.get("/R/名前").expect("span");
        assert_eq!(at(&source, name.value), (2, 7));
    }

    /// Found by fuzzing: the key span of `<:é/>` ended inside the `é`.
    #[test]
    fn odd_element_names_keep_spans_on_characters() {
        for text in ["<:\u{fffd}/>", "<a:b xmlns:a='x'/>", "<é\t/>"] {
            let source = SourceFile::new("t.xml", text.to_owned());
            let parsed = parse(&source).expect("roxmltree accepts these names");
            {
                for (_, spans) in parsed.spans.iter() {
                    for span in std::iter::once(spans.value).chain(spans.key) {
                        assert!(span.end <= text.len(), "{text}");
                        assert!(text.is_char_boundary(span.start), "{text}");
                        assert!(text.is_char_boundary(span.end), "{text}");
                    }
                }
            }
        }
        let source = SourceFile::new("t.xml", "<a:b xmlns:a='x'/>".to_owned());
        let parsed = parse(&source).expect("valid");
        assert_eq!(
            parsed.spans.get("/b").expect("span").key,
            Some(Span::new(1, 4))
        );
    }

    #[test]
    fn dtd_is_refused() {
        let text = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><r>&e;</r>";
        let source = SourceFile::new("t.xml", text.to_owned());
        let error = parse(&source).expect_err("a DTD");
        assert!(error.message.starts_with("a DTD (`<!DOCTYPE`) is refused"));
        assert_eq!(error.span, Span::new(21, 30));
    }

    #[test]
    fn malformed_is_located() {
        let source = SourceFile::new("t.xml", "<a>\n  <b>\n</a>".to_owned());
        let err = parse(&source).expect_err("malformed");
        assert_eq!(source.position(err.span.start).line, 3);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "<a>".repeat(100_000);
        let source = SourceFile::new("t.xml", text);
        assert!(
            parse(&source)
                .expect_err("deep")
                .message
                .contains("nesting")
        );
    }
}
