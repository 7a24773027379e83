//! `.doublecheck.yml`: a repository's settings, validated against the shipped
//! `schemas/config.schema.json` so every mistake is reported at its own line and column.
//!
//! Settings say what the policy packs should treat as personal data, as guest access and as
//! allowed broad access. Policies never read them: the fact providers do (see [`crate::facts`]),
//! so one setting changes every policy that asks "is this personal data?" at once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::document::{SourceFile, Span};
use crate::finding::Severity;
use crate::parse::ParsedDocument;
use crate::yaml_file::{self, FileError, FileSchema};

mod rules;

pub use rules::{Excludes, RulePattern, RuleSettings, SuppressionSettings};

/// The JSON Schema of the config file, shipped in the repository for editors.
pub const CONFIG_SCHEMA: &str = include_str!("../schemas/config.schema.json");

/// Names looked for in the scan root when `--config` is not given.
pub const CONFIG_FILE_NAMES: &[&str] = &[".doublecheck.yml", ".doublecheck.yaml"];

/// Objects whose records describe people (the Salesforce standard objects for customers,
/// prospects, cases and contact points).
const DEFAULT_PERSONAL_OBJECTS: &[&str] = &[
    "Account",
    "Contact",
    "Lead",
    "Case",
    "Opportunity",
    "User",
    "Individual",
    "Order",
    "Contract",
    "ContactPointAddress",
    "ContactPointEmail",
    "ContactPointPhone",
];

/// Field-name patterns for personal data: the kinds of data the Rakuten and SoftBank cases
/// exposed (contact details, birth dates, addresses, bank accounts, licence numbers, income).
const DEFAULT_PERSONAL_FIELDS: &[&str] = &[
    r"e_?mail",
    r"phone|mobile|fax",
    r"birth|(^|_)dob(_|$)",
    r"address|street|postal|zip_?code",
    r"bank|iban|account_?number|routing_?number",
    r"licen[cs]e_?(number|no)|passport|national_?id|(^|_)ssn(_|$)|social_?security|tax_?id",
    r"income|salary",
    r"(first|last|middle|full|supplied)_?name",
];

/// Permission sets whose name, label or description says they are for guest users.
const DEFAULT_GUEST_PERMISSION_SETS: &[&str] = &[
    r"guest",
    r"public[ _-]?(site|access|user)",
    r"unauthenticated",
    r"site[ _-]?visitor",
];

/// `Admin` is the API name of the System Administrator profile.
const DEFAULT_BROAD_ACCESS_ALLOWED: &[&str] = &["Admin"];

/// Deployment environments that publish: a name that is, or has as a word, one of these.
const DEFAULT_PRODUCTION_ENVIRONMENTS: &[&str] =
    &[r"(^|[-_ ./])(prod|production|release|live)($|[-_ ./])"];

/// Folders of a repository whose content is published as it is (static sites, docs).
const DEFAULT_PUBLISHED_PATHS: &[&str] = &["docs/", "content/", "public/", "static/", "site/"];

/// Settings for one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file the settings came from, when there was one.
    pub path: Option<String>,
    pub salesforce: SalesforceSettings,
    pub network: NetworkSettings,
    pub publishing: PublishingSettings,
    /// The config file's text, for errors found once the policies are known.
    pub source: Option<Arc<SourceFile>>,
    /// `rules:`: disabled rules and severity overrides.
    pub rules: RuleSettings,
    /// `exclude:`: paths never read.
    pub exclude: Excludes,
    /// `fail-on:` (the `--fail-on` flag wins).
    pub fail_on: Option<Severity>,
    /// `baseline:`, relative to the config file's folder (the `--baseline` flag wins).
    pub baseline: Option<PathBuf>,
    /// `suppressions:`, and `--no-ignores`.
    pub suppressions: SuppressionSettings,
    pub limits: Limits,
}

/// What the network facts treat as an administrative port.
#[derive(Debug, Clone)]
pub struct NetworkSettings {
    pub admin_ports: BTreeSet<u16>,
}

