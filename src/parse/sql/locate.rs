//! Where the nodes of a lowered statement are in the file: `sqlparser` locates identifiers
//! and values by line and column inside the statement's text (its statement spans can be
//! empty), which are turned into byte spans of the file here.

use serde_json::{Map, Value, json};
use sqlparser::ast::{
    Expr, Grantee, GranteeName, GranteesType, ObjectName, ObjectNamePart, Owner, Spanned,
};
use sqlparser::tokenizer::Location;

use super::lower::always_true;
use crate::document::{NodeSpans, Span, SpanTable, child_pointer, index_pointer};

/// Where a statement is in its file, and the table its nodes' spans go to.
pub struct Lowering<'a> {
    /// The statement's text, as written in the file.
    pub text: &'a str,
    /// Its byte offset in the file.
    pub base: usize,
    /// Byte offsets (in `text`) at which its lines start.
    lines: Vec<usize>,
    pub spans: &'a mut SpanTable,
}

impl<'a> Lowering<'a> {
    pub fn new(text: &'a str, base: usize, spans: &'a mut SpanTable) -> Self {
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lowering {
            text,
            base,
            lines,
            spans,
        }
    }

    /// The whole statement, in the file.
    pub fn whole(&self) -> Span {
        Span::new(self.base, self.base + self.text.len())
    }

    pub fn record(&mut self, pointer: &str, span: Span) {
        self.spans.insert(
            pointer.to_owned(),
            NodeSpans {
                key: None,
                value: span,
            },
        );
    }

    /// The byte (in `text`) of a parser location (1-based line and character column); `None`
    /// for the empty location the parser gives some nodes.
    fn byte(&self, at: Location) -> Option<usize> {
        let line = usize::try_from(at.line).ok()?.checked_sub(1)?;
        let column = usize::try_from(at.column).ok()?.checked_sub(1)?;
        let start = *self.lines.get(line)?;
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(column)
            .map(|(i, _)| start + i)
            .or_else(|| (rest.chars().count() == column).then_some(self.text.len()))
    }

    /// The token that starts at `start` (in `text`): a quoted identifier or string to its
    /// closing quote, else a word.
    fn token_end(&self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        match bytes.get(start) {
            Some(&q @ (b'"' | b'\'')) => {
                let mut i = start + 1;
                while i < bytes.len() {
                    if bytes[i] == q {
                        if bytes.get(i + 1) == Some(&q) {
                            i += 2;
                            continue;
                        }
                        return i + 1;
                    }
                    i += 1;
                }
                bytes.len()
            }
            _ => {
                let word = self.text[start..]
                    .char_indices()
                    .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .map_or(self.text.len(), |(i, _)| start + i);
                word.max(start + self.text[start..].chars().next().map_or(0, char::len_utf8))
            }
        }
    }

    /// The span in the file of a node the parser located from `start` to `end`, or of the
    /// token at `start` when the end is missing; the whole statement when nothing is known.
    pub fn locate(&self, span: sqlparser::tokenizer::Span) -> Span {
        let Some(start) = self.byte(span.start) else {
            return self.whole();
        };
        let end = self
            .byte(span.end)
            .filter(|&e| e > start)
            .unwrap_or_else(|| self.token_end(start));
        Span::new(self.base + start, self.base + end.min(self.text.len()))
    }

    /// The span of a (possibly qualified) name, from its first part to the end of its last.
    fn name_span(&self, name: &ObjectName) -> Span {
        let idents: Vec<_> = name
            .0
            .iter()
            .filter_map(|p| match p {
                ObjectNamePart::Identifier(i) => Some(i),
                ObjectNamePart::Function(_) => None,
            })
            .collect();
        let (Some(first), Some(last)) = (idents.first(), idents.last()) else {
            return self.whole();
        };
        let start = self.locate(first.span);
        let last = self
            .byte(last.span.start)
            .map(|s| self.base + self.token_end(s));
        Span::new(start.start, last.unwrap_or(start.end).max(start.end))
    }

