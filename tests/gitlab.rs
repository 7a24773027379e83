//! `--format gitlab`: a GitLab Code Quality report that passes the rules GitLab applies
//! (`tests/fixtures/report-schemas/gitlab-code-quality.schema.json`, which says where they
//! come from), with no byte-order mark and no two issues sharing a fingerprint.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::hand_built::{self, existing, finding, related, rendered, suppressed};
use common::{corpus, fixture, run};
use doublecheck::finding::Severity;
use doublecheck::render::OutputFormat;
use serde_json::Value;

fn scan(path: &Path, extra: &[&str]) -> (i32, String) {
    let mut args: Vec<std::ffi::OsString> = vec!["scan".into(), path.into()];
    args.extend(["--format", "gitlab"].iter().map(Into::into));
    args.extend(extra.iter().map(Into::into));
    let run = run(args);
    assert!(run.code <= 1, "exit {}: {}", run.code, run.stderr);
    (run.code, run.stdout)
}

/// Every error of `report` against the Code Quality rules.
fn schema_errors(report: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(fixture("report-schemas/gitlab-code-quality.schema.json"))
        .expect("read the Code Quality schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Checks what GitLab checks, and returns the issues.
fn valid(text: &str) -> Vec<Value> {
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    assert!(text.starts_with('['), "{text}");
    let report: Value = serde_json::from_str(text).expect("the report is JSON");
    let errors = schema_errors(&report);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let issues = report.as_array().expect("an array").clone();
    let fingerprints: BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("a fingerprint"))
        .collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    issues
}

#[test]
fn ebikes_report_is_valid_and_located() {
    let root = corpus("salesforce/ebikes-lwc");
    let (code, text) = scan(&root, &[]);
    assert_eq!(code, 1);
    let issues = valid(&text);
    let got: Vec<(&str, &str, &str, u64, u64)> = issues
        .iter()
        .map(|i| {
            let location = &i["location"];
            (
                i["check_name"].as_str().expect("check_name"),
                i["severity"].as_str().expect("severity"),
                location["path"].as_str().expect("path"),
                location["lines"]["begin"].as_u64().expect("lines.begin"),
                location["positions"]["begin"]["column"]
                    .as_u64()
                    .expect("column"),
            )
        })
        .collect();
    let path = "guest-profile-metadata/profiles/E-Bikes Profile.profile";
    assert_eq!(
        got,
        [
            ("SF-GUEST-005", "critical", path, 179, 19),
            ("SF-GUEST-002", "critical", path, 338, 20),
            ("SF-GUEST-001", "critical", path, 350, 25),
            ("SF-GUEST-001", "critical", path, 359, 25),
        ]
    );
    // doublecheck's own fingerprints, as in the JSON report, baselines and SARIF.
    let json = common::scan_json(&root, &[]).json();
    let own: Vec<&Value> = common::findings(&json)
        .iter()
        .map(|f| &f["fingerprint"])
        .collect();
    let written: Vec<&Value> = issues.iter().map(|i| &i["fingerprint"]).collect();
    assert_eq!(written, own);
    assert_eq!(
        issues[2]["description"],
        "guest access grants viewAllRecords on Product_Family__c to every unauthenticated visitor"
    );
}

#[test]
fn every_fixture_gives_a_valid_report() {
    // Parse errors, zero-width regions, root-level findings, non-ASCII paths and values.
    let (_, text) = scan(&fixture(""), &[]);
    let issues = valid(&text);
    assert!(issues.len() > 50, "{} issues", issues.len());
    let checks: BTreeSet<&str> = issues
        .iter()
        .map(|i| i["check_name"].as_str().expect("check_name"))
        .collect();
    assert!(checks.contains("DC-PARSE"), "{checks:?}");
}

#[test]
fn a_clean_scan_is_an_empty_array() {
    // A tree with a file that is checked and clean (a tree with nothing to check exits 2).
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - {name: web, image: nginx}\n";
    std::fs::write(dir.path().join("pod.yaml"), pod).expect("write the pod");
    let (code, text) = scan(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(text, "[]\n");
    valid(&text);
}

/// The suppressions fixture has 17 findings, 8 of them suppressed, and two
/// `DC-SUPPRESSION-UNUSED` warnings about one comment rule on two lines of a file, which
/// share a fingerprint.
#[test]
fn suppressed_findings_are_left_out_and_shared_fingerprints_made_unique() {
    let tree = fixture("suppressions");
    let env = ("DOUBLECHECK_TODAY", "2026-01-01");
    let output = common::doublecheck()
        .env(env.0, env.1)
        .args(["scan", "--format", "gitlab"])
        .arg(&tree)
        .output()
        .expect("doublecheck runs");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let issues = valid(&text);
    let json = common::doublecheck()
        .env(env.0, env.1)
        .args(["scan", "--format", "json"])
        .arg(&tree)
        .output()
        .expect("doublecheck runs");
    let json: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let kept: Vec<&Value> = common::findings(&json)
        .iter()
        .filter(|f| f.get("suppression").is_none())
        .collect();
    assert_eq!((common::findings(&json).len(), kept.len()), (17, 9));
    assert_eq!(issues.len(), kept.len());
    for (issue, finding) in issues.iter().zip(&kept) {
        assert_eq!(issue["check_name"], finding["rule"]);
        assert_eq!(
            issue["location"]["lines"]["begin"],
            finding["location"]["start"]["line"]
        );
    }
    let unused: Vec<(&Value, &Value)> = issues
        .iter()
        .zip(&kept)
        .filter(|(i, _)| i["check_name"] == "DC-SUPPRESSION-UNUSED")
        .map(|(i, f)| (&i["fingerprint"], &f["fingerprint"]))
        .collect();
    assert_eq!(unused.len(), 2);
    assert_eq!(
        unused[0].1, unused[1].1,
        "doublecheck gives both one fingerprint"
    );
    assert_eq!(unused[0].0, unused[0].1, "the first keeps it");
    assert_ne!(unused[1].0, unused[1].1, "the second gets one of its own");
}

#[test]
fn fingerprints_made_unique_stay_the_same_from_run_to_run() {
    let tree = fixture("suppressions");
    let once = || {
        let output = common::doublecheck()
            .env("DOUBLECHECK_TODAY", "2026-01-01")
            .args(["scan", "--format", "gitlab"])
            .arg(&tree)
            .output()
            .expect("doublecheck runs");
        output.stdout
    };
    assert_eq!(once(), once());
}

#[test]
fn the_schema_check_can_fail() {
    let (_, text) = scan(&fixture("xml-guest-profile"), &[]);
    let mut report: Value = serde_json::from_str(&text).expect("JSON");
    report[0]["severity"] = Value::from("high");
    report[0]["location"]["lines"]["begin"] = Value::from("8");
    report[1]
        .as_object_mut()
        .expect("an issue")
        .remove("check_name");
    report[1]["location"]["path"] = Value::from("./a.xml");
    let errors = schema_errors(&report);
    assert_eq!(errors.len(), 4, "{errors:#?}");
    // Either form of the line will do, but one must be there.
    let mut only_positions = serde_json::from_str::<Value>(&text).expect("JSON");
    let location = only_positions[0]["location"]
        .as_object_mut()
        .expect("a location");
    location.remove("lines");
    assert!(schema_errors(&only_positions).is_empty());
    only_positions[0]["location"]
        .as_object_mut()
        .expect("a location")
        .remove("positions");
    assert_eq!(schema_errors(&only_positions).len(), 1);
}

/// Severities, one-line descriptions of hostile messages, existing findings kept and
/// suppressed ones left out.
#[test]
fn hand_built_report() {
    let mut hostile = finding("E-1", Severity::Error, "dir/<a> b.yml", 2);
    hostile.message = "value `x\n::error::y` & \"q\" \u{1b}[31m".to_owned();
    let shared = |line| {
        let mut f = finding("W-1", Severity::Warning, "b.yml", line);
        f.fingerprint = "0123456789abcdef0123456789abcdef".to_owned();
        f
    };
    let report = hand_built::report(vec![
        related(
            finding("E-1", Severity::Error, "a.yml", 1),
            "c.yml",
            4,
            "why",
        ),
        hostile,
        existing(finding("E-1", Severity::Error, "a.yml", 5)),
        suppressed(finding("E-1", Severity::Error, "a.yml", 9), "accepted"),
        shared(3),
        shared(7),
        shared(8),
        finding("N-1", Severity::Note, "c.yml", 1),
    ]);
    let text = rendered(OutputFormat::Gitlab, &report);
    let issues = valid(&text);
    assert_eq!(issues.len(), 7);
    insta::assert_snapshot!("hand_built_gitlab", text);
}
