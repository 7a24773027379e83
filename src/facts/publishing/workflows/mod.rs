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

mod steps;

use serde_json::{Map, Value};

use super::super::{FactIndex, Given};
use super::conditions::{self, Authors};
use super::{WORKFLOW_APPROVES_ANY_PULL_REQUEST, WORKFLOW_APPROVES_BOT_PULL_REQUESTS};
use crate::detect::kinds;
use crate::document::{Evidence, child_pointer};
use steps::{Token, approves, gates_on_dependabot, may_write_pull_requests, token};

pub(super) fn provide(given: &Given, index: &mut FactIndex) {
    // Workflows are never read first: the look starts after those.
    for (i, doc) in given.after_first() {
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
