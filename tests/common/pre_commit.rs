//! What `tests/pre_commit.rs` runs the real pre-commit with: a snapshot of this working tree
//! as the hook repository, fixture repositories that use it, and pre-commit isolated from
//! the caller's git and GitHub set-up (see that file for why and how).

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// `.github/settings.yml` requiring `count` approving reviews on `main`; with 1 it breaks
/// no built-in policy.
pub fn settings(count: u32) -> String {
    format!(
        "repository:
  name: site
branches:
  - name: main
    protection:
      required_pull_request_reviews:
        required_approving_review_count: {count}
        dismiss_stale_reviews: true
        require_last_push_approval: true
      enforce_admins: true
"
    )
}

/// Where the snapshot repository, `PRE_COMMIT_HOME` and cargo's target folder for the hook
/// build live: inside the target folder, so they survive between runs and `cargo clean`
/// removes them.
pub fn work_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pre-commit")
}

/// A command isolated from the caller's git set-up: no global or system git config (a
/// signing key, hooks path or template), no `GIT_DIR` and friends from an enclosing git
/// hook, no GitHub runner variables (the hook would switch to `--format github`), no
/// `SKIP` (pre-commit would skip the hook).
pub fn isolated(program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1");
    for variable in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_PREFIX",
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
        "SKIP",
        "PRE_COMMIT_ALLOW_NO_CONFIG",
    ] {
        cmd.env_remove(variable);
    }
    cmd
}

/// Runs `cmd`, panicking with its output unless it succeeds; returns its standard output.
pub fn check(cmd: &mut Command) -> String {
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        output.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Commits this working tree as it is (tracked and untracked files, honouring .gitignore;
/// without `tests/`, `bench/`, `.ci/`, `.github/` and markdown, which the hooks do not need)
/// as the root commit of `main` in the bare repository `git_dir`, with a fixed author, committer and
/// date, and returns the commit's id. The caller's own repository and index are not touched.
pub fn snapshot(git_dir: &Path) -> String {
    if !git_dir.join("HEAD").exists() {
        check(
            isolated("git")
                .args(["init", "--quiet", "--bare"])
                .arg(git_dir),
        );
    }
    let index = tempfile::tempdir().expect("a temporary folder");
    let git = || {
        let mut cmd = isolated("git");
        cmd.arg("--git-dir")
            .arg(git_dir)
            .arg("--work-tree")
            .arg(super::repo())
            .current_dir(super::repo())
            .env("GIT_INDEX_FILE", index.path().join("index"));
        for (role, value) in [("NAME", "doublecheck tests"), ("EMAIL", "tests@invalid")] {
            cmd.env(format!("GIT_AUTHOR_{role}"), value)
                .env(format!("GIT_COMMITTER_{role}"), value);
        }
        cmd.env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z");
        cmd
    };
    check(git().args([
        "add",
        "--all",
        "--",
        ".",
        ":(exclude)tests",
        ":(exclude)bench",
        ":(exclude).ci",
        ":(exclude).github",
        ":(exclude,glob)**/*.md",
    ]));
    let tree = check(git().arg("write-tree"));
    let commit = check(git().args([
        "commit-tree",
        &tree,
        "-m",
        "doublecheck sources for the pre-commit test",
    ]));
    check(git().args(["update-ref", "refs/heads/main", &commit]));
    commit
}

/// A git repository at `dir` holding `files` and a `.pre-commit-config.yaml` that uses the
/// hook from `hook_repo` at `rev` with `args`, all committed.
pub fn fixture_repo(
    dir: &Path,
    (hook_repo, rev, hook_id): (&Path, &str, &str),
    args: &[&str],
    files: &[(&str, &str)],
) {
    // A JSON string is a YAML double-quoted scalar, a JSON array a YAML flow sequence: any
    // path is written safely.
    let repo_path = serde_json::to_string(&hook_repo.to_string_lossy()).expect("a string");
    let args = serde_json::to_string(args).expect("a list");
    let config = format!(
        "repos:\n  - repo: {repo_path}\n    rev: {rev}\n    hooks:\n      - id: {hook_id}\n        args: {args}\n"
    );
    let mut all = vec![(".pre-commit-config.yaml", config.as_str())];
    all.extend_from_slice(files);
    for (path, content) in all {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        fs::write(path, content).expect("a file");
    }
    let git = |args: &[&str]| check(isolated("git").current_dir(dir).args(args));
    git(&["-c", "init.defaultBranch=main", "init", "--quiet"]);
    git(&["config", "user.name", "doublecheck tests"]);
    git(&["config", "user.email", "tests@invalid"]);
    git(&["config", "commit.gpgsign", "false"]);
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "--no-verify", "-m", "fixture"]);
}

/// What `pre-commit run --all-files` printed (stdout and stderr) and returned.
pub struct Run {
    pub code: i32,
    pub output: String,
}

pub fn pre_commit(dir: &Path, args: &[&str]) -> Run {
    let work = work_dir();
    let mut cmd = isolated("pre-commit");
    cmd.current_dir(dir)
        .args(args)
        // The python hook's package depends on the `doublecheck-cli` wheel, which pip takes
        // from here (built by the test) as it would from PyPI.
        .env("PIP_FIND_LINKS", work.join("wheels"))
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PRE_COMMIT_HOME", work.join("home"))
        // `cargo install --path .` builds here rather than in each clone's own `target/`.
        .env("CARGO_TARGET_DIR", work.join("cargo-target"));
    // Build with the toolchain running these tests: pre-commit uses the `cargo` on the PATH
    // (it would download rustup without one).
    if let Some(bin) = std::env::var_os("CARGO")
        .map(PathBuf::from)
        .and_then(|cargo| cargo.parent().map(Path::to_path_buf))
    {
        let mut path = vec![bin];
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        cmd.env(
            "PATH",
            std::env::join_paths(path).unwrap_or_else(|_| OsString::from("")),
        );
    }
    let started = Instant::now();
    let output = cmd.output().expect("pre-commit runs");
    let run = Run {
        code: output.status.code().expect("pre-commit exits with a code"),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    };
    eprintln!(
        "pre-commit {} in {}: exit {} after {:.1} s\n{}",
        args.join(" "),
        dir.display(),
        run.code,
        started.elapsed().as_secs_f64(),
        run.output
    );
    run
}

/// Whether `pre-commit` can be run; when it cannot, the test is skipped, visibly, or fails
/// under CI or with `DOUBLECHECK_REQUIRE_PRE_COMMIT=1` (see [`super::can_run`]).
pub fn pre_commit_available() -> bool {
    let problem = match Command::new("pre-commit").arg("--version").output() {
        Ok(output) if output.status.success() => {
            eprintln!("using {}", String::from_utf8_lossy(&output.stdout).trim());
            None
        }
        Ok(output) => Some(format!("`pre-commit --version` failed ({})", output.status)),
        Err(e) => Some(format!("`pre-commit` cannot be run ({e})")),
    };
    super::can_run(
        "the pre-commit hook test",
        "DOUBLECHECK_REQUIRE_PRE_COMMIT",
        problem,
        "install it (`pip install pre-commit`) and put it on the PATH",
    )
}
