//! The detection table: which files doublecheck reads, in which format, and how their
//! documents' kinds are decided. The first row that claims a path wins. Adding a file
//! format adds a row here (docs/architecture.md, "Adding a file format").

use super::paths::{is_cms_script, is_workflow, names_the_cms};
use super::sniff::{self, Sniffer};
use super::{FilePath, kinds, powerpages};
use crate::parse::Format;

/// One row: the files it claims, how to parse them and how to name what they hold.
pub struct Detector {
    /// What the row reads, in words.
    pub name: &'static str,
    pub claims: fn(&FilePath) -> bool,
    pub format: Format,
    pub kind: KindRule,
}

/// How the kind of a claimed file's documents is decided.
pub enum KindRule {
    /// Every document of the file has this kind.
    Fixed(&'static str),
    /// Salesforce metadata: `salesforce/<root element>`; the suffix announces it for the
    /// types in [`SALESFORCE_TYPES`].
    SalesforceRoot,
    /// The first sniffer that claims the document names it; a file no sniffer may claim is
    /// not parsed. `expected` is the kind the path announces, when there is one.
    Sniffed {
        sniffers: &'static [Sniffer],
        expected: Option<&'static str>,
    },
}

/// Files with a known suffix that are not read: `siteDotComSites/<site>.site` is a Site.com
/// or Experience Builder site's content, a JSON header followed by a binary archive. It
/// shares CustomSite's `.site` suffix but is not metadata XML and holds nothing doublecheck
/// judges (its `.site-meta.xml`, a `<SiteDotCom>` document, is XML and read as such).
pub fn not_read(path: &FilePath) -> bool {
    path.name.ends_with(".site") && path.parent == Some("siteDotComSites")
}

pub const DETECTORS: &[Detector] = &[
    Detector {
        name: "Salesforce metadata, source format (`*-meta.xml`)",
        claims: |p| p.name.ends_with("-meta.xml"),
        format: Format::XML,
        kind: KindRule::SalesforceRoot,
    },
    Detector {
        name: "Salesforce metadata, Metadata API format (`<member>.<type>`)",
        claims: is_metadata_api_file,
        format: Format::XML,
        kind: KindRule::SalesforceRoot,
    },
    Detector {
        name: "Visualforce page or component",
        claims: is_visualforce,
        format: Format::VISUALFORCE,
        kind: KindRule::Fixed(kinds::SALESFORCE_VISUALFORCE),
    },
    Detector {
        name: "Apex class",
        claims: |p| p.name.ends_with(".cls"),
        format: Format::APEX_CLASS,
        kind: KindRule::Fixed(kinds::APEX_CLASS),
    },
    Detector {
        name: "anonymous Apex script",
        claims: |p| p.name.ends_with(".apex"),
        format: Format::APEX_ANONYMOUS,
        kind: KindRule::Fixed(kinds::APEX_ANONYMOUS),
    },
    Detector {
        name: "Terraform configuration (HCL)",
        claims: |p| p.name.ends_with(".tf"),
        format: Format::HCL,
        kind: KindRule::Fixed(kinds::TERRAFORM_CONFIG),
    },
    Detector {
        name: "Terraform configuration (JSON)",
        claims: |p| p.name.ends_with(".tf.json"),
        format: Format::JSON,
        kind: KindRule::Fixed(kinds::TERRAFORM_CONFIG),
    },
    Detector {
        name: "Terraform variables (HCL)",
        claims: |p| p.name.ends_with(".tfvars"),
        format: Format::HCL,
        kind: KindRule::Fixed(kinds::TERRAFORM_VARIABLES),
    },
    Detector {
        name: "Terraform variables (JSON)",
        claims: |p| p.name.ends_with(".tfvars.json"),
        format: Format::JSON,
        kind: KindRule::Fixed(kinds::TERRAFORM_VARIABLES),
    },
    Detector {
        name: "spreadsheet or CSV export",
        claims: is_data_file,
        format: Format::FILE_NAME,
        kind: KindRule::Fixed(kinds::DATA_FILE),
    },
    Detector {
        name: "Firebase Security Rules (`firestore.rules`, `storage.rules`)",
        claims: |p| matches!(p.name, "firestore.rules" | "storage.rules"),
        format: Format::FIREBASE_RULES,
        kind: KindRule::Fixed(kinds::FIREBASE_RULES),
    },
    Detector {
        // udev, iptables, Snort, … write `*.rules` too: only one that opens like Security
        // Rules is read.
        name: "Firebase Security Rules, by content (`*.rules`)",
        claims: |p| p.name.ends_with(".rules"),
        format: Format::FIREBASE_RULES,
        kind: KindRule::Sniffed {
            sniffers: sniff::FIREBASE_RULES,
            expected: Some(kinds::FIREBASE_RULES),
        },
    },
    Detector {
        name: "Firebase Realtime Database rules (`database.rules.json`)",
        claims: |p| p.name == "database.rules.json",
        format: Format::JSON,
        kind: KindRule::Fixed(kinds::FIREBASE_DATABASE_RULES),
    },
    Detector {
        name: "Firebase CLI project file (`firebase.json`)",
        claims: |p| p.name == super::deployed::FIREBASE_JSON,
        format: Format::JSON,
        kind: KindRule::Fixed(kinds::FIREBASE_CONFIG),
    },
    Detector {
        name: "CumulusCI project file",
        claims: |p| p.name == "cumulusci.yml",
        format: Format::YAML,
        kind: KindRule::Fixed(kinds::CUMULUSCI_CONFIG),
    },
    Detector {
        name: "Experience Cloud site settings",
        claims: |p| p.name.ends_with(".json") && is_experience_site_path(p.path),
        format: Format::JSON,
        kind: KindRule::Sniffed {
            sniffers: sniff::EXPERIENCE_SITE,
            expected: Some(kinds::SALESFORCE_EXPERIENCE_SITE),
        },
    },
    Detector {
        name: "Supabase migration (`supabase/migrations/*.sql`)",
        claims: is_supabase_migration,
        format: Format::SQL,
        kind: KindRule::Fixed(kinds::SUPABASE_MIGRATION),
    },
    Detector {
        name: "Supabase project settings (`supabase/config.toml`)",
        claims: |p| p.name == "config.toml" && p.parent == Some("supabase"),
        format: Format::TOML,
        kind: KindRule::Fixed(kinds::SUPABASE_CONFIG),
    },
    Detector {
        name: "CODEOWNERS",
        claims: |p| p.name == "CODEOWNERS",
        format: Format::CODEOWNERS,
        kind: KindRule::Fixed(kinds::GITHUB_CODEOWNERS),
    },
    Detector {
        // Confirmed by content, but an `admin/config.yml` is read early either way: it is
        // small, and if it is a CMS config its facts need it there.
        name: "Decap CMS config (`admin/config.yml`)",
        claims: |p| p.parent == Some("admin") && matches!(p.name, "config.yml" | "config.yaml"),
        format: Format::YAML,
        kind: KindRule::Sniffed {
            sniffers: sniff::DECAP,
            expected: Some(kinds::DECAP_CONFIG),
        },
    },
    Detector {
        // Read early like `admin/config.yml` (its facts need it there), so only files whose
        // path says CMS (`cms`, `admin`, `decap`, `netlify`) are claimed, and only those
        // that call `CMS.init` are parsed.
        name: "Decap CMS configured in code (`CMS.init` in `*.js`, `*.ts`, …)",
        claims: is_cms_script,
        format: Format::DECAP_JS,
        kind: KindRule::Sniffed {
            sniffers: sniff::DECAP_JS,
            expected: Some(kinds::DECAP_CONFIG),
        },
    },
    Detector {
        name: "safe-settings / Probot `.github/settings.yml`",
        claims: |p| p.in_github() && matches!(p.name, "settings.yml" | "settings.yaml"),
        format: Format::YAML,
        kind: KindRule::Fixed(kinds::GITHUB_SETTINGS),
    },
    Detector {
        name: "GitHub Actions workflow (`.github/workflows/*.yml`)",
        claims: is_workflow,
        format: Format::YAML,
        kind: KindRule::Fixed(kinds::GITHUB_WORKFLOW),
    },
    Detector {
        name: "GitHub repository ruleset export (`.github/rulesets/*.json`)",
        claims: |p| {
            p.name.ends_with(".json") && p.in_github() && p.path.contains(".github/rulesets/")
        },
        format: Format::JSON,
        kind: KindRule::Fixed(kinds::GITHUB_RULESET),
    },
    powerpages::STANDARD_WEB_ROLES,
    powerpages::STANDARD_SITE_SETTINGS,
    powerpages::STANDARD_WEBSITE,
    powerpages::ENHANCED_WEBSITE,
    powerpages::ENHANCED_WEB_ROLE,
    powerpages::ENHANCED_SITE_SETTING,
    powerpages::TABLE_PERMISSION,
    powerpages::LIST,
    powerpages::BASIC_FORM,
    powerpages::ADVANCED_FORM_STEP,
    Detector {
        name: "Helm chart (`Chart.yaml`)",
        claims: |p| p.name == "Chart.yaml",
        format: Format::YAML,
        kind: KindRule::Fixed(kinds::HELM_CHART),
    },
    Detector {
        name: "Helm named templates (`templates/*.tpl`, `templates/*.txt`)",
        claims: is_chart_text_template,
        format: Format::TEMPLATE_TEXT,
        kind: KindRule::Fixed(kinds::HELM_TEMPLATE),
    },
    Detector {
        // Read early like `admin/config.yml`; Kubernetes and CloudFormation documents in
        // such a folder are still recognised.
        name: "Decap CMS config at another path (`*.yml` whose path names the CMS)",
        claims: |p| {
            (p.name.ends_with(".yml") || p.name.ends_with(".yaml")) && names_the_cms(p.path)
        },
        format: Format::YAML,
        kind: KindRule::Sniffed {
            sniffers: sniff::DECAP_ELSEWHERE,
            expected: Some(kinds::DECAP_CONFIG),
        },
    },
    Detector {
        name: "other JSON, by content",
        claims: |p| p.name.ends_with(".json"),
        format: Format::JSON,
        kind: KindRule::Sniffed {
            sniffers: sniff::JSON,
            expected: None,
        },
    },
    Detector {
        name: "other YAML, by content",
        claims: |p| p.name.ends_with(".yaml") || p.name.ends_with(".yml"),
        format: Format::YAML,
        kind: KindRule::Sniffed {
            sniffers: sniff::YAML,
            expected: None,
        },
    },
    Detector {
        name: "CloudFormation template (`*.template`, JSON or YAML)",
        claims: |p| p.name.ends_with(".template"),
        format: Format::JSON_OR_YAML,
        kind: KindRule::Sniffed {
            sniffers: sniff::TEMPLATE,
            expected: None,
        },
    },
];

/// A Helm chart's template (`templates/*.yaml` in a folder with a `Chart.yaml`): the table
/// cannot tell it by its path alone (a `templates/` folder may hold CloudFormation), so the
/// scan gives it this row once it knows where the charts are ([`super::ChartRoots`]).
pub static CHART_TEMPLATE: Detector = Detector {
    name: "Helm chart template (`templates/*` beside a `Chart.yaml`)",
    claims: |_| false,
    format: Format::TEMPLATE_TEXT,
    kind: KindRule::Fixed(kinds::HELM_TEMPLATE),
};

/// A Helm chart's values file (`values.yaml`, `values-production.yaml` beside a
/// `Chart.yaml`), given this row like [`CHART_TEMPLATE`].
pub static CHART_VALUES: Detector = Detector {
    name: "Helm chart values (`values.yaml`, `values-*.yaml`, `*-values.yaml` beside a `Chart.yaml`)",
    claims: |_| false,
    format: Format::YAML,
    kind: KindRule::Fixed(kinds::HELM_VALUES),
};

/// A chart's helpers (`_helpers.tpl`) and text templates (`_config.txt`, `NOTES.txt`) in a
/// `templates/` folder: read only when the scan finds the chart they belong to.
fn is_chart_text_template(p: &FilePath) -> bool {
    (p.name.ends_with(".tpl") || p.name.ends_with(".txt"))
        && (p.path.starts_with("templates/") || p.path.contains("/templates/"))
}

/// `values.yaml`, `values-production.yaml`, `values.prod.yml`, `prod-values.yaml`.
pub(super) fn is_helm_values(p: &FilePath) -> bool {
    let Some(stem) = p
        .name
        .strip_suffix(".yaml")
        .or_else(|| p.name.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "values"
        || stem.starts_with("values-")
        || stem.starts_with("values.")
        || stem.ends_with("-values")
        || stem.ends_with(".values")
}

/// Firebase Security Rules that a `firebase.json` deploys, whatever their name (see
/// [`super::deployed`]): no path claims them by itself.
pub static DEPLOYED_SECURITY_RULES: &Detector = &Detector {
    name: "Firebase Security Rules named in `firebase.json`",
    claims: |_| false,
    format: Format::FIREBASE_RULES,
    kind: KindRule::Fixed(kinds::FIREBASE_RULES),
};

/// Realtime Database rules that a `firebase.json` deploys, whatever their name.
pub static DEPLOYED_DATABASE_RULES: &Detector = &Detector {
    name: "Firebase Realtime Database rules named in `firebase.json`",
    claims: |_| false,
    format: Format::JSON,
    kind: KindRule::Fixed(kinds::FIREBASE_DATABASE_RULES),
};

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

/// The Salesforce types whose kind the file suffix announces (both formats): the scan reads
/// the kinds other files take facts from first, and must know them before parsing.
pub const SALESFORCE_TYPES: &[(&str, &str)] = &[
    ("profile", kinds::SALESFORCE_PROFILE),
    ("permissionset", kinds::SALESFORCE_PERMISSION_SET),
    ("site", kinds::SALESFORCE_CUSTOM_SITE),
    ("network", kinds::SALESFORCE_NETWORK),
    ("cls", kinds::SALESFORCE_APEX_CLASS_META),
    ("field", kinds::SALESFORCE_CUSTOM_FIELD),
    ("object", kinds::SALESFORCE_CUSTOM_OBJECT),
];

/// A Salesforce file is named `<member>.<type>`: a bare `.settings` is some tool's own
/// settings (MavensMate's `config/.settings` is JSON), not an org's.
fn is_metadata_api_file(path: &FilePath) -> bool {
    path.name
        .rsplit_once('.')
        .is_some_and(|(stem, suffix)| !stem.is_empty() && SALESFORCE_SUFFIXES.contains(&suffix))
}

/// Tabular data files: what a customer list exported from a CRM or a database looks like.
const DATA_FILE_EXTENSIONS: &[&str] = &["csv", "tsv", "xlsx", "xlsm", "xls", "ods", "numbers"];

fn is_data_file(path: &FilePath) -> bool {
    path.name.rsplit_once('.').is_some_and(|(_, extension)| {
        DATA_FILE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
    })
}

/// `pages/<name>.page` or `components/<name>.component`, where both Salesforce project
/// formats keep Visualforce (other tools use these suffixes too, elsewhere).
fn is_visualforce(path: &FilePath) -> bool {
    let name = path.name;
    match path.parent {
        Some("pages") => name.len() > ".page".len() && name.ends_with(".page"),
        Some("components") => name.len() > ".component".len() && name.ends_with(".component"),
        _ => false,
    }
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

/// A migration the Supabase CLI applies: a `.sql` file directly in `supabase/migrations/`.
fn is_supabase_migration(path: &FilePath) -> bool {
    path.name.ends_with(".sql")
        && path.parent == Some("migrations")
        && (path.path.starts_with("supabase/migrations/")
            || path.path.contains("/supabase/migrations/"))
}
