//! The Power Pages pack end to end: a site of each data model (`pac pages download`'s
//! standard `portal/` and enhanced `.powerpages-site/`), every rule at its exact value with
//! its web role and table as related locations, a parent permission's Global scope and web
//! role reaching its child, `powerpages.extend-public-tables`, a YAML comment suppressing a
//! finding, and the same sites configured safely with none.

mod common;

use common::{findings, fixture, related_spots, run, spot, spots, summary};
use serde_json::Value;

fn scan(name: &str, extra: &[&str]) -> common::Run {
    let root = fixture(name);
    let root = root.to_str().expect("UTF-8 path");
    let mut args = vec!["scan", root, "--root", root, "--format", "json"];
    args.extend_from_slice(extra);
    run(args)
}

fn message_of<'a>(report: &'a Value, rule: &str, path: &str) -> &'a str {
    findings(report)
        .iter()
        .find(|f| f["rule"] == rule && f["location"]["path"] == path)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("a {rule} finding in {path}"))
}

fn finding<'a>(report: &'a Value, rule: &str, path: &str) -> &'a Value {
    findings(report)
        .iter()
        .find(|f| f["rule"] == rule && f["location"]["path"] == path)
        .unwrap_or_else(|| panic!("a {rule} finding in {path}"))
}

fn related(report: &Value, rule: &str, path: &str) -> Vec<(String, u64, u64, String)> {
    related_spots(finding(report, rule, path))
}

const ENHANCED: &str = "app/.powerpages-site";

