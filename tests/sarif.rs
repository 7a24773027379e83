//! SARIF output: valid against the official SARIF 2.1.0 schema (../shared/schemas, used in
//! place), with the fields code-scanning tools read.

mod common;

use std::path::Path;

use common::{corpus, fixture, run, shared};
use serde_json::Value;

fn sarif(path: &Path) -> (i32, Value) {
    let run = run([
        "scan".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "sarif".as_ref(),
    ]);
    (run.code, run.json())
}

/// The `language` pattern of the official schema (twice), with a stray `]`. ECMAScript
/// reads a lone `]` as a literal (Annex B), but the `jsonschema` crate checks `pattern`s
/// strictly and refuses to compile the schema; `\]` means the same and compiles.
const LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const LANGUAGE_PATTERN_ESCAPED: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$";

/// Replaces every `pattern` equal to `from` with `to`; returns how many were replaced.
fn replace_pattern(schema: &mut Value, from: &str, to: &str) -> usize {
    match schema {
        Value::Object(map) => {
            let mut n = 0;
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value.as_str() == Some(from) {
                    *value = Value::String(to.to_owned());
                    n += 1;
                } else {
                    n += replace_pattern(value, from, to);
                }
            }
            n
        }
        Value::Array(items) => items.iter_mut().map(|v| replace_pattern(v, from, to)).sum(),
        _ => 0,
    }
}

/// Every error of `log` against sarif-schema-2.1.0.json (draft-07).
fn sarif_errors(log: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(shared("schemas/sarif-schema-2.1.0.json"))
        .expect("read the SARIF schema");
    let mut schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(
        replace_pattern(&mut schema, LANGUAGE_PATTERN, LANGUAGE_PATTERN_ESCAPED),
        2,
        "the schema's two `language` patterns"
    );
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Validates against the SARIF schema, listing every error on failure.
fn assert_valid_sarif(log: &Value) {
    let errors = sarif_errors(log);
    assert!(
        errors.is_empty(),
        "SARIF schema errors ({}):\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn ebikes_sarif_is_valid_and_located() {
    let (code, log) = sarif(&corpus("salesforce/ebikes-lwc"));
    assert_eq!(code, 1);
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "doublecheck");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().expect("results");
    let got: Vec<(&str, &str, &str, u64, u64)> = results
        .iter()
        .map(|r| {
            let physical = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().expect("ruleId"),
                r["level"].as_str().expect("level"),
                physical["artifactLocation"]["uri"].as_str().expect("uri"),
                physical["region"]["startLine"].as_u64().expect("startLine"),
                physical["region"]["startColumn"]
                    .as_u64()
                    .expect("startColumn"),
            )
        })
        .collect();
    let uri = "guest-profile-metadata/profiles/E-Bikes%20Profile.profile";
    assert_eq!(
        got,
        vec![
            // One finding for the three Case fields; the other two are related locations.
            ("SF-GUEST-005", "error", uri, 179, 19),
            ("SF-GUEST-002", "error", uri, 338, 20),
            ("SF-GUEST-001", "error", uri, 350, 25),
            ("SF-GUEST-001", "error", uri, 359, 25),
        ]
    );
    // Every result names its rule by index into the driver's rules.
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex");
        let index = usize::try_from(index).expect("small index");
        assert_eq!(
            run["tool"]["driver"]["rules"][index]["id"],
            result["ruleId"]
        );
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "SRCROOT"
        );
    }
}

#[test]
fn sarif_of_every_fixture_is_valid() {
    // Parse errors, zero-width regions, root-level findings, non-ASCII paths and values.
    for name in [
        "xml-guest-profile",
        "yaml-settings",
        "json-branch-protection",
        "malformed-yaml",
        "malformed-json",
        "malformed-xml",
    ] {
        let (code, log) = sarif(&fixture(name));
        assert_eq!(code, 1, "{name}");
        assert_valid_sarif(&log);
    }
}

#[test]
fn sarif_of_a_clean_scan_is_valid() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("config-map.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    )
    .expect("write a manifest");
    let (code, log) = sarif(dir.path());
    assert_eq!(code, 0);
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], Value::Array(vec![]));
}

