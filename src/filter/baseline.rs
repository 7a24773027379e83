//! Baseline files: the findings a repository has accepted for now, by fingerprint, so that
//! only new findings fail a scan (`scan --baseline FILE`).
//!
//! The file is JSON, sorted by path, rule and locator and pretty-printed, so a change to it
//! reviews well; entries carry no line numbers:
//!
//! ```json
//! {
//!   "version": 1,
//!   "entries": [
//!     {"fingerprint": "…", "rule": "SF-GUEST-001", "path": "…", "locator": "/Profile/…"}
//!   ]
//! }
//! ```
//!
//! The engine's own findings (`DC-*`: unparsable or unreadable files, broken suppressions)
//! are never written to a baseline and a baseline naming one is refused: an unparsable file
//! is not checked at all, so accepting its error would accept whatever the file holds.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::compare_with_base;
use crate::document::{SourceFile, Span};
use crate::finding::{BaseFinding, BaselineState, PARSE_ERROR, UNREADABLE, is_engine_rule};
use crate::parse::{self, Format, ParsedDocument};
use crate::report::Report;
use crate::yaml_file::FileError;

/// Where `baseline create` writes when neither `--output` nor the config says.
pub const DEFAULT_FILE: &str = ".doublecheck-baseline.json";
/// The format version written and read.
pub const VERSION: u64 = 1;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
    pub locator: String,
}

impl Entry {
    fn sort_key(&self) -> (&str, &str, &str, &str) {
        (&self.path, &self.rule, &self.locator, &self.fingerprint)
    }
}

#[derive(Serialize)]
struct File<'a> {
    version: u64,
    entries: &'a [Entry],
}

/// The entries a baseline of `report` holds: every finding that is not suppressed inline
/// and not the engine's own, sorted, one entry a fingerprint.
pub fn entries_of(report: &Report) -> Vec<Entry> {
    let entries = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_none() && !is_engine_rule(&f.rule))
        .map(|f| Entry {
            fingerprint: f.fingerprint.clone(),
            rule: f.rule.clone(),
            path: f.location.path.clone(),
            locator: f.locator.clone(),
        })
        .collect();
    sorted(entries)
}

/// `entries` with those of `kept` for the files the scan did not cover (`covers` says which
/// it did): a baseline written from a scan of part of a repository keeps the rest's entries.
pub fn merge(entries: Vec<Entry>, kept: Vec<Entry>, covers: impl Fn(&str) -> bool) -> Vec<Entry> {
    let outside = kept.into_iter().filter(|e| !covers(&e.path));
    sorted(entries.into_iter().chain(outside).collect())
}

fn sorted(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    entries
}

/// The entries of `entries` that `report` still finds (the others were fixed), and how
/// many were pruned. Entries of files that could not be parsed or read are kept, and so are
/// those of files the scan did not cover (`covers` says which it did): nothing in those files
/// is known to be fixed.
pub fn prune(
    entries: Vec<Entry>,
    report: &Report,
    covers: impl Fn(&str) -> bool,
) -> (Vec<Entry>, usize) {
    let current = entries_of(report);
    let found: BTreeSet<&str> = current.iter().map(|e| e.fingerprint.as_str()).collect();
    let unchecked: BTreeSet<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == PARSE_ERROR.id || f.rule == UNREADABLE.id)
        .map(|f| f.location.path.as_str())
        .collect();
    let before = entries.len();
    let kept: Vec<Entry> = entries
        .into_iter()
        .filter(|e| {
            found.contains(e.fingerprint.as_str())
                || unchecked.contains(e.path.as_str())
                || !covers(&e.path)
        })
        .collect();
    let pruned = before - kept.len();
    (sorted(kept), pruned)
}

/// The file's text: pretty JSON, sorted, ending in a newline.
pub fn to_json(entries: &[Entry]) -> String {
    let file = File {
        version: VERSION,
        entries,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("entries serialise");
    text.push('\n');
    text
}

/// Reads a baseline file; every mistake is located.
pub fn load(path: &Path) -> Result<Vec<Entry>, Vec<FileError>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let source = Arc::new(SourceFile::new(shown.clone(), String::new()));
        let help = if e.kind() == std::io::ErrorKind::NotFound {
            "write one with `doublecheck baseline create`, or give the right path"
        } else {
            "check the path and that the user running doublecheck may read it"
        };
        vec![
            FileError::new(
                &source,
                Span::default(),
                format!("cannot read the baseline file `{shown}`: {e}"),
            )
            .with_help(help),
        ]
    })?;
    parse_source(&Arc::new(SourceFile::new(shown, text)))
}

