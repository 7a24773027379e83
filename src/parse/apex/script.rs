//! Anonymous Apex (`*.apex`, or the `apex` option of a cumulusci.yml task), lowered to what
//! doublecheck asks of a script: which permission sets it assigns, and to whom.
//!
//! `{"identifiers": [...], "strings": [...], "assignments": [{"assignee", "permission_set"}]}`:
//! every identifier once (sorted, case-sensitive), every string literal in source order, and
//! every `PermissionSetAssignment` the script creates, by constructor
//! (`new PermissionSetAssignment(AssigneeId = …, PermissionSetId = …)`) or field by field
//! (`psa.AssigneeId = …;`). An assignment's `assignee` and `permission_set` each list the
//! identifiers and string literals their value is computed from, following local variables
//! back to what is stored in them. That is flow-insensitive (every store into a variable
//! counts) and knows no types, which is enough for setup scripts: `AssigneeId = guest.Id`
//! after `User guest = [SELECT Id FROM User WHERE Name = 'Shop Site Guest User']` lists the
//! guest user's name; an assignment to an administrator lists no guest.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use serde_json::{Value, json};

use super::{Kind, Token, lex, record, slice};
use crate::document::{SourceFile, Span, SpanTable, child_pointer, index_pointer};
use crate::parse::comments::{Comment, c_like_comments};
use crate::parse::{FileFormat, Format};
use crate::parse::{ParseError, ParsedDocument};

/// Lowers an anonymous script; see the module's documentation.
pub fn parse_anonymous(source: &SourceFile) -> Result<ParsedDocument, ParseError> {
    let text = source.text.as_str();
    let tokens = lex(text)?;
    let mut identifiers: BTreeMap<&str, Span> = BTreeMap::new();
    let mut strings: Vec<(&str, Span)> = Vec::new();
    for token in &tokens {
        match &token.kind {
            Kind::Ident => {
                identifiers
                    .entry(slice(text, token.span))
                    .or_insert(token.span);
            }
            Kind::Str(content) => strings.push((content, token.span)),
            Kind::Number | Kind::Punct(_) => {}
        }
    }
    let whole = Span::new(0, text.len());
    let mut spans = SpanTable::default();
    record(&mut spans, String::new(), whole);
    let identifiers = lower_list(&mut spans, "/identifiers", whole, identifiers);
    let strings = lower_list(&mut spans, "/strings", whole, strings);
    let script = Script::new(text, &tokens);
    record(&mut spans, "/assignments".to_owned(), whole);
    let mut assignments = Vec::new();
    for (a, found) in script.assignments().into_iter().enumerate() {
        let pointer = index_pointer("/assignments", a);
        record(&mut spans, pointer.clone(), found.anchor);
        assignments.push(json!({
            "assignee": script.lower_side(&mut spans, &pointer, "assignee", &found.assignee),
            "permission_set":
                script.lower_side(&mut spans, &pointer, "permission_set", &found.permission_set),
        }));
    }
    Ok(ParsedDocument::new(
        json!({ "identifiers": identifiers, "strings": strings, "assignments": assignments }),
        spans,
    ))
}

fn lower_list<'a>(
    spans: &mut SpanTable,
    pointer: &str,
    whole: Span,
    items: impl IntoIterator<Item = (&'a str, Span)>,
) -> Value {
    record(spans, pointer.to_owned(), whole);
    let mut values = Vec::new();
    for (i, (item, span)) in items.into_iter().enumerate() {
        record(spans, index_pointer(pointer, i), span);
        values.push(Value::String(item.to_owned()));
    }
    Value::Array(values)
}

/// One `PermissionSetAssignment`: where it is made, and the values stored in its two fields.
struct Assignment {
    anchor: Span,
    assignee: Vec<Range<usize>>,
    permission_set: Vec<Range<usize>>,
}

/// A store of a value: `target = value`, `object.target = value`, a constructor's named
/// argument (`object` is then the constructor's `(`), or a `for (T target : value)` loop.
struct Store {
    object: Option<String>,
    target: String,
    /// The tokens from the target (or its object) to the end of the value.
    whole: Range<usize>,
    value: Range<usize>,
}

struct Script<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Per token, the innermost open bracket holding it.
    parent: Vec<Option<usize>>,
    /// Per open bracket, its closing bracket.
    close: HashMap<usize, usize>,
    stores: Vec<Store>,
    /// The values stored in each variable (lower case: Apex names ignore case).
    by_variable: HashMap<String, Vec<Range<usize>>>,
    /// Tokens [`Script::sources`] may still visit: the work for all assignments together is
    /// capped in proportion to the script, so a hostile one stays linear (what is past the
    /// cap is left out).
    budget: Cell<usize>,
}

