//! The Salesforce pack on a fixture tree that reaches guests every way the real corpus does
//! not: a permission set assigned to the guest user by an anonymous-Apex script and one by a
//! cumulusci.yml task, a self-registration profile (named in lower case by its Network), an
//! LWR site open to the public, an inner Apex class without sharing, and a bad
//! `.doublecheck.yml`.

mod common;

use common::{at, findings, fixture, related_spots as related, run, scan_json, spot, spots};

const TREE: &str = "salesforce-guest-paths";
const DEFAULT: &str = "force-app/main/default";

#[test]
fn every_way_of_reaching_guests_is_found_with_its_evidence() {
    let run = scan_json(&fixture(TREE), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let catalog = format!("{DEFAULT}/permissionsets/Catalog_Reader.permissionset-meta.xml");
    let store = format!("{DEFAULT}/permissionsets/Store_Access.permissionset-meta.xml");
    let community = format!("{DEFAULT}/profiles/Customer Community.profile-meta.xml");
    let members = format!("{DEFAULT}/profiles/Members Profile.profile-meta.xml");
    assert_eq!(
        spots(&report),
        vec![
            // `<name>ApiEnabled</name>`: a guest holds API access (not the insider warning).
            spot("SF-GUEST-004", &catalog, 6, 15),
            // `<allowEdit>true</allowEdit>` on Product__c.
            spot("SF-GUEST-001", &store, 8, 20),
            // `<viewAllRecords>true</viewAllRecords>` on Account, for anyone who signs up;
            // its read access to Contact (line 8) is what a community profile is for.
            spot("SF-SIGNUP-001", &community, 20, 25),
            // The `<classAccesses>` entry for MemberDirectory.
            spot("SF-GUEST-009", &members, 3, 6),
        ]
    );
    let all = findings(&report);
    assert_eq!(
        related(&all[0]),
        vec![at(
            "cumulusci.yml",
            11,
            17,
            "this cumulusci.yml task assigns the permission set to a guest user: its AssigneeId \
             is a site's GuestUserId"
        )]
    );
    // The string literal 'Store_Access' in the script, inside its quotes.
    assert_eq!(
        related(&all[1]),
        vec![at(
            "scripts/apex/assign-guest.apex",
            3,
            64,
            "this script assigns the permission set to a guest user: its AssigneeId is a site's \
             GuestUserId"
        )]
    );
    assert_eq!(
        related(&all[2]),
        vec![at(
            &format!("{DEFAULT}/networks/Members.network-meta.xml"),
            6,
            23,
            // The Network writes the profile's name in lower case, as Salesforce does.
            "network `Members` lets anyone sign up and become a user of this profile (`customer community`)"
        )]
    );
    assert_eq!(
        related(&all[3]),
        vec![
            at(
                &format!("{DEFAULT}/sites/Members.site-meta.xml"),
                4,
                18,
                "site `Members` uses `Members Profile` as its guest profile by Salesforce's \
                 naming convention (the site file names no guestProfile); this profile file \
                 has no userLicense to confirm it"
            ),
            at(
                &format!(
                    "{DEFAULT}/digitalExperiences/site/Members1/sfdc_cms__site/Members1/content.json"
                ),
                6,
                27,
                "the Experience Cloud site `Members1` is open to guests (authenticationType)"
            ),
            // `public without sharing class Finder`: the sharing keywords, not the comment.
            at(
                &format!("{DEFAULT}/classes/MemberDirectory.cls"),
                11,
                12,
                "inner class `Finder` is declared `without sharing`"
            ),
            // Access to the class matters because visitors can call it.
            at(
                &format!("{DEFAULT}/classes/MemberDirectory.cls"),
                6,
                5,
                "`MemberDirectory` has an `@AuraEnabled` method, which a visitor's browser calls"
            ),
        ]
    );
}

#[test]
fn text_output_names_every_file_involved() {
    let path = format!("tests/fixtures/{TREE}");
    let run = run(["scan", path.as_str(), "--color", "never"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("salesforce_guest_paths", run.stdout);
}

#[test]
fn a_bad_config_file_stops_the_scan_with_its_location() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join(".doublecheck.yml");
    std::fs::write(
        &config,
        "salesforce:\n  personal-objects: [Contact]\n  guest-permision-sets: [x]\n",
    )
    .expect("write");
    let run = run([
        "scan".as_ref(),
        fixture(TREE).as_os_str(),
        "--config".as_ref(),
        config.as_os_str(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    let shown = config.display().to_string();
    assert!(
        run.stderr.contains(&format!("--> {shown}:3:3")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("unknown key `guest-permision-sets`"));
    assert!(run.stderr.contains("did you mean `guest-permission-sets`?"));
    assert!(
        run.stderr
            .ends_with("1 error in the config file; nothing was scanned\n")
    );
}

#[test]
fn the_config_file_in_the_root_is_found_by_itself() {
    // Disabling the self-registration rule in the root's config silences it.
    let tree = common::temp_copy(TREE);
    std::fs::write(
        tree.path().join(".doublecheck.yml"),
        "rules:\n  disable: [SF-SIGNUP-001]\n",
    )
    .expect("write");
    let report = scan_json(tree.path(), &[]).json();
    let rules: Vec<String> = spots(&report).into_iter().map(|s| s.rule).collect();
    assert_eq!(rules, ["SF-GUEST-004", "SF-GUEST-001", "SF-GUEST-009"]);
}
