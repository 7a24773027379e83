//! Reading an object literal to JSON with a span for every key and value.

use serde_json::{Map, Number, Value};

use super::super::{ParseError, ParsedDocument};
use super::scan::{
    balanced_end, is_identifier_byte, quoted_end, skip_comment_or_string, skip_trivia, template_end,
};
use crate::document::{NodeSpans, Span, SpanTable, child_pointer, index_pointer};

/// Nesting deeper than this is an error, as in every other format.
const MAX_DEPTH: usize = 512;

/// A value read with the spans of its nodes, pointers relative to it.
pub struct Located {
    value: Value,
    spans: Vec<(String, NodeSpans)>,
}

impl Located {
    /// The node at `pointer` as a document of its own.
    pub fn below(self, pointer: &str) -> ParsedDocument {
        let value = self.value.pointer(pointer).cloned().unwrap_or(Value::Null);
        let mut table = SpanTable::with_capacity(self.spans.len());
        for (at, spans) in self.spans {
            if let Some(rest) = at.strip_prefix(pointer)
                && (rest.is_empty() || rest.starts_with('/'))
            {
                let spans = if rest.is_empty() {
                    NodeSpans {
                        key: None,
                        value: spans.value,
                    }
                } else {
                    spans
                };
                table.insert(rest.to_owned(), spans);
            }
        }
        ParsedDocument::new(value, table)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.value.get(key)
    }

    pub fn value(&self) -> &Value {
        &self.value
    }
}

