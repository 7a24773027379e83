//! Decides what a file is: first from its path (which format, and sometimes the kind), then
//! from its content (the XML root element, a Kubernetes `kind`, a JSON shape). Files of no
//! known kind are never read. Everything is decided by one table, [`DETECTORS`].

mod charts;
mod deployed;
pub mod kinds;
mod paths;
mod powerpages;
mod sniff;
mod table;

use std::fmt;

use serde_json::Value;

pub use charts::{ChartRoots, chart_of_template};
pub use deployed::{Deployment, firebase_deployments, is_firebase_json};
pub use powerpages::site_folder as powerpages_site;
pub use table::{DETECTORS, Detector, KindRule};

use crate::document::Kind;
use crate::parse::Format;

/// A file worth reading: how to parse it and how to name what it holds.
#[derive(Clone, Copy)]
pub struct Candidate {
    pub detector: &'static Detector,
}

impl Candidate {
    /// The format the row reads its files in.
    pub fn format(self) -> Format {
        self.detector.format
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.detector, other.detector)
    }
}

impl Eq for Candidate {}

impl fmt::Debug for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:?})", self.detector.name, self.format())
    }
}

/// A path as the table looks at it.
pub struct FilePath<'a> {
    /// The whole shown path, `/`-separated.
    pub path: &'a str,
    /// Its last component.
    pub name: &'a str,
    /// The folder it is in, when it is in one.
    pub parent: Option<&'a str>,
}

impl<'a> FilePath<'a> {
    pub fn new(path: &'a str) -> Self {
        let mut parts = path.rsplit('/');
        let name = parts.next().unwrap_or(path);
        FilePath {
            path,
            name,
            parent: parts.next(),
        }
    }

    /// Whether it is inside a `.github` folder.
    pub fn in_github(&self) -> bool {
        self.path.starts_with(".github/") || self.path.contains("/.github/")
    }
}

/// Decides from the path alone whether a file may hold a known kind.
pub fn candidate(path: &str) -> Option<Candidate> {
    let file = FilePath::new(path);
    if table::not_read(&file) {
        return None;
    }
    DETECTORS
        .iter()
        .find(|d| (d.claims)(&file))
        .map(|detector| Candidate { detector })
}

/// The kind a candidate's documents will have, when the path alone says so: a fixed kind,
/// a kind the path announces before the content confirms it, or a Salesforce type by its
/// suffix (the Metadata API names every file by its type). `None` when only the content
/// can tell. The scan reads the kinds other files take facts from first (see
/// [`crate::schedule`]).
pub fn expected_kind(path: &str, candidate: Candidate) -> Option<&'static str> {
    match candidate.detector.kind {
        KindRule::Fixed(kind) => Some(kind),
        KindRule::Sniffed { expected, .. } => expected,
        KindRule::SalesforceRoot => {
            let name = FilePath::new(path).name;
            let name = name.strip_suffix("-meta.xml").unwrap_or(name);
            let suffix = name.rsplit_once('.')?.1;
            table::SALESFORCE_TYPES
                .iter()
                .find(|(s, _)| *s == suffix)
                .map(|(_, kind)| *kind)
        }
    }
}

/// Every kind a candidate's documents may have, before it is read: the kind the path
/// announces ([`expected_kind`]), else each kind its content may show, a family by its
/// pattern (`kubernetes/*`, `salesforce/*`). The schedule sizes batches by it; a wrong
/// guess costs time, never a finding.
pub fn possible_kinds(path: &str, candidate: Candidate) -> impl Iterator<Item = &'static str> {
    let expected = expected_kind(path, candidate);
    let (sniffers, family): (&[sniff::Sniffer], _) = match candidate.detector.kind {
        _ if expected.is_some() => (&[], None),
        KindRule::Sniffed { sniffers, .. } => (sniffers, None),
        KindRule::SalesforceRoot => (&[], Some(kinds::SALESFORCE_ANY)),
        KindRule::Fixed(_) => (&[], None),
    };
    let sniffed = sniffers.iter().map(|s| s.produces);
    expected.into_iter().chain(sniffed).chain(family)
}

/// Whether the raw text is worth parsing at all (see [`sniff::Sniffer`]).
pub fn worth_parsing(candidate: Candidate, text: &str) -> bool {
    match candidate.detector.kind {
        KindRule::Sniffed { sniffers, .. } => sniffers.iter().any(|s| (s.in_text)(text)),
        KindRule::Fixed(_) | KindRule::SalesforceRoot => true,
    }
}

/// The kind of one parsed document, or `None` when it is of no known kind.
pub fn kind_of(candidate: Candidate, document: &Value) -> Option<Kind> {
    match candidate.detector.kind {
        KindRule::Fixed(kind) => Some(Kind::new(kind)),
        KindRule::Sniffed { sniffers, .. } => sniffers.iter().find_map(|s| (s.kind)(document)),
        KindRule::SalesforceRoot => {
            let root = document.as_object()?.keys().next()?;
            Some(Kind::new(format!("{}{root}", kinds::SALESFORCE_FAMILY)))
        }
    }
}

/// Every kind detection can give: its fixed kinds, and `<family>/*` for the two families
/// whose type is the content's own name (`salesforce/<root element>` of any Salesforce
/// metadata XML, `kubernetes/<kind>` of any manifest). A policy's `applies-to` pattern must
/// match one of them.
pub fn known_kinds() -> Vec<&'static str> {
    let mut known: Vec<&'static str> = DETECTORS
        .iter()
        .flat_map(|d| match d.kind {
            KindRule::Fixed(kind) => vec![kind],
            KindRule::SalesforceRoot => vec![kinds::SALESFORCE_ANY],
            KindRule::Sniffed { sniffers, .. } => sniffers.iter().map(|s| s.produces).collect(),
        })
        .chain(table::SALESFORCE_TYPES.iter().map(|(_, kind)| *kind))
        .collect();
    known.sort_unstable();
    known.dedup();
    known
}

#[cfg(test)]
mod tests;
