//! Decides what a file is: first from its path (which parser, and sometimes the kind), then
//! from its content (the XML root element, a Kubernetes `kind`, a JSON shape). Files of no
//! known kind are never read.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::parse::Format;

/// What a document is, named `<family>/<type>`: `salesforce/Profile`,
/// `github/settings`, `kubernetes/Deployment`. Policies select documents by kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Kind(pub String);

impl Kind {
    pub fn new(kind: impl Into<String>) -> Self {
        Kind(kind.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const TERRAFORM_CONFIG: &str = "terraform/config";
pub const TERRAFORM_VARIABLES: &str = "terraform/variables";
/// `terraform show -json` output, lowered to the configuration's shape on reading.
pub const TERRAFORM_PLAN: &str = "terraform/plan";

/// How a candidate file's kind is decided once it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Salesforce metadata: the kind is `salesforce/<root element>`.
    SalesforceXml,
    /// Safe-settings / Probot `.github/settings.yml`.
    GithubSettings,
    /// A repository ruleset exported from GitHub (`.github/rulesets/*.json`).
    GithubRuleset,
    /// Any other JSON: its kind is decided by content (see [`JSON_SNIFFERS`]).
    JsonByContent,
    /// Any other YAML: each document's kind is decided by content (see [`YAML_SNIFFERS`]).
    YamlByContent,
    /// An Experience Cloud site's own settings: the Aura `experiences/<site>/config/*.json`
    /// of `"type": "site"`, or the LWR `sfdc_cms__site` `content.json`.
    ExperienceSite,
    /// An Apex class (`*.cls`): its class declarations and their sharing modes.
    ApexClass,
    /// An anonymous-Apex script (`*.apex`), as `sf apex run` executes it.
    AnonymousApex,
    /// A Visualforce page or component (`pages/*.page`, `components/*.component`): the Apex
    /// classes its root tag runs.
    Visualforce,
    /// CumulusCI's project file, whose tasks may run anonymous Apex.
    CumulusCi,
    /// Terraform configuration, `*.tf` (HCL) or `*.tf.json`: one `terraform/config` document.
    Terraform,
    /// Terraform variable values, `*.tfvars` or `*.tfvars.json`: `terraform/variables`.
    TerraformVariables,
    /// A spreadsheet or CSV file, judged by its name (`data/file`): exports of customer
    /// data committed by mistake.
    DataFile,
    /// A `*.template` file: a CloudFormation template in JSON or YAML, or nothing of ours.
    CloudFormationTemplate,
    /// GitHub's `CODEOWNERS` (`.github/`, the root or `docs/` of a repository).
    Codeowners,
    /// Decap / Netlify CMS `admin/config.yml`, confirmed by content (see [`DECAP_SNIFFERS`]).
    DecapConfig,
}

/// A file worth reading: how to parse it and how to name what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub format: Format,
    pub rule: Rule,
}

/// Metadata-API (package.xml-era) suffixes of the Salesforce types doublecheck reads; the
/// source format spells the same types `<name>.<suffix>-meta.xml`.
const SALESFORCE_SUFFIXES: &[&str] = &[
    "profile",
    "permissionset",
    "permissionsetgroup",
    "mutingpermissionset",
    "site",
    "network",
    "sharingRules",
    "settings",
    "object",
    "role",
    "group",
    "queue",
    "connectedApp",
    "remoteSite",
    "namedCredential",
    "externalCredential",
    "customPermission",
    "sharingSet",
    "experience",
    "flow",
];

/// Tabular data files: what a customer list exported from a CRM or a database looks like.
const DATA_FILE_EXTENSIONS: &[&str] = &["csv", "tsv", "xlsx", "xlsm", "xls", "ods", "numbers"];

/// Decides from the path alone whether a file may hold a known kind.
pub fn candidate(path: &str) -> Option<Candidate> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.ends_with("-meta.xml") {
        return Some(xml(Rule::SalesforceXml));
    }
    if is_site_dot_com_content(path) {
        return None;
    }
    // A Salesforce file is named `<member>.<type>`: a bare `.settings` is some tool's own
    // settings (MavensMate's `config/.settings` is JSON), not an org's.
    if let Some((stem, suffix)) = name.rsplit_once('.')
        && !stem.is_empty()
        && SALESFORCE_SUFFIXES.contains(&suffix)
    {
        return Some(xml(Rule::SalesforceXml));
    }
    if is_visualforce(path, name) {
        return Some(Candidate {
            format: Format::Visualforce,
            rule: Rule::Visualforce,
        });
    }
    if name.ends_with(".cls") {
        return Some(Candidate {
            format: Format::ApexClass,
            rule: Rule::ApexClass,
        });
    }
    if name.ends_with(".apex") {
        return Some(Candidate {
            format: Format::ApexAnonymous,
            rule: Rule::AnonymousApex,
        });
    }
    if let Some(candidate) = terraform(name) {
        return Some(candidate);
    }
    if let Some((_, extension)) = name.rsplit_once('.')
        && DATA_FILE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
    {
        return Some(Candidate {
            format: Format::FileName,
            rule: Rule::DataFile,
        });
    }
    if name == "cumulusci.yml" {
        return Some(Candidate {
            format: Format::Yaml,
            rule: Rule::CumulusCi,
        });
    }
    if name.ends_with(".json") && is_experience_site_path(path) {
        return Some(Candidate {
            format: Format::Json,
            rule: Rule::ExperienceSite,
        });
    }
    if name == "CODEOWNERS" {
        return Some(Candidate {
            format: Format::Codeowners,
            rule: Rule::Codeowners,
        });
    }
    let parent = path.rsplit('/').nth(1);
    if parent == Some("admin") && matches!(name, "config.yml" | "config.yaml") {
        return Some(Candidate {
            format: Format::Yaml,
            rule: Rule::DecapConfig,
        });
    }
    let in_github = path.starts_with(".github/") || path.contains("/.github/");
    if in_github && matches!(name, "settings.yml" | "settings.yaml") {
        return Some(Candidate {
            format: Format::Yaml,
            rule: Rule::GithubSettings,
        });
    }
    if name.ends_with(".json") {
        let rule = if in_github && path.contains(".github/rulesets/") {
            Rule::GithubRuleset
        } else {
            Rule::JsonByContent
        };
        return Some(Candidate {
            format: Format::Json,
            rule,
        });
    }
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        return Some(Candidate {
            format: Format::Yaml,
            rule: Rule::YamlByContent,
        });
    }
    if name.ends_with(".template") {
        return Some(Candidate {
            format: Format::JsonOrYaml,
            rule: Rule::CloudFormationTemplate,
        });
    }
    None
}

