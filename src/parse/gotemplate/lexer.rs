//! Splits a Go template into text and actions, and an action into tokens. Trim markers
//! (`{{-`, `-}}`) shorten the neighbouring text here, so the parser sees only what is output.

use super::TemplateError;
use crate::document::Span;

/// A piece of the template: text that is output as it is, or an action's tokens.
#[derive(Debug)]
pub enum Item {
    Text(Span),
    Action { span: Span, tokens: Vec<Token> },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// `.` alone.
    Dot,
    /// `.Name`, a field of what precedes it (when adjacent) or of the dot.
    Field(String),
    /// `$` or `$name`, without the `$`.
    Var(String),
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    LParen,
    RParen,
    Pipe,
    Declare,
    Assign,
    Comma,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// The template's items, in order.
pub fn items(text: &str) -> Result<Vec<Item>, TemplateError> {
    let mut items = Vec::new();
    let mut at = 0;
    let mut trim_next = false;
    while at <= text.len() {
        let open = text[at..].find("{{").map(|i| at + i);
        let text_end = open.unwrap_or(text.len());
        let mut start = at;
        if trim_next {
            start += leading_space(&text[at..text_end]);
        }
        let Some(open) = open else {
            push_text(&mut items, start, text_end);
            break;
        };
        let trim_before = text[open + 2..].starts_with('-')
            && text[open + 3..].starts_with(|c: char| c.is_ascii_whitespace());
        let end_of_text = if trim_before {
            start + text[start..text_end].trim_end_matches(is_space).len()
        } else {
            text_end
        };
        push_text(&mut items, start, end_of_text);
        let inner_start = open + if trim_before { 3 } else { 2 };
        let (inner_end, close_end, trim_after) = close_of(text, open, inner_start)?;
        let span = Span::new(open, close_end);
        let inner = &text[inner_start..inner_end];
        if !is_comment(inner) {
            let tokens = tokens(text, inner_start, inner_end)?;
            items.push(Item::Action { span, tokens });
        }
        trim_next = trim_after;
        at = close_end;
        if at == text.len() {
            break;
        }
    }
    Ok(items)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn leading_space(text: &str) -> usize {
    text.len() - text.trim_start_matches(is_space).len()
}

fn push_text(items: &mut Vec<Item>, start: usize, end: usize) {
    if end > start {
        items.push(Item::Text(Span::new(start, end)));
    }
}

fn is_comment(inner: &str) -> bool {
    let inner = inner.trim_matches(is_space);
    inner.starts_with("/*") && inner.ends_with("*/") && inner.len() >= 4
}

/// Where the action opened at `open` ends: the end of its content, the end of `}}`, and
/// whether it trims the text after it. Quoted strings may hold `}}`; a comment may too.
fn close_of(
    text: &str,
    open: usize,
    inner_start: usize,
) -> Result<(usize, usize, bool), TemplateError> {
    let bytes = text.as_bytes();
    let unclosed = || {
        TemplateError::new(
            Span::new(open, open + 2),
            "an action `{{` is never closed with `}}`",
        )
    };
    let mut i = inner_start;
    let comment = text[inner_start..]
        .trim_start_matches(is_space)
        .starts_with("/*");
    if comment {
        let from = text[inner_start..]
            .find("/*")
            .map_or(inner_start, |o| inner_start + o + 2);
        let end = text[from..].find("*/").ok_or_else(unclosed)? + from + 2;
        i = end;
    }
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' | b'`' if !comment => i = skip_quoted(text, i).ok_or_else(unclosed)?,
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                let trim_after = i >= 2
                    && bytes[i - 1] == b'-'
                    && is_space(bytes[i - 2] as char)
                    && i > inner_start;
                let inner_end = if trim_after { i - 1 } else { i };
                return Ok((inner_end, i + 2, trim_after));
            }
            _ => i += 1,
        }
    }
    Err(unclosed())
}

/// The offset just past the quoted literal starting at `start`, if it is closed.
fn skip_quoted(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote != b'`' => i += 2,
            b'\n' if quote != b'`' => return None,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn tokens(text: &str, start: usize, end: usize) -> Result<Vec<Token>, TemplateError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        let c = bytes[i];
        let from = i;
        let tok = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'(' => {
                i += 1;
                Tok::LParen
            }
            b')' => {
                i += 1;
                Tok::RParen
            }
            b'|' => {
                i += 1;
                Tok::Pipe
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            b'=' => {
                i += 1;
                Tok::Assign
            }
            b':' if bytes.get(i + 1) == Some(&b'=') => {
                i += 2;
                Tok::Declare
            }
            b'"' | b'`' | b'\'' => {
                let close = skip_quoted(text, i).filter(|c| *c <= end).ok_or_else(|| {
                    TemplateError::new(Span::new(i, i + 1), "a quoted string is never closed")
                })?;
                i = close;
                let raw = &text[from..close];
                match c {
                    b'`' => Tok::Str(raw[1..raw.len() - 1].to_owned()),
                    b'"' => Tok::Str(unescape(&raw[1..raw.len() - 1])),
                    _ => {
                        let inner = unescape(&raw[1..raw.len() - 1]);
                        Tok::Int(inner.chars().next().map_or(0, |c| i64::from(u32::from(c))))
                    }
                }
            }
            b'.' if bytes
                .get(i + 1)
                .is_some_and(|b| is_word(*b) && !b.is_ascii_digit()) =>
            {
                i += 1;
                let word_end = word_end(bytes, i, end);
                let name = text[i..word_end].to_owned();
                i = word_end;
                Tok::Field(name)
            }
            b'.' if !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i += 1;
                Tok::Dot
            }
            b'$' => {
                i += 1;
                let word_end = word_end(bytes, i, end);
                let name = text[i..word_end].to_owned();
                i = word_end;
                Tok::Var(name)
            }
            b'-' | b'+' | b'.' | b'0'..=b'9' => {
                let mut j = i + 1;
                while j < end
                    && (bytes[j].is_ascii_alphanumeric()
                        || matches!(bytes[j], b'.' | b'_')
                        || (matches!(bytes[j], b'-' | b'+')
                            && matches!(bytes[j - 1], b'e' | b'E' | b'p' | b'P')))
                {
                    j += 1;
                }
                let raw = &text[i..j];
                i = j;
                number(raw).ok_or_else(|| {
                    TemplateError::new(Span::new(from, j), format!("`{raw}` is not a number"))
                })?
            }
            c if is_word(c) => {
                let word_end = word_end(bytes, i, end);
                let word = &text[i..word_end];
                i = word_end;
                Tok::Ident(word.to_owned())
            }
            _ => {
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                return Err(TemplateError::new(
                    Span::new(i, i + len),
                    format!("unexpected `{}` in an action", &text[i..i + len]),
                ));
            }
        };
        out.push(Token {
            tok,
            span: Span::new(from, i),
        });
    }
    Ok(out)
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn word_end(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && is_word(bytes[i]) {
        i += 1;
    }
    i
}

fn number(raw: &str) -> Option<Tok> {
    let clean = raw.replace('_', "");
    let (negative, digits) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let sign = if negative { -1 } else { 1 };
    let radix = |prefix: &str, radix: u32| {
        let rest = digits
            .strip_prefix(prefix)
            .or_else(|| digits.strip_prefix(&prefix.to_uppercase()))?;
        i64::from_str_radix(rest, radix)
            .ok()
            .map(|n| Tok::Int(sign * n))
    };
    if let Some(tok) = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
    {
        return Some(tok);
    }
    if let Ok(n) = digits.parse::<i64>() {
        return Some(Tok::Int(sign * n));
    }
    let value: f64 = digits.parse().ok()?;
    value
        .is_finite()
        .then_some(Tok::Float(if negative { -value } else { value }))
}

/// A Go interpreted string's escapes; an unknown escape is kept as written.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<String> {
        items(source)
            .expect("lexes")
            .into_iter()
            .map(|item| match item {
                Item::Text(span) => format!("T[{}]", &source[span.start..span.end]),
                Item::Action { span, .. } => format!("A[{}]", &source[span.start..span.end]),
            })
            .collect()
    }

    #[test]
    fn trim_markers_shorten_the_text_beside_them() {
        assert_eq!(
            texts("a: 1\n  {{- if .x }}\n  b{{ .y -}}  \n c"),
            [
                "T[a: 1]",
                "A[{{- if .x }}]",
                "T[\n  b]",
                "A[{{ .y -}}]",
                "T[c]"
            ]
        );
        assert_eq!(texts("{{/* a }} comment */}}x"), ["T[x]"]);
        assert_eq!(texts("a {{- /* c */ -}} b"), ["T[a]", "T[b]"]);
        assert_eq!(texts("{{ \"}}\" }}"), ["A[{{ \"}}\" }}]"]);
    }

    #[test]
    fn actions_are_tokens() {
        let source = "{{ $x := .Values.a | default \"b\" 1 -2 0x10 1.5 }}";
        let Item::Action { tokens, .. } = items(source).expect("lexes").remove(0) else {
            panic!("an action");
        };
        let toks: Vec<Tok> = tokens.into_iter().map(|t| t.tok).collect();
        assert_eq!(
            toks,
            [
                Tok::Var("x".into()),
                Tok::Declare,
                Tok::Field("Values".into()),
                Tok::Field("a".into()),
                Tok::Pipe,
                Tok::Ident("default".into()),
                Tok::Str("b".into()),
                Tok::Int(1),
                Tok::Int(-2),
                Tok::Int(16),
                Tok::Float(1.5),
            ]
        );
    }

    #[test]
    fn unclosed_actions_and_strings_are_errors() {
        assert!(items("a {{ .x").is_err());
        assert!(items("{{ \"a }}").is_err());
        assert!(items("{{ .x ~ }}").is_err());
    }
}
