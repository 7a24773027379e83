//! CODEOWNERS comments: `#` at the start of a line or of a token, as the parser reads it.

use crate::parse::comments::{Comment, comment, line_end};

/// CODEOWNERS: `#` at the start of a line or of a token (after spaces) up to the line end;
/// `\#` inside a pattern is an escaped character.
pub fn comments(text: &str) -> Vec<Comment> {
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
