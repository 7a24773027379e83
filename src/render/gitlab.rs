//! `--format gitlab`: a GitLab Code Quality report (`artifacts: reports: codequality`), the
//! subset of the Code Climate issue format GitLab reads: a JSON array of issues, each with
//! `description`, `check_name`, `fingerprint`, `severity` and `location` (`path`,
//! `lines.begin`). No byte-order mark: GitLab's parser refuses one.
//!
//! - Suppressed findings are left out: the merge-request widget has no notion of an
//!   accepted issue, so it would show them as problems. Existing findings (in the baseline
//!   or the `--diff-base` revision) are kept: GitLab compares the report with the target
//!   branch's own report, and leaving them out would show them as fixed there.
//! - GitLab keys issues by fingerprint and keeps one per fingerprint, so two findings that
//!   share doublecheck's fingerprint (one rule, one node, two messages) would collapse into
//!   one. The first keeps doublecheck's fingerprint (the one baselines and SARIF use); each
//!   later one gets a hash of it and its rank among them, stable as long as the findings
//!   before it in the file are.
//! - `positions` carries the columns for Code Climate readers that use them; GitLab reads
//!   `lines.begin`.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Standing, standing};
use crate::document::Location;
use crate::finding::{Finding, Severity, fingerprint};
use crate::report::Report;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
    positions: Positions,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

#[derive(Serialize)]
struct Positions {
    begin: LineColumn,
    end: LineColumn,
}

#[derive(Serialize)]
struct LineColumn {
    line: usize,
    column: usize,
}

/// GitLab's severities are info, minor, major, critical and blocker. An error fails the run
/// by default and is a possible data leak: critical. A warning is major, a note minor;
/// blocker and info are not used.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Note => "minor",
    }
}

/// A Code Climate description is one line: line breaks and other control characters in a
/// message (values from the scanned files) are written as escapes.
fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn location(location: &Location) -> IssueLocation<'_> {
    // A zero-width finding at the end of a file can end on a line after its start's; a
    // range never ends before it begins.
    let (start, end) = (&location.start, &location.end);
    IssueLocation {
        path: &location.path,
        lines: Lines {
            begin: start.line,
            end: end.line.max(start.line),
        },
        positions: Positions {
            begin: LineColumn {
                line: start.line,
                column: start.column,
            },
            end: LineColumn {
                line: end.line,
                column: end.column,
            },
        },
    }
}

/// Every unsuppressed finding as an issue, each with a fingerprint no other has.
fn issues(report: &Report) -> Vec<Issue<'_>> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    report
        .findings
        .iter()
        .filter(|f| standing(f) != Standing::Suppressed)
        .map(|finding: &Finding| {
            let rank = seen.entry(finding.fingerprint.as_str()).or_insert(0);
            let fingerprint = match *rank {
                0 => finding.fingerprint.clone(),
                n => fingerprint(&[&finding.fingerprint, &n.to_string()]),
            };
            *rank += 1;
            Issue {
                kind: "issue",
                check_name: &finding.rule,
                description: one_line(&finding.message),
                categories: ["Security"],
                severity: severity(finding.severity),
                fingerprint,
                location: location(&finding.location),
            }
        })
        .collect()
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &issues(report))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_one_line() {
        assert_eq!(one_line("a\nb\r\tc\u{1b}"), "a\\nb\\r\\tc\\u{1b}");
        assert_eq!(one_line("`x` ü"), "`x` ü");
    }
}
