//! Hostile input (issue 7): whatever a pull request holds, doublecheck must not crash, hang,
//! read outside the tree, write into it, or report "clean" when it could not check
//! something. Each fixture is built in a temporary folder (big files, links, FIFOs and
//! permissions cannot be committed), next to a file that violates a policy, to show that
//! the rest of the tree is still scanned.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use common::{Run, findings, run, scan_json, spot, spots, summary};
use serde_json::Value;

/// A branch-protection export that requires no approval: GH-REVIEW-002 at 2:72.
const VIOLATING: &str = r#"{
  "required_pull_request_reviews": {"required_approving_review_count": 0, "dismiss_stale_reviews": true},
  "enforce_admins": {"enabled": true}
}
"#;

/// A tree holding the violating export at `protection/main.json`.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), "protection/main.json", VIOLATING.as_bytes());
    dir
}

fn write(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
    fs::write(&path, bytes).expect("write a fixture file");
    path
}

/// The violating file's finding, which every scan of [`tree`] must still report.
fn rest_of_tree() -> common::Spot {
    spot("GH-REVIEW-002", "protection/main.json", 2, 72)
}

/// Scans `dir` as JSON, failing the test if the run takes longer than `limit` (a hang).
fn scan_within(dir: &Path, extra: &[&str], limit: Duration) -> Run {
    let started = Instant::now();
    let run = scan_json(dir, extra);
    let took = started.elapsed();
    assert!(took < limit, "the scan took {took:?} (limit {limit:?})");
    run
}

/// The message of the only finding of `rule`.
fn message_of(report: &Value, rule: &str) -> String {
    let matching: Vec<&Value> = findings(report)
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect();
    assert_eq!(matching.len(), 1, "one {rule} finding in {report}");
    matching[0]["message"]
        .as_str()
        .expect("a message")
        .to_owned()
}

