//! Where each `var.x` and `local.x` of a folder (a module) is defined, in Terraform's order of
//! precedence: the `default` in its `variable` block, then `terraform.tfvars`,
//! `terraform.tfvars.json`, then `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order
//! (later wins). A folder's other `*.tfvars` files are the `-var-file`s it is run with: a
//! value one of them sets is used when it is the only one that sets it (two environments'
//! files disagreeing leave the reference unresolved rather than guessing).

use std::collections::HashMap;

use serde_json::Value;

use super::{file_name, is_known};
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

/// `var.<name>` and `local.<name>` → their definitions in one folder.
pub(super) fn collect(documents: &[Document], members: &[usize]) -> HashMap<String, Definition> {
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
        let definition = Definition {
            document: index,
            pointer: child_pointer("", name),
            value: value.clone(),
            how: format!("set in {}", file_name(&doc.source.path)),
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
