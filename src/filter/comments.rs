//! Finds the comments of a file that hold a `doublecheck:ignore` marker, format by format, so
//! a marker inside a string value never counts.
//!
//! - XML: roxmltree's comment nodes (exact).
//! - JSON with comments, Apex: a small lexer that skips string literals (`"…"`, `'…'`).
//! - YAML, HCL: openers (`#`; HCL also `//` and `/* … */`) outside every scalar, key and
//!   label span the parser recorded, so quoted, plain, block and heredoc strings and HCL
//!   expressions kept as text never count.
//! - CODEOWNERS: `#` at the start of a line or of a token, as the parser reads it.

use crate::document::Span;
use crate::parse::{Format, ParsedDocument};

/// The text that makes a comment a suppression.
pub const MARKER: &str = "doublecheck:ignore";

/// A comment holding the marker: where it is, where its text is (without the delimiters),
/// and whether it stands on its own line (nothing but spaces before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub body: Span,
    pub own_line: bool,
}

/// The comments of `text` that hold [`MARKER`]; `parsed` are the file's documents (for the
/// spans of string values). Cheap when the marker is absent, as in most files.
pub fn marked_comments(format: Format, text: &str, parsed: &[ParsedDocument]) -> Vec<Comment> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let comments = match format.for_text(text) {
        Format::Xml | Format::Visualforce => xml_comments(text),
        Format::Json => c_like_comments(text, '"', true),
        Format::ApexClass | Format::ApexAnonymous => c_like_comments(text, '\'', true),
        Format::Yaml => {
            let strings = Strings::of(text, parsed, true);
            outside_strings(text, &strings, false)
        }
        Format::Hcl => {
            let strings = Strings::of(text, parsed, false);
            outside_strings(text, &strings, true)
        }
        Format::Codeowners => codeowners_comments(text),
        Format::FileName | Format::JsonOrYaml => Vec::new(),
    };
    comments
        .into_iter()
        .filter(|c| text[c.body.start..c.body.end].contains(MARKER))
        .map(|c| Comment {
            own_line: own_line(text, c.span.start),
            ..c
        })
        .collect()
}

/// Whether only spaces stand between the line's start and `at`.
fn own_line(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at]
        .trim_start_matches('\u{feff}')
        .chars()
        .all(|c| c == ' ' || c == '\t')
}

fn comment(start: usize, body_start: usize, body_end: usize, end: usize) -> Comment {
    Comment {
        span: Span::new(start, end),
        body: Span::new(body_start, body_end),
        own_line: false,
    }
}

fn xml_comments(text: &str) -> Vec<Comment> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(tree) = roxmltree::Document::parse_with_options(text, options) else {
        return Vec::new();
    };
    tree.descendants()
        .filter(|n| n.is_comment())
        .map(|n| {
            let range = n.range();
            let body_start = (range.start + "<!--".len()).min(range.end);
            let body_end = range.end.saturating_sub("-->".len()).max(body_start);
            comment(range.start, body_start, body_end, range.end)
        })
        .collect()
}

/// `//` and `/* */` comments of a language whose strings are quoted with `quote` (and `\`
/// escapes), optionally also `"` strings.
fn c_like_comments(text: &str, quote: char, double_too: bool) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == quote as u8 || (double_too && c == b'"') {
            i = string_end(bytes, i, c);
        } else if bytes[i..].starts_with(b"//") {
            let end = line_end(text, i);
            out.push(comment(i, i + 2, end, end));
            i = end;
        } else if bytes[i..].starts_with(b"/*") {
            let (body_end, end) = block_end(text, i + 2);
            out.push(comment(i, i + 2, body_end, end));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The byte after the string literal opened at `start` (or the line's end if unclosed).
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn line_end(text: &str, from: usize) -> usize {
    text[from..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| from + i)
}

/// (end of the body, end of the comment) of a `/* */` comment whose body starts at `from`.
fn block_end(text: &str, from: usize) -> (usize, usize) {
    match text[from..].find("*/") {
        Some(i) => (from + i, from + i + 2),
        None => (text.len(), text.len()),
    }
}

/// Sorted, merged byte ranges of every scalar value, key and label in the documents.
struct Strings {
    ranges: Vec<(usize, usize)>,
}

impl Strings {
    /// `yaml_quotes`: end quoted scalars at their closing quote (see [`quoted_end`]).
    fn of(text: &str, parsed: &[ParsedDocument], yaml_quotes: bool) -> Self {
        let mut ranges = Vec::new();
        for document in parsed {
            for (pointer, spans) in document.spans.iter() {
                if let Some(key) = spans.key {
                    ranges.push((key.start, key.end));
                }
                let leaf = document
                    .value
                    .pointer(pointer)
                    .is_some_and(|v| !v.is_object() && !v.is_array());
                if leaf && yaml_quotes {
                    ranges.push(quoted_end(text, spans.value.start, spans.value.end));
                } else if leaf {
                    ranges.push((spans.value.start, spans.value.end));
                }
            }
        }
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Strings { ranges: merged }
    }

    /// Whether `at` lies strictly inside a range (a range's first byte is the opening
    /// quote or the value itself, so an opener there is part of it too).
    fn contains(&self, at: usize) -> bool {
        let i = self.ranges.partition_point(|(start, _)| *start <= at);
        i > 0 && at < self.ranges[i - 1].1
    }
}

/// A YAML parser span of a double-quoted scalar can run on over a trailing comment: a
/// range that opens with a quote ends at its closing quote.
fn quoted_end(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    match bytes.get(start) {
        Some(&q @ (b'"' | b'\'')) => {
            let mut i = start + 1;
            while i < end {
                match bytes[i] {
                    b'\\' if q == b'"' => i += 2,
                    b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    c if c == q => return (start, i + 1),
                    _ => i += 1,
                }
            }
            (start, end)
        }
        _ => (start, end),
    }
}

/// Comments of YAML (`#` after a space or at a line's start) or HCL (`#`, `//`, `/* */`)
/// whose opener lies outside every string the parser saw.
fn outside_strings(text: &str, strings: &Strings, hcl: bool) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let opener = match c {
            b'#' if hcl || i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') => 1,
            b'/' if hcl && matches!(bytes.get(i + 1), Some(b'/' | b'*')) => 2,
            _ => 0,
        };
        if opener == 0 || strings.contains(i) {
            i += 1;
            continue;
        }
        if bytes[i..].starts_with(b"/*") {
            let (body_end, end) = block_end(text, i + 2);
            out.push(comment(i, i + 2, body_end, end));
            i = end;
        } else {
            let end = line_end(text, i);
            out.push(comment(i, i + opener, end, end));
            i = end;
        }
    }
    out
}

