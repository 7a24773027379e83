//! The root of a scan: however the scanned paths are named (a subfolder, several folders, an
//! absolute path, from inside a subfolder), every output shows paths from the top of the git
//! work tree, and the configuration there applies: its disabled rules, its `exclude` and
//! `allow-unchecked` globs, its baseline. `--root` and `--config` win. Run on
//! `tests/fixtures/repository` (see its README) copied into a git work tree.

mod common;

use std::path::{Path, PathBuf};

use common::{Run, Spot, git, git_copy, run_in, spot, spots, temp_copy};
use serde_json::Value;

/// What a scan of `k8s/` finds, shown from the top of the repository: `.doublecheck.yml`
/// disables K8S-POD-002 (`hostNetwork` in pod.yaml), excludes `k8s/legacy/`, and lets
/// `k8s/broken.yaml` stay unchecked (a note); agent.yaml's finding is suppressed inline.
fn k8s_from_the_top() -> Vec<Spot> {
    vec![
        spot("K8S-POD-001", "k8s/agent.yaml", 10, 21),
        spot("DC-PARSE", "k8s/broken.yaml", 3, 1),
        spot("K8S-POD-001", "k8s/pod.yaml", 11, 21),
    ]
}

fn tf_from_the_top() -> Vec<Spot> {
    // `cidr_blocks = [var.admin_cidr]` in main.tf: reported where the value is set.
    vec![spot("TF-PUBLIC-006", "tf/variables.tf", 3, 13)]
}

/// `scan ARGS --format json` in `cwd`.
fn scan_json(cwd: &Path, args: &[&str]) -> Run {
    let mut all = vec!["scan"];
    all.extend(args);
    all.extend(["--format", "json"]);
    run_in(cwd, all)
}

/// The exit code and the findings' spots of `scan ARGS --format json` in `cwd`.
fn spots_in(cwd: &Path, args: &[&str]) -> (i32, Vec<Spot>) {
    let run = scan_json(cwd, args);
    (run.code, spots(&run.json()))
}

/// The top of a temporary copy, as the system names it.
fn top(dir: &tempfile::TempDir) -> PathBuf {
    std::fs::canonicalize(dir.path()).expect("the copy exists")
}

