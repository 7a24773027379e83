//! Renderers: one per output format, each given the same sorted [`Report`]. They know
//! nothing of file formats or policies.
//!
//! `github` also has two side outputs the runner reads from files: the markdown step
//! summary ([`step_summary`]) and the step outputs ([`github_outputs`]).

mod github;
mod gitlab;
mod json;
mod junit;
mod sarif;
mod summary;
mod text;

use std::io::{self, Write};

pub use github::{escape_data, escape_property, github_outputs};
pub use summary::{Links, MAX_SUMMARY_BYTES, step_summary};
pub use text::{TextStyle, render_findings, render_policy_errors};

use crate::finding::{BaseFinding, BaselineState, Finding};
use crate::report::{Report, RuleInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Human output: each finding with its source line and a marker under the value.
    Text,
    /// Machine output: a stable JSON object with a summary and every finding.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions: workflow-command annotations and a plain log line per finding
    /// (the default when GITHUB_ACTIONS=true).
    Github,
    /// GitLab Code Quality (`artifacts: reports: codequality`).
    Gitlab,
    /// JUnit XML, for CI test reports (Jenkins, GitLab, Azure DevOps, Bitbucket).
    Junit,
}

impl OutputFormat {
    /// The name `--format` and `--output` take.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Text => "text",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Github => "github",
            OutputFormat::Gitlab => "gitlab",
            OutputFormat::Junit => "junit",
        }
    }

    /// What the report is called in messages (`cannot write the SARIF report to …`).
    pub fn title(self) -> &'static str {
        match self {
            OutputFormat::Text => "text",
            OutputFormat::Json => "JSON",
            OutputFormat::Sarif => "SARIF",
            OutputFormat::Github => "GitHub Actions",
            OutputFormat::Gitlab => "GitLab Code Quality",
            OutputFormat::Junit => "JUnit",
        }
    }
}

pub fn render(
    format: OutputFormat,
    report: &Report,
    style: TextStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Text => text::render(report, style, out),
        OutputFormat::Json => json::render(report, out),
        OutputFormat::Sarif => sarif::render(report, out),
        OutputFormat::Github => github::render(report, out),
        OutputFormat::Gitlab => gitlab::render(report, out),
        OutputFormat::Junit => junit::render(report, out),
    }
}

/// Related locations listed under a finding; a grouped finding about a large profile can
/// have hundreds, which the message already counts and names.
pub(crate) const RELATED_SHOWN: usize = 6;

/// The first paragraph of a rule's remediation on one line, and where the rest is.
pub(crate) fn help_line(rule: &RuleInfo) -> String {
    let first = rule
        .remediation
        .trim()
        .split("\n\n")
        .next()
        .unwrap_or_default();
    let help = first.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{help} (doublecheck explain {})", rule.id)
}

/// Where a finding stands after suppressions and the comparison with a base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Standing {
    /// Introduced by the change, or any unsuppressed finding when there is no base.
    New,
    /// Already in the base.
    Existing,
    /// Accepted by an inline comment or a baseline entry.
    Suppressed,
}

pub(crate) fn standing(finding: &Finding) -> Standing {
    if finding.suppression.is_some() {
        Standing::Suppressed
    } else if finding.baseline_state == Some(BaselineState::Unchanged) {
        Standing::Existing
    } else {
        Standing::New
    }
}

/// The counts every format reports the same way: without a base every unsuppressed finding
/// is new and none is existing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: usize,
    pub existing: usize,
    pub fixed: usize,
    pub suppressed: usize,
}

impl Counts {
    pub fn of(report: &Report) -> Self {
        let mut counts = Counts {
            fixed: report.fixed.len(),
            ..Counts::default()
        };
        for finding in &report.findings {
            match standing(finding) {
                Standing::New => counts.new += 1,
                Standing::Existing => counts.existing += 1,
                Standing::Suppressed => counts.suppressed += 1,
            }
        }
        counts
    }
}

/// A fixed finding on one line, the same whatever the base (a baseline file or a git
/// revision): rule, path and the node in words. A base's line numbers are the base's, not
/// the files on disk, so none is shown.
pub(crate) fn fixed_line(fixed: &BaseFinding) -> String {
    format!("fixed[{}]: {}: {}", fixed.rule, fixed.path, fixed.locator)
}
