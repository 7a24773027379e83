//! What a workflow step does to a pull request: whether it submits an approving review
//! (an approve action, `gh pr review --approve`, the REST call), and with whose token.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// Actions whose only job is to approve the pull request that triggered the run.
const APPROVE_ACTIONS: &[&str] = &[
    "hmarr/auto-approve-action",
    "cognitedata/auto-approve-dependabot-action",
    "juliangruber/approve-pull-request-action",
    "yproximite/auto-approve-and-merge-dependabot-action",
];

/// Actions that submit the review their `event` input names.
const REVIEW_ACTIONS: &[&str] = &["andrewmusgrave/automatic-pull-request-review"];

/// Inputs that ask an action that does more (triage, merging) to approve as well, when true.
const APPROVE_INPUTS: &[&str] = &["approve", "auto-approve", "auto_approve"];

/// Actions that run a script or an API request given in their inputs.
const SCRIPT_ACTIONS: &[(&str, &str)] = &[
    ("actions/github-script", "script"),
    ("octokit/request-action", "route"),
];

pub(super) const FETCH_METADATA: &str = "dependabot/fetch-metadata";

/// A review submitted with the `APPROVE` event, in any of the ways a script writes it:
/// `event: 'APPROVE'`, `"event":"APPROVE"`, `-f event=APPROVE`, `\"event\": \"APPROVE\"`.
static APPROVE_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\bevent[\\"'`]*\s*[:=]\s*[\\"'`]*approve\b"#).expect("a valid regex")
});

/// `gh pr review … --approve` (or `-a`) on one command line.
static GH_APPROVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bgh\s+pr\s+review\b[^\n;|&]*?(\s--approve\b|\s-a\b)").expect("a valid regex")
});

/// The action a step uses, without its `@ref`, in lower case.
pub(super) fn action(step: &Value) -> Option<String> {
    let uses = step.get("uses")?.as_str()?;
    let name = uses.split('@').next().unwrap_or(uses);
    Some(name.trim().to_ascii_lowercase())
}

fn input<'a>(step: &'a Value, name: &str) -> Option<&'a str> {
    step.get("with")?.get(name)?.as_str()
}

pub(super) fn gates_on_dependabot(step: &Value) -> bool {
    action(step).as_deref() == Some(FETCH_METADATA)
        && !matches!(
            step.get("continue-on-error"),
            Some(Value::Bool(true) | Value::String(_))
        )
}

/// How a step approves: by an action's inputs (`uses`) or by a command (`run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Via {
    Action,
    Command,
}

pub(super) fn approves(step: &Value) -> Option<Via> {
    if let Some(name) = action(step) {
        let approving = APPROVE_ACTIONS.contains(&name.as_str())
            || (REVIEW_ACTIONS.contains(&name.as_str())
                && input(step, "event").is_some_and(|e| e.trim().eq_ignore_ascii_case("approve")))
            || SCRIPT_ACTIONS.iter().any(|(action, field)| {
                name == *action && input(step, field).is_some_and(approves_by_api)
            })
            || APPROVE_INPUTS.iter().any(|name| {
                step.get("with")
                    .and_then(|with| with.get(*name))
                    .is_some_and(|v| {
                        v == &Value::Bool(true) || v.as_str().is_some_and(|t| t.trim() == "true")
                    })
            });
        return approving.then_some(Via::Action);
    }
    let run = step.get("run")?.as_str()?;
    let commands = without_comments(run);
    (GH_APPROVE.is_match(&commands) || approves_by_api(&commands)).then_some(Via::Command)
}

/// A script or request that submits an approving review.
fn approves_by_api(text: &str) -> bool {
    (text.contains("createReview") || text.contains("/reviews")) && APPROVE_EVENT.is_match(text)
}

/// A shell script without its comment lines, continuation lines joined.
fn without_comments(script: &str) -> String {
    script
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("\\\n", " ")
}

/// Whose token a step approves with.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Token {
    /// `GITHUB_TOKEN` (`secrets.GITHUB_TOKEN`, `github.token`, or an action's default):
    /// limited by the `permissions` the workflow declares.
    Workflow,
    /// A GitHub App's token or a person's: not limited by them.
    Other,
}

pub(super) fn token(step: &Value, job: &Value, workflow: &Value, via: Via) -> Token {
    let given = match via {
        Via::Action => ["github-token", "token", "repo-token"]
            .iter()
            .find_map(|name| input(step, name)),
        Via::Command => [step, job, workflow].iter().find_map(|holder| {
            let env = holder.get("env")?;
            ["GH_TOKEN", "GITHUB_TOKEN"]
                .iter()
                .find_map(|name| env.get(name)?.as_str())
        }),
    };
    match given {
        None => Token::Workflow,
        Some(text) => {
            let text = text.to_ascii_lowercase();
            if text.contains("secrets.github_token") || text.contains("github.token") {
                Token::Workflow
            } else {
                Token::Other
            }
        }
    }
}

