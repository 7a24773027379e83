//! `.doublecheck.yml`: a repository's settings, validated against the shipped
//! `schemas/config.schema.json` so every mistake is reported at its own line and column.
//!
//! Split by job: [`rules`] (which rules run, at which severity, what is excluded and
//! suppressed), [`limits`] (resource bounds), [`packs`] (the packs' settings, whose types and
//! defaults live beside their facts) and [`patterns`] (reading lists of regular
//! expressions). Policies never read the packs' settings: the fact providers do (see
//! [`crate::facts`]), so one setting changes every policy that asks "is this personal data?"
//! at once.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::document::{SourceFile, Span};
use crate::finding::Severity;
use crate::yaml_file::{self, FileError, FileSchema};

mod helm;
mod limits;
mod packs;
mod patterns;
mod rules;

pub use crate::facts::Settings as FactSettings;
pub use helm::HelmSettings;
pub use limits::{DEFAULT_MAX_FILE_SIZE, Limits};
pub use rules::{Excludes, RulePattern, RuleSettings, SuppressionSettings, command_line_patterns};

/// The JSON Schema of the config file, shipped in the repository for editors.
pub const CONFIG_SCHEMA: &str = include_str!("../../schemas/config.schema.json");

/// Names looked for in the scan root when `--config` is not given.
pub const CONFIG_FILE_NAMES: &[&str] = &[".doublecheck.yml", ".doublecheck.yaml"];

/// Settings for one run.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file the settings came from, when there was one.
    pub path: Option<String>,
    /// What the fact providers read: each pack's section (`salesforce`, `network`,
    /// `publishing`), over the defaults the packs hold.
    pub facts: FactSettings,
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
    /// `helm:`: the values files charts are rendered with.
    pub helm: HelmSettings,
}

/// The config file as written, after it passed the schema.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    #[serde(flatten)]
    packs: packs::RawPacks,
    #[serde(default)]
    rules: rules::RawRules,
    #[serde(default)]
    exclude: Vec<String>,
    fail_on: Option<Severity>,
    baseline: Option<String>,
    #[serde(default)]
    suppressions: rules::RawSuppressions,
    #[serde(default)]
    limits: limits::RawLimits,
    #[serde(default)]
    helm: helm::RawHelm,
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
        vec![
            FileError::new(
                &source,
                Span::default(),
                format!("cannot read the config file `{shown}`: {e}"),
            )
            .with_help(
                "check the path given to --config, and that the user running doublecheck \
                 may read it",
            ),
        ]
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
    config.fail_on = raw.fail_on;
    config.helm = helm::read(raw.helm);
    let sections = rules::read(
        raw.rules,
        raw.exclude,
        raw.suppressions,
        raw.baseline,
        (&source, &document),
    );
    let packs = packs::read(raw.packs, (&source, &document));
    let limits = limits::read(raw.limits, &source, &document);
    match (packs, sections, limits) {
        (Ok(packs), Ok(sections), Ok(limits)) => {
            config.facts = packs;
            config.rules = sections.rules;
            config.exclude = sections.exclude;
            config.suppressions = sections.suppressions;
            config.baseline = sections.baseline;
            config.limits = limits;
            Ok(config)
        }
        (packs, sections, limits) => Err(packs
            .err()
            .into_iter()
            .flatten()
            .chain(sections.err().into_iter().flatten())
            .chain(limits.err())
            .collect()),
    }
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

pub(super) use crate::yaml_file::value_span;

/// The help of a glob that does not compile.
const GLOB_HELP: &str = "a glob on paths relative to the root: `*` stays in a folder, `**` \
                         crosses folders, and every `[` and `{` must be closed";

/// `.doublecheck.yml` and the schema it satisfies; its "did you mean" keys come from the
/// schema. A section whose lines are all commented out (`rules:` alone) is an empty one.
static CONFIG_FILE: FileSchema =
    FileSchema::new("config", "schemas/config.schema.json", CONFIG_SCHEMA).with_empty_sections();

#[cfg(test)]
mod tests {
    use super::*;

    /// The config `text` as `.doublecheck.yml`, loaded (shared by the config's unit tests).
    pub(super) fn load_text(text: &str) -> Result<Config, Vec<FileError>> {
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
        let sf = &config.facts.salesforce;
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
        let sf = &config.facts.salesforce;
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
        assert!(config.facts.salesforce.personal_objects.contains("Lead"));
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
        let p = &config.facts.publishing;
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
        let p = &config.facts.publishing;
        assert_eq!(p.published_paths, ["site/", "www/", "handbook/"]);
        assert!(p.production_environments.find("shop").is_some());
        assert!(
            p.production_environments.find("prod").is_some(),
            "defaults kept"
        );
    }

    /// People's collections are whole path segments by default; the setting replaces or
    /// extends them, and a bad pattern is an error at its value.
    #[test]
    fn firebase_personal_collections_are_read() {
        let defaults = load_text("").expect("valid");
        let collections = &defaults.facts.firebase.personal_collections;
        for name in [
            "users",
            "User",
            "rsvps",
            "guests",
            "userProfiles",
            "fcmTokens",
        ] {
            assert!(collections.find(name).is_some(), "{name}");
        }
        for name in ["userstats", "products", "{userId}", "timeline"] {
            assert!(collections.find(name).is_none(), "{name}");
        }
        let config =
            load_text("firebase:\n  extend-personal-collections: ['^donors?$']\n").expect("valid");
        let collections = &config.facts.firebase.personal_collections;
        assert!(collections.find("donors").is_some());
        assert!(collections.find("users").is_some(), "defaults kept");
        let config =
            load_text("firebase:\n  personal-collections: ['^donors?$']\n").expect("valid");
        assert!(
            config
                .facts
                .firebase
                .personal_collections
                .find("users")
                .is_none()
        );
        let errors = load_text("firebase:\n  extend-personal-collections: ['ok', '(']\n")
            .expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 39));
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
        assert!(Config::default().facts.network.admin_ports.contains(&3389));
        let config = load_text("network:\n  admin-ports: [2222]\n  extend-admin-ports: [8443]\n")
            .expect("valid");
        assert_eq!(
            config.facts.network.admin_ports.iter().collect::<Vec<_>>(),
            [&2222, &8443]
        );
        let config = load_text("network:\n  extend-admin-ports: [5601]\n").expect("valid");
        assert!(config.facts.network.admin_ports.contains(&22));
        assert!(config.facts.network.admin_ports.contains(&5601));
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
