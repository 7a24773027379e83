//! Lists of case-insensitive regular expressions that settings give the fact providers
//! ("field names that hold personal data").

use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};

/// Case-insensitive regular expressions (the `regex` crate: linear time, no backtracking).
///
/// Compiling them is the cost, not matching (field names are short), so they are compiled
/// only when needed: a config file's patterns as it loads, so a mistake is reported at its
/// place; the built-in defaults on first use. [`Patterns::find`] first asks one regex that
/// joins them all, cheap to compile, whether any matches at all (most names match none), and
/// compiles the patterns one by one only for a name that matches. Compiling the thirteen
/// defaults up front took ~2.5 ms of every start.
///
/// The built-in defaults are ASCII names compared without Unicode case folding (`(?i)s`
/// then matches `s` and `S`, not also `ſ`), which compiles in about half the time; a
/// config file's patterns keep the `regex` crate's Unicode defaults.
#[derive(Debug, Clone)]
pub struct Patterns {
    sources: Vec<String>,
    builtin: bool,
    /// Shared by clones, so each pattern is compiled once.
    compiled: Arc<Compiled>,
}

#[derive(Debug)]
struct Compiled {
    /// Each pattern, compiled on first use (at load for a config file's patterns).
    each: Vec<OnceLock<Regex>>,
    /// `(?:p1)|(?:p2)|…`: matches exactly when one of the patterns does. `None` when it does
    /// not compile although each pattern does (a capture group name used twice, the size
    /// limit); then every pattern is asked.
    any: OnceLock<Option<Regex>>,
}

impl Patterns {
    /// Compiles every pattern, or returns the index and error of the first that fails.
    pub fn new(sources: Vec<String>) -> Result<Self, (usize, regex::Error)> {
        let each = sources
            .iter()
            .enumerate()
            .map(|(i, p)| compile_pattern(p).map(OnceLock::from).map_err(|e| (i, e)))
            .collect::<Result<_, _>>()?;
        Ok(Patterns {
            sources,
            builtin: false,
            compiled: Arc::new(Compiled {
                each,
                any: OnceLock::new(),
            }),
        })
    }

    /// Built-in patterns, compiled on first use (a unit test compiles each list).
    pub fn builtin(list: &[&str]) -> Self {
        Patterns {
            sources: list.iter().map(|s| (*s).to_owned()).collect(),
            builtin: true,
            compiled: Arc::new(Compiled {
                each: list.iter().map(|_| OnceLock::new()).collect(),
                any: OnceLock::new(),
            }),
        }
    }

    /// Whether one of the patterns matches `text`: the joined regex alone answers, unless it
    /// did not compile (a caller that does not say which pattern matched compiles none of
    /// them one by one).
    pub fn is_match(&self, text: &str) -> bool {
        match self.any() {
            Some(any) => any.is_match(text),
            None => self.find(text).is_some(),
        }
    }

    fn any(&self) -> Option<&Regex> {
        let any = self.compiled.any.get_or_init(|| {
            let joined: Vec<String> = self.sources.iter().map(|p| format!("(?:{p})")).collect();
            self.compile(&joined.join("|")).ok()
        });
        any.as_ref()
    }

    /// The first pattern that matches `text`, as written.
    pub fn find(&self, text: &str) -> Option<&str> {
        if self.any().is_some_and(|any| !any.is_match(text)) {
            return None;
        }
        self.sources
            .iter()
            .zip(&self.compiled.each)
            .find(|(source, regex)| {
                regex
                    .get_or_init(|| {
                        self.compile(source)
                            .unwrap_or_else(|error| panic!("built-in pattern `{source}`: {error}"))
                    })
                    .is_match(text)
            })
            .map(|(source, _)| source.as_str())
    }

    fn compile(&self, pattern: &str) -> Result<Regex, regex::Error> {
        if self.builtin {
            compile_builtin_pattern(pattern)
        } else {
            compile_pattern(pattern)
        }
    }
}

pub fn compile_pattern(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
}

/// A built-in default pattern: ASCII only (see [`Patterns`]).
fn compile_builtin_pattern(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .unicode(false)
        .size_limit(1 << 20)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::firebase::DEFAULT_PERSONAL_COLLECTIONS;
    use crate::facts::publishing::DEFAULT_PRODUCTION_ENVIRONMENTS;
    use crate::facts::salesforce::{DEFAULT_GUEST_PERMISSION_SETS, DEFAULT_PERSONAL_FIELDS};

    /// The defaults compile on first use, where a mistake could only panic.
    #[test]
    fn builtin_patterns_compile() {
        for list in [
            DEFAULT_PERSONAL_FIELDS,
            DEFAULT_GUEST_PERMISSION_SETS,
            DEFAULT_PRODUCTION_ENVIRONMENTS,
            DEFAULT_PERSONAL_COLLECTIONS,
        ] {
            for pattern in list {
                assert!(compile_builtin_pattern(pattern).is_ok(), "{pattern}");
                // The same list given in a config file compiles too.
                assert!(compile_pattern(pattern).is_ok(), "{pattern}");
            }
            let joined = Patterns::builtin(list);
            assert!(joined.any().is_some(), "{list:?}");
        }
        let settings = crate::facts::SalesforceSettings::default();
        let fields = &settings.personal_fields;
        assert_eq!(fields.find("Contact.Email"), Some("e_?mail"));
        assert_eq!(fields.find("Amount"), None);
        assert_eq!(
            fields.find("Lead.FirstName"),
            Some("(first|last|middle|full|supplied)_?name")
        );
    }

    /// The joined regex only says whether to look further: the answer is the first pattern
    /// that matches, in order, whatever matches first in the text; and patterns that cannot
    /// be joined still work.
    #[test]
    fn the_first_pattern_in_order_is_found() {
        let patterns = |list: &[&str]| {
            Patterns::new(list.iter().map(|s| (*s).to_owned()).collect()).expect("valid")
        };
        let ordered = patterns(&["bc", "ab"]);
        assert_eq!(ordered.find("ABC"), Some("bc"));
        assert_eq!(ordered.find("xyz"), None);
        let unjoinable = patterns(&["(?P<n>a)", "(?P<n>b)"]);
        assert_eq!(unjoinable.find("b"), Some("(?P<n>b)"));
        assert_eq!(unjoinable.find("c"), None);
        // Built in, cases are folded in ASCII.
        let builtin = Patterns::builtin(&["^users?$"]);
        assert!(builtin.is_match("USERS") && builtin.is_match("User"));
        assert!(!builtin.is_match("usérs"));
        assert!(unjoinable.is_match("b"));
        assert!(!unjoinable.is_match("c"));
        assert!(ordered.is_match("ABC"));
        assert!(!ordered.is_match("xyz"));
        let flags = patterns(&["(?-i)ABC", "x"]);
        assert_eq!(flags.find("abc"), None);
        assert_eq!(flags.find("ABC"), Some("(?-i)ABC"));
    }
}
