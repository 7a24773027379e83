//! GitHub Actions workflows that approve pull requests (aichi-2020), end to end: an approve
//! action on every pull request, a branch-name condition that limits nobody, Dependabot's
//! and Renovate's pull requests approved after a gating job and after
//! `dependabot/fetch-metadata`, a scheduled workflow approving the pull request it opened, a
//! dispatch naming any pull request, and workflows that only comment, label and merge, with
//! none.

mod common;

use common::{at, findings, fixture, related_spots, scan_json, spot, spots};

const EVERYONE: &str = "this step approves every pull request its workflow runs for: anyone who can push a branch gets the approval their own change needs";
const BOTS: &str = "this step approves only pull requests a bot or the workflow itself opened (named beside it): they merge with no person's review";

const APPROVE_ALL: &str = ".github/workflows/approve-all.yml";
const BRANCH_NAME: &str = ".github/workflows/branch-name.yml";
const DEPENDABOT: &str = ".github/workflows/dependabot.yml";
const DISPATCH: &str = ".github/workflows/dispatch.yml";
const GENERATED: &str = ".github/workflows/generated.yml";

#[test]
fn approving_steps_at_their_uses_and_run_values() {
    let run = scan_json(&fixture("workflows"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("GH-WORKFLOW-001", APPROVE_ALL, 9, 15),
            spot("GH-WORKFLOW-001", BRANCH_NAME, 10, 15),
            spot("GH-WORKFLOW-002", DEPENDABOT, 16, 14),
            spot("GH-WORKFLOW-002", DEPENDABOT, 32, 11),
            spot("GH-WORKFLOW-001", DISPATCH, 12, 14),
            spot("GH-WORKFLOW-002", GENERATED, 12, 14),
        ]
    );
    let messages: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["message"].as_str().expect("a message"))
        .collect();
    assert_eq!(
        messages,
        vec![EVERYONE, EVERYONE, BOTS, BOTS, EVERYONE, BOTS]
    );
    let severities: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["severity"].as_str().expect("a severity"))
        .collect();
    assert_eq!(
        severities,
        vec!["error", "error", "warning", "warning", "error", "warning"]
    );
}

#[test]
fn the_trigger_and_the_conditions_are_related_locations() {
    let report = scan_json(&fixture("workflows"), &[]).json();
    let related: Vec<_> = findings(&report).iter().map(related_spots).collect();
    assert_eq!(
        related,
        vec![
            vec![at(
                APPROVE_ALL,
                2,
                5,
                "the workflow runs on `pull_request_target`"
            )],
            // A branch name is anyone's to choose.
            vec![
                at(BRANCH_NAME, 2, 1, "the workflow runs on `pull_request`"),
                at(
                    BRANCH_NAME,
                    8,
                    9,
                    "this condition does not limit whose pull requests are approved"
                ),
            ],
            // The approving job needs a job that runs only for the bots.
            vec![
                at(DEPENDABOT, 2, 5, "the workflow runs on `pull_request`"),
                at(
                    DEPENDABOT,
                    9,
                    9,
                    "approves only the pull requests of `dependabot[bot]`, `renovate[bot]`"
                ),
            ],
            vec![
                at(DEPENDABOT, 2, 5, "the workflow runs on `pull_request`"),
                at(
                    DEPENDABOT,
                    28,
                    15,
                    "`dependabot/fetch-metadata` fails on a pull request that is not Dependabot's, so the steps after it run only for Dependabot's"
                ),
            ],
            // Whoever dispatches names the pull request; the login is a person's to hold.
            vec![
                at(DISPATCH, 2, 1, "the workflow runs on `workflow_dispatch`"),
                at(
                    DISPATCH,
                    10,
                    9,
                    "limits it to `release-manager`, not only bots: a person can hold such an account"
                ),
            ],
            vec![at(
                GENERATED,
                2,
                1,
                "the workflow runs only on a schedule or by hand, and takes no pull request as input: it approves the pull request it opened itself"
            )],
        ]
    );
}

#[test]
fn the_bots_only_workflow_is_a_warning_that_fails_only_from_warning_up() {
    let dependabot = fixture("workflows").join(DEPENDABOT);
    let run = scan_json(&dependabot, &[]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(findings(&run.json()).len(), 2);
    let run = scan_json(&dependabot, &["--fail-on", "warning"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
}

/// Commenting on, labelling, merging and a comment review are not approvals; nor is an
/// approval the workflow's declared permissions refuse, or a step that never runs.
#[test]
fn workflows_that_comment_label_merge_or_cannot_approve_have_no_finding() {
    let run = scan_json(&fixture("workflows-safe"), &[]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(spots(&report), vec![]);
    assert_eq!(
        report["summary"]["files_checked"], 2,
        "{}",
        report["summary"]
    );
}
