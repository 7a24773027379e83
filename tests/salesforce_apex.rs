//! Apex on guest paths, as real orgs write it: test classes a guest profile lists (no site
//! visitor can run them).

mod common;

use common::{at, findings, fixture, related_spots as related, scan_json, spot, spots};

const DEFAULT: &str = "force-app/main/default";

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
        "guest users can run the Apex class ComplaintFormController, which bypasses record sharing"
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
        ]
    );
}
