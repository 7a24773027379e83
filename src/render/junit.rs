//! `--format junit`: JUnit XML, which Jenkins, GitLab, Azure DevOps and Bitbucket show as
//! test results. A test case is a policy on a file: `classname` `doublecheck.<RULE-ID>` (so
//! Jenkins files it under package `doublecheck`, class `<RULE-ID>`), `name` the file's path,
//! in one `testsuite` per rule. Only the (rule, file) pairs with findings are known to the
//! report, so those are the test cases; a first suite, `doublecheck`, holds one passing test
//! case `scan` with the counts, so a clean run is one passing test rather than an empty
//! report (which Jenkins fails).
//!
//! A test case fails exactly when its findings fail the run (`--fail-on`): `<failure>` for a
//! policy, `<error>` for a file that could not be read or parsed (`DC-PARSE`,
//! `DC-UNREADABLE`: nothing in it was checked). One whose findings are all accepted
//! (suppressed, or already in the base) is `<skipped>`; one with only findings below
//! `--fail-on` passes and lists them in `<system-out>`. Every finding of the pair is in the
//! element's text with its location and related locations; `message` is the first
//! failing finding's message.
//!
//! No timestamps, host names or durations: the report is byte-identical from run to run, as
//! every output is. That follows the Jenkins xUnit plugin's `junit-10.xsd` (which
//! `tests/junit.rs` checks); Ant's stricter schema requires them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{Counts, RELATED_SHOWN, Standing, help_line, standing};
use crate::finding::{Finding, PARSE_ERROR, Severity, UNREADABLE};
use crate::report::Report;
use crate::words::count;

/// Element text, escaped as text needs (`<`, `>`, `&`, CR), quotes left as they are.
fn text(content: &str) -> BytesText<'static> {
    BytesText::from_escaped(partial_escape(xml_safe(content).into_owned()).into_owned())
}

/// What a test case comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Failure,
    Error,
    Skipped,
    Passed,
}

/// A policy on a file: its findings, in report order.
struct Case<'a> {
    rule: &'a str,
    path: &'a str,
    findings: Vec<&'a Finding>,
}

impl Case<'_> {
    fn failing(&self, threshold: Severity) -> Vec<&Finding> {
        self.findings
            .iter()
            .copied()
            .filter(|f| f.fails_at(threshold))
            .collect()
    }

    fn outcome(&self, threshold: Severity) -> Outcome {
        if !self.failing(threshold).is_empty() {
            if self.rule == PARSE_ERROR.id || self.rule == UNREADABLE.id {
                Outcome::Error
            } else {
                Outcome::Failure
            }
        } else if self.findings.iter().all(|f| standing(f) != Standing::New) {
            Outcome::Skipped
        } else {
            Outcome::Passed
        }
    }
}

