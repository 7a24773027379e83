//! The kinds a policy applies to: glob patterns over kind names (`kubernetes/*`,
//! `terraform/config`). Nearly every pattern is a plain name or a name followed by one `*`,
//! matched here by comparing strings; only the others become a glob set. Building a glob
//! set for each of the built-in policies was a fifth of every start.

use globset::{Glob, GlobSet, GlobSetBuilder};

#[derive(Debug, Default)]
pub(super) struct KindPatterns {
    exact: Vec<String>,
    /// `P*`: any kind that starts with `P` (a glob's `*` matches `/` too).
    prefixes: Vec<String>,
    globs: Option<GlobSet>,
}

const GLOB_SYNTAX: &[char] = &['*', '?', '[', ']', '{', '}', '\\', '!'];

impl KindPatterns {
    /// The patterns, and the index and message of each that is not a valid glob.
    pub(super) fn new<'a>(
        patterns: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> (KindPatterns, Vec<(usize, String)>) {
        let mut matcher = KindPatterns::default();
        let mut globs = GlobSetBuilder::new();
        let mut any_glob = false;
        let mut errors = Vec::new();
        for (i, pattern) in patterns {
            if !pattern.contains(GLOB_SYNTAX) {
                matcher.exact.push(pattern.to_owned());
                continue;
            }
            if let Some(prefix) = pattern.strip_suffix('*')
                && !prefix.contains(GLOB_SYNTAX)
            {
                matcher.prefixes.push(prefix.to_owned());
                continue;
            }
            match Glob::new(pattern) {
                Ok(glob) => {
                    globs.add(glob);
                    any_glob = true;
                }
                Err(e) => errors.push((i, format!("invalid kind pattern: {e}"))),
            }
        }
        if any_glob {
            matcher.globs = globs.build().ok();
        }
        (matcher, errors)
    }

    pub(super) fn is_match(&self, kind: &str) -> bool {
        self.exact.iter().any(|k| k == kind)
            || self.prefixes.iter().any(|p| kind.starts_with(p.as_str()))
            || self.globs.as_ref().is_some_and(|g| g.is_match(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(patterns: &[&str]) -> KindPatterns {
        let (matcher, errors) = KindPatterns::new(patterns.iter().copied().enumerate());
        assert!(errors.is_empty(), "{errors:?}");
        matcher
    }

    /// The fast paths answer exactly as a glob set of the same patterns would.
    #[test]
    fn matches_as_a_glob_set_does() {
        let patterns = [
            "terraform/config",
            "kubernetes/*",
            "salesforce/Pro*",
            "github/{settings,ruleset}",
            "cloud?ormation/template",
            "*",
        ];
        let kinds = [
            "terraform/config",
            "terraform/configs",
            "terraform",
            "kubernetes/Pod",
            "kubernetes/",
            "kubernetes/a/b",
            "kubernetesX",
            "salesforce/Profile",
            "salesforce/profile",
            "github/settings",
            "github/ruleset",
            "github/other",
            "cloudformation/template",
            "",
        ];
        for pattern in patterns {
            let ours = matcher(&[pattern]);
            let mut builder = GlobSetBuilder::new();
            builder.add(Glob::new(pattern).expect("valid"));
            let theirs = builder.build().expect("builds");
            for kind in kinds {
                assert_eq!(
                    ours.is_match(kind),
                    theirs.is_match(kind),
                    "{pattern} against {kind}"
                );
            }
        }
    }

    #[test]
    fn an_invalid_glob_is_reported_with_its_index() {
        let (_, errors) = KindPatterns::new(["a", "b[", "c"].into_iter().enumerate());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 1);
        assert!(
            errors[0].1.starts_with("invalid kind pattern"),
            "{errors:?}"
        );
    }
}
