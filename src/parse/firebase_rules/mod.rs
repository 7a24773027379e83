//! Firebase Security Rules (`firestore.rules`, `storage.rules`), lowered to
//! `{"rules_version": "2", "services": [{"name": "cloud.firestore", "matches": [{"path",
//! "root", "recursive", "parent", "allows": [{"match", "methods", "condition": {"text",
//! "folded"}}]}]}]}`.
//!
//! Every `match`, nested or not, is one entry of its service's `matches`, in the order they
//! open, with its full path (the enclosing matches' paths joined). `root` says the match is
//! the service's whole tree (`/databases/{database}/documents/{document=**}`,
//! `/b/{bucket}/o/{allPaths=**}`, `/{document=**}`), `recursive` that it has a `{var=**}`
//! wildcard, `parent` the index of the match it is nested in (`null` at the top). A condition keeps its source text and a folded form ([`fold`]); a bare
//! `allow read;` is unconditional: text `""`, folded `true`, located at the statement.
//!
//! A small hand-written parser ([`lexer`] tokens, read on demand): no maintained crate reads
//! this language. Conditions are not parsed into trees, only delimited (to the `;`, or the
//! `}` closing the block, outside brackets) and folded from their tokens.

mod fold;
mod lexer;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use self::fold::{Folded, Folder, Functions};
use self::lexer::{Kind, Lexer, Token};
use super::{MAX_DEPTH, ParseError, ParsedDocument};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer, index_pointer};
use crate::parse::comments::{Comment, c_like_comments};
use crate::parse::{FileFormat, Format};

struct Service<'a> {
    name: &'a str,
    name_span: Span,
    span: Span,
    matches: Vec<Match<'a>>,
}

struct Match<'a> {
    path: String,
    /// The index of the enclosing match, when it is nested.
    parent: Option<usize>,
    /// The `match` keyword and its own path: where a finding about the match points.
    header: Span,
    path_span: Span,
    allows: Vec<Allow<'a>>,
}

struct Allow<'a> {
    span: Span,
    methods: Vec<Token<'a>>,
    /// The condition's tokens and where they are written; `None` for a bare `allow read;`.
    condition: Option<(Span, Vec<Token<'a>>)>,
}

struct Parser<'a> {
    lex: Lexer<'a>,
    functions: Functions<'a>,
    /// Open blocks and brackets.
    depth: usize,
}

pub fn parse(source: &SourceFile) -> Result<ParsedDocument, ParseError> {
    let text = source.text.as_str();
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut parser = Parser {
        lex: Lexer::new(text, start),
        functions: Functions::new(),
        depth: 0,
    };
    let mut version = None;
    let mut services = Vec::new();
    while let Some(token) = parser.lex.peek()? {
        match token.text {
            "rules_version" if token.kind == Kind::Ident => {
                parser.lex.next()?;
                parser.expect("=")?;
                let value = parser.lex.next()?;
                match value {
                    Some(v) if v.kind == Kind::Str => version = Some(v),
                    other => return Err(parser.unexpected(other, "a quoted version ('2')")),
                }
                parser.optional(";")?;
            }
            "service" if token.kind == Kind::Ident => services.push(parser.service()?),
            "function" if token.kind == Kind::Ident => parser.function()?,
            ";" => {
                parser.lex.next()?;
            }
            _ => {
                return Err(
                    parser.unexpected(Some(token), "`rules_version`, `service` or `function`")
                );
            }
        }
    }
    if services.is_empty() {
        return Err(ParseError::new(
            "no `service` block: a rules file declares `service cloud.firestore { … }` or `service firebase.storage { … }`",
            Span::new(start, text.len()),
        ));
    }
    Ok(lower(text, start, version, &services, &parser.functions))
}