/// The kind a candidate's documents will have, when the path alone says so: a fixed kind
/// for its rule, or a Salesforce type by its suffix (the Metadata API names every file by
/// its type). `None` when only the content can tell. The scan reads the kinds other files
/// take facts from first (see [`crate::schedule`]).
pub fn expected_kind(path: &str, candidate: Candidate) -> Option<&'static str> {
    match candidate.rule {
        Rule::SalesforceXml => {
            let name = path.rsplit('/').next().unwrap_or(path);
            let name = name.strip_suffix("-meta.xml").unwrap_or(name);
            match name.rsplit_once('.')?.1 {
                "profile" => Some("salesforce/Profile"),
                "permissionset" => Some("salesforce/PermissionSet"),
                "site" => Some("salesforce/CustomSite"),
                "network" => Some("salesforce/Network"),
                "cls" => Some("salesforce/ApexClass"),
                "field" => Some("salesforce/CustomField"),
                "object" => Some("salesforce/CustomObject"),
                _ => None,
            }
        }
        Rule::GithubSettings => Some("github/settings"),
        Rule::GithubRuleset => Some("github/ruleset"),
        Rule::ExperienceSite => Some("salesforce/experience-site"),
        Rule::ApexClass => Some("apex/class"),
        Rule::AnonymousApex => Some("apex/anonymous"),
        Rule::Visualforce => Some("salesforce/visualforce"),
        Rule::CumulusCi => Some("cumulusci/config"),
        Rule::Terraform => Some(TERRAFORM_CONFIG),
        Rule::TerraformVariables => Some(TERRAFORM_VARIABLES),
        Rule::Codeowners => Some("github/codeowners"),
        // Confirmed by content, but an `admin/config.yml` is read early either way: it is
        // small, and if it is a CMS config its facts need it there.
        Rule::DecapConfig => Some("decap/config"),
        Rule::DataFile
        | Rule::JsonByContent
        | Rule::YamlByContent
        | Rule::CloudFormationTemplate => None,
    }
}

