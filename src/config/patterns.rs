//! Reading a list of regular expressions from the config: the list replaces or extends the
//! pack's defaults, and a pattern that does not compile is an error at its own value.

use std::sync::Arc;

use super::value_span;
use crate::document::SourceFile;
use crate::facts::Patterns;
use crate::parse::ParsedDocument;
use crate::yaml_file::FileError;

/// A list of regular expressions: `<key>` replaces `defaults` when set, `extend-<key>` adds
/// to it; a pattern that does not compile is reported at its own value.
pub(super) fn pattern_setting(
    (section, key): (&str, &str),
    set: Option<Vec<String>>,
    extend: Vec<String>,
    defaults: &[&str],
    (source, document): (&Arc<SourceFile>, &ParsedDocument),
) -> Result<Patterns, FileError> {
    if set.is_none() && extend.is_empty() {
        return Ok(Patterns::builtin(defaults));
    }
    let base = set.unwrap_or_else(|| defaults.iter().map(|s| (*s).to_owned()).collect());
    let base_len = base.len();
    let all: Vec<String> = base.into_iter().chain(extend).collect();
    Patterns::new(all).map_err(|(i, error)| {
        let pointer = match i.checked_sub(base_len) {
            Some(j) => format!("/{section}/extend-{key}/{j}"),
            None => format!("/{section}/{key}/{i}"),
        };
        FileError::new(
            source,
            value_span(document, &pointer),
            format!("invalid regular expression: {error}"),
        )
        .with_help(
            "patterns are regular expressions, matched case-insensitively: escape `.`, `(`, \
             `[`, `+`, `*` and `?` with `\\` to match them as written",
        )
    })
}
