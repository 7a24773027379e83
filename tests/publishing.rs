//! The two-person publishing pack (aichi-2020) end to end: a repository where one person can
//! publish alone through every source doublecheck reads (Probot settings, an exported
//! ruleset, a branch-protection export, CODEOWNERS, two Decap CMS configs), the same
//! repository configured safely, and the `publishing:` settings of `.doublecheck.yml`.

mod common;

use common::{
    Spot, at, findings, fixture, related_spots as related, run, scan_json, spot, spots, summary,
};
use serde_json::Value;

const SETTINGS: &str = ".github/settings.yml";
const RULESET: &str = ".github/rulesets/publish.json";
const CODEOWNERS: &str = ".github/CODEOWNERS";
const EXPORT: &str = "audit/branch-protection/main.json";

fn finding<'a>(report: &'a Value, wanted: &Spot) -> &'a Value {
    findings(report)
        .iter()
        .find(|f| {
            f["rule"] == wanted.rule.as_str()
                && f["location"]["path"] == wanted.path.as_str()
                && f["location"]["start"]["line"] == wanted.line
        })
        .unwrap_or_else(|| panic!("no finding {wanted:?}"))
}

#[test]
fn every_way_to_publish_alone_is_found_at_its_value() {
    let run = scan_json(&fixture("publishing-repo"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // `/docs/  @tanaka`: one person owns a published folder (at the owner).
            spot("GH-CODEOWNERS-002", CODEOWNERS, 3, 19),
            // `/static/  city/web-team`: the owner lacks its `@`, so nobody owns static/.
            spot("GH-CODEOWNERS-001", CODEOWNERS, 5, 19),
            spot("GH-CODEOWNERS-002", CODEOWNERS, 5, 19),
            // `"enforcement": "evaluate"`.
            spot("GH-RULESET-004", RULESET, 7, 18),
            // The pull_request rule's `"parameters"` key: no stale-approval setting is true.
            spot("GH-RULESET-002", RULESET, 18, 7),
            // `"required_approving_review_count": 0`.
            spot("GH-RULESET-001", RULESET, 19, 44),
            // `"bypass_mode": "always"`.
            spot("GH-RULESET-003", RULESET, 28, 68),
            // `required_pull_request_reviews:` with `dismiss_stale_reviews: false`.
            spot("GH-REVIEW-003", SETTINGS, 9, 7),
            // `enforce_admins: false`.
            spot("GH-REVIEW-004", SETTINGS, 13, 23),
            // production: reviewers but prevent_self_review omitted (the entry's first
            // line), and one user as its only reviewer (`reviewers:`).
            spot("GH-ENV-001", SETTINGS, 16, 5),
            spot("GH-ENV-002", SETTINGS, 17, 5),
            // live-preview: production-like by name, no reviewers (the entry).
            spot("GH-ENV-003", SETTINGS, 20, 5),
            // `"enforce_admins": {"enabled": false}` in the REST export.
            spot("GH-REVIEW-006", EXPORT, 9, 33),
            // blog/admin: no publish_mode, at the mapping that should hold it.
            spot("DECAP-001", "blog/admin/config.yml", 1, 1),
            // site/static/admin: `branch: gh-pages`, which nothing protects.
            spot("DECAP-002", "site/static/admin/config.yml", 4, 11),
        ]
    );
    assert_eq!(summary(&report, "files_checked"), 6);
    assert_eq!(summary(&report, "errors"), 9);
    assert_eq!(summary(&report, "warnings"), 6);
}

#[test]
fn cross_file_findings_show_the_files_that_make_them_true() {
    let run = scan_json(&fixture("publishing-repo"), &[]);
    let report = run.json();
    // The CMS branch: every rule found, and why it does not protect `gh-pages`.
    let cms = finding(
        &report,
        &spot("DECAP-002", "site/static/admin/config.yml", 4, 11),
    );
    assert_eq!(
        related(cms),
        vec![
            at(
                RULESET,
                7,
                18,
                "ruleset `publish` has enforcement `evaluate`, so it protects nothing"
            ),
            at(SETTINGS, 7, 11, "protects branch `main`, not `gh-pages`"),
            at(EXPORT, 2, 10, "protects branch `main`, not `gh-pages`"),
        ]
    );
    assert_eq!(
        cms["message"],
        "no rule in the repository protects the branch this CMS publishes to (`branch` is \
         \"gh-pages\") with a required approving review: an author can approve and publish \
         their own entry"
    );
    // The published folder's owner: the requirement in settings.yml that makes it matter
    // (the ruleset's requirement is not in force: it only evaluates).
    let docs = finding(&report, &spot("GH-CODEOWNERS-002", CODEOWNERS, 3, 19));
    assert_eq!(
        related(docs),
        vec![at(
            SETTINGS,
            12,
            37,
            "the protection of branch `main` requires code-owner review"
        )]
    );
    // The bypass names the actor.
    let bypass = finding(&report, &spot("GH-RULESET-003", RULESET, 28, 68));
    assert_eq!(
        bypass["message"],
        "RepositoryRole 5 can push or merge past this ruleset without anyone's approval: \
         its bypass_mode is not pull_request (omitted means always)"
    );
}

