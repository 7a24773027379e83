//! The GitHub Action run the way a runner runs it: its three steps' scripts in order, with
//! the environment variables `action.yml` maps, `GITHUB_OUTPUT`, `GITHUB_PATH` and
//! `GITHUB_STEP_SUMMARY` as files, on a git repository with a pull request's history. The
//! prebuilt-binary path of the install step is used (the test binary stands in for a release
//! asset), so no build happens here.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::git;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A clean environment with only what a runner sets.
fn runner(script: &Path, cwd: &Path, env: &[(&str, String)]) -> std::process::Output {
    let mut command = Command::new("bash");
    command.arg(script).current_dir(cwd).env_clear();
    command.env("PATH", std::env::var("PATH").unwrap_or_default());
    command.env("HOME", std::env::var("HOME").unwrap_or_default());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("bash runs")
}

/// `key=value` lines of a GITHUB_OUTPUT file.
fn outputs(path: &Path) -> BTreeMap<String, String> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn uname(flag: &str) -> String {
    let out = Command::new("uname").arg(flag).output().expect("uname");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The action as a runner downloads it, with a prebuilt binary for this platform.
fn action_copy(dir: &Path) -> PathBuf {
    let action = dir.join("action-src");
    fs::create_dir_all(action.join("action")).expect("action folder");
    fs::create_dir_all(action.join("dist")).expect("dist folder");
    fs::copy(
        Path::new(REPO).join("action.yml"),
        action.join("action.yml"),
    )
    .expect("action.yml");
    for script in fs::read_dir(Path::new(REPO).join("action")).expect("action/") {
        let script = script.expect("a script").path();
        let name = script.file_name().expect("a file name");
        fs::copy(&script, action.join("action").join(name)).expect("script");
    }
    let binary = action
        .join("dist")
        .join(format!("doublecheck-{}-{}", uname("-s"), uname("-m")));
    fs::copy(env!("CARGO_BIN_EXE_doublecheck"), &binary).expect("binary");
    action
}

const SETTINGS_BASE: &str = "\
branches:
  - name: main
    protection:
      required_pull_request_reviews:
        required_approving_review_count: 1
        dismiss_stale_reviews: true
      enforce_admins: true
environments:
  - name: production
    prevent_self_review: true
    reviewers:
      - type: Team
        id: 1234647
  - name: docs
    wait_timer: 5
    reviewers:
      - type: Team
        id: 1234647
      - type: User
        id: 7
";

/// A repository on `main` with one finding (`docs` lets its reviewer approve themselves),
/// cloned so that `origin/main` exists, and a pull request branch that removes the
/// protective `prevent_self_review: true` from production.
fn pull_request_workspace(dir: &Path) -> PathBuf {
    let upstream = dir.join("upstream");
    fs::create_dir_all(upstream.join(".github")).expect("upstream");
    fs::write(upstream.join(".github/settings.yml"), SETTINGS_BASE).expect("settings");
    git(&upstream, &["init", "-q"]);
    git(&upstream, &["add", "-A"]);
    git(&upstream, &["commit", "-q", "-m", "base"]);
    let workspace = dir.join("workspace");
    git(
        dir,
        &[
            "clone",
            "-q",
            upstream.to_str().expect("utf-8"),
            "workspace",
        ],
    );
    git(&workspace, &["checkout", "-q", "-b", "feature"]);
    let head = SETTINGS_BASE.replace("    prevent_self_review: true\n", "");
    fs::write(workspace.join(".github/settings.yml"), head).expect("head settings");
    git(
        &workspace,
        &["commit", "-q", "-am", "drop self-review protection"],
    );
    workspace
}

struct Runner {
    _dir: tempfile::TempDir,
    action: PathBuf,
    workspace: PathBuf,
    temp: PathBuf,
    output: PathBuf,
    summary: PathBuf,
    path_file: PathBuf,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().expect("temp dir");
        let action = action_copy(dir.path());
        let workspace = pull_request_workspace(dir.path());
        let temp = dir.path().join("runner-temp");
        fs::create_dir_all(&temp).expect("runner temp");
        Runner {
            output: dir.path().join("github_output"),
            summary: dir.path().join("step_summary.md"),
            path_file: dir.path().join("github_path"),
            action,
            workspace,
            temp,
            _dir: dir,
        }
    }

    fn base_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("GITHUB_ACTIONS", "true".into()),
            ("GITHUB_ACTION_PATH", self.action.display().to_string()),
            ("GITHUB_OUTPUT", self.output.display().to_string()),
            ("GITHUB_PATH", self.path_file.display().to_string()),
            ("GITHUB_STEP_SUMMARY", self.summary.display().to_string()),
            ("GITHUB_WORKSPACE", self.workspace.display().to_string()),
            ("RUNNER_TEMP", self.temp.display().to_string()),
            ("GITHUB_SERVER_URL", "https://github.com".into()),
            ("GITHUB_REPOSITORY", "city/site".into()),
            ("GITHUB_SHA", "0123abcd".into()),
        ]
    }

    /// Runs locate → install → scan as the composite action does, feeding each step the
    /// outputs of the ones before; returns the scan step.
    fn run(&self, event: &str, inputs: &[(&'static str, &str)]) -> std::process::Output {
        let script = |name: &str| self.action.join("action").join(name);
        let locate = runner(&script("locate.sh"), &self.workspace, &self.base_env());
        assert!(locate.status.success(), "{locate:?}");
        let located = outputs(&self.output);
        assert_eq!(located["source"], "prebuilt");
        let mut env = self.base_env();
        env.push(("DOUBLECHECK_SOURCE", located["source"].clone()));
        env.push(("DOUBLECHECK_DIR", located["dir"].clone()));
        let install = runner(&script("install.sh"), &self.workspace, &env);
        assert!(install.status.success(), "{install:?}");
        let bin = fs::read_to_string(&self.path_file).expect("GITHUB_PATH written");
        let bin = bin.lines().last().expect("a folder").to_owned();
        assert!(Path::new(&bin).join("doublecheck").is_file());
        fs::write(&self.output, "").expect("reset outputs");

        let mut env = self.base_env();
        env.push((
            "PATH",
            format!("{bin}:{}", std::env::var("PATH").unwrap_or_default()),
        ));
        env.push(("GITHUB_EVENT_NAME", event.to_owned()));
        if event == "pull_request" {
            env.push(("GITHUB_BASE_REF", "main".into()));
        }
        // The action's defaults, then the test's inputs.
        let defaults = [
            ("INPUT_PATHS", "."),
            ("INPUT_FORMAT", "github"),
            ("INPUT_SARIF_FILE", "doublecheck.sarif"),
            ("INPUT_PR_ONLY", "auto"),
        ];
        for (key, value) in defaults.iter().chain(inputs) {
            env.retain(|(k, _)| k != key);
            env.push((key, (*value).to_owned()));
        }
        runner(&script("run.sh"), &self.workspace, &env)
    }
}

#[test]
fn action_yml_maps_every_input_to_a_step() {
    let action = fs::read_to_string(Path::new(REPO).join("action.yml")).expect("action.yml");
    let script = |name: &str| {
        fs::read_to_string(Path::new(REPO).join("action").join(name)).expect("a script")
    };
    let (run, locate) = (script("run.sh"), script("locate.sh"));
    assert!(
        locate.contains("INPUT_VERSION"),
        "locate.sh reads INPUT_VERSION"
    );
    for input in [
        "paths",
        "config",
        "policies",
        "fail-on",
        "format",
        "sarif-file",
        "pr-only",
        "baseline",
    ] {
        let variable = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
        assert!(
            action.contains(&format!("{variable}: ${{{{ inputs.{input} }}}}")),
            "action.yml passes {input} as {variable}"
        );
        assert!(run.contains(&variable), "run.sh reads {variable}");
    }
    assert!(action.contains("INPUT_VERSION: ${{ inputs.version }}"));
    for output in ["new", "existing", "fixed", "suppressed", "sarif-file"] {
        assert!(
            action.contains(&format!("${{{{ steps.scan.outputs.{output} }}}}")),
            "action.yml exposes {output}"
        );
    }
    // Inputs never appear inside a script, where a value could become shell code.
    for line in action
        .lines()
        .filter(|l| l.trim_start().starts_with("run:"))
    {
        assert!(!line.contains("${{"), "no expression in `{line}`");
    }
}

#[test]
fn a_pull_request_is_annotated_with_what_it_introduces() {
    let runner = Runner::new();
    let scan = runner.run("pull_request", &[]);
    let stdout = String::from_utf8_lossy(&scan.stdout);
    assert_eq!(scan.status.code(), Some(1), "{stdout}\n{scan:?}");
    assert!(
        stdout.contains("doublecheck scan . --format github --sarif-file doublecheck.sarif --diff-base origin/main"),
        "{stdout}"
    );
    // Exactly one annotation: the removed `prevent_self_review: true` makes production's
    // entry fail, reported at the entry though no added line carries it. The `docs`
    // finding is not new, so it is not annotated.
    let annotations: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(annotations.len(), 1, "{stdout}");
    assert!(
        annotations[0].starts_with("::error file=.github/settings.yml,line=9,col=5,"),
        "{}",
        annotations[0]
    );
    assert!(
        annotations[0].contains("title=GH-ENV-001"),
        "{}",
        annotations[0]
    );

    let outputs = outputs(&runner.output);
    assert_eq!(outputs["new"], "1");
    assert_eq!(outputs["existing"], "1");
    assert_eq!(outputs["fixed"], "0");
    assert_eq!(outputs["sarif-file"], "doublecheck.sarif");

    let summary = fs::read_to_string(&runner.summary).expect("step summary written");
    assert!(summary.contains("### New (1)"), "{summary}");
    assert!(summary.contains("### Existing (1)"), "{summary}");
    assert!(
        summary.contains("https://github.com/city/site/blob/0123abcd/.github/settings.yml#L9"),
        "{summary}"
    );
    let sarif = fs::read_to_string(runner.workspace.join("doublecheck.sarif")).expect("SARIF");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn a_push_reports_every_finding_and_a_bad_input_stops_the_step() {
    let runner = Runner::new();
    let scan = runner.run("push", &[("INPUT_FAIL_ON", "warning")]);
    let stdout = String::from_utf8_lossy(&scan.stdout);
    assert_eq!(scan.status.code(), Some(1), "{stdout}");
    assert!(!stdout.contains("--diff-base"), "{stdout}");
    assert!(stdout.contains("--fail-on warning"), "{stdout}");
    let outputs = outputs(&runner.output);
    assert_eq!(outputs["new"], "2", "no base: every finding is new");
    assert_eq!(outputs["existing"], "0");

    let bad = runner.run("push", &[("INPUT_PR_ONLY", "sometimes")]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("pr-only must be auto, true or false"));
}

/// `doublecheck ARGS` run in `dir`, as a user prepares a repository.
fn doublecheck(dir: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_doublecheck"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("doublecheck runs");
    assert!(output.status.success(), "doublecheck {args:?}: {output:?}");
}

fn annotations(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| l.starts_with("::error ") || l.starts_with("::warning "))
        .collect()
}

#[test]
fn a_baseline_applies_to_a_pull_request_beside_its_base_branch() {
    let runner = Runner::new();
    // A baseline written on the base branch: it accepts the `docs` environment's finding.
    let baseline = runner.workspace.join(".doublecheck-baseline.json");
    let upstream = runner.workspace.with_file_name("upstream");
    let output = baseline.to_str().expect("UTF-8");
    doublecheck(&upstream, &["baseline", "create", "--output", output]);
    let inputs = [("INPUT_BASELINE", ".doublecheck-baseline.json")];
    let scan = runner.run("pull_request", &inputs);
    let stdout = String::from_utf8_lossy(&scan.stdout);
    assert_eq!(scan.status.code(), Some(1), "{stdout}\n{scan:?}");
    assert!(
        stdout.contains("--baseline .doublecheck-baseline.json --diff-base origin/main"),
        "{stdout}"
    );
    // What the pull request introduces is annotated, as without a baseline.
    let found = annotations(&stdout);
    assert_eq!(found.len(), 1, "{stdout}");
    assert!(
        found[0].starts_with("::error file=.github/settings.yml,line=9,col=5,"),
        "{}",
        found[0]
    );
    let step = outputs(&runner.output);
    assert_eq!(
        (&step["new"][..], &step["existing"][..], &step["fixed"][..]),
        ("1", "1", "0")
    );

    // A baseline that accepts the pull request's finding as well (the change to it is part
    // of the pull request, for reviewers to see): nothing is new, the step passes.
    doublecheck(&runner.workspace, &["baseline", "create"]);
    let scan = runner.run("pull_request", &inputs);
    let stdout = String::from_utf8_lossy(&scan.stdout);
    assert_eq!(scan.status.code(), Some(0), "{stdout}\n{scan:?}");
    assert!(annotations(&stdout).is_empty(), "{stdout}");
    let step = outputs(&runner.output);
    assert_eq!((&step["new"][..], &step["existing"][..]), ("0", "2"));
}

#[test]
fn the_paths_input_is_annotated_from_the_top_of_the_repository() {
    let runner = Runner::new();
    // The configuration at the top applies to a scan of `.github/` too.
    fs::write(
        runner.workspace.join(".doublecheck.yml"),
        "rules:\n  severity:\n    GH-ENV-001: warning\n",
    )
    .expect("config");
    let scan = runner.run("push", &[("INPUT_PATHS", ".github")]);
    let stdout = String::from_utf8_lossy(&scan.stdout);
    assert_eq!(scan.status.code(), Some(0), "{stdout}\n{scan:?}");
    let found = annotations(&stdout);
    assert_eq!(found.len(), 2, "{stdout}");
    for annotation in &found {
        assert!(
            annotation.starts_with("::warning file=.github/settings.yml,"),
            "{annotation}"
        );
    }
    let sarif = fs::read_to_string(runner.workspace.join("doublecheck.sarif")).expect("SARIF");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, ".github/settings.yml");
}