#[test]
fn a_subfolder_is_annotated_from_the_top_of_the_repository_with_its_configuration() {
    let dir = git_copy("repository");
    let run = run_in(dir.path(), ["scan", "k8s", "--format", "github"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let annotations: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error ") || l.starts_with("::notice "))
        .collect();
    assert_eq!(annotations.len(), 2, "{}", run.stdout);
    assert!(
        annotations[0].starts_with("::error file=k8s/pod.yaml,line=11,col=21,"),
        "{}",
        annotations[0]
    );
    assert!(
        annotations[1].starts_with("::notice file=k8s/broken.yaml,line=3,col=1,"),
        "{}",
        annotations[1]
    );
    // K8S-POD-002 is disabled by the configuration at the top; k8s/legacy/ is excluded.
    assert!(!run.stdout.contains("K8S-POD-002"), "{}", run.stdout);
    assert!(!run.stdout.contains("legacy"), "{}", run.stdout);
}

#[test]
fn every_way_of_naming_the_scanned_paths_shows_them_from_the_top() {
    let dir = git_copy("repository");
    let top = top(&dir);
    let k8s = top.join("k8s");
    let absolute = k8s.to_str().expect("UTF-8");
    for (cwd, arg) in [
        (top.as_path(), "k8s"),
        (top.as_path(), "./k8s/../k8s/"),
        (k8s.as_path(), "."),
        (Path::new("/"), absolute),
    ] {
        assert_eq!(
            spots_in(cwd, &[arg]),
            (1, k8s_from_the_top()),
            "`scan {arg}` in {}",
            cwd.display()
        );
    }
    // Two folders, from a third.
    let mut both = k8s_from_the_top();
    both.extend(tf_from_the_top());
    assert_eq!(spots_in(&top.join("tf"), &["../k8s", "."]), (1, both));
    // A file by its absolute path.
    let pod = top.join("k8s/pod.yaml");
    assert_eq!(
        spots_in(Path::new("/"), &[pod.to_str().expect("UTF-8")]),
        (1, vec![spot("K8S-POD-001", "k8s/pod.yaml", 11, 21)])
    );
}

#[test]
fn root_and_config_options_win_over_the_top_of_the_repository() {
    let dir = git_copy("repository");
    let top = top(&dir);
    // --root: shown from there, and no configuration there.
    let (code, found) = spots_in(&top, &["k8s", "--root", "k8s"]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            spot("K8S-POD-001", "agent.yaml", 10, 21),
            spot("DC-PARSE", "broken.yaml", 3, 1),
            spot("K8S-POD-001", "legacy/old.yaml", 10, 21),
            spot("K8S-POD-002", "pod.yaml", 6, 16),
            spot("K8S-POD-001", "pod.yaml", 11, 21),
        ]
    );
    // --config: that file, not the one at the top (which excludes `k8s/legacy/`).
    std::fs::write(top.join("other.yml"), "rules:\n  disable: [K8S-POD-001]\n").expect("config");
    let (_, found) = spots_in(&top.join("k8s"), &[".", "--config", "../other.yml"]);
    assert_eq!(
        found,
        [
            spot("DC-PARSE", "k8s/broken.yaml", 3, 1),
            spot("K8S-POD-002", "k8s/pod.yaml", 6, 16),
        ]
    );
}

#[test]
fn outside_a_git_work_tree_the_folder_scanned_or_the_current_folder_is_the_root() {
    let dir = temp_copy("repository");
    let top = top(&dir);
    // The one folder scanned, wherever the scan runs from.
    let mut whole = k8s_from_the_top();
    whole.extend(tf_from_the_top());
    assert_eq!(
        spots_in(Path::new("/"), &[top.to_str().expect("UTF-8")]),
        (1, whole)
    );
    // Else the current folder, holding the scanned paths, with its configuration.
    let (_, found) = spots_in(&top, &["k8s/pod.yaml", "tf"]);
    assert_eq!(
        found,
        [
            spot("K8S-POD-001", "k8s/pod.yaml", 11, 21),
            spot("TF-PUBLIC-006", "tf/variables.tf", 3, 13)
        ]
    );
    // A folder of a tree that is not a git work tree is shown from the top with `--root`.
    assert_eq!(
        spots_in(&top, &["k8s", "--root", "."]),
        (1, k8s_from_the_top())
    );
}

#[test]
fn sarif_locations_are_relative_to_the_top_of_the_repository() {
    let dir = git_copy("repository");
    let top = top(&dir);
    let run = run_in(&top.join("k8s"), ["scan", "pod.yaml", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif = run.json();
    let run0 = &sarif["runs"][0];
    assert_eq!(
        run0["originalUriBaseIds"]["SRCROOT"]["uri"],
        format!("file://{}/", top.display())
    );
    let location = &run0["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "k8s/pod.yaml");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "SRCROOT");
}

/// The baseline file's entries, as (rule, path).
fn entries(file: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(file).expect("the baseline is written");
    let baseline: Value = serde_json::from_str(&text).expect("JSON");
    baseline["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let field = |k: &str| e[k].as_str().expect("a string").to_owned();
            (field("rule"), field("path"))
        })
        .collect()
}

fn entry(rule: &str, path: &str) -> (String, String) {
    (rule.to_owned(), path.to_owned())
}

#[test]
fn a_baseline_of_the_repository_serves_scans_of_its_parts() {
    let dir = git_copy("repository");
    let top = top(&dir);
    let file = top.join(".doublecheck-baseline.json");
    let created = run_in(&top, ["baseline", "create"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let all = vec![
        entry("K8S-POD-001", "k8s/pod.yaml"),
        entry("TF-PUBLIC-006", "tf/variables.tf"),
    ];
    assert_eq!(entries(&file), all);

    // A scan of k8s/ finds its entry, and the entry of tf/, which it did not scan, is not
    // fixed; the same from inside k8s/.
    for (cwd, args) in [
        (
            top.clone(),
            ["k8s", "--baseline", ".doublecheck-baseline.json"],
        ),
        (
            top.join("k8s"),
            [".", "--baseline", "../.doublecheck-baseline.json"],
        ),
    ] {
        let run = scan_json(&cwd, &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let report = run.json();
        // New: only the DC-PARSE note, which no baseline holds.
        assert_eq!(report["summary"]["new"], 1, "{report}");
        assert_eq!(report["summary"]["existing"], 1, "{report}");
        assert_eq!(report["summary"]["fixed"], 0, "{report}");
    }

    // Updating or re-creating from a part keeps the rest's entries.
    let pod = top.join("k8s/pod.yaml");
    let fixed = std::fs::read_to_string(&pod)
        .expect("pod.yaml")
        .replace("privileged: true", "privileged: false");
    std::fs::write(&pod, fixed).expect("fix pod.yaml");
    let updated = run_in(&top.join("k8s"), ["baseline", "update", "."]);
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    assert!(
        updated.stdout.contains("pruned 1 fixed entry from"),
        "{}",
        updated.stdout
    );
    assert_eq!(entries(&file), [entry("TF-PUBLIC-006", "tf/variables.tf")]);
    git(&top, &["checkout", "--quiet", "k8s/pod.yaml"]);
    let created = run_in(&top, ["baseline", "create", "k8s"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert_eq!(entries(&file), all);
}

#[test]
fn pre_commit_args_and_file_names_are_shown_from_the_top() {
    // pre-commit runs the hook's `doublecheck scan` from the top of the repository, with the
    // hook's `args` and, with `pass_filenames: true`, the staged files' names after them.
    let dir = git_copy("repository");
    let top = top(&dir);
    assert_eq!(
        spots_in(&top, &["--fail-on", "warning", "k8s"]),
        (1, k8s_from_the_top())
    );
    assert_eq!(
        spots_in(
            &top,
            &[
                "--fail-on",
                "warning",
                "k8s/pod.yaml",
                "tf/main.tf",
                "tf/variables.tf"
            ]
        ),
        (
            1,
            vec![
                spot("K8S-POD-001", "k8s/pod.yaml", 11, 21),
                spot("TF-PUBLIC-006", "tf/variables.tf", 3, 13)
            ]
        )
    );
    // A staged file that `exclude` excludes is not reported on: unlike `.gitignore`,
    // `exclude` applies to files named on the command line too.
    let (code, found) = spots_in(&top, &["k8s/legacy/old.yaml"]);
    assert_eq!((code, found), (0, vec![]));
}