/// What the two-person publishing pack treats as production and as published.
#[derive(Debug, Clone)]
pub struct PublishingSettings {
    pub production_environments: Patterns,
    /// Folders relative to a repository's root, each ending in `/`, without a leading `/`.
    pub published_paths: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SalesforceSettings {
    pub personal_objects: BTreeSet<String>,
    pub personal_fields: Patterns,
    pub guest_permission_sets: Patterns,
    pub broad_access_allowed: BTreeSet<String>,
}

impl Default for Config {
    fn default() -> Self {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        let patterns = Patterns::builtin;
        Config {
            path: None,
            salesforce: SalesforceSettings {
                personal_objects: names(DEFAULT_PERSONAL_OBJECTS),
                personal_fields: patterns(DEFAULT_PERSONAL_FIELDS),
                guest_permission_sets: patterns(DEFAULT_GUEST_PERMISSION_SETS),
                broad_access_allowed: names(DEFAULT_BROAD_ACCESS_ALLOWED),
            },
            network: NetworkSettings {
                // The network facts hold the default ports, with what each serves.
                admin_ports: crate::facts::DEFAULT_ADMIN_PORTS
                    .iter()
                    .map(|&(port, _)| port)
                    .collect(),
            },
            publishing: PublishingSettings {
                production_environments: patterns(DEFAULT_PRODUCTION_ENVIRONMENTS),
                published_paths: published_paths(DEFAULT_PUBLISHED_PATHS.iter().copied()),
            },
            source: None,
            rules: RuleSettings::default(),
            exclude: Excludes::default(),
            fail_on: None,
            baseline: None,
            suppressions: SuppressionSettings::default(),
            limits: Limits::default(),
        }
    }
}

/// Case-insensitive regular expressions (the `regex` crate: linear time, no backtracking).
///
/// Compiling them is the cost, not matching (field names are short), so they are compiled
/// only when needed: a config file's patterns as it loads, so a mistake is reported at its
/// place; the built-in defaults on first use. [`Patterns::find`] first asks one regex that
/// joins them all, cheap to compile, whether any matches at all (most names match none), and
/// compiles the patterns one by one only for a name that matches. Compiling the thirteen
/// defaults up front took ~2.5 ms of every start.
#[derive(Debug, Clone)]
pub struct Patterns {
    sources: Vec<String>,
    /// Shared by clones, so each pattern is compiled once.
    compiled: Arc<Compiled>,
}

#[derive(Debug)]
struct Compiled {
    /// Each pattern, compiled on first use (at load for a config file's patterns).
    each: Vec<OnceLock<Regex>>,
    /// `(?:p1)|(?:p2)|…`: matches exactly when one of the patterns does. `None` when it does
    /// not compile although each pattern does (a capture group name used twice, the size
    /// limit); then every pattern is asked.
    any: OnceLock<Option<Regex>>,
}

impl Patterns {
    /// Compiles every pattern, or returns the index and error of the first that fails.
    fn new(sources: Vec<String>) -> Result<Self, (usize, regex::Error)> {
        let each = sources
            .iter()
            .enumerate()
            .map(|(i, p)| compile_pattern(p).map(OnceLock::from).map_err(|e| (i, e)))
            .collect::<Result<_, _>>()?;
        Ok(Patterns {
            sources,
            compiled: Arc::new(Compiled {
                each,
                any: OnceLock::new(),
            }),
        })
    }

    /// Built-in patterns, compiled on first use (a unit test compiles each list).
    fn builtin(list: &[&str]) -> Self {
        Patterns {
            sources: list.iter().map(|s| (*s).to_owned()).collect(),
            compiled: Arc::new(Compiled {
                each: list.iter().map(|_| OnceLock::new()).collect(),
                any: OnceLock::new(),
            }),
        }
    }

