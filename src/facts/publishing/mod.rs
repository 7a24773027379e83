//! Facts about publishing with two people (aichi-2020): which deployment environments are
//! production-like, whether a code-owner review the repository requires can be satisfied,
//! which CODEOWNERS rules own published folders, and whether the branch a CMS publishes to
//! is protected by any rule in the repository; whether a Bitbucket approval survives
//! a push; and which workflow steps approve pull requests, and whose.
//!
//! A repository is found from paths: `<root>/.github/settings.yml` and
//! `<root>/.github/rulesets/*.json` belong to `<root>`, whose CODEOWNERS GitHub looks for at
//! `<root>/.github/CODEOWNERS`, `<root>/CODEOWNERS` and `<root>/docs/CODEOWNERS`, in that
//! order, using the first it finds. Branch-protection REST exports carry no repository
//! path; they count for every Decap config in the scan.

mod bitbucket;
mod codeowners;
mod conditions;
mod rules;
mod settings;
mod workflows;

pub use settings::{
    DEFAULT_PRODUCTION_ENVIRONMENTS, DEFAULT_PUBLISHED_PATHS, PublishingSettings, published_paths,
};

use serde_json::Value;

use super::terraform::resources;
use super::{FactIndex, FactInfo, Keep, Provider, Scope, Settings};
use crate::detect::kinds;
use crate::document::{Document, index_pointer};

pub const PRODUCTION_ENVIRONMENT: &str = "publishing/production-environment";
pub const CODE_OWNER_REVIEW_WITHOUT_CODEOWNERS: &str =
    "publishing/code-owner-review-without-codeowners";
pub const PUBLISHED_PATH_RULE: &str = "publishing/published-path-rule";
pub const UNPROTECTED_CMS_BRANCH: &str = "publishing/unprotected-cms-branch";
pub const APPROVALS_KEPT_ON_CHANGE: &str = "publishing/bitbucket-approvals-kept-on-change";
pub const WORKFLOW_APPROVES_ANY_PULL_REQUEST: &str =
    "publishing/workflow-approves-any-pull-request";
pub const WORKFLOW_APPROVES_BOT_PULL_REQUESTS: &str =
    "publishing/workflow-approves-bot-pull-requests";

pub const PROVIDER: Provider = Provider {
    facts: FACTS,
    kinds: KINDS,
    provide,
    prepare: super::prepare_nothing,
    read_first: READ_FIRST,
    // A batch with a setting that requires code-owner review looks the CODEOWNERS files up,
    // one a repository; nothing else of them is looked at again.
    revisits: &[],
    keep,
    keeps: KEEPS,
    slim: super::slim_nothing,
};

/// CODEOWNERS files (settings and rulesets look them up; they take the code-owner
/// requirements of their repository) and CMS configs (they take the branch protections).
const READ_FIRST: &[&str] = &[kinds::GITHUB_CODEOWNERS, kinds::DECAP_CONFIG];

/// What [`keep`] may keep.
const KEEPS: &[&str] = &[
    kinds::GITHUB_SETTINGS,
    kinds::GITHUB_RULESET,
    kinds::GITHUB_BRANCH_PROTECTION,
    kinds::TERRAFORM_CONFIG,
    kinds::TERRAFORM_PLAN,
];

/// Terraform resources a CMS config's branch may be protected by.
const TERRAFORM_PROTECTIONS: &[&str] = &[
    "github_branch_protection",
    "github_branch_protection_v3",
    "github_repository_ruleset",
    "github_organization_ruleset",
];

/// The rules a CODEOWNERS file or a CMS config of the scan reads: settings and rulesets of
/// their repository, and (as they name no repository path) every branch-protection export
/// and Terraform protection when there is a CMS config.
fn keep(first: &[&Document]) -> Keep {
    let readers: Vec<String> = first
        .iter()
        .filter(|d| {
            matches!(
                d.kind.as_str(),
                kinds::GITHUB_CODEOWNERS | kinds::DECAP_CONFIG
            )
        })
        .map(|d| d.source.path.clone())
        .collect();
    let cms = first.iter().any(|d| d.kind.as_str() == kinds::DECAP_CONFIG);
    Box::new(move |doc| match doc.kind.as_str() {
        kinds::GITHUB_SETTINGS | kinds::GITHUB_RULESET => github_root(&doc.source.path)
            .is_some_and(|root| readers.iter().any(|path| path.starts_with(root))),
        kinds::GITHUB_BRANCH_PROTECTION => cms,
        kinds::TERRAFORM_CONFIG | kinds::TERRAFORM_PLAN => cms && protects_branches(&doc.value),
        _ => false,
    })
}

/// Whether a Terraform configuration or plan holds a resource that may protect a branch.
fn protects_branches(config: &serde_json::Value) -> bool {
    (TERRAFORM_PROTECTIONS.iter()).any(|t| !resources(config, t).is_empty())
}

