//! Reads one candidate file into typed documents: decode, sniff, parse, name the kind.
//! Whatever cannot be read or parsed becomes a finding here, so nothing is skipped silently.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::detect::{self, Candidate};
use crate::document::{Document, SourceFile, Span};
use crate::filter::suppress::{self, FileSuppressions};
use crate::finding::{Finding, PARSE_ERROR};
use crate::parse;

/// Files larger than this are reported, not parsed (the default of `limits.max-file-size`).
pub const MAX_FILE_BYTES: usize = crate::config::DEFAULT_MAX_FILE_SIZE as usize;

/// A file to check: where it is shown, how to read it, and where its bytes are.
pub struct Input {
    pub shown: String,
    pub candidate: Candidate,
    pub content: Content,
    /// Read only for the facts other files take from it: a file of the repository outside
    /// the paths a scan reports on. It is never evaluated, and nothing of it is reported.
    pub context: bool,
}

pub enum Content {
    /// Read when its turn comes, so a scan never holds every file's bytes at once.
    Disk(PathBuf),
    Memory(String),
    /// Bytes already read (a file of a git revision, which may not be UTF-8).
    Bytes(Vec<u8>),
    /// Must not be read (a link out of the tree, a FIFO): why.
    Refused(String),
}

/// What one file contributed to the scan.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
    /// Whether the file was parsed and its documents handed to evaluation.
    pub checked: bool,
    /// Whether the file is of a known kind but was not fully checked (it could not be read
    /// or parsed, or is over the size limit): its finding says why. A file dropped unread
    /// as of no known kind is neither checked nor unchecked.
    pub unchecked: bool,
    /// The file's text when it could not be parsed, so the report can show the error line.
    pub unparsed: Option<Arc<SourceFile>>,
    /// The file's `doublecheck:ignore` comments, applied after evaluation.
    pub suppressions: Option<FileSuppressions>,
}

/// Why a file's bytes were not read.
#[derive(Debug)]
pub enum ReadFailure {
    /// Larger than the limit: reported like a file that does not parse.
    TooLarge(u64),
    /// Not a regular file (a FIFO, a device, a folder), or an I/O error.
    Unreadable(String),
}

/// Reads a file of at most `max_bytes` bytes without ever opening anything but a regular
/// file (opening a FIFO blocks, a device may never end), and without reading more than
/// `max_bytes + 1` bytes even if the file grows meanwhile.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadFailure> {
    let metadata = std::fs::metadata(path).map_err(|e| ReadFailure::Unreadable(e.to_string()))?;
    if !metadata.is_file() {
        return Err(ReadFailure::Unreadable(
            "not a regular file, so it was not read".to_owned(),
        ));
    }
    if metadata.len() > max_bytes {
        return Err(ReadFailure::TooLarge(metadata.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| ReadFailure::Unreadable(e.to_string()))?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadFailure::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadFailure::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The finding for a file over the size limit, which is never read.
pub fn too_large(shown: &str, size: u64, max_bytes: u64) -> FileOutcome {
    let source = Arc::new(SourceFile::new(shown, String::new()));
    failed(
        source,
        Span::default(),
        format!(
            "the file is {}, over the {} limit (limits.max-file-size): it was not checked",
            human_size(size),
            human_size(max_bytes)
        ),
    )
}

/// `64 MiB`, `1.5 MiB`, `900 bytes`: exact enough to compare with the limit.
fn human_size(bytes: u64) -> String {
    const UNITS: &[(u64, &str)] = &[(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if bytes >= *size {
            let whole = bytes / size;
            let tenths = (bytes % size) * 10 / size;
            return if tenths == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenths} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// Turns a file's bytes into documents of known kinds, with the default size limit.
pub fn read_documents(shown: &str, candidate: Candidate, bytes: Vec<u8>) -> FileOutcome {
    read_documents_within(shown, candidate, bytes, MAX_FILE_BYTES as u64)
}

/// Turns a file's bytes into documents of known kinds; more than `max_bytes` bytes are a
/// finding, not parsed.
pub fn read_documents_within(
    shown: &str,
    candidate: Candidate,
    bytes: Vec<u8>,
    max_bytes: u64,
) -> FileOutcome {
    if bytes.len() as u64 > max_bytes {
        return too_large(shown, bytes.len() as u64, max_bytes);
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
    if !detect::worth_parsing(candidate, &text) {
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
                    let kind = detect::kind_of(candidate, &doc.value)?;
                    // A plan is read in the shape of the configuration it plans.
                    let doc = if kind.as_str() == detect::kinds::TERRAFORM_PLAN {
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
                        resolved: None,
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
        checked: false,
        unchecked: true,
        unparsed: Some(source),
        suppressions: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_the_limit_is_written() {
        assert_eq!(human_size(64 << 20), "64 MiB");
        assert_eq!(human_size(200_000_000), "190.7 MiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(900), "900 bytes");
    }

    #[test]
    fn only_regular_files_are_opened() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        assert!(matches!(
            read_file(dir.path(), 100),
            Err(ReadFailure::Unreadable(_))
        ));
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "a: 1\n").expect("write");
        assert_eq!(read_file(&file, 100).expect("read"), b"a: 1\n");
        assert!(matches!(read_file(&file, 3), Err(ReadFailure::TooLarge(5))));
    }
}
