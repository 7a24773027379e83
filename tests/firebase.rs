//! The Firebase pack end to end: Firestore and Storage rules under their own names and any
//! `*.rules` file that opens like one, Realtime Database rules, an unrelated `*.rules` file
//! left alone, and a `//` comment suppressing a finding.

mod common;

use common::{findings, fixture, run, spot, spots, summary};

#[test]
fn open_rules_are_found_at_the_condition_and_other_rules_files_are_not_read() {
    let root = fixture("firebase");
    let run = run([
        "scan".as_ref(),
        root.as_os_str(),
        "--root".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("FB-RTDB-002", "app/database.rules.json", 4, 14),
            spot("FB-RTDB-001", "app/database.rules.json", 5, 15),
            spot("FB-WRITE-001", "app/firestore.rules", 15, 24),
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
        all[4]["message"],
        "anyone, signed in or not, is allowed read on everything under \
         /databases/{database}/documents/{document=**}"
    );
    assert_eq!(
        all[3]["message"],
        "test mode: anyone is allowed read, write on /databases/{database}/documents/{document=**} \
         until a date (request.time < timestamp.date(2030, 1, 1))"
    );
    // The storage rule carries a reasoned `// doublecheck:ignore` comment.
    assert_eq!(all[5]["suppression"]["kind"], "inSource");
    assert_eq!(
        all[5]["suppression"]["justification"],
        "uploads are moderated before they are served"
    );
    assert_eq!(summary(&report, "suppressed"), 1);
    // The owner-scoped `users` rule and the signed-in read of `messages` are not reported,
    // and the udev rules file is not read at all.
    assert_eq!(summary(&report, "files_checked"), 4);
    // Realtime Database rules: JSON with comments and a line break inside a string, as real
    // files have; a rule lower down (`users/$uid`) is not the whole database.
    assert_eq!(
        all[0]["message"],
        "every signed-in user, whoever signed up, can read the whole Realtime Database: \
         `.read` is `auth != null` at the top of `rules`"
    );
}
