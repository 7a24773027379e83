//! Where each `var.x` and `local.x` of a folder (a module) is defined, in Terraform's order of
//! precedence: the `default` in its `variable` block, then `terraform.tfvars`,
//! `terraform.tfvars.json`, then `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order
//! (later wins). A folder's other `*.tfvars` files, and those of its environment folders
//! that hold no configuration (`env/prod/terraform.tfvars`, see [`super::unit`]), are the
//! `-var-file`s it is run with: a value they set is used when every one that sets it sets
//! the same (two environments' files disagreeing leave the reference unresolved rather
//! than guessing).

use std::collections::HashMap;

use serde_json::Value;

use super::{file_name, folder, is_known, unit};
use crate::detect::kinds::{TERRAFORM_CONFIG, TERRAFORM_VARIABLES};
use crate::document::{Document, child_pointer, escape_token};

/// Where a name's value is defined: the document, the pointer of the value, the value as
/// lowered (a local's may still hold `${…}` expressions) and how to say where it is set.
#[derive(Debug, Clone)]
pub(super) struct Definition {
    pub document: usize,
    pub pointer: String,
    pub value: Value,
    pub how: String,
}

/// `var.<name>` and `local.<name>` → their definitions in one folder (`members`), with the
/// variable files of its environment folders (`var_files`).
pub(super) fn collect(
    documents: &[Document],
    members: &[usize],
    var_files: &[usize],
) -> HashMap<String, Definition> {
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
                let definition = Definition {
                    document: index,
                    pointer,
                    value: default.clone(),
                    how,
                };
                define(&mut names, format!("var.{name}"), definition);
            }
        }
        if let Some(Value::Object(locals)) = doc.value.get("locals") {
            for (name, value) in locals {
                // A local's expressions are evaluated when it is used (see `eval`).
                names.insert(
                    format!("local.{name}"),
                    Definition {
                        document: index,
                        pointer: format!("/locals/{}", escape_token(name)),
                        value: value.clone(),
                        how: "the value of the local".to_owned(),
                    },
                );
            }
        }
    }
    // Variable files, in Terraform's order of precedence.
    let mut auto: Vec<(u8, &str, usize)> = Vec::new();
    let mut other: Vec<(&str, usize)> = Vec::new();
    for &index in members.iter().chain(var_files) {
        let doc = &documents[index];
        if doc.kind.as_str() != TERRAFORM_VARIABLES {
            continue;
        }
        let path = doc.source.path.as_str();
        if var_files.contains(&index) {
            other.push((path, index));
            continue;
        }
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
        set_from_file(&mut names, documents, index, false, |_| true);
    }
    // `-var-file`s: a value every one of them that sets it sets alike, told at the first.
    let mut values: HashMap<&str, (Option<&Value>, usize)> = HashMap::new();
    for (_, index) in &other {
        if let Some(map) = documents[*index].value.as_object() {
            for (name, value) in map {
                let entry = values.entry(name.as_str()).or_insert((Some(value), 0));
                if entry.0 != Some(value) {
                    entry.0 = None;
                }
                entry.1 += 1;
            }
        }
    }
    let mut told: Vec<String> = Vec::new();
    for (_, index) in other {
        let from_environment = var_files.contains(&index);
        set_from_file(&mut names, documents, index, from_environment, |name| {
            let alike = values.get(name).is_some_and(|(value, _)| value.is_some());
            let first = !told.iter().any(|t| t == name);
            if alike && first {
                told.push(name.to_owned());
            }
            alike && first
        });
    }
    for (name, (_, count)) in values {
        if count > 1
            && let Some(definition) = names.get_mut(&format!("var.{name}"))
        {
            definition.how = format!(
                "{} (and alike in all {count} variable files that set it)",
                definition.how
            );
        }
    }
    names
}

/// The variables a `*.tfvars` file sets (those `wanted` accepts).
fn set_from_file(
    names: &mut HashMap<String, Definition>,
    documents: &[Document],
    index: usize,
    from_environment: bool,
    mut wanted: impl FnMut(&str) -> bool,
) {
    let doc = &documents[index];
    let Some(map) = doc.value.as_object() else {
        return;
    };
    let path = doc.source.path.as_str();
    // A file of an environment folder is named with that folder (`env/prod/…`).
    let shown = match path.strip_prefix(unit(folder(path))) {
        Some(rest) if from_environment => rest.trim_start_matches('/'),
        _ => file_name(path),
    };
    for (name, value) in map.iter().filter(|(name, _)| wanted(name.as_str())) {
        let definition = Definition {
            document: index,
            pointer: child_pointer("", name),
            value: value.clone(),
            how: format!("set in {shown}"),
        };
        define(names, format!("var.{name}"), definition);
    }
}

/// Records a variable's value when it is literal; an expression replaces (and so hides) an
/// earlier literal, as it would in Terraform.
fn define(names: &mut HashMap<String, Definition>, reference: String, definition: Definition) {
    if is_known(&definition.value) {
        names.insert(reference, definition);
    } else {
        names.remove(&reference);
    }
}
