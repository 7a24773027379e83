//! `--format json`: a summary and every finding, keys in a fixed order.

use std::io::{self, Write};

use serde::Serialize;

use crate::finding::Finding;
use crate::policy::Severity;
use crate::scan::Report;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: &'static str,
    summary: Summary,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct Summary {
    files_checked: usize,
    documents: usize,
    unreadable: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let json = JsonReport {
        version: env!("CARGO_PKG_VERSION"),
        summary: Summary {
            files_checked: report.files_checked,
            documents: report.documents,
            unreadable: report.unreadable,
            findings: report.findings.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
        },
        findings: &report.findings,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
