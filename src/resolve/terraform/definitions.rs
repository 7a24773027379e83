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

use super::{file_name, is_known, scope, unit};
use crate::detect::kinds::{TERRAFORM_CONFIG, TERRAFORM_VARIABLES};
use crate::document::{Document, child_pointer, escape_token, folder};

/// Where a name's value is defined: the document, the pointer of the value, the value as
/// lowered (a local's may still hold `${…}` expressions) and how to say where it is set.
#[derive(Debug, Clone)]
pub(super) struct Definition {
    pub document: usize,
    pub pointer: String,
    pub value: Value,
    pub how: String,
    /// Whether this is the one place that sets the value, where a finding about it may
    /// land; not when several variable files or module calls set it alike (fixing the
    /// first would leave the others).
    pub sole: bool,
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
                    sole: true,
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
                        sole: true,
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
    // `-var-file`s: what every one of them that sets a variable sets alike, told at the
    // first; the parts they set differently are unknown (`${var.x.part}`).
    let mut values: Vec<(&str, Value, usize, usize)> = Vec::new();
    for (_, index) in &other {
        let Some(map) = documents[*index].value.as_object() else {
            continue;
        };
        for (name, value) in map {
            match values.iter_mut().find(|(n, ..)| n == name) {
                Some(entry) => {
                    entry.1 = alike(&entry.1, value, &format!("var.{name}"));
                    entry.3 += 1;
                }
                None => values.push((name.as_str(), value.clone(), *index, 1)),
            }
        }
    }
    for (name, value, index, count) in values {
        let reference = format!("var.{name}");
        if scope::is_unknown(&value) {
            names.remove(&reference);
            continue;
        }
        let path = documents[index].source.path.as_str();
        let mut how = format!("set in {}", shown(path, var_files.contains(&index)));
        if count > 1 {
            let parts = if is_known(&value) { "" } else { "what " };
            how = format!("{how} (and {parts}alike in all {count} variable files that set it)");
        }
        let definition = Definition {
            document: index,
            pointer: child_pointer("", name),
            value,
            how,
            sole: count == 1,
        };
        names.insert(reference, definition);
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
    let shown = shown(&doc.source.path, from_environment);
    for (name, value) in map.iter().filter(|(name, _)| wanted(name.as_str())) {
        let definition = Definition {
            document: index,
            pointer: child_pointer("", name),
            value: value.clone(),
            how: format!("set in {shown}"),
            sole: true,
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

/// A variable file's name, with its environment folder when it is one's
/// (`env/prod/terraform.tfvars`).
fn shown(path: &str, from_environment: bool) -> &str {
    match path.strip_prefix(unit(folder(path))) {
        Some(rest) if from_environment => rest.trim_start_matches('/'),
        _ => file_name(path),
    }
}

/// What two variable files' values for `name` agree on: equal parts as they are, objects
/// member by member, anything else unknown.
pub(super) fn alike(a: &Value, b: &Value, name: &str) -> Value {
    match (a, b) {
        _ if a == b => a.clone(),
        (Value::Object(x), Value::Object(y)) => Value::Object(
            x.iter()
                .map(|(key, value)| {
                    let part = format!("{name}.{key}");
                    let merged = match y.get(key) {
                        Some(other) => alike(value, other, &part),
                        None => Value::String(format!("${{{part}}}")),
                    };
                    (key.clone(), merged)
                })
                .collect(),
        ),
        _ => Value::String(format!("${{{name}}}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn variable_files_agree_part_by_part() {
        let dev = json!({"teams": ["ops"], "protected": false, "only_dev": 1});
        let prod = json!({"teams": ["ops"], "protected": true});
        assert_eq!(
            alike(&dev, &prod, "var.cd"),
            json!({"teams": ["ops"], "protected": "${var.cd.protected}", "only_dev": "${var.cd.only_dev}"})
        );
        assert_eq!(
            alike(&json!("dev"), &json!("prod"), "var.env"),
            json!("${var.env}")
        );
    }
}
