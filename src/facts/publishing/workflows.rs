//! GitHub Actions workflows that approve pull requests (`.github/workflows/*.yml`): a step
//! that submits an approving review — an approve action (`hmarr/auto-approve-action` and
//! its kin), `gh pr review --approve` in `run:`, the REST call (`POST …/pulls/N/reviews` with
//! `event: APPROVE`, by `curl`, `gh api` or `actions/github-script`'s `createReview`).
//!
//! Whose pull requests it approves is judged from the `if:` of the step and of its job (and
//! of the jobs it `needs`), and from a `dependabot/fetch-metadata` step before it in the job,
//! which fails on a pull request that is not Dependabot's: only bots' (a warning naming
//! them), or anyone's. A workflow run only on a schedule or by hand, whose step takes no
//! dispatch input, approves the pull request it opened itself: a bot's too. A step that cannot approve is left out: `if: false`, or the workflow
//! token without `pull-requests: write` in the `permissions` the workflow or job declares.
//! Commenting on, labelling or merging pull requests is not approving them.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::super::FactIndex;
use super::conditions::{self, Authors};
use super::{WORKFLOW_APPROVES_ANY_PULL_REQUEST, WORKFLOW_APPROVES_BOT_PULL_REQUESTS};
use crate::detect::kinds;
use crate::document::{Document, Evidence, child_pointer};

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

const FETCH_METADATA: &str = "dependabot/fetch-metadata";

/// A review submitted with the `APPROVE` event, in any of the ways a script writes it:
/// `event: 'APPROVE'`, `"event":"APPROVE"`, `-f event=APPROVE`, `\"event\": \"APPROVE\"`.
static APPROVE_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\bevent[\\"'`]*\s*[:=]\s*[\\"'`]*approve\b"#).expect("a valid regex")
});

/// `gh pr review … --approve` (or `-a`) on one command line.
static GH_APPROVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bgh\s+pr\s+review\b[^\n;|&]*?(\s--approve\b|\s-a\b)").expect("a valid regex")
});

pub(super) fn provide(documents: &[&Document], index: &mut FactIndex) {
    for (i, doc) in documents.iter().enumerate() {
        if doc.kind.as_str() != kinds::GITHUB_WORKFLOW {
            continue;
        }
        let Some(jobs) = doc.value.get("jobs").and_then(Value::as_object) else {
            continue;
        };
        let trigger = trigger(&doc.value)
            .map(|events| Evidence::at(i, "/on", format!("the workflow runs on {events}")));
        for (job_id, job) in jobs {
            let job_pointer = child_pointer("/jobs", job_id);
            let Some(steps) = job.get("steps").and_then(Value::as_array) else {
                continue;
            };
            let job_gate = job_gate(i, jobs, job_id, 0);
            let permissions = job
                .get("permissions")
                .or_else(|| doc.value.get("permissions"));
            let mut fetch_metadata: Option<Evidence> = None;
            for (s, step) in steps.iter().enumerate() {
                let step_pointer = format!("{job_pointer}/steps/{s}");
                let step_if = step.get("if");
                if never_runs(step_if) {
                    continue;
                }
                let Some(via) = approves(step) else {
                    if fetch_metadata.is_none() && gates_on_dependabot(step) {
                        fetch_metadata = Some(Evidence::at(
                            i,
                            format!("{step_pointer}/uses"),
                            "`dependabot/fetch-metadata` fails on a pull request that is not \
                             Dependabot's, so the steps after it run only for Dependabot's",
                        ));
                    }
                    continue;
                };
                let token = token(step, job, &doc.value, via);
                if token == Token::Workflow && !may_write_pull_requests(permissions) {
                    continue;
                }
                let step_if_text = step_if.and_then(Value::as_str);
                let step_gate = step_if_text
                    .and_then(conditions::authors)
                    .filter(Authors::only_bots)
                    .map(|a| gate_at(i, format!("{step_pointer}/if"), &a));
                let regardless = step_if_text.is_some_and(conditions::runs_regardless);
                let gate = step_gate
                    .or_else(|| job_gate.clone())
                    .or_else(|| fetch_metadata.clone().filter(|_| !regardless))
                    .or_else(|| own_pull_request(i, &doc.value, step));
                let mut evidence: Vec<Evidence> = trigger.iter().cloned().collect();
                match gate {
                    Some(gate) => {
                        // A gate at the trigger says what the trigger is itself.
                        evidence.retain(|e| e.pointer != gate.pointer);
                        evidence.push(gate);
                        index.add_node_with(
                            i,
                            step_pointer,
                            WORKFLOW_APPROVES_BOT_PULL_REQUESTS,
                            &evidence,
                        );
                    }
                    None => {
                        for pointer in
                            conditions_of(jobs, job_id, &job_pointer, &step_pointer, step)
                        {
                            let label = condition_label(doc.value.pointer(&pointer));
                            evidence.push(Evidence::at(i, pointer, label));
                        }
                        index.add_node_with(
                            i,
                            step_pointer,
                            WORKFLOW_APPROVES_ANY_PULL_REQUEST,
                            &evidence,
                        );
                    }
                }
            }
        }
    }
}

/// Events that carry no pull request and no one's input: a workflow run only by them
/// approves pull requests it opened itself from the repository as it is.
const UNATTENDED_EVENTS: &[&str] = &["schedule", "workflow_dispatch"];

