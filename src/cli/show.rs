//! `doublecheck show FILE`: the data model policies see for one file — each document's kind
//! and value as JSON — so a policy author can write `select` and `require` against it.

use serde_json::json;

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, ShowArgs, out};
use crate::detect;
use crate::read::read_documents;

pub(super) fn run(args: ShowArgs) -> i32 {
    let shown = args.file.to_string_lossy().replace('\\', "/");
    let Some(candidate) = detect::candidate(&shown) else {
        eprintln!(
            "doublecheck: `{shown}` is not a file doublecheck reads (see \"What it reads\" in the README)"
        );
        return EXIT_ERROR;
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("doublecheck: cannot read `{shown}`: {error}");
            return EXIT_ERROR;
        }
    };
    let outcome = read_documents(&shown, candidate, bytes);
    for finding in &outcome.findings {
        let start = finding.location.start;
        eprintln!(
            "{}:{}:{}: {}",
            finding.location.path, start.line, start.column, finding.message
        );
    }
    if !outcome.findings.is_empty() {
        return EXIT_FINDINGS;
    }
    if outcome.documents.is_empty() {
        eprintln!("doublecheck: `{shown}` holds no document of a known kind");
        return EXIT_CLEAN;
    }
    let documents: Vec<_> = outcome
        .documents
        .iter()
        .map(|d| json!({"kind": d.kind, "document": d.index_in_file, "value": d.value}))
        .collect();
    match serde_json::to_string_pretty(&documents) {
        Ok(text) => out::print(&format!("{text}\n"), EXIT_CLEAN),
        Err(error) => {
            eprintln!("doublecheck: cannot print `{shown}`: {error}");
            EXIT_ERROR
        }
    }
}
