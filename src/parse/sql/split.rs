//! The statement splitter and comment lexer of PostgreSQL migrations: one pass over the text
//! that knows where strings (`'…'`, `E'…'`), quoted identifiers (`"…"`), dollar-quoted bodies
//! (`$$…$$`, `$tag$…$tag$`), `--` comments and nested `/* */` comments begin and end, so a
//! `;` inside any of them does not end a statement. `sqlparser` stops at the first error of a
//! text, so each statement is handed to it alone.

use crate::document::Span;
use crate::parse::comments::{Comment, comment};

/// What the splitter finds: every statement (from its first token to its `;`, or to the end
/// of the text) and every comment.
#[derive(Debug, Default)]
pub struct Split {
    pub statements: Vec<Span>,
    pub comments: Vec<Comment>,
}

/// Splits `text` into statements and comments. Never fails: an unclosed string, identifier,
/// body or comment runs to the end of the text.
pub fn split(text: &str) -> Split {
    let bytes = text.as_bytes();
    let mut out = Split::default();
    let mut start: Option<usize> = None;
    // A byte-order mark opens no statement.
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'-' && bytes.get(i + 1) == Some(&b'-') {
            let end = line_end(bytes, i);
            out.comments.push(comment(i, i + 2, end, end));
            i = end;
            continue;
        }
        if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            let (body_end, end) = block_comment_end(bytes, i);
            out.comments.push(comment(i, i + 2, body_end, end));
            i = end;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        start.get_or_insert(i);
        i = match c {
            b';' => {
                if let Some(s) = start.take().filter(|&s| s < i) {
                    out.statements.push(Span::new(s, i + 1));
                }
                i + 1
            }
            b'\'' => {
                let escapes =
                    i > 0 && matches!(bytes[i - 1], b'e' | b'E') && !word_before(bytes, i - 1);
                quoted_end(bytes, i, b'\'', escapes)
            }
            b'"' => quoted_end(bytes, i, b'"', false),
            b'$' if !word_before(bytes, i) => match dollar_tag(bytes, i) {
                Some(tag_end) => dollar_body_end(bytes, i, tag_end),
                None => i + 1,
            },
            _ => i + 1,
        };
    }
    if let Some(s) = start {
        out.statements.push(Span::new(s, text.len()));
    }
    out
}

/// The end of the line holding `from` (before its `\n`).
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// Where the body of the `/* */` comment opened at `start` ends, and where the comment does:
/// PostgreSQL nests them.
fn block_comment_end(bytes: &[u8], start: usize) -> (usize, usize) {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < bytes.len() {
        if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return (i - 2, i);
            }
        } else {
            i += 1;
        }
    }
    (bytes.len(), bytes.len())
}

/// Whether the byte before `at` continues a word (so `$` there is part of an identifier such
/// as `a$b`, and a quote after `e` is not an escape string's).
fn word_before(bytes: &[u8], at: usize) -> bool {
    at > 0
        && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] >= 0x80)
}

/// The byte after a string or quoted identifier opened at `start`; a doubled quote stands
/// for itself, and in an escape string (`E'…'`) a backslash escapes the next byte.
fn quoted_end(bytes: &[u8], start: usize, quote: u8, escapes: bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        let c = bytes[i];
        if escapes && c == b'\\' {
            i += 2;
        } else if c == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// When a dollar quote's opening tag (`$$`, `$body$`) starts at `start`, the byte after it. A
/// parameter (`$1`) is not a tag.
fn dollar_tag(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if let Some(&c) = bytes.get(i)
        && !(c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 || c == b'$')
    {
        return None;
    }
    while let Some(&c) = bytes.get(i) {
        if c == b'$' {
            return Some(i + 1);
        }
        if !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80) {
            return None;
        }
        i += 1;
    }
    None
}

/// The byte after the dollar-quoted body whose opening tag is `bytes[start..tag_end]`.
fn dollar_body_end(bytes: &[u8], start: usize, tag_end: usize) -> usize {
    let tag = &bytes[start..tag_end];
    let body = &bytes[tag_end..];
    body.windows(tag.len())
        .position(|w| w == tag)
        .map_or(bytes.len(), |p| tag_end + p + tag.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(text: &str) -> Vec<&str> {
        split(text)
            .statements
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn semicolons_inside_strings_bodies_and_comments_do_not_split() {
        let text = "create table a (x text default 'a;b'); -- one; two\n\
                    /* a /* nested; */ comment; */ create function f() returns void as $body$ begin; end $body$ language plpgsql;\n\
                    do $$ begin raise notice 'x;'; end $$;\n\
                    select \"we;ird\" from t";
        assert_eq!(
            statements(text),
            [
                "create table a (x text default 'a;b');",
                "create function f() returns void as $body$ begin; end $body$ language plpgsql;",
                "do $$ begin raise notice 'x;'; end $$;",
                "select \"we;ird\" from t"
            ]
        );
        let comments = split(text).comments;
        assert_eq!(comments.len(), 2);
        assert_eq!(
            &text[comments[0].body.start..comments[0].body.end],
            " one; two"
        );
        assert_eq!(
            &text[comments[1].span.start..comments[1].span.end],
            "/* a /* nested; */ comment; */"
        );
    }

    #[test]
    fn escape_strings_parameters_and_identifiers_with_dollars() {
        let text = "select E'it\\'s;'; select $1; select a$b$ from t; select 'x'";
        assert_eq!(
            statements(text),
            [
                "select E'it\\'s;';",
                "select $1;",
                "select a$b$ from t;",
                "select 'x'"
            ]
        );
    }

    #[test]
    fn unclosed_things_run_to_the_end() {
        for text in [
            "select 'a;",
            "select $$ a;",
            "/* a; ",
            "select \"a;",
            "$",
            "E'\\",
        ] {
            let split = split(text);
            assert!(split.statements.len() <= 1, "{text:?}");
            for s in split.statements {
                assert!(s.end <= text.len());
            }
        }
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_are_not_part_of_a_statement() {
        let text = "\u{feff}create table a (id int);\r\ncreate table b (id int);\r\n";
        assert_eq!(
            statements(text),
            ["create table a (id int);", "create table b (id int);"]
        );
    }

    #[test]
    fn empty_statements_and_comment_only_text_give_nothing() {
        assert!(statements(" -- only\n;;").is_empty());
        assert!(statements("-- only a comment\n/* and */").is_empty());
    }
}
