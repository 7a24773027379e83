//! Which files a scan reads: `.gitignore`, hidden folders, `.git/`, and paths that are empty,
//! missing or unreadable.

mod common;

use std::fs;
use std::path::Path;

use common::{fixture, run, scan_json, spot, spots, summary, temp_copy};

/// A branch-protection export that requires no approval: GH-REVIEW-002 at 2:72.
const VIOLATING_JSON: &str = "tests/fixtures/walk/generated/protection/main.json";

/// The `walk` fixture with its `gitignore` turned into `.gitignore` (a committed
/// `.gitignore` would keep git from committing the folder it ignores).
fn walk_tree() -> tempfile::TempDir {
    let dir = temp_copy("walk");
    fs::rename(dir.path().join("gitignore"), dir.path().join(".gitignore"))
        .expect("rename gitignore");
    dir
}

#[test]
fn the_fixture_violates_where_nothing_is_ignored() {
    // Scanned in place (no `.gitignore`), the file under generated/ is reported: the
    // tests below that expect it to be skipped are not vacuous.
    let run = scan_json(&fixture("walk"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        spots(&run.json()),
        vec![
            spot("GH-REVIEW-001", ".github/settings.yml", 5, 42),
            spot("GH-REVIEW-002", "generated/protection/main.json", 2, 72),
        ]
    );
}

#[test]
fn gitignored_folders_are_skipped_and_hidden_folders_entered() {
    let tree = walk_tree();
    assert!(tree.path().join("generated/protection/main.json").is_file());
    let run = scan_json(tree.path(), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![spot("GH-REVIEW-001", ".github/settings.yml", 5, 42)]
    );
    // .github/settings.yml and protection/main.json (which requires one approval).
    assert_eq!(summary(&report, "files_checked"), 2);
}

#[test]
fn the_git_folder_is_never_entered() {
    let tree = walk_tree();
    let violating = fs::read(fixture("walk/generated/protection/main.json")).expect("read");
    let git = tree.path().join(".git");
    fs::create_dir_all(git.join("refs")).expect("create .git/refs");
    fs::write(git.join("protection.json"), &violating).expect("write .git/protection.json");
    fs::write(git.join("refs/main.json"), &violating).expect("write .git/refs/main.json");
    let run = scan_json(tree.path(), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![spot("GH-REVIEW-001", ".github/settings.yml", 5, 42)]
    );
    assert_eq!(summary(&report, "files_checked"), 2);
}

#[test]
fn an_ignored_file_given_explicitly_is_scanned() {
    let tree = walk_tree();
    let file = tree.path().join("generated/protection/main.json");
    let root = tree.path().to_str().expect("UTF-8 path");
    let run = scan_json(&file, &["--root", root]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        spots(&run.json()),
        vec![spot(
            "GH-REVIEW-002",
            "generated/protection/main.json",
            2,
            72
        )]
    );
}

#[test]
fn a_single_file_is_shown_relative_to_the_current_folder() {
    // No --root and a file (not a folder) to scan: paths are relative to the current
    // folder, which is the repository root here.
    let run = scan_json(Path::new(VIOLATING_JSON), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        spots(&run.json()),
        vec![spot("GH-REVIEW-002", VIOLATING_JSON, 2, 72)]
    );
}

/// An empty folder gives an empty report, and exit 2: a run that checked nothing vouches
/// for nothing (tests/no_inputs.rs has the message).
#[test]
fn an_empty_folder_gives_an_empty_report() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(summary(&report, "files_checked"), 0);
    assert_eq!(summary(&report, "documents"), 0);
    assert_eq!(summary(&report, "findings"), 0);
    assert_eq!(spots(&report), vec![]);
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let missing = dir.path().join("no-such-folder");
    let run = scan_json(&missing, &[]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "doublecheck: `{}` does not exist; give files or folders to scan\n",
            missing.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn a_broken_symlink_given_explicitly_is_unreadable() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let link = dir.path().join("x.profile");
    std::os::unix::fs::symlink(dir.path().join("gone.profile"), &link).expect("symlink");
    let root = dir.path().to_str().expect("UTF-8 path");
    let run = scan_json(&link, &["--root", root]);
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![spot("DC-UNREADABLE", "x.profile", 1, 1)]
    );
    let message = report["findings"][0]["message"].as_str().expect("message");
    assert!(
        message.starts_with("cannot read this file: "),
        "message: {message}"
    );
    assert_eq!(summary(&report, "unreadable"), 1);
    assert_eq!(summary(&report, "errors"), 1);
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_unreadable() {
    use std::os::unix::fs::PermissionsExt;

    let dir = temp_copy("xml-guest-profile");
    let file = dir
        .path()
        .join("force-app/main/default/profiles/Partner Portal Profile.profile-meta.xml");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    if fs::read(&file).is_ok() {
        // Running as root (or with CAP_DAC_OVERRIDE): permissions do not stop reads, so
        // there is nothing to test; the broken-symlink test covers unreadable files.
        eprintln!("skipped: the file is still readable after chmod 000 (running as root?)");
        return;
    }
    let run = scan_json(dir.path(), &[]);
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).expect("chmod back");
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![spot(
            "DC-UNREADABLE",
            "force-app/main/default/profiles/Partner Portal Profile.profile-meta.xml",
            1,
            1
        )]
    );
    assert_eq!(summary(&report, "unreadable"), 1);
}

#[cfg(unix)]
#[test]
fn text_output_shows_the_same_column_as_json_for_unreadable_files() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let link = dir.path().join("x.profile");
    std::os::unix::fs::symlink(dir.path().join("gone.profile"), &link).expect("symlink");
    let root = dir.path().to_str().expect("UTF-8 path");
    let run = run([
        "scan".as_ref(),
        link.as_os_str(),
        "--root".as_ref(),
        root.as_ref(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(run.code, 2);
    let arrow = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("-->"))
        .expect("a location line");
    assert_eq!(arrow.trim_start(), "--> x.profile:1:1");
}
