//! The two-person publishing pack's settings (`publishing:` in `.doublecheck.yml`) and their
//! defaults.

use crate::facts::patterns::Patterns;

/// Deployment environments that publish: a name that is, or has as a word, one of these.
pub const DEFAULT_PRODUCTION_ENVIRONMENTS: &[&str] =
    &[r"(^|[-_ ./])(prod|production|release|live)($|[-_ ./])"];

/// Folders of a repository whose content is published as it is (static sites, docs).
pub const DEFAULT_PUBLISHED_PATHS: &[&str] = &["docs/", "content/", "public/", "static/", "site/"];

/// What the two-person publishing pack treats as production and as published.
#[derive(Debug, Clone)]
pub struct PublishingSettings {
    pub production_environments: Patterns,
    /// Folders relative to a repository's root, each ending in `/`, without a leading `/`.
    pub published_paths: Vec<String>,
}

impl Default for PublishingSettings {
    fn default() -> Self {
        PublishingSettings {
            production_environments: Patterns::builtin(DEFAULT_PRODUCTION_ENVIRONMENTS),
            published_paths: published_paths(DEFAULT_PUBLISHED_PATHS.iter().copied()),
        }
    }
}

/// Folders as `docs/`: no leading `./` or `/`, one trailing `/`, no duplicates.
pub fn published_paths<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for path in paths {
        let trimmed = path
            .trim_start_matches("./")
            .trim_start_matches('/')
            .trim_end_matches('/');
        let folder = format!("{trimmed}/");
        if !trimmed.is_empty() && !out.contains(&folder) {
            out.push(folder);
        }
    }
    out
}
