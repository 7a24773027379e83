//! Detection, row by row: the old per-rule expectations, with each row named by the rule
//! it replaced.

use serde_json::json;

use super::*;

/// What a row reads, as the tests name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    SalesforceXml,
    GithubSettings,
    GithubRuleset,
    GithubWorkflow,
    JsonByContent,
    YamlByContent,
    ExperienceSite,
    ApexClass,
    AnonymousApex,
    Visualforce,
    CumulusCi,
    Terraform,
    TerraformVariables,
    DataFile,
    CloudFormationTemplate,
    Codeowners,
    DecapConfig,
    DecapScript,
    DecapElsewhere,
    FirebaseRules,
    FirebaseDatabaseRules,
    HelmChart,
    FirebaseConfig,
    PowerPages,
    Supabase,
}

const ROWS: &[(Rule, &[&str])] = &[
    (
        Rule::SalesforceXml,
        &[
            "Salesforce metadata, source format (`*-meta.xml`)",
            "Salesforce metadata, Metadata API format (`<member>.<type>`)",
        ],
    ),
    (Rule::Visualforce, &["Visualforce page or component"]),
    (Rule::ApexClass, &["Apex class"]),
    (Rule::AnonymousApex, &["anonymous Apex script"]),
    (
        Rule::Terraform,
        &[
            "Terraform configuration (HCL)",
            "Terraform configuration (JSON)",
        ],
    ),
    (
        Rule::TerraformVariables,
        &["Terraform variables (HCL)", "Terraform variables (JSON)"],
    ),
    (Rule::DataFile, &["spreadsheet or CSV export"]),
    (
        Rule::FirebaseRules,
        &[
            "Firebase Security Rules (`firestore.rules`, `storage.rules`)",
            "Firebase Security Rules, by content (`*.rules`)",
        ],
    ),
    (
        Rule::FirebaseDatabaseRules,
        &["Firebase Realtime Database rules (`database.rules.json`)"],
    ),
    (
        Rule::HelmChart,
        &[
            "Helm chart (`Chart.yaml`)",
            "Helm named templates (`templates/*.tpl`, `templates/*.txt`)",
        ],
    ),
    (
        Rule::FirebaseConfig,
        &["Firebase CLI project file (`firebase.json`)"],
    ),
    (
        Rule::PowerPages,
        &[
            "Power Pages web roles, standard data model (`webrole.yml`)",
            "Power Pages site settings, standard data model (`sitesetting.yml`)",
            "Power Pages website, standard data model (`website.yml`)",
            "Power Pages website, enhanced data model (`.powerpages-site/website.yml`)",
            "Power Pages web role, enhanced data model (`web-roles/*.webrole.yml`)",
            "Power Pages site setting, enhanced data model (`site-settings/*.sitesetting.yml`)",
            "Power Pages table permission (`table-permissions/*.tablepermission.yml`)",
            "Power Pages list (`lists/*.list.yml`)",
            "Power Pages basic form (`basic-forms/**/*.basicform.yml`)",
            "Power Pages advanced form step (`advanced-forms/**/*.advancedformstep.yml`)",
        ],
    ),
    (Rule::CumulusCi, &["CumulusCI project file"]),
    (Rule::ExperienceSite, &["Experience Cloud site settings"]),
    (Rule::Codeowners, &["CODEOWNERS"]),
    (
        Rule::Supabase,
        &[
            "Supabase migration (`supabase/migrations/*.sql`)",
            "Supabase project settings (`supabase/config.toml`)",
        ],
    ),
    (
        Rule::DecapConfig,
        &["Decap CMS config (`admin/config.yml`)"],
    ),
    (
        Rule::DecapScript,
        &["Decap CMS configured in code (`CMS.init` in `*.js`, `*.ts`, …)"],
    ),
    (
        Rule::GithubSettings,
        &["safe-settings / Probot `.github/settings.yml`"],
    ),
    (
        Rule::GithubWorkflow,
        &["GitHub Actions workflow (`.github/workflows/*.yml`)"],
    ),
    (
        Rule::GithubRuleset,
        &["GitHub repository ruleset export (`.github/rulesets/*.json`)"],
    ),
    (
        Rule::DecapElsewhere,
        &["Decap CMS config at another path (`*.yml` whose path names the CMS)"],
    ),
    (Rule::JsonByContent, &["other JSON, by content"]),
    (Rule::YamlByContent, &["other YAML, by content"]),
    (
        Rule::CloudFormationTemplate,
        &["CloudFormation template (`*.template`, JSON or YAML)"],
    ),
];