/// Reads one value at a position of the text.
pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    spans: Vec<(String, NodeSpans)>,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str, at: usize) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            at,
            spans: Vec::new(),
        }
    }

    pub fn read_value(&mut self) -> Result<Located, ParseError> {
        let value = self.value(String::new(), None, 0)?;
        Ok(Located {
            value,
            spans: std::mem::take(&mut self.spans),
        })
    }

    fn error(&self, message: &str) -> ParseError {
        let at = self.at.min(self.text.len());
        let end = self.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        ParseError::new(message, Span::new(at, end))
    }

    /// The text between the quote at `start` and the reader, which is past the closing
    /// quote, or at the line end or the file end of a string never closed (then nothing is
    /// cut off its end: the last character may be longer than a byte).
    fn inside_quotes(&self, start: usize) -> &'a str {
        let quote = self.bytes[start];
        let closed = self.at > start + 1 && self.bytes.get(self.at - 1) == Some(&quote);
        let end = if closed { self.at - 1 } else { self.at };
        self.text.get(start + 1..end).unwrap_or_default()
    }

    fn skip(&mut self) {
        self.at = skip_trivia(self.bytes, self.at);
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn value(
        &mut self,
        pointer: String,
        key: Option<Span>,
        depth: usize,
    ) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting deeper than 512 levels"));
        }
        self.skip();
        let start = self.at;
        let value = match self.peek() {
            Some(b'{') => self.object(&pointer, depth)?,
            Some(b'[') => self.array(&pointer, depth)?,
            Some(b'\'' | b'"') => {
                self.at = quoted_end(self.bytes, start);
                Value::String(unquote(self.inside_quotes(start)))
            }
            Some(b'`') => {
                self.at = template_end(self.bytes, start);
                let inner = self.inside_quotes(start);
                if inner.contains("${") {
                    Value::String(format!("${{{}}}", &self.text[start..self.at]))
                } else {
                    Value::String(unquote(inner))
                }
            }
            Some(_) => self.scalar_or_expression()?,
            None => return Err(self.error("the value ends the file")),
        };
        let span = Span::new(start, self.at);
        self.spans.push((pointer, NodeSpans { key, value: span }));
        Ok(value)
    }

    fn object(&mut self, pointer: &str, depth: usize) -> Result<Value, ParseError> {
        self.at += 1;
        let mut map = Map::new();
        loop {
            self.skip();
            match self.peek() {
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(map));
                }
                Some(b',') => {
                    self.at += 1;
                    continue;
                }
                None => return Err(self.error("this object is not closed")),
                _ => {}
            }
            if self.bytes[self.at..].starts_with(b"...") {
                self.at += 3;
                self.expression_end()?;
                continue;
            }
            let key_start = self.at;
            let key = match self.peek() {
                Some(b'\'' | b'"') => {
                    self.at = quoted_end(self.bytes, key_start);
                    unquote(self.inside_quotes(key_start))
                }
                Some(b'[') => {
                    // A computed key: its value is of no known name.
                    self.at = balanced_end(self.bytes, key_start)
                        .ok_or_else(|| self.error("this computed key is not closed"))?;
                    String::new()
                }
                _ => {
                    while self.peek().is_some_and(is_identifier_byte) {
                        self.at += 1;
                    }
                    if self.at == key_start {
                        return Err(self.error("expected a property name"));
                    }
                    self.text[key_start..self.at].to_owned()
                }
            };
            let key_span = Span::new(key_start, self.at);
            self.skip();
            let child = child_pointer(pointer, &key);
            match self.peek() {
                Some(b':') => {
                    self.at += 1;
                    let value = self.value(child, Some(key_span), depth + 1)?;
                    if !key.is_empty() {
                        map.insert(key, value);
                    }
                }
                Some(b'(') => {
                    // A method: `preview() { … }`.
                    self.expression_end()?;
                }
                _ => {
                    // Shorthand `{ config }`: the variable of that name.
                    let value = Value::String(format!("${{{key}}}"));
                    self.spans.push((
                        child,
                        NodeSpans {
                            key: Some(key_span),
                            value: key_span,
                        },
                    ));
                    map.insert(key, value);
                }
            }
        }
    }

    fn array(&mut self, pointer: &str, depth: usize) -> Result<Value, ParseError> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip();
            match self.peek() {
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                Some(b',') => {
                    self.at += 1;
                    continue;
                }
                None => return Err(self.error("this list is not closed")),
                // A bracket that closes something else: nothing more of the list can be
                // read (and reading on would make an empty item at the same place forever).
                Some(b'}' | b')') => {
                    return Err(self.error("this list is closed by the wrong bracket"));
                }
                _ => {}
            }
            let child = index_pointer(pointer, items.len());
            items.push(self.value(child, None, depth + 1)?);
        }
    }

    /// A number, `true`, `false`, `null`, `undefined`, or any other expression kept as text.
    fn scalar_or_expression(&mut self) -> Result<Value, ParseError> {
        let start = self.at;
        self.expression_end()?;
        let text = self.text[start..self.at].trim_end();
        // Blanks after the expression are left to the next read; an expression of blanks
        // alone (a vertical tab, which the trivia skipper does not skip) is passed over, so
        // the reader always moves.
        if !text.is_empty() {
            self.at = start + text.len();
        }
        Ok(match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" | "undefined" => Value::Null,
            _ => number(text).unwrap_or_else(|| Value::String(format!("${{{text}}}"))),
        })
    }

    /// Moves to the `,`, `}`, `]` or `)` that ends the expression at the reader.
    fn expression_end(&mut self) -> Result<(), ParseError> {
        while let Some(b) = self.peek() {
            if let Some(end) = skip_comment_or_string(self.bytes, self.at) {
                self.at = end;
                continue;
            }
            match b {
                b',' | b'}' | b']' | b')' => return Ok(()),
                b'{' | b'[' | b'(' => {
                    self.at = balanced_end(self.bytes, self.at)
                        .ok_or_else(|| self.error("this bracket is not closed"))?;
                }
                _ => self.at += 1,
            }
        }
        Err(self.error("the expression ends the file"))
    }
}

fn number(text: &str) -> Option<Value> {
    if let Ok(n) = text.parse::<i64>() {
        return Some(Value::from(n));
    }
    let n: f64 = text.parse().ok()?;
    Number::from_f64(n).map(Value::Number)
}

/// A string literal's text with its escapes read (`\n`, `\'`, `\\`, …).
fn unquote(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}
