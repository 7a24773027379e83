//! Power Pages sites downloaded by the Power Platform CLI (`pac pages download`): which
//! files are a site's records, and which site a file belongs to. The standard data model
//! writes a site folder with `webrole.yml`, `sitesetting.yml` and `website.yml` (lists of
//! records) and a folder per record type (`table-permissions/`, `lists/`, `basic-forms/`,
//! `advanced-forms/`); the enhanced data model writes `.powerpages-site/` with a file per
//! record (`web-roles/*.webrole.yml`, `site-settings/*.sitesetting.yml`, …).

use super::sniff;
use super::table::{Detector, KindRule};
use super::{FilePath, kinds};
use crate::parse::Format;

/// The folder of the enhanced data model's site.
const ENHANCED_FOLDER: &str = ".powerpages-site";

/// The folders that hold one record type, right inside a site folder.
const RECORD_FOLDERS: &[&str] = &[
    "table-permissions",
    "lists",
    "basic-forms",
    "advanced-forms",
    "web-roles",
    "site-settings",
];

/// The site folder a Power Pages file belongs to (`""` for a site at the root): the
/// `.powerpages-site` folder it is in, or the folder holding its record-type folder, or, for
/// `webrole.yml`, `sitesetting.yml` and `website.yml`, the folder it is in.
pub fn site_folder(path: &str) -> &str {
    if let Some(at) = path.find(ENHANCED_FOLDER) {
        let end = at + ENHANCED_FOLDER.len();
        let starts_component = at == 0 || path[..at].ends_with('/');
        if starts_component && path[end..].starts_with('/') {
            return &path[..end];
        }
    }
    let parts: Vec<&str> = path.split('/').collect();
    let folders = &parts[..parts.len().saturating_sub(1)];
    let depth = folders
        .iter()
        .rposition(|part| RECORD_FOLDERS.contains(part))
        .unwrap_or(folders.len());
    let length: usize = parts[..depth].iter().map(|p| p.len() + 1).sum();
    &path[..length.saturating_sub(1)]
}

/// `<folder>/<name><suffix>` (`table-permissions/Read.tablepermission.yml`), the record
/// type's folder anywhere above it (forms nest a folder per form).
pub(super) fn is_record(path: &FilePath, folder: &str, suffix: &str) -> bool {
    path.name.len() > suffix.len()
        && path.name.ends_with(suffix)
        && path.path.split('/').any(|part| part == folder)
}

/// Whether a file is in a `.powerpages-site` folder.
pub(super) fn is_enhanced(path: &FilePath) -> bool {
    path.path.split('/').any(|part| part == ENHANCED_FOLDER)
}

// The detection table's rows for Power Pages (see [`super::DETECTORS`]).

pub(super) const STANDARD_WEB_ROLES: Detector = Detector {
    name: "Power Pages web roles, standard data model (`webrole.yml`)",
    claims: |p| p.name == "webrole.yml",
    format: Format::YAML,
    kind: KindRule::Sniffed {
        sniffers: sniff::POWERPAGES_WEB_ROLES,
        expected: Some(kinds::POWERPAGES_WEB_ROLE),
    },
};

pub(super) const STANDARD_SITE_SETTINGS: Detector = Detector {
    name: "Power Pages site settings, standard data model (`sitesetting.yml`)",
    claims: |p| p.name == "sitesetting.yml",
    format: Format::YAML,
    kind: KindRule::Sniffed {
        sniffers: sniff::POWERPAGES_SITE_SETTINGS,
        expected: Some(kinds::POWERPAGES_SITE_SETTING),
    },
};

pub(super) const STANDARD_WEBSITE: Detector = Detector {
    name: "Power Pages website, standard data model (`website.yml`)",
    claims: |p| p.name == "website.yml" && !is_enhanced(p),
    format: Format::YAML,
    kind: KindRule::Sniffed {
        sniffers: sniff::POWERPAGES_WEBSITE,
        expected: Some(kinds::POWERPAGES_WEBSITE),
    },
};

pub(super) const ENHANCED_WEBSITE: Detector = Detector {
    name: "Power Pages website, enhanced data model (`.powerpages-site/website.yml`)",
    claims: |p| p.name == "website.yml" && p.parent == Some(".powerpages-site"),
    format: Format::YAML,
    kind: KindRule::Fixed(kinds::POWERPAGES_WEBSITE),
};

pub(super) const ENHANCED_WEB_ROLE: Detector = Detector {
    name: "Power Pages web role, enhanced data model (`web-roles/*.webrole.yml`)",
    claims: |p| is_record(p, "web-roles", ".webrole.yml"),
    format: Format::YAML,
    kind: KindRule::Fixed(kinds::POWERPAGES_WEB_ROLE),
};

pub(super) const ENHANCED_SITE_SETTING: Detector = Detector {
    name: "Power Pages site setting, enhanced data model (`site-settings/*.sitesetting.yml`)",
    claims: |p| is_record(p, "site-settings", ".sitesetting.yml"),
    format: Format::YAML,
    kind: KindRule::Fixed(kinds::POWERPAGES_SITE_SETTING),
};

pub(super) const TABLE_PERMISSION: Detector = Detector {
    name: "Power Pages table permission (`table-permissions/*.tablepermission.yml`)",
    claims: |p| is_record(p, "table-permissions", ".tablepermission.yml"),
    format: Format::YAML,
    kind: KindRule::Fixed(kinds::POWERPAGES_TABLE_PERMISSION),
};

pub(super) const LIST: Detector = Detector {
    name: "Power Pages list (`lists/*.list.yml`)",
    claims: |p| is_record(p, "lists", ".list.yml"),
    format: Format::YAML,
    kind: KindRule::Fixed(kinds::POWERPAGES_LIST),
};

pub(super) const BASIC_FORM: Detector = Detector {
    name: "Power Pages basic form (`basic-forms/**/*.basicform.yml`)",
    claims: |p| is_record(p, "basic-forms", ".basicform.yml"),
    format: Format::YAML,
    kind: KindRule::Fixed(kinds::POWERPAGES_BASIC_FORM),
};

pub(super) const ADVANCED_FORM_STEP: Detector = Detector {
    name: "Power Pages advanced form step (`advanced-forms/**/*.advancedformstep.yml`)",
    claims: |p| is_record(p, "advanced-forms", ".advancedformstep.yml"),
    format: Format::YAML,
    kind: KindRule::Fixed(kinds::POWERPAGES_ADVANCED_FORM_STEP),
};

#[cfg(test)]
mod tests {
    use super::site_folder;

    #[test]
    fn site_folders_of_both_layouts() {
        assert_eq!(site_folder("webrole.yml"), "");
        assert_eq!(site_folder("portal/site/webrole.yml"), "portal/site");
        assert_eq!(
            site_folder("site/table-permissions/Read.tablepermission.yml"),
            "site"
        );
        assert_eq!(
            site_folder("table-permissions/Read.tablepermission.yml"),
            ""
        );
        assert_eq!(
            site_folder("s/basic-forms/contact/Contact.basicform.yml"),
            "s"
        );
        assert_eq!(
            site_folder("s/advanced-forms/apply/advanced-form-steps/One.advancedformstep.yml"),
            "s"
        );
        assert_eq!(
            site_folder("app/.powerpages-site/web-roles/Anonymous-Users.webrole.yml"),
            "app/.powerpages-site"
        );
        assert_eq!(
            site_folder(".powerpages-site/site-settings/A.sitesetting.yml"),
            ".powerpages-site"
        );
    }
}
