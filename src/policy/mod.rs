//! Policies: YAML files that name the kinds they apply to, select nodes with JSONPath and
//! assert JSON Schema on each. Loading validates the file against the shipped policy schema
//! and reports mistakes at their own line and column; compiling turns it into a [`Policy`].

mod builtin;
mod by_kind;
mod compile;
mod costs;
mod incidents;
mod kind_patterns;
mod load;
mod locate;
mod message;
mod registry;
mod select;

use std::sync::{Arc, OnceLock};

use serde::Deserialize;

pub use builtin::builtin_sources;
pub use compile::Policy;
use compile::build_meta_validator;
pub use costs::{PolicyCost, costs_table};
pub use incidents::{Incident, incident};
pub use load::{PolicySet, load_builtin, load_builtin_checked, load_dir, load_source};
pub use message::{GroupValues, MessageContext, render_message};
pub use registry::RuleChoices;
pub use select::{Selected, Selections};

use crate::document::SourceFile;
use crate::finding::Severity;

/// A policy file as written, after it passed the policy schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PolicySpec {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub incident: Option<String>,
    pub description: String,
    pub remediation: String,
    pub help_uri: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub applies_to: Vec<String>,
    #[serde(default)]
    pub facts: Vec<String>,
    pub when: Option<serde_json::Value>,
    pub select: Option<String>,
    pub require: serde_json::Value,
    pub message: Option<String>,
    pub group: Option<Grouping>,
    /// Empty in a built-in policy read from its JSON: see [`Policy::examples`].
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// One finding per group of failing nodes instead of one per failing value: every node a
/// fix resolves together (the fields of one object, the permissions of one profile) is
/// reported once, the parts as related locations.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grouping {
    /// A message template over each selected node: the failing nodes whose key renders the
    /// same are one finding (`{field|before:.}`: the fields of one object).
    pub by: String,
    /// How each failing node is named in `{items}` and in its related location; its
    /// `{failed-key}` is the node's failing properties.
    pub item: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub name: String,
    pub files: Vec<ExampleFile>,
    pub expect: Vec<ExpectedFinding>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleFile {
    pub path: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    pub path: Option<String>,
    pub line: usize,
    pub column: usize,
    /// The finding's exact rendered message, when the example asserts it.
    pub message: Option<String>,
}

/// Where a policy came from: built into the binary or a file the user pointed at.
#[derive(Debug, Clone)]
pub struct PolicyOrigin {
    pub builtin: bool,
    /// The policy file, as shown (`policies/salesforce/SF-GUEST-001.yaml` for a built-in one).
    pub path: String,
    /// The built-in policy's YAML, when the source is made on first use.
    embedded: Option<&'static str>,
    source: OnceLock<Arc<SourceFile>>,
}

impl PolicyOrigin {
    /// A policy read from `source`.
    pub fn file(source: Arc<SourceFile>, builtin: bool) -> Self {
        PolicyOrigin {
            builtin,
            path: source.path.clone(),
            embedded: None,
            source: OnceLock::from(source),
        }
    }

    /// A built-in policy read from its JSON: its YAML becomes a [`SourceFile`] (a copy and a
    /// line index) only if something asks for it, which a scan never does.
    pub(crate) fn embedded(path: &'static str, yaml: &'static str) -> Self {
        PolicyOrigin {
            builtin: true,
            path: path.to_owned(),
            embedded: Some(yaml),
            source: OnceLock::new(),
        }
    }

    /// The policy file, for errors located in it.
    pub fn source(&self) -> &Arc<SourceFile> {
        self.source.get_or_init(|| {
            let text = self.embedded.unwrap_or_default().to_owned();
            Arc::new(SourceFile::new(self.path.clone(), text))
        })
    }
}
