//! Resolution before facts and evaluation. On reading, a document is reshaped to the form
//! its kind's policies read ([`reshape`]: a Terraform plan to the shape of the configuration
//! it plans, a CloudFormation template's short-form tags to the long form). Then, across
//! files, values a file takes from another file are put in place, and each substituted node
//! remembers where its value was defined, so a finding shows the use and, as a related
//! location, the definition.
mod cloudformation;
pub mod helm;
mod powerpages;
mod terraform;
mod terraform_plan;

use std::collections::HashSet;

use crate::detect::{Candidate, KindRule, kinds};
use crate::document::Document;
use crate::document::Evidence;
use crate::document::Kind;
use crate::parse::ParsedDocument;

/// A substituted node: `document`'s node at `pointer` took its value from `definition`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub document: usize,
    pub pointer: String,
    /// Shown as a related location of a finding about the node.
    pub definition: Evidence,
    /// Where a finding about the node lands instead of at the node, and what identifies it:
    /// the one place that sets the value for every use (a CloudFormation parameter's
    /// `Default`, a Terraform variable's default or the module argument that passes it);
    /// `definition` then names the use.
    pub landing: Option<Landing>,
}

/// A value in a document of the batch: where a finding about a substituted node lands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Landing {
    pub document: usize,
    pub pointer: String,
}

impl Origin {
    /// The same origin, in a list of documents with `offset` others before them.
    pub fn shifted(mut self, offset: usize) -> Origin {
        self.document += offset;
        self.definition.document += offset;
        if let Some(landing) = &mut self.landing {
            landing.document += offset;
        }
        self
    }
}

/// `document`, of kind `kind`, in the shape policies of its kind read, located in `text`
/// (its file's).
pub fn reshape(kind: &Kind, document: ParsedDocument, text: &str) -> ParsedDocument {
    match kind.as_str() {
        kinds::TERRAFORM_PLAN => terraform_plan::lower(document),
        kinds::CLOUDFORMATION_TEMPLATE => cloudformation::lower(document, text),
        kind if kinds::POWERPAGES.contains(&kind) => powerpages::lower(document),
        _ => document,
    }
}

/// Kinds resolution reads: kept until it has run, even when no policy applies to them.
pub fn needs_kind(kind: &Kind) -> bool {
    terraform::KINDS.contains(&kind.as_str()) || helm::KINDS.contains(&kind.as_str())
}

/// What a file must be read together with for its values to resolve: a Terraform file's
/// folder (its module) with its environment folders' variable files, named by the folder's
/// path; a Power Pages file's site folder (a table permission names its web roles by id,
/// the site settings say who may sign up); a Supabase project's migrations and settings,
/// named by its `supabase` folder. (A Helm chart's files are named by the
/// scan, which knows where the charts are: [`crate::read::Input::chart`].)
pub fn read_together<'a>(
    candidate: &Candidate,
    path: &'a str,
    terraform: &TerraformFolders,
) -> Option<&'a str> {
    match candidate.detector.kind {
        KindRule::Fixed(kinds::TERRAFORM_CONFIG | kinds::TERRAFORM_VARIABLES) => {
            let holds_config = |folder: &str| terraform.0.contains(folder);
            Some(terraform::unit_among(
                crate::document::folder(path),
                &holds_config,
            ))
        }
        KindRule::Fixed(kind) if kinds::POWERPAGES.contains(&kind) => {
            Some(crate::detect::powerpages_site(path))
        }
        KindRule::Sniffed {
            expected: Some(kind),
            ..
        } if kinds::POWERPAGES.contains(&kind) => Some(crate::detect::powerpages_site(path)),
        // A Supabase project's migrations are replayed in order, with its settings.
        KindRule::Fixed(kinds::SUPABASE_MIGRATION | kinds::SUPABASE_CONFIG) => {
            Some(supabase_project(path))
        }
        _ => None,
    }
}

/// The repository paths of the files the Terraform configurations among `documents` read
/// with `file` or `templatefile` (literal paths only), that the scan should read from the
/// same side as the configuration and add with [`named_file`] before [`resolve`].
pub fn named_paths(documents: &[Document]) -> std::collections::BTreeSet<String> {
    terraform::files::named_paths(documents)
}

/// The document of a file a configuration names (see [`named_paths`]), `None` when it is
/// not text.
pub fn named_file(shown: &str, bytes: Vec<u8>) -> Option<Document> {
    terraform::files::document(shown, bytes)
}

/// Whether a file of this name may be read because a configuration names it: PR-only mode
/// lists such files of the base revision, with the candidates.
pub fn may_be_named(shown: &str) -> bool {
    terraform::files::may_be_named(shown)
}

/// The folders that hold Terraform configuration among a scan's files: a module or
/// environment folder is read with the folder above it only when that one holds
/// configuration ([`read_together`]).
#[derive(Debug, Default)]
pub struct TerraformFolders(HashSet<String>);

impl TerraformFolders {
    /// The folders of the files among `files` (candidate and path) that are configuration.
    pub fn of<'a>(files: impl IntoIterator<Item = (&'a Candidate, &'a str)>) -> Self {
        let configuration = |candidate: &Candidate| {
            matches!(
                candidate.detector.kind,
                KindRule::Fixed(kinds::TERRAFORM_CONFIG)
            )
        };
        TerraformFolders(
            (files.into_iter())
                .filter(|(candidate, _)| configuration(candidate))
                .map(|(_, path)| crate::document::folder(path).to_owned())
                .collect(),
        )
    }
}

/// The `supabase` folder a migration or `config.toml` belongs to.
pub fn supabase_project(path: &str) -> &str {
    match path.rfind("supabase/") {
        Some(at) => &path[..at + "supabase".len()],
        None => path,
    }
}

/// Substitutes what can be substituted, in place, and says where each value came from.
pub fn resolve(documents: &mut [Document]) -> Vec<Origin> {
    let mut origins = terraform::substitute(documents);
    origins.extend(cloudformation::substitute_parameters(documents));
    origins
}
