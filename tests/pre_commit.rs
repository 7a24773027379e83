//! The pre-commit hooks (`.pre-commit-hooks.yaml`: `doublecheck`, built with cargo, and
//! `doublecheck-python`, installed from the wheel) run by the real `pre-commit` tool on git
//! repositories built here: a clean one passes, one with a finding fails and names the rule,
//! one with a config mistake (exit code 2) fails too, and `args` naming a folder show its
//! findings from the top of the repository, with the configuration there.
//!
//! pre-commit builds the rust hook with `cargo install` (minutes on two cores) and caches the
//! build by repository and revision in `PRE_COMMIT_HOME`. So the hook repository is a
//! snapshot of this working tree (tests, benchmarks, CI scripts, workflows and markdown left
//! out, so editing them costs no rebuild) committed with a fixed author and date into
//! `$CARGO_TARGET_TMPDIR/pre-commit/hook-repo.git`: the same sources give the same commit,
//! every run after the first reuses the built hook, and any change to the sources (committed
//! or not) is what gets built and tested. Rebuilds after a change compile only doublecheck
//! itself: cargo's target folder is shared between them.
//!
//! Without `pre-commit` on the PATH the test is skipped with a SKIPPED line `cargo test`
//! shows, unless `CI` is set or `DOUBLECHECK_REQUIRE_PRE_COMMIT=1` (both set by `.ci/run`),
//! where it fails.

mod common;

use std::ffi::OsString;
use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use common::pre_commit::{
    fixture_repo, pre_commit, pre_commit_available, settings, snapshot, work_dir,
};

#[test]
fn the_hook_passes_a_clean_repository_and_fails_on_findings_and_errors() {
    if !pre_commit_available() {
        return;
    }
    check_hook("doublecheck");
}

/// The `language: python` hook: pre-commit installs the hook repository's pyproject.toml,
/// whose one dependency, the wheel of the same version, pip takes from the wheel the test
/// builds (`PIP_FIND_LINKS`), as it would from PyPI; nothing is compiled by pre-commit.
#[test]
fn the_python_hook_installs_the_wheel_and_behaves_the_same() {
    if !pre_commit_available() {
        return;
    }
    let Some(wheel) = common::python::wheel("the python pre-commit hook test") else {
        return;
    };
    let wheels = work_dir().join("wheels");
    let _ = fs::remove_dir_all(&wheels);
    fs::create_dir_all(&wheels).expect("the wheel folder");
    fs::copy(&wheel, wheels.join(wheel.file_name().expect("a name"))).expect("the wheel");
    check_hook("doublecheck-python");
    // pre-commit's environment for the hook holds the wheel's executable, not a build.
    // (`PRE_COMMIT_HOME/repoXXXX/py_env-python3.N/bin/doublecheck`.)
    let children = |dir: PathBuf| -> Vec<PathBuf> {
        fs::read_dir(dir)
            .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
            .unwrap_or_default()
    };
    let installed = children(work_dir().join("home"))
        .into_iter()
        .flat_map(children)
        .filter(|env| {
            env.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("py_env-"))
        })
        .any(|env| env.join("bin/doublecheck").is_file());
    assert!(installed, "no py_env holding doublecheck");
}