    /// The first pattern that matches `text`, as written.
    pub fn find(&self, text: &str) -> Option<&str> {
        let any = self.compiled.any.get_or_init(|| {
            let joined: Vec<String> = self.sources.iter().map(|p| format!("(?:{p})")).collect();
            compile_pattern(&joined.join("|")).ok()
        });
        if any.as_ref().is_some_and(|any| !any.is_match(text)) {
            return None;
        }
        self.sources
            .iter()
            .zip(&self.compiled.each)
            .find(|(source, regex)| {
                regex
                    .get_or_init(|| {
                        compile_pattern(source)
                            .unwrap_or_else(|error| panic!("built-in pattern `{source}`: {error}"))
                    })
                    .is_match(text)
            })
            .map(|(source, _)| source.as_str())
    }
}

fn compile_pattern(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
}

/// The config file as written, after it passed the schema.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    salesforce: RawSalesforce,
    #[serde(default)]
    network: RawNetwork,
    #[serde(default)]
    publishing: RawPublishing,
    #[serde(default)]
    rules: rules::RawRules,
    #[serde(default)]
    exclude: Vec<String>,
    fail_on: Option<Severity>,
    baseline: Option<String>,
    #[serde(default)]
    suppressions: rules::RawSuppressions,
    #[serde(default)]
    limits: RawLimits,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawNetwork {
    admin_ports: Option<Vec<u16>>,
    #[serde(default)]
    extend_admin_ports: Vec<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawPublishing {
    production_environments: Option<Vec<String>>,
    #[serde(default)]
    extend_production_environments: Vec<String>,
    published_paths: Option<Vec<String>>,
    #[serde(default)]
    extend_published_paths: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawSalesforce {
    personal_objects: Option<Vec<String>>,
    #[serde(default)]
    extend_personal_objects: Vec<String>,
    personal_fields: Option<Vec<String>>,
    #[serde(default)]
    extend_personal_fields: Vec<String>,
    guest_permission_sets: Option<Vec<String>>,
    #[serde(default)]
    extend_guest_permission_sets: Vec<String>,
    broad_access_allowed: Option<Vec<String>>,
    #[serde(default)]
    extend_broad_access_allowed: Vec<String>,
}

/// The config file in `root`, if there is one. A symbolic link is followed only to a regular
/// file inside `root`: the scanned tree may come from an untrusted pull request, and a link
/// to `/proc/self/environ` would print its secrets in the error snippet.
pub fn discover(root: &Path) -> Option<PathBuf> {
    let top = std::fs::canonicalize(root).ok()?;
    CONFIG_FILE_NAMES
        .iter()
        .map(|name| root.join(name))
        .find(|path| {
            std::fs::canonicalize(path)
                .is_ok_and(|target| target.starts_with(&top) && target.is_file())
        })
}

/// Reads and validates a config file.
pub fn load(path: &Path) -> Result<Config, Vec<FileError>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let source = Arc::new(SourceFile::new(shown.clone(), String::new()));
        vec![FileError::new(
            &source,
            Span::default(),
            format!("cannot read the config file `{shown}`: {e}"),
        )]
    })?;
    load_source(Arc::new(SourceFile::new(shown, text)))
}

/// Validates the text of a config file; an empty file means the defaults.
pub fn load_source(source: Arc<SourceFile>) -> Result<Config, Vec<FileError>> {
    let mut config = Config {
        path: Some(source.path.clone()),
        source: Some(Arc::clone(&source)),
        ..Config::default()
    };
    let Some((raw, document)) = yaml_file::read::<RawConfig>(&source, &CONFIG_FILE)? else {
        return Ok(config);
    };
    let network = raw.network;
    if let Some(ports) = network.admin_ports {
        config.network.admin_ports = ports.into_iter().collect();
    }
    config
        .network
        .admin_ports
        .extend(network.extend_admin_ports);
    config.fail_on = raw.fail_on;
    let sections = rules::read(
        raw.rules,
        raw.exclude,
        raw.suppressions,
        raw.baseline,
        (&source, &document),
    );
    let publishing = publishing_settings(raw.publishing, &source, &document);
    let limits = limits_settings(raw.limits, &source, &document);
    let sf = raw.salesforce;
    let settings = &mut config.salesforce;
    apply_names(
        &mut settings.personal_objects,
        sf.personal_objects,
        sf.extend_personal_objects,
    );
    apply_names(
        &mut settings.broad_access_allowed,
        sf.broad_access_allowed,
        sf.extend_broad_access_allowed,
    );
    let fields = pattern_setting(
        ("salesforce", "personal-fields"),
        sf.personal_fields,
        sf.extend_personal_fields,
        DEFAULT_PERSONAL_FIELDS,
        (&source, &document),
    );
    let guests = pattern_setting(
        ("salesforce", "guest-permission-sets"),
        sf.guest_permission_sets,
        sf.extend_guest_permission_sets,
        DEFAULT_GUEST_PERMISSION_SETS,
        (&source, &document),
    );
    match (fields, guests, publishing, sections, limits) {
        (Ok(fields), Ok(guests), Ok(publishing), Ok(sections), Ok(limits)) => {
            settings.personal_fields = fields;
            settings.guest_permission_sets = guests;
            config.publishing = publishing;
            config.rules = sections.rules;
            config.exclude = sections.exclude;
            config.suppressions = sections.suppressions;
            config.baseline = sections.baseline;
            config.limits = limits;
            Ok(config)
        }
        (fields, guests, publishing, sections, limits) => Err(fields
            .err()
            .into_iter()
            .chain(guests.err())
            .chain(publishing.err())
            .chain(sections.err().into_iter().flatten())
            .chain(limits.err())
            .collect()),
    }
}

