//! PostgreSQL migrations (`supabase/migrations/*.sql`), lowered to
//! `{"statements": [{"statement": "create table", "table": {"schema", "name"}, …}, …]}`: the
//! file is split into statements here ([`split`]), each parsed alone with `sqlparser`'s
//! PostgreSQL dialect (which stops at a text's first error), and lowered ([`lower`]) with
//! every name, role and expression located at its token. A statement the parser cannot read
//! is kept as `{"statement": "unparsed", "mentions": […], "error"}`, the access-control words
//! it holds in `mentions`, so a policy can refuse to let it hide anything. The file itself
//! never fails to parse.

mod lower;
pub mod split;

use serde_json::{Map, Value, json};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::ParsedDocument;
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer};
use crate::parse::comments::Comment;
use crate::parse::{FileFormat, Format, ParseError};

/// Nesting the parser follows before refusing a statement (its own default is 50).
const RECURSION_LIMIT: usize = 64;

/// Words of a statement the parser could not read that say it may change who can read or
/// write a table: such a statement is listed with them (lower case, spaces collapsed).
const ACCESS_WORDS: &[&str] = &[
    "policy",
    "row level security",
    "grant",
    "revoke",
    "create table",
    "alter table",
    "storage.buckets",
    "security definer",
];

pub fn parse(source: &SourceFile) -> ParsedDocument {
    let text = source.text.as_str();
    let split = split::split(text);
    let mut spans = SpanTable::with_capacity(split.statements.len() * 8);
    let mut statements = Vec::with_capacity(split.statements.len());
    let dialect = PostgreSqlDialect {};
    for span in &split.statements {
        let statement_text = &text[span.start..span.end];
        let pointer = child_pointer("/statements", &statements.len().to_string());
        let parsed = Parser::new(&dialect)
            .with_recursion_limit(RECURSION_LIMIT)
            .try_with_sql(statement_text)
            .and_then(|mut p| p.parse_statements());
        let mut lowering = lower::Lowering::new(statement_text, span.start, &mut spans);
        let node = match parsed {
            Ok(parsed) if !parsed.is_empty() => {
                // The splitter hands over one statement; the first is the one to keep.
                lower::statement(&mut lowering, &pointer, &parsed[0])
            }
            Ok(_) => continue,
            Err(error) => unparsed(&mut lowering, &pointer, statement_text, &error.to_string()),
        };
        statements.push(node);
    }
    let whole = Span::new(0, text.len());
    spans.insert(
        "/statements".to_owned(),
        NodeSpans {
            key: None,
            value: whole,
        },
    );
    spans.insert(
        String::new(),
        NodeSpans {
            key: None,
            value: whole,
        },
    );
    let mut root = Map::new();
    root.insert("statements".to_owned(), Value::Array(statements));
    ParsedDocument::new(Value::Object(root), spans)
}

/// A statement the parser could not read: its access-control words and the parser's error.
fn unparsed(l: &mut lower::Lowering, pointer: &str, text: &str, error: &str) -> Value {
    let words = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let mentions: Vec<&str> = ACCESS_WORDS
        .iter()
        .copied()
        .filter(|w| words.contains(w))
        .collect();
    let whole = l.whole();
    for key in ["statement", "mentions", "error", "start"] {
        l.record(&child_pointer(pointer, key), whole);
    }
    l.record(pointer, whole);
    let start: String = words.chars().take(40).collect();
    json!({"statement": "unparsed", "mentions": mentions, "error": error, "start": start})
}

/// PostgreSQL, as Supabase's migrations write it.
struct Sql;

impl Format {
    pub const SQL: Format = Format::new(&Sql);
}

impl FileFormat for Sql {
    fn name(&self) -> &'static str {
        "SQL"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        Ok(vec![parse(source)])
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        split::split(text).comments
    }
}

#[cfg(test)]
mod tests;
