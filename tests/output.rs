//! Machine output: the JSON report's shape, byte-identical reruns whatever the number of
//! threads, and fingerprints that survive unrelated edits.

mod common;

use std::path::Path;

use common::{corpus, findings, fixture, run, scan_json, temp_copy};

fn scan(path: &Path, format: &str, jobs: Option<&str>) -> String {
    let mut args = vec![
        "scan".into(),
        path.as_os_str().to_owned(),
        "--format".into(),
        format.into(),
    ];
    if let Some(jobs) = jobs {
        args.extend(["--jobs".into(), jobs.into()]);
    }
    let run = run(args);
    assert!(run.code <= 1, "exit {}: {}", run.code, run.stderr);
    run.stdout
}

#[test]
fn json_report_shape() {
    let report = scan_json(&fixture("yaml-settings"), &[]).json();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("an object").keys().cloned().collect()
    };
    assert_eq!(
        keys(&report),
        ["format", "version", "summary", "findings", "fixed"]
    );
    assert_eq!(report["format"], "doublecheck-json-v1");
    assert_eq!(report["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        keys(&report["summary"]),
        [
            "files_checked",
            "files_unchecked",
            "documents",
            "unreadable",
            "findings",
            "errors",
            "warnings",
            "notes",
            "new",
            "existing",
            "fixed",
            "suppressed"
        ]
    );
    // Without a base every unsuppressed finding is new.
    assert_eq!(report["summary"]["new"], report["summary"]["findings"]);
    assert_eq!(report["summary"]["existing"], 0);
    assert_eq!(report["fixed"], serde_json::json!([]));
    let finding = &findings(&report)[0];
    assert_eq!(
        keys(finding),
        [
            "rule",
            "severity",
            "message",
            "location",
            "pointer",
            "fingerprint",
            "locator"
        ]
    );
    assert_eq!(keys(&finding["location"]), ["path", "start", "end"]);
    assert_eq!(keys(&finding["location"]["start"]), ["line", "column"]);
    let fingerprint = finding["fingerprint"].as_str().expect("fingerprint");
    assert_eq!(fingerprint.len(), 32);
    assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn reruns_are_byte_identical() {
    // Every fixture at once: all formats, parse errors, several findings per file.
    let all = fixture("");
    for format in ["json", "sarif", "text"] {
        let first = scan(&all, format, None);
        let second = scan(&all, format, None);
        assert!(first.len() > 1000, "{format} output is substantial");
        assert_eq!(first, second, "two {format} scans differ");
    }
}

#[test]
fn thread_count_does_not_change_the_report() {
    for tree in [fixture(""), corpus("salesforce/coral-cloud")] {
        let one = scan(&tree, "json", Some("1"));
        let two = scan(&tree, "json", Some("2"));
        assert_eq!(
            one,
            two,
            "--jobs 1 and --jobs 2 differ on {}",
            tree.display()
        );
        assert_eq!(one, scan(&tree, "json", Some("4")));
    }
}

#[test]
fn zero_jobs_is_a_usage_error() {
    let run = run(["scan", "tests/fixtures/yaml-settings", "--jobs", "0"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "doublecheck: --jobs must be at least 1\n");
}

#[test]
fn fingerprints_survive_an_edit_above_the_finding() {
    const PROFILE: &str = "force-app/main/default/profiles/Partner Portal Profile.profile-meta.xml";
    let before = scan_json(&fixture("xml-guest-profile"), &[]).json();

    // Insert a read-only entry before the Case entry: the finding moves 10 lines down and
    // to index 1 of objectPermissions, but it is the same problem.
    let tree = temp_copy("xml-guest-profile");
    let path = tree.path().join(PROFILE);
    let text = std::fs::read_to_string(&path).expect("read the profile");
    let entry = "    <objectPermissions>\n        <allowCreate>false</allowCreate>\n        \
                 <allowDelete>false</allowDelete>\n        <allowEdit>false</allowEdit>\n        \
                 <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        \
                 <object>Product__c</object>\n        <viewAllRecords>false</viewAllRecords>\n    \
                 </objectPermissions>\n";
    let at = text.find("    <objectPermissions>").expect("an entry");
    let edited = format!("{}{entry}{}", &text[..at], &text[at..]);
    std::fs::write(&path, edited).expect("write the profile");
    let after = scan_json(tree.path(), &[]).json();

    let (b, a) = (&findings(&before)[0], &findings(&after)[0]);
    assert_eq!(b["location"]["start"]["line"], 8);
    assert_eq!(a["location"]["start"]["line"], 17);
    assert_eq!(a["pointer"], "/Profile/objectPermissions/1/allowEdit");
    assert_eq!(a["fingerprint"], b["fingerprint"]);
}