/// `pages/<name>.page` or `components/<name>.component`, where both Salesforce project
/// formats keep Visualforce (other tools use these suffixes too, elsewhere).
fn is_visualforce(path: &str, name: &str) -> bool {
    let folder = path
        .strip_suffix(name)
        .and_then(|p| p.strip_suffix('/'))
        .map(|p| p.rsplit('/').next().unwrap_or(p));
    match folder {
        Some("pages") => name.len() > ".page".len() && name.ends_with(".page"),
        Some("components") => name.len() > ".component".len() && name.ends_with(".component"),
        _ => false,
    }
}

/// Terraform's files, by the suffixes Terraform itself loads.
fn terraform(name: &str) -> Option<Candidate> {
    let (format, rule) = if name.ends_with(".tf") {
        (Format::Hcl, Rule::Terraform)
    } else if name.ends_with(".tf.json") {
        (Format::Json, Rule::Terraform)
    } else if name.ends_with(".tfvars") {
        (Format::Hcl, Rule::TerraformVariables)
    } else if name.ends_with(".tfvars.json") {
        (Format::Json, Rule::TerraformVariables)
    } else {
        return None;
    };
    Some(Candidate { format, rule })
}

/// `…/experiences/<site>/config/<file>.json` (Aura) or
/// `…/digitalExperiences/site/<site>/sfdc_cms__site/<site>/content.json` (LWR).
fn is_experience_site_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let aura = parts
        .windows(4)
        .any(|w| w[0] == "experiences" && w[2] == "config" && w[3].ends_with(".json"));
    let lwr = parts.windows(6).any(|w| {
        w[0] == "digitalExperiences"
            && w[1] == "site"
            && w[3] == "sfdc_cms__site"
            && w[5] == "content.json"
    });
    aura || lwr
}

/// `siteDotComSites/<site>.site`: a Site.com or Experience Builder site's content, a JSON
/// header followed by a binary archive. It shares CustomSite's `.site` suffix but is not
/// metadata XML, and holds nothing doublecheck judges, so it is not read (its
/// `.site-meta.xml`, a `<SiteDotCom>` document, is XML and read as such).
fn is_site_dot_com_content(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    name.ends_with(".site") && parts.next() == Some("siteDotComSites")
}

fn xml(rule: Rule) -> Candidate {
    Candidate {
        format: Format::Xml,
        rule,
    }
}

/// Recognises one kind of JSON or YAML document by its content. `in_text` is a cheap look
/// at the raw text before parsing: a file no sniffer may claim is dropped unread (and so
/// cannot fail to parse: a Helm template is not our business unless it looks like a
/// manifest). `kind` names a parsed document, or declines it.
pub struct Sniffer {
    pub in_text: fn(&str) -> bool,
    pub kind: fn(&Value) -> Option<Kind>,
}

/// The kinds a JSON file of no path-decided kind may hold, tried in order.
pub const JSON_SNIFFERS: &[Sniffer] = &[
    Sniffer {
        in_text: |text| {
            BRANCH_PROTECTION_FIELDS
                .iter()
                .any(|f| mentions_key(text, f))
        },
        kind: branch_protection,
    },
    Sniffer {
        in_text: |text| {
            text.contains("\"format_version\"")
                && (text.contains("\"planned_values\"") || text.contains("\"resource_changes\""))
        },
        kind: |document| {
            crate::parse::terraform_plan::is_plan(document).then(|| Kind::new(TERRAFORM_PLAN))
        },
    },
    CLOUDFORMATION,
];

