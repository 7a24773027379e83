//! `--format json`: a summary, every finding (suppressed ones with their `suppression`) and
//! the base's fixed findings, keys in a fixed order. `format` names the shape
//! (`doublecheck-json-v1`): it changes only when a key is removed, renamed or changes
//! meaning, so aggregators can rely on it across releases; `version` is the tool's.

use std::io::{self, Write};

use serde::Serialize;

use super::Counts;
use crate::finding::Severity;
use crate::finding::{BaseFinding, Finding};
use crate::report::Report;

/// The report's shape; see the module's documentation.
const FORMAT: &str = "doublecheck-json-v1";

#[derive(Serialize)]
struct JsonReport<'a> {
    format: &'static str,
    version: &'static str,
    summary: Summary,
    findings: &'a [Finding],
    /// Findings of the base that this scan no longer finds.
    fixed: &'a [BaseFinding],
}

#[derive(Serialize)]
struct Summary {
    files_checked: usize,
    files_unchecked: usize,
    documents: usize,
    unreadable: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    /// Unsuppressed findings the change introduces (all of them when there is no base).
    new: usize,
    /// Unsuppressed findings already in the base.
    existing: usize,
    fixed: usize,
    suppressed: usize,
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let counts = Counts::of(report);
    let json = JsonReport {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION"),
        summary: Summary {
            files_checked: report.files_checked,
            files_unchecked: report.files_unchecked,
            documents: report.documents,
            unreadable: report.unreadable,
            findings: report.findings.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            new: counts.new,
            existing: counts.existing,
            fixed: counts.fixed,
            suppressed: counts.suppressed,
        },
        findings: &report.findings,
        fixed: &report.fixed,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
