//! One folder's names for the evaluation (`eval.rs`): its variables, its locals (each
//! evaluated once, when first used; a cycle is unknown), the policy documents its data
//! sources produce, and the commonest expression, a plain reference (`${var.x.y}`), read
//! without parsing.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use super::definitions::Definition;
use super::files::{self, NamedFile};
use super::{eval, functions, preview};
use crate::document::child_pointer;

/// Names a block binds while it is evaluated (`each`, `count`, a dynamic block's iterator,
/// a `for` expression's variables), innermost last.
pub(super) type Bindings = Vec<(String, Value)>;

/// The document a `data "aws_iam_policy_document"` block produces, and where the block is.
pub(super) struct PolicyDocument {
    pub document: usize,
    pub value: Value,
    /// Each statement's index with the pointer of its principal, in the data block.
    pub principals: Vec<(usize, String)>,
}

/// One folder's names and what has been worked out of them.
pub(super) struct Scope<'d> {
    names: &'d HashMap<String, Definition>,
    /// `data.aws_iam_policy_document.<name>` → the policy document it produces.
    pub documents: HashMap<String, PolicyDocument>,
    locals: RefCell<HashMap<String, Option<Rc<Value>>>>,
    active: RefCell<HashSet<String>>,
    /// The files the batch read for its configurations, by repository path.
    files: Option<&'d HashMap<String, NamedFile>>,
    /// `path.module`, and the folder Terraform runs in, which relative paths are from.
    module_path: String,
    root: String,
}

/// How a file read by `file` or `templatefile` is named among a value's references:
/// this, then its repository path.
pub(super) const FILE_REFERENCE: &str = "file:";

impl<'d> Scope<'d> {
    pub fn new(names: &'d HashMap<String, Definition>) -> Self {
        Scope {
            names,
            documents: HashMap::new(),
            locals: RefCell::default(),
            active: RefCell::default(),
            files: None,
            module_path: ".".to_owned(),
            root: String::new(),
        }
    }

    /// The scope of the configuration files of `folder`, which may read `files`.
    pub fn in_folder(mut self, files: &'d HashMap<String, NamedFile>, folder: &str) -> Self {
        self.files = Some(files);
        self.module_path = files::module_path(folder);
        self.root = files::root_module(folder).to_owned();
        self
    }

    /// `path.module`, `path.root`, `path.cwd`: paths from the folder Terraform runs in.
    pub fn path_value(&self, which: &str) -> Option<Value> {
        match which {
            "module" => Some(Value::String(self.module_path.clone())),
            "root" | "cwd" => Some(Value::String(".".to_owned())),
            _ => None,
        }
    }

    /// The file a configuration names as `written` (from the folder Terraform runs in),
    /// with its repository path, when the batch read it.
    pub fn file(&self, written: &str) -> Option<(String, &'d NamedFile)> {
        let path = files::in_repository(&self.root, written)?;
        let file = self.files?.get(&path)?;
        Some((path, file))
    }

