//! Reads one candidate file into typed documents: decode, sniff, parse, name the kind.
//! Whatever cannot be read or parsed becomes a finding here, so nothing is skipped silently.

use std::sync::Arc;

use crate::detect::{self, Candidate};
use crate::document::{Document, SourceFile, Span};
use crate::filter::suppress::{self, FileSuppressions};
use crate::finding::{Finding, PARSE_ERROR};
use crate::parse;

/// Files larger than this are reported, not parsed.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// What one file contributed to the scan.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
    /// Whether the file was parsed (true) or dropped unread as of no known kind (false).
    pub checked: bool,
    /// The file's text when it could not be parsed, so the report can show the error line.
    pub unparsed: Option<Arc<SourceFile>>,
    /// The file's `doublecheck:ignore` comments, applied after evaluation.
    pub suppressions: Option<FileSuppressions>,
}

/// Turns a file's bytes into documents of known kinds.
pub fn read_documents(shown: &str, candidate: Candidate, bytes: Vec<u8>) -> FileOutcome {
    if bytes.len() > MAX_FILE_BYTES {
        let source = Arc::new(SourceFile::new(shown, String::new()));
        return failed(
            source,
            Span::default(),
            format!(
                "the file is {} MiB, over the {} MiB limit: it was not checked",
                bytes.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            // Locate the first bad byte in the lossy text, which has the same prefix.
            let source = Arc::new(SourceFile::new(shown, lossy));
            return failed(
                source,
                Span::new(valid, valid + 1),
                format!("the file is not UTF-8 text (invalid byte at offset {valid})"),
            );
        }
    };
    if !detect::worth_parsing(candidate.rule, &text) {
        return FileOutcome::default();
    }
    let format = candidate.format.for_text(&text);
    let source = Arc::new(SourceFile::new(shown, text));
    match parse::parse(format, &source) {
        Ok(parsed) => {
            let suppressions = suppress::collect(format, &source, &parsed);
            let documents = parsed
                .into_iter()
                .enumerate()
                .filter_map(|(index_in_file, doc)| {
                    let kind = detect::kind_of(candidate.rule, &doc.value)?;
                    // A plan is read in the shape of the configuration it plans.
                    let doc = if kind.as_str() == detect::TERRAFORM_PLAN {
                        parse::terraform_plan::lower(doc)
                    } else {
                        doc
                    };
                    Some(Document {
                        source: Arc::clone(&source),
                        index_in_file,
                        kind,
                        value: doc.value,
                        spans: doc.spans,
                    })
                })
                .collect();
            FileOutcome {
                documents,
                checked: true,
                suppressions,
                ..FileOutcome::default()
            }
        }
        Err(error) => failed(
            source,
            error.span,
            format!(
                "invalid {}: {}; the file was not checked",
                format.name(),
                error.message
            ),
        ),
    }
}

fn failed(source: Arc<SourceFile>, span: Span, message: String) -> FileOutcome {
    FileOutcome {
        documents: Vec::new(),
        findings: vec![PARSE_ERROR.finding(&source, span, message)],
        checked: true,
        unparsed: Some(source),
        suppressions: None,
    }
}