#[test]
fn the_minimal_safe_configuration_of_every_source_passes() {
    // `default` branch protection, an active ruleset for `~DEFAULT_BRANCH`, a release
    // ruleset that protects the CMS branch `release/web`, teams and two people as code
    // owners, a production environment with a team and no self-review.
    let run = scan_json(&fixture("publishing-safe"), &[]);
    assert_eq!(run.code, 0, "stdout: {}", run.stdout);
    let report = run.json();
    assert_eq!(spots(&report), vec![]);
    assert_eq!(summary(&report, "files_checked"), 5);
}

#[test]
fn publishing_settings_change_what_is_production() {
    // `.doublecheck.yml` replaces the production names with `^www$`; there is no CODEOWNERS
    // while settings.yml requires code-owner review.
    let run = scan_json(&fixture("publishing-config"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        spots(&run.json()),
        vec![
            spot("GH-CODEOWNERS-003", SETTINGS, 7, 37),
            spot("GH-ENV-003", SETTINGS, 10, 5),
        ]
    );
    // Warnings alone do not fail the run unless asked to.
    let run = scan_json(
        &fixture("publishing-config"),
        &["--fail-on", "error", "--config", "/dev/null"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        spots(&run.json()),
        vec![spot("GH-CODEOWNERS-003", SETTINGS, 7, 37)],
        "with the defaults, `www` is not production-like"
    );
}

#[test]
fn a_bad_publishing_pattern_stops_the_run_at_its_place() {
    let config = fixture("publishing-config/bad-config.yml");
    let run = run([
        "scan".as_ref(),
        fixture("publishing-config").as_os_str(),
        "--config".as_ref(),
        config.as_os_str(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("bad-config.yml:2:36"),
        "stderr: {}",
        run.stderr
    );
    assert!(run.stderr.contains("invalid regular expression"));
}

#[test]
fn explain_cites_the_incident_and_the_minimal_safe_configuration() {
    for (id, safe) in [
        ("GH-REVIEW-004", "enforce_admins: true"),
        ("GH-RULESET-003", "\"bypass_mode\": \"pull_request\""),
        ("GH-ENV-001", "prevent_self_review: true"),
        ("GH-CODEOWNERS-002", "/docs/    @acme/web-team"),
        ("DECAP-001", "publish_mode: editorial_workflow"),
        ("GH-TF-REVIEW-003", "enforce_admins = true"),
        ("GH-TF-RULESET-003", "bypass_mode = \"pull_request\""),
        ("GH-TF-ENV-002", "can_admins_bypass   = false"),
        (
            "GL-MR-001",
            "merge_requests_disable_committers_approval     = true",
        ),
        (
            "GL-MR-003",
            "allow_author_approval                              = false",
        ),
        ("GL-BRANCH-001", "push_access_level            = \"no one\""),
        ("GL-ENV-002", "required_approvals = 1"),
    ] {
        let run = run(["explain", id]);
        assert_eq!(run.code, 0, "{id}: {}", run.stderr);
        assert!(
            run.stdout.contains("Why (incident aichi-2020)"),
            "{id}: {}",
            run.stdout
        );
        assert!(run.stdout.contains(safe), "{id}: {}", run.stdout);
    }
}

const GITHUB_TF: &str = "github.tf";
const GITLAB_TF: &str = "gitlab.tf";

#[test]
fn terraform_github_and_gitlab_resources_that_let_one_person_publish() {
    let run = scan_json(&fixture("publishing-terraform"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // `enforce_admins` omitted (defaults to false): at the resource's name label.
            spot("GH-TF-REVIEW-003", GITHUB_TF, 9, 37),
            // `bypass_mode = "always"`.
            spot("GH-TF-RULESET-003", GITHUB_TF, 35, 19),
            // production: reviewers but `prevent_self_review` and `can_admins_bypass` left
            // to their defaults (at the name label), and one user as the only reviewer.
            spot("GH-TF-ENV-001", GITHUB_TF, 46, 42),
            spot("GH-TF-ENV-002", GITHUB_TF, 46, 42),
            spot("GH-TF-ENV-003", GITHUB_TF, 50, 3),
            // `allow_pipeline_trigger_approve_deployment = true`.
            spot("GL-ENV-001", GITLAB_TF, 3, 47),
            // `allow_author_approval = true` (the group-level name for author approval).
            spot("GL-MR-003", GITLAB_TF, 8, 27),
            // No push setting: GitLab lets maintainers push to main.
            spot("GL-BRANCH-001", GITLAB_TF, 11, 37),
            // `live` deploys with nobody's approval.
            spot("GL-ENV-002", GITLAB_TF, 17, 49),
            // The CMS publishes to main, which the Terraform protection leaves without a
            // required approval once `var.approvals` is substituted.
            spot("DECAP-002", "site/static/admin/config.yml", 4, 11),
            // `required_approving_review_count = var.approvals`: reported where the value
            // is set, the variable's default of 0, with the use related.
            spot("GH-TF-REVIEW-001", "variables.tf", 4, 17),
        ]
    );
    let cms = finding(
        &report,
        &spot("DECAP-002", "site/static/admin/config.yml", 4, 11),
    );
    assert_eq!(
        related(cms),
        [
            at(
                GITHUB_TF,
                9,
                37,
                "protects branch `main` without a required approving review"
            ),
            at(
                GITHUB_TF,
                25,
                3,
                "ruleset `release` does not apply to branch `main`"
            ),
        ]
    );
    let approvals = finding(&report, &spot("GH-TF-REVIEW-001", "variables.tf", 4, 17));
    assert_eq!(
        related(approvals),
        [at(
            GITHUB_TF,
            14,
            39,
            "used here: `var.approvals` is `0`, the default in its `variable` block"
        )]
    );
    assert_eq!(summary(&report, "errors"), 8);
    assert_eq!(summary(&report, "warnings"), 3);
}

/// The safe fixture's Decap CMS publishes to `main`, protected only by Terraform's
/// `github_branch_protection`: no DECAP-002 shows that the protection counts.
#[test]
fn terraform_github_and_gitlab_resources_configured_for_two_people_pass() {
    let run = scan_json(&fixture("publishing-terraform-safe"), &[]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(spots(&run.json()), Vec::<Spot>::new());
}

/// Issue 16: Terraform's JSON syntax lets a `*.tf.json` write every level of a resource, and
/// every nested block, as a list of objects. A resource body in a list read as `(unnamed)`
/// (`body-list`), and a `resource` list was not read at all (`list`): either gave a false
/// DECAP-002 for the CMS publishing to `main`, which the Terraform protection does protect.
/// Every form must give the object form's findings, down to the message and the exit code.
#[test]
fn terraform_json_list_and_object_forms_give_the_same_findings() {
    // `main` (admin/config.yml) is protected with a required review; only the blog's
    // `gh-pages` is not, so a warning, which alone does not fail the run.
    let expected = vec![(
        spot("DECAP-002", "blog/admin/config.yml", 4, 11),
        "no rule in the repository protects the branch this CMS publishes to (`branch` is \
         \"gh-pages\") with a required approving review: an author can approve and publish \
         their own entry"
            .to_owned(),
    )];
    let tf = "github.tf.json";
    let protection = "protects branch `main`, not `gh-pages`";
    let ruleset = "ruleset `release` does not apply to branch `gh-pages`";
    // The same rules are found, each where its form writes it: at the resource's name in
    // the object form, at its body (the list's element) in the list forms.
    for (form, related_locations) in [
        ("object", [at(tf, 5, 7, protection), at(tf, 22, 9, ruleset)]),
        (
            "body-list",
            [at(tf, 6, 9, protection), at(tf, 25, 11, ruleset)],
        ),
        ("list", [at(tf, 8, 13, protection), at(tf, 33, 15, ruleset)]),
    ] {
        let run = scan_json(&fixture(&format!("publishing-terraform-json/{form}")), &[]);
        assert_eq!(run.code, 0, "{form}: {}", run.stderr);
        let report = run.json();
        let found: Vec<(Spot, String)> = spots(&report)
            .into_iter()
            .zip(findings(&report))
            .map(|(spot, f)| (spot, f["message"].as_str().unwrap_or_default().to_owned()))
            .collect();
        assert_eq!(found, expected, "{form}");
        assert_eq!(
            related(finding(&report, &expected[0].0)),
            related_locations,
            "{form}"
        );
    }
}
