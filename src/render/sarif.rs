//! SARIF 2.1.0: what code-scanning tools read, as plain serde structs; a test validates the
//! output against the official schema.
//!
//! Not `serde-sarif`: its repository has had only bot commits (dependency bumps) since
//! mid-2025, and its builder-generated types are larger than the ~40 fields written here.
//!
//! Findings of the base that are fixed are not results (code scanning would open alerts for
//! them); their count is a run property. Suppressed findings are results with
//! `suppressions`, so code scanning records them as dismissed rather than forgetting them.

use std::collections::BTreeMap;
use std::io::{self, Write};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use crate::document::Location;
use crate::finding::Severity;
use crate::finding::{BaselineState, Finding, SuppressionKind, UNREADABLE};
use crate::report::Report;
use crate::report::RuleInfo;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// Where every artifact URI is relative to: the scan root, given in `originalUriBaseIds`.
const ROOT_BASE: &str = "SRCROOT";

/// Characters to escape in a relative URI reference path (RFC 3986), keeping `/`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactRoot>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct ArtifactRoot {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    files_checked: usize,
    /// Files of a known kind not fully checked (each is also a DC-PARSE or DC-UNREADABLE
    /// result).
    files_unchecked: usize,
    documents: usize,
    unreadable: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    base: Option<&'a str>,
    fixed: usize,
    suppressed: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    level: &'static str,
    message: Text<'a>,
    locations: Vec<SarifLocation<'a>>,
    descriptor: Descriptor,
}

#[derive(Serialize)]
struct Descriptor {
    id: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct RuleProperties {
    /// GitHub code scanning's severity of a security rule: a number as a string, 9.0 and
    /// above critical, 7.0 high, 4.0 medium, below that low.
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: Vec<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifSuppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<SuppressionProperties<'a>>,
}

#[derive(Serialize)]
struct SuppressionProperties<'a> {
    until: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Every policy guards against a data leak, so every rule is a security rule: high for
/// errors, medium for warnings, low for notes.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Note => "2.0",
    }
}

fn located<'a>(
    location: &Location,
    id: Option<usize>,
    message: Option<&'a str>,
) -> SarifLocation<'a> {
    SarifLocation {
        id,
        physical_location: physical(location),
        message: message.map(|text| Text { text }),
    }
}

fn physical(location: &Location) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: utf8_percent_encode(&location.path, PATH).to_string(),
            uri_base_id: ROOT_BASE,
        },
        region: Region {
            start_line: location.start.line,
            start_column: location.start.column,
            end_line: location.end.line,
            end_column: location.end.column,
        },
    }
}

/// `file:///abs/root/`: an absolute folder URI ends with `/` (SARIF §3.14.14).
fn root_uri(root: &std::path::Path) -> String {
    let mut path = root.to_string_lossy().replace('\\', "/");
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    format!("file://{}", utf8_percent_encode(&path, PATH))
}

fn result<'a>(report: &'a Report, finding: &'a Finding) -> SarifResult<'a> {
    SarifResult {
        rule_id: &finding.rule,
        rule_index: report
            .rules
            .iter()
            .position(|r| r.id == finding.rule)
            .unwrap_or(0),
        level: level(finding.severity),
        message: Text {
            text: &finding.message,
        },
        locations: vec![located(&finding.location, None, None)],
        related_locations: finding
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| located(&r.location, Some(i), Some(&r.message)))
            .collect(),
        partial_fingerprints: BTreeMap::from([("doublecheck/v1", finding.fingerprint.as_str())]),
        baseline_state: finding.baseline_state.map(|state| match state {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
        }),
        suppressions: finding
            .suppression
            .iter()
            .map(|s| SarifSuppression {
                kind: match s.kind {
                    SuppressionKind::InSource => "inSource",
                    SuppressionKind::External => "external",
                },
                status: "accepted",
                justification: &s.justification,
                location: s.location.as_ref().map(|l| located(l, None, None)),
                properties: s
                    .until
                    .as_deref()
                    .map(|until| SuppressionProperties { until }),
            })
            .collect(),
    }
}

fn rule(info: &RuleInfo) -> Rule<'_> {
    let mut tags = info.tags.clone();
    if !tags.iter().any(|t| t == "security") {
        tags.push("security".to_owned());
    }
    let remediation = info.remediation.trim();
    Rule {
        id: &info.id,
        name: &info.id,
        short_description: Text { text: &info.title },
        full_description: Text {
            text: info.description.trim(),
        },
        help: Help {
            text: format!("{remediation}\n\n(doublecheck explain {})", info.id),
            markdown: format!(
                "**How to fix**\n\n{remediation}\n\n**Why**\n\n{}\n\n`doublecheck explain {}` \
                 has the incident behind this rule and its examples.",
                info.description.trim(),
                info.id
            ),
        },
        help_uri: info.help_uri.as_deref(),
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: RuleProperties {
            security_severity: security_severity(info.severity),
            tags,
        },
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let notifications = report
        .findings
        .iter()
        .filter(|f| f.rule == UNREADABLE.id)
        .map(|f| Notification {
            level: "error",
            message: Text { text: &f.message },
            locations: vec![located(&f.location, None, None)],
            descriptor: Descriptor { id: UNREADABLE.id },
        })
        .collect();
    let original_uri_base_ids = report
        .root
        .iter()
        .map(|root| {
            (
                ROOT_BASE,
                ArtifactRoot {
                    uri: root_uri(root),
                },
            )
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "doublecheck",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: report.rules.iter().map(rule).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: report.unreadable == 0,
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids,
            results: report.findings.iter().map(|f| result(report, f)).collect(),
            column_kind: "unicodeCodePoints",
            properties: RunProperties {
                files_checked: report.files_checked,
                files_unchecked: report.files_unchecked,
                documents: report.documents,
                unreadable: report.unreadable,
                base: report.base.as_deref(),
                fixed: report.fixed.len(),
                suppressed: super::Counts::of(report).suppressed,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_uri_is_an_encoded_folder_uri() {
        assert_eq!(
            root_uri(std::path::Path::new("/home/a b/repo")),
            "file:///home/a%20b/repo/"
        );
        assert_eq!(root_uri(std::path::Path::new("/")), "file:///");
    }
}
