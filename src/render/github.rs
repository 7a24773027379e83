//! `--format github`: GitHub Actions workflow commands. Every finding is a plain log line
//! (in a collapsed group), the most important ones also annotations on their lines, within
//! the limits GitHub shows.
//!
//! Paths, messages and values come from the pull request under review, so nothing here may
//! start a workflow command of its own: annotation data and properties are escaped as the
//! runner unescapes them, and plain log lines never hold a line break, never start with
//! `::` and never hold `##[` (the runner's older command syntax, read anywhere in a line).

use std::cmp::Reverse;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Counts, Standing, fixed_line, standing};
use crate::finding::Severity;
use crate::finding::{BaselineState, Finding};
use crate::report::Report;
use crate::words::count;

/// Annotations GitHub shows per step for each of error, warning and notice.
pub const PER_STEP_AND_LEVEL: usize = 10;
/// Annotations GitHub shows per job.
pub const PER_JOB: usize = 50;

/// Escapes a workflow command's data (after `::`): `%`, CR and LF.
pub fn escape_data(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a workflow command's property value: the data escapes, and `:` and `,`, which
/// end the properties and separate them.
pub fn escape_property(value: &str) -> String {
    escape_data(value).replace(':', "%3A").replace(',', "%2C")
}

/// A value for a plain log line: control characters as Rust escapes (`\n`, `\u{1b}`), and
/// `##[` broken so the runner does not read it as a command.
fn escape_log(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.replace("##[", "#\\#[")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

fn level_index(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Note => 2,
    }
}

/// Whether the finding's lines overlap lines the change touched.
pub(crate) fn on_changed_lines(report: &Report, finding: &Finding) -> bool {
    let (start, end) = (finding.location.start.line, finding.location.end.line);
    report
        .changed_lines
        .get(&finding.location.path)
        .is_some_and(|ranges| ranges.iter().any(|&(a, b)| a <= end && start <= b))
}

/// The findings that deserve an annotation, most important first: severity, then on lines
/// the change touched, then new before unchanged, then path and line. Suppressed findings
/// are never annotated, nor unchanged ones when there is a base (the summary lists them).
pub(crate) fn annotation_order(report: &Report) -> Vec<&Finding> {
    let mut candidates: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| standing(f) == Standing::New)
        .collect();
    candidates.sort_by_key(|f| {
        (
            Reverse(f.severity),
            !on_changed_lines(report, f),
            f.baseline_state != Some(BaselineState::New),
            f.sort_key(),
        )
    });
    candidates
}

/// One annotation: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
pub fn annotation(report: &Report, finding: &Finding) -> String {
    let location = &finding.location;
    let title = match report.rule(&finding.rule) {
        Some(rule) => format!("{} {}", finding.rule, rule.title),
        None => finding.rule.clone(),
    };
    let mut message = finding.message.clone();
    if let Some(rule) = report.rule(&finding.rule) {
        let help = first_paragraph(&rule.remediation);
        if !help.is_empty() {
            let _ = write!(message, "\n\nhelp: {help}");
        }
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        command(finding.severity),
        escape_property(&location.path),
        location.start.line,
        location.start.column,
        location.end.line,
        location.end.column,
        escape_property(&title),
        escape_data(&message),
    )
}

