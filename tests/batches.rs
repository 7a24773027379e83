//! A scan checks files in batches and holds only the first-read kinds to the end
//! (src/schedule.rs). Its findings must not depend on where the batches fall: every fixture
//! tree and the real corpus give byte-identical reports (JSON and text, with its snippets)
//! with batches of one file, where any fact joining two files of different batches would be
//! lost, and with batches cut by size (`DOUBLECHECK_BATCH_BYTES`) rather than by count.

mod common;

use std::path::PathBuf;

use common::{corpus, doublecheck, repo};

fn scan(path: &PathBuf, format: &str, batch_files: Option<&str>, jobs: &str) -> (i32, String) {
    scan_with(
        path,
        format,
        &[("DOUBLECHECK_BATCH_FILES", batch_files)],
        jobs,
    )
}

/// A scan with the batch-size variables set as given (`None`: the default).
fn scan_with(
    path: &PathBuf,
    format: &str,
    variables: &[(&str, Option<&str>)],
    jobs: &str,
) -> (i32, String) {
    let mut cmd = doublecheck();
    cmd.args(["scan", "--format", format, "--jobs", jobs])
        .arg(path)
        .env_remove("DOUBLECHECK_BATCH_FILES")
        .env_remove("DOUBLECHECK_BATCH_BYTES");
    for (name, value) in variables {
        if let Some(value) = value {
            cmd.env(name, value);
        }
    }
    let output = cmd.output().expect("doublecheck runs");
    let code = output.status.code().expect("an exit code");
    (code, String::from_utf8(output.stdout).expect("UTF-8"))
}

#[test]
fn findings_do_not_depend_on_batches() {
    let mut trees: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures"))
        .expect("the fixtures folder")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.is_dir())
        .collect();
    trees.sort();
    trees.push(corpus(""));
    assert!(trees.len() > 20, "fixtures found: {trees:?}");
    let mut findings = 0;
    for tree in &trees {
        let (code, whole) = scan(tree, "json", None, "2");
        let (code_one, one) = scan(tree, "json", Some("1"), "2");
        let (code_serial, serial) = scan(tree, "json", Some("1"), "1");
        assert_eq!(
            (code, &whole),
            (code_one, &one),
            "{} differs with batches of one file",
            tree.display()
        );
        assert_eq!((code, &whole), (code_serial, &serial), "{}", tree.display());
        // A bound of one byte closes a batch after every file (or Terraform folder).
        let by_size = scan_with(tree, "json", &[("DOUBLECHECK_BATCH_BYTES", Some("1"))], "2");
        assert_eq!(
            (code, &whole),
            (by_size.0, &by_size.1),
            "{} differs with batches cut by size",
            tree.display()
        );
        // Snippets come from excerpts cut in each batch: the text report shows the same lines.
        assert_eq!(
            scan(tree, "text", None, "2"),
            scan(tree, "text", Some("1"), "2"),
            "{}: text report",
            tree.display()
        );
        if let Ok(report) = serde_json::from_str::<serde_json::Value>(&whole) {
            findings += report["findings"].as_array().map_or(0, Vec::len);
        }
    }
    // The comparison means something only if the trees have cross-file findings to lose.
    assert!(findings > 100, "only {findings} findings in all trees");
}