/// The kinds a YAML document of no path-decided kind may hold, tried in order.
pub const YAML_SNIFFERS: &[Sniffer] = &[
    Sniffer {
        in_text: |text| text.contains("apiVersion") && text.contains("kind"),
        kind: kubernetes,
    },
    CLOUDFORMATION,
];

/// A CloudFormation template, JSON or YAML (the YAML parser lowers the short-form tags to
/// the JSON long forms, so both look the same).
const CLOUDFORMATION: Sniffer = Sniffer {
    in_text: |text| {
        text.contains("AWSTemplateFormatVersion")
            || (text.contains("Resources") && text.contains("AWS::"))
    },
    kind: cloudformation,
};

/// An `admin/config.yml` is Decap CMS's when it names a `backend` (a required setting):
/// other tools' admin configs are not read.
pub const DECAP_SNIFFERS: &[Sniffer] = &[Sniffer {
    in_text: |text| text.contains("backend"),
    kind: |document| {
        document
            .as_object()?
            .contains_key("backend")
            .then(|| Kind::new("decap/config"))
    },
}];

const BRANCH_PROTECTION_FIELDS: &[&str] = &[
    "required_pull_request_reviews",
    "enforce_admins",
    "required_status_checks",
];

/// Whether `"key"` (quoted, as a JSON property name is) occurs in the text, without
/// allocating: this runs on every JSON file of the tree.
fn mentions_key(text: &str, key: &str) -> bool {
    text.match_indices(key)
        .any(|(at, _)| text[..at].ends_with('"') && text[at + key.len()..].starts_with('"'))
}

/// GitHub's branch-protection REST shape (`GET /repos/…/branches/…/protection`).
fn branch_protection(document: &Value) -> Option<Kind> {
    let object = document.as_object()?;
    BRANCH_PROTECTION_FIELDS
        .iter()
        .any(|f| object.contains_key(*f))
        .then(|| Kind::new("github/branch-protection"))
}

/// A Kubernetes object: `kubernetes/<kind>`.
fn kubernetes(document: &Value) -> Option<Kind> {
    let object = document.as_object()?;
    object.get("apiVersion")?.as_str()?;
    let kind = object.get("kind")?.as_str()?;
    Some(Kind::new(format!("kubernetes/{kind}")))
}

/// `cloudformation/template`: a document with `AWSTemplateFormatVersion`, or a `Resources`
/// mapping with a resource whose `Type` is an `AWS::` type.
fn cloudformation(document: &Value) -> Option<Kind> {
    let object = document.as_object()?;
    let versioned = object.contains_key("AWSTemplateFormatVersion");
    let aws_resources = || {
        object
            .get("Resources")
            .and_then(Value::as_object)
            .is_some_and(|resources| {
                resources.values().any(|r| {
                    r.get("Type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.starts_with("AWS::"))
                })
            })
    };
    (versioned || aws_resources()).then(|| Kind::new("cloudformation/template"))
}

fn sniffers(rule: Rule) -> Option<&'static [Sniffer]> {
    match rule {
        Rule::JsonByContent => Some(JSON_SNIFFERS),
        Rule::YamlByContent => Some(YAML_SNIFFERS),
        Rule::CloudFormationTemplate => Some(&[CLOUDFORMATION]),
        Rule::DecapConfig => Some(DECAP_SNIFFERS),
        _ => None,
    }
}

/// Whether the raw text is worth parsing at all (see [`Sniffer`]).
pub fn worth_parsing(rule: Rule, text: &str) -> bool {
    sniffers(rule).is_none_or(|list| list.iter().any(|s| (s.in_text)(text)))
}