/// Evidence that a step approves only what its own workflow opened: the workflow runs only
/// on a schedule or by hand, and the step takes nothing from a dispatch's `inputs`.
fn own_pull_request(document: usize, workflow: &Value, step: &Value) -> Option<Evidence> {
    let events = events(workflow);
    let unattended = !events.is_empty()
        && events
            .iter()
            .all(|e| UNATTENDED_EVENTS.contains(&e.as_str()));
    (unattended && !step.to_string().contains("inputs.")).then(|| {
        Evidence::at(
            document,
            "/on",
            "the workflow runs only on a schedule or by hand, and takes no pull request as \
             input: it approves the pull request it opened itself",
        )
    })
}

fn events(workflow: &Value) -> Vec<String> {
    match workflow.get("on") {
        Some(Value::String(event)) => vec![event.clone()],
        Some(Value::Array(events)) => events
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::Object(events)) => events.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The events a workflow runs on, in words: `` `pull_request_target` ``.
fn trigger(workflow: &Value) -> Option<String> {
    let events = events(workflow);
    (!events.is_empty()).then(|| {
        events
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

fn gate_at(document: usize, pointer: String, authors: &Authors) -> Evidence {
    Evidence::at(
        document,
        pointer,
        format!("approves only the pull requests of {}", authors.describe()),
    )
}

/// The `if:` of a job, or of a job it needs (whose skipping skips it), that limits its runs
/// to bots' pull requests.
fn job_gate(
    document: usize,
    jobs: &Map<String, Value>,
    id: &str,
    depth: usize,
) -> Option<Evidence> {
    let job = jobs.get(id)?;
    let condition = job.get("if").and_then(Value::as_str);
    if let Some(authors) = condition
        .and_then(conditions::authors)
        .filter(Authors::only_bots)
    {
        let pointer = format!("{}/if", child_pointer("/jobs", id));
        return Some(gate_at(document, pointer, &authors));
    }
    if depth > jobs.len() || condition.is_some_and(conditions::runs_regardless) {
        return None;
    }
    needs(job)
        .into_iter()
        .find_map(|needed| job_gate(document, jobs, needed, depth + 1))
}

fn needs(job: &Value) -> Vec<&str> {
    match job.get("needs") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The `if:`s written on the step, its job and the jobs its job needs.
fn conditions_of(
    jobs: &Map<String, Value>,
    job_id: &str,
    job_pointer: &str,
    step_pointer: &str,
    step: &Value,
) -> Vec<String> {
    let mut out = Vec::new();
    if step.get("if").is_some() {
        out.push(format!("{step_pointer}/if"));
    }
    let mut queue = vec![job_id];
    let mut seen: Vec<&str> = Vec::new();
    while let Some(id) = queue.pop() {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let Some(job) = jobs.get(id) else { continue };
        if job.get("if").is_some() {
            let pointer = if id == job_id {
                job_pointer.to_owned()
            } else {
                child_pointer("/jobs", id)
            };
            out.push(format!("{pointer}/if"));
        }
        queue.extend(needs(job));
    }
    out
}

/// What a condition that does not limit the approval to bots does: name people, or nobody.
fn condition_label(condition: Option<&Value>) -> String {
    match condition
        .and_then(Value::as_str)
        .and_then(conditions::authors)
    {
        Some(people) => format!(
            "limits it to {}, not only bots: a person can hold such an account",
            people.describe()
        ),
        None => "this condition does not limit whose pull requests are approved".to_owned(),
    }
}

/// `if: false`: the step never runs.
fn never_runs(condition: Option<&Value>) -> bool {
    match condition {
        Some(Value::Bool(false)) => true,
        Some(Value::String(text)) => {
            let inner = text.trim();
            let inner = inner
                .strip_prefix("${{")
                .and_then(|t| t.strip_suffix("}}"))
                .unwrap_or(inner);
            inner.trim() == "false"
        }
        _ => false,
    }
}

/// The action a step uses, without its `@ref`, in lower case.
fn action(step: &Value) -> Option<String> {
    let uses = step.get("uses")?.as_str()?;
    let name = uses.split('@').next().unwrap_or(uses);
    Some(name.trim().to_ascii_lowercase())
}

fn input<'a>(step: &'a Value, name: &str) -> Option<&'a str> {
    step.get("with")?.get(name)?.as_str()
}

fn gates_on_dependabot(step: &Value) -> bool {
    action(step).as_deref() == Some(FETCH_METADATA)
        && !matches!(
            step.get("continue-on-error"),
            Some(Value::Bool(true) | Value::String(_))
        )
}

/// How a step approves: by an action's inputs (`uses`) or by a command (`run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Action,
    Command,
}

fn approves(step: &Value) -> Option<Via> {
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
enum Token {
    /// `GITHUB_TOKEN` (`secrets.GITHUB_TOKEN`, `github.token`, or an action's default):
    /// limited by the `permissions` the workflow declares.
    Workflow,
    /// A GitHub App's token or a person's: not limited by them.
    Other,
}

fn token(step: &Value, job: &Value, workflow: &Value, via: Via) -> Token {
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
fn may_write_pull_requests(permissions: Option<&Value>) -> bool {
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
