//! `--format junit`: well-formed JUnit XML that passes the rules of the Jenkins xUnit plugin's
//! junit-10.xsd (`tests/fixtures/report-schemas/junit-10.schema.json`, over the element tree
//! [`tree`] makes), one test case per policy and file, counts that add up, and a test case's
//! outcome following `--fail-on`.

mod common;

use std::path::Path;

use common::hand_built::{self, existing, finding, related, rendered, suppressed};
use common::{corpus, fixture, run};
use doublecheck::finding::Severity;
use doublecheck::render::OutputFormat;
use serde_json::{Map, Value, json};

fn scan(path: &Path, extra: &[&str]) -> (i32, String) {
    let mut args: Vec<std::ffi::OsString> = vec!["scan".into(), path.into()];
    args.extend(["--format", "junit"].iter().map(Into::into));
    args.extend(extra.iter().map(Into::into));
    let run = run(args);
    assert!(run.code <= 1, "exit {}: {}", run.code, run.stderr);
    (run.code, run.stdout)
}

/// An element as the schema reads it: name, attributes, child elements, and its text when
/// any is more than white space.
fn tree(node: roxmltree::Node<'_, '_>) -> Value {
    let attributes: Map<String, Value> = node
        .attributes()
        .map(|a| (a.name().to_owned(), Value::from(a.value())))
        .collect();
    let children: Vec<Value> = node
        .children()
        .filter(roxmltree::Node::is_element)
        .map(tree)
        .collect();
    let text: String = node
        .children()
        .filter(roxmltree::Node::is_text)
        .filter_map(|n| n.text())
        .collect();
    let mut element = json!({
        "name": node.tag_name().name(),
        "attributes": attributes,
        "children": children,
    });
    if !text.trim().is_empty() {
        element["text"] = Value::from(text);
    }
    element
}

/// Every error of the tree of `xml` against the junit-10.xsd rules.
fn schema_errors(root: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(fixture("report-schemas/junit-10.schema.json"))
        .expect("read the JUnit schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(root)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Parses `xml`, checks it against the schema and that every count adds up; returns the
/// root element's tree.
fn valid(xml: &str) -> Value {
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{xml}"
    );
    let document = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = tree(document.root_element());
    let errors = schema_errors(&root);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let count = |element: &Value, name: &str| -> usize {
        element["attributes"][name]
            .as_str()
            .unwrap_or_else(|| panic!("{name} is given"))
            .parse()
            .expect("a count")
    };
    let outcome_of = |case: &Value| -> &'static str {
        let children = case["children"].as_array().expect("children");
        for outcome in ["failure", "error", "skipped"] {
            if children.iter().any(|c| c["name"] == outcome) {
                return outcome;
            }
        }
        "passed"
    };
    let mut totals = [0; 3];
    for suite in suites(&root) {
        let cases = cases(suite);
        let of = |outcome| cases.iter().filter(|c| outcome_of(c) == outcome).count();
        assert_eq!(count(suite, "tests"), cases.len());
        assert_eq!(count(suite, "failures"), of("failure"));
        assert_eq!(count(suite, "errors"), of("error"));
        assert_eq!(count(suite, "skipped"), of("skipped"));
        for (total, n) in totals
            .iter_mut()
            .zip([cases.len(), of("failure"), of("error")])
        {
            *total += n;
        }
        for case in cases {
            // One outcome at most (Ant's schema allows one).
            let children = case["children"].as_array().expect("children");
            assert!(children.len() <= 1, "{case}");
        }
    }
    assert_eq!(
        [
            count(&root, "tests"),
            count(&root, "failures"),
            count(&root, "errors")
        ],
        totals
    );
    root
}

fn suites(root: &Value) -> Vec<&Value> {
    root["children"]
        .as_array()
        .expect("suites")
        .iter()
        .collect()
}

