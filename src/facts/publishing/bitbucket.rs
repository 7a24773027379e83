//! Bitbucket branch restrictions managed with Terraform (the DrFaust92/bitbucket provider):
//! a `require_approvals_to_merge` restriction whose branches no
//! `reset_pullrequest_approvals_on_change` restriction covers, so an approval survives the
//! author's later pushes (one whose `value` is below 1 requires no approval to keep).
//!
//! Bitbucket keeps each merge check as its own restriction, so the two are separate
//! resources; they are looked for in the same Terraform folder (which the scan reads in one
//! batch). A reset restriction covers an approval restriction of the same repository and
//! the same branches (the same `pattern`, or the same `branch_type` for the branching
//! model), and a reset whose `pattern` is `*` or `**` covers every branch. A repository
//! written as a reference to a `bitbucket_repository` resource is that resource, whichever
//! attribute is named. Where a reset's or the approval's repository or branches are an
//! expression Terraform only knows at apply time (`each.value`), the reset may cover it, so
//! only a folder with no reset restriction at all is reported then.

use serde_json::Value;

use super::super::terraform::resources;
use super::super::{FactIndex, Given};
use super::APPROVALS_KEPT_ON_CHANGE;
use crate::detect::kinds;
use crate::document::{Document, folder};

const RESTRICTION: &str = "bitbucket_branch_restriction";
const APPROVALS: &str = "require_approvals_to_merge";
const RESET: &str = "reset_pullrequest_approvals_on_change";

/// Which branches of which repository a restriction applies to; `None` where Terraform only
/// knows it at apply time.
#[derive(Debug, PartialEq)]
struct Target<'a> {
    repository: Option<String>,
    branching_model: bool,
    branches: Option<&'a str>,
}

/// A repository as written: a literal name, or the address of the `bitbucket_repository`
/// resource it refers to (`${bitbucket_repository.site.name}` and `.slug` are both
/// `bitbucket_repository.site`); `None` for anything else Terraform computes.
fn repository(value: Option<&Value>) -> Option<String> {
    let text = value?.as_str()?;
    if !text.contains("${") {
        return Some(text.to_owned());
    }
    let inner = text.strip_prefix("${")?.strip_suffix('}')?;
    let mut parts = inner.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("bitbucket_repository"), Some(name), Some(_), None) => {
            Some(format!("bitbucket_repository.{name}"))
        }
        _ => None,
    }
}

impl<'a> Target<'a> {
    fn of(body: &'a Value) -> Self {
        let branching_model =
            body.get("branch_match_kind").and_then(Value::as_str) == Some("branching_model");
        let branches = body
            .get(if branching_model {
                "branch_type"
            } else {
                "pattern"
            })
            .and_then(Value::as_str)
            .filter(|b| !b.contains("${"));
        Target {
            repository: repository(body.get("repository")),
            branching_model,
            branches,
        }
    }

    /// Whether Terraform only knows part of this target at apply time.
    fn computed(&self) -> bool {
        self.repository.is_none() || self.branches.is_none()
    }

    /// Whether a reset restriction with this target covers `approvals`.
    fn covers(&self, approvals: &Target) -> bool {
        if self.repository != approvals.repository {
            return false;
        }
        let everything = !self.branching_model && matches!(self.branches, Some("*" | "**"));
        everything
            || (self.branching_model == approvals.branching_model
                && self.branches == approvals.branches)
    }
}

/// Records every approval restriction no reset restriction of its folder covers.
pub(super) fn provide(given: &Given, index: &mut FactIndex) {
    let terraform = |d: &&Document| {
        matches!(
            d.kind.as_str(),
            kinds::TERRAFORM_CONFIG | kinds::TERRAFORM_PLAN
        )
    };
    // Terraform is never read first: the looks for it start after those.
    for (i, doc) in given.after_first().filter(|(_, d)| terraform(d)) {
        let restrictions = resources(&doc.value, RESTRICTION);
        let approvals: Vec<_> = restrictions
            .iter()
            .filter(|r| r.body.get("kind").and_then(Value::as_str) == Some(APPROVALS))
            // No approval to keep: BB-MERGE-001 reports a `value` below 1.
            .filter(|r| {
                r.body
                    .get("value")
                    .and_then(Value::as_f64)
                    .is_none_or(|v| v >= 1.0)
            })
            .collect();
        if approvals.is_empty() {
            continue;
        }
        let here = folder(&doc.source.path);
        let resets: Vec<Target> = (given.after_first())
            .filter(|(_, d)| terraform(d) && folder(&d.source.path) == here)
            .flat_map(|(_, d)| resources(&d.value, RESTRICTION))
            .filter(|r| r.body.get("kind").and_then(Value::as_str) == Some(RESET))
            .map(|r| Target::of(r.body.value))
            .collect();
        let unknown = resets.iter().any(Target::computed);
        for restriction in approvals {
            let target = Target::of(restriction.body.value);
            let covered = if resets.is_empty() {
                false
            } else {
                unknown || target.computed() || resets.iter().any(|r| r.covers(&target))
            };
            if !covered {
                let pointer = restriction.body.pointer.clone();
                index.add_node(i, pointer, APPROVALS_KEPT_ON_CHANGE, None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reset_covers_the_same_branches_of_the_same_repository() {
        let approvals = json!({"repository": "site", "pattern": "main"});
        let approvals = Target::of(&approvals);
        let same = json!({"repository": "site", "pattern": "main"});
        let every = json!({"repository": "site", "pattern": "*"});
        let other_branch = json!({"repository": "site", "pattern": "develop"});
        let other_repository = json!({"repository": "docs", "pattern": "main"});
        let model = json!({"repository": "site", "branch_match_kind": "branching_model",
                           "branch_type": "production"});
        assert!(Target::of(&same).covers(&approvals));
        assert!(Target::of(&every).covers(&approvals));
        assert!(!Target::of(&other_branch).covers(&approvals));
        assert!(!Target::of(&other_repository).covers(&approvals));
        assert!(!Target::of(&model).covers(&approvals));
    }

    #[test]
    fn a_repository_is_a_literal_or_the_resource_it_refers_to() {
        let name = json!("${bitbucket_repository.site.name}");
        let slug = json!("${bitbucket_repository.site.slug}");
        assert_eq!(repository(Some(&name)), repository(Some(&slug)));
        assert_eq!(repository(Some(&json!("site"))), Some("site".to_owned()));
        assert_eq!(repository(Some(&json!("${each.value.repo}"))), None);
        assert_eq!(repository(Some(&json!(["site"]))), None);
        assert_eq!(repository(None), None);
    }

    #[test]
    fn a_target_from_an_expression_is_computed() {
        let each = json!({"repository": "site", "pattern": "${each.value}"});
        let reference = json!({"repository": "${bitbucket_repository.site.name}",
                               "pattern": "main"});
        assert!(Target::of(&each).computed());
        assert!(!Target::of(&reference).computed());
    }
}