/// XML 1.0 allows no control character but tab, line feed and carriage return, not even as
/// a character reference, nor U+FFFE and U+FFFF: those (from values in the scanned files)
/// are written as Rust escapes (`\u{1b}`).
fn xml_safe(text: &str) -> Cow<'_, str> {
    let forbidden = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if !text.chars().any(forbidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if forbidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Why a finding that does not fail the run is there, in words.
fn standing_note(finding: &Finding, threshold: Severity) -> Option<String> {
    match standing(finding) {
        Standing::Suppressed => Some(match &finding.suppression {
            Some(s) => format!("suppressed: {}", s.justification),
            None => "suppressed".to_owned(),
        }),
        Standing::Existing => Some("existing".to_owned()),
        Standing::New if !finding.fails_at(threshold) => {
            Some(format!("below --fail-on {threshold}"))
        }
        Standing::New => None,
    }
}

/// Every finding of a case with its location, related locations and standing, then the
/// rule's help.
fn details(report: &Report, case: &Case<'_>, threshold: Severity) -> String {
    let mut text = String::new();
    for finding in &case.findings {
        let at = &finding.location;
        let _ = write!(
            text,
            "{} at {}:{}:{}",
            finding.severity, at.path, at.start.line, at.start.column
        );
        if let Some(note) = standing_note(finding, threshold) {
            let _ = write!(text, " ({note})");
        }
        let _ = writeln!(text, ": {}", finding.message);
        for related in finding.related.iter().take(RELATED_SHOWN) {
            let at = &related.location;
            let _ = writeln!(
                text,
                "    {}:{}:{}: {}",
                at.path, at.start.line, at.start.column, related.message
            );
        }
        let hidden = finding.related.len().saturating_sub(RELATED_SHOWN);
        if hidden > 0 {
            let _ = writeln!(text, "    and {hidden} more related location(s)");
        }
    }
    if let Some(rule) = report.rule(case.rule) {
        let _ = writeln!(text, "help: {}", help_line(rule));
    }
    text
}

/// `message` of a failure: the first failing finding's message, and how many more fail.
fn failure_message(failing: &[&Finding]) -> String {
    let first = failing.first().map_or("", |f| f.message.as_str());
    match failing.len() {
        0 | 1 => first.to_owned(),
        n => format!("{first} (and {} more)", n - 1),
    }
}

fn cases(report: &Report) -> BTreeMap<&str, Vec<Case<'_>>> {
    let mut pairs: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for finding in &report.findings {
        pairs
            .entry((finding.rule.as_str(), finding.location.path.as_str()))
            .or_default()
            .push(finding);
    }
    let mut suites: BTreeMap<&str, Vec<Case<'_>>> = BTreeMap::new();
    for ((rule, path), findings) in pairs {
        suites.entry(rule).or_default().push(Case {
            rule,
            path,
            findings,
        });
    }
    suites
}