#[test]
fn both_data_models_are_checked_at_the_exact_values() {
    let run = scan("powerpages", &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let e = |file: &str| format!("{ENHANCED}/{file}");
    assert_eq!(
        spots(&report),
        vec![
            spot("PP-PERMS-001", &e("lists/Requests.list.yml"), 2, 27),
            spot(
                "PP-WEBAPI-002",
                &e("site-settings/Webapi-cr123_request-fields.sitesetting.yml"),
                3,
                8
            ),
            spot(
                "PP-WEBAPI-001",
                &e("site-settings/Webapi-lead-fields.sitesetting.yml"),
                3,
                8
            ),
            spot(
                "PP-ANON-002",
                &e("table-permissions/Accounts.tablepermission.yml"),
                3,
                9
            ),
            spot(
                "PP-ANON-001",
                &e("table-permissions/Accounts.tablepermission.yml"),
                10,
                7
            ),
            spot(
                "PP-ANON-003",
                &e("table-permissions/Contact-us.tablepermission.yml"),
                5,
                9
            ),
            spot(
                "PP-PERMS-002",
                "portal/basic-forms/edit-case/Edit-case.basicform.yml",
                3,
                31
            ),
            spot("PP-ODATA-001", "portal/lists/Vaccinations.list.yml", 3, 31),
            spot("PP-WEBAPI-001", "portal/sitesetting.yml", 12, 14),
            spot(
                "PP-ANON-001",
                "portal/table-permissions/Articles.tablepermission.yml",
                7,
                11
            ),
            spot(
                "PP-ANON-001",
                "portal/table-permissions/Case-notes.tablepermission.yml",
                10,
                11
            ),
            spot(
                "PP-ANON-002",
                "portal/table-permissions/Cases.tablepermission.yml",
                4,
                13
            ),
            spot(
                "PP-ANON-001",
                "portal/table-permissions/Contacts.tablepermission.yml",
                10,
                11
            ),
            spot(
                "PP-ROLE-001",
                "portal/table-permissions/Employees.tablepermission.yml",
                5,
                3
            ),
            spot(
                "PP-SIGNUP-001",
                "portal/table-permissions/Employees.tablepermission.yml",
                7,
                11
            ),
        ]
    );
    assert_eq!(summary(&report, "suppressed"), 1);
    assert_eq!(
        message_of(
            &report,
            "PP-ODATA-001",
            "portal/lists/Vaccinations.list.yml"
        ),
        "list `Vaccinations` serves every row of `cr123_vaccination` as an OData feed to anyone: \
         table permissions are off"
    );
    assert_eq!(
        message_of(
            &report,
            "PP-ANON-002",
            "portal/table-permissions/Cases.tablepermission.yml"
        ),
        "visitors who do not sign in can delete, write every row of `incident`: table \
         permission `Cases` gives the anonymous role Global delete, write"
    );
    assert_eq!(
        message_of(
            &report,
            "PP-ANON-003",
            &e("table-permissions/Contact-us.tablepermission.yml")
        ),
        "visitors who do not sign in can create rows of `lead`: table permission `Contact us` \
         gives the anonymous role Global create"
    );
    assert_eq!(
        message_of(
            &report,
            "PP-SIGNUP-001",
            "portal/table-permissions/Employees.tablepermission.yml"
        ),
        "anyone who signs up can read every row of `systemuser`: table permission `Employees` \
         gives every signed-in user Global read, and registration is open"
    );
    assert_eq!(
        message_of(
            &report,
            "PP-ROLE-001",
            "portal/table-permissions/Employees.tablepermission.yml"
        ),
        "web role `0a000000-0000-4000-8000-0000000000ff` is not defined by any file of the site: \
         who holds this table permission cannot be checked"
    );
    assert_eq!(
        message_of(
            &report,
            "PP-WEBAPI-002",
            &e("site-settings/Webapi-cr123_request-fields.sitesetting.yml")
        ),
        "`Webapi/cr123_request/fields` is `*`: the Web API serves every column of the table to \
         the signed-in users its table permissions let in"
    );
    assert_eq!(
        message_of(&report, "PP-PERMS-001", &e("lists/Requests.list.yml")),
        "list `Requests` shows every row of `cr123_request` to whoever opens its page: table \
         permissions are off"
    );
    assert_eq!(
        message_of(
            &report,
            "PP-PERMS-002",
            "portal/basic-forms/edit-case/Edit-case.basicform.yml"
        ),
        "form `Edit case` opens any row of its table for whoever opens its page: table \
         permissions are off"
    );
}

#[test]
fn the_web_role_the_table_and_the_settings_are_related_locations() {
    let report = scan("powerpages", &[]).json();
    let at = |path: &str, line: u64, column: u64, message: &str| {
        (path.to_owned(), line, column, message.to_owned())
    };
    assert_eq!(
        related(
            &report,
            "PP-ANON-001",
            "portal/table-permissions/Contacts.tablepermission.yml"
        ),
        [
            at(
                "portal/webrole.yml",
                3,
                13,
                "held by the anonymous role `Anonymous Users`"
            ),
            at(
                "portal/table-permissions/Contacts.tablepermission.yml",
                5,
                24,
                "table `contact`"
            ),
        ]
    );
    // The child names no web role: its parent's hold it, and its parent's Global scope makes
    // it reach every note of every case.
    assert_eq!(
        related(
            &report,
            "PP-ANON-001",
            "portal/table-permissions/Case-notes.tablepermission.yml"
        ),
        [
            at(
                "portal/webrole.yml",
                3,
                13,
                "held by the anonymous role `Anonymous Users`"
            ),
            at(
                "portal/table-permissions/Case-notes.tablepermission.yml",
                5,
                24,
                "table `annotation`"
            ),
            at(
                "portal/table-permissions/Cases.tablepermission.yml",
                11,
                12,
                "child of `Cases` (Global scope)"
            ),
        ]
    );
    assert_eq!(
        related(
            &report,
            "PP-WEBAPI-001",
            &format!("{ENHANCED}/site-settings/Webapi-lead-fields.sitesetting.yml")
        ),
        [
            at(
                &format!("{ENHANCED}/site-settings/Webapi-lead-enabled.sitesetting.yml"),
                3,
                8,
                "`Webapi/lead/enabled` is true"
            ),
            at(
                &format!("{ENHANCED}/table-permissions/Contact-us.tablepermission.yml"),
                7,
                20,
                "table permission `Contact us` on `lead`"
            ),
            at(
                &format!("{ENHANCED}/web-roles/Anonymous-Users.webrole.yml"),
                4,
                7,
                "held by the anonymous role `Anonymous Users`"
            ),
        ]
    );
    assert_eq!(
        related(
            &report,
            "PP-SIGNUP-001",
            "portal/table-permissions/Employees.tablepermission.yml"
        ),
        [
            at(
                "portal/webrole.yml",
                7,
                13,
                "held by every signed-in user's role `Authenticated Users`"
            ),
            at(
                "portal/table-permissions/Employees.tablepermission.yml",
                1,
                24,
                "table `systemuser`"
            ),
            at(
                "portal/sitesetting.yml",
                3,
                14,
                "`Authentication/Registration/Enabled` is true: anyone can sign up"
            ),
            at(
                "portal/sitesetting.yml",
                6,
                14,
                "`Authentication/Registration/OpenRegistrationEnabled` is true: anyone can sign up"
            ),
        ]
    );
    assert_eq!(
        related(
            &report,
            "PP-ODATA-001",
            "portal/lists/Vaccinations.list.yml"
        ),
        [
            at(
                "portal/lists/Vaccinations.list.yml",
                2,
                17,
                "the table it shows"
            ),
            at(
                "portal/webrole.yml",
                3,
                13,
                "visitors who do not sign in have the role `Anonymous Users`"
            ),
        ]
    );
}

#[test]
fn a_suppression_comment_holds_and_no_ignores_turns_it_off() {
    let report = scan("powerpages", &[]).json();
    let articles = finding(
        &report,
        "PP-ANON-001",
        "portal/table-permissions/Articles.tablepermission.yml",
    );
    assert_eq!(
        articles["suppression"]["justification"],
        "published articles, public by design"
    );
    let run = scan("powerpages", &["--no-ignores"]);
    assert_eq!(run.code, 1);
    assert_eq!(summary(&run.json(), "suppressed"), 0);
}

#[test]
fn tables_named_public_and_the_default_knowledge_base_are_not_reported() {
    // `extend-public-tables` adds cr123_servicecatalog: Catalogue's Global read is meant.
    let report = scan("powerpages", &[]).json();
    assert!(
        findings(&report)
            .iter()
            .all(|f| f["location"]["path"]
                != "portal/table-permissions/Catalogue.tablepermission.yml")
    );
    // The safe site's knowledge base is public by default.
    let run = scan("powerpages-safe", &[]);
    assert_eq!(run.code, 0, "stdout: {}", run.stdout);
    assert_eq!(spots(&run.json()), vec![]);
}

#[test]
fn the_sites_configured_safely_pass_with_every_file_read() {
    let run = scan("powerpages-safe", &[]);
    assert_eq!(run.code, 0, "stdout: {}", run.stdout);
    let report = run.json();
    assert_eq!(summary(&report, "files_checked"), 9);
    assert_eq!(summary(&report, "findings"), 0);
}
