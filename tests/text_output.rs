//! Human output, pinned with insta snapshots (tests/snapshots/). Paths are relative (the
//! binary runs from the repository root), colour is off.

mod common;

use common::run;

#[test]
fn guest_profile_finding() {
    let run = run([
        "scan",
        "tests/fixtures/xml-guest-profile",
        "--color",
        "never",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("xml_guest_profile", run.stdout);
}

#[test]
fn non_ascii_line_keeps_the_marker_under_the_value() {
    let run = run(["scan", "tests/fixtures/yaml-settings", "--color", "never"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("yaml_settings", run.stdout);
}

#[test]
fn policy_error_on_stderr() {
    let run = run([
        "scan",
        "tests/fixtures/xml-guest-profile",
        "--policies",
        "tests/fixtures/bad-policies/unknown-key",
        "--color",
        "never",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("policy_error_unknown_key", run.stderr);
}

#[test]
fn color_always_is_ansi_and_never_is_plain() {
    let args = |color| ["scan", "tests/fixtures/yaml-settings", "--color", color];
    let always = run(args("always"));
    let never = run(args("never"));
    assert!(
        always.stdout.contains("\u{1b}["),
        "--color always has ANSI codes"
    );
    assert!(!never.stdout.contains('\u{1b}'), "--color never has none");
    // NO_COLOR (set by the helpers) does not override an explicit --color always.
    assert_ne!(always.stdout, never.stdout);
}

/// The help line under a finding is the remediation's first paragraph on one line: for
/// every built-in policy it is a whole sentence, never a fragment that ended in a colon
/// introducing an example (the example is `doublecheck explain`'s).
#[test]
fn every_builtin_help_line_is_a_sentence() {
    use std::sync::Arc;

    use doublecheck::policy::{PolicySet, load_builtin_checked};
    use doublecheck::render::{OutputFormat, TextStyle, render};
    use doublecheck::scan::scan_memory;

    let policies = load_builtin_checked().expect("the built-in policies load");
    let mut fragments = Vec::new();
    for policy in policies {
        let id = policy.id().to_owned();
        let example = policy
            .spec()
            .examples
            .iter()
            .find(|e| !e.expect.is_empty())
            .expect("every built-in policy has a failing example");
        let files: Vec<(String, String)> = example
            .files
            .iter()
            .map(|f| (f.path.clone(), f.content.clone()))
            .collect();
        let report = scan_memory(&files, &PolicySet::of(vec![Arc::new(policy)]));
        let mut text = Vec::new();
        render(OutputFormat::Text, &report, TextStyle::Plain, &mut text).expect("rendered");
        let text = String::from_utf8(text).expect("UTF-8");
        let suffix = format!(" (doublecheck explain {id})");
        let help = text
            .lines()
            .find_map(|l| l.strip_prefix("help: "))
            .unwrap_or_else(|| panic!("{id}: no help line in\n{text}"));
        let sentence = help.strip_suffix(suffix.as_str()).unwrap_or(help);
        let ends = sentence.trim_end_matches([')', '"', '\'', '`']);
        if !ends.ends_with(['.', '!', '?']) {
            fragments.push(format!("{id}: {sentence}"));
        }
    }
    assert!(
        fragments.is_empty(),
        "help lines that are not a sentence (end the remediation's first paragraph with a \
         full stop; an example goes in a later paragraph):\n{}",
        fragments.join("\n")
    );
}
