//! The run-shaping sections of `.doublecheck.yml`: `rules` (disable, severity), `exclude`,
//! `fail-on`, `baseline` and `suppressions`. Rule ids are checked against the loaded
//! policies once they are known ([`super::Config::check_rule_ids`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobBuilder, GlobMatcher};
use serde::Deserialize;

use crate::document::{SourceFile, Span, escape_token};
use crate::finding::Severity;
use crate::finding::is_engine_rule;
use crate::parse::ParsedDocument;
use crate::policy::RuleChoices;
use crate::yaml_file::FileError;

/// `rules:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawRules {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    severity: serde_json::Map<String, serde_json::Value>,
}

/// `suppressions:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawSuppressions {
    #[serde(default)]
    forbid: Vec<String>,
}

/// A rule id or a glob over rule ids (`SF-GUEST-*`), with where the config writes it.
#[derive(Debug, Clone)]
pub struct RulePattern {
    pub text: String,
    pub span: Span,
    matcher: GlobMatcher,
}

impl RulePattern {
    pub fn matches(&self, id: &str) -> bool {
        self.matcher.is_match(id)
    }

    fn is_glob(&self) -> bool {
        self.text.contains(['*', '?', '[', '{'])
    }
}

/// The rule patterns of a command-line flag (`--select`, `--ignore`), matched in any case,
/// each checked against the loaded policies' ids: one that matches none is an error, with
/// the closest id as a hint. The engine's own rules always run, so they cannot be named.
pub fn command_line_patterns(
    flag: &str,
    texts: &[String],
    policies: &[&str],
) -> Result<Vec<RulePattern>, String> {
    let mut patterns = Vec::new();
    for text in texts.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let glob = GlobBuilder::new(text)
            .case_insensitive(true)
            .build()
            .map_err(|e| {
                format!(
                    "{flag} `{text}` is not a rule id or glob ({}); write an id (SF-GUEST-001) \
                     or a glob over ids (SF-GUEST-*)",
                    e.kind()
                )
            })?;
        let pattern = RulePattern {
            matcher: glob.compile_matcher(),
            text: text.to_owned(),
            span: Span::default(),
        };
        if !policies.iter().any(|id| pattern.matches(id)) {
            if is_engine_rule(&text.to_ascii_uppercase()) {
                return Err(format!(
                    "{flag} `{text}` names a rule of doublecheck itself, which always runs"
                ));
            }
            let upper = text.to_ascii_uppercase();
            let closest = policies
                .iter()
                .map(|k| (strsim::damerau_levenshtein(&upper, k), *k))
                .filter(|(distance, _)| *distance <= 2)
                .min();
            return Err(match closest {
                Some((_, id)) => {
                    format!("{flag} `{text}` matches no loaded policy; did you mean `{id}`?")
                }
                None => format!(
                    "{flag} `{text}` matches no loaded policy (`doublecheck policies` lists them)"
                ),
            });
        }
        patterns.push(pattern);
    }
    Ok(patterns)
}

/// Which policies run and at which severity.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub disable: Vec<RulePattern>,
    /// When not empty, only the policies these match run (`--select`).
    pub select: Vec<RulePattern>,
    /// In file order: an exact id wins over a glob, a later glob over an earlier one.
    pub severity: Vec<(RulePattern, Severity)>,
}

impl RuleSettings {
    /// Whether the config disables `id`; the engine's own rules never are.
    pub fn is_disabled(&self, id: &str) -> bool {
        !is_engine_rule(id)
            && (self.disable.iter().any(|p| p.matches(id))
                || (!self.select.is_empty() && !self.select.iter().any(|p| p.matches(id))))
    }

    /// The severity the config gives `id`, if it gives one (never to an engine rule).
    pub fn severity_of(&self, id: &str) -> Option<Severity> {
        if is_engine_rule(id) {
            return None;
        }
        let exact = self
            .severity
            .iter()
            .find(|(p, _)| !p.is_glob() && p.text == id);
        exact
            .or_else(|| self.severity.iter().rev().find(|(p, _)| p.matches(id)))
            .map(|(_, s)| *s)
    }
}

impl RuleChoices for RuleSettings {
    fn is_disabled(&self, id: &str) -> bool {
        RuleSettings::is_disabled(self, id)
    }

    fn severity_of(&self, id: &str) -> Option<Severity> {
        RuleSettings::severity_of(self, id)
    }
}