const FACTS: &[FactInfo] = &[
    FactInfo {
        name: PRODUCTION_ENVIRONMENT,
        scope: Scope::Node,
        description: "an `environments` entry of a safe-settings .github/settings.yml, or a \
                      Terraform `github_repository_environment` or \
                      `gitlab_project_protected_environment` resource, whose name matches \
                      `publishing.production-environments` (default: prod, production, release \
                      or live as the name or a word of it)",
    },
    FactInfo {
        name: CODE_OWNER_REVIEW_WITHOUT_CODEOWNERS,
        scope: Scope::Node,
        description: "a `require_code_owner_reviews: true` of a branch protection, or a \
                      `require_code_owner_review: true` of an active ruleset's pull_request rule, \
                      in a repository with no CODEOWNERS at .github/, the root or docs/",
    },
    FactInfo {
        name: PUBLISHED_PATH_RULE,
        scope: Scope::Node,
        description: "a rule of the CODEOWNERS file GitHub uses that owns a published folder \
                      (`publishing.published-paths`): the last rule matching a file directly in \
                      it, or a rule for a path inside it, while the repository requires \
                      code-owner review (its requirements are the evidence)",
    },
    FactInfo {
        name: UNPROTECTED_CMS_BRANCH,
        scope: Scope::Node,
        description: "the `backend` of a Decap / Netlify CMS config whose branch (`backend.branch`, \
                      default `master`) no rule in the repository protects with a required \
                      approving review: no settings.yml branch protection, active ruleset, \
                      branch-protection export or Terraform `github_branch_protection(_v3)` / \
                      ruleset; the rules found for other branches are evidence",
    },
    FactInfo {
        name: APPROVALS_KEPT_ON_CHANGE,
        scope: Scope::Node,
        description: "a Terraform `bitbucket_branch_restriction` of kind \
                      `require_approvals_to_merge` whose repository and branches no \
                      `reset_pullrequest_approvals_on_change` restriction of the same folder \
                      covers (the same `pattern` or `branch_type`, or the pattern `*`); with \
                      a reset whose target is computed at apply time, only a folder with no \
                      reset at all",
    },
    FactInfo {
        name: WORKFLOW_APPROVES_ANY_PULL_REQUEST,
        scope: Scope::Node,
        description: "a step of a GitHub Actions workflow that approves pull requests (an \
                      approve action such as `hmarr/auto-approve-action`, `gh pr review \
                      --approve`, or the REST call with `event: APPROVE`) whose `if:`s, and the \
                      jobs it needs, do not limit it to bots' pull requests; the trigger and \
                      the conditions are the evidence",
    },
    FactInfo {
        name: WORKFLOW_APPROVES_BOT_PULL_REQUESTS,
        scope: Scope::Node,
        description: "a step of a GitHub Actions workflow that approves pull requests only \
                      for bots: an `if:` of the step, its job or a job it needs that limits the \
                      author (`github.actor`, `github.event.pull_request.user.login`, …) to \
                      `…[bot]` logins, or a `dependabot/fetch-metadata` step before it in the \
                      job, or a workflow run only on a schedule or by hand whose step takes no \
                      dispatch input (it approves the pull request it opened itself); the \
                      trigger and that condition are the evidence",
    },
];

const KINDS: &[&str] = &[
    kinds::GITHUB_SETTINGS,
    kinds::GITHUB_RULESET,
    kinds::GITHUB_BRANCH_PROTECTION,
    kinds::GITHUB_CODEOWNERS,
    kinds::DECAP_CONFIG,
    kinds::TERRAFORM_CONFIG,
    kinds::TERRAFORM_PLAN,
    kinds::GITHUB_WORKFLOW,
];

/// Terraform resources that define a deployment environment, by the attribute naming it.
const TERRAFORM_ENVIRONMENTS: &[&str] = &[
    "github_repository_environment",
    "gitlab_project_protected_environment",
];

fn provide(given: &super::Given, _: &super::Prepared, settings: &Settings, index: &mut FactIndex) {
    let settings = &settings.publishing;
    let production =
        |name: Option<&str>| name.is_some_and(|n| settings.production_environments.is_match(n));
    // Settings, Terraform and workflows are never read first: the looks for them start
    // after those (a batch of Terraform files costs no pass over the CODEOWNERS files).
    for (i, doc) in given.after_first() {
        match doc.kind.as_str() {
            kinds::GITHUB_SETTINGS => {
                let environments = doc.value.get("environments").and_then(Value::as_array);
                for (e, environment) in environments.into_iter().flatten().enumerate() {
                    if production(environment.get("name").and_then(Value::as_str)) {
                        let pointer = index_pointer("/environments", e);
                        index.add_node(i, pointer, PRODUCTION_ENVIRONMENT, None);
                    }
                }
            }
            kinds::TERRAFORM_CONFIG | kinds::TERRAFORM_PLAN => {
                for resource_type in TERRAFORM_ENVIRONMENTS {
                    for resource in resources(&doc.value, resource_type) {
                        let body = resource.body;
                        if production(body.get("environment").and_then(Value::as_str)) {
                            index.add_node(i, body.pointer, PRODUCTION_ENVIRONMENT, None);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let documents = given.documents;
    let requirements = rules::code_owner_requirements(given.after_first());
    codeowners::provide(documents, &requirements, &settings.published_paths, index);
    // Its facts are about CMS configs, which are read first: wanted at the end only.
    if given.any_target(|d| d.kind.as_str() == kinds::DECAP_CONFIG) {
        rules::provide_cms_branches(documents, index);
    }
    bitbucket::provide(given, index);
    workflows::provide(given, index);
}

/// The repository root of a file under `.github/` (`""` for the scan root, else
/// `"<dir>/"`), or `None` for a file elsewhere.
fn github_root(path: &str) -> Option<&str> {
    if path.starts_with(".github/") {
        return Some("");
    }
    path.rfind("/.github/").map(|at| &path[..=at])
}
