//! Findings: what evaluation reports, already resolved to file positions, and the engine's
//! own rules for input it could not check.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::document::{Document, Location, SourceFile, Span, split_pointer};

/// How serious a finding is; `--fail-on` compares against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location: why a finding holds ("guest profile of site X").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// JSON Pointer of the offending node in its document, when there is a document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Stable across unrelated edits: rule, file, document and the node's identity path.
    pub fingerprint: String,
    /// The node in words, without line numbers: the pointer with array indexes replaced by
    /// the element's identity (`/Profile/fieldPermissions/[field=Case.Email]/readable`).
    /// Baselines store it so a reviewer can tell what an entry accepts.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub locator: String,
    /// Set when an inline `doublecheck:ignore` or a baseline entry accepts this finding; a
    /// suppressed finding is still reported (SARIF `suppressions`) but never fails the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    /// Set when findings were compared with a base (`--baseline`, `--diff-base`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<BaselineState>,
}

/// Why a finding is accepted, and where that was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// The `reason="…"` given (required for inline suppressions).
    pub justification: String,
    /// `until=YYYY-MM-DD`, when the suppression expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// The comment that suppresses, for inline suppressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// SARIF's two suppression kinds: a comment in the file, or a file beside it (a baseline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SuppressionKind {
    InSource,
    External,
}

/// How a finding compares with the base. Findings of the base that are gone are not
/// findings any more: they are listed in [`crate::report::Report::fixed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the base: the change introduces it.
    New,
    /// Already in the base.
    Unchanged,
}

/// A finding of the base (a baseline entry, or a finding at the `--diff-base` revision), as
/// much of it as the base tells.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BaseFinding {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
    pub locator: String,
    /// Known when the base was scanned (`--diff-base`); a baseline file has no messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Where it was in the base revision, when the base was scanned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl BaseFinding {
    pub fn of(finding: &Finding) -> Self {
        BaseFinding {
            fingerprint: finding.fingerprint.clone(),
            rule: finding.rule.clone(),
            path: finding.location.path.clone(),
            locator: finding.locator.clone(),
            message: Some(finding.message.clone()),
            location: Some(finding.location.clone()),
        }
    }
}

impl Finding {
    /// Whether this finding makes the run fail at `threshold`: suppressed findings never do,
    /// and when a base was given only new findings do.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.severity >= threshold
            && self.suppression.is_none()
            && self.baseline_state != Some(BaselineState::Unchanged)
    }

    /// Output order: path, line, column, rule; byte-identical from run to run.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            &self.location.path,
            self.location.start.line,
            self.location.start.column,
            &self.rule,
            &self.message,
        )
    }
}

/// Rules of the engine itself, reported like policy findings so nothing is lost in silence.
pub struct EngineRule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub description: &'static str,
    pub remediation: &'static str,
}

pub const PARSE_ERROR: EngineRule = EngineRule {
    id: "DC-PARSE",
    severity: Severity::Error,
    title: "A file of a known kind could not be parsed, so it was not checked",
    description: "doublecheck reads this file because its name or content says it is \
                  configuration it checks, but the file is not valid YAML, JSON or XML (or is \
                  not UTF-8, or nests too deeply, or expands aliases too far). Nothing in it was \
                  checked, so the scan does not pass.",
    remediation: "Fix the syntax error at the reported position; the tool that consumes this \
                  file would reject it too, or read it differently from what a reviewer sees.",
};

pub const TEMPLATE: EngineRule = EngineRule {
    id: "DC-TEMPLATE",
    severity: Severity::Note,
    title: "A template, or part of a Helm chart, was not checked",
    description: "Helm charts are rendered with their values, as `helm template` does; what \
                  needs the cluster or is not in the repository (`lookup`, `.Files`, a \
                  dependency not unpacked in `charts/`, a required value with no default) is \
                  left unknown, never guessed, and the chart's note, at its `Chart.yaml`, names \
                  it: settings that depend on it are not checked. Other templates (Jinja or \
                  Ansible `{% … %}`, Go template actions with no `Chart.yaml` beside them) are \
                  not valid YAML or JSON until something renders them, and are not checked at \
                  all: one note for each `templates/` folder, or each file. It is a note, not an \
                  error: nothing is broken.",
    remediation: "For a chart: unpack its dependencies into `charts/` (`helm dependency \
                  build` fetches them as archives; `tar -xzf` each), and name the values files production uses in \
                  `.doublecheck.yml` (`helm.values`) so required values are set. For other \
                  templates: render them in CI and scan the result.",
};

pub const UNREADABLE: EngineRule = EngineRule {
    id: "DC-UNREADABLE",
    severity: Severity::Error,
    title: "A file or folder in the scanned tree could not be read",
    description: "doublecheck could not open or list this path (permissions, a broken link, \
                  an I/O error), so whatever it holds was not checked. The run exits with \
                  code 2.",
    remediation: "Make the path readable by the user running doublecheck, or exclude it.",
};

