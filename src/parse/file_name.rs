//! A file judged by its name alone (a spreadsheet or CSV export): never read, one document
//! naming it.

use super::comments::Comment;
use super::{FileFormat, Format, ParseError, ParsedDocument};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable};

struct FileName;

impl Format {
    pub const FILE_NAME: Format = Format::new(&FileName);
}

impl FileFormat for FileName {
    fn name(&self) -> &'static str {
        "file name"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        Ok(vec![file_name_document(source)])
    }

    fn comments(&self, _: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        Vec::new()
    }
}

/// `{"path": "exports/customers.xlsx", "name": "customers.xlsx"}`, located at the file's start.
fn file_name_document(source: &SourceFile) -> ParsedDocument {
    let name = source.path.rsplit('/').next().unwrap_or(&source.path);
    let mut spans = SpanTable::default();
    spans.insert(
        String::new(),
        NodeSpans {
            key: None,
            value: Span::new(0, 0),
        },
    );
    ParsedDocument::new(
        serde_json::json!({"path": source.path, "name": name}),
        spans,
    )
}