/// Reads the text of a baseline file.
pub fn parse_source(source: &Arc<SourceFile>) -> Result<Vec<Entry>, Vec<FileError>> {
    let document = parse::parse(Format::JSON, source)
        .map_err(|e| {
            vec![
                FileError::new(
                    source,
                    e.span,
                    format!("invalid JSON in the baseline: {}", e.message),
                )
                .with_help(REWRITE),
            ]
        })?
        .remove(0);
    let mut errors = Vec::new();
    let checker = Checker {
        source,
        document: &document,
    };
    let entries = checker.file(&mut errors);
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// The help of a malformed baseline.
const REWRITE: &str = "baselines are written by `doublecheck baseline create` and pruned by \
                       `baseline update`: write it again rather than edit it by hand";

struct Checker<'a> {
    source: &'a Arc<SourceFile>,
    document: &'a ParsedDocument,
}

impl Checker<'_> {
    fn error(&self, pointer: &str, key: bool, message: String) -> FileError {
        let spans = self.document.spans.nearest(pointer).map(|(_, s)| *s);
        let span = spans
            .map(|s| {
                if key {
                    s.key.unwrap_or(s.value)
                } else {
                    s.value
                }
            })
            .unwrap_or_default();
        FileError::new(self.source, span, message).with_help(REWRITE)
    }

    fn file(&self, errors: &mut Vec<FileError>) -> Vec<Entry> {
        let Some(root) = self.document.value.as_object() else {
            errors.push(self.error(
                "",
                false,
                "a baseline is a JSON object with `version` and `entries`".to_owned(),
            ));
            return Vec::new();
        };
        for key in root.keys() {
            if key != "version" && key != "entries" {
                let message =
                    format!("unknown key `{key}` (a baseline has `version` and `entries`)");
                errors.push(self.error(&format!("/{key}"), true, message));
            }
        }
        match root.get("version") {
            Some(v) if v.as_u64() == Some(VERSION) => {}
            Some(v) => errors.push(
                self.error(
                    "/version",
                    false,
                    format!(
                        "unsupported baseline version {v}: this doublecheck reads version {VERSION}"
                    ),
                )
                .with_help("write it again with this doublecheck's `baseline create`"),
            ),
            None => errors.push(self.error("", false, "missing key `version`".to_owned())),
        }
        let Some(entries) = root.get("entries") else {
            errors.push(self.error("", false, "missing key `entries`".to_owned()));
            return Vec::new();
        };
        let Some(entries) = entries.as_array() else {
            errors.push(self.error("/entries", false, "`entries` must be an array".to_owned()));
            return Vec::new();
        };
        entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| self.entry(&format!("/entries/{i}"), e, errors))
            .collect()
    }

    fn entry(&self, pointer: &str, value: &Value, errors: &mut Vec<FileError>) -> Option<Entry> {
        let before = errors.len();
        let Some(object) = value.as_object() else {
            let message = "an entry is an object with fingerprint, rule, path and locator";
            errors.push(self.error(pointer, false, message.to_owned()));
            return None;
        };
        const KEYS: [&str; 4] = ["fingerprint", "rule", "path", "locator"];
        for key in object.keys() {
            if !KEYS.contains(&key.as_str()) {
                let message = format!("unknown key `{key}` in an entry");
                errors.push(self.error(&format!("{pointer}/{key}"), true, message));
            }
        }
        let mut field = |key: &str| match object.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                let message = format!("`{key}` must be a string");
                errors.push(self.error(&format!("{pointer}/{key}"), false, message));
                String::new()
            }
            None => {
                errors.push(self.error(pointer, false, format!("missing key `{key}`")));
                String::new()
            }
        };
        let entry = Entry {
            fingerprint: field("fingerprint"),
            rule: field("rule"),
            path: field("path"),
            locator: field("locator"),
        };
        if errors.len() > before {
            return None;
        }
        let hex = entry.fingerprint.len() == 32
            && entry.fingerprint.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex {
            let message = "a fingerprint is 32 hexadecimal digits, as doublecheck writes it";
            errors.push(self.error(&format!("{pointer}/fingerprint"), false, message.to_owned()));
            return None;
        }
        if is_engine_rule(&entry.rule) {
            let message = format!(
                "{} is a rule of doublecheck itself and cannot be baselined: fix the file instead",
                entry.rule
            );
            errors.push(
                self.error(&format!("{pointer}/rule"), false, message)
                    .with_help(
                        "a file that does not parse is not checked at all; fix it, or list its \
                     path in `limits.allow-unchecked`",
                    ),
            );
            return None;
        }
        Some(entry)
    }
}

