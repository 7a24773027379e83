//! The progress bar never reaches a pipe or a log, and the options around it (`--no-progress`,
//! `--jobs`). What is drawn on a terminal, and when, is tested in `src/progress.rs`.

mod common;

use common::{corpus, doublecheck, repo};

/// A scan with stderr piped, in an environment that would otherwise draw at once (a terminal
/// type, no CI, no delay): stderr holds exactly what it holds with `--no-progress`.
#[test]
fn a_piped_scan_prints_no_progress() {
    let scan = |extra: &[&str]| {
        let output = doublecheck()
            .arg("scan")
            .arg(corpus("salesforce/ebikes-lwc"))
            .args(extra)
            .env("TERM", "xterm-256color")
            .env_remove("CI")
            .env("DOUBLECHECK_PROGRESS_DELAY_MS", "0")
            .output()
            .expect("doublecheck runs");
        assert_eq!(output.status.code(), Some(1), "the corpus has findings");
        (
            String::from_utf8(output.stdout).expect("UTF-8"),
            String::from_utf8(output.stderr).expect("UTF-8"),
        )
    };
    let (stdout, stderr) = scan(&[]);
    assert!(!stderr.contains("scanning"), "{stderr}");
    assert!(!stderr.contains(['\r', '\u{1b}']), "{stderr:?}");
    assert!(!stdout.contains(['\r', '\u{1b}']), "{stdout:?}");
    assert_eq!((stdout, stderr), scan(&["--no-progress"]));
    let (_, stderr) = scan(&["--format", "json"]);
    assert!(!stderr.contains("scanning"), "{stderr}");
}

#[test]
fn no_progress_is_an_option_of_every_scanning_command() {
    for command in [
        &["scan"][..],
        &["baseline", "create"],
        &["baseline", "update"],
    ] {
        let output = doublecheck()
            .args(command)
            .arg("--help")
            .output()
            .expect("doublecheck runs");
        let help = String::from_utf8(output.stdout).expect("UTF-8");
        assert!(help.contains("--no-progress"), "{command:?}: {help}");
        assert!(help.contains("--jobs"), "{command:?}: {help}");
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let output = doublecheck()
        .args(["baseline", "create", "--no-progress", "--output"])
        .arg(dir.path().join("baseline.json"))
        .arg(repo().join("tests/fixtures/yaml-settings"))
        .output()
        .expect("doublecheck runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

#[test]
fn jobs_must_be_at_least_one() {
    let output = doublecheck()
        .args(["scan", "--jobs", "0", "tests/fixtures/yaml-settings"])
        .output()
        .expect("doublecheck runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(stderr.contains("--jobs must be at least 1"), "{stderr}");
}

/// Without `--jobs` the scan runs on rayon's global pool, whose size is what `--help`
/// promises: `std::thread::available_parallelism`, which counts CPU affinity and cgroup
/// quotas (unless `RAYON_NUM_THREADS` says otherwise).
#[test]
fn the_default_pool_has_a_thread_per_available_core() {
    if std::env::var_os("RAYON_NUM_THREADS").is_some() {
        return;
    }
    let available = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(rayon::current_num_threads(), available);
}
