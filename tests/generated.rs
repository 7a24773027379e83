//! A tree from the benchmark's generator (`bench/generate.py`, every kind doublecheck reads):
//! every generated file parses, the scan reports findings of several packs, and the report
//! is the same whatever `--jobs` is.
//!
//! Needs `python3` (standard library only); without it the test fails and says so.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{findings, repo, scan_json, summary};

/// Runs `python3 bench/generate.py OUT --files N --mix mixed --seed S`.
fn generate(out: &Path, files: usize, seed: u64) {
    let output = Command::new("python3")
        .arg(repo().join("bench/generate.py"))
        .arg(out)
        .args(["--files", &files.to_string(), "--mix", "mixed"])
        .args(["--seed", &seed.to_string()])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "could not run python3 ({e}): tests/generated.rs needs Python 3 (standard \
                 library only) on the PATH to run bench/generate.py"
            )
        });
    assert!(
        output.status.success(),
        "bench/generate.py failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_generated_tree_parses_and_its_findings_do_not_depend_on_jobs() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let tree = dir.path().join("tree");
    generate(&tree, 600, 7);

    let default = scan_json(&tree, &[]);
    assert_eq!(default.code, 1, "stderr: {}", default.stderr);
    for jobs in ["1", "2"] {
        let run = scan_json(&tree, &["--jobs", jobs]);
        assert_eq!(
            run.code, default.code,
            "--jobs {jobs}: stderr: {}",
            run.stderr
        );
        assert!(
            run.stdout == default.stdout,
            "--jobs {jobs} reports differently from the default --jobs"
        );
    }

    let report = default.json();
    let rules: BTreeSet<&str> = findings(&report)
        .iter()
        .map(|f| f["rule"].as_str().expect("rule is a string"))
        .collect();
    // Generated files must all parse and be readable: no DC-PARSE, no DC-UNREADABLE.
    let doublecheck_own: Vec<&&str> = rules.iter().filter(|r| r.starts_with("DC-")).collect();
    assert!(
        doublecheck_own.is_empty(),
        "generated files that doublecheck could not check: {doublecheck_own:?}"
    );
    assert_eq!(summary(&report, "files_unchecked"), 0);
    assert!(
        summary(&report, "files_checked") > 300,
        "{}",
        report["summary"]
    );

    // Each pack has something to find in a mixed tree.
    let packs: BTreeSet<&str> = rules.iter().map(|rule| pack(rule)).collect();
    for expected in [
        "SF-", "K8S-", "CFN-", "TF-", "GH-TF-", "GH-", "GL-", "DECAP-", "DATA-",
    ] {
        assert!(
            packs.contains(expected),
            "no finding of a {expected}* rule in the generated tree; rules found: {rules:?}"
        );
    }
}

/// The id prefix that names a rule's pack: `GH-TF-` for `GH-TF-REVIEW-001`, `GH-` for
/// `GH-REVIEW-001`, `SF-` for `SF-GUEST-001`.
fn pack(rule: &str) -> &str {
    if rule.starts_with("GH-TF-") {
        return "GH-TF-";
    }
    rule.find('-').map_or(rule, |dash| &rule[..=dash])
}

#[test]
fn the_generator_is_deterministic() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    generate(&a, 200, 3);
    generate(&b, 200, 3);
    let listing = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder).expect("list a generated folder") {
                let path = entry.expect("a generated entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(root).expect("under the root");
                    let bytes = std::fs::read(&path).expect("read a generated file");
                    files.push((rel.to_string_lossy().into_owned(), bytes));
                }
            }
        }
        files.sort();
        files
    };
    let (left, right) = (listing(&a), listing(&b));
    assert_eq!(left.len(), 200);
    assert!(
        left == right,
        "the same --files and --seed gave different trees"
    );
}