#[test]
fn the_schema_check_can_fail() {
    let (_, mut log) = sarif(&corpus("salesforce/ebikes-lwc"));
    let region = &mut log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    region["startLine"] = Value::from(0);
    log["version"] = Value::from("2.0.0");
    let errors = sarif_errors(&log);
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

/// A real scan, compared with a base that had its first three findings and one more that is
/// now fixed; the first finding suppressed in the source, the second by a baseline.
fn scan_with_base_and_suppressions() -> doublecheck::report::Report {
    use doublecheck::finding::{BaseFinding, Suppression, SuppressionKind};
    let policies = doublecheck::policy::PolicySet::from_policies(
        doublecheck::policy::load_builtin().expect("built-in policies load"),
    )
    .expect("built-in policies compile");
    let root = corpus("salesforce/ebikes-lwc");
    let request = doublecheck::scan::ScanRequest {
        paths: vec![root.clone()],
        root,
        repository: true,
        config: doublecheck::config::Config::default(),
        progress: Default::default(),
        jobs: None,
    };
    let mut report = doublecheck::scan::scan(&request, &policies);
    assert_eq!(report.findings.len(), 4);
    let mut base: Vec<BaseFinding> = report.findings[..2].iter().map(BaseFinding::of).collect();
    let mut gone = BaseFinding::of(&report.findings[3]);
    gone.fingerprint = "0".repeat(32);
    base.push(gone);
    doublecheck::filter::compare_with_base(&mut report, "git origin/main".to_owned(), base);
    let comment = report.findings[0].location.clone();
    report.findings[0].suppression = Some(Suppression {
        kind: SuppressionKind::InSource,
        justification: "the guest site is an internal demo".to_owned(),
        until: Some("2027-01-31".to_owned()),
        location: Some(comment),
    });
    report.findings[1].suppression = Some(Suppression {
        kind: SuppressionKind::External,
        justification: "accepted in the baseline".to_owned(),
        until: None,
        location: None,
    });
    report
}

fn render_sarif(report: &doublecheck::report::Report) -> Value {
    use doublecheck::render::{OutputFormat, TextStyle, render};
    let mut out = Vec::new();
    render(OutputFormat::Sarif, report, TextStyle::Plain, &mut out).expect("render SARIF");
    serde_json::from_slice(&out).expect("SARIF is JSON")
}

#[test]
fn suppressions_and_baseline_states_are_valid_sarif() {
    let report = scan_with_base_and_suppressions();
    let log = render_sarif(&report);
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    // The fixed finding is not a result: code scanning would open an alert for it.
    assert_eq!(results.len(), 4);
    let states: Vec<&str> = results
        .iter()
        .map(|r| r["baselineState"].as_str().expect("baselineState"))
        .collect();
    assert_eq!(states, ["unchanged", "unchanged", "new", "new"]);
    assert_eq!(
        results[0]["suppressions"],
        serde_json::json!([{
            "kind": "inSource",
            "status": "accepted",
            "justification": "the guest site is an internal demo",
            "location": {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": "guest-profile-metadata/profiles/E-Bikes%20Profile.profile",
                        "uriBaseId": "SRCROOT"
                    },
                    "region": {"startLine": 179, "startColumn": 19, "endLine": 179, "endColumn": 23}
                }
            },
            "properties": {"until": "2027-01-31"}
        }])
    );
    assert_eq!(
        results[1]["suppressions"],
        serde_json::json!([{
            "kind": "external",
            "status": "accepted",
            "justification": "accepted in the baseline"
        }])
    );
    assert!(results[2].get("suppressions").is_none());
    assert_eq!(
        run["properties"],
        serde_json::json!({
            "filesChecked": report.files_checked,
            "filesUnchecked": 0,
            "documents": report.documents,
            "unreadable": 0,
            "base": "git origin/main",
            "fixed": 1,
            "suppressed": 2
        })
    );
}

#[test]
fn rules_results_and_root_carry_what_code_scanning_reads() {
    let (_, log) = sarif(&corpus("salesforce/ebikes-lwc"));
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let rule = rules
        .iter()
        .find(|r| r["id"] == "SF-GUEST-001")
        .expect("SF-GUEST-001 is a rule");
    assert_eq!(rule["name"], "SF-GUEST-001");
    assert_eq!(
        rule["shortDescription"]["text"],
        "Guest users can edit, delete or see every record of an object"
    );
    let help = rule["help"]["text"].as_str().expect("help text");
    assert!(
        help.starts_with(
            "Set viewAllRecords, modifyAllRecords, allowEdit and allowDelete to false"
        ),
        "{help}"
    );
    assert!(
        help.ends_with("\n\n(doublecheck explain SF-GUEST-001)"),
        "{help}"
    );
    let markdown = rule["help"]["markdown"].as_str().expect("help markdown");
    assert!(
        markdown.starts_with("**How to fix**\n\nSet viewAllRecords"),
        "{markdown}"
    );
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    assert_eq!(rule["properties"]["security-severity"], "8.0");
    let tags = rule["properties"]["tags"].as_array().expect("tags");
    assert_eq!(tags.last(), Some(&Value::from("security")));
    assert!(tags.contains(&Value::from("salesforce")), "{tags:?}");
    // Every rule is a security rule with a severity GitHub can read.
    for rule in rules {
        let severity = rule["properties"]["security-severity"]
            .as_str()
            .expect("a string");
        assert!(["8.0", "5.0", "2.0"].contains(&severity), "{severity}");
    }

    let result = &run["results"][0];
    let fingerprint = result["partialFingerprints"]["doublecheck/v1"]
        .as_str()
        .expect("a fingerprint");
    assert_eq!(fingerprint.len(), 32);
    assert!(result.get("baselineState").is_none(), "no base, no state");
    assert!(result.get("suppressions").is_none());

    let root = std::fs::canonicalize(corpus("salesforce/ebikes-lwc")).expect("the corpus exists");
    let uri = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .expect("SRCROOT");
    assert_eq!(uri, format!("file://{}/", root.display()));
    assert_eq!(
        run["invocations"],
        serde_json::json!([{"executionSuccessful": true}])
    );
}

#[test]
fn sarif_file_is_written_whatever_the_format() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = dir.path().join("results.sarif");
    let run = run([
        "scan".as_ref(),
        fixture("yaml-settings").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--sarif-file".as_ref(),
        target.as_os_str(),
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(common::summary(&run.json(), "findings"), 3);
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&target).expect("written"))
        .expect("SARIF is JSON");
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(3));
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_failed_execution_with_a_notification() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let link = dir.path().join("x.profile");
    std::os::unix::fs::symlink(dir.path().join("gone.profile"), &link).expect("symlink");
    let run = run([
        "scan".as_ref(),
        link.as_os_str(),
        "--root".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "sarif".as_ref(),
    ]);
    assert_eq!(run.code, 2);
    let log = run.json();
    assert_valid_sarif(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notifications.len(), 1);
    assert_eq!(notifications[0]["level"], "error");
    assert_eq!(notifications[0]["descriptor"]["id"], "DC-UNREADABLE");
    assert_eq!(
        notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "x.profile"
    );
    let message = notifications[0]["message"]["text"].as_str().expect("text");
    assert!(message.starts_with("cannot read this file: "), "{message}");
}
