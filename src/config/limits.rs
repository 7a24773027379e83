//! `limits:`: resource bounds, and the per-path opt-out of failing closed on files that
//! could not be checked.

use std::sync::Arc;

use serde::Deserialize;

use super::value_span;
use crate::document::SourceFile;
use crate::parse::ParsedDocument;
use crate::yaml_file::FileError;

/// Files larger than this are not read by default (64 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// `limits:`: how large a file doublecheck reads, and which paths may stay unchecked.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Files of a known kind larger than this (bytes) are not read: a `DC-PARSE` finding.
    pub max_file_size: u64,
    /// Globs (relative to the root) whose `DC-PARSE` / `DC-UNREADABLE` findings are notes
    /// that never fail the run: the user accepts that these files stay unchecked.
    pub allow_unchecked: globset::GlobSet,
    /// The globs as written, for messages.
    pub allow_unchecked_patterns: Vec<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            allow_unchecked: globset::GlobSet::empty(),
            allow_unchecked_patterns: Vec::new(),
        }
    }
}

impl Limits {
    /// The `allow-unchecked` pattern that matches `shown`, if any.
    pub fn allowed_unchecked(&self, shown: &str) -> Option<&str> {
        let index = self.allow_unchecked.matches(shown).into_iter().min()?;
        self.allow_unchecked_patterns.get(index).map(String::as_str)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawLimits {
    max_file_size: Option<serde_json::Value>,
    #[serde(default)]
    allow_unchecked: Vec<String>,
}

pub(super) fn read(
    raw: RawLimits,
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
) -> Result<Limits, FileError> {
    let mut limits = Limits::default();
    if let Some(size) = &raw.max_file_size {
        limits.max_file_size = parse_size(size).ok_or_else(|| {
            FileError::new(
                source,
                value_span(document, "/limits/max-file-size"),
                "invalid size: write a number of bytes or a number with KiB, MiB or GiB",
            )
            .with_help("for example `64 MiB`, `512 KiB` or `1048576`; at least 1 byte")
        })?;
    }
    let mut set = globset::GlobSetBuilder::new();
    for (i, pattern) in raw.allow_unchecked.iter().enumerate() {
        let glob = globset::GlobBuilder::new(pattern.trim_start_matches("./"))
            .literal_separator(true)
            .build()
            .map_err(|e| {
                FileError::new(
                    source,
                    value_span(document, &format!("/limits/allow-unchecked/{i}")),
                    format!("invalid glob: {e}"),
                )
                .with_help(super::GLOB_HELP)
            })?;
        set.add(glob);
    }
    limits.allow_unchecked = set.build().map_err(|e| {
        FileError::new(
            source,
            value_span(document, "/limits/allow-unchecked"),
            format!("invalid glob: {e}"),
        )
        .with_help(super::GLOB_HELP)
    })?;
    limits.allow_unchecked_patterns = raw.allow_unchecked;
    Ok(limits)
}

/// `1048576`, `"1048576"`, `"512 KiB"`, `"64 MiB"`, `"1 GiB"` (also KB/MB/GB, read as
/// binary units) → bytes; at least 1.
fn parse_size(value: &serde_json::Value) -> Option<u64> {
    if let Some(n) = value.as_u64() {
        return (n > 0).then_some(n);
    }
    let text = value.as_str()?.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..digits].parse().ok()?;
    let unit: u64 = match text[digits..].trim() {
        "" | "B" => 1,
        "KiB" | "KB" | "K" => 1 << 10,
        "MiB" | "MB" | "M" => 1 << 20,
        "GiB" | "GB" | "G" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(unit).filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::config::tests::load_text;

    #[test]
    fn sizes_in_bytes_and_binary_units() {
        let size = |v: serde_json::Value| parse_size(&v);
        assert_eq!(size(serde_json::json!(1000)), Some(1000));
        assert_eq!(size(serde_json::json!("64 MiB")), Some(64 << 20));
        assert_eq!(size(serde_json::json!("512KiB")), Some(512 << 10));
        assert_eq!(size(serde_json::json!("1 GB")), Some(1 << 30));
        assert_eq!(size(serde_json::json!("0")), None);
        assert_eq!(size(serde_json::json!("12 parsecs")), None);
        assert_eq!(size(serde_json::json!("99999999999999 GiB")), None);
    }

    #[test]
    fn limits_section_is_read() {
        let config = load_text(
            "limits:\n  max-file-size: 2 MiB\n  allow-unchecked: ['vendor/**', './legacy/*.xml']\n",
        )
        .expect("valid");
        assert_eq!(config.limits.max_file_size, 2 << 20);
        assert_eq!(
            config.limits.allowed_unchecked("vendor/a/b.yaml"),
            Some("vendor/**")
        );
        assert_eq!(
            config.limits.allowed_unchecked("legacy/x.xml"),
            Some("./legacy/*.xml")
        );
        assert_eq!(config.limits.allowed_unchecked("legacy/sub/x.xml"), None);
        assert_eq!(Config::default().limits.max_file_size, 64 << 20);
    }

    #[test]
    fn limits_mistakes_are_located() {
        let position = |e: &FileError| {
            let p = e.source.position(e.span.start);
            (p.line, p.column)
        };
        let errors = load_text("limits:\n  max-file-size: 64 parsecs\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 18));
        let errors = load_text("limits:\n  allow-unchecked: ['a/[']\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 21));
        let errors = load_text("limits:\n  max-size: 1\n").expect_err("invalid");
        assert_eq!(position(&errors[0]), (2, 3));
    }
}
