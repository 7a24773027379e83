//! Several outputs in one run: `--output FORMAT=PATH` (repeatable, `-` for standard output)
//! and `--sarif-file PATH`, each file byte for byte what `--format FORMAT` prints, the exit
//! code and standard output as without them; and every mistake an exit 2 that says what to
//! do, found before anything is scanned.

mod common;

use std::ffi::OsString;
use std::path::Path;

use common::{Run, run};

const TREE: &str = "tests/fixtures/xml-guest-profile";

fn scan(extra: &[OsString]) -> Run {
    let mut args: Vec<OsString> = vec!["scan".into(), TREE.into()];
    args.extend(extra.iter().cloned());
    run(args)
}

/// `--output FORMAT=PATH`.
fn output(format: &str, path: &Path) -> [OsString; 2] {
    let mut value = OsString::from(format!("{format}="));
    value.push(path);
    ["--output".into(), value]
}

fn args(parts: &[&[OsString]]) -> Vec<OsString> {
    parts.iter().flat_map(|p| p.iter().cloned()).collect()
}

/// What `--format FORMAT` prints for the tree.
fn printed(format: &str) -> String {
    let run = scan(&["--format".into(), format.into()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.stdout
}

#[test]
fn every_output_is_written_and_standard_output_is_unchanged() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = |name: &str| dir.path().join(name);
    let run = scan(&args(&[
        &output("sarif", &file("doublecheck.sarif")),
        &output("gitlab", &file("gl-code-quality-report.json")),
        &output("junit", &file("junit.xml")),
        &output("json", &file("report.json")),
        &output("text", &file("report.txt")),
        &["--sarif-file".into(), file("also.sarif").into()],
    ]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    // Standard output is --format's default, text, as without --output.
    assert_eq!(run.stdout, printed("text"));
    let read = |name: &str| std::fs::read_to_string(file(name)).expect("written");
    assert_eq!(read("doublecheck.sarif"), printed("sarif"));
    assert_eq!(read("also.sarif"), printed("sarif"));
    assert_eq!(read("gl-code-quality-report.json"), printed("gitlab"));
    assert_eq!(read("junit.xml"), printed("junit"));
    assert_eq!(read("report.json"), printed("json"));
    assert_eq!(read("report.txt"), printed("text"));
}

#[test]
fn a_dash_puts_an_output_on_standard_output() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sarif = dir.path().join("results.sarif");
    let run = scan(&args(&[
        &["--output".into(), "junit=-".into()],
        &output("sarif", &sarif),
    ]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, printed("junit"));
    assert_eq!(
        std::fs::read_to_string(&sarif).expect("written"),
        printed("sarif")
    );
}

#[test]
fn a_clean_scan_exits_zero_with_every_output_written() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // A tree with a file that is checked and clean (a tree with nothing to check exits 2).
    let clean = tempfile::tempdir().expect("a temporary folder");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - {name: web, image: nginx}\n";
    std::fs::write(clean.path().join("pod.yaml"), pod).expect("write the pod");
    let gitlab = dir.path().join("gl.json");
    let mut all: Vec<OsString> = vec!["scan".into(), clean.path().into()];
    all.extend(output("gitlab", &gitlab));
    all.extend(["--format".into(), "json".into()]);
    let run = run(all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(common::summary(&run.json(), "findings"), 0);
    assert_eq!(std::fs::read_to_string(&gitlab).expect("written"), "[]\n");
}

#[test]
fn an_existing_file_is_replaced() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let gitlab = dir.path().join("gl.json");
    std::fs::write(&gitlab, "x".repeat(100_000)).expect("an old report");
    let run = scan(&output("gitlab", &gitlab));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&gitlab).expect("written"),
        printed("gitlab")
    );
}

/// Runs with `extra`, expects exit 2, nothing on standard output, nothing scanned, and
/// returns standard error.
fn refused(extra: &[OsString]) -> String {
    let run = scan(extra);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(run.stdout, "");
    run.stderr
}

