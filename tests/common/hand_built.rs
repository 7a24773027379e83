//! Reports built by hand, for renderer tests that need what a fixture cannot give cheaply:
//! a base, suppressions, shared fingerprints, hostile text.

use doublecheck::document::{Location, Position};
use doublecheck::finding::{
    BaselineState, Finding, Related, Severity, Suppression, SuppressionKind,
};
use doublecheck::render::{OutputFormat, TextStyle, render};
use doublecheck::report::{Report, RuleInfo};

/// `path`, line `line`, columns 3 to 7.
pub fn at(path: &str, line: usize) -> Location {
    Location {
        path: path.to_owned(),
        start: Position {
            line,
            column: 3,
            byte: 0,
        },
        end: Position {
            line,
            column: 7,
            byte: 0,
        },
    }
}

/// A finding of `rule` at `path:line`, with a fingerprint of its own.
pub fn finding(rule: &str, severity: Severity, path: &str, line: usize) -> Finding {
    Finding {
        rule: rule.to_owned(),
        severity,
        message: format!("{rule} at {path}:{line}"),
        location: at(path, line),
        pointer: None,
        related: Vec::new(),
        fingerprint: format!("{rule}-{path}-{line}"),
        locator: format!("/x/{line}"),
        suppression: None,
        baseline_state: None,
    }
}

pub fn related(mut f: Finding, path: &str, line: usize, message: &str) -> Finding {
    f.related.push(Related {
        location: at(path, line),
        message: message.to_owned(),
    });
    f
}

pub fn suppressed(mut f: Finding, justification: &str) -> Finding {
    f.suppression = Some(Suppression {
        kind: SuppressionKind::InSource,
        justification: justification.to_owned(),
        until: None,
        location: Some(at(&f.location.path, f.location.start.line - 1)),
    });
    f
}

pub fn existing(mut f: Finding) -> Finding {
    f.baseline_state = Some(BaselineState::Unchanged);
    f
}

pub fn rule(id: &str, severity: Severity) -> RuleInfo {
    RuleInfo {
        id: id.to_owned(),
        title: format!("{id} title"),
        severity,
        description: "What and why.".to_owned(),
        remediation: format!("Fix {id}.\n\nMore detail."),
        help_uri: None,
        tags: Vec::new(),
    }
}

/// A report of `findings`, sorted as a scan sorts them, with a rule for each rule named.
pub fn report(mut findings: Vec<Finding>) -> Report {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut rules: Vec<RuleInfo> = findings.iter().map(|f| rule(&f.rule, f.severity)).collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules.dedup_by(|a, b| a.id == b.id);
    Report {
        findings,
        rules,
        files_checked: 3,
        documents: 3,
        ..Report::default()
    }
}

/// `report` rendered in `format`, without colour.
pub fn rendered(format: OutputFormat, report: &Report) -> String {
    let mut out = Vec::new();
    render(format, report, TextStyle::Plain, &mut out).expect("render");
    String::from_utf8(out).expect("UTF-8")
}
