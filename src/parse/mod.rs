//! Parsers, one per format, each lowering a file to [`ParsedDocument`]s: the JSON data model
//! plus a span table. Parsers know nothing of kinds or policies.

mod apex;
mod apex_script;
mod codeowners;
mod hcl;
mod json;
mod scalar;
pub mod terraform_plan;
mod visualforce;
mod xml;
mod yaml;

use crate::document::{SourceFile, Span, SpanTable};

pub use hcl::REPEATED_BLOCKS;
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
    /// HCL: Terraform configuration (`*.tf`) and variable files (`*.tfvars`).
    Hcl,
    /// A file judged by its name alone (a spreadsheet or CSV export): never read.
    FileName,
    /// JSON when the text starts with `{` or `[` (after spaces and a byte-order mark),
    /// YAML otherwise: for suffixes both are written in (`*.template`).
    JsonOrYaml,
    /// GitHub's `CODEOWNERS` (a line-based text format).
    Codeowners,
    Visualforce,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
            Format::Xml => "XML",
            Format::ApexClass | Format::ApexAnonymous => "Apex",
            Format::Hcl => "HCL",
            Format::FileName => "file name",
            Format::JsonOrYaml => "JSON or YAML",
            Format::Codeowners => "CODEOWNERS",
            Format::Visualforce => "Visualforce",
        }
    }

    /// The format that reads `text`: [`Format::JsonOrYaml`] decided, every other unchanged.
    pub fn for_text(self, text: &str) -> Format {
        match self {
            Format::JsonOrYaml => {
                let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
                if first.starts_with(['{', '[']) {
                    Format::Json
                } else {
                    Format::Yaml
                }
            }
            other => other,
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

/// Parses `source` as `format`. An error's span always lies inside the text, on character
/// boundaries (parsers report some errors one byte past the end, "at end of file").
pub fn parse(format: Format, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
    parse_unclamped(format, source).map_err(|mut error| {
        error.span = clamp_span(&source.text, error.span);
        error
    })
}

/// `span` cut to `text` and widened to character boundaries.
fn clamp_span(text: &str, span: Span) -> Span {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.max(start).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

fn parse_unclamped(format: Format, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
    match format {
        Format::Yaml => yaml::parse(source),
        Format::Json => json::parse(source).map(|doc| vec![doc]),
        Format::Xml => xml::parse(source).map(|doc| vec![doc]),
        Format::ApexClass => apex::parse_class(source).map(|doc| vec![doc]),
        Format::ApexAnonymous => apex_script::parse_anonymous(source).map(|doc| vec![doc]),
        Format::Hcl => hcl::parse(source).map(|doc| vec![doc]),
        Format::JsonOrYaml => parse_unclamped(format.for_text(&source.text), source),
        Format::FileName => Ok(vec![file_name_document(source)]),
        Format::Codeowners => Ok(vec![codeowners::parse(source)]),
        Format::Visualforce => visualforce::parse(source).map(|doc| vec![doc]),
    }
}

/// `{"path": "exports/customers.xlsx", "name": "customers.xlsx"}`, located at the file's start.
fn file_name_document(source: &SourceFile) -> ParsedDocument {
    let name = source.path.rsplit('/').next().unwrap_or(&source.path);
    let mut spans = SpanTable::default();
    spans.insert(
        String::new(),
        crate::document::NodeSpans {
            key: None,
            value: Span::new(0, 0),
        },
    );
    ParsedDocument {
        value: serde_json::json!({"path": source.path, "name": name}),
        spans,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (yaml and xml targets): errors at the end of the text were located
    /// one byte past it, and `at + 1` can fall inside a multi-byte character.
    #[test]
    fn error_spans_stay_inside_the_text() {
        for (format, text) in [
            (Format::Xml, ""),
            (Format::Xml, "<a>é"),
            (
                Format::Yaml,
                "backend:\n  name: git-gateway\nmedia_folder: blog/images\nZ",
            ),
            (Format::Yaml, "a: [é"),
            (Format::Json, "{\"a\": é"),
            (Format::Hcl, "a = \"é"),
        ] {
            let source = SourceFile::new("t", text.to_owned());
            let error = parse(format, &source).expect_err("invalid");
            assert!(error.span.start <= error.span.end, "{format:?} {text:?}");
            assert!(error.span.end <= text.len(), "{format:?} {text:?}");
            assert!(
                text.is_char_boundary(error.span.start),
                "{format:?} {text:?}"
            );
            assert!(text.is_char_boundary(error.span.end), "{format:?} {text:?}");
        }
    }

    #[test]
    fn clamping_widens_to_characters() {
        assert_eq!(clamp_span("aé", Span::new(1, 2)), Span::new(1, 3));
        assert_eq!(clamp_span("ab", Span::new(2, 3)), Span::new(2, 2));
        assert_eq!(clamp_span("ab", Span::new(5, 9)), Span::new(2, 2));
    }
}
