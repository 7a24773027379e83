//! Filtering a report after evaluation: inline suppressions ([`suppress`]), and comparing
//! it with a base (a baseline file, [`baseline`], or the findings at a git revision) so that
//! only what a change introduces fails the run.

pub mod baseline;
pub mod comments;
pub mod suppress;

use std::collections::BTreeMap;

use crate::finding::{BaseFinding, BaselineState};
use crate::report::Report;

/// Marks every finding `new` or `unchanged` by fingerprint, and lists the base's findings
/// that are gone as fixed. `base` names the base in words for the renderers.
pub fn compare_with_base(
    report: &mut Report,
    base_name: String,
    base: impl IntoIterator<Item = BaseFinding>,
) {
    let mut remaining: BTreeMap<String, BaseFinding> = base
        .into_iter()
        .map(|b| (b.fingerprint.clone(), b))
        .collect();
    for finding in &mut report.findings {
        let state = if remaining.remove(&finding.fingerprint).is_some() {
            BaselineState::Unchanged
        } else {
            BaselineState::New
        };
        finding.baseline_state = Some(state);
    }
    let mut fixed: Vec<BaseFinding> = remaining.into_values().collect();
    fixed.sort_by(|a, b| (&a.path, &a.rule, &a.locator).cmp(&(&b.path, &b.rule, &b.locator)));
    report.fixed = fixed;
    report.base = Some(base_name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SourceFile;
    use crate::finding::{Finding, PARSE_ERROR};

    fn finding(path: &str) -> Finding {
        let source = SourceFile::new(path.to_owned(), "x: 1\n".to_owned());
        PARSE_ERROR.finding(&source, Default::default(), "broken".to_owned())
    }

    #[test]
    fn new_unchanged_and_fixed_by_fingerprint() {
        let kept = finding("kept.yml");
        let added = finding("added.yml");
        let gone = finding("gone.yml");
        let mut report = Report {
            findings: vec![kept.clone(), added],
            ..Report::default()
        };
        let base = [BaseFinding::of(&kept), BaseFinding::of(&gone)];
        compare_with_base(&mut report, "git main".to_owned(), base);
        let states: Vec<_> = report
            .findings
            .iter()
            .map(|f| (f.location.path.as_str(), f.baseline_state))
            .collect();
        assert_eq!(
            states,
            [
                ("kept.yml", Some(BaselineState::Unchanged)),
                ("added.yml", Some(BaselineState::New)),
            ]
        );
        assert_eq!(report.fixed.len(), 1);
        assert_eq!(report.fixed[0].path, "gone.yml");
        assert_eq!(report.base.as_deref(), Some("git main"));
        assert!(report.fails_at(crate::finding::Severity::Error));
        report.findings.truncate(1);
        assert!(!report.fails_at(crate::finding::Severity::Error));
    }
}
