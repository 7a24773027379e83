//! Template parameters followed to their `Default`: a `Ref` to a parameter (or a `Fn::Sub`
//! that is exactly `${Name}`) in `Resources` takes the parameter's `Default` when it is a
//! plain value (a string, number or boolean), as the stack does when created without one:
//! `CidrIp: !Ref SSHLocation` with `Default: 0.0.0.0/0` opens SSH to the world unless the
//! person creating the stack thinks to change it. A parameter without a `Default` is left
//! unknown, never guessed.
//!
//! A finding about such a value lands on the `Default` (one fix there resolves every use)
//! and names each `Ref` as a related location: [`Origin::landing`].

use std::collections::HashMap;

use serde_json::Value;

use crate::detect::kinds::CLOUDFORMATION_TEMPLATE;
use crate::document::{Document, Evidence, escape_token, split_pointer};
use crate::resolve::{Landing, Origin};

/// Substitutes the parameters' defaults in every template of `documents`.
pub fn substitute(documents: &mut [Document]) -> Vec<Origin> {
    let mut origins = Vec::new();
    for (index, document) in documents.iter_mut().enumerate() {
        if document.kind.as_str() == CLOUDFORMATION_TEMPLATE {
            origins.extend(substitute_template(index, &mut document.value));
        }
    }
    origins
}

/// A parameter's `Default`: where it is written and its value.
struct Default {
    pointer: String,
    value: Value,
}

fn substitute_template(index: usize, template: &mut Value) -> Vec<Origin> {
    let defaults = defaults(template);
    if defaults.is_empty() {
        return Vec::new();
    }
    let Some(resources) = template.get_mut("Resources") else {
        return Vec::new();
    };
    let mut uses = Vec::new();
    find_uses(resources, "/Resources".to_owned(), &defaults, &mut uses);
    uses.into_iter()
        .filter_map(|(pointer, name)| {
            let default = defaults.get(&name)?;
            *resources.pointer_mut(pointer.strip_prefix("/Resources")?)? = default.value.clone();
            let message = format!(
                "{} takes `{name}`'s Default here, in resource `{}`",
                what(&pointer),
                resource(&pointer)
            );
            Some(Origin {
                document: index,
                pointer: pointer.clone(),
                definition: Evidence::at(index, pointer, message),
                landing: Some(Landing {
                    document: index,
                    pointer: default.pointer.clone(),
                }),
            })
        })
        .collect()
}

/// The parameters whose `Default` is a plain value.
fn defaults(template: &Value) -> HashMap<String, Default> {
    let Some(Value::Object(parameters)) = template.get("Parameters") else {
        return HashMap::new();
    };
    parameters
        .iter()
        .filter_map(|(name, parameter)| {
            let value = parameter.get("Default")?;
            let plain = matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_));
            plain.then(|| {
                let pointer = format!("/Parameters/{}/Default", escape_token(name));
                let value = value.clone();
                (name.clone(), Default { pointer, value })
            })
        })
        .collect()
}

/// Every node under `value` that names one of `defaults`' parameters and nothing else.
fn find_uses(
    value: &Value,
    pointer: String,
    defaults: &HashMap<String, Default>,
    out: &mut Vec<(String, String)>,
) {
    let mut path: Vec<Step> = Vec::new();
    walk_uses(value, &pointer, &mut path, defaults, out);
}

