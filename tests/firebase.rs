//! The Firebase pack end to end: Firestore and Storage rules under their own names and any
//! `*.rules` file that opens like one, Realtime Database rules, an unrelated `*.rules` file
//! left alone, a `//` comment suppressing a finding, the enclosing matches as related
//! locations, and the rules files a `firebase.json` deploys whatever their names.

mod common;

use common::{
    findings, fixture, git, git_copy, related_spots, run, run_in, scan_json, spot, spots, summary,
};

#[test]
fn open_rules_are_found_at_the_condition_and_other_rules_files_are_not_read() {
    let root = fixture("firebase");
    let run = scan_json(&root, &["--root", &root.to_string_lossy()]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("FB-RTDB-002", "app/database.rules.json", 4, 14),
            spot("FB-RTDB-001", "app/database.rules.json", 5, 15),
            spot("FB-WRITE-001", "app/firestore.rules", 15, 24),
            spot("FB-AUTH-001", "app/firestore.rules", 16, 22),
            spot("FB-TEST-001", "app/firestore.rules", 21, 29),
            spot("FB-ROOT-001", "app/rules/public.rules", 5, 5),
            spot("FB-ROOT-002", "app/storage.rules", 6, 29),
        ]
    );
    let all = findings(&report);
    assert_eq!(
        all[2]["message"],
        "anyone, signed in or not, can change /databases/{database}/documents/messages/{messageId}: \
         the condition is always true"
    );
    assert_eq!(
        all[5]["message"],
        "anyone, signed in or not, is allowed read on everything under \
         /databases/{database}/documents/{document=**}"
    );
    // Any signed-in user reads every message: people's data, through a function.
    assert_eq!(
        all[3]["message"],
        "every signed-in user, whoever signed up, is allowed read on every record of \
         /databases/{database}/documents/messages/{messageId}, named for people's data"
    );
    assert_eq!(
        related_spots(&all[3]),
        [
            (
                "app/firestore.rules".to_owned(),
                3,
                3,
                "inside `match /databases/{database}/documents`".to_owned()
            ),
            (
                "app/firestore.rules".to_owned(),
                14,
                5,
                "`messages` is named for people's data (firebase.personal-collections)".to_owned()
            ),
        ]
    );
    assert_eq!(
        all[4]["message"],
        "test mode: anyone is allowed read, write on /databases/{database}/documents/{document=**} \
         until a date (request.time < timestamp.date(2030, 1, 1))"
    );
    // The enclosing matches of the test-mode rule, outermost first.
    assert_eq!(
        related_spots(&all[4])
            .iter()
            .map(|(_, line, _, message)| (*line, message.as_str()))
            .collect::<Vec<_>>(),
        [
            (3, "inside `match /databases/{database}/documents`"),
            (20, "inside `match /{document=**}`"),
        ]
    );
    // The storage rule carries a reasoned `// doublecheck:ignore` comment.
    assert_eq!(all[6]["suppression"]["kind"], "inSource");
    assert_eq!(
        all[6]["suppression"]["justification"],
        "uploads are moderated before they are served"
    );
    assert_eq!(summary(&report, "suppressed"), 1);
    // The owner-scoped `users` rule is not reported, and the udev rules file is not read at
    // all.
    assert_eq!(summary(&report, "files_checked"), 4);
    // Realtime Database rules: JSON with comments and a line break inside a string, as real
    // files have; a rule lower down (`users/$uid`) is not the whole database.
    assert_eq!(
        all[0]["message"],
        "every signed-in user, whoever signed up, can read the whole Realtime Database: \
         `.read` is `auth != null` at the top of `rules`"
    );
}

#[test]
fn the_rules_files_firebase_json_deploys_are_read_whatever_their_names() {
    let root = fixture("firebase-deploy");
    let run = scan_json(&root, &["--root", &root.to_string_lossy()]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // `rules/storage` and `rules/database-rules.json` are read only because firebase.json
    // deploys them; the missing `rules/exports.rules` is said at its name there.
    assert_eq!(
        spots(&report),
        vec![
            spot("DC-MISSING", "firebase.json", 8, 40),
            spot("FB-RTDB-005", "rules/database-rules.json", 5, 16),
            spot("FB-READ-001", "rules/firestore.prod.rules", 8, 22),
            spot("FB-ROOT-002", "rules/storage", 9, 29),
        ]
    );
    let all = findings(&report);
    assert_eq!(all[0]["severity"], "warning");
    assert_eq!(
        all[0]["message"],
        "`rules/exports.rules` is deployed as the Cloud Storage rules, but there is no such \
         file: the rules in force were not checked"
    );
    assert_eq!(
        all[2]["message"],
        "anyone, signed in or not, can read /databases/{database}/documents/rsvps/{rsvpId}, \
         named for people's data"
    );
    assert_eq!(summary(&report, "files_checked"), 4);
}

#[test]
fn a_deployed_rules_file_named_alone_is_read_as_what_it_is() {
    let root = fixture("firebase-deploy");
    let file = root.join("rules/storage");
    let run = run([
        "scan".as_ref(),
        file.as_os_str(),
        "--root".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![spot("FB-ROOT-002", "rules/storage", 9, 29)]
    );
    assert_eq!(summary(&report, "files_checked"), 1);
}

/// Against a base revision, a deployed file with no name of its own is read as rules on both
/// sides, and a missing file is the change's only when the change touched the
/// `firebase.json` naming it.
#[test]
fn against_a_base_revision_deployed_files_keep_their_kind() {
    let dir = git_copy("firebase-deploy");
    let top = dir.path();
    let diff = |top: &std::path::Path| {
        let run = run_in(top, ["scan", "--diff-base", "HEAD", "--format", "json"]);
        let report = run.json();
        let new: Vec<_> = findings(&report)
            .iter()
            .filter(|f| f["baseline_state"] == "new")
            .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
            .collect();
        (run.code, new)
    };
    // Nothing changed: nothing is new, the missing file included.
    assert_eq!(diff(top), (0, vec![]));
    // The change opens the deployed, suffix-less storage rules further.
    let storage = top.join("rules/storage");
    let text = std::fs::read_to_string(&storage).expect("rules/storage");
    let opened = text.replace(
        "allow write: if request.auth != null && request.auth.uid == userId;",
        "allow write: if true;",
    );
    std::fs::write(&storage, opened).expect("write");
    assert_eq!(diff(top), (1, vec!["FB-WRITE-001".to_owned()]));
    git(top, &["checkout", "--quiet", "--", "rules/storage"]);
    // A change to firebase.json makes its missing file the change's.
    let config = top.join("firebase.json");
    let text = std::fs::read_to_string(&config).expect("firebase.json");
    std::fs::write(&config, text.replace("\"public\"", "\"dist\"")).expect("write");
    assert_eq!(diff(top), (0, vec!["DC-MISSING".to_owned()]));
}
