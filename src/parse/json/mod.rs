//! JSON (and JSON with comments) through `jsonc-parser`, which gives a byte range on every
//! value and property name.

use jsonc_parser::ast;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, parse_to_ast};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use super::{MAX_DEPTH, ParseError, ParsedDocument};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, escape_token};
use crate::parse::comments::{Comment, c_like_comments};
use crate::parse::{FileFormat, Format};

pub fn parse(source: &SourceFile) -> Result<ParsedDocument, ParseError> {
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    let offset = source.text.len() - text.len();
    parse_at(text, offset).map_err(|(error, _)| error)
}

/// Every value of a file holding several JSON values one after the other (as `kubectl`
/// reads a stream of objects: `{…}\n{…}`), or the one value of an ordinary file.
pub fn parse_stream(source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    let mut offset = source.text.len() - text.len();
    let mut documents = Vec::new();
    loop {
        match parse_at(&source.text[offset..], offset) {
            Ok(document) => {
                documents.push(document);
                return Ok(documents);
            }
            // The text up to the second value is the first value: read it, then the rest.
            Err((error, Some(next))) if next > offset => {
                let first = parse_at(&source.text[offset..next], offset).map_err(|_| error)?;
                documents.push(first);
                offset = next;
            }
            Err((error, _)) => return Err(error),
        }
    }
}

/// Parses `text`, which starts at byte `offset` of its file; an error says where a second
/// value starts when that is what it is about.
fn parse_at(text: &str, offset: usize) -> Result<ParsedDocument, (ParseError, Option<usize>)> {
    parse_text(text, offset).map_err(|(error, second)| (error, second.map(|at| offset + at)))
}

fn parse_text(text: &str, offset: usize) -> Result<ParsedDocument, (ParseError, Option<usize>)> {
    let plain = |error: ParseError| (error, None);
    // jsonc-parser recurses per nesting level: refuse hostile depth before it sees the text.
    check_depth(text).map_err(|at| {
        plain(ParseError::new(
            format!("nesting deeper than {MAX_DEPTH} levels"),
            Span::new(offset + at, offset + at + 1),
        ))
    })?;
    let options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let parsed = parse_to_ast(text, &collect, &options).map_err(|e| {
        let range = e.range();
        let second =
            matches!(e.kind(), ParseErrorKind::MultipleRootJsonValues).then_some(range.start);
        (
            ParseError::new(
                e.kind().to_string(),
                Span::new(offset + range.start, offset + range.end),
            ),
            second,
        )
    })?;
    let Some(root) = parsed.value else {
        return Err(plain(ParseError::new(
            "the file holds no JSON value",
            Span::new(offset, offset + text.len()),
        )));
    };
    // About one node for each `:`, `,` and `[`: the table is sized once instead of
    // rehashed as it grows. Strings full of them would make the guess too large, so it is
    // capped, and a larger file's table grows from there.
    let separators = text
        .bytes()
        .filter(|b| matches!(b, b':' | b',' | b'['))
        .count();
    let mut builder = Builder {
        offset,
        spans: SpanTable::with_capacity(separators.min(1 << 16) + 1),
    };
    let value = builder
        .lower(&root, &mut String::new(), None)
        .map_err(plain)?;
    Ok(ParsedDocument::new(value, builder.spans))
}

struct Builder {
    offset: usize,
    spans: SpanTable,
}

impl Builder {
    fn span(&self, range: jsonc_parser::common::Range) -> Span {
        Span::new(self.offset + range.start, self.offset + range.end)
    }