/// A list of regular expressions: `<key>` replaces `defaults` when set, `extend-<key>` adds
/// to it; a pattern that does not compile is reported at its own value.
fn pattern_setting(
    (section, key): (&str, &str),
    set: Option<Vec<String>>,
    extend: Vec<String>,
    defaults: &[&str],
    (source, document): (&Arc<SourceFile>, &ParsedDocument),
) -> Result<Patterns, FileError> {
    if set.is_none() && extend.is_empty() {
        return Ok(Patterns::builtin(defaults));
    }
    let base = set.unwrap_or_else(|| defaults.iter().map(|s| (*s).to_owned()).collect());
    let base_len = base.len();
    let all: Vec<String> = base.into_iter().chain(extend).collect();
    Patterns::new(all).map_err(|(i, error)| {
        let pointer = match i.checked_sub(base_len) {
            Some(j) => format!("/{section}/extend-{key}/{j}"),
            None => format!("/{section}/{key}/{i}"),
        };
        FileError::new(
            source,
            value_span(document, &pointer),
            format!("invalid regular expression: {error}"),
        )
    })
}

/// The `publishing:` section over its defaults: `X` replaces a default list, `extend-X` adds
/// to it; a bad pattern is an error at that pattern.
fn publishing_settings(
    raw: RawPublishing,
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
) -> Result<PublishingSettings, FileError> {
    let production_environments = pattern_setting(
        ("publishing", "production-environments"),
        raw.production_environments,
        raw.extend_production_environments,
        DEFAULT_PRODUCTION_ENVIRONMENTS,
        (source, document),
    )?;
    let base: Vec<String> = raw.published_paths.unwrap_or_else(|| {
        DEFAULT_PUBLISHED_PATHS
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    });
    let paths = base.iter().chain(&raw.extend_published_paths);
    Ok(PublishingSettings {
        production_environments,
        published_paths: published_paths(paths.map(String::as_str)),
    })
}

/// Folders as `docs/`: no leading `./` or `/`, one trailing `/`, no duplicates.
fn published_paths<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for path in paths {
        let trimmed = path
            .trim_start_matches("./")
            .trim_start_matches('/')
            .trim_end_matches('/');
        let folder = format!("{trimmed}/");
        if !trimmed.is_empty() && !out.contains(&folder) {
            out.push(folder);
        }
    }
    out
}

impl Config {
    /// Errors for rule ids in `rules` and `suppressions` that name none of the `known`
    /// rules (with a did-you-mean hint), once the policies are loaded.
    pub fn check_rule_ids(&self, known: &[&str]) -> Vec<FileError> {
        match &self.source {
            Some(source) => rules::check_ids(source, &self.rules, &self.suppressions, known),
            None => Vec::new(),
        }
    }
}

fn apply_names(target: &mut BTreeSet<String>, set: Option<Vec<String>>, extend: Vec<String>) {
    if let Some(set) = set {
        *target = set.into_iter().collect();
    }
    target.extend(extend);
}

fn value_span(document: &ParsedDocument, pointer: &str) -> Span {
    document
        .spans
        .nearest(pointer)
        .map(|(_, s)| s.value)
        .unwrap_or_default()
}

/// `.doublecheck.yml` and the schema it satisfies; its "did you mean" keys come from the schema.
static CONFIG_FILE: FileSchema =
    FileSchema::new("config", "schemas/config.schema.json", CONFIG_SCHEMA);

// ---- limits: resource bounds and the per-path opt-out of fail-closed ----

