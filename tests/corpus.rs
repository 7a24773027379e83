//! Acceptance on real repositories (../shared/corpus, used in place): what doublecheck
//! reports there, checked against the files themselves.

mod common;

use common::{corpus, findings, scan_json, spot, spots, summary};

const EBIKES_PROFILE: &str = "guest-profile-metadata/profiles/E-Bikes Profile.profile";

/// Line `n` (1-based) of a corpus file, to check that a reported line is the one meant.
fn corpus_line(rel: &str, n: usize) -> String {
    let text = std::fs::read_to_string(corpus(rel)).expect("read a corpus file");
    text.lines().nth(n - 1).expect("the line exists").to_owned()
}

#[test]
fn ebikes_reports_the_two_view_all_values_of_the_guest_profile() {
    // The oracle: in the guest profile, lines 350 and 359 hold `true` at column 25.
    let profile = format!("salesforce/ebikes-lwc/{EBIKES_PROFILE}");
    for (line, object) in [(350, "Product_Family__c"), (359, "Product__c")] {
        assert_eq!(
            corpus_line(&profile, line),
            "        <viewAllRecords>true</viewAllRecords>"
        );
        assert_eq!(
            corpus_line(&profile, line - 1),
            format!("        <object>{object}</object>")
        );
    }

    let run = scan_json(&corpus("salesforce/ebikes-lwc"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("SF-GUEST-001", EBIKES_PROFILE, 350, 25),
            spot("SF-GUEST-001", EBIKES_PROFILE, 359, 25),
        ]
    );
    let first = &findings(&report)[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["location"]["end"]["line"], 350);
    assert_eq!(first["location"]["end"]["column"], 29);
    assert_eq!(
        first["pointer"],
        "/Profile/objectPermissions/1/viewAllRecords"
    );
    assert_eq!(
        first["message"],
        "the guest profile sets viewAllRecords to true on Product_Family__c: \
         unauthenticated visitors get that access to every record"
    );
    assert_eq!(
        findings(&report)[1]["pointer"],
        "/Profile/objectPermissions/2/viewAllRecords"
    );
    // 74 `*-meta.xml` + 1 `.profile` + 2 `.sharingRules`; the Experience Cloud JSON files
    // are not branch protection and are not read.
    assert_eq!(summary(&report, "files_checked"), 77);
    assert_eq!(summary(&report, "documents"), 77);
    assert_eq!(summary(&report, "unreadable"), 0);
    assert_eq!(summary(&report, "errors"), 2);
}

#[test]
fn ebikes_permission_set_is_not_a_guest_profile() {
    // The permission set grants View All and Delete (so the check is not vacuous) but is
    // assigned to internal users: nothing may be reported in it.
    const PERMSET: &str = "force-app/main/default/permissionsets/ebikes.permissionset-meta.xml";
    assert_eq!(
        corpus_line(&format!("salesforce/ebikes-lwc/{PERMSET}"), 150),
        "        <allowDelete>true</allowDelete>"
    );
    let report = scan_json(&corpus("salesforce/ebikes-lwc"), &[]).json();
    let in_permset: Vec<_> = spots(&report)
        .into_iter()
        .filter(|s| s.path == PERMSET)
        .collect();
    assert_eq!(in_permset, vec![]);
}

#[test]
fn ebikes_related_locations_explain_why_the_profile_is_a_guest_profile() {
    let report = scan_json(&corpus("salesforce/ebikes-lwc"), &[]).json();
    let related: Vec<(String, u64, u64, String)> = findings(&report)[0]["related"]
        .as_array()
        .expect("related locations")
        .iter()
        .map(|r| {
            (
                r["location"]["path"].as_str().expect("path").to_owned(),
                r["location"]["start"]["line"].as_u64().expect("line"),
                r["location"]["start"]["column"].as_u64().expect("column"),
                r["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        related,
        vec![
            (
                EBIKES_PROFILE.to_owned(),
                385,
                18,
                "the profile's licence is the Guest User License".to_owned()
            ),
            (
                "force-app/main/default/sites/E_Bikes.site-meta.xml".to_owned(),
                23,
                18,
                "site `E-Bikes` implies it by name as its guest profile (`E-Bikes Profile`)"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn coral_cloud_reports_the_two_view_all_values_of_its_guest_profile() {
    const PROFILE: &str = "guest-profile-metadata/profiles/Coral Cloud Profile.profile";
    for (line, object) in [(21, "Experience__c"), (30, "Session__c")] {
        let rel = format!("salesforce/coral-cloud/{PROFILE}");
        assert_eq!(
            corpus_line(&rel, line),
            "        <viewAllRecords>true</viewAllRecords>"
        );
        assert_eq!(
            corpus_line(&rel, line - 1),
            format!("        <object>{object}</object>")
        );
    }
    let run = scan_json(&corpus("salesforce/coral-cloud"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // The admin and service-agent permission sets grant Modify All / View All too, but
    // they are not guest profiles.
    assert_eq!(
        spots(&report),
        vec![
            spot("SF-GUEST-001", PROFILE, 21, 25),
            spot("SF-GUEST-001", PROFILE, 30, 25),
        ]
    );
    // 171 `*-meta.xml` + 1 `.profile` + 2 `.sharingRules`.
    assert_eq!(summary(&report, "files_checked"), 174);
    assert_eq!(summary(&report, "unreadable"), 0);
}

#[test]
fn checkov_branch_protection_exports() {
    // Line 8 of fail1 is `    "required_approving_review_count": 0`: the 0 is at column 40.
    assert_eq!(
        corpus_line(
            "github/branch-protection/GithubRequire2Approvals-fail1.json",
            8
        ),
        "    \"required_approving_review_count\": 0"
    );
    let run = scan_json(&corpus("github/branch-protection"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let all = spots(&report);

    let fail1: Vec<_> = all
        .iter()
        .filter(|s| s.path == "GithubRequire2Approvals-fail1.json")
        .cloned()
        .collect();
    assert_eq!(
        fail1,
        vec![spot(
            "GH-REVIEW-002",
            "GithubRequire2Approvals-fail1.json",
            8,
            40
        )]
    );
    assert!(
        all.iter()
            .all(|s| s.path != "GithubRequire2Approvals-pass.json"),
        "the passing export (2 approvals) has a finding: {all:?}"
    );

    // The whole list, each checked by reading the file: fail2, UpdatedBranch-fail1,
    // -fail2 and -pass have no `required_pull_request_reviews` at all (reported on the
    // document, 1:1). Require2Approvals-fail3 is GitHub's "Branch not protected" error
    // body, not a protection document. Every other export requires one approval.
    assert_eq!(
        all,
        vec![
            spot("GH-REVIEW-002", "GithubRequire2Approvals-fail1.json", 8, 40),
            spot("GH-REVIEW-002", "GithubRequire2Approvals-fail2.json", 1, 1),
            spot(
                "GH-REVIEW-002",
                "GithubRequireUpdatedBranch-fail1.json",
                1,
                1
            ),
            spot(
                "GH-REVIEW-002",
                "GithubRequireUpdatedBranch-fail2.json",
                1,
                1
            ),
            spot(
                "GH-REVIEW-002",
                "GithubRequireUpdatedBranch-pass.json",
                1,
                1
            ),
        ]
    );
    assert_eq!(
        findings(&report)[0]["message"],
        "changes can be merged without another person's approval: \
         0 is less than the minimum of 1"
    );
}
