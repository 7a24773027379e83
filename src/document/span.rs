//! Byte ranges and their conversion to 1-based line and column.

use serde::Serialize;

/// A half-open byte range into a source file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A point in a file as users see it: 1-based line, 1-based column counted in Unicode
/// scalar values (SARIF `columnKind: unicodeCodePoints`), and the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub byte: usize,
}

/// Start offsets of every line, computed once per file, so that any number of spans
/// can be resolved without rescanning the text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// A UTF-8 byte order mark is invisible in editors, so it does not count as a column.
    bom_len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        // A lone `\r` is not a line break for any of our formats' users' editors we care
        // about (YAML, JSON and XML all normalise CRLF to LF); `\n` ends every line.
        line_starts.extend(memchr_newlines(text));
        let bom_len = if text.starts_with('\u{feff}') { 3 } else { 0 };
        LineIndex {
            line_starts,
            bom_len,
        }
    }

    /// Resolves a byte offset (clamped to the text) to a position.
    pub fn position(&self, text: &str, byte: usize) -> Position {
        let byte = floor_char_boundary(text, byte.min(text.len()));
        let line_idx = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut line_start = self.line_starts[line_idx];
        if line_idx == 0 {
            line_start = line_start.max(self.bom_len.min(byte));
        }
        let column = text[line_start..byte].chars().count() + 1;
        Position {
            line: line_idx + 1,
            column,
            byte,
        }
    }

    /// Lines in the text (a final line break starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of the line (1-based) without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> Span {
        let start = self.line_starts[line.saturating_sub(1).min(self.line_starts.len() - 1)];
        let mut end = self
            .line_starts
            .get(line)
            .map(|next| next - 1)
            .unwrap_or(text.len());
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Span::new(start, end.max(start))
    }
}

/// Where each line after a `\n` starts.
fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)
}

fn floor_char_boundary(text: &str, mut byte: usize) -> usize {
    while byte > 0 && !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(text: &str, byte: usize) -> (usize, usize) {
        let p = LineIndex::new(text).position(text, byte);
        (p.line, p.column)
    }

    #[test]
    fn first_line_and_later_lines() {
        let text = "ab\ncd\n";
        assert_eq!(pos(text, 0), (1, 1));
        assert_eq!(pos(text, 1), (1, 2));
        assert_eq!(pos(text, 3), (2, 1));
        assert_eq!(pos(text, 4), (2, 2));
    }

    #[test]
    fn crlf_counts_one_line_per_pair() {
        let text = "a: 1\r\nb: 2\r\n";
        assert_eq!(pos(text, 6), (2, 1));
        assert_eq!(pos(text, 9), (2, 4));
        let index = LineIndex::new(text);
        assert_eq!(index.line_range(text, 1), Span::new(0, 4));
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}key: v";
        assert_eq!(pos(text, 3), (1, 1));
        assert_eq!(pos(text, 8), (1, 6));
    }

    #[test]
    fn multibyte_characters_count_once() {
        let text = "名前: 値\nx";
        // "値" starts after "名前: " = 3 chars, 8 bytes.
        assert_eq!(pos(text, 8), (1, 5));
        assert_eq!(pos(text, 12), (2, 1));
    }

    #[test]
    fn offsets_inside_a_character_round_down() {
        let text = "é";
        assert_eq!(pos(text, 1), (1, 1));
        assert_eq!(pos(text, 99), (1, 2));
    }
}