/// CODEOWNERS: `#` at the start of a line or of a token (after spaces) up to the line end;
/// `\#` inside a pattern is an escaped character.
fn codeowners_comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut token_start = true;
        let mut escaped = false;
        for (at, c) in line.char_indices() {
            if escaped {
                escaped = false;
            } else if c == '#' && token_start {
                let start = line_start + at;
                let end = line_end(text, start);
                out.push(comment(start, start + 1, end, end));
                break;
            } else if c == '\\' {
                escaped = true;
            }
            token_start = c.is_whitespace() || c == '\u{feff}';
        }
        line_start += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SourceFile;
    use crate::parse::parse;

    /// The bodies of the marked comments of `text` read as `format`, with their own-line flag.
    fn bodies(format: Format, text: &str) -> Vec<(String, bool)> {
        let source = SourceFile::new("t", text.to_owned());
        let parsed = parse(format, &source).expect("the sample parses");
        marked_comments(format, text, &parsed)
            .into_iter()
            .map(|c| (text[c.body.start..c.body.end].trim().to_owned(), c.own_line))
            .collect()
    }

    fn one(body: &str, own_line: bool) -> Vec<(String, bool)> {
        vec![(body.to_owned(), own_line)]
    }

    #[test]
    fn files_without_the_marker_cost_nothing() {
        assert!(marked_comments(Format::Yaml, "a: 1 # hi\n", &[]).is_empty());
    }

    #[test]
    fn yaml_comments_but_not_strings() {
        let text = "a: \"doublecheck:ignore X\"  # doublecheck:ignore A reason=\"r # s\"\n\
                    # doublecheck:ignore B\n\
                    b: 'x # doublecheck:ignore C'\n\
                    c: plain#doublecheck:ignore D\n\
                    d: |\n  # doublecheck:ignore E\n  more\n\
                    e: [\"# doublecheck:ignore F\"]\n";
        assert_eq!(
            bodies(Format::Yaml, text),
            [
                ("doublecheck:ignore A reason=\"r # s\"".to_owned(), false),
                ("doublecheck:ignore B".to_owned(), true),
            ]
        );
    }

    #[test]
    fn hcl_hash_slashes_and_blocks_but_not_strings_or_heredocs() {
        let text = "resource \"a\" \"b\" {\n\
                    \x20 source = \"git::https://x/#doublecheck:ignore S\" // doublecheck:ignore A\n\
                    \x20 # doublecheck:ignore B\n\
                    \x20 acl = \"x\" /* doublecheck:ignore C */\n\
                    \x20 policy = <<EOT\n# doublecheck:ignore H\nEOT\n\
                    \x20 expr = format(\"// doublecheck:ignore F\", var.x)\n\
                    }\n";
        assert_eq!(
            bodies(Format::Hcl, text),
            [
                ("doublecheck:ignore A".to_owned(), false),
                ("doublecheck:ignore B".to_owned(), true),
                ("doublecheck:ignore C".to_owned(), false),
            ]
        );
    }

    #[test]
    fn xml_comment_nodes_only() {
        let text = "<Profile>\n  <!-- doublecheck:ignore A reason=\"r\" -->\n  <description>&lt;!-- doublecheck:ignore B --&gt;</description>\n  <label><![CDATA[<!-- doublecheck:ignore C -->]]></label>\n</Profile>\n";
        assert_eq!(
            bodies(Format::Xml, text),
            one("doublecheck:ignore A reason=\"r\"", true)
        );
    }

    #[test]
    fn json_and_apex_comments_skip_strings() {
        let json = "{\n  \"a\": \"// doublecheck:ignore S\", // doublecheck:ignore A\n  /* doublecheck:ignore B */ \"b\": 1\n}\n";
        assert_eq!(
            bodies(Format::Json, json),
            [
                ("doublecheck:ignore A".to_owned(), false),
                ("doublecheck:ignore B".to_owned(), true),
            ]
        );
        let apex = "public class A {\n  String s = '// doublecheck:ignore S \\' x';\n  // doublecheck:ignore B\n}\n";
        assert_eq!(
            bodies(Format::ApexClass, apex),
            one("doublecheck:ignore B", true)
        );
    }

    #[test]
    fn codeowners_comments_start_a_token() {
        let text = "docs/\\#doublecheck:ignore @a\n* @b # doublecheck:ignore A\n";
        assert_eq!(
            bodies(Format::Codeowners, text),
            one("doublecheck:ignore A", false)
        );
    }
}
