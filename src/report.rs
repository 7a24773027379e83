//! What a scan comes to, for every renderer: sorted findings, the rules they name, the lines
//! of the files they point into, and counts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::document::Excerpt;
use crate::finding::{BaseFinding, ENGINE_RULES, Finding, Severity};
use crate::policy::PolicySet;

/// What renderers need to describe a rule, whatever defined it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub remediation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    /// The policy's `tags` (SARIF `properties.tags`); empty for the engine's own rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Everything a renderer gets: sorted findings, the files they point into, and counts.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// The lines of the files findings point into that their snippets show.
    pub sources: BTreeMap<String, Excerpt>,
    pub rules: Vec<RuleInfo>,
    /// Files of a known kind that were read, parsed and evaluated.
    pub files_checked: usize,
    /// Files of a known kind that were not fully checked (could not be read or parsed, or
    /// over `limits.max-file-size`): each has a `DC-PARSE` or `DC-UNREADABLE` finding, an
    /// error unless `limits.allow-unchecked` accepts its path (then a note).
    pub files_unchecked: usize,
    pub documents: usize,
    /// Paths that could not be read at all (exit code 2).
    pub unreadable: usize,
    /// What findings were compared with, in words (`baseline .doublecheck-baseline.json`,
    /// `git origin/main`), when they were; each finding then has a `baseline_state`.
    pub base: Option<String>,
    /// Findings of the base that this scan no longer finds, sorted.
    pub fixed: Vec<BaseFinding>,
    /// Lines the change added or modified, per shown path (1-based, inclusive ranges), when
    /// the change is known (`--diff-base`): annotations on them are shown first.
    pub changed_lines: BTreeMap<String, Vec<(usize, usize)>>,
    /// The folder shown paths are relative to, absolute, when the scan was on disk (SARIF
    /// `originalUriBaseIds`).
    pub root: Option<PathBuf>,
    /// The severity from which unsuppressed new findings fail the run (`--fail-on`, else the
    /// config's `fail-on`), for outputs that say pass or fail per check (JUnit); `None`
    /// means the default, error.
    pub fail_on: Option<Severity>,
}

impl Report {
    /// Whether any finding fails the run at `threshold` (see [`Finding::fails_at`]).
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.fails_at(threshold))
    }

    /// The severity from which findings fail the run (see [`Report::fail_on`]).
    pub fn threshold(&self) -> Severity {
        self.fail_on.unwrap_or(Severity::Error)
    }

    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }
}

impl RuleInfo {
    /// The engine's rules and `policies`, sorted by id.
    pub fn all(policies: &PolicySet) -> Vec<RuleInfo> {
        let engine = ENGINE_RULES.iter().map(|r| RuleInfo {
            id: r.id.to_owned(),
            title: r.title.to_owned(),
            severity: r.severity,
            description: r.description.to_owned(),
            remediation: r.remediation.to_owned(),
            help_uri: None,
            tags: Vec::new(),
        });
        let policy = policies.policies.iter().map(|p| RuleInfo {
            id: p.id().to_owned(),
            title: p.spec().title.clone(),
            severity: policies.severity(p),
            description: p.spec().description.clone(),
            remediation: p.spec().remediation.clone(),
            help_uri: p.spec().help_uri.clone(),
            tags: p.spec().tags.clone(),
        });
        let mut rules: Vec<RuleInfo> = engine.chain(policy).collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules
    }
}
