//! What comment lexers share: the [`Comment`] they find, and the lexing of comment openers
//! outside string literals or outside the string spans a parser recorded. Each format's own
//! lexer is in its folder.

use std::collections::HashMap;

use super::ParsedDocument;
use crate::document::Span;

/// A comment: where it is, where its text is (without the delimiters), and whether it
/// stands on its own line (nothing but spaces before it; set by whoever needs to know).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub body: Span,
    pub own_line: bool,
}

pub fn comment(start: usize, body_start: usize, body_end: usize, end: usize) -> Comment {
    Comment {
        span: Span::new(start, end),
        body: Span::new(body_start, body_end),
        own_line: false,
    }
}

/// `//` and `/* */` comments of a language whose strings are quoted with `quote` (and `\`
/// escapes), optionally also `"` strings.
pub fn c_like_comments(text: &str, quote: char, double_too: bool) -> Vec<Comment> {
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

pub fn line_end(text: &str, from: usize) -> usize {
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
pub struct Strings {
    ranges: Vec<(usize, usize)>,
}

impl Strings {
    /// `yaml_quotes`: end quoted scalars at their closing quote (see [`quoted_end`]).
    pub fn of(text: &str, parsed: &[ParsedDocument], yaml_quotes: bool) -> Self {
        let mut ranges = Vec::new();
        for document in parsed {
            // A tagged scalar's quotes open past its tag (`!Ref "x"`): its tag and its
            // content are ranges of their own.
            let tagged: HashMap<&str, Span> = document
                .tags
                .iter()
                .map(|tag| (tag.pointer.as_str(), tag.content))
                .collect();
            ranges.extend(
                document
                    .tags
                    .iter()
                    .map(|tag| (tag.span.start, tag.span.end)),
            );
            for (pointer, spans) in document.spans.iter() {
                if let Some(key) = spans.key {
                    ranges.push((key.start, key.end));
                }
                let leaf = document
                    .value
                    .pointer(pointer)
                    .is_some_and(|v| !v.is_object() && !v.is_array());
                let value = tagged.get(pointer).copied().unwrap_or(spans.value);
                if leaf && yaml_quotes {
                    ranges.push(quoted_end(text, value.start, value.end));
                } else if leaf {
                    ranges.push((value.start, value.end));
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
    // A node's span starts at its properties (`&anchor`, `!tag`), before the quote.
    let mut open = start;
    while open < end && matches!(bytes[open], b'&' | b'!') {
        while open < end && !bytes[open].is_ascii_whitespace() {
            open += 1;
        }
        while open < end && bytes[open].is_ascii_whitespace() {
            open += 1;
        }
    }
    match bytes.get(open) {
        Some(&q @ (b'"' | b'\'')) if open < end => {
            let mut i = open + 1;
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
pub fn outside_strings(text: &str, strings: &Strings, hcl: bool) -> Vec<Comment> {
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
