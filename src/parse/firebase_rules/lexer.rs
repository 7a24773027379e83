//! Tokens of the Security Rules language, lexed on demand: a `match` path is read raw (its
//! `{var=**}` wildcards are not tokens), everything else as identifiers, numbers, string
//! literals (either quote) and punctuation, with `//` and `/* */` comments skipped.

use crate::document::Span;
use crate::parse::ParseError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ident,
    Number,
    /// A string literal, quotes included in its span.
    Str,
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub span: Span,
}

impl Token<'_> {
    pub fn is(&self, text: &str) -> bool {
        self.kind != Kind::Str && self.text == text
    }
}

/// Operators of two characters; every other punctuation character is a token alone.
/// `==`, `!=`, `<=`, `>=`, `&&`, `||` at the start of `rest` (asked for every punctuation
/// token, so a match on two bytes rather than six string comparisons).
fn is_two_char_operator(rest: &[u8]) -> bool {
    matches!(
        rest,
        [b'=' | b'!' | b'<' | b'>', b'=', ..] | [b'&', b'&', ..] | [b'|', b'|', ..]
    )
}

pub struct Lexer<'a> {
    pub text: &'a str,
    pub pos: usize,
    /// The last token [`Lexer::peek`] read, and the position it was read from: the parser
    /// peeks at most tokens before taking them.
    peeked: Option<(usize, Token<'a>)>,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str, pos: usize) -> Self {
        Lexer {
            text,
            pos,
            peeked: None,
        }
    }

    /// Moves past whitespace and comments; an unclosed `/*` is an error at its opener.
    pub fn skip_trivia(&mut self) -> Result<(), ParseError> {
        let bytes = self.text.as_bytes();
        loop {
            while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
            let rest = &bytes[self.pos..];
            if rest.starts_with(b"//") {
                self.pos = self.text[self.pos..]
                    .find('\n')
                    .map_or(self.text.len(), |i| self.pos + i);
            } else if rest.starts_with(b"/*") {
                match self.text[self.pos + 2..].find("*/") {
                    Some(i) => self.pos += 2 + i + 2,
                    None => {
                        return Err(ParseError::new(
                            "unclosed `/*` comment",
                            Span::new(self.pos, self.pos + 2),
                        ));
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    /// The next token without consuming it; `None` at the end of the text.
    pub fn peek(&mut self) -> Result<Option<Token<'a>>, ParseError> {
        // Peeked from here, or from the blanks before it (which that peek skipped).
        if let Some((from, token)) = self.peeked
            && (from == self.pos || token.span.start == self.pos)
        {
            self.pos = token.span.start;
            return Ok(Some(token));
        }
        let from = self.pos;
        let token = self.read_token()?;
        if let Some(token) = token {
            self.peeked = Some((from, token));
        }
        Ok(token)
    }

    /// The token at the current position, past blanks and comments (which it skips).
    fn read_token(&mut self) -> Result<Option<Token<'a>>, ParseError> {
        self.skip_trivia()?;
        let start = self.pos;
        let text = self.text;
        let Some(c) = text[start..].chars().next() else {
            return Ok(None);
        };
        let (kind, end) = if c.is_ascii_alphabetic() || c == '_' {
            let len = text[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(text.len() - start);
            (Kind::Ident, start + len)
        } else if c.is_ascii_digit() {
            let len = text[start..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(text.len() - start);
            (Kind::Number, start + len)
        } else if c == '\'' || c == '"' {
            (Kind::Str, string_end(text, start, c)?)
        } else if is_two_char_operator(&text.as_bytes()[start..]) {
            (Kind::Punct, start + 2)
        } else {
            (Kind::Punct, start + c.len_utf8())
        };
        Ok(Some(Token {
            kind,
            text: &text[start..end],
            span: Span::new(start, end),
        }))
    }

    /// The next token, consumed.
    pub fn next(&mut self) -> Result<Option<Token<'a>>, ParseError> {
        let token = self.peek()?;
        if let Some(token) = token {
            self.pos = token.span.end;
        }
        Ok(token)
    }

    /// A `match` path, read raw from the next non-blank character: `/` then segments, where
    /// a `{` right after a `/` opens a wildcard closed by `}`; it ends at a blank or at a
    /// `{` anywhere else (the block). An empty path is `None`.
    pub fn path(&mut self) -> Result<Option<Token<'a>>, ParseError> {
        self.skip_trivia()?;
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'{' if i > start && bytes[i - 1] == b'/' => {
                    let close = self.text[i + 1..]
                        .find(|c: char| c == '}' || c == '{' || c.is_ascii_whitespace());
                    match close {
                        Some(close) if bytes[i + 1 + close] == b'}' => i += close + 2,
                        _ => {
                            return Err(ParseError::new(
                                "unclosed `{` in a match path",
                                Span::new(i, i + 1),
                            ));
                        }
                    }
                }
                b'{' | b';' | b'}' => break,
                c if c.is_ascii_whitespace() => break,
                _ => i += 1,
            }
        }
        // Stop on a character boundary (the loop steps bytes; only ASCII ends a path).
        while !self.text.is_char_boundary(i) {
            i += 1;
        }
        self.pos = i;
        Ok((i > start).then(|| Token {
            kind: Kind::Punct,
            text: &self.text[start..i],
            span: Span::new(start, i),
        }))
    }
}

/// The byte after the string literal opened by `quote` at `start`; `\` escapes the next
/// character. A string left open at the end of its line is an error at its opening quote.
fn string_end(text: &str, start: usize, quote: char) -> Result<usize, ParseError> {
    let mut chars = text[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '\n' => break,
            c if c == quote => return Ok(start + 1 + i + 1),
            _ => {}
        }
    }
    Err(ParseError::new(
        "unclosed string literal",
        Span::new(start, start + 1),
    ))
}