/// Files larger than this are not read by default (64 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// `limits:`: how large a file doublecheck reads, and which paths may stay unchecked.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Files of a known kind larger than this (bytes) are not read: a `DC-PARSE` finding.
    pub max_file_size: u64,
    /// Globs (relative to the root) whose `DC-PARSE` / `DC-UNREADABLE` findings are notes
    /// that never fail the run: the user accepts that these files stay unchecked.
    pub allow_unchecked: globset::GlobSet,
    /// The globs as written, for messages.
    pub allow_unchecked_patterns: Vec<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            allow_unchecked: globset::GlobSet::empty(),
            allow_unchecked_patterns: Vec::new(),
        }
    }
}

impl Limits {
    /// The `allow-unchecked` pattern that matches `shown`, if any.
    pub fn allowed_unchecked(&self, shown: &str) -> Option<&str> {
        let index = self.allow_unchecked.matches(shown).into_iter().min()?;
        self.allow_unchecked_patterns.get(index).map(String::as_str)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawLimits {
    max_file_size: Option<serde_json::Value>,
    #[serde(default)]
    allow_unchecked: Vec<String>,
}

fn limits_settings(
    raw: RawLimits,
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
) -> Result<Limits, FileError> {
    let mut limits = Limits::default();
    if let Some(size) = &raw.max_file_size {
        limits.max_file_size = parse_size(size).ok_or_else(|| {
            FileError::new(
                source,
                value_span(document, "/limits/max-file-size"),
                "invalid size: write a number of bytes or a number with KiB, MiB or GiB",
            )
        })?;
    }
    let mut set = globset::GlobSetBuilder::new();
    for (i, pattern) in raw.allow_unchecked.iter().enumerate() {
        let glob = globset::GlobBuilder::new(pattern.trim_start_matches("./"))
            .literal_separator(true)
            .build()
            .map_err(|e| {
                FileError::new(
                    source,
                    value_span(document, &format!("/limits/allow-unchecked/{i}")),
                    format!("invalid glob: {e}"),
                )
            })?;
        set.add(glob);
    }
    limits.allow_unchecked = set.build().map_err(|e| {
        FileError::new(
            source,
            value_span(document, "/limits/allow-unchecked"),
            format!("invalid glob: {e}"),
        )
    })?;
    limits.allow_unchecked_patterns = raw.allow_unchecked;
    Ok(limits)
}

/// `1048576`, `"1048576"`, `"512 KiB"`, `"64 MiB"`, `"1 GiB"` (also KB/MB/GB, read as
/// binary units) → bytes; at least 1.
fn parse_size(value: &serde_json::Value) -> Option<u64> {
    if let Some(n) = value.as_u64() {
        return (n > 0).then_some(n);
    }
    let text = value.as_str()?.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..digits].parse().ok()?;
    let unit: u64 = match text[digits..].trim() {
        "" | "B" => 1,
        "KiB" | "KB" | "K" => 1 << 10,
        "MiB" | "MB" | "M" => 1 << 20,
        "GiB" | "GB" | "G" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(unit).filter(|n| *n > 0)
}

#[cfg(test)]
mod limits_tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, Vec<FileError>> {
        load_source(Arc::new(SourceFile::new(
            ".doublecheck.yml",
            text.to_owned(),
        )))
    }

    /// The defaults compile on first use, where a mistake could only panic.
    #[test]
    fn builtin_patterns_compile() {
        for list in [
            DEFAULT_PERSONAL_FIELDS,
            DEFAULT_GUEST_PERMISSION_SETS,
            DEFAULT_PRODUCTION_ENVIRONMENTS,
        ] {
            for pattern in list {
                assert!(compile_pattern(pattern).is_ok(), "{pattern}");
            }
            let sources = list.iter().map(|s| (*s).to_owned()).collect();
            assert!(Patterns::new(sources).is_ok(), "{list:?}");
        }
        let config = Config::default();
        let fields = &config.salesforce.personal_fields;
        assert_eq!(fields.find("Contact.Email"), Some("e_?mail"));
        assert_eq!(fields.find("Amount"), None);
        assert_eq!(
            fields.find("Lead.FirstName"),
            Some("(first|last|middle|full|supplied)_?name")
        );
    }

    /// The joined regex only says whether to look further: the answer is the first pattern
    /// that matches, in order, whatever matches first in the text; and patterns that cannot
    /// be joined still work.
    #[test]
    fn the_first_pattern_in_order_is_found() {
        let patterns = |list: &[&str]| {
            Patterns::new(list.iter().map(|s| (*s).to_owned()).collect()).expect("valid")
        };
        let ordered = patterns(&["bc", "ab"]);
        assert_eq!(ordered.find("ABC"), Some("bc"));
        assert_eq!(ordered.find("xyz"), None);
        let unjoinable = patterns(&["(?P<n>a)", "(?P<n>b)"]);
        assert_eq!(unjoinable.find("b"), Some("(?P<n>b)"));
        assert_eq!(unjoinable.find("c"), None);
        let flags = patterns(&["(?-i)ABC", "x"]);
        assert_eq!(flags.find("abc"), None);
        assert_eq!(flags.find("ABC"), Some("(?-i)ABC"));
    }

    #[test]
    fn sizes_in_bytes_and_binary_units() {
        let size = |v: serde_json::Value| parse_size(&v);
        assert_eq!(size(serde_json::json!(1000)), Some(1000));
        assert_eq!(size(serde_json::json!("64 MiB")), Some(64 << 20));
        assert_eq!(size(serde_json::json!("512KiB")), Some(512 << 10));
        assert_eq!(size(serde_json::json!("1 GB")), Some(1 << 30));
        assert_eq!(size(serde_json::json!("0")), None);
        assert_eq!(size(serde_json::json!("12 parsecs")), None);
        assert_eq!(size(serde_json::json!("99999999999999 GiB")), None);
    }

    #[test]
    fn limits_section_is_read() {
        let config = load_text(
            "limits:\n  max-file-size: 2 MiB\n  allow-unchecked: ['vendor/**', './legacy/*.xml']\n",
        )
        .expect("valid");
        assert_eq!(config.limits.max_file_size, 2 << 20);
        assert_eq!(
            config.limits.allowed_unchecked("vendor/a/b.yaml"),
            Some("vendor/**")
        );
        assert_eq!(
            config.limits.allowed_unchecked("legacy/x.xml"),
            Some("./legacy/*.xml")
        );
        assert_eq!(config.limits.allowed_unchecked("legacy/sub/x.xml"), None);
        assert_eq!(Config::default().limits.max_file_size, 64 << 20);
    }

    #[test]
    fn limits_mistakes_are_located() {
        let position = |e: &FileError| {
            let p = e.source.position(e.span.start);
            (p.line, p.column)
        };
        let errors = load_text("limits:\n  max-file-size: 64 parsecs\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 18));
        let errors = load_text("limits:\n  allow-unchecked: ['a/[']\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 21));
        let errors = load_text("limits:\n  max-size: 1\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 3));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, Vec<FileError>> {
        load_source(Arc::new(SourceFile::new(
            ".doublecheck.yml",
            text.to_owned(),
        )))
    }

    fn position(error: &FileError) -> (usize, usize) {
        let p = error.source.position(error.span.start);
        (p.line, p.column)
    }

    #[test]
    fn defaults_cover_the_issue_lists() {
        let config = Config::default();
        let sf = &config.salesforce;
        assert!(sf.personal_objects.contains("Contact"));
        assert!(!sf.personal_objects.contains("Product__c"));
        assert!(sf.personal_fields.find("SuppliedEmail").is_some());
        assert!(sf.personal_fields.find("Birthdate").is_some());
        assert!(sf.personal_fields.find("DOB__c").is_some());
        assert!(sf.personal_fields.find("Bank_Account_Number__c").is_some());
        assert!(sf.personal_fields.find("Annual_Income__c").is_some());
        assert!(
            sf.personal_fields
                .find("Drivers_License_Number__c")
                .is_some()
        );
        assert!(sf.personal_fields.find("Price__c").is_none());
        assert!(sf.personal_fields.find("Description__c").is_none());
        assert!(
            sf.guest_permission_sets
                .find("EBikes_Guest_Access")
                .is_some()
        );
        assert!(sf.guest_permission_sets.find("Sales Manager").is_none());
    }

    #[test]
    fn set_replaces_and_extend_adds() {
        let config = load_text(
            "salesforce:\n  personal-objects: [Loan__c]\n  extend-personal-objects: [Applicant__c]\n  extend-personal-fields: ['^Secret']\n",
        )
        .expect("valid");
        let sf = &config.salesforce;
        assert_eq!(
            sf.personal_objects.iter().collect::<Vec<_>>(),
            ["Applicant__c", "Loan__c"]
        );
        assert_eq!(sf.personal_fields.find("secret_code__c"), Some("^Secret"));
        assert!(sf.personal_fields.find("Email").is_some(), "defaults kept");
        assert_eq!(config.path.as_deref(), Some(".doublecheck.yml"));
    }

    #[test]
    fn empty_file_means_defaults() {
        let config = load_text("# nothing yet\n").expect("valid");
        assert!(config.salesforce.personal_objects.contains("Lead"));
    }

    #[test]
    fn unknown_key_is_located_with_a_hint() {
        let errors = load_text("salesforce:\n  personal-object: [X]\n").expect_err("invalid");
        assert_eq!(errors.len(), 1);
        assert_eq!(position(&errors[0]), (2, 3));
        assert_eq!(errors[0].message, "unknown key `personal-object`");
        assert_eq!(
            errors[0].help.as_deref(),
            Some("did you mean `personal-objects`?")
        );
    }

    #[test]
    fn bad_regex_is_located_at_the_pattern() {
        let errors = load_text("salesforce:\n  extend-personal-fields: ['ok', '(unclosed']\n")
            .expect_err("invalid");
        assert_eq!(errors.len(), 1);
        assert_eq!(position(&errors[0]), (2, 34));
        assert!(errors[0].message.starts_with("invalid regular expression"));
    }

    #[test]
    fn publishing_defaults_replace_and_extend() {
        let config = Config::default();
        let p = &config.publishing;
        for name in [
            "prod",
            "Production",
            "prod-eu",
            "release",
            "live",
            "web/live",
        ] {
            assert!(p.production_environments.find(name).is_some(), "{name}");
        }
        for name in ["staging", "preview", "products", "delivery", "prod2"] {
            assert!(p.production_environments.find(name).is_none(), "{name}");
        }
        assert_eq!(p.published_paths[0], "docs/");
        let config = load_text(
            "publishing:\n  published-paths: [/site, ./www/]\n  extend-published-paths: [handbook]\n  extend-production-environments: ['^shop$']\n",
        )
        .expect("valid");
        let p = &config.publishing;
        assert_eq!(p.published_paths, ["site/", "www/", "handbook/"]);
        assert!(p.production_environments.find("shop").is_some());
        assert!(
            p.production_environments.find("prod").is_some(),
            "defaults kept"
        );
    }

    #[test]
    fn publishing_mistakes_are_located() {
        let errors =
            load_text("publishing:\n  production-environments: ['(']\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 29));
        let errors = load_text("publishing:\n  published-path: [docs]\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 3));
        assert_eq!(
            errors[0].help.as_deref(),
            Some("did you mean `published-paths`?")
        );
        let errors = load_text("publishing:\n  published-paths: ['']\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 21));
    }

    #[test]
    fn wrong_type_is_located_at_the_value() {
        let errors = load_text("salesforce:\n  personal-objects: Contact\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 21));
    }

    #[test]
    fn admin_ports_replace_and_extend() {
        assert!(Config::default().network.admin_ports.contains(&3389));
        let config = load_text("network:\n  admin-ports: [2222]\n  extend-admin-ports: [8443]\n")
            .expect("valid");
        assert_eq!(
            config.network.admin_ports.iter().collect::<Vec<_>>(),
            [&2222, &8443]
        );
        let config = load_text("network:\n  extend-admin-ports: [5601]\n").expect("valid");
        assert!(config.network.admin_ports.contains(&22));
        assert!(config.network.admin_ports.contains(&5601));
    }

    #[test]
    fn bad_admin_ports_are_located() {
        let errors = load_text("network:\n  admin-ports: [22, 70000]\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 21));
        let errors = load_text("network:\n  admin-port: [22]\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 3));
        assert_eq!(
            errors[0].help.as_deref(),
            Some("did you mean `admin-ports`?")
        );
        let errors = load_text("network:\n  extend-admin-ports: ['ssh']\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 24));
    }
}