impl<'a> Script<'a> {
    fn new(text: &'a str, tokens: &'a [Token]) -> Self {
        let mut parent = Vec::with_capacity(tokens.len());
        let mut close = HashMap::new();
        let mut open: Vec<usize> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            if is_closer(token) {
                if let Some(o) = open.pop() {
                    close.insert(o, i);
                }
                parent.push(open.last().copied());
            } else {
                parent.push(open.last().copied());
                if is_opener(token) {
                    open.push(i);
                }
            }
        }
        let mut script = Script {
            text,
            tokens,
            parent,
            close,
            stores: Vec::new(),
            by_variable: HashMap::new(),
            budget: Cell::new(4 * tokens.len() + 4096),
        };
        script.stores = (0..tokens.len())
            .filter_map(|i| script.store_at(i))
            .collect();
        for store in script.stores.iter().filter(|s| s.object.is_none()) {
            script
                .by_variable
                .entry(store.target.clone())
                .or_default()
                .push(store.value.clone());
        }
        script
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        let token = self.tokens.get(i)?;
        (token.kind == Kind::Ident).then(|| slice(self.text, token.span))
    }

    fn punct(&self, i: usize, c: char) -> bool {
        self.tokens.get(i).is_some_and(|t| t.is_punct(c))
    }

    fn in_soql(&self, mut i: usize) -> bool {
        while let Some(p) = self.parent[i] {
            if self.punct(p, '[') {
                return true;
            }
            i = p;
        }
        false
    }

    /// `new <Type>(` when `open` is that `(`: the type's name.
    fn constructed(&self, open: usize) -> Option<&'a str> {
        let before = open.checked_sub(2)?;
        (self.punct(open, '(') && self.tokens[before].is_word(self.text, "new"))
            .then(|| self.word(open - 1))
            .flatten()
    }

    /// The store whose `=` (or loop `:`) is token `i`, if it is one.
    fn store_at(&self, i: usize) -> Option<Store> {
        let parent = self.parent[i];
        if self.punct(i, ':') {
            // `for (PermissionSet ps : [SELECT …])`: the loop variable holds the list's items.
            let open = parent?;
            let header = open.checked_sub(1)?;
            if !(self.punct(open, '(') && self.tokens[header].is_word(self.text, "for")) {
                return None;
            }
            let target = self.word(i.checked_sub(1)?)?;
            let end = self.close.get(&open).copied().unwrap_or(self.tokens.len());
            return Some(Store {
                object: None,
                target: target.to_ascii_lowercase(),
                whole: i - 1..end,
                value: i + 1..end,
            });
        }
        if !self.punct(i, '=') || self.punct(i + 1, '=') || self.in_soql(i) {
            return None;
        }
        let before = i.checked_sub(1)?;
        // `x += …` stores too; `==`, `!=`, `<=`, `>=` compare.
        let target = match &self.tokens[before].kind {
            Kind::Ident => before,
            Kind::Punct('+' | '-' | '*' | '/' | '|' | '&') => before.checked_sub(1)?,
            _ => return None,
        };
        let name = self.word(target)?;
        let member = target >= 2 && self.punct(target - 1, '.');
        let (object, start) = if let Some(open) = parent.filter(|&p| self.constructed(p).is_some())
        {
            (Some(format!("({open}")), target)
        } else if member {
            let object = self.word(target - 2)?;
            (Some(object.to_ascii_lowercase()), target - 2)
        } else {
            (None, target)
        };
        let end = self.value_end(i + 1);
        Some(Store {
            object,
            target: name.to_ascii_lowercase(),
            whole: start..end,
            value: i + 1..end,
        })
    }

    /// Where the expression starting at `from` ends: at a `;` or `,` outside brackets, or at
    /// the bracket that closes the one it is in.
    fn value_end(&self, from: usize) -> usize {
        let mut depth = 0usize;
        for (j, token) in self.tokens.iter().enumerate().skip(from) {
            if is_opener(token) {
                depth += 1;
            } else if is_closer(token) {
                if depth == 0 {
                    return j;
                }
                depth -= 1;
            } else if depth == 0 && (token.is_punct(';') || token.is_punct(',')) {
                return j;
            }
        }
        self.tokens.len()
    }

    /// The `PermissionSetAssignment`s made, in source order: constructor arguments and field
    /// stores grouped by the object they go to (a constructor stored in a variable is that
    /// variable's object).
    fn assignments(&self) -> Vec<Assignment> {
        let mut found: BTreeMap<String, Assignment> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        // Where each variable's stored value starts: `psa = new PermissionSetAssignment(…)`.
        let stored_at: HashMap<usize, &str> = self
            .stores
            .iter()
            .filter(|s| s.object.is_none())
            .map(|s| (s.value.start, s.target.as_str()))
            .collect();
        let variable_of = |open: usize| stored_at.get(&(open - 2)).map(|v| (*v).to_owned());
        for store in &self.stores {
            let Some(object) = &store.object else {
                continue;
            };
            let (key, anchor) = match object.strip_prefix('(') {
                Some(open) => {
                    let open: usize = open.parse().unwrap_or_default();
                    if !self
                        .constructed(open)
                        .is_some_and(|t| t.eq_ignore_ascii_case("PermissionSetAssignment"))
                    {
                        continue;
                    }
                    let end = self.close.get(&open).copied().unwrap_or(open);
                    let anchor = self.span(open - 2..end + 1);
                    (variable_of(open).unwrap_or_else(|| object.clone()), anchor)
                }
                None => (
                    object.clone(),
                    self.span(store.whole.start..store.value.start - 1),
                ),
            };
            let entry = found.entry(key.clone()).or_insert_with(|| {
                order.push(key);
                Assignment {
                    anchor,
                    assignee: Vec::new(),
                    permission_set: Vec::new(),
                }
            });
            match store.target.as_str() {
                "assigneeid" => entry.assignee.push(store.value.clone()),
                "permissionsetid" => entry.permission_set.push(store.value.clone()),
                _ => {}
            }
        }
        let mut list: Vec<Assignment> = order
            .into_iter()
            .filter_map(|key| found.remove(&key))
            .filter(|a| !a.assignee.is_empty() && !a.permission_set.is_empty())
            .collect();
        list.sort_by_key(|a| a.anchor.start);
        list
    }

    fn span(&self, range: Range<usize>) -> Span {
        let first = self.tokens.get(range.start).map(|t| t.span.start);
        let last = range
            .end
            .checked_sub(1)
            .and_then(|e| self.tokens.get(e))
            .map(|t| t.span.end);
        match (first, last) {
            (Some(start), Some(end)) if end >= start => Span::new(start, end),
            (Some(start), _) => Span::new(start, start),
            _ => Span::new(self.text.len(), self.text.len()),
        }
    }

    /// Whether the identifier at `i` reads a local variable: not a member (`x.Name`), and in
    /// SOQL only a bind (`:name`).
    fn is_variable(&self, i: usize) -> bool {
        let after_dot = i > 0 && self.punct(i - 1, '.');
        let bound = i > 0 && self.punct(i - 1, ':');
        !after_dot && (!self.in_soql(i) || bound)
    }

    /// The identifier and string tokens a value is computed from, variables followed.
    fn sources(&self, ranges: &[Range<usize>]) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut work: Vec<Range<usize>> = ranges.to_vec();
        while let Some(range) = work.pop() {
            for j in range {
                let Some(left) = self.budget.get().checked_sub(1) else {
                    return found;
                };
                self.budget.set(left);
                match &self.tokens[j].kind {
                    Kind::Str(_) => {
                        found.insert(j);
                    }
                    Kind::Ident => {
                        found.insert(j);
                        let name = slice(self.text, self.tokens[j].span).to_ascii_lowercase();
                        if self.is_variable(j)
                            && let Some(values) = self.by_variable.get(name.as_str())
                            && seen.insert(name)
                        {
                            work.extend(values.iter().cloned());
                        }
                    }
                    Kind::Number | Kind::Punct(_) => {}
                }
            }
        }
        found
    }

    /// `{"identifiers": [...], "strings": [...]}` of one side of an assignment, with spans.
    fn lower_side(
        &self,
        spans: &mut SpanTable,
        assignment: &str,
        side: &str,
        ranges: &[Range<usize>],
    ) -> Value {
        let pointer = child_pointer(assignment, side);
        let first = ranges.first().cloned().unwrap_or_default();
        record(spans, pointer.clone(), self.span(first));
        let mut identifiers: Vec<(&str, Span)> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut strings: Vec<(&str, Span)> = Vec::new();
        for j in self.sources(ranges) {
            let token = &self.tokens[j];
            match &token.kind {
                Kind::Str(content) => strings.push((content, token.span)),
                _ => {
                    let name = slice(self.text, token.span);
                    if seen.insert(name) {
                        identifiers.push((name, token.span));
                    }
                }
            }
        }
        let whole = self.span(first_to_last(ranges));
        json!({
            "identifiers": lower_list(spans, &child_pointer(&pointer, "identifiers"), whole, identifiers),
            "strings": lower_list(spans, &child_pointer(&pointer, "strings"), whole, strings),
        })
    }
}

fn first_to_last(ranges: &[Range<usize>]) -> Range<usize> {
    let start = ranges.iter().map(|r| r.start).min().unwrap_or_default();
    let end = ranges.iter().map(|r| r.end).max().unwrap_or_default();
    start..end
}

fn is_opener(token: &Token) -> bool {
    matches!(token.kind, Kind::Punct('(' | '[' | '{'))
}

fn is_closer(token: &Token) -> bool {
    matches!(token.kind, Kind::Punct(')' | ']' | '}'))
}

/// An anonymous Apex script (`*.apex`). Comments are `//` and `/* */` outside `'…'` literals.
struct ApexAnonymous;

impl Format {
    pub const APEX_ANONYMOUS: Format = Format::new(&ApexAnonymous);
}

impl FileFormat for ApexAnonymous {
    fn name(&self) -> &'static str {
        "Apex"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse_anonymous(source).map(|doc| vec![doc])
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        c_like_comments(text, '\'', true)
    }
}

#[cfg(test)]
mod tests;
