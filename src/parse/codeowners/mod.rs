//! GitHub's `CODEOWNERS`, lowered to `{"rules": [{"pattern": "/docs/", "owners": ["@org/docs"]}]}`
//! with a span per rule line, per pattern and per owner.
//!
//! The syntax is GitHub's: one rule a line, a gitignore-style pattern then owners separated by
//! whitespace; `#` starts a comment at the start of a line or of a token (`*.js @a #note`);
//! `\#` and `\ ` escape a `#` or a space inside a pattern. Owners are kept exactly as written,
//! malformed or not: deciding what a valid owner is belongs to policies, and GitHub skips a
//! line it cannot read rather than rejecting the file, so this parser never fails.

pub mod comments;

use serde_json::{Map, Value};

use super::ParsedDocument;
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer, index_pointer};
use crate::parse::comments::Comment;
use crate::parse::{FileFormat, Format, ParseError};

/// One token of a rule line: its text (escapes resolved) and where it is written.
struct Token {
    text: String,
    span: Span,
}

pub fn parse(source: &SourceFile) -> ParsedDocument {
    let text = source.text.as_str();
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut spans = SpanTable::default();
    let mut rules = Vec::new();
    let mut first_rule: Option<usize> = None;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let tokens = tokens(body, line_start);
        let Some((pattern, owners)) = tokens.split_first() else {
            continue;
        };
        let index = rules.len();
        let pointer = index_pointer("/rules", index);
        let end = owners.last().map_or(pattern.span.end, |o| o.span.end);
        let rule_span = Span::new(pattern.span.start, end);
        first_rule.get_or_insert(rule_span.start);
        let owners_span = match (owners.first(), owners.last()) {
            (Some(first), Some(last)) => Span::new(first.span.start, last.span.end),
            _ => Span::new(pattern.span.end, pattern.span.end),
        };
        let mut rule = Map::new();
        rule.insert("pattern".to_owned(), Value::String(pattern.text.clone()));
        let list = owners
            .iter()
            .map(|o| Value::String(o.text.clone()))
            .collect();
        rule.insert("owners".to_owned(), Value::Array(list));
        rules.push(Value::Object(rule));
        record(&mut spans, child_pointer(&pointer, "pattern"), pattern.span);
        let owners_pointer = child_pointer(&pointer, "owners");
        for (j, owner) in owners.iter().enumerate() {
            record(&mut spans, index_pointer(&owners_pointer, j), owner.span);
        }
        record(&mut spans, owners_pointer, owners_span);
        record(&mut spans, pointer, rule_span);
    }
    let whole = Span::new(start, text.len());
    record(&mut spans, String::new(), whole);
    record(
        &mut spans,
        "/rules".to_owned(),
        Span::new(first_rule.unwrap_or(start), text.len()),
    );
    let mut root = Map::new();
    root.insert("rules".to_owned(), Value::Array(rules));
    ParsedDocument::new(Value::Object(root), spans)
}

fn record(spans: &mut SpanTable, pointer: String, value: Span) {
    spans.insert(pointer, NodeSpans { key: None, value });
}

/// The tokens of one line, up to a comment. `base` is the line's byte offset in the file.
fn tokens(line: &str, base: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '#' {
            break;
        }
        let mut text = String::new();
        let mut end = start;
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            end = at + c.len_utf8();
            if c == '\\'
                && let Some(&(escaped_at, escaped)) = chars.peek()
                && matches!(escaped, '#' | ' ' | '\\')
            {
                chars.next();
                end = escaped_at + escaped.len_utf8();
                text.push(escaped);
                continue;
            }
            text.push(c);
        }
        out.push(Token {
            text,
            span: Span::new(base + start, base + end),
        });
    }
    out
}

/// GitHub's `CODEOWNERS`, a line-based text format.
struct Codeowners;

impl Format {
    pub const CODEOWNERS: Format = Format::new(&Codeowners);
}

impl FileFormat for Codeowners {
    fn name(&self) -> &'static str {
        "CODEOWNERS"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        Ok(vec![parse(source)])
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        comments::comments(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lower(text: &str) -> (SourceFile, ParsedDocument) {
        let source = SourceFile::new("CODEOWNERS", text.to_owned());
        let parsed = parse(&source);
        (source, parsed)
    }

    fn at(source: &SourceFile, parsed: &ParsedDocument, pointer: &str) -> (usize, usize, String) {
        let span = parsed.spans.get(pointer).expect("span").value;
        let p = source.position(span.start);
        (
            p.line,
            p.column,
            source.text[span.start..span.end].to_owned(),
        )
    }

    #[test]
    fn rules_owners_and_comments() {
        let (source, parsed) = lower(
            "# Owners of the site\n\n*       @org/web-team\n/docs/  @alice bob@example.com   # inline note\n  content/**  # nobody\n",
        );
        assert_eq!(
            parsed.value,
            json!({"rules": [
                {"pattern": "*", "owners": ["@org/web-team"]},
                {"pattern": "/docs/", "owners": ["@alice", "bob@example.com"]},
                {"pattern": "content/**", "owners": []},
            ]})
        );
        assert_eq!(
            at(&source, &parsed, "/rules/1"),
            (4, 1, "/docs/  @alice bob@example.com".to_owned())
        );
        assert_eq!(
            at(&source, &parsed, "/rules/1/owners/1"),
            (4, 16, "bob@example.com".to_owned())
        );
        assert_eq!(
            at(&source, &parsed, "/rules/2/pattern"),
            (5, 3, "content/**".to_owned())
        );
        // No owners: an empty span just after the pattern.
        assert_eq!(
            at(&source, &parsed, "/rules/2/owners"),
            (5, 13, String::new())
        );
    }

    #[test]
    fn escapes_crlf_bom_and_malformed_owners_are_kept() {
        let (source, parsed) = lower("\u{feff}\\#notes/ @a\r\nmy\\ dir/ @@bad org/team\r\n");
        assert_eq!(
            parsed.value,
            json!({"rules": [
                {"pattern": "#notes/", "owners": ["@a"]},
                {"pattern": "my dir/", "owners": ["@@bad", "org/team"]},
            ]})
        );
        assert_eq!(
            at(&source, &parsed, "/rules/0/pattern"),
            (1, 1, "\\#notes/".to_owned())
        );
        assert_eq!(
            at(&source, &parsed, "/rules/1/owners/1"),
            (2, 16, "org/team".to_owned())
        );
    }

    #[test]
    fn empty_and_comment_only_files_have_no_rules() {
        for text in ["", "# just a comment\n\n", "\u{feff}", "   \n\t\n"] {
            let (_, parsed) = lower(text);
            assert_eq!(parsed.value, json!({"rules": []}), "{text:?}");
            assert!(parsed.spans.get("").is_some());
        }
    }

    #[test]
    fn odd_bytes_never_panic() {
        for text in [
            "\\",
            "a \\",
            "é\\é @ü",
            "\\\\# x",
            "#",
            "a\u{3000}@b",
            "\r\r\n",
        ] {
            let (source, parsed) = lower(text);
            for i in 0..parsed.value["rules"].as_array().map_or(0, Vec::len) {
                let span = parsed
                    .spans
                    .get(&format!("/rules/{i}"))
                    .expect("span")
                    .value;
                assert!(source.text.get(span.start..span.end).is_some(), "{text:?}");
            }
        }
    }
}