fn rule_of(candidate: Candidate) -> Rule {
    ROWS.iter()
        .find(|(_, names)| names.contains(&candidate.detector.name))
        .map(|(rule, _)| *rule)
        .expect("every row is named in ROWS")
}

/// A candidate of the row `rule` names (the first, when several).
fn cand(rule: Rule) -> Candidate {
    let (_, names) = ROWS.iter().find(|(r, _)| *r == rule).expect("a row");
    let detector = DETECTORS
        .iter()
        .find(|d| d.name == names[0])
        .expect("the row exists");
    Candidate { detector }
}

#[test]
fn every_row_is_named_once() {
    for detector in DETECTORS {
        let named = ROWS
            .iter()
            .filter(|(_, names)| names.contains(&detector.name))
            .count();
        assert_eq!(named, 1, "{}", detector.name);
    }
}

/// The kind the path announces is the kind the content gets: one table says both.
#[test]
fn the_expected_kind_is_the_kind_given() {
    let samples: &[(&str, serde_json::Value)] = &[
        ("x/profiles/Guest.profile-meta.xml", json!({"Profile": {}})),
        ("src/profiles/Guest.profile", json!({"Profile": {}})),
        ("x/sites/S.site-meta.xml", json!({"CustomSite": {}})),
        ("x/networks/N.network-meta.xml", json!({"Network": {}})),
        ("x/classes/C.cls-meta.xml", json!({"ApexClass": {}})),
        (
            "x/objects/A/fields/F.field-meta.xml",
            json!({"CustomField": {}}),
        ),
        ("src/objects/Account.object", json!({"CustomObject": {}})),
        (
            "x/permissionsets/P.permissionset-meta.xml",
            json!({"PermissionSet": {}}),
        ),
        ("x/classes/C.cls", json!({})),
        ("scripts/a.apex", json!({})),
        ("x/pages/P.page", json!({})),
        ("cumulusci.yml", json!({})),
        ("database.rules.json", json!({"rules": {}})),
        ("app/firebase.json", json!({"firestore": {}})),
        ("main.tf", json!({})),
        ("main.tf.json", json!({})),
        ("a.tfvars", json!({})),
        ("a.tfvars.json", json!({})),
        ("CODEOWNERS", json!({})),
        (".github/settings.yml", json!({})),
        (".github/rulesets/main.json", json!({})),
        (".github/workflows/approve.yml", json!({})),
        ("static/admin/config.yml", json!({"backend": {}})),
        ("x/experiences/S1/config/s.json", json!({"type": "site"})),
        ("exports/c.csv", json!({})),
        ("firestore.rules", json!({"services": []})),
        ("app/storage.rules", json!({"services": []})),
        ("rules/prod.rules", json!({"services": []})),
        ("site/webrole.yml", json!([{"adx_webroleid": "r"}])),
        ("site/sitesetting.yml", json!([{"adx_name": "a"}])),
        ("site/website.yml", json!({"adx_websiteid": "w"})),
        (".powerpages-site/website.yml", json!({"id": "w"})),
        (".powerpages-site/web-roles/A.webrole.yml", json!({})),
        (
            ".powerpages-site/site-settings/A.sitesetting.yml",
            json!({}),
        ),
        ("site/table-permissions/A.tablepermission.yml", json!({})),
        ("site/lists/A.list.yml", json!({})),
        ("site/basic-forms/a/A.basicform.yml", json!({})),
        (
            "site/advanced-forms/a/advanced-form-steps/S.advancedformstep.yml",
            json!({}),
        ),
    ];
    for (path, document) in samples {
        let candidate = candidate(path).expect("a candidate");
        let expected = expected_kind(path, candidate).expect("announced by the path");
        let given = kind_of(candidate, document).expect("a kind");
        assert_eq!(given.as_str(), expected, "{path}");
        assert!(
            known_kinds().contains(&expected),
            "{expected} is a known kind"
        );
    }
}

#[test]
fn kubernetes_objects_written_as_json_are_read() {
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "spec": {}});
    assert_eq!(
        kind_of(cand(Rule::JsonByContent), &pod),
        Some(Kind::new("kubernetes/Pod"))
    );
    let text = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}";
    assert!(worth_parsing(cand(Rule::JsonByContent), text));
    assert_eq!(
        kind_of(cand(Rule::JsonByContent), &json!({"kind": "Pod"})),
        None
    );
}

