//! One fixture per file format, each with its exact findings and exit code.

mod common;

use common::{findings, fixture, run, scan_json, spot, spots, summary};

#[test]
fn salesforce_source_format_guest_profile() {
    let run = scan_json(&fixture("xml-guest-profile"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // `<allowEdit>true</allowEdit>` on Case, line 8: the value starts at column 20; the
    // `<allowRead>true</allowRead>` below it reads Case, personal data. The internal
    // `Support Agent` profile may have Modify All: not reported.
    const PROFILE: &str = "force-app/main/default/profiles/Partner Portal Profile.profile-meta.xml";
    assert_eq!(
        spots(&report),
        vec![
            spot("SF-GUEST-001", PROFILE, 8, 20),
            spot("SF-GUEST-002", PROFILE, 9, 20),
        ]
    );
    assert_eq!(
        findings(&report)[0]["pointer"],
        "/Profile/objectPermissions/0/allowEdit"
    );
    assert_eq!(summary(&report, "files_checked"), 2);
    assert_eq!(summary(&report, "documents"), 2);
}

#[test]
fn bare_path_is_short_for_scan() {
    let short = run([
        fixture("xml-guest-profile").as_os_str(),
        "-f".as_ref(),
        "json".as_ref(),
    ]);
    let long = scan_json(&fixture("xml-guest-profile"), &[]);
    assert_eq!(short.code, 1);
    assert_eq!(short.stdout, long.stdout);
}

#[test]
fn github_settings_yaml() {
    let run = scan_json(&fixture("yaml-settings"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // main: `required_approving_review_count: 0` (11:42); release requires 2 (fine) but
    // does not enforce admins (its `protection`, 18:5); `veröffentlichung/ä`:
    // `protection: null` in a flow mapping, at character 46 of line 22 (byte 48: columns
    // count characters).
    assert_eq!(
        spots(&report),
        vec![
            spot("GH-REVIEW-001", ".github/settings.yml", 11, 42),
            spot("GH-REVIEW-004", ".github/settings.yml", 18, 5),
            spot("GH-REVIEW-001", ".github/settings.yml", 22, 46),
        ]
    );
    let messages: Vec<&str> = findings(&report)
        .iter()
        .filter(|f| f["rule"] == "GH-REVIEW-001")
        .map(|f| f["message"].as_str().expect("message"))
        .collect();
    assert_eq!(
        messages,
        vec![
            "branch `main` can be merged on its author's say alone: \
             `required_approving_review_count` is 0, below the minimum of 1",
            "branch `veröffentlichung/ä` can be merged on its author's say alone: \
             `protection` is null",
        ]
    );
    assert_eq!(findings(&report)[2]["location"]["end"]["column"], 50);
}

#[test]
fn branch_protection_json() {
    let run = scan_json(&fixture("json-branch-protection"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // hotfix.json has no required_pull_request_reviews (the whole document, 1:1) and lets
    // admins bypass (4:33); main.json requires 0 approvals (10:40); release.json requires 2.
    assert_eq!(
        spots(&report),
        vec![
            spot("GH-REVIEW-002", "audit/acme-portal/hotfix.json", 1, 1),
            spot("GH-REVIEW-006", "audit/acme-portal/hotfix.json", 4, 33),
            spot("GH-REVIEW-002", "audit/acme-portal/main.json", 10, 40),
        ]
    );
    assert_eq!(findings(&report)[0]["pointer"], "");
    assert_eq!(
        findings(&report)[2]["pointer"],
        "/required_pull_request_reviews/required_approving_review_count"
    );
    // package.json mentions no branch-protection field: not read.
    assert_eq!(summary(&report, "files_checked"), 3);
}

#[test]
fn kubernetes_multi_document_yaml_with_a_user_policy() {
    let policies = fixture("policies-k8s");
    let policies = policies.to_str().expect("UTF-8 path");
    let run = scan_json(
        &fixture("k8s-multidoc"),
        &["--no-builtin", "--policies", policies],
    );
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // Documents: ServiceAccount (lines 1-5), Deployment (7-32), Service (34-).
    // The second container of the Deployment has `privileged: true` on line 32.
    assert_eq!(
        spots(&report),
        vec![spot("K8S-PRIV-001", "deploy/log-agent.yaml", 32, 25)]
    );
    let finding = &findings(&report)[0];
    assert_eq!(
        finding["pointer"],
        "/spec/template/spec/containers/1/securityContext/privileged"
    );
    assert_eq!(
        finding["message"],
        "container `node-reader` runs privileged: `privileged` is true"
    );
    assert_eq!(summary(&report, "files_checked"), 1);
    assert_eq!(summary(&report, "documents"), 3);
}

#[test]
fn kubernetes_builtin_pack_finds_the_same_container() {
    let run = scan_json(&fixture("k8s-multidoc"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        spots(&run.json()),
        vec![spot("K8S-POD-001", "deploy/log-agent.yaml", 32, 25)]
    );
}

#[test]
fn no_builtin_leaves_only_user_policies() {
    let policies = fixture("policies-k8s");
    let policies = policies.to_str().expect("UTF-8 path");
    let run = scan_json(
        &fixture("xml-guest-profile"),
        &["--no-builtin", "--policies", policies],
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(spots(&run.json()), vec![]);
}
