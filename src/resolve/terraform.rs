//! Terraform input variables and locals, substituted where a value is a plain `var.x` or
//! `local.x` reference and the folder (the module) gives it a literal value.
//!
//! Terraform's own precedence decides a variable's value: the `default` in its `variable`
//! block, then `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars` and
//! `*.auto.tfvars.json` in lexical order (later wins). A folder's other `*.tfvars` files are
//! the `-var-file`s it is run with: a value one of them sets is used when it is the only one
//! that sets it (two environments' files disagreeing leave the reference unresolved rather
//! than guessing). Values that are themselves expressions are never substituted.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::Origin;
use crate::detect::kinds::{TERRAFORM_CONFIG, TERRAFORM_VARIABLES};
use crate::document::Evidence;
use crate::document::{Document, NodeSpans, child_pointer, escape_token};

pub const KINDS: &[&str] = &[TERRAFORM_CONFIG, TERRAFORM_VARIABLES];

/// Where a name's value is defined: the document, the pointer of the value, and how to say it.
#[derive(Debug, Clone)]
struct Definition {
    document: usize,
    pointer: String,
    value: Value,
    how: String,
}

pub fn substitute(documents: &mut [Document]) -> Vec<Origin> {
    let mut folders: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, doc) in documents.iter().enumerate() {
        if KINDS.contains(&doc.kind.as_str()) {
            folders
                .entry(folder(&doc.source.path))
                .or_default()
                .push(index);
        }
    }
    let folders: Vec<Vec<usize>> = folders.into_values().collect();
    let mut origins = Vec::new();
    for members in folders {
        let names = definitions(documents, &members);
        if names.is_empty() {
            continue;
        }
        for &index in &members {
            if documents[index].kind.as_str() == TERRAFORM_CONFIG {
                origins.extend(substitute_document(documents, index, &names));
            }
        }
    }
    origins
}

pub(super) fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `var.<name>` and `local.<name>` → their literal definitions in one folder.
fn definitions(documents: &[Document], members: &[usize]) -> HashMap<String, Definition> {
    let mut names = HashMap::new();
    for &index in members {
        let doc = &documents[index];
        if doc.kind.as_str() != TERRAFORM_CONFIG {
            continue;
        }
        if let Some(Value::Object(variables)) = doc.value.get("variable") {
            for (name, block) in variables {
                // A variable declared twice is Terraform's error; the first is used.
                let Some(default) = block.get("default") else {
                    continue;
                };
                let pointer = format!("/variable/{}/default", escape_token(name));
                let how = "the default in its `variable` block".to_owned();
                define(
                    &mut names,
                    format!("var.{name}"),
                    index,
                    pointer,
                    default,
                    how,
                );
            }
        }
        if let Some(Value::Object(locals)) = doc.value.get("locals") {
            for (name, value) in locals {
                let pointer = format!("/locals/{}", escape_token(name));
                let how = "the value of the local".to_owned();
                define(
                    &mut names,
                    format!("local.{name}"),
                    index,
                    pointer,
                    value,
                    how,
                );
            }
        }
    }
    // Variable files, in Terraform's order of precedence.
    let mut auto: Vec<(u8, &str, usize)> = Vec::new();
    let mut other: Vec<(&str, usize)> = Vec::new();
    for &index in members {
        let doc = &documents[index];
        if doc.kind.as_str() != TERRAFORM_VARIABLES {
            continue;
        }
        let path = doc.source.path.as_str();
        match file_name(path) {
            "terraform.tfvars" => auto.push((0, path, index)),
            "terraform.tfvars.json" => auto.push((1, path, index)),
            name if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") => {
                auto.push((2, path, index));
            }
            _ => other.push((path, index)),
        }
    }
    auto.sort();
    other.sort();
    for (_, _, index) in auto {
        set_from_file(&mut names, documents, index, |_| true);
    }
    // `-var-file`s: a value only one of them sets.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (_, index) in &other {
        if let Some(map) = documents[*index].value.as_object() {
            for name in map.keys() {
                *counts.entry(name.as_str()).or_default() += 1;
            }
        }
    }
    for (_, index) in other {
        set_from_file(&mut names, documents, index, |name| {
            counts.get(name) == Some(&1)
        });
    }
    names
}

/// The variables a `*.tfvars` file sets (those `wanted` accepts).
fn set_from_file(
    names: &mut HashMap<String, Definition>,
    documents: &[Document],
    index: usize,
    wanted: impl Fn(&str) -> bool,
) {
    let doc = &documents[index];
    let Some(map) = doc.value.as_object() else {
        return;
    };
    for (name, value) in map.iter().filter(|(name, _)| wanted(name)) {
        let pointer = child_pointer("", name);
        let how = format!("set in {}", file_name(&doc.source.path));
        define(names, format!("var.{name}"), index, pointer, value, how);
    }
}