    /// The file read under this repository path.
    pub fn named_file(&self, path: &str) -> Option<&'d NamedFile> {
        self.files?.get(path)
    }

    pub fn definition(&self, name: &str) -> Option<&'d Definition> {
        self.names.get(name)
    }

    /// The value of a string node holding `${…}`, or `None` when it stays unknown.
    /// `references` receives the names (`var.x`, `local.y`, `data.….json`) it used.
    pub fn string(
        &self,
        text: &str,
        bindings: &mut Bindings,
        references: &mut Vec<String>,
    ) -> Option<Value> {
        if let Some(path) = plain_path(text) {
            return self.path(&path, bindings, references);
        }
        if let Some(name) = leading_call(text)
            && !functions::may_know(name)
        {
            return None;
        }
        if let Some(parts) = plain_template(text) {
            let mut out = String::new();
            for part in parts {
                match part {
                    Part::Text(literal) => out.push_str(literal),
                    Part::Path(path) => {
                        let value = self.path(&path, bindings, references)?;
                        out.push_str(&functions::text_of(&value)?);
                    }
                }
            }
            return Some(Value::String(out));
        }
        let template = hcl_edit::parser::parse_template(text).ok()?;
        eval::template(self, text, &template, bindings, references)
    }

    /// A value with every `${…}` string in it evaluated where it can be.
    pub fn value(
        &self,
        value: &Value,
        bindings: &mut Bindings,
        references: &mut Vec<String>,
    ) -> Value {
        match value {
            Value::String(s) if s.contains("${") => self
                .string(s, bindings, references)
                .unwrap_or_else(|| value.clone()),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.value(item, bindings, references))
                    .collect(),
            ),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.value(v, bindings, references)))
                    .collect(),
            ),
            _ => value.clone(),
        }
    }

    /// The value of a string node that is exactly `${a.b.c}`, or `None`.
    pub fn plain(
        &self,
        text: &str,
        bindings: &Bindings,
        references: &mut Vec<String>,
    ) -> Option<Value> {
        self.path(&plain_path(text)?, bindings, references)
    }

    /// `${a.b.c}`, the commonest expression, read without parsing: the same value the
    /// parsed traversal would have.
    fn path(
        &self,
        path: &[&str],
        bindings: &Bindings,
        references: &mut Vec<String>,
    ) -> Option<Value> {
        let local;
        let (root, rest): (&Value, &[&str]) = match path {
            [name, rest @ ..] if bindings.iter().any(|(n, _)| n == name) => {
                let bound = bindings.iter().rev().find(|(n, _)| n == name)?;
                (&bound.1, rest)
            }
            ["var", name, rest @ ..] => {
                let reference = format!("var.{name}");
                let value = &self.names.get(&reference)?.value;
                references.push(reference);
                (value, rest)
            }
            ["local", name, rest @ ..] => {
                let reference = format!("local.{name}");
                local = self.local(&reference)?;
                references.push(reference);
                (&*local, rest)
            }
            ["path", which] => {
                local = Rc::new(self.path_value(which)?);
                (&*local, &[][..])
            }
            ["data", "aws_iam_policy_document", name, "json", rest @ ..] => {
                let reference = format!("data.aws_iam_policy_document.{name}");
                let value = &self.documents.get(&reference)?.value;
                references.push(reference);
                (value, rest)
            }
            _ => return None,
        };
        let mut value = root;
        for part in rest {
            value = match value {
                Value::Object(map) => map.get(*part)?,
                Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
            if is_unknown(value) {
                return None;
            }
        }
        (!is_unknown(value)).then(|| value.clone())
    }

    /// Where the value of `text` is written when `text` is exactly one variable's or local's
    /// value (`${var.x}`, `${local.y.z}`): the one place that sets it for every use (a
    /// variable's default or variable file, a module argument, a local's value), followed
    /// through locals that are themselves such a reference. `None` for anything computed
    /// from more than that one value.
    pub fn landing(&self, text: &str) -> Option<(usize, String)> {
        let mut path = plain_path(text)?;
        for _ in 0..MAX_CHAIN {
            let (name, rest) = match path.as_slice() {
                [root @ ("var" | "local"), name, rest @ ..] => (format!("{root}.{name}"), rest),
                _ => return None,
            };
            let definition = self.names.get(&name).filter(|d| d.sole)?;
            // A local that is a file's content (`yamldecode(file(…))`): where the file
            // holds the value.
            if let Some(file) = self.whole_file(&name, &definition.value) {
                let pointer = rest
                    .iter()
                    .fold(String::new(), |p, part| child_pointer(&p, part));
                return Some((file, pointer));
            }
            let mut value = &definition.value;
            let mut pointer = definition.pointer.clone();
            for part in rest {
                value = match value {
                    Value::Object(map) => map.get(*part)?,
                    _ => return None,
                };
                pointer = child_pointer(&pointer, part);
            }
            // A local that only names another value: where that one is written.
            let named = match value {
                Value::String(inner) if name.starts_with("local.") => plain_path(inner),
                _ => None,
            };
            match named {
                Some(next) => path = next,
                None => return Some((definition.document, pointer)),
            }
        }
        None
    }

    /// The document of the file whose whole content the local `name`'s value, `value`, is.
    fn whole_file(&self, name: &str, value: &Value) -> Option<usize> {
        let Value::String(text) = value else {
            return None;
        };
        if !name.starts_with("local.") || !files::reads_whole(text) {
            return None;
        }
        let mut references = Vec::new();
        self.string(text, &mut Vec::new(), &mut references)?;
        match references.as_slice() {
            [only] => Some(
                self.named_file(only.strip_prefix(FILE_REFERENCE)?)?
                    .document,
            ),
            _ => None,
        }
    }

    /// A name's value as far as it is known, shortened for a message: a variable's, or a
    /// local's evaluated.
    pub fn preview(&self, name: &str) -> Option<String> {
        match name.starts_with("local.") {
            true => self.local(name).map(|v| preview(&v)),
            false => self.names.get(name).map(|d| preview(&d.value)),
        }
    }

    /// A local's value, evaluated once; `None` when it is unknown or defined in a cycle.
    pub fn local(&self, name: &str) -> Option<Rc<Value>> {
        if let Some(known) = self.locals.borrow().get(name) {
            return known.clone();
        }
        let definition = self.names.get(name)?;
        // A cycle, or a chain of locals deeper than any configuration writes, is unknown
        // (and the evaluation's recursion stays bounded).
        if self.active.borrow().len() >= MAX_CHAIN
            || !self.active.borrow_mut().insert(name.to_owned())
        {
            return None;
        }
        // The local's own references are not the use's: its definition is shown instead.
        let value = self.value(&definition.value, &mut Vec::new(), &mut Vec::new());
        self.active.borrow_mut().remove(name);
        let value = (!is_unknown(&value) && within_size(&value, &mut MAX_NODES.clone()))
            .then(|| Rc::new(value));
        self.locals
            .borrow_mut()
            .insert(name.to_owned(), value.clone());
        value
    }
}