impl<'a> Parser<'a> {
    fn unexpected(&self, found: Option<Token<'a>>, expected: &str) -> ParseError {
        match found {
            Some(token) => ParseError::new(
                format!("expected {expected}, found `{}`", token.text),
                token.span,
            ),
            None => {
                let end = self.lex.text.len();
                ParseError::new(
                    format!("expected {expected}, found the end of the file"),
                    Span::new(end, end),
                )
            }
        }
    }

    fn expect(&mut self, text: &str) -> Result<Token<'a>, ParseError> {
        match self.lex.next()? {
            Some(token) if token.is(text) => Ok(token),
            other => Err(self.unexpected(other, &format!("`{text}`"))),
        }
    }

    fn ident(&mut self, what: &str) -> Result<Token<'a>, ParseError> {
        match self.lex.next()? {
            Some(token) if token.kind == Kind::Ident => Ok(token),
            other => Err(self.unexpected(other, what)),
        }
    }

    /// Consumes `text` when it comes next.
    fn optional(&mut self, text: &str) -> Result<Option<Token<'a>>, ParseError> {
        match self.lex.peek()? {
            Some(token) if token.is(text) => self.lex.next(),
            _ => Ok(None),
        }
    }

    /// One more open block or bracket at `at`, refused past [`MAX_DEPTH`].
    fn enter(&mut self, at: Span) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                at,
            ));
        }
        Ok(())
    }

    /// `service <name> { (match | function)* }`.
    fn service(&mut self) -> Result<Service<'a>, ParseError> {
        let keyword = self.lex.next()?.expect("peeked");
        let mut name_span: Option<Span> = None;
        while let Some(token) = self.lex.peek()? {
            if token.is("{") || !(token.kind == Kind::Ident || token.is(".")) {
                break;
            }
            self.lex.next()?;
            name_span = Some(Span::new(
                name_span.map_or(token.span.start, |s| s.start),
                token.span.end,
            ));
        }
        let Some(name_span) = name_span else {
            let next = self.lex.peek()?;
            return Err(self.unexpected(next, "a service name (`cloud.firestore`)"));
        };
        let open = self.expect("{")?;
        self.enter(open.span)?;
        let mut matches = Vec::new();
        let close = loop {
            let Some(token) = self.lex.peek()? else {
                return Err(unclosed(open));
            };
            match token.text {
                "}" => break self.lex.next()?.expect("peeked"),
                "match" => self.match_block(None, &mut matches)?,
                "function" => self.function()?,
                ";" => {
                    self.lex.next()?;
                }
                _ => {
                    return Err(self.unexpected(Some(token), "`match`, `function` or `}`"));
                }
            }
        };
        self.depth -= 1;
        Ok(Service {
            name: &self.lex.text[name_span.start..name_span.end],
            name_span,
            span: Span::new(keyword.span.start, close.span.end),
            matches,
        })
    }

    /// `match /path/{var} { (match | allow | function)* }`, appended to `out` before the
    /// matches it holds; `parent` is the index of the enclosing match in `out`.
    fn match_block(
        &mut self,
        parent: Option<usize>,
        out: &mut Vec<Match<'a>>,
    ) -> Result<(), ParseError> {
        let keyword = self.lex.next()?.expect("peeked");
        let Some(path) = self.lex.path()? else {
            let next = self.lex.peek()?;
            return Err(self.unexpected(next, "a path after `match`"));
        };
        if !path.text.starts_with('/') {
            return Err(ParseError::new(
                format!("a match path starts with `/`, found `{}`", path.text),
                path.span,
            ));
        }
        let prefix = parent.map_or("", |p| out[p].path.as_str());
        let full = format!("{prefix}{}", path.text);
        let open = self.expect("{")?;
        self.enter(open.span)?;
        let index = out.len();
        out.push(Match {
            path: full,
            parent,
            header: Span::new(keyword.span.start, path.span.end),
            path_span: path.span,
            allows: Vec::new(),
        });
        loop {
            let Some(token) = self.lex.peek()? else {
                return Err(unclosed(open));
            };
            match token.text {
                "}" => {
                    self.lex.next()?;
                    break;
                }
                "match" => self.match_block(Some(index), out)?,
                "allow" => {
                    let allow = self.allow()?;
                    out[index].allows.push(allow);
                }
                "function" => self.function()?,
                ";" => {
                    self.lex.next()?;
                }
                _ => {
                    return Err(self.unexpected(Some(token), "`match`, `allow`, `function` or `}`"));
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// `allow <method>, …: if <condition>;` or the bare, unconditional `allow <method>;`.
    /// The `;` may be left out before the block's `}`.
    fn allow(&mut self) -> Result<Allow<'a>, ParseError> {
        let keyword = self.lex.next()?.expect("peeked");
        let mut methods = vec![self.ident("a method (`read`, `write`, `get`, `list`, …)")?];
        while self.optional(",")?.is_some() {
            methods.push(self.ident("a method after `,`")?);
        }
        let mut end = methods.last().expect("one method").span.end;
        let mut condition = None;
        if self.optional(":")?.is_some() {
            let keyword_if = self.lex.next()?;
            match keyword_if {
                Some(token) if token.kind == Kind::Ident && token.text == "if" => {}
                other => return Err(self.unexpected(other, "`if` after `:`")),
            }
            let tokens = self.expression("a condition after `if`")?;
            let first = tokens.first().expect("not empty").span.start;
            let last = tokens.last().expect("not empty").span.end;
            end = last;
            condition = Some((Span::new(first, last), tokens));
        }
        match self.lex.peek()? {
            Some(token) if token.is(";") => {
                self.lex.next()?;
                end = token.span.end;
            }
            Some(token) if token.is("}") => {}
            other => return Err(self.unexpected(other, "`;`")),
        }
        Ok(Allow {
            span: Span::new(keyword.span.start, end),
            methods,
            condition,
        })
    }

    /// The tokens of an expression: up to a `;` or an unmatched `}` outside brackets (not
    /// consumed). `what` names it in errors.
    fn expression(&mut self, what: &str) -> Result<Vec<Token<'a>>, ParseError> {
        let mut tokens = Vec::new();
        let mut open: Vec<Token<'a>> = Vec::new();
        loop {
            let token = match self.lex.peek()? {
                Some(token) => token,
                None => {
                    return Err(match open.last() {
                        Some(bracket) => unclosed(*bracket),
                        None => self.unexpected(None, "`;`"),
                    });
                }
            };
            if token.kind == Kind::Punct {
                match token.text {
                    ";" | "}" if open.is_empty() => break,
                    "(" | "[" | "{" => {
                        self.enter(token.span)?;
                        open.push(token);
                    }
                    ")" | "]" | "}" => {
                        let expected = match open.last().map(|t| t.text) {
                            Some("(") => ")",
                            Some("[") => "]",
                            _ => "}",
                        };
                        if open.is_empty() || token.text != expected {
                            return Err(ParseError::new(
                                format!("unmatched `{}`", token.text),
                                token.span,
                            ));
                        }
                        open.pop();
                        self.depth -= 1;
                    }
                    _ => {}
                }
            }
            self.lex.next()?;
            tokens.push(token);
        }
        if tokens.is_empty() {
            let next = self.lex.peek()?;
            return Err(self.unexpected(next, what));
        }
        Ok(tokens)
    }

    /// `function name(params) { let x = …; return …; }`: its `return` expression is kept
    /// for folding calls to it.
    fn function(&mut self) -> Result<(), ParseError> {
        self.lex.next()?;
        let name = self.ident("a function name")?;
        self.expect("(")?;
        if self.optional(")")?.is_none() {
            loop {
                self.ident("a parameter name")?;
                match self.lex.next()? {
                    Some(token) if token.is(")") => break,
                    Some(token) if token.is(",") => {}
                    other => return Err(self.unexpected(other, "`,` or `)`")),
                }
            }
        }
        let open = self.expect("{")?;
        self.enter(open.span)?;
        let mut returned = None;
        loop {
            let Some(token) = self.lex.peek()? else {
                return Err(unclosed(open));
            };
            match token.text {
                "}" if token.kind == Kind::Punct => {
                    self.lex.next()?;
                    break;
                }
                ";" if token.kind == Kind::Punct => {
                    self.lex.next()?;
                }
                "let" if token.kind == Kind::Ident => {
                    self.lex.next()?;
                    self.ident("a variable name after `let`")?;
                    self.expect("=")?;
                    self.expression("a value after `=`")?;
                }
                "return" if token.kind == Kind::Ident => {
                    self.lex.next()?;
                    returned = Some(self.expression("an expression after `return`")?);
                }
                _ => {
                    return Err(self.unexpected(Some(token), "`let`, `return` or `}`"));
                }
            }
        }
        self.depth -= 1;
        let Some(returned) = returned else {
            return Err(ParseError::new(
                format!("function `{}` has no `return`", name.text),
                name.span,
            ));
        };
        self.functions.entry(name.text).or_default().push(returned);
        Ok(())
    }
}

fn unclosed(open: Token<'_>) -> ParseError {
    ParseError::new(format!("unclosed `{}`", open.text), open.span)
}

/// Whether a full match path is the service's whole tree: one recursive wildcard, under
/// Firestore's `/databases/{database}/documents` or Storage's `/b/{bucket}/o` or alone.
fn is_root(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let rest = match segments.as_slice() {
        ["databases", _, "documents", rest @ ..] | ["b", _, "o", rest @ ..] => rest,
        all => all,
    };
    matches!(rest, [only] if is_recursive(only))
}

fn is_recursive(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with("=**}")
}

fn lower<'a>(
    text: &str,
    start: usize,
    version: Option<Token<'a>>,
    services: &[Service<'a>],
    functions: &Functions<'a>,
) -> ParsedDocument {
    let mut folder = Folder::new(functions);
    // Every node is located: a service 3, a match 6 and an allow 6 and one per method.
    let nodes: usize = services
        .iter()
        .flat_map(|s| &s.matches)
        .map(|m| 6 + m.allows.iter().map(|a| 6 + a.methods.len()).sum::<usize>())
        .sum();
    let mut spans = SpanTable::with_capacity(3 + 3 * services.len() + nodes);
    let mut root = Map::new();
    if let Some(version) = version {
        let quoted = version.text;
        let inner = &quoted[1..quoted.len() - 1];
        root.insert("rules_version".to_owned(), Value::String(inner.to_owned()));
        record(&mut spans, "/rules_version", version.span);
    }
    let mut list = Vec::new();
    for (s, service) in services.iter().enumerate() {
        let pointer = index_pointer("/services", s);
        record(&mut spans, &pointer, service.span);
        record_child(&mut spans, &pointer, "name", service.name_span);
        let matches_pointer = child_pointer(&pointer, "matches");
        record(&mut spans, &matches_pointer, service.span);
        let mut matches = Vec::new();
        for (m, block) in service.matches.iter().enumerate() {
            let pointer = index_pointer(&matches_pointer, m);
            matches.push(lower_match(block, &pointer, &mut spans, &mut folder));
        }
        let mut entry = Map::new();
        entry.insert("name".to_owned(), Value::String(service.name.to_owned()));
        entry.insert("matches".to_owned(), Value::Array(matches));
        list.push(Value::Object(entry));
    }
    record(&mut spans, "", Span::new(start, text.len()));
    let first = services.first().map_or(start, |s| s.span.start);
    let last = services.last().map_or(text.len(), |s| s.span.end);
    record(&mut spans, "/services", Span::new(first, last));
    root.insert("services".to_owned(), Value::Array(list));
    ParsedDocument::new(Value::Object(root), spans)
}

fn lower_match<'a>(
    block: &Match<'a>,
    pointer: &str,
    spans: &mut SpanTable,
    folder: &mut Folder<'_, 'a>,
) -> Value {
    record(spans, pointer, block.header);
    for key in ["path", "root", "recursive", "parent"] {
        record_child(spans, pointer, key, block.path_span);
    }
    let allows_pointer = child_pointer(pointer, "allows");
    record(spans, &allows_pointer, block.header);
    let mut allows = Vec::new();
    for (a, allow) in block.allows.iter().enumerate() {
        let pointer = index_pointer(&allows_pointer, a);
        record(spans, &pointer, allow.span);
        record_child(spans, &pointer, "match", block.path_span);
        let methods_pointer = child_pointer(&pointer, "methods");
        let first = allow.methods.first().expect("one method").span.start;
        let last = allow.methods.last().expect("one method").span.end;
        record(spans, &methods_pointer, Span::new(first, last));
        for (i, method) in allow.methods.iter().enumerate() {
            let spans_of = NodeSpans {
                key: None,
                value: method.span,
            };
            spans.set_item(&methods_pointer, i, spans_of);
        }
        let (span, text, folded) = match &allow.condition {
            Some((span, tokens)) => (*span, source_text(tokens), folder.fold(tokens)),
            None => (allow.span, String::new(), Folded::True),
        };
        let condition_pointer = child_pointer(&pointer, "condition");
        record(spans, &condition_pointer, span);
        record_child(spans, &condition_pointer, "text", span);
        record_child(spans, &condition_pointer, "folded", span);
        // Built directly: `json!` would serialize each value into a new one.
        let methods = allow
            .methods
            .iter()
            .map(|m| Value::String(m.text.to_owned()))
            .collect();
        let mut condition = Map::new();
        condition.insert("text".to_owned(), Value::String(text));
        condition.insert("folded".to_owned(), Value::from(folded.as_str()));
        let mut entry = Map::new();
        entry.insert("match".to_owned(), Value::String(block.path.clone()));
        entry.insert("methods".to_owned(), Value::Array(methods));
        entry.insert("condition".to_owned(), Value::Object(condition));
        allows.push(Value::Object(entry));
    }
    let mut entry = Map::new();
    entry.insert("path".to_owned(), Value::String(block.path.clone()));
    entry.insert("root".to_owned(), Value::Bool(is_root(&block.path)));
    let recursive = block.path.split('/').any(is_recursive);
    entry.insert("recursive".to_owned(), Value::Bool(recursive));
    entry.insert(
        "parent".to_owned(),
        block.parent.map_or(Value::Null, Value::from),
    );
    entry.insert("allows".to_owned(), Value::Array(allows));
    Value::Object(entry)
}

/// A condition's source text, comments left out and its blanks (line breaks,
/// indentation) each made one space.
fn source_text(tokens: &[Token<'_>]) -> String {
    let mut out = String::new();
    let mut previous: Option<Span> = None;
    for token in tokens {
        if previous.is_some_and(|p| p.end < token.span.start) {
            out.push(' ');
        }
        out.push_str(token.text);
        previous = Some(token.span);
    }
    out
}

fn record(spans: &mut SpanTable, pointer: &str, value: Span) {
    spans.set(pointer, NodeSpans { key: None, value });
}

fn record_child(spans: &mut SpanTable, parent: &str, key: &str, value: Span) {
    spans.set_child(parent, key, NodeSpans { key: None, value });
}

/// Firebase Security Rules (Cloud Firestore, Cloud Storage).
struct FirebaseRules;

impl Format {
    pub const FIREBASE_RULES: Format = Format::new(&FirebaseRules);
}

impl FileFormat for FirebaseRules {
    fn name(&self) -> &'static str {
        "Firebase Security Rules"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        Ok(vec![parse(source)?])
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        c_like_comments(text, '\'', true)
    }
}
