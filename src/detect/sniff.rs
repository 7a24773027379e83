//! Recognising a JSON or YAML document's kind by its content, for paths that do not decide
//! it: a GitHub branch-protection export, a Terraform plan, a Kubernetes object, a
//! CloudFormation template, a Decap CMS config, an Experience Cloud site.

use serde_json::Value;

use super::kinds;
use crate::document::Kind;

/// Recognises one kind of document by its content. `in_text` is a cheap look at the raw text
/// before parsing: a file no sniffer may claim is dropped unread (and so cannot fail to
/// parse: a Helm template is not our business unless it looks like a manifest). `kind`
/// names a parsed document, or declines it.
pub struct Sniffer {
    pub in_text: fn(&str) -> bool,
    pub kind: fn(&Value) -> Option<Kind>,
    /// The kind it gives, or the pattern (`kubernetes/*`) of the kinds it gives.
    pub produces: &'static str,
}

/// The kinds a JSON file of no path-decided kind may hold, tried in order.
pub const JSON: &[Sniffer] = &[
    BRANCH_PROTECTION,
    TERRAFORM_PLAN,
    KUBERNETES,
    CLOUDFORMATION,
];

/// The kinds a YAML document of no path-decided kind may hold, tried in order.
pub const YAML: &[Sniffer] = &[KUBERNETES, CLOUDFORMATION];

/// A `*.template` file is a CloudFormation template or nothing of ours.
pub const TEMPLATE: &[Sniffer] = &[CLOUDFORMATION];

/// GitHub's branch-protection REST shape (`GET /repos/…/branches/…/protection`).
const BRANCH_PROTECTION: Sniffer = Sniffer {
    in_text: |text| {
        BRANCH_PROTECTION_FIELDS
            .iter()
            .any(|f| mentions_key(text, f))
    },
    kind: |document| {
        let object = document.as_object()?;
        BRANCH_PROTECTION_FIELDS
            .iter()
            .any(|f| object.contains_key(*f))
            .then(|| Kind::new(kinds::GITHUB_BRANCH_PROTECTION))
    },
    produces: kinds::GITHUB_BRANCH_PROTECTION,
};

const BRANCH_PROTECTION_FIELDS: &[&str] = &[
    "required_pull_request_reviews",
    "enforce_admins",
    "required_status_checks",
];

const TERRAFORM_PLAN: Sniffer = Sniffer {
    in_text: |text| {
        text.contains("\"format_version\"")
            && (text.contains("\"planned_values\"") || text.contains("\"resource_changes\""))
    },
    // A plan (or state) in its JSON form; read in the configuration's shape (see resolve).
    kind: |document| {
        let resources = document
            .get("planned_values")
            .or(document.get("resource_changes"));
        (document.get("format_version").is_some() && resources.is_some())
            .then(|| Kind::new(kinds::TERRAFORM_PLAN))
    },
    produces: kinds::TERRAFORM_PLAN,
};

/// A Kubernetes object, in YAML or in JSON (`kubectl get -o json`): `kubernetes/<kind>`.
const KUBERNETES: Sniffer = Sniffer {
    in_text: |text| text.contains("apiVersion") && text.contains("kind"),
    kind: |document| {
        let object = document.as_object()?;
        object.get("apiVersion")?.as_str()?;
        let kind = object.get("kind")?.as_str()?;
        Some(Kind::new(format!("{}{kind}", kinds::KUBERNETES_FAMILY)))
    },
    produces: kinds::KUBERNETES_ANY,
};

/// A CloudFormation template, JSON or YAML (its short-form tags are lowered to the JSON long
/// forms once it is known to be one): a document with `AWSTemplateFormatVersion`,
/// or a `Resources` mapping with a resource whose `Type` is an `AWS::` type.
const CLOUDFORMATION: Sniffer = Sniffer {
    in_text: |text| {
        text.contains("AWSTemplateFormatVersion")
            || (text.contains("Resources") && text.contains("AWS::"))
    },
    kind: cloudformation,
    produces: kinds::CLOUDFORMATION_TEMPLATE,
};

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
    (versioned || aws_resources()).then(|| Kind::new(kinds::CLOUDFORMATION_TEMPLATE))
}

/// An `admin/config.yml` is Decap CMS's when it names a `backend` (a required setting):
/// other tools' admin configs are not read.
pub const DECAP: &[Sniffer] = &[Sniffer {
    in_text: |text| text.contains("backend"),
    kind: |document| {
        document
            .as_object()?
            .contains_key("backend")
            .then(|| Kind::new(kinds::DECAP_CONFIG))
    },
    produces: kinds::DECAP_CONFIG,
}];