pub const MISSING: EngineRule = EngineRule {
    id: "DC-MISSING",
    severity: Severity::Warning,
    title: "A rules file that the repository deploys does not exist, so it was not checked",
    description: "A `firebase.json` names a rules file for `firebase deploy` to upload \
                  (`firestore.rules`, `storage.rules`, `database.rules`), but the scanned tree \
                  has no such file. The rules in force were written somewhere else (in the \
                  Firebase console, or in a file kept out of the repository) and were not \
                  checked, and `firebase deploy` fails on the missing file. A warning: a \
                  missing file exposes nothing by itself, but the rules in force are unknown.",
    remediation: "Commit the rules the project deploys at the path `firebase.json` names (the \
                  console shows them under Rules), or correct the path.",
};

pub const SUPPRESSION: EngineRule = EngineRule {
    id: "DC-SUPPRESSION",
    severity: Severity::Error,
    title: "An inline suppression is invalid or forbidden, so it suppresses nothing",
    description: "A `doublecheck:ignore` comment must name known rules and give a reason: \
                  `doublecheck:ignore RULE-ID[,RULE-ID…] reason=\"…\" [until=YYYY-MM-DD]`. \
                  This one has no reason, a date that is not YYYY-MM-DD, an unknown rule, \
                  text doublecheck cannot read, or names a rule that the configuration \
                  (`suppressions.forbid`) does not allow to be suppressed inline. It does not \
                  apply: the findings it meant to accept are reported.",
    remediation: "Write the comment as `doublecheck:ignore RULE-ID reason=\"why this is \
                  accepted\" until=YYYY-MM-DD` on the finding's line or the line above it; for \
                  a forbidden rule, fix the finding instead.",
};

pub const SUPPRESSION_EXPIRED: EngineRule = EngineRule {
    id: "DC-SUPPRESSION-EXPIRED",
    severity: Severity::Warning,
    title: "An inline suppression has expired",
    description: "The `until=` date of this `doublecheck:ignore` comment is past (today is the \
                  UTC date, or `DOUBLECHECK_TODAY`), so it no longer applies: the findings it \
                  accepted are reported again.",
    remediation: "Fix the finding and remove the comment, or, if the exception still holds, \
                  move `until=` forward with the reason it still holds.",
};

pub const SUPPRESSION_UNUSED: EngineRule = EngineRule {
    id: "DC-SUPPRESSION-UNUSED",
    severity: Severity::Warning,
    title: "An inline suppression suppresses nothing",
    description: "No finding of the rule this `doublecheck:ignore` comment names is on its \
                  line (or, for a comment on a line of its own, on the next line). The \
                  finding was fixed or moved; a stale suppression would silently accept a \
                  future finding on that line.",
    remediation: "Remove the comment, or move it onto the line of the finding it is meant for.",
};

pub const ENGINE_RULES: &[&EngineRule] = &[
    &PARSE_ERROR,
    &TEMPLATE,
    &UNREADABLE,
    &MISSING,
    &SUPPRESSION,
    &SUPPRESSION_EXPIRED,
    &SUPPRESSION_UNUSED,
];

/// Whether `id` is one of the engine's own rules (`DC-…`).
pub fn is_engine_rule(id: &str) -> bool {
    ENGINE_RULES.iter().any(|r| r.id == id)
}

impl EngineRule {
    pub fn finding(&self, source: &SourceFile, span: Span, message: String) -> Finding {
        let location = Location::new(source, span);
        let fingerprint = fingerprint(&[self.id, &source.path]);
        Finding {
            rule: self.id.to_owned(),
            severity: self.severity,
            message,
            location,
            pointer: None,
            related: Vec::new(),
            fingerprint,
            locator: String::new(),
            suppression: None,
            baseline_state: None,
        }
    }
}

/// A hex SHA-256 prefix over the given parts (NUL-separated so parts cannot run together).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Properties that name an array element, tried in order: a finding on the `Product__c`
/// entry keeps its fingerprint when an entry is inserted before it.
const IDENTITY_KEYS: &[&str] = &[
    "name",
    "fullName",
    "object",
    "field",
    "apexClass",
    "apexPage",
    "application",
    "tab",
    "recordType",
    "layout",
    "id",
    "key",
    "pattern",
];

/// The pointer with array indexes replaced by the element's identity where it has one.
pub fn identity_path(document: &Document, pointer: &str) -> String {
    let mut current: &Value = &document.value;
    let mut out = String::new();
    for token in split_pointer(pointer) {
        out.push('/');
        let next = match current {
            Value::Array(items) => {
                let item = token.parse::<usize>().ok().and_then(|i| items.get(i));
                let identity = item.and_then(|item| {
                    IDENTITY_KEYS.iter().find_map(|k| {
                        item.get(*k)
                            .and_then(Value::as_str)
                            .map(|v| format!("[{k}={v}]"))
                    })
                });
                out.push_str(identity.as_deref().unwrap_or(&token));
                item
            }
            Value::Object(map) => {
                out.push_str(&token);
                map.get(&token)
            }
            _ => {
                out.push_str(&token);
                None
            }
        };
        match next {
            Some(v) => current = v,
            None => break,
        }
    }
    out
}
