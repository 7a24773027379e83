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
        "{} SARIF schema error(s):\n{}",
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
            ("SF-GUEST-005", "error", uri, 179, 19),
            ("SF-GUEST-005", "error", uri, 184, 19),
            ("SF-GUEST-005", "error", uri, 189, 19),
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
