//! File formats, a folder each, behind one trait ([`FileFormat`]): a parser lowering a file
//! to [`ParsedDocument`]s (the JSON data model plus a span table) and a comment lexer.
//! Formats know nothing of kinds or policies.

mod apex;
mod codeowners;
pub mod comments;
mod decap_js;
mod file_name;
mod firebase_rules;
pub mod gotemplate;
mod hcl;
mod json;
mod json_or_yaml;
pub mod reference;
mod scalar;
mod sql;
mod template_text;
mod toml;
mod visualforce;
mod xml;
mod yaml;

use crate::document::{SourceFile, Span, SpanTable};
pub use comments::Comment;

pub use hcl::REPEATED_BLOCKS;
pub use xml::REPEATED_ELEMENTS;

/// Nesting deeper than this is refused rather than risking the stack or a quadratic blowup.
pub const MAX_DEPTH: usize = 512;
pub use yaml::MAX_ALIAS_NODES;

/// What a file format provides, in its own folder: a parser lowering a file to documents,
/// and a lexer that finds its comments (for `doublecheck:ignore`) outside string values.
pub trait FileFormat: Sync {
    /// The format's name in messages ("YAML", "HCL").
    fn name(&self) -> &'static str;
    /// Lowers the whole file to its documents.
    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError>;
    /// Every comment of `text`; `parsed` are its documents, for the spans of string values.
    fn comments(&self, text: &str, parsed: &[ParsedDocument]) -> Vec<Comment>;
    /// The format that reads `text`, when this one decides by content (JSON or YAML).
    fn for_text(&self, _text: &str) -> Option<Format> {
        None
    }
}

/// A file format: each one is a constant defined in its folder (`Format::YAML` in `yaml/`).
/// Formats compare by name.
#[derive(Clone, Copy)]
pub struct Format(&'static dyn FileFormat);

impl Format {
    pub const fn new(format: &'static dyn FileFormat) -> Self {
        Format(format)
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The format that reads `text`: [`Format::JSON_OR_YAML`] decided, every other unchanged.
    pub fn for_text(self, text: &str) -> Format {
        self.0.for_text(text).unwrap_or(self)
    }

    /// Every comment of `text` (see [`FileFormat::comments`]).
    pub fn comments(self, text: &str, parsed: &[ParsedDocument]) -> Vec<Comment> {
        self.0.comments(text, parsed)
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Format {}

impl std::hash::Hash for Format {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name().hash(state);
    }
}

impl PartialOrd for Format {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Format {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One document before its kind is known.
#[derive(Debug)]
pub struct ParsedDocument {
    pub value: serde_json::Value,
    pub spans: SpanTable,
    /// The local tags (`!Name`) on its nodes, which only YAML has: empty for most files.
    pub tags: Vec<LocalTag>,
}

impl ParsedDocument {
    /// A document with no tags.
    pub fn new(value: serde_json::Value, spans: SpanTable) -> Self {
        ParsedDocument {
            value,
            spans,
            tags: Vec::new(),
        }
    }
}

/// A local tag (`!Name`) on a YAML node, noted but not interpreted: the node has the value it
/// would have untagged (`!Custom 5` is 5), and what the tag means is for whoever knows (a
/// CloudFormation template's `!Ref X` is `{"Ref": "X"}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalTag {
    /// The tagged node.
    pub pointer: String,
    /// The tag without its `!`: `Ref`.
    pub name: String,
    /// Where the tag is written.
    pub span: Span,
    /// Where the node's content is written, past its tag and anchor: the node's own span
    /// covers them (`!Ref Bucket`), its content does not (`Bucket`).
    pub content: Span,
    /// A scalar's text, unresolved (`!Ref 123` holds `"123"`, `!Ref` holds `""`); `None` on
    /// a mapping or sequence.
    pub text: Option<String>,
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
    format.0.parse(source)
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
            (Format::XML, ""),
            (Format::XML, "<a>é"),
            (
                Format::YAML,
                "backend:\n  name: git-gateway\nmedia_folder: blog/images\nZ",
            ),
            (Format::YAML, "a: [é"),
            (Format::JSON, "{\"a\": é"),
            (Format::HCL, "a = \"é"),
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