/// Compares `report` with the baseline's entries: findings in it are `unchanged`, the
/// others `new`; entries no longer found are listed in `report.fixed`.
///
/// A report already compared with a git revision (`--diff-base`) keeps that comparison, and
/// the baseline accepts more: a finding is new only when neither the revision nor the
/// baseline has it. Its fixed findings stay the revision's, what the change fixes; an entry
/// no longer found was fixed before the change, or by it (and then the revision lists it).
pub fn apply(report: &mut Report, shown: &str, entries: Vec<Entry>) {
    if let Some(base) = &report.base {
        let accepted: BTreeSet<String> = entries.into_iter().map(|e| e.fingerprint).collect();
        for finding in &mut report.findings {
            if finding.baseline_state == Some(BaselineState::New)
                && accepted.contains(&finding.fingerprint)
            {
                finding.baseline_state = Some(BaselineState::Unchanged);
            }
        }
        report.base = Some(format!("{base} and baseline {shown}"));
        return;
    }
    let base = entries.into_iter().map(|e| BaseFinding {
        fingerprint: e.fingerprint,
        rule: e.rule,
        path: e.path,
        locator: e.locator,
        message: None,
        location: None,
    });
    // Accepted findings are `unchanged`, as at a `--diff-base` revision: the renderers
    // list them as existing (not as suppressed, which is what a reviewer said inline), and
    // only new findings fail the run.
    compare_with_base(report, format!("baseline {shown}"), base);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Vec<Entry>, Vec<(usize, usize, String)>> {
        let source = Arc::new(SourceFile::new("b.json", text.to_owned()));
        parse_source(&source).map_err(|errors| {
            errors
                .iter()
                .map(|e| {
                    let p = e.source.position(e.span.start);
                    (p.line, p.column, e.message.clone())
                })
                .collect()
        })
    }

    const FP: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip_is_sorted_and_pretty() {
        let entry = |path: &str, rule: &str| Entry {
            fingerprint: FP.to_owned(),
            rule: rule.to_owned(),
            path: path.to_owned(),
            locator: "/a".to_owned(),
        };
        let mut second = entry("a.yml", "B");
        second.fingerprint = FP.replace('0', "1");
        let entries = sorted(vec![entry("b.yml", "A"), second]);
        assert_eq!(entries[0].path, "a.yml");
        let text = to_json(&entries);
        assert!(text.starts_with("{\n  \"version\": 1,\n  \"entries\": [\n    {\n"));
        assert_eq!(load_text(&text).expect("reads back"), entries);
    }

    #[test]
    fn mistakes_are_located() {
        let text = format!(
            "{{\n  \"version\": 1,\n  \"entries\": [\n    {{\"fingerprint\": \"{FP}\", \"rule\": \"X\", \"path\": 3, \"locator\": \"\"}}\n  ]\n}}\n"
        );
        let errors = load_text(&text).expect_err("path is a number");
        assert_eq!(errors, [(4, 78, "`path` must be a string".to_owned())]);
        let errors = load_text("{\"version\": 1, \"entries\": [}").expect_err("bad JSON");
        assert_eq!(errors[0].0, 1);
        assert!(errors[0].2.starts_with("invalid JSON in the baseline"));
        let errors = load_text("{\"version\": 2, \"entries\": []}").expect_err("version");
        assert_eq!(errors[0].1, 13);
        let text = format!(
            "{{\"version\": 1, \"entries\": [{{\"fingerprint\": \"{FP}\", \"rule\": \"DC-PARSE\", \"path\": \"a\", \"locator\": \"\"}}]}}"
        );
        let errors = load_text(&text).expect_err("engine rule");
        assert!(errors[0].2.contains("cannot be baselined"), "{errors:?}");
    }
}
