//! The two-person publishing pack (aichi-2020) beyond GitHub and GitLab, end to end: Azure
//! DevOps branch policies and bypass permissions, Bitbucket branch restrictions and the GitHub setting that lets
//! workflows approve pull requests, all managed with Terraform. One repository where one
//! person can publish alone through each, and the same repository configured safely.

mod common;

use common::{Spot, findings, fixture, scan_json, spot, spots, summary};
use serde_json::Value;

const AZURE: &str = "azure.tf";
const BITBUCKET: &str = "bitbucket.tf";
const GITHUB: &str = "github.tf";

/// Every finding in `path` with its message, in report order.
fn spots_in<'a>(report: &'a Value, path: &str) -> Vec<(Spot, &'a str)> {
    spots(report)
        .into_iter()
        .zip(
            findings(report)
                .iter()
                .map(|f| f["message"].as_str().expect("message is a string")),
        )
        .filter(|(s, _)| s.path == path)
        .collect()
}

#[test]
fn azure_devops_reviewer_policies_that_let_one_person_publish() {
    let run = scan_json(&fixture("twoperson-terraform"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots_in(&report, AZURE),
        vec![
            (
                spot("ADO-POLICY-001", AZURE, 3, 16),
                "`azuredevops_branch_policy_min_reviewers.main` does not require its reviewers (`blocking` is false)"
            ),
            // Neither reset of votes on push is set: at the `settings` block.
            (
                spot("ADO-REVIEW-002", AZURE, 5, 3),
                "branch policy `main`: the author can push after the approval and complete alone (neither on_push_reset_approved_votes nor on_push_reset_all_votes is true)"
            ),
            // One reviewer, and the author's own vote counts.
            (
                spot("ADO-REVIEW-001", AZURE, 7, 46),
                "`azuredevops_branch_policy_min_reviewers.main` lets the author complete a pull request alone: `submitter_can_vote` is true"
            ),
            (
                spot("ADO-REVIEW-003", AZURE, 8, 46),
                "branch policy `main`: the last pusher may approve their own push (`last_pusher_cannot_approve` is false)"
            ),
            (
                spot("ADO-REVIEW-004", AZURE, 9, 46),
                "branch policy `main`: a pull request completes over a reviewer's rejection (`allow_completion_with_rejects_or_waits` is true)"
            ),
            (
                spot("ADO-POLICY-001", AZURE, 20, 16),
                "`azuredevops_branch_policy_min_reviewers.release` does not require its reviewers (`enabled` is false)"
            ),
            (
                spot("ADO-REVIEW-001", AZURE, 23, 36),
                "`azuredevops_branch_policy_min_reviewers.release` lets the author complete a pull request alone: `reviewer_count` is 0, below the minimum of 1"
            ),
            // The author's vote counts for the one required reviewer group.
            (
                spot("ADO-REVIEW-005", AZURE, 38, 26),
                "`azuredevops_branch_policy_auto_reviewers.infra`: the author can approve their own change for its required reviewers (`submitter_can_vote` is true)"
            ),
            // Whoever starts a run approves its deployment to production.
            (
                spot("ADO-ENV-001", AZURE, 51, 27),
                "`azuredevops_check_approval.production` lets whoever starts a run approve it for the environment it protects (`requester_can_approve` is true)"
            ),
            // A group completes pull requests and pushes past the branch policies.
            (
                spot("ADO-BYPASS-001", AZURE, 62, 31),
                "`azuredevops_git_permissions.release_managers` lets its group get past the branch policies and publish alone: `PullRequestBypassPolicy` is Allow"
            ),
            (
                spot("ADO-BYPASS-001", AZURE, 63, 31),
                "`azuredevops_git_permissions.release_managers` lets its group get past the branch policies and publish alone: `PolicyExempt` is Allow"
            ),
        ]
    );
    let azure_errors = findings(&report)
        .iter()
        .filter(|f| f["location"]["path"] == AZURE && f["severity"] == "error")
        .count();
    assert_eq!(azure_errors, 9);
}

#[test]
fn bitbucket_restrictions_and_approving_workflows_that_let_one_person_publish() {
    let run = scan_json(&fixture("twoperson-terraform"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots_in(&report, BITBUCKET),
        vec![
            // `value = 0` on a `require_approvals_to_merge` restriction.
            (
                spot("BB-MERGE-001", BITBUCKET, 6, 16),
                "`bitbucket_branch_restriction.approvals` (`require_approvals_to_merge` on `main`) lets a pull request merge without another person's approval: `value` is 0, below the minimum of 1"
            ),
            // `users = [...]` on the `push` restriction: they push past the merge checks.
            (
                spot("BB-PUSH-001", BITBUCKET, 14, 3),
                "`bitbucket_branch_restriction.push`: the users it lists push to `main` without a pull request, so without anyone's approval"
            ),
            // One approval on release/*, and no reset restriction for it in the folder (the
            // `main` one requires none, so it is BB-MERGE-001's alone): at its `kind`.
            (
                spot("BB-MERGE-002", BITBUCKET, 21, 16),
                "`bitbucket_branch_restriction.release` requires approvals on `release/*`, but nothing resets them when the pull request changes: the author can push after the approval and merge alone"
            ),
        ]
    );
    assert_eq!(
        spots_in(&report, GITHUB),
        vec![(
            spot("GH-TF-ACTIONS-001", GITHUB, 4, 38),
            "`github_workflow_repository_permissions.site` lets a workflow approve pull requests, so one person's change merges looking reviewed (`can_approve_pull_request_reviews` is true)"
        )]
    );
    assert_eq!(summary(&report, "errors"), 11);
    assert_eq!(summary(&report, "warnings"), 4);
}

/// The safe fixture: every setting at its safe value or default, an Azure DevOps policy where
/// the author's vote counts but two approvals are required (another person still approves),
/// Bitbucket approvals reset by a restriction for the same branch, or by one whose branches
/// are computed at apply time (`for_each`), and users who may merge (not push).
#[test]
fn the_same_settings_configured_for_two_people_pass() {
    let run = scan_json(&fixture("twoperson-terraform-safe"), &[]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(spots(&report), Vec::<Spot>::new());
    assert!(summary(&report, "files_checked") >= 1);
}

/// Decap CMS configured in JavaScript and TypeScript: a whole config without the editorial
/// workflow (DECAP-001 at the object), a `const` config whose branch nothing protects
/// (DECAP-002 at `branch`), and a partial config merged into `config.yml`, not judged alone;
/// and a YAML config at another path that names the CMS.
#[test]
fn decap_configured_in_code() {
    let run = scan_json(&fixture("decap-js"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let found: Vec<(Spot, &str)> = spots(&report)
        .into_iter()
        .zip(
            findings(&report)
                .iter()
                .map(|f| f["message"].as_str().expect("a message")),
        )
        .collect();
    assert_eq!(
        found,
        vec![
            (
                spot("DECAP-002", "app/admin/page.tsx", 6, 60),
                "no rule in the repository protects the branch this CMS publishes to (`branch` is \"publish\") with a required approving review: an author can approve and publish their own entry"
            ),
            // A YAML config at a path a page's `cms-config-url` link names.
            (
                spot("DECAP-001", "site/cms/config.yml", 2, 1),
                "every save in the CMS is published straight to the branch by its author alone: publish_mode is not editorial_workflow"
            ),
            (
                spot("DECAP-001", "src/cms/cms.js", 6, 11),
                "every save in the CMS is published straight to the branch by its author alone: publish_mode is not editorial_workflow"
            ),
        ]
    );
    // The Kubernetes Service under `site/admin/` is still read as one.
    assert_eq!(summary(&report, "files_checked"), 5);
}
