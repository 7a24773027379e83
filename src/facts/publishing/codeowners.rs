//! CODEOWNERS against the code-owner reviews a repository requires: a requirement with no
//! CODEOWNERS file cannot be met as intended, and a published folder owned by one person (or
//! by nobody) lets that person approve their own publication.
//!
//! Patterns follow gitignore as GitHub applies it: a leading `/` or a `/` inside anchors the
//! pattern at the root, otherwise it matches at any depth; a trailing `/` matches a folder
//! and everything in it; `*` stops at `/`, `**` does not; the last matching rule wins.

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};

use globset::{GlobBuilder, GlobMatcher};
use serde_json::Value;

use super::rules::Requirement;
use super::{CODE_OWNER_REVIEW_WITHOUT_CODEOWNERS, PUBLISHED_PATH_RULE};
use crate::detect::kinds;
use crate::document::Document;
use crate::facts::FactIndex;

/// Where GitHub looks for CODEOWNERS, in its order: the first found is the one used.
const LOCATIONS: &[&str] = &[".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// A file name no real folder holds, standing for "any file directly in the folder".
const PROBE: &str = "doublecheck-probe";

pub fn provide(
    documents: &[&Document],
    requirements: &[Requirement],
    published: &[String],
    index: &mut FactIndex,
) {
    if requirements.is_empty() {
        return;
    }
    let files: HashMap<&str, usize> = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind.as_str() == kinds::GITHUB_CODEOWNERS)
        .map(|(i, d)| (d.source.path.as_str(), i))
        .collect();
    let roots: BTreeSet<&str> = requirements.iter().map(|r| r.root.as_str()).collect();
    for root in roots {
        let in_root = requirements.iter().filter(|r| r.root == root);
        let used = LOCATIONS
            .iter()
            .find_map(|location| files.get(format!("{root}{location}").as_str()));
        let Some(&file) = used else {
            for requirement in in_root {
                let e = &requirement.evidence;
                index.add_node(
                    e.document,
                    e.pointer.clone(),
                    CODE_OWNER_REVIEW_WITHOUT_CODEOWNERS,
                    None,
                );
            }
            continue;
        };
        let owning = published_rules(&documents[file].value, published);
        for requirement in in_root {
            for &rule in &owning {
                index.add_node(
                    file,
                    format!("/rules/{rule}"),
                    PUBLISHED_PATH_RULE,
                    Some(requirement.evidence.clone()),
                );
            }
        }
    }
}

/// Indexes of the rules that own some published folder: the last rule matching a file
/// directly in it, and every rule for a path inside it.
fn published_rules(codeowners: &Value, published: &[String]) -> BTreeSet<usize> {
    let patterns: Vec<&str> = codeowners
        .get("rules")
        .and_then(Value::as_array)
        .map(|rules| {
            rules
                .iter()
                .map(|r| r.get("pattern").and_then(Value::as_str).unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    // Each pattern is compiled once, when a folder first needs it (from the last rule up).
    let compiled: Vec<OnceCell<Option<OwnerPattern>>> =
        patterns.iter().map(|_| OnceCell::new()).collect();
    let matching = |i: usize, path: &str| {
        compiled[i]
            .get_or_init(|| OwnerPattern::new(patterns[i]))
            .as_ref()
            .is_some_and(|pattern| pattern.matches(path))
    };
    let mut owning = BTreeSet::new();
    for folder in published {
        let probe = format!("{folder}{PROBE}");
        if let Some(last) = (0..patterns.len()).rev().find(|&i| matching(i, &probe)) {
            owning.insert(last);
        }
        for (i, pattern) in patterns.iter().enumerate() {
            let literal = pattern.trim_start_matches('/');
            if literal.starts_with(folder.as_str()) && literal.len() > folder.len() {
                owning.insert(i);
            }
        }
    }
    owning
}

/// A CODEOWNERS pattern, compiled.
struct OwnerPattern {
    matcher: GlobMatcher,
    /// A trailing `/`: matches a folder (and so everything in it), not a file.
    folder_only: bool,
    /// GitHub reads a last segment with `*` (`docs/*`) as files directly there, not folders.
    files_only_there: bool,
}

impl OwnerPattern {
    /// None for a pattern that matches nothing (empty, or not a valid glob).
    fn new(pattern: &str) -> Option<Self> {
        let folder_only = pattern.ends_with('/');
        let trimmed = pattern.trim_end_matches('/');
        let anchored = trimmed.starts_with('/') || trimmed.contains('/');
        let trimmed = trimmed.trim_start_matches('/');
        if trimmed.is_empty() {
            return None;
        }
        let glob = if anchored {
            trimmed.to_owned()
        } else {
            format!("**/{trimmed}")
        };
        let glob = GlobBuilder::new(&glob)
            .literal_separator(true)
            .build()
            .ok()?;
        let last_segment = trimmed.rsplit('/').next().unwrap_or(trimmed);
        Some(OwnerPattern {
            matcher: glob.compile_matcher(),
            folder_only,
            files_only_there: last_segment.contains('*'),
        })
    }

    /// Whether the pattern matches a file path (relative to the repository root): the file
    /// itself, or a folder holding it (and so everything in it).
    fn matches(&self, path: &str) -> bool {
        let folders = (!self.files_only_there)
            .then(|| path.match_indices('/').map(|(at, _)| &path[..at]))
            .into_iter()
            .flatten();
        let file = (!self.folder_only).then_some(path);
        folders.chain(file).any(|p| self.matcher.is_match(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matches(pattern: &str, path: &str) -> bool {
        OwnerPattern::new(pattern).is_some_and(|p| p.matches(path))
    }

    #[test]
    fn gitignore_style_patterns() {
        let probe = "docs/doublecheck-probe";
        for pattern in [
            "*", "docs/", "/docs/", "docs", "/docs/**", "docs/*", "**/docs",
        ] {
            assert!(matches(pattern, probe), "{pattern}");
        }
        for pattern in ["*.md", "/content/", "docs/*/", "/doc/", "/"] {
            assert!(!matches(pattern, probe), "{pattern}");
        }
        assert!(matches("apps/", "src/apps/x"));
        assert!(!matches("/apps/", "src/apps/x"));
        assert!(!matches("docs/*", "docs/a/b"));
        assert!(matches("docs/", "docs/a/b"));
    }

    #[test]
    fn the_last_match_owns_a_folder_and_inner_rules_own_parts() {
        let codeowners = json!({"rules": [
            {"pattern": "*", "owners": ["@org/all"]},
            {"pattern": "/docs/", "owners": ["@alice"]},
            {"pattern": "/docs/api/", "owners": ["@bob"]},
            {"pattern": "*.md", "owners": ["@carol"]},
            {"pattern": "/src/", "owners": []},
        ]});
        let published = vec!["docs/".to_owned(), "static/".to_owned()];
        // `/docs/` owns docs/, `/docs/api/` part of it; `*` owns static/.
        assert_eq!(
            published_rules(&codeowners, &published),
            BTreeSet::from([0, 1, 2])
        );
    }
}
