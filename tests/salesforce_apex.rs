//! Apex on guest paths, as real orgs write it: setup scripts and CumulusCI tasks that assign
//! permission sets to a site's guest user (and one to an administrator, which must not
//! link), and test classes a guest profile lists (no site visitor can run them).

mod common;

use common::{at, findings, fixture, related_spots as related, scan_json, spot, spots};

const DEFAULT: &str = "force-app/main/default";

#[test]
fn permission_sets_assigned_to_the_guest_user_by_scripts_and_tasks() {
    let run = scan_json(&fixture("salesforce-guest-scripts"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let set = |name: &str| format!("{DEFAULT}/permissionsets/{name}.permissionset-meta.xml");
    assert_eq!(
        spots(&report),
        vec![
            // Assigned to `System Administrator` in the same script: an insider warning.
            spot("SF-ACCESS-001", &set("Case_Admin"), 6, 15),
            // `<name>ApiEnabled</name>`, for users of the site's guest profile.
            spot("SF-GUEST-004", &set("Complaint_Browse"), 6, 15),
            // `<allowEdit>true</allowEdit>`, for the user named `… Site Guest User`.
            spot("SF-GUEST-001", &set("Complaint_Intake"), 7, 20),
            // `<viewAllRecords>true</viewAllRecords>`, assigned by CumulusCI to alias guest.
            spot("SF-GUEST-001", &set("Portal_Files"), 11, 25),
        ]
    );
    let all = findings(&report);
    assert!(related(&all[0]).is_empty());
    // Each link points at the permission set's name where the script or task writes it.
    assert_eq!(
        related(&all[1]),
        vec![at(
            "scripts/apex/browse.apex",
            5,
            71,
            "this script assigns the permission set to a guest user: its AssigneeId is a user \
             of `Complaints Profile`, a site's guest profile"
        )]
    );
    assert_eq!(
        related(&all[2]),
        vec![at(
            "scripts/apex/site-access.apex",
            4,
            74,
            "this script assigns the permission set to a guest user: its AssigneeId is the user \
             named `Complaints Site Guest User`"
        )]
    );
    assert_eq!(
        related(&all[3]),
        vec![at(
            "cumulusci.yml",
            10,
            24,
            "this cumulusci.yml task assigns the permission set to the user with alias `guest`, \
             the alias Salesforce gives a site's guest user"
        )]
    );
}

#[test]
fn test_classes_granted_to_guests_are_not_reported() {
    // The guest profile lists three classes that bypass sharing: the controller, its
    // `@isTest` class declared `without sharing`, and an `@IsTest(SeeAllData=true)` class
    // with no sharing keyword at API 45.0. Only the controller can run for a visitor.
    let run = scan_json(&fixture("salesforce-test-classes"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let profile = format!("{DEFAULT}/profiles/Complaints Profile.profile-meta.xml");
    assert_eq!(spots(&report), vec![spot("SF-GUEST-009", &profile, 3, 6)]);
    let finding = &findings(&report)[0];
    assert_eq!(
        finding["message"],
        "guest users can run 1 Apex class that bypass record sharing: ComplaintFormController"
    );
    assert_eq!(
        related(finding),
        vec![
            at(
                &profile,
                16,
                18,
                "the profile's licence is the Guest User License"
            ),
            at(
                &format!("{DEFAULT}/classes/ComplaintFormController.cls"),
                4,
                8,
                "class `ComplaintFormController` is declared `without sharing`"
            ),
            at(
                &format!("{DEFAULT}/classes/ComplaintFormController.cls"),
                5,
                5,
                "`ComplaintFormController` has an `@AuraEnabled` method, which a visitor's \
                 browser calls"
            ),
        ]
    );
}