#[test]
fn two_outputs_on_standard_output_are_refused() {
    assert_eq!(
        refused(&[
            "--output".into(),
            "junit=-".into(),
            "--output".into(),
            "gitlab=-".into()
        ]),
        "doublecheck: `--output junit=-` and `--output gitlab=-` both write to standard \
         output; write one of them to a file (`--output gitlab=report.json`)\n"
    );
    assert_eq!(
        refused(&[
            "--format".into(),
            "json".into(),
            "--output".into(),
            "sarif=-".into()
        ]),
        "doublecheck: `--format json` and `--output sarif=-` both write to standard output; \
         leave out one of them, or write one to a file (`--output json=report.json`)\n"
    );
}

#[test]
fn two_outputs_in_one_file_are_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("report");
    let stderr = refused(&args(&[
        &output("json", &path),
        &["--sarif-file".into(), path.clone().into()],
    ]));
    assert_eq!(
        stderr,
        format!(
            "doublecheck: the JSON report and the SARIF report would both be written to `{}`; \
             give each output a file of its own\n",
            path.display()
        )
    );
    assert!(!path.exists(), "nothing written");
}

#[test]
fn a_file_in_a_missing_folder_or_a_folder_is_refused_before_the_scan() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let missing = dir.path().join("missing/folder/junit.xml");
    assert_eq!(
        refused(&output("junit", &missing)),
        format!(
            "doublecheck: cannot write the JUnit report to `{}`: the folder `{}` does not \
             exist; create it first, or choose another path\n",
            missing.display(),
            dir.path().join("missing/folder").display()
        )
    );
    assert_eq!(
        refused(&output("gitlab", dir.path())),
        format!(
            "doublecheck: cannot write the GitLab Code Quality report to `{}`: it is a folder; \
             give a file path, such as `{}`\n",
            dir.path().display(),
            dir.path().join("doublecheck.json").display()
        )
    );
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").expect("a file");
    let inside = file.join("report.sarif");
    assert_eq!(
        refused(&["--sarif-file".into(), inside.clone().into()]),
        format!(
            "doublecheck: cannot write the SARIF report to `{}`: `{}` is not a folder; choose \
             another path\n",
            inside.display(),
            file.display()
        )
    );
}

/// A write that fails once the scan is done (here a full disk) is reported in plain words;
/// the other outputs are written all the same, and the run exits 2.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_is_exit_2_and_the_rest_is_written() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let junit = dir.path().join("junit.xml");
    let run = scan(&args(&[
        &output("gitlab", Path::new("/dev/full")),
        &output("junit", &junit),
        &["--format".into(), "json".into()],
    ]));
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "doublecheck: cannot write the GitLab Code Quality report to `/dev/full`: the disk is \
         full; free some space and run again\n"
    );
    assert_eq!(run.stdout, printed("json"));
    assert_eq!(
        std::fs::read_to_string(&junit).expect("written"),
        printed("junit")
    );
}

#[test]
fn malformed_outputs_say_what_is_expected() {
    for (value, expected) in [
        (
            "results.sarif",
            "write it as FORMAT=PATH, such as `sarif=results.sarif`, or `json=-` for standard \
             output; FORMAT is one of text, json, sarif, github, gitlab, junit",
        ),
        (
            "xml=report.xml",
            "`xml` is not an output format; use one of text, json, sarif, github, gitlab, junit",
        ),
        (
            "junit=",
            "give a file after `junit=`, such as `junit=report.xml`, or `-` for standard output",
        ),
    ] {
        let stderr = refused(&["--output".into(), value.into()]);
        assert!(
            stderr.starts_with(&format!(
                "error: invalid value '{value}' for '--output <FORMAT=PATH>': {expected}\n"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn the_formats_are_listed_in_help() {
    let run = run(["scan", "--help"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("--output <FORMAT=PATH>"),
        "{}",
        run.stdout
    );
    for format in ["gitlab", "junit"] {
        assert!(
            run.stdout.contains(&format!("- {format}:")),
            "{}",
            run.stdout
        );
    }
}