/// A YAML file at a path that names the CMS (`cms/config.yml`, `static/admin/cms.yml`):
/// Decap loads its config from any path an `<link rel="cms-config-url">` names. It is one
/// when it names a `backend` and its `collections`; anything else there is read as the other
/// YAML files are.
pub const DECAP_ELSEWHERE: &[Sniffer] = &[
    Sniffer {
        in_text: |text| text.contains("backend") && text.contains("collections"),
        kind: |document| {
            let config = document.as_object()?;
            (config.contains_key("backend")
                && config.get("collections").is_some_and(Value::is_array))
            .then(|| Kind::new(kinds::DECAP_CONFIG))
        },
        produces: kinds::DECAP_CONFIG,
    },
    KUBERNETES,
    CLOUDFORMATION,
];

/// The config a JavaScript or TypeScript file gives `CMS.init`: Decap merges it into
/// `config.yml` unless it says `load_config_file: false`, so it is read as a whole config
/// only then, or when it sets `publish_mode` itself (whatever the YAML says, this wins).
/// It must name a `backend`, as `admin/config.yml` must.
pub const DECAP_JS: &[Sniffer] = &[Sniffer {
    in_text: |text| text.contains("CMS.init") || text.contains("cms.init"),
    kind: |document| {
        let config = document.as_object()?;
        let whole = config.get("load_config_file") == Some(&Value::Bool(false))
            || config.contains_key("publish_mode");
        (whole && config.contains_key("backend")).then(|| Kind::new(kinds::DECAP_CONFIG))
    },
    produces: kinds::DECAP_CONFIG,
}];

/// An Experience Cloud site's own settings: the Aura `config/*.json` of `"type": "site"`, or
/// the LWR `sfdc_cms__site` `content.json`; the other JSON files beside them are not.
pub const EXPERIENCE_SITE: &[Sniffer] = &[Sniffer {
    in_text: |_| true,
    kind: |document| {
        let kind = document.get("type")?.as_str()?;
        matches!(kind, "site" | "sfdc_cms__site")
            .then(|| Kind::new(kinds::SALESFORCE_EXPERIENCE_SITE))
    },
    produces: kinds::SALESFORCE_EXPERIENCE_SITE,
}];

/// A `*.rules` file is Firebase Security Rules when, past blank lines and comments, it
/// opens with `rules_version` or `service cloud.firestore` / `service firebase.storage`.
pub const FIREBASE_RULES: &[Sniffer] = &[Sniffer {
    in_text: opens_like_firebase_rules,
    kind: |document| {
        document
            .get("services")?
            .is_array()
            .then(|| Kind::new(kinds::FIREBASE_RULES))
    },
    produces: kinds::FIREBASE_RULES,
}];

fn opens_like_firebase_rules(text: &str) -> bool {
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    loop {
        rest = rest.trim_start();
        if let Some(comment) = rest.strip_prefix("//") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    if rest.starts_with("rules_version") {
        return true;
    }
    rest.strip_prefix("service")
        .filter(|after| after.starts_with(char::is_whitespace))
        .map(str::trim_start)
        .is_some_and(|name| {
            ["cloud.firestore", "firebase.storage"]
                .iter()
                .any(|service| name.starts_with(service))
        })
}

/// Whether `"key"` (quoted, as a JSON property name is) occurs in the text, without
/// allocating: this runs on every JSON file of the tree.
fn mentions_key(text: &str, key: &str) -> bool {
    text.match_indices(key)
        .any(|(at, _)| text[..at].ends_with('"') && text[at + key.len()..].starts_with('"'))
}

/// A Power Pages standard-data-model list file (`webrole.yml`, `sitesetting.yml`) is a list
/// of records whose fields carry the `adx_` prefix; other tools' files of the same names are
/// not read.
fn powerpages_records(document: &Value) -> bool {
    document.as_array().is_some_and(|records| {
        records.iter().any(|r| {
            r.as_object()
                .is_some_and(|fields| fields.keys().any(|k| k.starts_with("adx_")))
        })
    })
}

pub const POWERPAGES_WEB_ROLES: &[Sniffer] = &[Sniffer {
    in_text: |text| text.contains("adx_"),
    kind: |document| powerpages_records(document).then(|| Kind::new(kinds::POWERPAGES_WEB_ROLE)),
    produces: kinds::POWERPAGES_WEB_ROLE,
}];

pub const POWERPAGES_SITE_SETTINGS: &[Sniffer] = &[Sniffer {
    in_text: |text| text.contains("adx_"),
    kind: |document| {
        powerpages_records(document).then(|| Kind::new(kinds::POWERPAGES_SITE_SETTING))
    },
    produces: kinds::POWERPAGES_SITE_SETTING,
}];

/// The standard data model's `website.yml`: one record with its `adx_websiteid`.
pub const POWERPAGES_WEBSITE: &[Sniffer] = &[Sniffer {
    in_text: |text| text.contains("adx_websiteid"),
    kind: |document| {
        document
            .get("adx_websiteid")
            .map(|_| Kind::new(kinds::POWERPAGES_WEBSITE))
    },
    produces: kinds::POWERPAGES_WEBSITE,
}];