/// tests, failures, errors, skipped.
fn tally(cases: &[Case<'_>], threshold: Severity) -> [usize; 4] {
    let mut counts = [cases.len(), 0, 0, 0];
    for case in cases {
        match case.outcome(threshold) {
            Outcome::Failure => counts[1] += 1,
            Outcome::Error => counts[2] += 1,
            Outcome::Skipped => counts[3] += 1,
            Outcome::Passed => {}
        }
    }
    counts
}

/// The summary test case's text.
fn summary(report: &Report, threshold: Severity) -> String {
    let counts = Counts::of(report);
    let mut text = format!(
        "files checked: {} ({}), not checked: {}, unreadable paths: {}\n\
         findings: {} new, {} existing, {} fixed, {} suppressed",
        report.files_checked,
        count(report.documents, "document", "documents"),
        report.files_unchecked,
        report.unreadable,
        counts.new,
        counts.existing,
        counts.fixed,
        counts.suppressed
    );
    if let Some(base) = &report.base {
        let _ = write!(text, " (compared with {base})");
    }
    let _ = writeln!(text, "\nfails from: {threshold}");
    text
}

/// The count attributes of a suite: tests, failures, errors and, but on `testsuites`,
/// skipped (junit-10.xsd has no `skipped` there).
fn count_attrs(counts: [usize; 4], skipped: bool) -> Vec<(&'static str, String)> {
    let names = ["tests", "failures", "errors", "skipped"];
    let kept = if skipped { 4 } else { 3 };
    names
        .into_iter()
        .zip(counts)
        .take(kept)
        .map(|(name, n)| (name, n.to_string()))
        .collect()
}

fn attrs<'a>(pairs: &'a [(&'static str, String)]) -> impl Iterator<Item = (&'a str, &'a str)> {
    pairs.iter().map(|(k, v)| (*k, v.as_str()))
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let threshold = report.threshold();
    let suites = cases(report);
    // The summary test case, and every other.
    let mut total = [1, 0, 0, 0];
    for cases in suites.values() {
        for (sum, n) in total.iter_mut().zip(tally(cases, threshold)) {
            *sum += n;
        }
    }
    let mut writer = Writer::new_with_indent(out, b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let counts = count_attrs(total, false);
    writer
        .create_element("testsuites")
        .with_attribute(("name", "doublecheck"))
        .with_attributes(attrs(&counts))
        .write_inner_content(|writer| {
            summary_suite(writer, report, threshold)?;
            for (rule, cases) in &suites {
                let counts = count_attrs(tally(cases, threshold), true);
                writer
                    .create_element("testsuite")
                    .with_attribute(("name", xml_safe(rule).as_ref()))
                    .with_attributes(attrs(&counts))
                    .write_inner_content(|writer| {
                        for case in cases {
                            test_case(writer, report, case, threshold)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    writeln!(writer.get_mut())
}

fn summary_suite<W: Write>(
    writer: &mut Writer<W>,
    report: &Report,
    threshold: Severity,
) -> io::Result<()> {
    let counts = Counts::of(report);
    let mut properties: Vec<(&str, String)> = vec![
        ("files_checked", report.files_checked.to_string()),
        ("files_unchecked", report.files_unchecked.to_string()),
        ("documents", report.documents.to_string()),
        ("unreadable", report.unreadable.to_string()),
        ("new", counts.new.to_string()),
        ("existing", counts.existing.to_string()),
        ("fixed", counts.fixed.to_string()),
        ("suppressed", counts.suppressed.to_string()),
        ("fail_on", threshold.to_string()),
    ];
    if let Some(base) = &report.base {
        properties.push(("base", base.clone()));
    }
    writer
        .create_element("testsuite")
        .with_attribute(("name", "doublecheck"))
        .with_attributes(attrs(&count_attrs([1, 0, 0, 0], true)))
        .write_inner_content(|writer| {
            writer
                .create_element("properties")
                .write_inner_content(|writer| {
                    for (name, value) in &properties {
                        writer
                            .create_element("property")
                            .with_attribute(("name", *name))
                            .with_attribute(("value", xml_safe(value).as_ref()))
                            .write_empty()?;
                    }
                    Ok(())
                })?;
            writer
                .create_element("testcase")
                .with_attribute(("name", "scan"))
                .with_attribute(("classname", "doublecheck"))
                .write_inner_content(|writer| {
                    writer
                        .create_element("system-out")
                        .write_text_content(text(&summary(report, threshold)))?;
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

fn test_case<W: Write>(
    writer: &mut Writer<W>,
    report: &Report,
    case: &Case<'_>,
    threshold: Severity,
) -> io::Result<()> {
    let classname = format!("doublecheck.{}", case.rule);
    let details = details(report, case, threshold);
    let failing = case.failing(threshold);
    let element = writer
        .create_element("testcase")
        .with_attribute(("name", xml_safe(case.path).as_ref()))
        .with_attribute(("classname", xml_safe(&classname).as_ref()));
    element.write_inner_content(|writer| {
        match case.outcome(threshold) {
            outcome @ (Outcome::Failure | Outcome::Error) => {
                let worst = failing
                    .iter()
                    .map(|f| f.severity)
                    .max()
                    .unwrap_or(Severity::Error);
                let message = failure_message(&failing);
                writer
                    .create_element(if outcome == Outcome::Error {
                        "error"
                    } else {
                        "failure"
                    })
                    .with_attribute(("type", worst.as_str()))
                    .with_attribute(("message", xml_safe(&message).as_ref()))
                    .write_text_content(text(&details))?;
            }
            Outcome::Skipped => {
                let counts = Counts {
                    suppressed: case
                        .findings
                        .iter()
                        .filter(|f| standing(f) == Standing::Suppressed)
                        .count(),
                    existing: case
                        .findings
                        .iter()
                        .filter(|f| standing(f) == Standing::Existing)
                        .count(),
                    ..Counts::default()
                };
                let message = format!(
                    "accepted: {} suppressed, {} existing",
                    counts.suppressed, counts.existing
                );
                writer
                    .create_element("skipped")
                    .with_attribute(("message", message.as_str()))
                    .write_text_content(text(&details))?;
            }
            Outcome::Passed => {
                writer
                    .create_element("system-out")
                    .write_text_content(text(&details))?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_escapes() {
        assert_eq!(xml_safe("a\tb\nc\r"), "a\tb\nc\r");
        assert_eq!(
            xml_safe("x\u{1b}[31m\u{0}\u{ffff}"),
            "x\\u{1b}[31m\\u{0}\\u{ffff}"
        );
    }
}