/// Runs the hook `hook_id` of this working tree's snapshot on fixture repositories: a clean
/// one passes, one with a finding and one with a config mistake fail, and folders in `args`
/// keep the top's configuration.
fn check_hook(hook_id: &str) {
    // One hook at a time: both tests write the same snapshot repository.
    static SERIAL: Mutex<()> = Mutex::new(());
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let hook_repo = work_dir().join("hook-repo.git");
    fs::create_dir_all(work_dir()).expect("the work folder");
    let rev = snapshot(&hook_repo);
    let hook = (hook_repo.as_path(), rev.as_str(), hook_id);
    let temp = tempfile::tempdir().expect("a temporary folder");
    let clean_settings = settings(1);
    let bad_settings = settings(0);

    // The first run builds the hook (or reuses the build for these sources).
    let clean = temp.path().join("clean");
    fixture_repo(
        &clean,
        hook,
        &[],
        &[(".github/settings.yml", &clean_settings)],
    );
    let run = pre_commit(&clean, &["run", "--all-files", "--color", "never"]);
    assert_eq!(run.code, 0, "the clean repository passes:\n{}", run.output);
    assert!(
        run.output.contains("doublecheck") && run.output.contains("Passed"),
        "{}",
        run.output
    );

    // `required_approving_review_count: 0`: GH-REVIEW-001 at the value, exit code 1.
    let bad = temp.path().join("bad");
    fixture_repo(&bad, hook, &[], &[(".github/settings.yml", &bad_settings)]);
    let run = pre_commit(&bad, &["run", "--all-files", "--color", "never"]);
    assert_eq!(run.code, 1, "the bad repository fails:\n{}", run.output);
    for wanted in [
        "Failed",
        &format!("- hook id: {hook_id}"),
        "- exit code: 1",
        "error[GH-REVIEW-001]",
        "--> .github/settings.yml:7:42",
    ] {
        assert!(
            run.output.contains(wanted),
            "no {wanted:?} in:\n{}",
            run.output
        );
    }

    // A config mistake is exit code 2, which fails the hook too.
    let broken = temp.path().join("broken-config");
    fixture_repo(
        &broken,
        hook,
        &[],
        &[
            (".github/settings.yml", &clean_settings),
            (".doublecheck.yml", "fail-on: nonsense\n"),
        ],
    );
    let run = pre_commit(&broken, &["run", "--all-files", "--color", "never"]);
    assert_eq!(run.code, 1, "a config mistake fails:\n{}", run.output);
    for wanted in [
        "Failed",
        "- exit code: 2",
        "`fail-on` must be `error`, `warning` or `note`",
    ] {
        assert!(
            run.output.contains(wanted),
            "no {wanted:?} in:\n{}",
            run.output
        );
    }

    // Folders in `args` are shown from the top of the repository, whose configuration
    // applies: here it makes GH-REVIEW-001 a warning, which `--fail-on warning` fails on.
    let narrowed = temp.path().join("narrowed");
    fixture_repo(
        &narrowed,
        hook,
        &["--fail-on", "warning", ".github"],
        &[
            (".github/settings.yml", &bad_settings),
            (
                ".doublecheck.yml",
                "rules:\n  severity:\n    GH-REVIEW-001: warning\n",
            ),
        ],
    );
    let run = pre_commit(&narrowed, &["run", "--all-files", "--color", "never"]);
    assert_eq!(run.code, 1, "the folder's finding fails:\n{}", run.output);
    for wanted in [
        "- exit code: 1",
        "warning[GH-REVIEW-001]",
        "--> .github/settings.yml:7:42",
    ] {
        assert!(
            run.output.contains(wanted),
            "no {wanted:?} in:\n{}",
            run.output
        );
    }

    // Drop the builds of earlier sources (their fixture repositories are gone); this run's
    // stays for the next.
    pre_commit(&clean, &["gc"]);
}

/// Without pre-commit the hook test is skipped where `cargo test` shows it (a SKIPPED line
/// past the harness's capture), and fails under CI: this runs the test binary itself with
/// an empty PATH.
#[test]
fn a_missing_pre_commit_is_a_visible_skip_or_a_failure_under_ci() {
    let empty = tempfile::tempdir().expect("a temporary folder");
    let hook_test = |ci: bool| {
        let mut cmd = Command::new(std::env::current_exe().expect("the test binary"));
        cmd.args([
            "--exact",
            "the_hook_passes_a_clean_repository_and_fails_on_findings_and_errors",
        ])
        .env("PATH", empty.path())
        .env_remove("CI")
        .env_remove("DOUBLECHECK_REQUIRE_PRE_COMMIT");
        if ci {
            cmd.env("CI", "true");
        }
        let output = cmd.output().expect("the test binary runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    };
    let (passed, text) = hook_test(false);
    assert!(passed, "{text}");
    assert!(
        text.contains(
            "SKIPPED the pre-commit hook test: `pre-commit` cannot be run (No such file or \
             directory (os error 2)); install it (`pip install pre-commit`) and put it on the \
             PATH (CI or DOUBLECHECK_REQUIRE_PRE_COMMIT=1 makes this a failure)\n"
        ),
        "{text}"
    );
    let (passed, text) = hook_test(true);
    assert!(!passed, "{text}");
    assert!(
        text.contains("(CI or DOUBLECHECK_REQUIRE_PRE_COMMIT=1 requires it)"),
        "{text}"
    );
}

#[test]
fn ci_or_the_variable_requires_every_test_to_run() {
    let with = |set: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            set.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    };
    let required = |set| common::required("DOUBLECHECK_REQUIRE_X", with(set));
    assert!(!required(&[]));
    assert!(required(&[("CI", "true")]));
    assert!(required(&[("DOUBLECHECK_REQUIRE_X", "1")]));
    assert!(!required(&[
        ("CI", "false"),
        ("DOUBLECHECK_REQUIRE_X", "0")
    ]));
    assert!(!required(&[("CI", "")]));
}