/// Asserts a one-file failure of `rule` at `path` beside the still-reported violation.
fn assert_unchecked(
    run: &Run,
    code: i32,
    rule: &str,
    path: &str,
    line: u64,
    column: u64,
) -> String {
    assert_eq!(
        run.code, code,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let report = run.json();
    let mut expected = vec![rest_of_tree(), spot(rule, path, line, column)];
    expected.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    assert_eq!(spots(&report), expected);
    let finding = findings(&report)
        .iter()
        .find(|f| f["rule"] == rule)
        .expect("the finding");
    assert_eq!(finding["severity"], "error");
    assert_eq!(summary(&report, "files_checked"), 1);
    message_of(&report, rule)
}

// ---- part 2: adversarial fixtures ----

#[test]
fn a_yaml_alias_bomb_is_refused() {
    // Billion laughs: nine levels of nine aliases each expand to 9^9 nodes.
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let items = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    bomb.push_str("apiVersion: v1\nkind: ConfigMap\n");
    let dir = tree();
    write(dir.path(), "k8s/bomb.yaml", bomb.as_bytes());
    let run = scan_within(dir.path(), &[], Duration::from_secs(30));
    // At the first alias of line 7, where the expansion passes 1,000,000 nodes (9^7).
    let message = assert_unchecked(&run, 1, "DC-PARSE", "k8s/bomb.yaml", 7, 8);
    assert!(message.contains("alias bomb"), "{message}");
}

/// 100,000 levels: far past the 512 limit, and deep enough to overflow any stack a
/// recursive parser would use.
const DEEP: usize = 100_000;

fn assert_too_deep(rel: &str, text: String) {
    assert_too_deep_as(rel, text, "nesting deeper than 512 levels");
}

fn assert_too_deep_as(rel: &str, text: String, why: &str) {
    let dir = tree();
    write(dir.path(), rel, text.as_bytes());
    let run = scan_within(dir.path(), &[], Duration::from_secs(60));
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let message = message_of(&report, "DC-PARSE");
    assert!(message.contains(why), "{message}");
    assert!(spots(&report).contains(&rest_of_tree()));
    assert_eq!(summary(&report, "files_checked"), 1);
}

#[test]
fn yaml_nested_100000_levels_deep_is_refused() {
    // Of a known kind (a Kubernetes List), or the file would not be read at all.
    let head = "apiVersion: v1\nkind: List\nitems: ";
    let flow = format!("{head}{}{}\n", "[".repeat(DEEP), "]".repeat(DEEP));
    // saphyr's own guard answers first for flow collections.
    assert_too_deep_as("k8s/deep.yaml", flow, "recursion limit exceeded");
    let block: String = (1..DEEP)
        .map(|i| format!("{}- \n", " ".repeat(2 * i)))
        .take(2000)
        .collect();
    assert_too_deep("k8s/deep-block.yaml", format!("{head}\n{block}"));
}

#[test]
fn json_nested_100000_levels_deep_is_refused() {
    let text = format!(
        "{{\"enforce_admins\": {}{}}}",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    assert_too_deep("protection/deep.json", text);
}

#[test]
fn xml_nested_100000_levels_deep_is_refused() {
    let text = format!(
        "<?xml version=\"1.0\"?>\n<Profile>{}{}</Profile>\n",
        "<a>".repeat(DEEP),
        "</a>".repeat(DEEP)
    );
    assert_too_deep("src/profiles/Deep.profile", text);
}

#[test]
fn hcl_nested_100000_levels_deep_is_refused() {
    let text = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    assert_too_deep("infra/deep.tf", text);
    let text = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "(".repeat(DEEP),
        ")".repeat(DEEP)
    );
    assert_too_deep("infra/parens.tf", text);
}

#[test]
fn xml_entities_are_never_expanded_or_fetched() {
    let dir = tree();
    let secret = write(dir.path(), "outside-secret.txt", b"TOP-SECRET-VALUE\n");
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE Profile [\n  <!ENTITY lol \"lol\">\n  <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n<Profile><custom>&lol2;</custom></Profile>\n";
    write(dir.path(), "src/profiles/Laughs.profile", laughs.as_bytes());
    let external = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Profile [<!ENTITY xxe SYSTEM \"file://{}\">]>\n<Profile><custom>&xxe;</custom></Profile>\n",
        secret.display()
    );
    write(
        dir.path(),
        "src/profiles/External.profile",
        external.as_bytes(),
    );
    let run = scan_within(dir.path(), &[], Duration::from_secs(30));
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert!(!run.stdout.contains("TOP-SECRET-VALUE"));
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            rest_of_tree(),
            spot("DC-PARSE", "src/profiles/External.profile", 2, 1),
            spot("DC-PARSE", "src/profiles/Laughs.profile", 2, 1),
        ]
    );
    for finding in findings(&report).iter().filter(|f| f["rule"] == "DC-PARSE") {
        let message = finding["message"].as_str().expect("a message");
        assert_eq!(
            message,
            "invalid XML: a DTD (`<!DOCTYPE`) is refused: entities are never expanded and \
             external ones never fetched; the file was not checked"
        );
    }
    assert_eq!(summary(&report, "files_checked"), 1);
}

#[test]
fn a_200_mb_file_is_not_read_and_is_reported() {
    let dir = tree();
    // Sparse: 200 MB on paper, nothing on disk; a scan that read it would take seconds.
    let big = fs::File::create(dir.path().join("big.yaml")).expect("create");
    big.set_len(200_000_000).expect("grow the file");
    drop(big);
    let run = scan_within(dir.path(), &[], Duration::from_secs(30));
    let message = assert_unchecked(&run, 1, "DC-PARSE", "big.yaml", 1, 1);
    assert_eq!(
        message,
        "the file is 190.7 MiB, over the 64 MiB limit (limits.max-file-size): it was not checked"
    );
}

#[test]
fn the_size_limit_is_configurable() {
    let dir = tree();
    let settings = format!(
        "branches:\n  - name: main\n    protection: null\n{}",
        "# padding\n".repeat(300)
    );
    write(dir.path(), ".github/settings.yml", settings.as_bytes());
    write(
        dir.path(),
        ".doublecheck.yml",
        b"limits:\n  max-file-size: 2 KiB\n",
    );
    let run = scan_json(dir.path(), &[]);
    let message = assert_unchecked(&run, 1, "DC-PARSE", ".github/settings.yml", 1, 1);
    assert_eq!(
        message,
        "the file is 2.9 KiB, over the 2 KiB limit (limits.max-file-size): it was not checked"
    );
    // Raised, the file is read again.
    write(
        dir.path(),
        ".doublecheck.yml",
        b"limits:\n  max-file-size: 1048576\n",
    );
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 1);
    let report = run.json();
    assert!(findings(&report).iter().all(|f| f["rule"] != "DC-PARSE"));
    assert_eq!(summary(&report, "files_checked"), 2);
}

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte() {
    let dir = tree();
    write(
        dir.path(),
        ".github/settings.yml",
        b"branches:\n  - name: ma\xffin\n",
    );
    let run = scan_json(dir.path(), &[]);
    let message = assert_unchecked(&run, 1, "DC-PARSE", ".github/settings.yml", 2, 13);
    assert_eq!(
        message,
        "the file is not UTF-8 text (invalid byte at offset 22)"
    );
}