/// One step down a template: a key or an index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The walk of [`find_uses`], the path below `base` kept as a stack of steps: a pointer is
/// written only for the uses found, not for every node of the template.
fn walk_uses<'a>(
    value: &'a Value,
    base: &str,
    path: &mut Vec<Step<'a>>,
    defaults: &HashMap<String, Default>,
    out: &mut Vec<(String, String)>,
) {
    if let Some(name) = parameter_named(value).filter(|name| defaults.contains_key(*name)) {
        let mut pointer = base.to_owned();
        for step in path.iter() {
            pointer.push('/');
            match step {
                Step::Key(key) => pointer.push_str(&escape_token(key)),
                Step::Index(i) => pointer.push_str(&i.to_string()),
            }
        }
        out.push((pointer, name.to_owned()));
        return;
    }
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk_uses(item, base, path, defaults, out);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                path.push(Step::Key(key));
                walk_uses(item, base, path, defaults, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `SSHLocation` of `{"Ref": "SSHLocation"}` or `{"Fn::Sub": "${SSHLocation}"}`.
fn parameter_named(value: &Value) -> Option<&str> {
    let Value::Object(map) = value else {
        return None;
    };
    if map.len() != 1 {
        return None;
    }
    match map.iter().next()? {
        (key, Value::String(name)) if key == "Ref" => Some(name),
        (key, Value::String(text)) if key == "Fn::Sub" => {
            let name = text.strip_prefix("${")?.strip_suffix('}')?;
            let plain =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            plain.then_some(name)
        }
        _ => None,
    }
}

/// `` `CidrIp` `` of `/Resources/Group/Properties/SecurityGroupIngress/0/CidrIp`; a list
/// element is named by its list.
fn what(pointer: &str) -> String {
    let tokens = split_pointer(pointer);
    let named = tokens.iter().rev().find(|t| t.parse::<usize>().is_err());
    format!("`{}`", named.map_or("the value", String::as_str))
}

/// The logical id of the resource holding `pointer` (`/Resources/<id>/…`).
fn resource(pointer: &str) -> String {
    split_pointer(pointer)
        .into_iter()
        .nth(1)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_and_whole_subs_take_plain_defaults() {
        let mut template = json!({
            "Parameters": {
                "SSHLocation": {"Type": "String", "Default": "0.0.0.0/0"},
                "Port": {"Type": "Number", "Default": 22},
                "KeyName": {"Type": "AWS::EC2::KeyPair::KeyName"},
                "Subnets": {"Type": "CommaDelimitedList", "Default": ["a", "b"]}
            },
            "Resources": {"G": {"Properties": {
                "SecurityGroupIngress": [
                    {"CidrIp": {"Ref": "SSHLocation"}, "FromPort": {"Ref": "Port"}},
                    {"CidrIp": {"Fn::Sub": "${SSHLocation}"}, "ToPort": {"Fn::Sub": "${Port}-x"}}
                ],
                "KeyName": {"Ref": "KeyName"},
                "Subnets": {"Ref": "Subnets"},
                "Self": {"Ref": "G"}
            }}}
        });
        let origins = substitute_template(0, &mut template);
        assert_eq!(
            template["Resources"]["G"]["Properties"],
            json!({
                "SecurityGroupIngress": [
                    {"CidrIp": "0.0.0.0/0", "FromPort": 22},
                    {"CidrIp": "0.0.0.0/0", "ToPort": {"Fn::Sub": "${Port}-x"}}
                ],
                "KeyName": {"Ref": "KeyName"},
                "Subnets": {"Ref": "Subnets"},
                "Self": {"Ref": "G"}
            })
        );
        let first = &origins[0];
        assert_eq!(
            first.pointer,
            "/Resources/G/Properties/SecurityGroupIngress/0/CidrIp"
        );
        assert_eq!(
            first.landing.as_ref().map(|l| l.pointer.as_str()),
            Some("/Parameters/SSHLocation/Default")
        );
        assert_eq!(
            first.definition.message,
            "`CidrIp` takes `SSHLocation`'s Default here, in resource `G`"
        );
        assert_eq!(origins.len(), 3);
    }

    #[test]
    fn parameters_outside_resources_are_left_alone() {
        let mut template = json!({
            "Parameters": {"Env": {"Default": "prod"}},
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
            "Outputs": {"E": {"Value": {"Ref": "Env"}}}
        });
        let before = template.clone();
        assert!(substitute_template(0, &mut template).is_empty());
        assert_eq!(template, before);
    }
}