/// The longest chain of locals followed (`a` uses `b`, which uses `c`, …).
const MAX_CHAIN: usize = 64;

/// The most nodes a value worked out may hold: a local built by doubling another
/// (`concat(local.a, local.a)`, over and over) is unknown before it fills the memory.
pub(super) const MAX_NODES: usize = 100_000;

/// Whether `value` holds at most `budget` nodes, counting them off the budget.
pub(super) fn within_size(value: &Value, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    match value {
        Value::Array(items) => items.iter().all(|item| within_size(item, budget)),
        Value::Object(map) => map.values().all(|item| within_size(item, budget)),
        _ => true,
    }
}

/// The names of `${a.b.c}` (identifiers only, no spaces), or `None` for anything else.
fn plain_path(text: &str) -> Option<Vec<&str>> {
    let inner = text.strip_prefix("${")?.strip_suffix('}')?;
    let identifier = |part: &str| {
        part.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let parts: Vec<&str> = inner.split('.').collect();
    (parts.len() >= 2 && parts.iter().all(|p| identifier(p))).then_some(parts)
}

/// A piece of a template made of text and plain references only.
enum Part<'t> {
    Text(&'t str),
    Path(Vec<&'t str>),
}

/// `"${var.env}-cd-${local.suffix}"` read without parsing: its text and plain references,
/// or `None` when it holds anything else (a call, an operator, a directive, an escape).
fn plain_template(text: &str) -> Option<Vec<Part<'_>>> {
    if text.contains("%{") || text.contains("$${") {
        return None;
    }
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        if start > 0 {
            parts.push(Part::Text(&rest[..start]));
        }
        let end = start + rest[start..].find('}')?;
        parts.push(Part::Path(plain_path(&rest[start..=end])?));
        rest = &rest[end + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    Some(parts)
}

/// `try` of `${try(…)…`: the function an expression starts by calling.
fn leading_call(text: &str) -> Option<&str> {
    let inner = text.strip_prefix("${")?.trim_start();
    let end = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    (end > 0 && inner[end..].starts_with('(')).then(|| &inner[..end])
}

/// A value that is wholly unknown: an expression kept as text.
pub(super) fn is_unknown(value: &Value) -> bool {
    matches!(value, Value::String(s) if s.contains("${"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_references_and_calls_are_told_without_parsing() {
        assert_eq!(
            plain_path("${var.tags.Name}"),
            Some(vec!["var", "tags", "Name"])
        );
        assert_eq!(plain_path("${each.value}"), Some(vec!["each", "value"]));
        assert_eq!(plain_path("${var.x}-suffix"), None);
        assert_eq!(plain_path("${var.x[0]}"), None);
        assert_eq!(plain_path("${ var.x }"), None);
        assert_eq!(plain_path("${var}"), None);
        let parts = plain_template("${var.env}-cd-${local.n}").expect("plain");
        assert!(matches!(
            &parts[..],
            [Part::Path(_), Part::Text("-cd-"), Part::Path(_)]
        ));
        assert!(plain_template("${var.env == 1}-x").is_none());
        assert!(plain_template("${upper(var.env)}-x").is_none());
        assert_eq!(leading_call("${try(var.x, 1)}"), Some("try"));
        assert_eq!(leading_call("${ merge(a, b)}"), Some("merge"));
        assert_eq!(leading_call("${var.x}"), None);
        assert_eq!(leading_call("${(var.x == null ? [] : [1])}"), None);
    }

    #[test]
    fn a_value_lands_where_its_one_definition_writes_it() {
        let define = |document, pointer: &str, value: Value, sole| Definition {
            document,
            pointer: pointer.to_owned(),
            value,
            how: String::new(),
            sole,
        };
        let names: HashMap<String, Definition> = [
            (
                "var.cidrs",
                define(
                    1,
                    "/variable/cidrs/default",
                    serde_json::json!({"office": ["10.0.0.0/8"]}),
                    true,
                ),
            ),
            (
                "local.admins",
                define(
                    2,
                    "/locals/admins",
                    Value::from("${var.cidrs.office}"),
                    true,
                ),
            ),
            (
                "local.joined",
                define(
                    2,
                    "/locals/joined",
                    Value::from("${concat(var.a, var.b)}"),
                    true,
                ),
            ),
            ("var.env", define(3, "/env", Value::from("prod"), false)),
        ]
        .into_iter()
        .map(|(name, definition)| (name.to_owned(), definition))
        .collect();
        let scope = Scope::new(&names);
        let at = |document, pointer: &str| Some((document, pointer.to_owned()));
        assert_eq!(
            scope.landing("${var.cidrs}"),
            at(1, "/variable/cidrs/default")
        );
        assert_eq!(
            scope.landing("${var.cidrs.office}"),
            at(1, "/variable/cidrs/default/office")
        );
        // Through a local that only names another value, to where that is written.
        assert_eq!(
            scope.landing("${local.admins}"),
            at(1, "/variable/cidrs/default/office")
        );
        // A local computed from values is where it is computed.
        assert_eq!(scope.landing("${local.joined}"), at(2, "/locals/joined"));
        // Set alike in several places, computed, or bound: nowhere.
        assert_eq!(scope.landing("${var.env}"), None);
        assert_eq!(scope.landing("${var.cidrs}-x"), None);
        assert_eq!(scope.landing("${each.value}"), None);
        assert_eq!(scope.landing("${var.missing}"), None);
    }
}
