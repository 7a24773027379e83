//! Shared helpers of the end-to-end tests: where things are, how to run the binary, and how
//! to read its JSON report.
//!
//! Every test file compiles this module on its own and uses a part of it.
#![allow(dead_code)]

pub mod hand_built;
pub mod http;
pub mod pre_commit;
pub mod python;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`, absolute.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// `../shared/<rel>`: the shared corpus and schemas, used in place. A test fails naming the
/// path it looked for when it is not there.
pub fn shared(rel: &str) -> PathBuf {
    present(repo().join("../shared").join(rel))
}

/// `../shared/corpus/<rel>`.
pub fn corpus(rel: &str) -> PathBuf {
    present(repo().join("../shared/corpus").join(rel))
}

fn present(path: PathBuf) -> PathBuf {
    assert!(
        path.exists(),
        "{} does not exist: the tests read the shared corpus and schemas in place from \
         ../shared, beside this repository (see the README's Quick start)",
        path.display()
    );
    path
}

/// Whether a test can run, given what it needs from outside the repository (a tool on the
/// PATH): `problem` is what is missing, `how` how to get it. A test that cannot run fails
/// under CI (`CI` set) or with `DOUBLECHECK_REQUIRE_<NAME>=1` (`require` names the
/// variable); anywhere else it is skipped with a `SKIPPED` line written straight to
/// standard error, past the test harness's capture, so `cargo test` shows it.
pub fn can_run(test: &str, require: &str, problem: Option<String>, how: &str) -> bool {
    let Some(why) = problem else {
        return true;
    };
    assert!(
        !required(require, |name| std::env::var_os(name)),
        "{test}: {why}; {how} (CI or {require}=1 requires it)"
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {why}; {how} (CI or {require}=1 makes this a failure)"
    );
    false
}

/// Whether `CI` or the variable `require` asks for every test to run (set, not empty, not
/// `0` or `false`).
pub fn required(require: &str, var: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    let on = |name: &str| var(name).is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
    on("CI") || on(require)
}

/// The binary, run from the repository root without colour.
///
/// A fixture tree stands for a repository of its own, as a user's tree would be: the search
/// for the git work tree holding the scanned paths (their root) stops below `tests/`
/// (`GIT_CEILING_DIRECTORIES`, which git honours too), so a scanned fixture folder is its
/// own root rather than a folder of doublecheck's repository. Tests of root discovery build
/// git repositories in temporary folders.
pub fn doublecheck() -> Command {
    let mut cmd = Command::cargo_bin("doublecheck").expect("the doublecheck binary is built");
    cmd.current_dir(repo())
        .env("NO_COLOR", "1")
        .env("GIT_CEILING_DIRECTORIES", repo().join("tests"));
    // A test run inside GitHub Actions must not switch to `--format github` or write to the
    // runner's files; tests that want them set these themselves.
    for variable in ["GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"] {
        cmd.env_remove(variable);
    }
    cmd
}

/// What one run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The standard output parsed as JSON (for `--format json` and `--format sarif`).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs the binary with `args` (from the repository root) and collects its output.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = doublecheck().args(args).output().expect("doublecheck runs");
    Run {
        code: output.status.code().expect("doublecheck exits with a code"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// `doublecheck scan PATH --format json EXTRA...`.
pub fn scan_json(path: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<std::ffi::OsString> = vec!["scan".into(), path.into()];
    args.extend(["--format", "json"].iter().map(Into::into));
    args.extend(extra.iter().map(Into::into));
    run(args)
}

/// A finding reduced to what the tests compare: rule, path, start line, start column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Spot {
    pub rule: String,
    pub path: String,
    pub line: u64,
    pub column: u64,
}

/// Shorthand for an expected [`Spot`].
pub fn spot(rule: &str, path: &str, line: u64, column: u64) -> Spot {
    Spot {
        rule: rule.to_owned(),
        path: path.to_owned(),
        line,
        column,
    }
}

/// Every finding of a JSON report, in report order.
pub fn spots(report: &Value) -> Vec<Spot> {
    findings(report)
        .iter()
        .map(|f| {
            let location = &f["location"];
            Spot {
                rule: f["rule"].as_str().expect("rule is a string").to_owned(),
                path: location["path"]
                    .as_str()
                    .expect("path is a string")
                    .to_owned(),
                line: location["start"]["line"]
                    .as_u64()
                    .expect("line is a number"),
                column: location["start"]["column"]
                    .as_u64()
                    .expect("column is a number"),
            }
        })
        .collect()
}

/// The `findings` array of a JSON report.
pub fn findings(report: &Value) -> &Vec<Value> {
    report["findings"]
        .as_array()
        .expect("the report has a findings array")
}

/// The `summary` counter `name` of a JSON report.
pub fn summary(report: &Value, name: &str) -> u64 {
    report["summary"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.{name} is a number in {report}"))
}

/// Copies a fixture tree into a fresh temporary folder (for trees a commit cannot hold:
/// `.git/`, ignored files, symbolic links, permissions).
pub fn temp_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_tree(&fixture(name), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder in the copy");
    for entry in std::fs::read_dir(from).expect("list a fixture folder") {
        let entry = entry.expect("read a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("fixture entry type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// (path, line, column, message) of each related location of a finding.
pub fn related_spots(finding: &Value) -> Vec<(String, u64, u64, String)> {
    finding["related"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|r| {
                    let location = &r["location"];
                    (
                        location["path"].as_str().unwrap_or_default().to_owned(),
                        location["start"]["line"].as_u64().unwrap_or_default(),
                        location["start"]["column"].as_u64().unwrap_or_default(),
                        r["message"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// (line, message) of each related location of a finding in `path`.
pub fn related_lines(finding: &Value, path: &str) -> Vec<(u64, String)> {
    related_spots(finding)
        .into_iter()
        .filter(|(p, ..)| p == path)
        .map(|(_, line, _, message)| (line, message))
        .collect()
}

/// An expected related location, as [`related_spots`] returns it.
pub fn at(path: &str, line: u64, column: u64, message: &str) -> (String, u64, u64, String) {
    (path.to_owned(), line, column, message.to_owned())
}

/// Runs `git ARGS` in `dir`, isolated from the caller's git configuration; returns its
/// standard output.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=doublecheck tests"])
        .args(["-c", "user.email=tests@doublecheck.invalid"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("git prints UTF-8")
}

/// A fixture tree copied into a temporary folder made a git work tree, its files committed
/// on `main`.
pub fn git_copy(name: &str) -> tempfile::TempDir {
    let dir = temp_copy(name);
    git(dir.path(), &["init", "--quiet"]);
    git(dir.path(), &["add", "--all"]);
    git(dir.path(), &["commit", "--quiet", "--message", "base"]);
    dir
}

/// Runs the binary with `args` in `cwd` and collects its output.
pub fn run_in<I, S>(cwd: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = doublecheck()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("doublecheck runs");
    Run {
        code: output.status.code().expect("doublecheck exits with a code"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}