#[test]
fn a_binary_file_with_a_yaml_name_is_reported() {
    let dir = tree();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..=255u8).cycle().take(4096));
    write(dir.path(), "k8s/logo.yaml", &png);
    let run = scan_json(dir.path(), &[]);
    let message = assert_unchecked(&run, 1, "DC-PARSE", "k8s/logo.yaml", 1, 1);
    assert!(
        message.starts_with("the file is not UTF-8 text"),
        "{message}"
    );
}

#[test]
fn crlf_and_a_byte_order_mark_change_no_location() {
    let dir = tree();
    let lf = "branches:\n  - name: main\n    protection:\n      required_pull_request_reviews:\n        required_approving_review_count: 0\n";
    write(dir.path(), "lf/.github/settings.yml", lf.as_bytes());
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    write(dir.path(), "crlf/.github/settings.yml", crlf.as_bytes());
    let json_crlf = format!("\u{feff}{}", VIOLATING.replace('\n', "\r\n"));
    write(dir.path(), "crlf/protection.json", json_crlf.as_bytes());
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let all = spots(&report);
    let of = |prefix: &str| -> Vec<(String, u64, u64)> {
        all.iter()
            .filter_map(|s| {
                let rest = s.path.strip_prefix(prefix)?;
                Some((format!("{} {rest}", s.rule), s.line, s.column))
            })
            .collect()
    };
    assert!(!of("lf/").is_empty());
    assert_eq!(
        of("lf/"),
        of("crlf/")
            .into_iter()
            .filter(|s| !s.0.contains("protection.json"))
            .collect::<Vec<_>>()
    );
    assert!(all.contains(&spot("GH-REVIEW-002", "crlf/protection.json", 2, 72)));
    assert!(all.iter().all(|s| s.rule != "DC-PARSE"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tree();
    symlink("b.yaml", dir.path().join("a.yaml")).expect("symlink");
    symlink("a.yaml", dir.path().join("b.yaml")).expect("symlink");
    // A folder that links to its parent: walking into it would never end.
    fs::create_dir(dir.path().join("sub")).expect("mkdir");
    symlink("..", dir.path().join("sub/up")).expect("symlink");
    let run = scan_within(dir.path(), &[], Duration::from_secs(30));
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("DC-UNREADABLE", "a.yaml", 1, 1),
            spot("DC-UNREADABLE", "b.yaml", 1, 1),
            rest_of_tree(),
        ]
    );
    for finding in findings(&report)
        .iter()
        .filter(|f| f["rule"] == "DC-UNREADABLE")
    {
        assert_eq!(
            finding["message"],
            "cannot read this file: a symbolic link loop: it was not followed"
        );
    }
    assert_eq!(summary(&report, "files_checked"), 1);
    assert_eq!(summary(&report, "unreadable"), 2);
}

/// A folder beside the scanned tree holding a file that violates a policy.
#[cfg(unix)]
fn outside_with_violation() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let base = tempfile::tempdir().expect("a temporary folder");
    let outside = base.path().join("outside");
    write(&outside, "main.json", VIOLATING.as_bytes());
    let inside = base.path().join("tree");
    write(&inside, "protection/main.json", VIOLATING.as_bytes());
    (base, outside, inside)
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_tree_is_not_followed() {
    use std::os::unix::fs::symlink;
    let (_base, outside, inside) = outside_with_violation();
    symlink(outside.join("main.json"), inside.join("release.json")).expect("symlink");
    symlink(&outside, inside.join("linked-folder")).expect("symlink");
    symlink("/etc/passwd", inside.join("passwd.yaml")).expect("symlink");
    // Links that stay inside are read, under their own name.
    symlink("protection/main.json", inside.join("alias.json")).expect("symlink");
    let run = scan_json(&inside, &[]);
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("GH-REVIEW-002", "alias.json", 2, 72),
            spot("DC-UNREADABLE", "passwd.yaml", 1, 1),
            rest_of_tree(),
            spot("DC-UNREADABLE", "release.json", 1, 1),
        ]
    );
    let message = findings(&report)
        .iter()
        .find(|f| f["location"]["path"] == "release.json")
        .and_then(|f| f["message"].as_str())
        .expect("a message")
        .to_owned();
    assert!(
        message.ends_with("outside the scanned folder: it was not followed"),
        "{message}"
    );
    assert!(
        !run.stdout.contains("root:"),
        "nothing of /etc/passwd is shown"
    );
    assert_eq!(summary(&report, "files_checked"), 2);
}

