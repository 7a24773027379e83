//! One input read and parsed as a scan reads it: its bytes, its documents, those no policy
//! or fact needs dropped, those only facts need cut down.

use crate::config::{Config, Limits};
use crate::detect::Candidate;
use crate::document::{Document, SourceFile, Span};
use crate::finding::{Finding, Severity, UNREADABLE};
use crate::parse::Format;
use crate::policy::PolicySet;
use crate::read::{
    Content, FileOutcome, Input, ReadFailure, read_documents_within, read_file, too_large,
};

/// Reads and parses one input; a read failure is a `DC-UNREADABLE` finding, a file over
/// the size limit a `DC-PARSE` finding (never read).
pub(super) fn read_input(input: Input, limits: &Limits) -> (FileOutcome, bool) {
    let max = limits.max_file_size;
    match input_content(input.candidate, input.content, max) {
        Ok(bytes) => (
            read_documents_within(&input.shown, input.candidate, bytes, max),
            false,
        ),
        Err(ReadFailure::TooLarge(size)) => (too_large(&input.shown, size, max), false),
        Err(ReadFailure::Unreadable(error)) => {
            let source = SourceFile::new(input.shown, String::new());
            let finding = UNREADABLE.finding(
                &source,
                Span::default(),
                format!("cannot read this file: {error}"),
            );
            let outcome = FileOutcome {
                findings: vec![finding],
                unchecked: true,
                ..FileOutcome::default()
            };
            (outcome, true)
        }
    }
}

/// An input's bytes, at most `max` of them.
pub(super) fn input_content(
    candidate: Candidate,
    content: Content,
    max: u64,
) -> Result<Vec<u8>, ReadFailure> {
    match content {
        // Data files are judged by name: their content (maybe gigabytes) is never read.
        _ if candidate.format() == Format::FILE_NAME => Ok(Vec::new()),
        Content::Memory(text) => Ok(text.into_bytes()),
        Content::Bytes(bytes) => Ok(bytes),
        Content::Disk { path, .. } => read_file(&path, max),
        Content::Refused(reason) => Err(ReadFailure::Unreadable(reason)),
    }
}

/// When `limits.allow-unchecked` accepts the finding's path, makes the engine finding a
/// note that says so and returns true.
pub(super) fn allow_unchecked(finding: &mut Finding, limits: &Limits) -> bool {
    let Some(pattern) = limits.allowed_unchecked(&finding.location.path) else {
        return false;
    };
    finding.severity = Severity::Note;
    finding.message = format!(
        "{} (allowed to stay unchecked by limits.allow-unchecked `{pattern}`)",
        finding.message
    );
    true
}

/// Cuts first-read documents that no policy checks (or that are read only for their facts)
/// down to what fact providers need of them (see [`Document::slim`]), as soon as they are
/// read.
pub(super) fn slim_unchecked(documents: &mut [Document], policies: &PolicySet, context: bool) {
    for document in documents {
        if !context && !policies.applying_to(&document.kind).is_empty() {
            continue;
        }
        if let Some(needed) = crate::facts::slim_filter(document.kind.as_str()) {
            document.slim(&|pointer| needed.iter().any(|keep| keep(pointer)));
        }
    }
}

/// Reads and parses one input, and drops the documents no policy applies to and no fact
/// provider or resolver reads: they are checked (they parsed) and done with. Of a file read
/// only for its facts, only the documents facts or the resolver read are kept, and nothing
/// else of it is reported or counted.
pub(super) fn read_checked(
    input: Input,
    policies: &PolicySet,
    config: &Config,
) -> (FileOutcome, bool, usize) {
    let context = input.context;
    let (mut outcome, unreadable) = read_input(input, &config.limits);
    let parsed = outcome.documents.len();
    outcome.documents.retain(|d| {
        crate::facts::needs_kind(&d.kind)
            || crate::resolve::needs_kind(&d.kind)
            || (!context && !policies.applying_to(&d.kind).is_empty())
    });
    if context {
        let documents = outcome.documents;
        return (
            FileOutcome {
                documents,
                ..FileOutcome::default()
            },
            false,
            0,
        );
    }
    (outcome, unreadable, parsed)
}