/// Whether the `permissions` a workflow or job declares give its token `pull-requests:
/// write`; without a declaration the repository's default decides, which may.
pub(super) fn may_write_pull_requests(permissions: Option<&Value>) -> bool {
    match permissions {
        None => true,
        Some(Value::String(all)) => all != "read-all",
        Some(Value::Object(scopes)) => {
            scopes.get("pull-requests").and_then(Value::as_str) == Some("write")
        }
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn commands_that_approve() {
        for run in [
            "gh pr review --approve \"$PR_URL\"",
            "gh pr review ${{ github.event.pull_request.number }} --approve --body ok",
            "gh pr review -a 12",
            "gh pr review \\\n  --approve \"$PR_URL\"",
            "gh api repos/o/r/pulls/1/reviews -f event=APPROVE",
            "curl -X POST -d '{\"event\":\"APPROVE\"}' https://api.github.com/repos/o/r/pulls/1/reviews",
        ] {
            assert_eq!(approves(&json!({"run": run})), Some(Via::Command), "{run}");
        }
    }

    #[test]
    fn commands_that_comment_label_or_merge() {
        for run in [
            "gh pr merge --auto --squash \"$PR_URL\"",
            "gh pr comment \"$PR_URL\" --body 'approved by CI'",
            "gh pr edit \"$PR_URL\" --add-label approved",
            "gh pr review --comment -b 'looks good'",
            "gh pr review --request-changes -b 'no'",
            "# gh pr review --approve \"$PR_URL\"\necho skipped",
            "gh api repos/o/r/pulls/1/reviews -f event=COMMENT -f body=approve",
        ] {
            assert_eq!(approves(&json!({"run": run})), None, "{run}");
        }
    }

    #[test]
    fn actions_that_approve() {
        assert!(approves(&json!({"uses": "hmarr/auto-approve-action@v4"})).is_some());
        let review = json!({"uses": "andrewmusgrave/automatic-pull-request-review@0.0.5",
                            "with": {"event": "APPROVE"}});
        assert!(approves(&review).is_some());
        let comment = json!({"uses": "andrewmusgrave/automatic-pull-request-review@0.0.5",
                             "with": {"event": "COMMENT"}});
        assert!(approves(&comment).is_none());
        let script = json!({"uses": "actions/github-script@v7", "with": {"script":
            "await github.rest.pulls.createReview({owner, repo, pull_number, event: 'APPROVE'})"}});
        assert!(approves(&script).is_some());
        let label = json!({"uses": "actions/github-script@v7", "with": {"script":
            "await github.rest.issues.addLabels({owner, repo, issue_number, labels: ['approve']})"}});
        assert!(approves(&label).is_none());
        assert!(approves(&json!({"uses": "pascalgn/automerge-action@v0.16.4"})).is_none());
        let triage = json!({"uses": "konflux-ci/deptriage@main",
                            "with": {"auto-approve": "true", "auto-merge": "true"}});
        assert!(approves(&triage).is_some());
        let merge_only = json!({"uses": "konflux-ci/deptriage@main",
                                "with": {"auto-approve": "false", "auto-merge": "true"}});
        assert!(approves(&merge_only).is_none());
    }

    #[test]
    fn declared_permissions_decide_what_the_workflow_token_may_do() {
        assert!(may_write_pull_requests(None));
        assert!(may_write_pull_requests(Some(&json!("write-all"))));
        assert!(!may_write_pull_requests(Some(&json!("read-all"))));
        assert!(!may_write_pull_requests(Some(&json!({}))));
        assert!(!may_write_pull_requests(Some(
            &json!({"pull-requests": "read"})
        )));
        assert!(may_write_pull_requests(Some(
            &json!({"pull-requests": "write"})
        )));
    }

    #[test]
    fn the_token_a_step_approves_with() {
        let step = json!({"uses": "hmarr/auto-approve-action@v4",
                          "with": {"github-token": "${{ steps.app.outputs.token }}"}});
        assert_eq!(
            token(&step, &json!({}), &json!({}), Via::Action),
            Token::Other
        );
        let run = json!({"run": "gh pr review --approve 1"});
        let job = json!({"env": {"GH_TOKEN": "${{ github.token }}"}});
        assert_eq!(token(&run, &job, &json!({}), Via::Command), Token::Workflow);
        let workflow = json!({"env": {"GH_TOKEN": "${{ secrets.BOT_PAT }}"}});
        assert_eq!(
            token(&run, &json!({}), &workflow, Via::Command),
            Token::Other
        );
    }
}
