//! The packs' sections of `.doublecheck.yml` (`salesforce`, `network`, `publishing`,
//! `firebase`, `powerpages`, `supabase`), read
//! over the defaults each pack holds beside its facts: a list setting `X` replaces the
//! default, `extend-X` adds to it.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Deserialize;

use super::patterns::pattern_setting;
use crate::document::SourceFile;
use crate::facts::firebase::{DEFAULT_PERSONAL_COLLECTIONS, FirebaseSettings};
use crate::facts::publishing::{
    DEFAULT_PRODUCTION_ENVIRONMENTS, DEFAULT_PUBLISHED_PATHS, PublishingSettings, published_paths,
};
use crate::facts::salesforce::{
    DEFAULT_GUEST_PERMISSION_SETS, DEFAULT_PERSONAL_FIELDS, SalesforceSettings,
};
use crate::facts::supabase::{DEFAULT_PERSONAL_COLUMNS, SupabaseSettings};
use crate::facts::{NetworkSettings, PowerPagesSettings, Settings};
use crate::parse::ParsedDocument;
use crate::yaml_file::FileError;

/// The packs' sections as written.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawPacks {
    #[serde(default)]
    salesforce: RawSalesforce,
    #[serde(default)]
    network: RawNetwork,
    #[serde(default)]
    publishing: RawPublishing,
    #[serde(default)]
    firebase: RawFirebase,
    #[serde(default)]
    powerpages: RawPowerPages,
    #[serde(default)]
    supabase: RawSupabase,
}

/// Every pack's settings, or every mistake in them.
pub(super) fn read(
    raw: RawPacks,
    (source, document): (&Arc<SourceFile>, &ParsedDocument),
) -> Result<Settings, Vec<FileError>> {
    let network = network(raw.network);
    let salesforce = salesforce(raw.salesforce, (source, document));
    let publishing = publishing(raw.publishing, source, document);
    let firebase = firebase(raw.firebase, source, document);
    let supabase = supabase(raw.supabase, source, document);
    match (salesforce, publishing, firebase, supabase) {
        (Ok(salesforce), Ok(publishing), Ok(firebase), Ok(supabase)) => Ok(Settings {
            salesforce,
            network,
            publishing,
            firebase,
            powerpages: powerpages(raw.powerpages),
            supabase,
        }),
        (salesforce, publishing, firebase, supabase) => Err(salesforce
            .err()
            .into_iter()
            .flatten()
            .chain(publishing.err())
            .chain(firebase.err())
            .chain(supabase.err())
            .collect()),
    }
}

fn network(raw: RawNetwork) -> NetworkSettings {
    let mut settings = NetworkSettings::default();
    if let Some(ports) = raw.admin_ports {
        settings.admin_ports = ports.into_iter().collect();
    }
    settings.admin_ports.extend(raw.extend_admin_ports);
    settings
}

fn salesforce(
    sf: RawSalesforce,
    (source, document): (&Arc<SourceFile>, &ParsedDocument),
) -> Result<SalesforceSettings, Vec<FileError>> {
    let mut settings = SalesforceSettings::default();
    apply_names(
        &mut settings.personal_objects,
        sf.personal_objects,
        sf.extend_personal_objects,
    );
    apply_names(
        &mut settings.broad_access_allowed,
        sf.broad_access_allowed,
        sf.extend_broad_access_allowed,
    );
    let fields = pattern_setting(
        ("salesforce", "personal-fields"),
        sf.personal_fields,
        sf.extend_personal_fields,
        DEFAULT_PERSONAL_FIELDS,
        (source, document),
    );
    let guests = pattern_setting(
        ("salesforce", "guest-permission-sets"),
        sf.guest_permission_sets,
        sf.extend_guest_permission_sets,
        DEFAULT_GUEST_PERMISSION_SETS,
        (source, document),
    );
    match (fields, guests) {
        (Ok(fields), Ok(guests)) => {
            settings.personal_fields = fields;
            settings.guest_permission_sets = guests;
            Ok(settings)
        }
        (fields, guests) => Err(fields.err().into_iter().chain(guests.err()).collect()),
    }
}