/// `suppressions:`, and how inline suppressions are read in this run.
#[derive(Debug, Clone)]
pub struct SuppressionSettings {
    /// Rules that may not be suppressed inline.
    pub forbid: Vec<RulePattern>,
    /// False with `--no-ignores`: every `doublecheck:ignore` comment is ignored.
    pub inline: bool,
    /// Today, for `until=`; `None` reads the system clock (UTC).
    pub today: Option<jiff::civil::Date>,
}

impl Default for SuppressionSettings {
    fn default() -> Self {
        SuppressionSettings {
            forbid: Vec::new(),
            inline: true,
            today: None,
        }
    }
}

impl SuppressionSettings {
    /// The pattern that forbids suppressing `id` inline, if one does.
    pub fn forbidden(&self, id: &str) -> Option<String> {
        self.forbid
            .iter()
            .find(|p| p.matches(id))
            .map(|p| p.text.clone())
    }
}

/// `exclude:`: paths (relative to the root) that are never read.
#[derive(Debug, Clone, Default)]
pub struct Excludes {
    patterns: Vec<GlobMatcher>,
}

impl Excludes {
    /// Whether the shown path, or a folder it is in, matches a pattern.
    pub fn excludes(&self, shown: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let mut prefix = shown;
        loop {
            if self.patterns.iter().any(|p| p.is_match(prefix)) {
                return true;
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => return false,
            }
        }
    }
}

/// The run-shaping sections read from one config file.
pub(super) struct Sections {
    pub rules: RuleSettings,
    pub exclude: Excludes,
    pub suppressions: SuppressionSettings,
    pub baseline: Option<PathBuf>,
}