/// The first paragraph of a remediation, on one line.
fn first_paragraph(text: &str) -> String {
    let first = text.trim().split("\n\n").next().unwrap_or_default();
    first.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `error[RULE] path:line:column: message`, plus how it stands.
fn log_line(finding: &Finding, has_base: bool) -> String {
    let location = &finding.location;
    let mut line = format!(
        "{}[{}] {}:{}:{}: {}",
        finding.severity,
        escape_log(&finding.rule),
        escape_log(&location.path),
        location.start.line,
        location.start.column,
        escape_log(&finding.message),
    );
    match (standing(finding), &finding.suppression) {
        (Standing::Suppressed, Some(suppression)) => {
            let _ = write!(
                line,
                " (suppressed: {})",
                escape_log(&suppression.justification)
            );
        }
        (Standing::Existing, _) => line.push_str(" (existing)"),
        (Standing::New, _) if has_base => line.push_str(" (new)"),
        _ => {}
    }
    line
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let counts = Counts::of(report);
    let has_base = report.base.is_some();
    let heading = if has_base {
        format!(
            "doublecheck: findings: {} new, {} existing, {} fixed, {} suppressed",
            counts.new, counts.existing, counts.fixed, counts.suppressed
        )
    } else {
        format!(
            "doublecheck: {}, {} suppressed",
            count(counts.new, "finding", "findings"),
            counts.suppressed
        )
    };
    writeln!(out, "::group::{}", escape_data(&heading))?;
    if let Some(base) = &report.base {
        writeln!(out, "compared with {}", escape_log(base))?;
    }
    for finding in &report.findings {
        writeln!(out, "{}", log_line(finding, has_base))?;
    }
    for fixed in &report.fixed {
        writeln!(out, "{}", escape_log(&fixed_line(fixed)))?;
    }
    writeln!(out, "::endgroup::")?;

    let mut shown = [0usize; 3];
    let mut total = 0;
    let mut not_shown = 0;
    for finding in annotation_order(report) {
        let level = level_index(finding.severity);
        if shown[level] < PER_STEP_AND_LEVEL && total < PER_JOB {
            writeln!(out, "{}", annotation(report, finding))?;
            shown[level] += 1;
            total += 1;
        } else {
            not_shown += 1;
        }
    }
    if not_shown > 0 {
        writeln!(
            out,
            "doublecheck: {} not shown as annotations (GitHub shows at most \
             {PER_STEP_AND_LEVEL} errors, {PER_STEP_AND_LEVEL} warnings and \
             {PER_STEP_AND_LEVEL} notices per step); every finding is in the log above and in \
             the step summary",
            count(not_shown, "finding", "findings")
        )?;
    }
    writeln!(
        out,
        "{heading} in {} checked",
        count(report.files_checked, "file", "files")
    )
}

/// The step outputs for `$GITHUB_OUTPUT`: `new`, `existing`, `fixed`, `suppressed` and,
/// when a SARIF file was written, `sarif-file` (in the multi-line form when its path holds
/// a line break, with a delimiter the path does not contain).
pub fn github_outputs(report: &Report, sarif_file: Option<&str>) -> String {
    let counts = Counts::of(report);
    let mut out = format!(
        "new={}\nexisting={}\nfixed={}\nsuppressed={}\n",
        counts.new, counts.existing, counts.fixed, counts.suppressed
    );
    if let Some(path) = sarif_file {
        if path.contains(['\n', '\r']) {
            let mut delimiter = String::from("DOUBLECHECK_EOF");
            while path.contains(&delimiter) {
                delimiter.push('_');
            }
            let _ = writeln!(out, "sarif-file<<{delimiter}\n{path}\n{delimiter}");
        } else {
            let _ = writeln!(out, "sarif-file={path}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% done\r\n::error::x, a:b"),
            "100%25 done%0D%0A::error::x, a:b"
        );
        // Escaping is not idempotent by accident: an escape written by an attacker stays
        // literal text.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("a,b:c%d\ne\r::warning file=x"),
            "a%2Cb%3Ac%25d%0Ae%0D%3A%3Awarning file=x"
        );
    }

    #[test]
    fn log_lines_hold_no_line_break_nor_old_style_command() {
        assert_eq!(
            escape_log("a\n::error::x\r##[error]y\u{1b}[31m"),
            "a\\n::error::x\\r#\\#[error]y\\u{1b}[31m"
        );
    }

    #[test]
    fn outputs_use_a_delimiter_for_a_path_with_a_line_break() {
        let report = Report::default();
        assert_eq!(
            github_outputs(&report, Some("out\nnew=99")),
            "new=0\nexisting=0\nfixed=0\nsuppressed=0\n\
             sarif-file<<DOUBLECHECK_EOF\nout\nnew=99\nDOUBLECHECK_EOF\n"
        );
        assert_eq!(
            github_outputs(&report, Some("a\nDOUBLECHECK_EOF")),
            "new=0\nexisting=0\nfixed=0\nsuppressed=0\n\
             sarif-file<<DOUBLECHECK_EOF_\na\nDOUBLECHECK_EOF\nDOUBLECHECK_EOF_\n"
        );
    }
}
