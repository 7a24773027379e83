//! Files of a known kind that do not parse: a DC-PARSE finding at the syntax error, and the
//! rest of the tree is still checked.

mod common;

use common::{Spot, findings, fixture, run, scan_json, spot, spots, summary};

/// Scans a fixture; returns its findings and the DC-PARSE message.
fn scan_malformed(name: &str) -> (Vec<Spot>, String) {
    let run = scan_json(&fixture(name), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // Both files were read, one of them parsed and checked; the other is unchecked.
    assert_eq!(summary(&report, "files_checked"), 1);
    assert_eq!(summary(&report, "documents"), 1);
    let parse = findings(&report)
        .iter()
        .find(|f| f["rule"] == "DC-PARSE")
        .expect("a DC-PARSE finding");
    assert_eq!(parse["severity"], "error");
    let message = parse["message"].as_str().expect("message").to_owned();
    (spots(&report), message)
}

#[test]
fn malformed_yaml() {
    // Line 5 opens a flow mapping `{app: web` that is never closed; the parser finds
    // `spec:` where a `,` or `}` must be, at the `:` (6:5), as libyaml and PyYAML do.
    let (spots, message) = scan_malformed("malformed-yaml");
    assert_eq!(
        spots,
        vec![
            // The valid file beside it is still checked: no enforce_admins, reviews off.
            spot("GH-REVIEW-004", ".github/settings.yml", 3, 5),
            spot("GH-REVIEW-001", ".github/settings.yml", 4, 38),
            spot("DC-PARSE", "k8s/web.yaml", 6, 5),
        ]
    );
    assert_eq!(
        message,
        "invalid YAML: while parsing a flow mapping, did not find expected ',' or '}'; \
         the file was not checked"
    );
}

#[test]
fn malformed_json() {
    // Line 4 ends with `true` (columns 30-33) and no comma: reported where the comma is
    // missing, 4:34.
    let (spots, message) = scan_malformed("malformed-json");
    assert_eq!(
        spots,
        vec![
            spot("DC-PARSE", "protection/main.json", 4, 34),
            spot("GH-REVIEW-002", "protection/release.json", 1, 1),
        ]
    );
    assert_eq!(
        message,
        "invalid JSON: Expected comma; the file was not checked"
    );
}

#[test]
fn malformed_xml() {
    // `<viewAllRecords>true</viewAllRecord>`: the closing tag starts at 6:29.
    let (spots, message) = scan_malformed("malformed-xml");
    assert_eq!(
        spots,
        vec![
            spot(
                "SF-GUEST-001",
                "src/profiles/Partner Profile.profile",
                4,
                22
            ),
            // `<allowRead>true</allowRead>` on Lead: guests read personal data.
            spot(
                "SF-GUEST-002",
                "src/profiles/Partner Profile.profile",
                5,
                20
            ),
            spot("DC-PARSE", "src/profiles/Shop Profile.profile", 6, 29),
        ]
    );
    assert_eq!(
        message,
        "invalid XML: expected 'viewAllRecords' tag, not 'viewAllRecord' at 6:29; \
         the file was not checked"
    );
}

#[test]
fn text_output_shows_the_same_column_as_json_for_parse_errors() {
    let run = run([
        "scan".as_ref(),
        fixture("malformed-json").as_os_str(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(run.code, 1);
    let arrow = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("-->"))
        .expect("a location line");
    assert_eq!(arrow.trim_start(), "--> protection/main.json:4:34");
}

#[test]
fn site_dot_com_content_is_not_read_but_a_broken_custom_site_is_reported() {
    // `siteDotComSites/Shop1.site` is a JSON header and a binary archive, not CustomSite XML:
    // it is left out. Its `<SiteDotCom>` meta file is read; `sites/Shop.site-meta.xml` closes
    // with `</CustomSit>` at 6:1.
    let (spots, message) = scan_malformed("salesforce-site-dot-com");
    assert_eq!(
        spots,
        vec![spot(
            "DC-PARSE",
            "force-app/main/default/sites/Shop.site-meta.xml",
            6,
            1
        )]
    );
    assert_eq!(
        message,
        "invalid XML: expected 'CustomSite' tag, not 'CustomSit' at 6:1; the file was not checked"
    );
}