pub(super) fn read(
    rules: RawRules,
    exclude: Vec<String>,
    suppressions: RawSuppressions,
    baseline: Option<String>,
    (source, document): (&Arc<SourceFile>, &ParsedDocument),
) -> Result<Sections, Vec<FileError>> {
    let mut errors = Vec::new();
    let value_at = |pointer: &str| {
        document
            .spans
            .get(pointer)
            .map(|s| s.value)
            .unwrap_or_default()
    };
    let key_at = |pointer: &str| {
        document
            .spans
            .get(pointer)
            .and_then(|s| s.key)
            .unwrap_or_default()
    };
    let patterns = |list: Vec<String>, at: &str, errors: &mut Vec<FileError>| {
        list.into_iter()
            .enumerate()
            .filter_map(|(i, text)| {
                let span = value_at(&format!("{at}/{i}"));
                rule_pattern(text, span, source)
                    .map_err(|e| errors.push(e))
                    .ok()
            })
            .collect::<Vec<_>>()
    };
    let disable = patterns(rules.disable, "/rules/disable", &mut errors);
    let forbid = patterns(suppressions.forbid, "/suppressions/forbid", &mut errors);
    let mut severity = Vec::new();
    for (id, level) in rules.severity {
        let span = key_at(&format!("/rules/severity/{}", escape_token(&id)));
        let level: Option<Severity> = serde_json::from_value(level).ok();
        match (rule_pattern(id, span, source), level) {
            (Ok(pattern), Some(level)) => severity.push((pattern, level)),
            (Err(error), _) => errors.push(error),
            // The schema only lets the three severities through.
            (Ok(_), None) => {}
        }
    }
    let mut excludes = Vec::new();
    for (i, text) in exclude.into_iter().enumerate() {
        let glob = text.trim_start_matches("./").trim_end_matches('/');
        match GlobBuilder::new(glob).literal_separator(true).build() {
            Ok(glob) => excludes.push(glob.compile_matcher()),
            Err(e) => errors.push(
                FileError::new(
                    source,
                    value_at(&format!("/exclude/{i}")),
                    format!("invalid glob: {}", e.kind()),
                )
                .with_help(super::GLOB_HELP),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // A relative baseline path is relative to the config file's folder.
    let folder = Path::new(&source.path).parent().unwrap_or(Path::new(""));
    Ok(Sections {
        rules: RuleSettings {
            disable,
            select: Vec::new(),
            severity,
        },
        exclude: Excludes { patterns: excludes },
        suppressions: SuppressionSettings {
            forbid,
            ..SuppressionSettings::default()
        },
        baseline: baseline.map(|b| folder.join(b)),
    })
}

fn rule_pattern(
    text: String,
    span: Span,
    source: &Arc<SourceFile>,
) -> Result<RulePattern, FileError> {
    match Glob::new(&text) {
        Ok(glob) => Ok(RulePattern {
            matcher: glob.compile_matcher(),
            text,
            span,
        }),
        Err(e) => Err(
            FileError::new(source, span, format!("invalid rule pattern: {}", e.kind())).with_help(
                "a rule id (SF-GUEST-001) or a glob over rule ids (SF-GUEST-*, K8S-POD-00?)",
            ),
        ),
    }
}

/// Errors for rule ids and globs in `rules` and `suppressions` that name no loaded rule,
/// with the closest id as a hint, and for engine rules in `rules`.
pub(super) fn check_ids(
    source: &Arc<SourceFile>,
    rules: &RuleSettings,
    suppressions: &SuppressionSettings,
    known: &[&str],
) -> Vec<FileError> {
    let mut errors = Vec::new();
    let shaping = rules
        .disable
        .iter()
        .map(|p| (p, "rules.disable"))
        .chain(rules.severity.iter().map(|(p, _)| (p, "rules.severity")));
    for (pattern, key) in shaping {
        if !pattern.is_glob() && is_engine_rule(&pattern.text) {
            errors.push(
                FileError::new(
                    source,
                    pattern.span,
                    format!(
                        "{} is a rule of doublecheck itself: {key} cannot change it",
                        pattern.text
                    ),
                )
                .with_help(
                    "remove it here; `limits.allow-unchecked` makes DC-PARSE and DC-UNREADABLE \
                 findings on the paths it names notes that do not fail the run",
                ),
            );
        }
    }
    let all = rules
        .disable
        .iter()
        .chain(rules.severity.iter().map(|(p, _)| p))
        .chain(&suppressions.forbid);
    for pattern in all {
        if known.iter().any(|id| pattern.matches(id)) {
            continue;
        }
        let error = if pattern.is_glob() {
            FileError::new(
                source,
                pattern.span,
                format!("`{}` matches no loaded rule", pattern.text),
            )
            .with_help("`doublecheck policies` lists the loaded rules")
        } else {
            let error = FileError::new(
                source,
                pattern.span,
                format!("unknown rule `{}`", pattern.text),
            );
            let closest = known
                .iter()
                .map(|k| (strsim::damerau_levenshtein(&pattern.text, k), *k))
                .filter(|(distance, _)| *distance <= 2)
                .min();
            match closest {
                Some((_, k)) => error.with_help(format!("did you mean `{k}`?")),
                None => error.with_help("`doublecheck policies` lists the loaded rules"),
            }
        };
        errors.push(error);
    }
    errors
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::config::load_source;
    use crate::document::SourceFile;
    use crate::finding::Severity;

    fn load(text: &str) -> crate::config::Config {
        load_source(Arc::new(SourceFile::new(
            "conf/.doublecheck.yml",
            text.to_owned(),
        )))
        .unwrap_or_else(|e| panic!("valid: {e:?}"))
    }

    #[test]
    fn exact_severity_wins_over_globs_and_later_globs_win() {
        let config =
            load("rules:\n  severity:\n    A-1: note\n    'A-*': warning\n    'A-2*': error\n");
        let rules = &config.rules;
        assert_eq!(rules.severity_of("A-1"), Some(Severity::Note));
        assert_eq!(rules.severity_of("A-2"), Some(Severity::Error));
        assert_eq!(rules.severity_of("A-3"), Some(Severity::Warning));
        assert_eq!(rules.severity_of("B-1"), None);
        assert_eq!(
            rules.severity_of("DC-PARSE"),
            None,
            "engine rules keep theirs"
        );
    }

    #[test]
    fn excludes_match_paths_and_their_folders() {
        let config = load("exclude: [vendor/, '**/testdata', 'legacy/*.tf', ./gen]\n");
        let exclude = &config.exclude;
        assert!(exclude.excludes("vendor/a/b.yml"));
        assert!(exclude.excludes("x/y/testdata/c.json"));
        assert!(exclude.excludes("legacy/main.tf"));
        assert!(
            !exclude.excludes("legacy/sub/main.tf"),
            "* stays in a folder"
        );
        assert!(exclude.excludes("gen/x.yml"));
        assert!(!exclude.excludes("src/vendor.yml"));
    }

    #[test]
    fn baseline_is_relative_to_the_config_file() {
        let config = load("baseline: base.json\nfail-on: note\n");
        assert_eq!(
            config.baseline.as_deref(),
            Some(std::path::Path::new("conf/base.json"))
        );
        assert_eq!(config.fail_on, Some(Severity::Note));
    }
}