/// The `publishing:` section over its defaults: `X` replaces a default list, `extend-X` adds
/// to it; a bad pattern is an error at that pattern.
fn publishing(
    raw: RawPublishing,
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
) -> Result<PublishingSettings, FileError> {
    let production_environments = pattern_setting(
        ("publishing", "production-environments"),
        raw.production_environments,
        raw.extend_production_environments,
        DEFAULT_PRODUCTION_ENVIRONMENTS,
        (source, document),
    )?;
    let base: Vec<String> = raw.published_paths.unwrap_or_else(|| {
        DEFAULT_PUBLISHED_PATHS
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    });
    let paths = base.iter().chain(&raw.extend_published_paths);
    Ok(PublishingSettings {
        production_environments,
        published_paths: published_paths(paths.map(String::as_str)),
    })
}

/// The `firebase:` section over its defaults; a bad pattern is an error at that pattern.
fn firebase(
    raw: RawFirebase,
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
) -> Result<FirebaseSettings, FileError> {
    let personal_collections = pattern_setting(
        ("firebase", "personal-collections"),
        raw.personal_collections,
        raw.extend_personal_collections,
        DEFAULT_PERSONAL_COLLECTIONS,
        (source, document),
    )?;
    Ok(FirebaseSettings {
        personal_collections,
    })
}

/// The `powerpages:` section: table names are compared without regard to case, as
/// Dataverse's logical names are lower case.
fn powerpages(raw: RawPowerPages) -> PowerPagesSettings {
    let mut settings = PowerPagesSettings::default();
    let lower = |tables: Vec<String>| tables.into_iter().map(|t| t.trim().to_ascii_lowercase());
    apply_names(
        &mut settings.public_tables,
        raw.public_tables.map(|t| lower(t).collect()),
        lower(raw.extend_public_tables).collect(),
    );
    settings
}

/// The `supabase:` section over its defaults; a bad pattern is an error at that pattern.
fn supabase(
    raw: RawSupabase,
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
) -> Result<SupabaseSettings, FileError> {
    let personal_columns = pattern_setting(
        ("supabase", "personal-columns"),
        raw.personal_columns,
        raw.extend_personal_columns,
        DEFAULT_PERSONAL_COLUMNS,
        (source, document),
    )?;
    Ok(SupabaseSettings { personal_columns })
}

fn apply_names(target: &mut BTreeSet<String>, set: Option<Vec<String>>, extend: Vec<String>) {
    if let Some(set) = set {
        *target = set.into_iter().collect();
    }
    target.extend(extend);
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawNetwork {
    admin_ports: Option<Vec<u16>>,
    #[serde(default)]
    extend_admin_ports: Vec<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawPublishing {
    production_environments: Option<Vec<String>>,
    #[serde(default)]
    extend_production_environments: Vec<String>,
    published_paths: Option<Vec<String>>,
    #[serde(default)]
    extend_published_paths: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawSupabase {
    personal_columns: Option<Vec<String>>,
    #[serde(default)]
    extend_personal_columns: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawFirebase {
    personal_collections: Option<Vec<String>>,
    #[serde(default)]
    extend_personal_collections: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawPowerPages {
    public_tables: Option<Vec<String>>,
    #[serde(default)]
    extend_public_tables: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawSalesforce {
    personal_objects: Option<Vec<String>>,
    #[serde(default)]
    extend_personal_objects: Vec<String>,
    personal_fields: Option<Vec<String>>,
    #[serde(default)]
    extend_personal_fields: Vec<String>,
    guest_permission_sets: Option<Vec<String>>,
    #[serde(default)]
    extend_guest_permission_sets: Vec<String>,
    broad_access_allowed: Option<Vec<String>>,
    #[serde(default)]
    extend_broad_access_allowed: Vec<String>,
}
