//! Acceptance on real repositories (../shared/corpus, used in place): what doublecheck
//! reports there, checked against the files themselves.

mod common;

use common::{corpus, findings, related_lines, repo, scan_json, spot, spots, summary};

const EBIKES_PROFILE: &str = "guest-profile-metadata/profiles/E-Bikes Profile.profile";

/// Line `n` (1-based) of a corpus file, to check that a reported line is the one meant.
fn corpus_line(rel: &str, n: usize) -> String {
    let text = std::fs::read_to_string(corpus(rel)).expect("read a corpus file");
    text.lines().nth(n - 1).expect("the line exists").to_owned()
}

#[test]
fn ebikes_reports_exactly_what_its_guest_profile_exposes() {
    // The oracle, read from the file: each reported line holds the offending value.
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
    // Case is personal data by default, and the guest profile reads it.
    assert_eq!(
        corpus_line(&profile, 338),
        "        <allowRead>true</allowRead>"
    );
    assert_eq!(corpus_line(&profile, 340), "        <object>Case</object>");
    // Three fields that look personal, readable by guests.
    for (line, field) in [
        (179, "SuppliedEmail"),
        (184, "SuppliedName"),
        (189, "SuppliedPhone"),
    ] {
        assert_eq!(
            corpus_line(&profile, line),
            "        <readable>true</readable>"
        );
        assert_eq!(
            corpus_line(&profile, line - 1),
            format!("        <field>Case.{field}</field>")
        );
    }

    let run = scan_json(&corpus("salesforce/ebikes-lwc"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // Not reported, on purpose: Case allowCreate (a web form may create cases), the guest
    // sharing rules on Product__c and Product_Family__c (product catalogues, not personal
    // data), the enabled classAccesses (their Apex is not in the corpus).
    // The three Case fields are one finding (one fix: the Case fields of the guest profile),
    // at the first; the other two are its related locations.
    assert_eq!(
        spots(&report),
        vec![
            spot("SF-GUEST-005", EBIKES_PROFILE, 179, 19),
            spot("SF-GUEST-002", EBIKES_PROFILE, 338, 20),
            spot("SF-GUEST-001", EBIKES_PROFILE, 350, 25),
            spot("SF-GUEST-001", EBIKES_PROFILE, 359, 25),
        ]
    );
    let view_all = &findings(&report)[2];
    assert_eq!(view_all["severity"], "error");
    assert_eq!(view_all["location"]["end"]["line"], 350);
    assert_eq!(view_all["location"]["end"]["column"], 29);
    assert_eq!(
        view_all["pointer"],
        "/Profile/objectPermissions/1/viewAllRecords"
    );
    assert_eq!(
        view_all["message"],
        "guest access grants viewAllRecords on Product_Family__c to every unauthenticated visitor"
    );
    assert_eq!(
        findings(&report)[1]["message"],
        "guest users can read Case records, which hold personal data"
    );
    let fields = &findings(&report)[0];
    assert_eq!(
        fields["message"],
        "guest users can read 3 fields of Case that hold personal data: \
         SuppliedEmail, SuppliedName, SuppliedPhone"
    );
    let parts = related_lines(fields, EBIKES_PROFILE);
    assert_eq!(
        parts,
        vec![
            (
                385,
                "the profile's licence is the Guest User License".to_owned()
            ),
            (338, "the profile can read Case records".to_owned()),
            (184, "also SuppliedName".to_owned()),
            (189, "also SuppliedPhone".to_owned()),
        ]
    );
    // 74 `*-meta.xml` + 1 `.profile` + 2 `.sharingRules` + the 5 JSON files of the Aura
    // bundle's `config/` (one is the site's settings; the others are read and set aside).
    assert_eq!(summary(&report, "files_checked"), 82);
    assert_eq!(summary(&report, "unreadable"), 0);
    assert_eq!(summary(&report, "errors"), 4);
}

#[test]
fn settings_change_what_counts_as_personal_and_allowed() {
    // With Product__c declared personal data, the catch-all guest sharing rule on it (its
    // criteria item, line 10) and the guest's read access to it become findings.
    let rules = "salesforce/ebikes-lwc/guest-profile-metadata/sharingRules/Product__c.sharingRules";
    assert_eq!(corpus_line(rules, 10), "        <criteriaItems>");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("doublecheck.yml");
    std::fs::write(
        &config,
        "salesforce:\n  extend-personal-objects: [Product__c]\n  extend-personal-fields: []\n",
    )
    .expect("write config");
    let config = config.to_str().expect("utf-8 path");
    let report = scan_json(&corpus("salesforce/ebikes-lwc"), &["--config", config]).json();
    let new: Vec<_> = spots(&report)
        .into_iter()
        .filter(|s| s.rule == "SF-GUEST-006" || (s.rule == "SF-GUEST-002" && s.line != 338))
        .collect();
    assert_eq!(
        new,
        vec![
            spot("SF-GUEST-002", EBIKES_PROFILE, 356, 20),
            spot(
                "SF-GUEST-006",
                "guest-profile-metadata/sharingRules/Product__c.sharingRules",
                10,
                10
            ),
        ]
    );

    // (Allowing a holder of broad access: tests/salesforce_defaults.rs.)
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
    let related: Vec<(String, u64, u64, String)> = findings(&report)[2]["related"]
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
                "site `E-Bikes` uses `E-Bikes Profile` as its guest profile by Salesforce's \
                 naming convention (the site file names no guestProfile)"
                    .to_owned()
            ),
            // The Network links the site (`E_Bikes`) to the Aura bundle `E_Bikes1`, whose
            // `"isAvailableToGuests": true` is on line 3: the finding names both files.
            (
                "force-app/main/default/experiences/E_Bikes1/config/eBikes.json".to_owned(),
                3,
                28,
                "the Experience Cloud site `E_Bikes1` is open to guests (isAvailableToGuests)"
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
    // they are not for guests. The service agent's API access (line 261) was an insider
    // warning; Salesforce turns API Enabled on for every licensed user, so it is not one.
    const AGENT: &str = "cc-service-app/main/default/permissionSets/Coral_Cloud_Service_Agent.permissionset-meta.xml";
    assert_eq!(
        corpus_line(&format!("salesforce/coral-cloud/{AGENT}"), 261),
        "        <name>ApiEnabled</name>"
    );
    assert_eq!(
        spots(&report),
        vec![
            spot("SF-GUEST-001", PROFILE, 21, 25),
            spot("SF-GUEST-001", PROFILE, 30, 25),
        ]
    );
    assert_eq!(findings(&report)[0]["severity"], "error");
    // 171 `*-meta.xml` + 1 `.profile` + 2 `.sharingRules` + 5 Aura `config/` JSON files.
    assert_eq!(summary(&report, "files_checked"), 179);
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
        .filter(|s| s.path == "GithubRequire2Approvals-fail1.json" && s.rule == "GH-REVIEW-002")
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
            .all(|s| s.path != "GithubRequire2Approvals-pass.json" || s.rule != "GH-REVIEW-002"),
        "the passing export (2 approvals) has a finding: {all:?}"
    );

    // The whole list, each checked by reading the file: fail2, UpdatedBranch-fail1,
    // -fail2 and -pass have no `required_pull_request_reviews` at all (reported on the
    // document, 1:1). Require2Approvals-fail3 is GitHub's "Branch not protected" error
    // body, not a protection document. Every other export requires one approval.
    let approvals: Vec<_> = all
        .iter()
        .filter(|s| s.rule == "GH-REVIEW-002")
        .cloned()
        .collect();
    assert_eq!(
        approvals,
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
    let message = findings(&report)
        .iter()
        .find(|f| f["rule"] == "GH-REVIEW-002")
        .map(|f| f["message"].clone());
    assert_eq!(
        message,
        Some(
            "changes can be merged without another person's approval: \
             `required_approving_review_count` is 0, below the minimum of 1"
                .into()
        )
    );

    // Every export that has `enforce_admins` (20 of the 23 protection documents) has it
    // `{"enabled": false}`: each is reported at that `false`.
    let admins: Vec<&serde_json::Value> = findings(&report)
        .iter()
        .filter(|f| f["rule"] == "GH-REVIEW-006")
        .collect();
    assert_eq!(admins.len(), 20);
    assert!(
        admins
            .iter()
            .all(|f| f["pointer"] == "/enforce_admins/enabled")
    );
    assert!(all.contains(&spot(
        "GH-REVIEW-006",
        "GithubBranchDismissalRestrictions-fail.json",
        45,
        16
    )));

    // Stale approvals: every export with reviews keeps them after a new push but the one
    // that passes checkov's DismissStaleReviews check (`dismiss_stale_reviews: true`).
    let stale: Vec<&str> = all
        .iter()
        .filter(|s| s.rule == "GH-REVIEW-005")
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(stale.len(), 15);
    assert!(!stale.contains(&"GithubBranchDismissStaleReviews-pass.json"));
    assert!(all.contains(&spot(
        "GH-REVIEW-005",
        "GithubRequire2Approvals-fail1.json",
        3,
        3
    )));
}

/// Without the shared corpus a test fails naming the path it looked for, not with a bare
/// `NotFound`.
#[test]
fn a_missing_corpus_names_the_path_it_looked_for() {
    let panic = std::panic::catch_unwind(|| corpus("salesforce/no-such-repository"))
        .expect_err("a missing corpus path fails");
    let message = panic.downcast_ref::<String>().expect("a formatted message");
    let looked = repo().join("../shared/corpus/salesforce/no-such-repository");
    assert_eq!(
        message,
        &format!(
            "{} does not exist: the tests read the shared corpus and schemas in place from \
             ../shared, beside this repository (see the README's Quick start)",
            looked.display()
        )
    );
}