/// The kind of one parsed document, or `None` when it is of no known kind.
pub fn kind_of(rule: Rule, document: &Value) -> Option<Kind> {
    if let Some(list) = sniffers(rule) {
        return list.iter().find_map(|s| (s.kind)(document));
    }
    match rule {
        Rule::SalesforceXml => {
            let root = document.as_object()?.keys().next()?;
            Some(Kind::new(format!("salesforce/{root}")))
        }
        Rule::GithubSettings => Some(Kind::new("github/settings")),
        Rule::GithubRuleset => Some(Kind::new("github/ruleset")),
        Rule::ExperienceSite => {
            let kind = document.get("type")?.as_str()?;
            matches!(kind, "site" | "sfdc_cms__site")
                .then(|| Kind::new("salesforce/experience-site"))
        }
        Rule::ApexClass => Some(Kind::new("apex/class")),
        Rule::AnonymousApex => Some(Kind::new("apex/anonymous")),
        Rule::Visualforce => Some(Kind::new("salesforce/visualforce")),
        Rule::CumulusCi => Some(Kind::new("cumulusci/config")),
        Rule::Terraform => Some(Kind::new(TERRAFORM_CONFIG)),
        Rule::TerraformVariables => Some(Kind::new(TERRAFORM_VARIABLES)),
        Rule::DataFile => Some(Kind::new("data/file")),
        Rule::Codeowners => Some(Kind::new("github/codeowners")),
        Rule::JsonByContent
        | Rule::YamlByContent
        | Rule::CloudFormationTemplate
        | Rule::DecapConfig => None,
    }
}