    /// Lowers `node`, whose pointer is `pointer`: one buffer for the whole document, each
    /// child's pointer written after it and cut off again (the span table copies it).
    fn lower(
        &mut self,
        node: &ast::Value,
        pointer: &mut String,
        key: Option<Span>,
    ) -> Result<Value, ParseError> {
        let range = match node {
            ast::Value::StringLit(s) => s.range,
            ast::Value::NumberLit(n) => n.range,
            ast::Value::BooleanLit(b) => b.range,
            ast::Value::Object(o) => o.range,
            ast::Value::Array(a) => a.range,
            ast::Value::NullKeyword(n) => n.range,
        };
        let own = pointer.len();
        let value = match node {
            ast::Value::StringLit(s) => Value::String(s.value.to_string()),
            ast::Value::NumberLit(n) => number(n.value),
            ast::Value::BooleanLit(b) => Value::Bool(b.value),
            ast::Value::NullKeyword(_) => Value::Null,
            ast::Value::Array(array) => {
                let mut items = Vec::with_capacity(array.elements.len());
                for (i, element) in array.elements.iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(itoa::Buffer::new().format(i));
                    items.push(self.lower(element, pointer, None)?);
                    pointer.truncate(own);
                }
                Value::Array(items)
            }
            ast::Value::Object(object) => {
                let mut map = Map::with_capacity(object.properties.len());
                for prop in &object.properties {
                    let (name, name_range) = match &prop.name {
                        ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
                        ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    let key_span = self.span(name_range);
                    match map.entry(name) {
                        Entry::Occupied(taken) => {
                            // Readers disagree on which duplicate wins; a reviewer would see
                            // one value while a tool applies the other.
                            return Err(ParseError::new(
                                format!("duplicate key `{}` in the same object", taken.key()),
                                key_span,
                            ));
                        }
                        Entry::Vacant(free) => {
                            pointer.push('/');
                            pointer.push_str(&escape_token(free.key()));
                            let value = self.lower(&prop.value, pointer, Some(key_span))?;
                            pointer.truncate(own);
                            free.insert(value);
                        }
                    }
                }
                Value::Object(map)
            }
        };
        let value_span = self.span(range);
        self.spans.set(
            pointer,
            NodeSpans {
                key,
                value: value_span,
            },
        );
        Ok(value)
    }
}

fn number(text: &str) -> Value {
    serde_json::from_str::<Number>(text)
        .map(Value::Number)
        .unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Finds the first byte where nesting exceeds [`MAX_DEPTH`], ignoring brackets in strings.
fn check_depth(text: &str) -> Result<(), usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// JSON (with `//` and `/* */` comments, outside string literals).
struct Json;

impl Format {
    pub const JSON: Format = Format::new(&Json);
}

impl FileFormat for Json {
    fn name(&self) -> &'static str {
        "JSON"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse_stream(source)
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        c_like_comments(text, '"', true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_one_after_the_other_are_documents() {
        let text = "{\"kind\": \"A\"}\n{\"kind\": \"B\", \"n\": 1}\n";
        let source = SourceFile::new("list.json", text.to_owned());
        let documents = parse_stream(&source).expect("a stream");
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[1].value, json!({"kind": "B", "n": 1}));
        let n = documents[1].spans.get("/n").expect("located").value;
        assert_eq!(&text[n.start..n.end], "1");
        let broken = SourceFile::new("b.json", "{\"a\": 1}\n{\"b\": }".to_owned());
        assert!(parse_stream(&broken).is_err());
        assert!(parse(&SourceFile::new("c.json", "{} {}".to_owned())).is_err());
    }

    fn doc(text: &str) -> (SourceFile, ParsedDocument) {
        let source = SourceFile::new("t.json", text.to_owned());
        let parsed = parse(&source).expect("parses");
        (source, parsed)
    }

    fn at(source: &SourceFile, span: Span) -> (usize, usize) {
        let p = source.position(span.start);
        (p.line, p.column)
    }

    #[test]
    fn spans_on_keys_and_values() {
        let (source, parsed) = doc("{\n  \"a\": {\"b\": [1, true]},\n  \"c\": null\n}\n");
        assert_eq!(parsed.value, json!({"a": {"b": [1, true]}, "c": null}));
        let b1 = parsed.spans.get("/a/b/1").expect("span");
        assert_eq!(at(&source, b1.value), (2, 18));
        assert_eq!(b1.key, None);
        let c = parsed.spans.get("/c").expect("span");
        assert_eq!(at(&source, c.key.expect("key")), (3, 3));
        assert_eq!(at(&source, c.value), (3, 8));
    }

    #[test]
    fn bom_and_crlf() {
        let (source, parsed) = doc("\u{feff}{\r\n\"k\": \"v\"\r\n}");
        let k = parsed.spans.get("/k").expect("span");
        assert_eq!(at(&source, k.value), (2, 6));
    }

    #[test]
    fn errors_are_located() {
        let source = SourceFile::new("t.json", "{\n \"a\": 1,,\n}".to_owned());
        let err = parse(&source).expect_err("malformed");
        assert_eq!(source.position(err.span.start).line, 2);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let source = SourceFile::new("t.json", "{\"a\": 1, \"a\": 2}".to_owned());
        let err = parse(&source).expect_err("duplicate");
        assert!(err.message.contains("duplicate key `a`"));
        assert_eq!(err.span.start, 9);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(100_000);
        let source = SourceFile::new("t.json", text);
        let err = parse(&source).expect_err("too deep");
        assert!(err.message.contains("nesting deeper"));
    }
}
