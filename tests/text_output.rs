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
