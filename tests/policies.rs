//! Policy files: mistakes reported at their line and column, `doublecheck test`,
//! `doublecheck explain`, and severities against `--fail-on`.

mod common;

use common::{Run, fixture, repo, run, scan_json, spot, spots, summary};

/// Scans the XML fixture with one folder of tests/fixtures/bad-policies/ (relative paths,
/// as a user would type them).
fn scan_with_bad_policy(case: &str) -> Run {
    let dir = format!("tests/fixtures/bad-policies/{case}");
    run([
        "scan",
        "tests/fixtures/xml-guest-profile",
        "--policies",
        &dir,
        "--color",
        "never",
    ])
}

/// The parts of a rendered policy error: title, location, help (if any).
fn policy_error(run: &Run) -> (String, String, Option<String>) {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert_eq!(run.stdout, "", "nothing is scanned");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines.last().copied(),
        Some("doublecheck: 1 error in policy files; nothing was scanned")
    );
    let arrow = lines
        .iter()
        .find(|l| l.trim_start().starts_with("--> "))
        .expect("a `-->` location line");
    let help = lines
        .iter()
        .find(|l| l.starts_with("help: "))
        .map(|l| (*l).to_owned());
    (lines[0].to_owned(), arrow.trim_start().to_owned(), help)
}

#[test]
fn unknown_key() {
    let (title, at, help) = policy_error(&scan_with_bad_policy("unknown-key"));
    assert_eq!(title, "error: unknown key `selec`");
    assert_eq!(
        at,
        "--> tests/fixtures/bad-policies/unknown-key/ACME-GUEST-001.yaml:10:1"
    );
    assert_eq!(help.as_deref(), Some("help: did you mean `select`?"));
}

#[test]
fn invalid_json_schema_in_require() {
    // `    object: {type: strin}` on line 13: `strin` starts at column 20.
    let (title, at, help) = policy_error(&scan_with_bad_policy("invalid-schema"));
    assert_eq!(
        title,
        "error: invalid JSON Schema in `require`: `properties.object.type` must be `array`, \
         `boolean`, `integer`, `null`, `number`, `object` or `string`, not `strin`"
    );
    assert_eq!(
        at,
        "--> tests/fixtures/bad-policies/invalid-schema/ACME-GUEST-002.yaml:13:20"
    );
    assert_eq!(help.as_deref(), Some("help: did you mean `string`?"));
}

#[test]
fn bad_jsonpath_in_select() {
    let (title, at, help) = policy_error(&scan_with_bad_policy("bad-jsonpath"));
    assert_eq!(
        title,
        "error: invalid JSONPath: at position 29, in long-hand segment, expected closing ']'"
    );
    assert_eq!(
        at,
        "--> tests/fixtures/bad-policies/bad-jsonpath/ACME-GUEST-003.yaml:10:38"
    );
    assert_eq!(
        help.as_deref(),
        Some("help: `select` is an RFC 9535 JSONPath, e.g. `$.Profile.objectPermissions[*]`")
    );
}

#[test]
fn unknown_fact() {
    let (title, at, help) = policy_error(&scan_with_bad_policy("unknown-fact"));
    assert_eq!(title, "error: unknown fact `salesforce/guest-profil`");
    assert_eq!(
        at,
        "--> tests/fixtures/bad-policies/unknown-fact/ACME-GUEST-004.yaml:9:9"
    );
    assert_eq!(
        help.as_deref(),
        Some("help: did you mean `salesforce/guest-profile`?")
    );
}

/// The error lines of a rendered policy error run: each title, location and help, in
/// order, without the source snippets.
fn error_lines(run: &Run) -> Vec<String> {
    run.stderr
        .lines()
        .filter(|l| {
            l.starts_with("error: ")
                || l.starts_with("help: ")
                || l.trim_start().starts_with("--> ")
                || l.starts_with("doublecheck: ")
        })
        .map(|l| l.trim_start().to_owned())
        .collect()
}

/// A policy with no examples, a misspelt fact and an unclosed JSONPath: the missing key does
/// not hide the other two.
#[test]
fn every_mistake_of_a_policy_is_reported_at_once() {
    let run = scan_with_bad_policy("three-mistakes");
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    assert_eq!(run.stdout, "");
    let file = "tests/fixtures/bad-policies/three-mistakes/ACME-GUEST-005.yaml";
    assert_eq!(
        error_lines(&run),
        vec![
            "error: missing required key `examples`".to_owned(),
            format!("--> {file}:1:1"),
            "help: add `examples` at the top level of the file; schemas/policy.schema.json \
             describes it"
                .to_owned(),
            "error: unknown fact `salesforce/guest-profil`".to_owned(),
            format!("--> {file}:10:9"),
            "help: did you mean `salesforce/guest-profile`?".to_owned(),
            "error: invalid JSONPath: at position 29, in long-hand segment, expected closing ']'"
                .to_owned(),
            format!("--> {file}:11:38"),
            "help: `select` is an RFC 9535 JSONPath, e.g. `$.Profile.objectPermissions[*]`"
                .to_owned(),
            "doublecheck: 3 errors in policy files; nothing was scanned".to_owned(),
        ]
    );
}