#[test]
fn known_kinds_hold_fixed_kinds_and_families() {
    let known = known_kinds();
    for kind in [
        kinds::SALESFORCE_PROFILE,
        kinds::SALESFORCE_ANY,
        kinds::KUBERNETES_ANY,
        kinds::TERRAFORM_PLAN,
        kinds::GITHUB_BRANCH_PROTECTION,
        kinds::CLOUDFORMATION_TEMPLATE,
        kinds::DATA_FILE,
    ] {
        assert!(known.contains(&kind), "{kind}");
    }
}

#[test]
fn salesforce_both_suffix_families() {
    for path in [
        "force-app/main/default/profiles/Guest.profile-meta.xml",
        "src/profiles/E-Bikes Profile.profile",
        "src/sharingRules/Account.sharingRules",
        "force-app/main/default/sites/E_Bikes.site-meta.xml",
    ] {
        assert_eq!(
            candidate(path).map(rule_of),
            Some(Rule::SalesforceXml),
            "{path}"
        );
    }
    assert_eq!(candidate("src/classes/Foo.trigger"), None);
    // Site.com content is a binary archive with CustomSite's suffix; its meta file is XML.
    assert_eq!(
        candidate("force-app/main/default/siteDotComSites/Shop1.site"),
        None
    );
    assert_eq!(candidate("siteDotComSites/Shop1.site"), None);
    assert_eq!(
        candidate("force-app/main/default/siteDotComSites/Shop1.site-meta.xml").map(rule_of),
        Some(Rule::SalesforceXml)
    );
    assert_eq!(candidate("README.md"), None);
}

#[test]
fn site_meta_xml_kind_comes_from_the_root_element() {
    for root in ["CustomSite", "ExperienceBundle", "SiteDotCom"] {
        let doc = json!({ root: {} });
        assert_eq!(
            kind_of(cand(Rule::SalesforceXml), &doc),
            Some(Kind::new(format!("salesforce/{root}")))
        );
    }
}

#[test]
fn github_paths() {
    let c = candidate(".github/settings.yml").expect("candidate");
    assert_eq!(rule_of(c), Rule::GithubSettings);
    let c = candidate("repos/x/.github/rulesets/main.json").expect("candidate");
    assert_eq!(rule_of(c), Rule::GithubRuleset);
    let c = candidate("settings.yml").expect("candidate");
    assert_eq!(rule_of(c), Rule::YamlByContent);
    for path in [
        ".github/workflows/approve.yml",
        "repos/site/.github/workflows/ci.yaml",
    ] {
        let c = candidate(path).expect("candidate");
        assert_eq!(rule_of(c), Rule::GithubWorkflow, "{path}");
    }
    // GitHub runs workflows only directly in `.github/workflows/`.
    for path in [
        ".github/workflows/templates/ci.yml",
        "workflows/ci.yml",
        "x.github/workflows/ci.yml",
    ] {
        let c = candidate(path).expect("candidate");
        assert_eq!(rule_of(c), Rule::YamlByContent, "{path}");
    }
}

#[test]
fn apex_cumulusci_and_experience_sites() {
    let rule = |path: &str| candidate(path).map(rule_of);
    assert_eq!(
        rule("force-app/main/default/classes/Foo.cls"),
        Some(Rule::ApexClass)
    );
    assert_eq!(
        rule("force-app/main/default/classes/Foo.cls-meta.xml"),
        Some(Rule::SalesforceXml)
    );
    assert_eq!(rule("scripts/apex/guest.apex"), Some(Rule::AnonymousApex));
    assert_eq!(rule("src/pages/Shop.page"), Some(Rule::Visualforce));
    assert_eq!(
        rule("force-app/main/default/components/Picker.component"),
        Some(Rule::Visualforce)
    );
    assert_eq!(rule("docs/Shop.page"), None);
    assert_eq!(
        rule("src/pages/Shop.page-meta.xml"),
        Some(Rule::SalesforceXml)
    );
    // MavensMate's project settings, JSON; an org's settings are `<Name>.settings`.
    assert_eq!(rule("config/.settings"), None);
    assert_eq!(
        rule("src/settings/Security.settings"),
        Some(Rule::SalesforceXml)
    );
    assert_eq!(rule("cumulusci.yml"), Some(Rule::CumulusCi));
    assert_eq!(
        rule("force-app/main/default/experiences/E_Bikes1/config/eBikes.json"),
        Some(Rule::ExperienceSite)
    );
    assert_eq!(
        rule(
            "force-app/main/default/digitalExperiences/site/Shop1/sfdc_cms__site/Shop1/content.json"
        ),
        Some(Rule::ExperienceSite)
    );
    assert_eq!(
        rule("force-app/main/default/experiences/E_Bikes1/views/home.json"),
        Some(Rule::JsonByContent)
    );
    assert_eq!(
        kind_of(
            cand(Rule::ExperienceSite),
            &json!({"type": "site", "isAvailableToGuests": true})
        ),
        Some(Kind::new("salesforce/experience-site"))
    );
    assert_eq!(
        kind_of(cand(Rule::ExperienceSite), &json!({"type": "appPage"})),
        None
    );
}