#[cfg(unix)]
#[test]
fn an_ignore_file_linking_out_of_the_tree_refuses_its_folder() {
    use std::os::unix::fs::symlink;
    let dir = tree();
    write(dir.path(), "sub/protection.json", VIOLATING.as_bytes());
    // Read as a .gitignore, /dev/zero would never end.
    symlink("/dev/zero", dir.path().join("sub/.gitignore")).expect("symlink");
    let run = scan_within(dir.path(), &[], Duration::from_secs(30));
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            rest_of_tree(),
            spot("DC-UNREADABLE", "sub/.gitignore", 1, 1)
        ]
    );
    let message = message_of(&report, "DC-UNREADABLE");
    assert!(
        message.contains("the folder holding it was not scanned"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn a_config_file_linking_out_of_the_tree_is_not_read() {
    use std::os::unix::fs::symlink;
    let (_base, outside, inside) = outside_with_violation();
    // An invalid config would stop the scan and print its line: with a link to
    // /proc/self/environ, the secrets of the CI job.
    write(&outside, "config.yml", b"SECRET_TOKEN=abc123\n");
    symlink(outside.join("config.yml"), inside.join(".doublecheck.yml")).expect("symlink");
    let run = scan_json(&inside, &[]);
    // Not read as settings, and as a `*.yml` link out of the tree, reported.
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    assert!(!run.stdout.contains("abc123") && !run.stderr.contains("abc123"));
    assert_eq!(
        spots(&run.json()),
        vec![
            spot("DC-UNREADABLE", ".doublecheck.yml", 1, 1),
            rest_of_tree()
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_unreadable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree();
    let file = write(dir.path(), ".github/settings.yml", b"branches: []\n");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    if fs::read(&file).is_ok() {
        // Root (or CAP_DAC_OVERRIDE) reads it anyway; the links and FIFO tests cover the
        // unreadable path.
        eprintln!("skipped: the file is still readable after chmod 000 (running as root?)");
        return;
    }
    let run = scan_json(dir.path(), &[]);
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).expect("chmod back");
    let message = assert_unchecked(&run, 2, "DC-UNREADABLE", ".github/settings.yml", 1, 1);
    assert!(message.contains("ermission denied"), "{message}");
}

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn a_fifo_is_never_opened() {
    let dir = tree();
    fs::create_dir_all(dir.path().join(".github")).expect("mkdir");
    if !mkfifo(&dir.path().join(".github/settings.yml")) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    // Opening a FIFO with no writer blocks forever: a hang would fail the time limit.
    let run = scan_within(dir.path(), &[], Duration::from_secs(30));
    let message = assert_unchecked(&run, 2, "DC-UNREADABLE", ".github/settings.yml", 1, 1);
    assert_eq!(
        message,
        "cannot read this file: a FIFO (named pipe), not a regular file: it was not read"
    );
    // Given explicitly, it is refused too.
    let fifo = dir.path().join(".github/settings.yml");
    let root = dir.path().to_str().expect("UTF-8 path");
    let started = Instant::now();
    let run = scan_json(&fifo, &["--root", root]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(run.code, 2);
    assert_eq!(
        spots(&run.json()),
        vec![spot("DC-UNREADABLE", ".github/settings.yml", 1, 1)]
    );
}

// ---- part 3: fail closed, and the per-path opt-out ----

#[test]
fn unchecked_files_are_counted_and_allowed_paths_are_notes() {
    use doublecheck::config::Config;
    use doublecheck::policy::{PolicySet, load_builtin};
    use doublecheck::scan::{ScanRequest, scan};

    let dir = tree();
    write(
        dir.path(),
        "vendor/broken.yaml",
        b"apiVersion: v1\nkind: [\n",
    );
    write(dir.path(), "k8s/broken.yaml", b"apiVersion: v1\nkind: [\n");
    let policies =
        PolicySet::from_policies(load_builtin().expect("built-ins")).expect("unique ids");
    let request = ScanRequest {
        paths: vec![dir.path().to_path_buf()],
        root: dir.path().to_path_buf(),
        repository: true,
        config: Config::default(),
        progress: Default::default(),
        jobs: None,
    };
    let report = scan(&request, &policies);
    assert_eq!(report.files_checked, 1);
    assert_eq!(report.files_unchecked, 2);

    // Opted out by path: still reported (nothing is silent), as a note that does not fail.
    write(
        dir.path(),
        ".doublecheck.yml",
        b"limits:\n  allow-unchecked: ['vendor/**']\n",
    );
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 1);
    let report = run.json();
    let severity = |path: &str| {
        findings(&report)
            .iter()
            .find(|f| f["location"]["path"] == path)
            .map(|f| f["severity"].clone())
    };
    assert_eq!(severity("vendor/broken.yaml"), Some(Value::from("note")));
    assert_eq!(severity("k8s/broken.yaml"), Some(Value::from("error")));
    let note = findings(&report)
        .iter()
        .find(|f| f["location"]["path"] == "vendor/broken.yaml")
        .expect("the note");
    assert!(
        note["message"]
            .as_str()
            .expect("a message")
            .ends_with("(allowed to stay unchecked by limits.allow-unchecked `vendor/**`)")
    );

    // With every unchecked file allowed and the violation gone, the run passes.
    fs::remove_file(dir.path().join("k8s/broken.yaml")).expect("remove");
    fs::remove_file(dir.path().join("protection/main.json")).expect("remove");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 0, "stdout: {}", run.stdout);
}

#[cfg(unix)]
#[test]
fn an_allowed_unreadable_path_does_not_fail_the_run() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    fs::create_dir_all(dir.path().join("vendor")).expect("mkdir");
    if !mkfifo(&dir.path().join("vendor/pipe.yaml")) {
        return;
    }
    write(
        dir.path(),
        ".doublecheck.yml",
        b"limits:\n  allow-unchecked: ['vendor/*.yaml']\n",
    );
    let run = scan_within(dir.path(), &[], Duration::from_secs(30));
    assert_eq!(run.code, 0, "stdout: {}", run.stdout);
    let report = run.json();
    assert_eq!(summary(&report, "unreadable"), 0);
    assert_eq!(findings(&report)[0]["severity"], "note");
}

// ---- part 4: no side effects ----

/// Content and modification time of every file under `root` (links not followed).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).expect("list") {
            let entry = entry.expect("entry");
            let metadata = fs::symlink_metadata(entry.path()).expect("metadata");
            if metadata.is_dir() {
                stack.push(entry.path());
            } else if metadata.is_file() {
                let content = fs::read(entry.path()).expect("read");
                out.insert(entry.path(), (content, metadata.modified().expect("mtime")));
            } else {
                out.insert(
                    entry.path(),
                    (Vec::new(), metadata.modified().expect("mtime")),
                );
            }
        }
    }
    out
}

