//! Files a configuration reads by path: `file(p)`, `templatefile(p, vars)`, and
//! `jsondecode` / `yamldecode` of them (issue 24 item 3).
//!
//! The files are not documents of the scan's own: before a batch is resolved, the scan asks
//! for the repository paths its configurations name ([`named_paths`]: literal paths only,
//! read from the text), reads each once from the same side as the configuration (the work
//! tree, or the base revision's git objects in PR-only mode), and adds what it read to the
//! batch as a `terraform/file` document ([`document`]). The evaluation then reads `file(p)`
//! as that document's value: a JSON file is the document it holds (an IAM policy read this
//! way is judged, and located, member by member, as a heredoc is), any other file its text.
//! A file that does not exist, is excluded, cannot be read or is over the size limit keeps
//! the call unknown. A read file's own text is never evaluated, so a file cannot loop.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde_json::Value;

use super::eval;
use super::scope::{Bindings, Scope};
use crate::detect::kinds::{TERRAFORM_CONFIG, TERRAFORM_FILE};
use crate::document::{Document, Kind, NodeSpans, SourceFile, Span, SpanTable, folder};
use crate::parse::{Format, parse};

/// The endings of the files a configuration's `file` or `templatefile` may name that are
/// read: policy documents and their templates, and value files. Scripts, keys and the like
/// are not: no policy judges them.
const READ_ENDINGS: &[&str] = &[".json", ".yaml", ".yml", ".tpl", ".tftpl", ".tmpl"];

/// Whether a file of this name is read when a configuration names it.
pub fn may_be_named(shown: &str) -> bool {
    let lower = shown.to_ascii_lowercase();
    READ_ENDINGS.iter().any(|ending| lower.ends_with(ending))
}

/// A file read for a configuration, as the evaluation sees it.
pub(super) struct NamedFile {
    /// Its document in the batch.
    pub document: usize,
    /// The document's value: what a JSON file holds, or the text.
    pub value: Value,
    pub text: Arc<SourceFile>,
    /// Whether `value` is what the file holds as JSON (rather than its text).
    pub json: bool,
}

/// The files of the batch read for its configurations, by repository path.
pub(super) fn named_files(documents: &[Document]) -> HashMap<String, NamedFile> {
    (documents.iter().enumerate())
        .filter(|(_, doc)| doc.kind.as_str() == TERRAFORM_FILE)
        .map(|(index, doc)| {
            let json = doc.source.path.to_ascii_lowercase().ends_with(".json")
                && !matches!(doc.value, Value::String(_));
            let file = NamedFile {
                document: index,
                value: doc.value.clone(),
                text: Arc::clone(&doc.source),
                json,
            };
            (doc.source.path.clone(), file)
        })
        .collect()
}

/// `file("…")` and `templatefile("…", …)` with a literal path (`path.module`, `path.root`
/// and `path.cwd` aside): a superset of what the evaluation will read.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:file|templatefile)\s*\(\s*"([^"\\\r\n]*)""#).expect("a valid pattern")
});

/// The repository paths the configurations among `documents` name with `file` or
/// `templatefile` and that are worth reading ([`may_be_named`]), not counting files already
/// among `documents`.
pub fn named_paths(documents: &[Document]) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    for doc in documents {
        let text = &doc.source.text;
        if doc.kind.as_str() != TERRAFORM_CONFIG || !text.contains("file") {
            continue;
        }
        let folder = folder(&doc.source.path);
        for found in NAMED.captures_iter(text) {
            let Some(path) = found.get(1).and_then(|p| path_in(folder, p.as_str())) else {
                continue;
            };
            if may_be_named(&path) {
                paths.insert(path);
            }
        }
    }
    // Most batches name no file: the batch's own paths are looked at only when one does.
    if !paths.is_empty() {
        let present: HashSet<&str> = documents.iter().map(|d| d.source.path.as_str()).collect();
        paths.retain(|path| !present.contains(path.as_str()));
    }
    paths
}

/// The repository path of `written`, a literal path as a file of `folder` writes it.
fn path_in(folder: &str, written: &str) -> Option<String> {
    let (base, rest) = if let Some(rest) = written.strip_prefix("${path.module}") {
        (folder.to_owned(), rest)
    } else {
        let rest = (written.strip_prefix("${path.root}"))
            .or_else(|| written.strip_prefix("${path.cwd}"))
            .unwrap_or(written);
        (root_module(folder).to_owned(), rest)
    };
    in_repository(&base, rest.trim_start_matches(['/', '\\']))
}