#[test]
fn terraform_suffixes() {
    let c = |path: &str| candidate(path).map(|c| (c.format(), rule_of(c)));
    assert_eq!(c("infra/main.tf"), Some((Format::HCL, Rule::Terraform)));
    assert_eq!(
        c("infra/main.tf.json"),
        Some((Format::JSON, Rule::Terraform))
    );
    assert_eq!(
        c("infra/terraform.tfvars"),
        Some((Format::HCL, Rule::TerraformVariables))
    );
    assert_eq!(
        c("infra/x.auto.tfvars.json"),
        Some((Format::JSON, Rule::TerraformVariables))
    );
    assert_eq!(c("infra/main.tfstate"), None);
    assert_eq!(
        c("exports/Customers.XLSX"),
        Some((Format::FILE_NAME, Rule::DataFile))
    );
}

#[test]
fn content_decides_json_and_yaml() {
    assert!(!worth_parsing(
        cand(Rule::JsonByContent),
        "{\"name\": \"pkg\"}"
    ));
    assert_eq!(
        kind_of(
            cand(Rule::JsonByContent),
            &json!({"enforce_admins": {"enabled": true}})
        ),
        Some(Kind::new("github/branch-protection"))
    );
    assert_eq!(
        kind_of(
            cand(Rule::YamlByContent),
            &json!({"apiVersion": "apps/v1", "kind": "Deployment"})
        ),
        Some(Kind::new("kubernetes/Deployment"))
    );
    assert_eq!(
        kind_of(cand(Rule::YamlByContent), &json!({"kind": "x"})),
        None
    );
}

#[test]
fn cloudformation_by_content_and_template_suffix() {
    let kind = Some(Kind::new("cloudformation/template"));
    let versioned = json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}});
    let typed = json!({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}});
    for rule in [
        Rule::JsonByContent,
        Rule::YamlByContent,
        Rule::CloudFormationTemplate,
    ] {
        assert_eq!(kind_of(cand(rule), &versioned), kind, "{rule:?}");
        assert_eq!(kind_of(cand(rule), &typed), kind, "{rule:?}");
    }
    // Not templates: `Resources` of other kinds, or not a mapping at all.
    for other in [
        json!({"Resources": {"B": {"Type": "Custom::Thing"}}}),
        json!({"Resources": ["AWS::S3::Bucket"]}),
        json!({"Resources": {"B": "AWS::S3::Bucket"}}),
        json!(["AWSTemplateFormatVersion"]),
    ] {
        assert_eq!(kind_of(cand(Rule::YamlByContent), &other), None, "{other}");
    }
    // A Kubernetes object stays one, even if it mentions AWS.
    assert_eq!(
        kind_of(
            cand(Rule::YamlByContent),
            &json!({"apiVersion": "v1", "kind": "ConfigMap", "Resources": typed["Resources"]})
        ),
        Some(Kind::new("kubernetes/ConfigMap"))
    );
    assert!(worth_parsing(
        cand(Rule::JsonByContent),
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}"
    ));
    assert!(worth_parsing(
        cand(Rule::YamlByContent),
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
    ));
    assert!(!worth_parsing(
        cand(Rule::CloudFormationTemplate),
        "Hello {{ name }}\n"
    ));
    let template = candidate("infra/stack.template").expect("candidate");
    assert_eq!(rule_of(template), Rule::CloudFormationTemplate);
    assert_eq!(template.format().for_text("  \n{\"a\": 1}"), Format::JSON);
    assert_eq!(template.format().for_text("\u{feff}["), Format::JSON);
    assert_eq!(template.format().for_text("Resources: {}"), Format::YAML);
    assert_eq!(
        candidate("infra/stack.yaml").map(rule_of),
        Some(Rule::YamlByContent)
    );
}

