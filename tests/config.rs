//! `.doublecheck.yml` sections that shape a run (`rules`, `exclude`, `fail-on`, `baseline`,
//! `suppressions`) and `doublecheck init`, end to end.

mod common;

use std::path::Path;

use common::{findings, run, scan_json, spots, temp_copy};

/// A copy of the baseline fixture (K8S-POD-002, K8S-POD-001, TF-PUBLIC-001) with `config`
/// as its `.doublecheck.yml`.
fn tree_with(config: &str) -> tempfile::TempDir {
    let dir = temp_copy("baseline");
    std::fs::write(dir.path().join(".doublecheck.yml"), config).expect("write the config");
    dir
}

fn rules_of(run: &common::Run) -> Vec<String> {
    spots(&run.json()).into_iter().map(|s| s.rule).collect()
}

#[test]
fn disable_by_id_and_by_glob() {
    let dir = tree_with("rules:\n  disable: [K8S-POD-001]\n");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(rules_of(&run), ["K8S-POD-002", "TF-PUBLIC-001"]);
    let dir = tree_with("rules:\n  disable: ['K8S-*']\n");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(rules_of(&run), ["TF-PUBLIC-001"]);
    assert_eq!(run.code, 1);
}

#[test]
fn severity_overrides_and_fail_on() {
    let config =
        "rules:\n  disable: ['K8S-*']\n  severity:\n    'TF-*': note\n    TF-PUBLIC-001: warning\n";
    let dir = tree_with(config);
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 0, "a warning does not fail at the default error");
    assert_eq!(
        findings(&run.json())[0]["severity"],
        "warning",
        "the exact id wins"
    );
    let dir = tree_with(&format!("{config}fail-on: warning\n"));
    assert_eq!(scan_json(dir.path(), &[]).code, 1, "the config's fail-on");
    assert_eq!(
        scan_json(dir.path(), &["--fail-on", "error"]).code,
        0,
        "the flag wins"
    );
}

#[test]
fn exclude_skips_paths_and_folders() {
    let dir = tree_with("exclude: [terraform/]\n");
    assert_eq!(
        rules_of(&scan_json(dir.path(), &[])),
        ["K8S-POD-002", "K8S-POD-001"]
    );
    let dir = tree_with("exclude: ['**/pod.yaml']\n");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(rules_of(&run), ["TF-PUBLIC-001"]);
    assert_eq!(common::summary(&run.json(), "files_checked"), 1);
}

#[test]
fn the_config_names_the_baseline() {
    let dir = tree_with("baseline: accepted.json\n");
    let root = dir.path();
    let created = run([Path::new("baseline"), Path::new("create"), root]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(root.join("accepted.json").is_file(), "{}", created.stdout);
    let run = scan_json(root, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        findings(&run.json())
            .iter()
            .all(|f| f["baseline_state"] == "unchanged")
    );
}

#[test]
fn mistakes_are_located_with_hints() {
    let dir = tree_with("rules:\n  disable: [K8S-POD-01]\n");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 2);
    let config = dir.path().join(".doublecheck.yml");
    let at = |line_column: &str| format!("{}:{line_column}", config.display());
    assert!(run.stderr.contains(&at("2:13")), "{}", run.stderr);
    assert!(run.stderr.contains("unknown rule `K8S-POD-01`"));
    assert!(run.stderr.contains("did you mean `K8S-POD-001`?"));

    let dir = tree_with("rule:\n  disable: []\n");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `rules`?"),
        "{}",
        run.stderr
    );

    let dir =
        tree_with("suppressions:\n  forbid: ['NOPE-*']\nrules:\n  severity:\n    DC-PARSE: note\n");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 2);
    let config = dir.path().join(".doublecheck.yml");
    let at = |line_column: &str| format!("{}:{line_column}", config.display());
    assert!(run.stderr.contains(&at("2:12")), "{}", run.stderr);
    assert!(run.stderr.contains("`NOPE-*` matches no loaded rule"));
    assert!(run.stderr.contains(&at("5:5")), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("DC-PARSE is a rule of doublecheck itself")
    );

    for (text, line_column, message) in [
        ("exclude: ['a/[b']\n", "1:11", "invalid glob"),
        ("fail-on: fatal\n", "1:10", "invalid config at `/fail-on`"),
    ] {
        let dir = tree_with(text);
        let run = scan_json(dir.path(), &[]);
        assert_eq!(run.code, 2);
        let config = dir.path().join(".doublecheck.yml");
        let at = format!("{}:{line_column}", config.display());
        assert!(run.stderr.contains(&at), "{at}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{}", run.stderr);
    }
}

#[test]
fn init_writes_a_starter_once() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path();
    let first = run([Path::new("init"), root]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let written = std::fs::read_to_string(root.join(".doublecheck.yml")).expect("written");
    assert!(written.contains("suppressions:"));
    // The starter is a valid config that changes nothing: an empty tree scans clean.
    let scan = scan_json(root, &[]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    let second = run([Path::new("init"), root]);
    assert_eq!(second.code, 2);
    assert!(
        second
            .stderr
            .contains("already exists; remove it to start again, or edit it"),
        "{}",
        second.stderr
    );
    assert_eq!(
        std::fs::read_to_string(root.join(".doublecheck.yml")).expect("kept"),
        written
    );
}
