//! Suffixes written in either JSON or YAML (`*.template`): JSON when the text starts with
//! `{` or `[` (after spaces and a byte-order mark), YAML otherwise.

use super::comments::Comment;
use super::{FileFormat, Format, ParseError, ParsedDocument};
use crate::document::SourceFile;

struct JsonOrYaml;

impl Format {
    pub const JSON_OR_YAML: Format = Format::new(&JsonOrYaml);
}

impl FileFormat for JsonOrYaml {
    fn name(&self) -> &'static str {
        "JSON or YAML"
    }

    fn for_text(&self, text: &str) -> Option<Format> {
        let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
        Some(if first.starts_with(['{', '[']) {
            Format::JSON
        } else {
            Format::YAML
        })
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        Format::JSON_OR_YAML.for_text(&source.text).0.parse(source)
    }

    fn comments(&self, text: &str, parsed: &[ParsedDocument]) -> Vec<Comment> {
        Format::JSON_OR_YAML.for_text(text).comments(text, parsed)
    }
}