    /// `{"schema", "name"}` of a table or function name, unqualified names in `public` (the
    /// search path Supabase's migrations run with), located at the name.
    pub fn object(&mut self, pointer: &str, name: &ObjectName) -> Value {
        let parts = name_parts(name);
        let (schema, object) = match parts.as_slice() {
            [.., schema, object] => (schema.clone(), object.clone()),
            [object] => ("public".to_owned(), object.clone()),
            [] => ("public".to_owned(), String::new()),
        };
        let span = self.name_span(name);
        self.record(pointer, span);
        json!({"schema": schema, "name": object})
    }

    pub fn objects(&mut self, pointer: &str, names: &[ObjectName]) -> Value {
        let list = names
            .iter()
            .enumerate()
            .map(|(i, n)| self.object(&index_pointer(pointer, i), n))
            .collect();
        self.record(pointer, self.whole());
        Value::Array(list)
    }

    /// An expression: its text and whether it is always true (`true`, `1 = 1`, `(true)`,
    /// `true or …`), located at it.
    /// The policy's name, table and command are repeated in it, for messages.
    pub fn expression(&mut self, pointer: &str, expr: &Expr, policy: &Map<String, Value>) -> Value {
        let span = self.locate(expr.span());
        self.record(pointer, span);
        let mut node = Map::new();
        node.insert("text".to_owned(), json!(expr.to_string()));
        node.insert("always_true".to_owned(), json!(always_true(expr)));
        let table = &policy["table"];
        let table = format!(
            "{}.{}",
            table["schema"].as_str().unwrap_or(""),
            table["name"].as_str().unwrap_or("")
        );
        node.insert("policy".to_owned(), policy["policy"].clone());
        node.insert("table".to_owned(), json!(table));
        let command = policy
            .get("command")
            .and_then(Value::as_str)
            .unwrap_or("all");
        node.insert("command".to_owned(), json!(command));
        let access = match command {
            "select" => "read",
            "insert" => "insert",
            "update" => "change",
            "delete" => "delete",
            _ => "read, change and delete",
        };
        node.insert("access".to_owned(), json!(access));
        for key in node.keys() {
            self.record(&child_pointer(pointer, key), span);
        }
        Value::Object(node)
    }

    pub fn roles(&mut self, pointer: &str, owners: Option<&[Owner]>) -> Value {
        let mut list = Vec::new();
        for (i, owner) in owners.into_iter().flatten().enumerate() {
            let (name, span) = match owner {
                Owner::Ident(ident) => (ident_name(ident), self.locate(ident.span)),
                Owner::CurrentRole => ("current_role".to_owned(), self.whole()),
                Owner::CurrentUser => ("current_user".to_owned(), self.whole()),
                Owner::SessionUser => ("session_user".to_owned(), self.whole()),
            };
            self.record(&index_pointer(pointer, i), span);
            list.push(Value::String(name));
        }
        self.record(pointer, self.whole());
        Value::Array(list)
    }

    pub fn grantees(&mut self, pointer: &str, grantees: &[Grantee]) -> Value {
        let mut list = Vec::new();
        for (i, grantee) in grantees.iter().enumerate() {
            let (name, span) = match (&grantee.grantee_type, &grantee.name) {
                (_, Some(GranteeName::ObjectName(name))) => {
                    let name_text = name_parts(name).join(".");
                    (name_text, self.name_span(name))
                }
                (GranteesType::Public, _) => ("public".to_owned(), self.keyword("public")),
                _ => (grantee.to_string().to_lowercase(), self.whole()),
            };
            self.record(&index_pointer(pointer, i), span);
            list.push(Value::String(name));
        }
        self.record(pointer, self.whole());
        Value::Array(list)
    }

    /// The last occurrence of `word` (any case, as a whole word) in the statement, or the
    /// whole statement.
    fn keyword(&self, word: &str) -> Span {
        let lower = self.text.to_ascii_lowercase();
        let found = lower.rmatch_indices(word).find(|&(i, _)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + word.len()..].chars().next();
            let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            boundary(before) && boundary(after)
        });
        found.map_or(self.whole(), |(i, _)| {
            Span::new(self.base + i, self.base + i + word.len())
        })
    }
}

/// The name's parts, unquoted names folded to lower case as PostgreSQL folds them.
pub fn name_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => ident_name(i),
            ObjectNamePart::Function(f) => f.to_string(),
        })
        .collect()
}

pub fn ident_name(ident: &sqlparser::ast::Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    }
}
