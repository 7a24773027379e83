//! Grouped findings end to end: the exposed fields of one object are one finding that counts
//! and names them, with each field a related location; its fingerprint is the object's, so a
//! field added in a change is not a new finding, against a baseline or a git base alike.

mod common;

use std::path::Path;

use common::{findings, related_lines, run, scan_json, spot, spots, temp_copy};

const TREE: &str = "salesforce-grouped";
const PROFILE: &str = "force-app/main/default/profiles/Shop Profile.profile-meta.xml";

/// Adds a readable `Contact.Fax` before the first field permission of the fixture profile.
fn add_fax(root: &Path) {
    let path = root.join(PROFILE);
    let text = std::fs::read_to_string(&path).expect("read the profile");
    let fax = "    <fieldPermissions>\n        <editable>false</editable>\n        \
               <field>Contact.Fax</field>\n        <readable>true</readable>\n    \
               </fieldPermissions>\n";
    let text = text.replacen(
        "    <fieldPermissions>\n",
        &format!("{fax}    <fieldPermissions>\n"),
        1,
    );
    std::fs::write(&path, text).expect("write the profile");
}

#[test]
fn the_fields_of_one_object_are_one_finding() {
    let tree = temp_copy(TREE);
    let run = scan_json(tree.path(), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // Contact.Title is a job title, and Lead is not readable: neither is reported.
    assert_eq!(
        spots(&report),
        vec![
            spot("SF-GUEST-005", PROFILE, 7, 19),
            spot("SF-GUEST-002", PROFILE, 48, 20),
        ]
    );
    let finding = &findings(&report)[0];
    assert_eq!(
        finding["message"],
        "guest users can read 6 fields of Contact that hold personal data: \
         Email, MailingStreet, MobilePhone and 3 more"
    );
    assert_eq!(
        finding["locator"],
        "/Profile/fieldPermissions/[group=Contact]"
    );
    let parts = related_lines(finding, PROFILE);
    assert_eq!(
        parts,
        vec![
            (
                53,
                "the profile's licence is the Guest User License".to_owned()
            ),
            (48, "the profile can read Contact records".to_owned()),
            (12, "also MailingStreet".to_owned()),
            (17, "also MobilePhone".to_owned()),
            (22, "also Phone".to_owned()),
            (27, "also Birthdate".to_owned()),
            (32, "also HomePhone".to_owned()),
        ]
    );
}

#[test]
fn text_output_shows_a_few_parts_and_counts_the_rest() {
    let tree = temp_copy(TREE);
    let path = tree.path().to_str().expect("utf-8 path");
    let run = run(["scan", path, "--color", "never", "--no-progress"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "note: and 1 more related location: `--format json` or `--format sarif` lists them all"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_field_added_to_an_exposed_object_is_not_a_new_finding() {
    let tree = temp_copy(TREE);
    let before = scan_json(tree.path(), &[]).json();
    let baseline = tree.path().join("baseline.json");
    let created = run([
        "baseline".as_ref(),
        "create".as_ref(),
        tree.path().as_os_str(),
        "--output".as_ref(),
        baseline.as_os_str(),
    ]);
    assert_eq!(created.code, 0, "stderr: {}", created.stderr);

    add_fax(tree.path());
    let after = scan_json(tree.path(), &[]).json();
    let grouped = |report: &serde_json::Value| findings(report)[0].clone();
    // The finding moved to the new first field and now counts five, under the same
    // fingerprint.
    assert_eq!(grouped(&after)["location"]["start"]["line"], 7);
    assert!(
        grouped(&after)["message"]
            .as_str()
            .expect("message")
            .contains("7 fields of Contact")
    );
    assert_eq!(
        grouped(&before)["fingerprint"],
        grouped(&after)["fingerprint"]
    );

    let baseline = baseline.to_str().expect("utf-8 path");
    let against = scan_json(tree.path(), &["--baseline", baseline]);
    assert_eq!(against.code, 0, "stdout: {}", against.stdout);
    let against = against.json();
    let states: Vec<&str> = findings(&against)
        .iter()
        .map(|f| f["baseline_state"].as_str().expect("state"))
        .collect();
    assert_eq!(states, ["unchanged", "unchanged"]);
}
