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
        (
            "fail-on: fatal\n",
            "1:10",
            "`fail-on` must be `error`, `warning` or `note`, not `fatal`",
        ),
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
    // The starter is a valid config that changes nothing: a tree of one clean manifest
    // scans clean.
    std::fs::write(
        root.join("config-map.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    )
    .expect("write a manifest");
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

/// The errors of `.doublecheck.yml`, as printed: what the setting must be in plain words,
/// at its line and column, with the schema's description of it (or a correction) as help.
#[test]
fn config_errors_say_what_is_expected_in_plain_words() {
    let cases = [
        (
            "limits:\n  max-file-size: 10 parsecs\n",
            "error: `10 parsecs` is not a valid `limits.max-file-size`\n \
             --> CONFIG:2:18\n  |\n2 |   max-file-size: 10 parsecs\n  |                  ^^^^^^^^^^\n  |\n\
             help: Files of a known kind larger than this are not read and are a DC-PARSE \
             finding: a number of bytes, or a number with KiB, MiB or GiB (default: 64 MiB).\n",
        ),
        (
            "fail-on: warn\n",
            "error: `fail-on` must be `error`, `warning` or `note`, not `warn`\n \
             --> CONFIG:1:10\n  |\n1 | fail-on: warn\n  |          ^^^^\n  |\n\
             help: did you mean `warning`?\n",
        ),
        (
            "exclude: vendor/\n",
            "error: `exclude` must be a list, not the string `vendor/`\n \
             --> CONFIG:1:10\n  |\n1 | exclude: vendor/\n  |          ^^^^^^^\n  |\n\
             help: write a list: `[vendor/]`, or one `- item` a line under the key\n",
        ),
        (
            "network:\n  extend-admin-ports: [22, 22]\n",
            "error: `network.extend-admin-ports` lists `22` twice: each item may appear once\n \
             --> CONFIG:2:28\n  |\n2 |   extend-admin-ports: [22, 22]\n  |                            ^^\n  |\n\
             help: Ports added to admin-ports, e.g. 5601 for Kibana.\n",
        ),
    ];
    for (text, expected) in cases {
        let dir = tree_with(text);
        let run = scan_json(dir.path(), &[]);
        let config = dir.path().join(".doublecheck.yml").display().to_string();
        assert_eq!(run.code, 2, "{text}");
        assert_eq!(
            run.stderr,
            format!(
                "{}\ndoublecheck: 1 error in the config file; nothing was scanned\n",
                expected.replace("CONFIG", &config)
            ),
            "{text}"
        );
    }
}

/// A section whose lines are all commented out (`rules:` alone, as the starter file invites)
/// is an empty section, not an error.
#[test]
fn a_section_with_every_line_commented_out_is_empty() {
    let dir = tree_with("rules:\n  # disable: ['K8S-*']\nexclude:\n#  - vendor/\nlimits:\n");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.stderr, "");
    assert_eq!(
        rules_of(&run),
        ["K8S-POD-002", "K8S-POD-001", "TF-PUBLIC-001"]
    );
}