#[test]
fn codeowners_and_decap_paths() {
    for path in [
        ".github/CODEOWNERS",
        "CODEOWNERS",
        "docs/CODEOWNERS",
        "r/CODEOWNERS",
    ] {
        assert_eq!(
            candidate(path).map(Candidate::format),
            Some(Format::CODEOWNERS),
            "{path}"
        );
    }
    assert_eq!(candidate("CODEOWNERS.md"), None);
    for path in [
        "admin/config.yml",
        "static/admin/config.yml",
        "public/admin/config.yaml",
    ] {
        assert_eq!(
            candidate(path).map(rule_of),
            Some(Rule::DecapConfig),
            "{path}"
        );
    }
    // Read by content: a Decap config only when it names a backend and collections.
    assert_eq!(
        candidate("config/admin.yml").map(rule_of),
        Some(Rule::DecapElsewhere)
    );
    assert_eq!(
        kind_of(cand(Rule::DecapElsewhere), &json!({"users": ["root"]})),
        None
    );
    assert!(!worth_parsing(cand(Rule::DecapConfig), "users: [root]\n"));
    assert_eq!(
        kind_of(
            cand(Rule::DecapConfig),
            &json!({"backend": {"name": "github"}})
        ),
        Some(Kind::new("decap/config"))
    );
    assert_eq!(
        kind_of(cand(Rule::DecapConfig), &json!({"backends": "x"})),
        None
    );
}

#[test]
fn decap_configs_at_other_paths_that_name_the_cms() {
    for path in [
        "cms/config.yml",
        "static/admin/cms.yaml",
        "site/netlify-cms.yml",
    ] {
        assert_eq!(
            candidate(path).map(rule_of),
            Some(Rule::DecapElsewhere),
            "{path}"
        );
    }
    assert_eq!(
        candidate("static/admin/config.yml").map(rule_of),
        Some(Rule::DecapConfig)
    );
    assert_eq!(
        candidate("deploy/site.yml").map(rule_of),
        Some(Rule::YamlByContent)
    );
    let config = json!({"backend": {"name": "github"}, "collections": []});
    assert_eq!(
        kind_of(cand(Rule::DecapElsewhere), &config),
        Some(Kind::new("decap/config"))
    );
    // Other YAML in such a folder is read as it is.
    let deployment =
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "admin"}});
    assert_eq!(
        kind_of(cand(Rule::DecapElsewhere), &deployment),
        Some(Kind::new("kubernetes/Deployment"))
    );
}

#[test]
fn decap_configured_in_scripts_whose_path_names_the_cms() {
    for path in [
        "src/cms/cms.js",
        "static/admin/init.mjs",
        "app/admin/page.tsx",
        "components/DecapCMS.tsx",
        "netlify-cms.js",
    ] {
        assert_eq!(
            candidate(path).map(rule_of),
            Some(Rule::DecapScript),
            "{path}"
        );
    }
    for path in ["src/index.js", "src/cms/types.d.ts", "admin/config.json"] {
        assert_ne!(
            candidate(path).map(rule_of),
            Some(Rule::DecapScript),
            "{path}"
        );
    }
    assert!(!worth_parsing(
        cand(Rule::DecapScript),
        "export const admin = 1;"
    ));
    let backend = json!({"name": "github", "branch": "main"});
    // Merged into config.yml, which decides publish_mode: not a whole config.
    assert_eq!(
        kind_of(cand(Rule::DecapScript), &json!({"backend": backend})),
        None
    );
    for whole in [
        json!({"backend": backend, "load_config_file": false}),
        json!({"backend": backend, "publish_mode": "editorial_workflow"}),
    ] {
        assert_eq!(
            kind_of(cand(Rule::DecapScript), &whole),
            Some(Kind::new("decap/config")),
            "{whole}"
        );
    }
}

