//! Parsers, one per format, each lowering a file to [`ParsedDocument`]s: the JSON data model
//! plus a span table. Parsers know nothing of kinds or policies.

mod apex;
mod codeowners;
mod json;
mod scalar;
mod xml;
mod yaml;

use crate::document::{SourceFile, Span, SpanTable};

pub use xml::REPEATED_ELEMENTS;

/// Nesting deeper than this is refused rather than risking the stack or a quadratic blowup.
pub const MAX_DEPTH: usize = 512;
/// A YAML stream may not expand aliases to more nodes than this.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Yaml,
    Json,
    Xml,
    /// An Apex class file (`*.cls`).
    ApexClass,
    /// An anonymous Apex script (`*.apex`).
    ApexAnonymous,
    /// GitHub's `CODEOWNERS` (a line-based text format).
    Codeowners,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
            Format::Xml => "XML",
            Format::ApexClass | Format::ApexAnonymous => "Apex",
            Format::Codeowners => "CODEOWNERS",
        }
    }
}

/// One document before its kind is known.
#[derive(Debug)]
pub struct ParsedDocument {
    pub value: serde_json::Value,
    pub spans: SpanTable,
}

/// Why a file could not be lowered, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        ParseError {
            message: message.into(),
            span,
        }
    }
}

pub fn parse(format: Format, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
    match format {
        Format::Yaml => yaml::parse(source),
        Format::Json => json::parse(source).map(|doc| vec![doc]),
        Format::Xml => xml::parse(source).map(|doc| vec![doc]),
        Format::ApexClass => apex::parse_class(source).map(|doc| vec![doc]),
        Format::ApexAnonymous => apex::parse_anonymous(source).map(|doc| vec![doc]),
        Format::Codeowners => Ok(vec![codeowners::parse(source)]),
    }
}

/// Byte offset of a 1-based line and 1-based character column, for parsers that report
/// errors that way.
fn byte_at(source: &SourceFile, line: usize, column: usize) -> usize {
    let range = source.lines.line_range(&source.text, line);
    source.text[range.start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| range.start + i)
        .unwrap_or(source.text.len())
}
