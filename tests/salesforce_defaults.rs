//! Salesforce's own defaults are not findings: a standard profile's permissions are set by
//! Salesforce and locked, so only the custom profile beside it is reported.

mod common;

use common::{findings, fixture, scan_json, spot, spots};

#[test]
fn a_standard_profile_is_not_reported_for_its_default_permissions() {
    // Both profiles have API Enabled and Export Reports, Standard User's defaults, which are
    // not reported, and View All Data: Salesforce's own (standard) profile is not reported
    // for it, the custom clone is.
    let run = scan_json(&fixture("salesforce-standard-profiles"), &[]);
    // Warnings only: below the default `--fail-on error`.
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let report = run.json();
    let custom = "force-app/main/default/profiles/Field Sales.profile-meta.xml";
    assert_eq!(spots(&report), vec![spot("SF-ACCESS-001", custom, 20, 15)]);
    assert_eq!(
        findings(&report)[0]["message"],
        "every holder of this profile or permission set, which is not an allowed \
         administrator, can take data out in bulk: ViewAllData"
    );
    assert!(findings(&report).iter().all(|f| f["severity"] == "warning"));
}

#[test]
fn an_allowed_holder_is_not_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("doublecheck.yml");
    std::fs::write(
        &config,
        "salesforce:\n  extend-broad-access-allowed: [Field Sales]\n",
    )
    .expect("write config");
    let config = config.to_str().expect("utf-8 path");
    let report = scan_json(
        &fixture("salesforce-standard-profiles"),
        &["--config", config],
    )
    .json();
    assert_eq!(spots(&report), vec![]);
}
