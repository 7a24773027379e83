//! PostgreSQL migrations (`supabase/migrations/*.sql`), lowered to
//! `{"statements": [{"statement": "create table", "table": {"schema", "name"}, …}, …]}`: the
//! file is split into statements here ([`split`]), each parsed alone with `sqlparser`'s
//! PostgreSQL dialect (which stops at a text's first error), and lowered ([`lower`]) with
//! every name, role and expression located at its token. A statement the parser cannot read
//! is kept as `{"statement": "unparsed", "mentions": […], "error"}`, the access-control words
//! it holds in `mentions`, so a policy can refuse to let it hide anything. The file itself
//! never fails to parse.

mod do_block;
mod grants;
mod locate;
mod lower;
pub mod split;

use serde_json::{Map, Value, json};
use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};

use super::ParsedDocument;
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer, index_pointer};
use crate::parse::comments::Comment;
use crate::parse::{FileFormat, Format, ParseError};

/// Nesting the parser follows before refusing a statement, so hostile nesting is an error
/// rather than a deep stack.
pub(super) const RECURSION_LIMIT: usize = 64;

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
        read_statement(&dialect, text, *span, &mut spans, &mut statements);
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

fn parse_one(dialect: &PostgreSqlDialect, text: &str) -> Result<Vec<Statement>, ParserError> {
    Parser::new(dialect)
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_statements())
}

/// Reads the statement at `span` of `text` into `statements`: lowered, or, when the parser
/// cannot read it, the plain statements of a `DO` block it is, and itself as unparsed when
/// what is left of it still mentions access control.
fn read_statement(
    dialect: &PostgreSqlDialect,
    text: &str,
    span: Span,
    spans: &mut SpanTable,
    statements: &mut Vec<Value>,
) {
    let statement_text = &text[span.start..span.end];
    let error = match parse_one(dialect, statement_text) {
        Ok(parsed) => {
            // The splitter hands over one statement; the first is the one to keep.
            if let Some(first) = parsed.first() {
                let pointer = index_pointer("/statements", statements.len());
                let mut lowering = locate::Lowering::new(statement_text, span.start, spans);
                statements.push(lower::statement(&mut lowering, &pointer, first));
            }
            return;
        }
        Err(error) => error.to_string(),
    };
    let inner = do_block::body(statement_text)
        .map(|body| do_block::statements(statement_text, body))
        .unwrap_or_default();
    let mut rest = statement_text.to_owned();
    for piece in &inner {
        let piece_text = &statement_text[piece.start..piece.end];
        let pointer = index_pointer("/statements", statements.len());
        let mut lowering = locate::Lowering::new(piece_text, span.start + piece.start, spans);
        let node = match parse_one(dialect, piece_text).as_deref() {
            Ok([first, ..]) => lower::statement(&mut lowering, &pointer, first),
            Ok([]) => continue,
            Err(e) => unparsed(&mut lowering, &pointer, piece_text, &e.to_string()),
        };
        statements.push(node);
        rest.replace_range(piece.start..piece.end, &" ".repeat(piece.end - piece.start));
    }
    // A block read in part is kept too when what is left still mentions access control
    // (dynamic SQL, a statement no starter names).
    if inner.is_empty() || !mentions(&rest).is_empty() {
        let pointer = index_pointer("/statements", statements.len());
        let mut lowering = locate::Lowering::new(statement_text, span.start, spans);
        statements.push(unparsed(&mut lowering, &pointer, &rest, &error));
    }
}

/// The access-control words `text` holds (see [`ACCESS_WORDS`]).
fn mentions(text: &str) -> Vec<&'static str> {
    let words = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    // As whole words: `pg_policies` and `policyname` do not mention a policy.
    let holds = |phrase: &str| {
        words.match_indices(phrase).any(|(i, _)| {
            !is_word(words[..i].chars().next_back())
                && !is_word(words[i + phrase.len()..].chars().next())
        })
    };
    ACCESS_WORDS.iter().copied().filter(|w| holds(w)).collect()
}

/// A statement the parser could not read: its access-control words and the parser's error.
fn unparsed(l: &mut locate::Lowering, pointer: &str, text: &str, error: &str) -> Value {
    let mentions = mentions(text);
    let whole = l.whole();
    for key in ["statement", "mentions", "error"] {
        l.record(&child_pointer(pointer, key), whole);
    }
    l.record(pointer, whole);
    // Its first words name it, for its fingerprint (see `lower::key`).
    let words: Vec<&str> = text.split_whitespace().take(12).collect();
    let key = format!("unparsed {}", words.join(" "));
    l.record(&child_pointer(pointer, "key"), whole);
    json!({"statement": "unparsed", "key": key, "mentions": mentions, "error": error})
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