/// Records a definition when its value is literal; an expression replaces (and so hides) an
/// earlier literal, as it would in Terraform.
fn define(
    names: &mut HashMap<String, Definition>,
    reference: String,
    document: usize,
    pointer: String,
    value: &Value,
    how: String,
) {
    if is_literal(value) {
        names.insert(
            reference,
            Definition {
                document,
                pointer,
                value: value.clone(),
                how,
            },
        );
    } else {
        names.remove(&reference);
    }
}

/// No `${…}` anywhere inside: nothing Terraform still has to evaluate.
fn is_literal(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.contains("${"),
        Value::Array(items) => items.iter().all(is_literal),
        Value::Object(map) => map.values().all(is_literal),
        _ => true,
    }
}

/// Replaces every plain `${var.x}` / `${local.x}` node of one document.
fn substitute_document(
    documents: &mut [Document],
    index: usize,
    names: &HashMap<String, Definition>,
) -> Vec<Origin> {
    let mut uses: Vec<Use<'_>> = Vec::new();
    collect_uses(&documents[index].value, String::new(), names, &mut uses);
    let mut origins = Vec::new();
    for Use {
        pointer,
        reference,
        definition,
    } in uses
    {
        let doc = &mut documents[index];
        let Some(node) = doc.value.pointer_mut(&pointer) else {
            continue;
        };
        *node = definition.value.clone();
        // The substituted value and everything in it are located at the use.
        let use_spans = doc.spans.get(&pointer).copied();
        if let Some(spans) = use_spans {
            let mut inner = Vec::new();
            descendants(&definition.value, &pointer, &mut inner);
            for descendant in inner {
                doc.spans.insert(
                    descendant,
                    NodeSpans {
                        key: None,
                        value: spans.value,
                    },
                );
            }
        }
        origins.push(Origin {
            document: index,
            pointer,
            definition: Evidence {
                document: definition.document,
                pointer: definition.pointer.clone(),
                message: format!(
                    "`{reference}` is {}, {}",
                    preview(&definition.value),
                    definition.how
                ),
            },
            landing: None,
        });
    }
    origins
}

/// A node that is a plain reference to a name with a literal definition.
struct Use<'n> {
    pointer: String,
    reference: String,
    definition: &'n Definition,
}

fn collect_uses<'n>(
    value: &Value,
    pointer: String,
    names: &'n HashMap<String, Definition>,
    out: &mut Vec<Use<'n>>,
) {
    match value {
        Value::String(s) => {
            if let Some(reference) = plain_reference(s)
                && let Some(definition) = names.get(reference)
            {
                out.push(Use {
                    pointer,
                    reference: reference.to_owned(),
                    definition,
                });
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_uses(item, child_pointer(&pointer, &i.to_string()), names, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                // A variable's own declaration is where values come from, not a use.
                if pointer.is_empty() && key == "variable" {
                    continue;
                }
                collect_uses(item, child_pointer(&pointer, key), names, out);
            }
        }
        _ => {}
    }
}

/// `var.acl` from `${var.acl}` (whitespace allowed inside the braces), or `None` for
/// anything more than one plain reference.
fn plain_reference(text: &str) -> Option<&str> {
    let inner = text.strip_prefix("${")?.strip_suffix('}')?.trim();
    let (namespace, name) = inner.split_once('.')?;
    let simple = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    (matches!(namespace, "var" | "local") && simple(name)).then_some(inner)
}

fn descendants(value: &Value, pointer: &str, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let child = child_pointer(pointer, &i.to_string());
                descendants(item, &child, out);
                out.push(child);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let child = child_pointer(pointer, key);
                descendants(item, &child, out);
                out.push(child);
            }
        }
        _ => {}
    }
}

/// A short rendering of a value for a message.
fn preview(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("`{cut}…`")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_a_whole_plain_reference_is_substituted() {
        assert_eq!(plain_reference("${var.acl}"), Some("var.acl"));
        assert_eq!(
            plain_reference("${ local.open_cidr }"),
            Some("local.open_cidr")
        );
        assert_eq!(plain_reference("${var.tags.name}"), None);
        assert_eq!(plain_reference("${var.acl}-suffix"), None);
        assert_eq!(plain_reference("arn:${var.acl}"), None);
        assert_eq!(plain_reference("${module.x}"), None);
        assert_eq!(plain_reference("${upper(var.acl)}"), None);
    }

    #[test]
    fn expressions_are_not_literal() {
        assert!(is_literal(&json!({"a": ["0.0.0.0/0", 22, true, null]})));
        assert!(!is_literal(&json!({"a": ["${var.cidr}"]})));
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        assert_eq!(preview(&json!("x")), "`\"x\"`");
        let long = preview(&json!(vec!["a"; 40]));
        assert!(long.ends_with("…`") && long.chars().count() < 64, "{long}");
    }
}