#[test]
fn a_scan_changes_nothing_in_the_tree() {
    let dir = common::temp_copy("publishing-repo");
    write(dir.path(), "broken.json", b"{\"enforce_admins\": [");
    write(
        dir.path(),
        ".doublecheck.yml",
        b"limits:\n  max-file-size: 1 MiB\n",
    );
    let before = snapshot(dir.path());
    assert!(before.len() > 3);
    for format in ["text", "json", "sarif"] {
        let run = run([
            "scan".as_ref(),
            dir.path().as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    }
    assert_eq!(snapshot(dir.path()), before, "the scan changed the tree");
}

#[test]
fn a_policy_ref_to_a_url_is_refused_not_fetched() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let policy = "id: X-REF-001\ntitle: t\nseverity: error\ndescription: d\nremediation: r\napplies-to: ['github/*']\nrequire:\n  $ref: 'http://127.0.0.1:9/schema.json'\nexamples:\n  - {name: a, files: [{path: a.json, content: '{}'}], expect: []}\n  - {name: b, files: [{path: b.json, content: '{}'}], expect: []}\n";
    write(dir.path(), "policies/ref.yaml", policy.as_bytes());
    // A listener on the port would see a connection if one were attempted.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("non-blocking");
    let port = listener.local_addr().expect("address").port();
    let policy = policy.replace("127.0.0.1:9", &format!("127.0.0.1:{port}"));
    write(dir.path(), "policies/ref.yaml", policy.as_bytes());
    let policies = dir.path().join("policies");
    let run = run([
        "scan".as_ref(),
        dir.path().as_os_str(),
        "--policies".as_ref(),
        policies.as_os_str(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("a policy schema may only `$ref` its own definitions"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("ref.yaml:8:9"), "{}", run.stderr);
    assert!(
        listener.accept().is_err(),
        "doublecheck connected to the URL"
    );
}

// ---- part 5: determinism ----

#[test]
fn output_is_byte_identical_whatever_the_jobs() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for name in [
        "publishing-repo",
        "cloudformation",
        "terraform",
        "kubernetes",
        "xml-guest-profile",
    ] {
        let copy = common::temp_copy(name);
        copy_into(copy.path(), &dir.path().join(name));
    }
    write(dir.path(), "broken/a.json", b"{\"enforce_admins\": [");
    for i in 0..40 {
        write(
            dir.path(),
            &format!("many/p{i:02}.json"),
            VIOLATING.as_bytes(),
        );
    }
    for format in ["json", "sarif"] {
        let out = |jobs: Option<&str>| {
            let mut args: Vec<std::ffi::OsString> = vec![
                "scan".into(),
                dir.path().into(),
                "--format".into(),
                format.into(),
            ];
            if let Some(jobs) = jobs {
                args.extend(["--jobs".into(), jobs.into()]);
            }
            let run = run(args);
            assert_eq!(run.code, 1, "stderr: {}", run.stderr);
            run.stdout
        };
        let one = out(Some("1"));
        assert!(
            findings_count(&one, format) > 50,
            "a tree with many findings"
        );
        assert_eq!(one, out(Some("2")), "{format}: --jobs 1 and 2 differ");
        assert_eq!(one, out(Some("8")), "{format}: --jobs 1 and 8 differ");
        assert_eq!(one, out(None), "{format}: --jobs 1 and the default differ");
    }
}

fn findings_count(out: &str, format: &str) -> usize {
    let value: Value = serde_json::from_str(out).expect("JSON");
    let list = if format == "json" {
        &value["findings"]
    } else {
        &value["runs"][0]["results"]
    };
    list.as_array().map_or(0, Vec::len)
}

fn copy_into(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("list") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_into(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

// ---- part 6: policy safety ----

#[test]
fn a_huge_regex_in_a_user_policy_is_a_located_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // 1000 repetitions of a 1000-repetition class compile to far more than 1 MiB.
    let policy = "id: X-REGEX-001\ntitle: t\nseverity: error\ndescription: d\nremediation: r\napplies-to: ['github/*']\nrequire:\n  properties:\n    name: {pattern: '(\\w{1000}){1000}'}\nexamples:\n  - {name: a, files: [{path: a.json, content: '{}'}], expect: []}\n  - {name: b, files: [{path: b.json, content: '{}'}], expect: []}\n";
    write(dir.path(), "policies/regex.yaml", policy.as_bytes());
    let policies = dir.path().join("policies");
    let started = Instant::now();
    let run = run([
        "scan".as_ref(),
        dir.path().as_os_str(),
        "--policies".as_ref(),
        policies.as_os_str(),
    ]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    assert!(run.stderr.contains("regex.yaml:9:"), "{}", run.stderr);
    assert!(run.stderr.contains("regex"), "{}", run.stderr);
}

#[test]
fn descendant_queries_on_a_wide_aliased_document_stay_bounded() {
    // A chain 500 deep, aliased 1,900 times (just under the alias budget): 950,000 nodes,
    // each 500 levels down, under policies that select with `$..`.
    let mut text = String::from("apiVersion: v1\nkind: List\nchain: &c ");
    text.push_str(&"[".repeat(480));
    text.push_str("{containers: [{name: x, securityContext: {privileged: true}}]}");
    text.push_str(&"]".repeat(480));
    text.push_str("\nitems:\n");
    for _ in 0..1900 {
        text.push_str("  - *c\n");
    }
    let dir = tree();
    write(dir.path(), "k8s/wide.yaml", text.as_bytes());
    let run = scan_within(dir.path(), &[], Duration::from_secs(120));
    assert!(run.code == 1, "stderr: {}", run.stderr);
    assert!(spots(&run.json()).contains(&rest_of_tree()));
}