fn cases(suite: &Value) -> Vec<&Value> {
    suite["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter(|c| c["name"] == "testcase")
        .collect()
}

/// (classname, name, outcome) of every test case but the summary.
fn outcomes(root: &Value) -> Vec<(String, String, String)> {
    suites(root)
        .into_iter()
        .skip(1)
        .flat_map(cases)
        .map(|case| {
            let attribute = |name: &str| {
                case["attributes"][name]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            };
            let outcome = match case["children"][0]["name"].as_str() {
                Some(name @ ("failure" | "error" | "skipped")) => name.to_owned(),
                _ => "passed".to_owned(),
            };
            (attribute("classname"), attribute("name"), outcome)
        })
        .collect()
}

#[test]
fn ebikes_is_one_test_case_per_policy_and_file() {
    let (code, xml) = scan(&corpus("salesforce/ebikes-lwc"), &[]);
    assert_eq!(code, 1);
    let root = valid(&xml);
    let path = "guest-profile-metadata/profiles/E-Bikes Profile.profile";
    let failure = |rule: &str| {
        (
            format!("doublecheck.{rule}"),
            path.to_owned(),
            "failure".to_owned(),
        )
    };
    assert_eq!(
        outcomes(&root),
        [
            failure("SF-GUEST-001"),
            failure("SF-GUEST-002"),
            failure("SF-GUEST-005")
        ]
    );
    // SF-GUEST-001 has two findings in the file: both are in the failure, with their
    // locations and related locations.
    let suite = suites(&root)[1];
    assert_eq!(suite["attributes"]["name"], "SF-GUEST-001");
    let failure = &cases(suite)[0]["children"][0];
    assert_eq!(failure["attributes"]["type"], "error");
    assert_eq!(
        failure["attributes"]["message"],
        "guest access grants viewAllRecords on Product_Family__c to every unauthenticated \
         visitor (and 1 more)"
    );
    let text = failure["text"].as_str().expect("text");
    assert!(
        text.starts_with(&format!(
            "error at {path}:350:25: guest access grants viewAllRecords on Product_Family__c \
             to every unauthenticated visitor\n    {path}:385:18: the profile's licence is the \
             Guest User License\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("\nerror at {path}:359:25: ")),
        "{text}"
    );
    assert!(
        text.ends_with("(doublecheck explain SF-GUEST-001)\n"),
        "{text}"
    );
}

#[test]
fn the_summary_suite_comes_first_and_a_clean_scan_is_one_passing_test() {
    // A tree with a file that is checked and clean (a tree with nothing to check exits 2).
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - {name: web, image: nginx}\n";
    std::fs::write(dir.path().join("pod.yaml"), pod).expect("write the pod");
    let (code, xml) = scan(dir.path(), &[]);
    assert_eq!(code, 0);
    let root = valid(&xml);
    assert_eq!(root["attributes"]["tests"], "1");
    assert_eq!(root["attributes"]["failures"], "0");
    let summary = suites(&root)[0];
    assert_eq!(summary["attributes"]["name"], "doublecheck");
    let case = cases(summary)[0];
    assert_eq!(
        case["attributes"],
        json!({"name": "scan", "classname": "doublecheck"})
    );
    assert_eq!(
        case["children"][0]["text"],
        "files checked: 1 (1 document), not checked: 0, unreadable paths: 0\nfindings: 0 new, \
         0 existing, 0 fixed, 0 suppressed\nfails from: error\n"
    );
}

#[test]
fn every_fixture_gives_valid_junit() {
    // Parse errors are <error>s; suppressed findings <skipped>.
    let (_, xml) = scan(&fixture(""), &[]);
    let root = valid(&xml);
    let all = outcomes(&root);
    assert!(all.len() > 40, "{} test cases", all.len());
    for (classname, _, outcome) in &all {
        let expected = match classname.as_str() {
            "doublecheck.DC-PARSE" => "error",
            _ => continue,
        };
        assert_eq!(outcome, expected);
    }
    assert!(all.iter().any(|(_, _, o)| o == "skipped"));
}

#[test]
fn fail_on_decides_which_test_cases_fail() {
    // The two findings rated warnings: below the default threshold.
    let tree = common::temp_copy("xml-guest-profile");
    std::fs::write(
        tree.path().join(".doublecheck.yml"),
        "rules:\n  severity:\n    'SF-GUEST-*': warning\n",
    )
    .expect("write the config");
    let (code, xml) = scan(tree.path(), &[]);
    assert_eq!(code, 0);
    let passing = outcomes(&valid(&xml));
    assert_eq!(passing.len(), 2);
    assert!(passing.iter().all(|(_, _, o)| o == "passed"), "{passing:?}");
    let (code, xml) = scan(tree.path(), &["--fail-on", "warning"]);
    assert_eq!(code, 1);
    let failing = outcomes(&valid(&xml));
    assert_eq!(failing.len(), 2);
    assert!(
        failing.iter().all(|(_, _, o)| o == "failure"),
        "{failing:?}"
    );
}

#[test]
fn the_schema_check_can_fail() {
    let (_, xml) = scan(&fixture("xml-guest-profile"), &[]);
    let document = roxmltree::Document::parse(&xml).expect("XML");
    let mut root = tree(document.root_element());
    // An undeclared attribute, a missing required one, an element out of place.
    root["attributes"]["skipped"] = Value::from("0");
    let suite = &mut root["children"][1];
    suite["attributes"]
        .as_object_mut()
        .expect("attributes")
        .remove("errors");
    suite["children"][0]["children"][0]["name"] = Value::from("failed");
    let errors = schema_errors(&root);
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

/// Every outcome, hostile text, related locations and the counts of a base.
#[test]
fn hand_built_report() {
    let mut hostile = finding("E-1", Severity::Error, "dir/<a> & \"b\".yml", 2);
    hostile.message = "value `x]]>\n<y/>` & 'q' \u{1b}[31m\u{0}".to_owned();
    let mut report = hand_built::report(vec![
        // Fails: one finding with a related location, one existing beside it.
        related(
            finding("E-1", Severity::Error, "a.yml", 1),
            "c.yml",
            4,
            "why <it> holds",
        ),
        existing(finding("E-1", Severity::Error, "a.yml", 5)),
        hostile,
        // Skipped: accepted, one suppressed and one existing.
        suppressed(
            finding("E-1", Severity::Error, "b.yml", 9),
            "reviewed & <ok>",
        ),
        existing(finding("E-1", Severity::Error, "b.yml", 12)),
        // Passes: a warning, below --fail-on error.
        finding("W-1", Severity::Warning, "b.yml", 3),
        // An error: the file could not be parsed.
        finding("DC-PARSE", Severity::Error, "broken.json", 1),
    ]);
    report.base = Some("git origin/main".to_owned());
    let xml = rendered(OutputFormat::Junit, &report);
    let root = valid(&xml);
    let outcome = |path: &str| -> String {
        outcomes(&root)
            .into_iter()
            .find(|(_, p, _)| p == path)
            .map(|(_, _, o)| o)
            .unwrap_or_default()
    };
    assert_eq!(outcome("a.yml"), "failure");
    assert_eq!(outcome("b.yml"), "skipped");
    assert_eq!(outcome("broken.json"), "error");
    assert_eq!(outcome("dir/<a> & \"b\".yml"), "failure");
    let document = roxmltree::Document::parse(&xml).expect("XML");
    let hostile = document
        .descendants()
        .find(|n| n.attribute("name") == Some("dir/<a> & \"b\".yml"))
        .expect("the hostile test case");
    let failure = hostile.first_element_child().expect("a failure");
    assert_eq!(
        failure.attribute("message"),
        Some("value `x]]>\n<y/>` & 'q' \\u{1b}[31m\\u{0}")
    );
    insta::assert_snapshot!("hand_built_junit", xml);
}
