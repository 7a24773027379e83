//! `scan --statistics`: how many findings each rule has, in place of the findings, to see
//! where a repository stands (as `ruff check --statistics` does).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::finding::Severity;
use crate::render::{Standing, standing};
use crate::report::Report;
use crate::words::count;

/// One rule's findings: the ones not suppressed, and of them the new ones (all of them
/// without a base).
#[derive(Debug, Serialize)]
struct Row<'a> {
    rule: &'a str,
    severity: Severity,
    title: &'a str,
    count: usize,
    new: usize,
}

/// The rows, most findings first, then by rule id.
fn rows(report: &Report) -> Vec<Row<'_>> {
    let mut by_rule: BTreeMap<&str, Row<'_>> = BTreeMap::new();
    for finding in &report.findings {
        let standing = standing(finding);
        if standing == Standing::Suppressed {
            continue;
        }
        let row = by_rule.entry(finding.rule.as_str()).or_insert_with(|| Row {
            rule: &finding.rule,
            severity: finding.severity,
            title: report.rule(&finding.rule).map_or("", |r| r.title.as_str()),
            count: 0,
            new: 0,
        });
        row.count += 1;
        row.new += usize::from(standing == Standing::New);
    }
    let mut rows: Vec<Row<'_>> = by_rule.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    rows
}

/// `  3  error    SF-GUEST-001  Guest users can …`, a line a rule (with a base, how many
/// are new too), then the total.
pub(super) fn text(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rows = rows(report);
    let width = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    let digits = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    for row in &rows {
        let new = match report.base {
            Some(_) => format!("  {:>digits$} new", row.new),
            None => String::new(),
        };
        writeln!(
            out,
            "{:>digits$}{new}  {:7}  {:width$}  {}",
            row.count,
            row.severity.as_str(),
            row.rule,
            row.title
        )?;
    }
    let total: usize = rows.iter().map(|r| r.count).sum();
    writeln!(
        out,
        "{} of {}",
        count(total, "finding", "findings"),
        count(rows.len(), "rule", "rules")
    )
}

/// `[{"rule", "severity", "title", "count", "new"}]`, most findings first.
pub(super) fn json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &rows(report))?;
    writeln!(out)
}
