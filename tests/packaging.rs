//! What ships, checked where the text of several files must agree: the project's address
//! (Cargo.toml's `repository`, the one place it is kept), the version that the Python
//! package, the pre-commit hooks and the reusable workflow name, both hooks' settings, and
//! every action pinned by commit SHA.

mod common;

use std::fs;

use regex::Regex;

fn read(path: &str) -> String {
    fs::read_to_string(common::repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text files that name the project's address or version: docs, workflows, hooks.
fn shipped_texts() -> Vec<(String, String)> {
    let mut paths: Vec<String> = [
        "README.md",
        "SECURITY.md",
        "Cargo.toml",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "pyproject.toml",
        "python/pyproject.toml",
        ".github/zizmor.yml",
    ]
    .map(str::to_owned)
    .to_vec();
    for folder in ["docs", ".github/workflows"] {
        for entry in fs::read_dir(common::repo().join(folder)).expect(folder) {
            let name = entry.expect("an entry").file_name();
            paths.push(format!("{folder}/{}", name.to_string_lossy()));
        }
    }
    paths
        .into_iter()
        .map(|p| (read(&p), p))
        .map(|(t, p)| (p, t))
        .collect()
}

#[test]
fn the_project_address_is_the_one_in_cargo_toml() {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let slug = repository
        .strip_prefix("https://github.com/")
        .expect("a GitHub address");
    let name = slug.split('/').nth(1).expect("OWNER/NAME");
    // `github.com/OWNER/doublecheck`, `uses: OWNER/doublecheck…`, `OWNER/doublecheck@`.
    let mention = Regex::new(&format!(
        r"github\.com/([\w.<>-]+)/{name}\b|uses: ([\w.<>-]+)/{name}\b|([\w.<>-]+)/{name}@"
    ))
    .expect("a regex");
    let mut seen = 0;
    for (path, text) in shipped_texts() {
        for found in mention.captures_iter(&text) {
            let owner = (1..=3).find_map(|i| found.get(i)).expect("an owner");
            assert_eq!(
                format!("{}/{name}", owner.as_str()),
                slug,
                "{path} names {} where Cargo.toml's repository is {repository}: change the \
                 address in every file at once (grep -rl for the old one)",
                &found[0]
            );
            seen += 1;
        }
    }
    assert!(seen > 10, "the address is named in the docs ({seen} times)");
}

#[test]
fn what_names_a_version_names_cargo_toml_s() {
    let version = env!("CARGO_PKG_VERSION");
    let shim = read("pyproject.toml");
    assert!(
        shim.contains(&format!("\nversion = \"{version}\"\n")),
        "{shim}"
    );
    assert!(
        shim.contains(&format!("dependencies = [\"doublecheck-cli=={version}\"]")),
        "{shim}"
    );
    let wheel = read("python/pyproject.toml");
    for line in [
        "name = \"doublecheck-cli\"",
        "dynamic = [\"version\"]",
        "bindings = \"bin\"",
        "manifest-path = \"../Cargo.toml\"",
    ] {
        assert!(wheel.contains(line), "python/pyproject.toml: {line}");
    }
    // The reusable workflow runs the Action of its own release.
    let slug = env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/");
    let scan = read(".github/workflows/scan.yml");
    assert!(
        scan.contains(&format!("- uses: {slug}@v{version}\n")),
        "scan.yml runs {slug}@v{version}"
    );
    // The copyable lines of the docs name the current release.
    let readme = read("README.md");
    for line in [
        format!("uses: {slug}@v{version}"),
        format!("rev: v{version}"),
    ] {
        assert!(readme.contains(&line), "README.md: {line}");
    }
}

#[test]
fn both_pre_commit_hooks_scan_the_whole_repository_once() {
    let hooks = read(".pre-commit-hooks.yaml");
    let blocks: Vec<&str> = hooks.split("\n- id: ").skip(1).collect();
    let ids: Vec<&str> = blocks
        .iter()
        .map(|b| b.lines().next().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["doublecheck", "doublecheck-python"]);
    for (block, language) in blocks.iter().zip(["rust", "python"]) {
        for line in [
            format!("\n  language: {language}\n"),
            "\n  entry: doublecheck scan\n".to_owned(),
            "\n  pass_filenames: false\n".to_owned(),
            "\n  always_run: true\n".to_owned(),
            "\n  require_serial: true\n".to_owned(),
        ] {
            assert!(block.contains(&line), "{}: {line:?}", ids[0]);
        }
    }
}

#[test]
fn every_action_is_pinned_by_commit_sha() {
    let uses = Regex::new(r"(?m)^\s*-?\s*uses: (\S+)(.*)$").expect("a regex");
    let pinned = Regex::new(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$").expect("a regex");
    let tag = Regex::new(r"^ # v\d+\.\d+\.\d+$").expect("a regex");
    let slug = env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/");
    let mut seen = 0;
    for (path, text) in shipped_texts() {
        if !(path.starts_with(".github/workflows/") || path == "action.yml") {
            continue;
        }
        for found in uses.captures_iter(&text) {
            let (action, comment) = (&found[1], &found[2]);
            seen += 1;
            if action.starts_with(&format!("{slug}@")) {
                continue; // this repository's own Action, at the workflow's release tag
            }
            assert!(
                pinned.is_match(action),
                "{path}: {action} is not pinned by SHA"
            );
            assert!(
                tag.is_match(comment),
                "{path}: {action} names its tag in a comment"
            );
        }
    }
    assert!(seen > 10, "{seen} actions");
}