/// The folder Terraform runs in for a module folder's files: for `…/modules/<name>` the
/// folder above `modules` (its caller, as the scan's units read it), else the folder
/// itself.
pub(super) fn root_module(folder: &str) -> &str {
    let mut parts = folder.rsplitn(3, '/');
    let (_, modules, above) = (parts.next(), parts.next(), parts.next());
    match (modules, above) {
        (Some("modules"), Some(above)) => above,
        (Some("modules"), None) => "",
        _ => folder,
    }
}

/// What `path.module` is in `folder`: its path from the root module's folder (`.` for the
/// root module itself), as Terraform gives it.
pub(super) fn module_path(folder: &str) -> String {
    let root = root_module(folder);
    let relative = match root {
        "" => folder,
        root => folder
            .strip_prefix(root)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(""),
    };
    match relative {
        "" => ".".to_owned(),
        relative => relative.to_owned(),
    }
}

/// The document of a file a configuration names, `None` when it is not UTF-8 text. A JSON
/// file that parses is its document, located; a YAML file too (one document); anything else
/// (a template, a file that does not parse) is its text.
pub fn document(shown: &str, bytes: Vec<u8>) -> Option<Document> {
    let text = String::from_utf8(bytes).ok()?;
    let source = SourceFile::new(shown, text);
    let lower = shown.to_ascii_lowercase();
    let format = if lower.ends_with(".json") {
        Some(Format::JSON)
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some(Format::YAML)
    } else {
        None
    };
    let parsed = format.and_then(|format| parse(format, &source).ok());
    let (value, spans) = match parsed {
        Some(mut documents) if documents.len() == 1 => {
            let only = documents.remove(0);
            (only.value, only.spans)
        }
        _ => {
            let mut spans = SpanTable::default();
            let whole = NodeSpans {
                key: None,
                value: Span::new(0, source.text.len()),
            };
            spans.insert(String::new(), whole);
            (Value::String(source.text.clone()), spans)
        }
    };
    Some(Document {
        source: Arc::new(source),
        index_in_file: 0,
        kind: Kind::new(TERRAFORM_FILE),
        value,
        spans,
        resolved: None,
    })
}

/// The repository path of `written`, a path relative to `folder` (a repository path,
/// empty for the root). An absolute path, or one that leaves the scanned root, has no
/// repository path.
pub(super) fn in_repository(folder: &str, written: &str) -> Option<String> {
    if written.is_empty()
        || written.starts_with('/')
        || written.starts_with('\\')
        || written.starts_with('~')
        || written.as_bytes().get(1) == Some(&b':')
    {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in written.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            // An interpolation left in the path: not a file that can be named.
            part if part.contains("${") => return None,
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `templatefile`'s result: `text` rendered with the names of `vars` (an object), or `None`
/// when a name it uses is not among them or is unknown, or it holds a directive
/// (`%{ if }`, `%{ for }`). Rendered JSON is the document it holds, as a heredoc's is.
pub(super) fn render(scope: &Scope<'_>, text: &str, vars: &Value) -> Option<Value> {
    let Value::Object(vars) = vars else {
        return None;
    };
    let template = hcl_edit::parser::parse_template(text).ok()?;
    let mut bindings: Bindings = vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let value = eval::template(scope, text, &template, &mut bindings, &mut Vec::new())?;
    // A template is text: a lone `${jsonencode(…)}` is the JSON text of its known value.
    let text = match value {
        Value::String(text) => text,
        Value::Array(_) | Value::Object(_) if super::is_known(&value) => {
            return Some(value);
        }
        other => super::functions::text_of(&other)?,
    };
    Some(json_document(&text).unwrap_or(Value::String(text)))
}

/// Whether `text` (a string node's `${…}`) is exactly a file's content: `file(p)`, or
/// `jsondecode` / `yamldecode` of it.
pub(super) fn reads_whole(text: &str) -> bool {
    let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) else {
        return false;
    };
    let mut inner = inner.trim();
    for decode in ["jsondecode(", "yamldecode("] {
        if let Some(argument) = inner.strip_prefix(decode).and_then(|t| t.strip_suffix(')')) {
            inner = argument.trim();
        }
    }
    inner.starts_with("file(") && inner.ends_with(')')
}

/// The call in `text` (a string node's `${…}`) as a message shows it: on one line, cut
/// after the most a message shows.
pub(super) fn shown_call(text: &str) -> String {
    const SHOWN: usize = 80;
    let inner = (text.strip_prefix("${"))
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let one_line = inner.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// The object or list `text` holds as JSON, if it does.
pub(super) fn json_document(text: &str) -> Option<Value> {
    if !text.trim_start().starts_with(['{', '[']) {
        return None;
    }
    serde_json::from_str(text).ok()
}

#[cfg(test)]
mod tests;