/// Every kind [`kind_of`] can give a document: its fixed kinds, and `<family>/*` for the two
/// families whose type is the content's own name (`salesforce/<root element>` of any
/// Salesforce metadata XML, `kubernetes/<kind>` of any manifest), where every type is
/// possible. A policy's `applies-to` pattern must match one of them.
pub fn known_kinds() -> &'static [&'static str] {
    &[
        "apex/anonymous",
        "apex/class",
        "cloudformation/template",
        "cumulusci/config",
        "data/file",
        "decap/config",
        "github/branch-protection",
        "github/codeowners",
        "github/ruleset",
        "github/settings",
        "kubernetes/*",
        "salesforce/*",
        "salesforce/experience-site",
        "salesforce/visualforce",
        TERRAFORM_CONFIG,
        TERRAFORM_PLAN,
        TERRAFORM_VARIABLES,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn salesforce_both_suffix_families() {
        for path in [
            "force-app/main/default/profiles/Guest.profile-meta.xml",
            "src/profiles/E-Bikes Profile.profile",
            "src/sharingRules/Account.sharingRules",
            "force-app/main/default/sites/E_Bikes.site-meta.xml",
        ] {
            assert_eq!(candidate(path), Some(xml(Rule::SalesforceXml)), "{path}");
        }
        assert_eq!(candidate("src/classes/Foo.trigger"), None);
        // Site.com content is a binary archive with CustomSite's suffix; its meta file is XML.
        assert_eq!(
            candidate("force-app/main/default/siteDotComSites/Shop1.site"),
            None
        );
        assert_eq!(candidate("siteDotComSites/Shop1.site"), None);
        assert_eq!(
            candidate("force-app/main/default/siteDotComSites/Shop1.site-meta.xml"),
            Some(xml(Rule::SalesforceXml))
        );
        assert_eq!(candidate("README.md"), None);
    }

    #[test]
    fn site_meta_xml_kind_comes_from_the_root_element() {
        for root in ["CustomSite", "ExperienceBundle", "SiteDotCom"] {
            let doc = json!({ root: {} });
            assert_eq!(
                kind_of(Rule::SalesforceXml, &doc),
                Some(Kind::new(format!("salesforce/{root}")))
            );
        }
    }

    #[test]
    fn github_paths() {
        let c = candidate(".github/settings.yml").expect("candidate");
        assert_eq!(c.rule, Rule::GithubSettings);
        let c = candidate("repos/x/.github/rulesets/main.json").expect("candidate");
        assert_eq!(c.rule, Rule::GithubRuleset);
        let c = candidate("settings.yml").expect("candidate");
        assert_eq!(c.rule, Rule::YamlByContent);
    }

    #[test]
    fn apex_cumulusci_and_experience_sites() {
        let rule = |path: &str| candidate(path).map(|c| c.rule);
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
                Rule::ExperienceSite,
                &json!({"type": "site", "isAvailableToGuests": true})
            ),
            Some(Kind::new("salesforce/experience-site"))
        );
        assert_eq!(
            kind_of(Rule::ExperienceSite, &json!({"type": "appPage"})),
            None
        );
    }

    #[test]
    fn terraform_suffixes() {
        let c = |path: &str| candidate(path).map(|c| (c.format, c.rule));
        assert_eq!(c("infra/main.tf"), Some((Format::Hcl, Rule::Terraform)));
        assert_eq!(
            c("infra/main.tf.json"),
            Some((Format::Json, Rule::Terraform))
        );
        assert_eq!(
            c("infra/terraform.tfvars"),
            Some((Format::Hcl, Rule::TerraformVariables))
        );
        assert_eq!(
            c("infra/x.auto.tfvars.json"),
            Some((Format::Json, Rule::TerraformVariables))
        );
        assert_eq!(c("infra/main.tfstate"), None);
        assert_eq!(
            c("exports/Customers.XLSX"),
            Some((Format::FileName, Rule::DataFile))
        );
    }

    #[test]
    fn content_decides_json_and_yaml() {
        assert!(!worth_parsing(Rule::JsonByContent, "{\"name\": \"pkg\"}"));
        assert_eq!(
            kind_of(
                Rule::JsonByContent,
                &json!({"enforce_admins": {"enabled": true}})
            ),
            Some(Kind::new("github/branch-protection"))
        );
        assert_eq!(
            kind_of(
                Rule::YamlByContent,
                &json!({"apiVersion": "apps/v1", "kind": "Deployment"})
            ),
            Some(Kind::new("kubernetes/Deployment"))
        );
        assert_eq!(kind_of(Rule::YamlByContent, &json!({"kind": "x"})), None);
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
            assert_eq!(kind_of(rule, &versioned), kind, "{rule:?}");
            assert_eq!(kind_of(rule, &typed), kind, "{rule:?}");
        }
        // Not templates: `Resources` of other kinds, or not a mapping at all.
        for other in [
            json!({"Resources": {"B": {"Type": "Custom::Thing"}}}),
            json!({"Resources": ["AWS::S3::Bucket"]}),
            json!({"Resources": {"B": "AWS::S3::Bucket"}}),
            json!(["AWSTemplateFormatVersion"]),
        ] {
            assert_eq!(kind_of(Rule::YamlByContent, &other), None, "{other}");
        }
        // A Kubernetes object stays one, even if it mentions AWS.
        assert_eq!(
            kind_of(
                Rule::YamlByContent,
                &json!({"apiVersion": "v1", "kind": "ConfigMap", "Resources": typed["Resources"]})
            ),
            Some(Kind::new("kubernetes/ConfigMap"))
        );
        assert!(worth_parsing(
            Rule::JsonByContent,
            "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}"
        ));
        assert!(worth_parsing(
            Rule::YamlByContent,
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
        ));
        assert!(!worth_parsing(
            Rule::CloudFormationTemplate,
            "Hello {{ name }}\n"
        ));
        let template = candidate("infra/stack.template").expect("candidate");
        assert_eq!(template.rule, Rule::CloudFormationTemplate);
        assert_eq!(template.format.for_text("  \n{\"a\": 1}"), Format::Json);
        assert_eq!(template.format.for_text("\u{feff}["), Format::Json);
        assert_eq!(template.format.for_text("Resources: {}"), Format::Yaml);
        assert_eq!(
            candidate("infra/stack.yaml").map(|c| c.rule),
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
                candidate(path).map(|c| c.format),
                Some(Format::Codeowners),
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
                candidate(path).map(|c| c.rule),
                Some(Rule::DecapConfig),
                "{path}"
            );
        }
        assert_eq!(
            candidate("config/admin.yml").map(|c| c.rule),
            Some(Rule::YamlByContent)
        );
        assert!(!worth_parsing(Rule::DecapConfig, "users: [root]\n"));
        assert_eq!(
            kind_of(Rule::DecapConfig, &json!({"backend": {"name": "github"}})),
            Some(Kind::new("decap/config"))
        );
        assert_eq!(kind_of(Rule::DecapConfig, &json!({"backends": "x"})), None);
    }

    /// Documents of every rule, as `kind_of` names them; a new rule does not compile here
    /// until it has its samples (and its kinds a place in `known_kinds`).
    fn samples(rule: Rule) -> Vec<Value> {
        let none = || vec![json!({})];
        let cloudformation = json!({"AWSTemplateFormatVersion": "2010-09-09"});
        match rule {
            Rule::SalesforceXml => vec![json!({"Profile": {}}), json!({"CustomSite": {}})],
            Rule::ExperienceSite => vec![json!({"type": "site"})],
            Rule::JsonByContent => vec![
                json!({"enforce_admins": {"enabled": true}}),
                json!({"format_version": "1.2", "planned_values": {}}),
                cloudformation,
            ],
            Rule::YamlByContent => vec![
                json!({"apiVersion": "apps/v1", "kind": "Deployment"}),
                cloudformation,
            ],
            Rule::CloudFormationTemplate => vec![cloudformation],
            Rule::DecapConfig => vec![json!({"backend": {"name": "github"}})],
            Rule::GithubSettings
            | Rule::GithubRuleset
            | Rule::ApexClass
            | Rule::AnonymousApex
            | Rule::Visualforce
            | Rule::CumulusCi
            | Rule::Terraform
            | Rule::TerraformVariables
            | Rule::DataFile
            | Rule::Codeowners => none(),
        }
    }

    #[test]
    fn known_kinds_are_the_kinds_detect_gives() {
        let rules = [
            Rule::SalesforceXml,
            Rule::GithubSettings,
            Rule::GithubRuleset,
            Rule::JsonByContent,
            Rule::YamlByContent,
            Rule::ExperienceSite,
            Rule::ApexClass,
            Rule::AnonymousApex,
            Rule::Visualforce,
            Rule::CumulusCi,
            Rule::Terraform,
            Rule::TerraformVariables,
            Rule::DataFile,
            Rule::CloudFormationTemplate,
            Rule::Codeowners,
            Rule::DecapConfig,
        ];
        let known = known_kinds();
        let mut given = std::collections::BTreeSet::new();
        for rule in rules {
            for document in samples(rule) {
                let kind = kind_of(rule, &document)
                    .unwrap_or_else(|| panic!("{rule:?} names no kind for {document}"));
                let kind = kind.as_str().to_owned();
                let family = format!("{}/*", kind.split('/').next().unwrap_or_default());
                let entry = if known.contains(&kind.as_str()) {
                    kind
                } else {
                    family
                };
                assert!(
                    known.contains(&entry.as_str()),
                    "{rule:?} gives `{}`, which known_kinds lacks",
                    document
                );
                given.insert(entry);
            }
        }
        // The kinds a path alone promises are known too.
        for path in [
            "src/profiles/Guest.profile",
            "force-app/main/default/objects/A__c/fields/B__c.field-meta.xml",
            "force-app/main/default/classes/C.cls-meta.xml",
            "force-app/main/default/classes/C.cls",
            "scripts/guest.apex",
            "src/pages/Shop.page",
            "force-app/main/default/experiences/Shop1/config/shop.json",
            "cumulusci.yml",
            ".github/settings.yml",
            ".github/rulesets/main.json",
            ".github/CODEOWNERS",
            "static/admin/config.yml",
            "main.tf",
            "prod.tfvars",
        ] {
            let candidate = candidate(path).expect("a candidate");
            let kind = expected_kind(path, candidate).expect("a kind from the path");
            let family = format!("{}/*", kind.split('/').next().unwrap_or_default());
            assert!(
                known.contains(&kind) || known.contains(&family.as_str()),
                "{path}: `{kind}` is not in known_kinds"
            );
        }
        // And nothing is listed that no rule gives.
        let listed: std::collections::BTreeSet<String> =
            known.iter().map(|k| (*k).to_owned()).collect();
        assert_eq!(given, listed);
    }
}