/// The rows of the files a `firebase.json` deploys claim no path by themselves: only the
/// scan, reading the `firebase.json`, gives them a file.
#[test]
fn deployed_rules_rows_claim_nothing_by_path() {
    assert_eq!(
        candidate("firebase.json").map(rule_of),
        Some(Rule::FirebaseConfig)
    );
    assert_eq!(candidate("rules/storage"), None);
    let deployed = firebase_deployments(
        "firebase.json",
        r#"{"storage": {"rules": "rules/storage"}, "database": {"rules": "db.json"}}"#,
    );
    assert_eq!(deployed.len(), 2);
    for d in &deployed {
        assert!(
            !DETECTORS
                .iter()
                .any(|row| std::ptr::eq(row, d.candidate.detector))
        );
        assert!(!(d.candidate.detector.claims)(&FilePath::new(&d.target)));
        let kind = expected_kind(&d.target, d.candidate).expect("a fixed kind");
        assert!(known_kinds().contains(&kind), "{kind}");
    }
    assert_eq!(
        expected_kind("db.json", deployed[1].candidate),
        Some(kinds::FIREBASE_DATABASE_RULES)
    );
}

#[test]
fn firebase_rules_by_name_or_by_how_they_open() {
    for path in [
        "firestore.rules",
        "app/storage.rules",
        "rules/firestore.dev.rules",
    ] {
        assert_eq!(
            candidate(path).map(rule_of),
            Some(Rule::FirebaseRules),
            "{path}"
        );
    }
    let by_content = candidate("rules/firestore.dev.rules").expect("a candidate");
    for text in [
        "rules_version = '2';\nservice cloud.firestore {}",
        "// Deployed by CI.\n/* v2 */\n\nservice  cloud.firestore {\n}",
        "\u{feff}service firebase.storage {\n}",
    ] {
        assert!(worth_parsing(by_content, text), "{text:?}");
    }
    // Other tools' `*.rules`: udev, iptables-save, a Snort rule, a Makefile fragment.
    for text in [
        "# udev\nSUBSYSTEM==\"usb\", ATTR{idVendor}==\"18d1\", MODE=\"0666\"\n",
        "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n",
        "alert tcp any any -> any 80 (msg:\"x\"; sid:1;)\n",
        "service: web\n",
        "services cloud.firestore {}",
        "",
    ] {
        assert!(!worth_parsing(by_content, text), "{text:?}");
    }
    // The two names Firebase gives are read whatever they hold (an empty one fails closed).
    assert!(worth_parsing(
        candidate("firestore.rules").expect("a candidate"),
        ""
    ));
}

#[test]
fn helm_charts_are_read_by_name_and_their_templates_by_the_scan() {
    assert_eq!(
        rule_of(candidate("charts/web/Chart.yaml").expect("read")),
        Rule::HelmChart
    );
    assert_eq!(
        rule_of(candidate("charts/web/templates/_helpers.tpl").expect("read")),
        Rule::HelmChart
    );
    // Without a Chart.yaml beside it a template folder's YAML is YAML (it may be
    // CloudFormation); the scan gives chart templates their row (`ChartRoots`).
    assert_eq!(
        rule_of(candidate("charts/web/templates/deployment.yaml").expect("read")),
        Rule::YamlByContent
    );
    assert_eq!(
        rule_of(candidate("charts/web/templates/NOTES.txt").expect("read")),
        Rule::HelmChart
    );
    assert!(candidate("notes/todo.tpl").is_none());
    assert!(candidate("notes/todo.txt").is_none());
}

#[test]
fn other_tools_files_named_like_power_pages_ones_are_not_read() {
    // An Ansible role list, a Jekyll-style website file: no `adx_` records.
    let roles = candidate("roles/webrole.yml").expect("a candidate");
    assert!(!worth_parsing(roles, "- name: web\n  hosts: all\n"));
    assert_eq!(kind_of(roles, &json!([{"name": "web"}])), None);
    let website = candidate("website.yml").expect("a candidate");
    assert_eq!(kind_of(website, &json!({"title": "blog"})), None);
    // A list file outside a `lists/` folder is not a Power Pages list.
    assert!(candidate("config/shopping.list.yml").is_some_and(|c| rule_of(c) != Rule::PowerPages));
}

#[test]
fn supabase_migrations_and_settings_are_read_only_where_the_cli_keeps_them() {
    for path in [
        "supabase/migrations/20240101000000_init.sql",
        "apps/web/supabase/migrations/1_a.sql",
        "supabase/config.toml",
        "apps/web/supabase/config.toml",
    ] {
        assert_eq!(candidate(path).map(rule_of), Some(Rule::Supabase), "{path}");
    }
    for path in [
        "db/migrations/1_a.sql",
        "supabase/seed.sql",
        "supabase/migrations/old/1_a.sql",
        "mysupabase/migrations/1_a.sql",
        "config.toml",
        "app/config.toml",
    ] {
        assert!(candidate(path).is_none(), "{path}");
    }
}
