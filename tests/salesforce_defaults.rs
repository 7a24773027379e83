//! Salesforce's own defaults are not findings: a standard profile's permissions are set by
//! Salesforce and locked, so only the custom profile beside it is reported.

mod common;

use common::{findings, fixture, scan_json, spot, spots};

#[test]
fn a_standard_profile_is_not_reported_for_its_default_permissions() {
    // Both profiles have API Enabled and Export Reports (and login IP ranges, so SF-ACCESS-002
    // stays quiet); only the custom clone is someone's choice.
    let run = scan_json(&fixture("salesforce-standard-profiles"), &[]);
    // Warnings only: below the default `--fail-on error`.
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let report = run.json();
    let custom = "force-app/main/default/profiles/Field Sales.profile-meta.xml";
    assert_eq!(
        spots(&report),
        vec![
            spot("SF-ACCESS-001", custom, 12, 15),
            spot("SF-ACCESS-001", custom, 16, 15),
        ]
    );
    let messages: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["message"].as_str().expect("message"))
        .collect();
    assert_eq!(
        messages,
        [
            "ApiEnabled is granted to every holder of this profile or permission set, which is \
             not an allowed administrator",
            "ExportReport is granted to every holder of this profile or permission set, which is \
             not an allowed administrator",
        ]
    );
    assert!(findings(&report).iter().all(|f| f["severity"] == "warning"));
}