/// A kind no file has, a misspelt filter and a misspelt placeholder: each at its own
/// column, with the name it should have been.
#[test]
fn kinds_filters_and_placeholders_that_name_nothing() {
    let run = scan_with_bad_policy("names-nothing");
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    assert_eq!(run.stdout, "");
    let file = "tests/fixtures/bad-policies/names-nothing/ACME-GUEST-006.yaml";
    assert_eq!(
        error_lines(&run),
        vec![
            "error: unknown kind `salesfroce/PermissionSet`: no file doublecheck reads is of \
             this kind"
                .to_owned(),
            format!("--> {file}:9:34"),
            "help: did you mean `salesforce/PermissionSet`?".to_owned(),
            "error: unknown filter `|befor` in `message`".to_owned(),
            format!("--> {file}:14:45"),
            "help: did you mean `{object|before:_}`?".to_owned(),
            "error: unknown placeholder `{failed-kye}` in `message`".to_owned(),
            format!("--> {file}:14:62"),
            "help: did you mean `{failed-key}`?".to_owned(),
            "doublecheck: 3 errors in policy files; nothing was scanned".to_owned(),
        ]
    );
    // The snippet underlines the placeholder itself.
    assert!(
        run.stderr.contains(
            "14 | message: \"guest users can see every {object|befor:_} record ({failed-kye})\"\n   \
             |                                                              ^^^^^^^^^^^^\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn policy_errors_stop_test_and_explain_too() {
    for case in [
        "unknown-key",
        "invalid-schema",
        "bad-jsonpath",
        "unknown-fact",
        "three-mistakes",
        "names-nothing",
    ] {
        let dir = format!("tests/fixtures/bad-policies/{case}");
        let test = run(["test", &dir, "--color", "never"]);
        assert_eq!(test.code, 2, "test {case}: {}", test.stderr);
        let explain = run(["explain", "SF-GUEST-001", "--policies", &dir]);
        assert_eq!(explain.code, 2, "explain {case}: {}", explain.stderr);
    }
}

#[test]
fn builtin_policies_pass_their_examples() {
    let run = run(["test", "policies", "--color", "never"]);
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    let [examples @ .., counts, last] = lines.as_slice() else {
        panic!("no closing lines: {}", run.stdout);
    };
    let passed = examples.iter().filter(|l| l.starts_with("ok   ")).count();
    assert!(passed > 0);
    assert_eq!(
        examples.iter().filter(|l| !l.is_empty()).count(),
        passed,
        "every example line is `ok`: {}",
        run.stdout
    );
    let policy_files = std::fs::read_dir(repo().join("policies"))
        .expect("list policies/")
        .flat_map(|family| std::fs::read_dir(family.expect("entry").path()).expect("list"))
        .filter(|f| {
            f.as_ref()
                .is_ok_and(|f| f.path().extension().is_some_and(|e| e == "yaml"))
        })
        .count();
    assert_eq!(
        *counts,
        format!("{policy_files} policies, {passed} examples")
    );
    assert_eq!(*last, format!("examples: {passed} passed, 0 failed"));
    // Without a folder, `test` runs the built-in policies: the same ones.
    let builtin = common::run(["test", "--color", "never"]);
    assert_eq!(builtin.code, 0);
    assert_eq!(builtin.stdout, run.stdout);
}

#[test]
fn a_wrong_expected_location_fails_the_policy_test() {
    let run = run([
        "test",
        "tests/fixtures/policies-wrong-example",
        "--color",
        "never",
    ]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        run.stdout,
        "FAIL ACME-LEAD-001 example `guest can delete leads`: expected findings at \
         src/profiles/Shop Profile.profile:4:9, got src/profiles/Shop Profile.profile:4:22 \
         (in tests/fixtures/policies-wrong-example/ACME-LEAD-001.yaml)\n     \
         src/profiles/Shop Profile.profile:4:22: A guest profile can delete leads: false was \
         expected\n\
         ok   ACME-LEAD-001 example `guest cannot delete leads` (0 findings)\n\
         \n\
         1 policy, 2 examples\n\
         examples: 1 passed, 1 failed\n"
    );
}

#[test]
fn a_wrong_expected_message_fails_the_example() {
    let run = run([
        "test",
        "tests/fixtures/policies-wrong-message",
        "--color",
        "never",
    ]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "FAIL ACME-LEAD-002 example `guest can delete and edit leads`: the finding at \
         src/profiles/Shop Profile.profile:5:20 has another message than the example expects \
         (tests/fixtures/policies-wrong-message/ACME-LEAD-002.yaml:33:40)\n\
         \x20    expected: guest users can edit on Lead\n\
         \x20    actual:   guest users can allowEdit on Lead\n\
         \x20                              ^ first difference\n\
         \x20    if the actual message is right, write it in the example's `message`; if not, \
         fix the policy's `message` template\n\
         ok   ACME-LEAD-002 example `guest can only read leads` (0 findings)\n\
         \n\
         1 policy, 2 examples\n\
         examples: 1 passed, 1 failed\n"
    );
}

/// Every example of every built-in policy asserts the message of each finding it expects,
/// so a change to a template or to what a placeholder renders shows in `doublecheck test`.
#[test]
fn every_builtin_example_asserts_its_messages() {
    let policies = doublecheck::policy::load_builtin_checked().expect("built-in policies load");
    let mut entries = 0;
    for policy in &policies {
        for example in &policy.spec().examples {
            for (i, expected) in example.expect.iter().enumerate() {
                entries += 1;
                assert!(
                    expected.message.as_deref().is_some_and(|m| !m.is_empty()),
                    "{}: example `{}`, expect entry {} (line {}, column {}) has no `message`",
                    policy.origin.path,
                    example.name,
                    i + 1,
                    expected.line,
                    expected.column
                );
            }
        }
    }
    assert!(entries > 100, "{entries} expect entries");
}

#[test]
fn the_k8s_fixture_policy_passes_its_examples() {
    let run = run(["test", "tests/fixtures/policies-k8s", "--color", "never"]);
    assert_eq!(run.code, 0, "stdout: {}", run.stdout);
    assert_eq!(
        run.stdout.lines().last(),
        Some("examples: 2 passed, 0 failed")
    );
}

#[test]
fn explain_names_the_incident_and_the_remediation() {
    let run = run(["explain", "SF-GUEST-001"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let out = &run.stdout;
    assert_eq!(
        out.lines().next(),
        Some("SF-GUEST-001 (error): Guest users can edit, delete or see every record of an object")
    );
    assert!(
        out.lines().any(|l| l == "Why (incident rakuten-2020):"),
        "{out}"
    );
    let remediation = "\nHow to fix:\n\
        Set viewAllRecords, modifyAllRecords, allowEdit and allowDelete to false for the object in\n\
        the guest profile or guest permission set. Give guests access to exactly the records they\n\
        need with a guest sharing rule (read only), and do writes through a controller that checks\n\
        its input.\n";
    assert!(out.contains(remediation), "{out}");
}

#[test]
fn explain_an_unknown_id() {
    let run = run(["explain", "SF-NOPE-001"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "doublecheck: no policy `SF-NOPE-001`; `doublecheck policies` lists them\n"
    );
}

#[test]
fn a_warning_fails_only_from_fail_on_warning() {
    let policies = fixture("policies-wrong-example");
    let policies = policies.to_str().expect("UTF-8 path");
    let base = ["--no-builtin", "--policies", policies];
    let expected = vec![spot(
        "ACME-LEAD-001",
        "src/profiles/Shop Profile.profile",
        5,
        22,
    )];

    let default = scan_json(&fixture("warning-only"), &base);
    assert_eq!(default.code, 0, "stderr: {}", default.stderr);
    let report = default.json();
    assert_eq!(spots(&report), expected);
    assert_eq!(report["findings"][0]["severity"], "warning");
    assert_eq!(summary(&report, "warnings"), 1);
    assert_eq!(summary(&report, "errors"), 0);

    for (fail_on, code) in [("error", 0), ("warning", 1), ("note", 1)] {
        let mut args = base.to_vec();
        args.extend(["--fail-on", fail_on]);
        let run = scan_json(&fixture("warning-only"), &args);
        assert_eq!(run.code, code, "--fail-on {fail_on}");
        assert_eq!(spots(&run.json()), expected);
    }
}

#[test]
fn a_policy_with_one_example_is_told_what_examples_need() {
    let run = scan_with_bad_policy("one-example");
    let (title, at, help) = policy_error(&run);
    assert_eq!(
        title,
        "error: `examples` must have at least 2 items; it has 1"
    );
    assert_eq!(
        at,
        "--> tests/fixtures/bad-policies/one-example/ACME-GUEST-003.yaml:12:3"
    );
    assert_eq!(
        help.as_deref(),
        Some(
            "help: Documents that `doublecheck test` checks: at least one that fails (with the \
             expected finding locations) and one that passes (expect: [])."
        )
    );
    assert!(
        !run.stderr.contains("\"name\""),
        "no JSON dump: {}",
        run.stderr
    );
}
