//! TOML (`supabase/config.toml`), through the `toml` crate's spanned document
//! (`toml::de::DeTable`): tables are objects, arrays arrays, strings, integers, floats and
//! booleans their JSON values, dates their text; every key and value located. `#` comments
//! are found outside the spans of keys and values the parser located.

use ::toml::Spanned;
use ::toml::de::{DeTable, DeValue};
use serde_json::{Map, Number, Value};

use super::ParsedDocument;
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer, index_pointer};
use crate::parse::comments::{Comment, comment};
use crate::parse::{FileFormat, Format, MAX_DEPTH, ParseError};

pub fn parse(source: &SourceFile) -> Result<ParsedDocument, ParseError> {
    let text = source.text.as_str();
    let table = DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        ParseError::new(e.message().to_owned(), Span::new(span.start, span.end))
    })?;
    let mut spans = SpanTable::default();
    let value = table_value(table.get_ref(), "", &mut spans, 0)?;
    spans.insert(
        String::new(),
        NodeSpans {
            key: None,
            value: Span::new(0, text.len()),
        },
    );
    Ok(ParsedDocument::new(value, spans))
}

fn too_deep(span: std::ops::Range<usize>) -> ParseError {
    ParseError::new(
        format!("nesting deeper than {MAX_DEPTH} levels"),
        Span::new(span.start, span.end),
    )
}

fn table_value(
    table: &DeTable,
    pointer: &str,
    spans: &mut SpanTable,
    depth: usize,
) -> Result<Value, ParseError> {
    let mut map = Map::new();
    for (key, value) in table {
        let at = child_pointer(pointer, key.get_ref());
        let key_span = key.span();
        let lowered = value_of(value, &at, spans, depth + 1)?;
        let value_span = value.span();
        spans.insert(
            at,
            NodeSpans {
                key: Some(Span::new(key_span.start, key_span.end)),
                value: Span::new(value_span.start, value_span.end),
            },
        );
        map.insert(key.get_ref().to_string(), lowered);
    }
    Ok(Value::Object(map))
}

fn value_of(
    value: &Spanned<DeValue>,
    pointer: &str,
    spans: &mut SpanTable,
    depth: usize,
) -> Result<Value, ParseError> {
    if depth > MAX_DEPTH {
        return Err(too_deep(value.span()));
    }
    Ok(match value.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(|n| Value::Number(n.into()))
            .unwrap_or_else(|_| Value::String(i.to_string())),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(f.as_str().to_owned()), Value::Number),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => {
            let mut list = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let at = index_pointer(pointer, i);
                let lowered = value_of(item, &at, spans, depth + 1)?;
                let span = item.span();
                spans.insert(
                    at,
                    NodeSpans {
                        key: None,
                        value: Span::new(span.start, span.end),
                    },
                );
                list.push(lowered);
            }
            Value::Array(list)
        }
        DeValue::Table(table) => table_value(table, pointer, spans, depth)?,
    })
}

/// `#` comments: a `#` outside every key and value the parser located.
fn comments(text: &str, parsed: &[ParsedDocument]) -> Vec<Comment> {
    let mut taken: Vec<Span> = parsed
        .iter()
        .flat_map(|d| d.spans.iter())
        .filter(|(pointer, _)| !pointer.is_empty())
        .flat_map(|(_, s)| s.key.into_iter().chain([s.value]))
        .filter(|s| s.end > s.start)
        .collect();
    taken.sort_by_key(|s| (s.start, s.end));
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut from = 0;
        while let Some(p) = line[from..].find('#') {
            let at = offset + from + p;
            if taken.iter().any(|s| s.start <= at && at < s.end) {
                from += p + 1;
                continue;
            }
            let end = offset + line.trim_end_matches(['\n', '\r']).len();
            out.push(comment(at, at + 1, end, end));
            break;
        }
        offset += line.len();
    }
    out
}

/// TOML, read with the `toml` crate.
struct Toml;

impl Format {
    pub const TOML: Format = Format::new(&Toml);
}

impl FileFormat for Toml {
    fn name(&self) -> &'static str {
        "TOML"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse(source).map(|d| vec![d])
    }

    fn comments(&self, text: &str, parsed: &[ParsedDocument]) -> Vec<Comment> {
        comments(text, parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_keys_and_comments_are_located() {
        let text = "# top\n[api]\nschemas = [\"public\", \"api\"] # exposed\n\n[functions.hello]\nverify_jwt = false\nport = 54321\n";
        let source = SourceFile::new("supabase/config.toml", text.to_owned());
        let doc = parse(&source).expect("valid TOML");
        assert_eq!(doc.value["api"]["schemas"], json!(["public", "api"]));
        assert_eq!(doc.value["functions"]["hello"]["verify_jwt"], json!(false));
        assert_eq!(doc.value["functions"]["hello"]["port"], json!(54321));
        let at = |p: &str| {
            let s = doc.spans.get(p).expect("located").value;
            &text[s.start..s.end]
        };
        assert_eq!(at("/functions/hello/verify_jwt"), "false");
        assert_eq!(at("/api/schemas/1"), "\"api\"");
        let comments = comments(text, &[doc]);
        assert_eq!(comments.len(), 2);
        assert_eq!(
            &text[comments[1].span.start..comments[1].span.end],
            "# exposed"
        );
    }

    #[test]
    fn invalid_toml_is_a_located_error() {
        let source = SourceFile::new("c.toml", "[api\nx = 1".to_owned());
        let error = parse(&source).expect_err("invalid");
        assert!(error.span.start <= 5, "{error:?}");
    }
}
