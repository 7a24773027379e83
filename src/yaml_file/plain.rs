//! JSON Schema errors in plain words. The validator says `null is not of type "object"` or
//! `"10 parsecs" is not valid under any of the schemas listed in the 'oneOf' keyword`; a
//! user is told what the setting must be, and what it is instead, by its name
//! (`limits.max-file-size`), with the schema's own `description` of it as help.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use crate::document::{child_pointer, split_pointer};

/// A schema error, said plainly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain {
    /// The node the error is about (a JSON Pointer into the document).
    pub pointer: String,
    /// Whether to point at the node's key rather than its value (a key that is not valid).
    pub at_key: bool,
    pub message: String,
    /// A correction ("did you mean") or the schema's description of the node, when there is
    /// one.
    pub help: Option<String>,
}

/// What `error` means, for a document validated against `schema` (the descriptions come
/// from it; `None` when the schema is not one of doublecheck's, such as the JSON Schema
/// meta-schema a policy's `require` is checked against).
pub fn explain(error: &ValidationError, schema: Option<&Value>) -> Plain {
    let pointer = error.instance_path().as_str().to_owned();
    let instance: &Value = error.instance();
    let name = name(&pointer);
    let described = || schema.and_then(|root| description(root, &pointer));
    let plain = |message: String| Plain {
        pointer: pointer.clone(),
        at_key: false,
        message,
        help: described(),
    };
    match error.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected: Vec<JsonType> = match kind {
                TypeKind::Single(one) => vec![*one],
                TypeKind::Multiple(set) => set.iter().collect(),
            };
            let wanted = join_or(expected.iter().map(|t| type_words(*t).to_owned()));
            let message = if instance.is_null() {
                format!("{name} has no value: it must be {wanted}")
            } else {
                format!("{name} must be {wanted}, not {}", found(instance))
            };
            let hint = match (expected.as_slice(), instance) {
                ([JsonType::Array], Value::String(text)) => Some(format!(
                    "write a list: `[{text}]`, or one `- item` a line under the key"
                )),
                ([JsonType::Object], Value::Null) => {
                    Some("write its keys under it, indented, or leave it out".to_owned())
                }
                _ => None,
            };
            Plain {
                help: hint.or_else(described),
                ..plain(message)
            }
        }
        ValidationErrorKind::Enum { options } => {
            let options: Vec<&Value> = options
                .as_array()
                .map(|o| o.iter().collect())
                .unwrap_or_default();
            let message = format!(
                "{name} must be {}, not {}",
                join_or(options.iter().map(|o| shown(o))),
                shown(instance)
            );
            let closest = instance
                .as_str()
                .and_then(|text| closest(text, options.iter().filter_map(|o| o.as_str())));
            Plain {
                help: closest
                    .map(|c| format!("did you mean `{c}`?"))
                    .or_else(described),
                ..plain(message)
            }
        }
        ValidationErrorKind::Constant { expected_value } => plain(format!(
            "{name} must be {}, not {}",
            shown(expected_value),
            shown(instance)
        )),
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            // The branches whose type the value has: when one is left, its error is the one
            // that says what is wrong (a string that is not of the form a string must have).
            let fitting: Vec<&Vec<ValidationError<'static>>> = context
                .iter()
                .filter(|branch| {
                    !branch.is_empty()
                        && !branch.iter().any(|e| {
                            matches!(e.kind(), ValidationErrorKind::Type { .. })
                                && e.instance_path().as_str() == pointer
                        })
                })
                .collect();
            if let [branch] = fitting.as_slice() {
                let mut inner = explain(&branch[0], schema);
                if inner.help.is_none() {
                    inner.help = described();
                }
                return inner;
            }
            let forms: Vec<String> = context
                .iter()
                .filter_map(|branch| {
                    branch.iter().find_map(|e| match e.kind() {
                        ValidationErrorKind::Type {
                            kind: TypeKind::Single(t),
                        } if e.instance_path().as_str() == pointer => {
                            Some(type_words(*t).to_owned())
                        }
                        _ => None,
                    })
                })
                .collect();
            if forms.len() == context.len() {
                plain(format!(
                    "{name} must be {}, not {}",
                    join_or(forms.into_iter()),
                    found(instance)
                ))
            } else {
                plain(format!(
                    "{} is not a valid {name}: it has none of the forms {name} may take",
                    shown(instance)
                ))
            }
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => plain(format!(
            "{name} fits more than one of the forms it may take; it must fit exactly one"
        )),
        ValidationErrorKind::Pattern { pattern } => Plain {
            help: described()
                .or_else(|| Some(format!("it must match the regular expression `{pattern}`"))),
            ..plain(format!("{} is not a valid {name}", shown(instance)))
        },
        ValidationErrorKind::MinItems { limit } => {
            let has = instance.as_array().map_or(0, Vec::len);
            plain(if has == 0 {
                format!("{name} is empty: it must have at least {}", items(*limit))
            } else {
                format!("{name} must have at least {}; it has {has}", items(*limit))
            })
        }
        ValidationErrorKind::MaxItems { limit } => {
            let has = instance.as_array().map_or(0, Vec::len);
            plain(format!(
                "{name} may have at most {}; it has {has}",
                items(*limit)
            ))
        }
        ValidationErrorKind::MinLength { limit: 1 } => plain(format!("{name} must not be empty")),
        ValidationErrorKind::MinLength { limit } => plain(format!(
            "{name} must be at least {} long",
            count(*limit, "character", "characters")
        )),
        ValidationErrorKind::MaxLength { limit } => plain(format!(
            "{name} may be at most {} long",
            count(*limit, "character", "characters")
        )),
        ValidationErrorKind::Minimum { limit } => plain(format!(
            "{name} must be at least {limit}, not {}",
            shown(instance)
        )),
        ValidationErrorKind::ExclusiveMinimum { limit } => plain(format!(
            "{name} must be greater than {limit}, not {}",
            shown(instance)
        )),
        ValidationErrorKind::Maximum { limit } => plain(format!(
            "{name} must be at most {limit}, not {}",
            shown(instance)
        )),
        ValidationErrorKind::ExclusiveMaximum { limit } => plain(format!(
            "{name} must be less than {limit}, not {}",
            shown(instance)
        )),
        ValidationErrorKind::MultipleOf { multiple_of } => plain(format!(
            "{name} must be a multiple of {multiple_of}, not {}",
            shown(instance)
        )),
        ValidationErrorKind::UniqueItems => {
            let list = instance.as_array().map(Vec::as_slice).unwrap_or_default();
            let again = (1..list.len()).find(|&i| list[..i].contains(&list[i]));
            match again {
                Some(i) => Plain {
                    pointer: format!("{pointer}/{i}"),
                    ..plain(format!(
                        "{name} lists {} twice: each item may appear once",
                        shown(&list[i])
                    ))
                },
                None => plain(format!(
                    "{name} lists an item twice: each item may appear once"
                )),
            }
        }
        ValidationErrorKind::Format { format } => plain(format!(
            "{name} must be a valid {}, not {}",
            format_words(format),
            shown(instance)
        )),
        ValidationErrorKind::PropertyNames { error } => {
            let key = error.instance().as_str().unwrap_or_default().to_owned();
            let help = schema.and_then(|root| {
                let nodes = nodes_at(root, &pointer)?;
                let names = nodes.iter().find_map(|n| n.get("propertyNames"))?;
                let names = resolve(root, names);
                names.get("description")?.as_str().map(str::to_owned)
            });
            Plain {
                pointer: child_pointer(&pointer, &key),
                at_key: true,
                message: format!("`{key}` is not a valid key in {name}"),
                help: help.or_else(described),
            }
        }
        ValidationErrorKind::MinProperties { limit } => plain(format!(
            "{name} must have at least {}",
            count(*limit, "key", "keys")
        )),
        ValidationErrorKind::MaxProperties { limit } => plain(format!(
            "{name} may have at most {}",
            count(*limit, "key", "keys")
        )),
        ValidationErrorKind::Contains => {
            plain(format!("{name} has no item of the kind it must contain"))
        }
        ValidationErrorKind::Not { .. } => plain(format!("{name} has a value not allowed here")),
        ValidationErrorKind::FalseSchema => Plain {
            at_key: true,
            ..plain(format!("{name} is not allowed here"))
        },
        ValidationErrorKind::AdditionalItems { limit } => {
            plain(format!("{name} may have at most {}", items(*limit as u64)))
        }
        ValidationErrorKind::UnevaluatedItems { .. } => {
            plain(format!("{name} has more items than allowed"))
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let key = unexpected.first().cloned().unwrap_or_default();
            Plain {
                pointer: child_pointer(&pointer, &key),
                at_key: true,
                ..plain(format!("unknown key `{key}`"))
            }
        }
        ValidationErrorKind::Required { property } => Plain {
            at_key: true,
            ..plain(format!(
                "missing required key `{}`",
                property.as_str().unwrap_or_default()
            ))
        },
        // Kinds no schema of doublecheck's uses (content encodings, custom keywords,
        // unresolvable references): the validator's own words.
        _ => plain(format!("{name} is not valid: {error}")),
    }
}

/// How a node is called: `limits.max-file-size`, `examples[0].files`, or "the file".
pub fn name(pointer: &str) -> String {
    let tokens = split_pointer(pointer);
    if tokens.is_empty() {
        return "the file".to_owned();
    }
    let mut out = String::new();
    for token in tokens {
        if token.parse::<usize>().is_ok() {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    format!("`{out}`")
}

/// A value as a message quotes it: scalars as written, lists and mappings by their size
/// (never dumped whole).
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "empty".to_owned(),
        Value::String(text) => {
            let one_line: String = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let cut: String = one_line.chars().take(60).collect();
            if cut.len() < one_line.len() {
                format!("`{cut}…`")
            } else {
                format!("`{cut}`")
            }
        }
        Value::Bool(_) | Value::Number(_) => format!("`{value}`"),
        Value::Array(list) => format!("a list of {}", items(list.len() as u64)),
        Value::Object(map) => format!("a mapping of {}", count(map.len() as u64, "key", "keys")),
    }
}

/// A value that has the wrong type, by its type.
fn found(value: &Value) -> String {
    match value {
        Value::Null => "empty".to_owned(),
        Value::Bool(_) => shown(value),
        Value::Number(_) => format!("the number {}", shown(value)),
        Value::String(_) => format!("the string {}", shown(value)),
        Value::Array(_) | Value::Object(_) => shown(value),
    }
}

fn type_words(kind: JsonType) -> &'static str {
    match kind {
        JsonType::Object => "a mapping",
        JsonType::Array => "a list",
        JsonType::String => "a string",
        JsonType::Integer => "a whole number",
        JsonType::Number => "a number",
        JsonType::Boolean => "`true` or `false`",
        JsonType::Null => "empty",
    }
}

fn format_words(format: &str) -> String {
    match format {
        "uri" => "URI (`https://…`)".to_owned(),
        "uri-reference" => "URI reference".to_owned(),
        "email" => "e-mail address".to_owned(),
        "date" => "date (YYYY-MM-DD)".to_owned(),
        "date-time" => "date and time (RFC 3339)".to_owned(),
        "regex" => "regular expression".to_owned(),
        other => other.to_owned(),
    }
}

/// `a`, `a or b`, `a, b or c`.
fn join_or(words: impl Iterator<Item = String>) -> String {
    let words: Vec<String> = words.collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn count(n: u64, one: &str, many: &str) -> String {
    crate::words::count(usize::try_from(n).unwrap_or(usize::MAX), one, many)
}

fn items(n: u64) -> String {
    count(n, "item", "items")
}

/// The option closest to a mistyped `text`: the same but for case, one it begins (`warn`
/// for `warning`), or one up to two edits away.
fn closest<'a>(text: &str, options: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = text.to_lowercase();
    options
        .map(|o| {
            let distance = if o.eq_ignore_ascii_case(text) {
                0
            } else if lower.len() >= 3 && o.to_lowercase().starts_with(&lower) {
                1
            } else {
                strsim::damerau_levenshtein(text, o)
            };
            (distance, o)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, o)| o)
}

/// The schema's description of the node at `pointer`, or of the list it is an item of.
fn description<'a>(root: &'a Value, pointer: &str) -> Option<String> {
    let described = |nodes: Vec<&'a Value>| {
        nodes
            .iter()
            .find_map(|n| n.get("description").and_then(Value::as_str))
            .map(str::to_owned)
    };
    if let Some(found) = nodes_at(root, pointer).and_then(described) {
        return Some(found);
    }
    let (parent, last) = pointer.rsplit_once('/')?;
    if last.parse::<usize>().is_ok() {
        nodes_at(root, parent).and_then(described)
    } else {
        None
    }
}

/// The schema nodes that describe the document's node at `pointer`: the one reached
/// through `properties`, `additionalProperties` or `items`, and what its `$ref` points to.
pub fn nodes_at<'a>(root: &'a Value, pointer: &str) -> Option<Vec<&'a Value>> {
    let mut nodes = vec![root];
    for token in split_pointer(pointer) {
        let at = resolve(root, nodes.last()?);
        let next = if token.parse::<usize>().is_ok() {
            at.get("items")
        } else {
            at.get("properties")
                .and_then(|p| p.get(token.as_str()))
                .or_else(|| at.get("additionalProperties").filter(|a| a.is_object()))
        }?;
        nodes = vec![next];
    }
    let last = nodes[0];
    let target = resolve(root, last);
    if !std::ptr::eq(target, last) {
        nodes.push(target);
    }
    Some(nodes)
}

/// Follows a local `$ref` (`#/$defs/name`).
pub fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer))
            .unwrap_or(schema),
        None => schema,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn explained(schema: &Value, instance: &Value) -> Vec<Plain> {
        let validator = jsonschema::validator_for(schema).expect("a valid schema");
        validator
            .iter_errors(instance)
            .map(|e| explain(&e, Some(schema)))
            .collect()
    }

    #[test]
    fn names_read_like_the_readme_writes_settings() {
        assert_eq!(name(""), "the file");
        assert_eq!(name("/limits/max-file-size"), "`limits.max-file-size`");
        assert_eq!(name("/examples/0/files"), "`examples[0].files`");
        assert_eq!(name("/exclude/2"), "`exclude[2]`");
    }

    #[test]
    fn a_list_is_counted_never_dumped() {
        let schema = json!({"properties": {"examples": {"type": "array", "minItems": 2}}});
        let found = explained(&schema, &json!({"examples": [{"name": "a", "files": []}]}));
        assert_eq!(
            found[0].message,
            "`examples` must have at least 2 items; it has 1"
        );
        assert_eq!(shown(&json!([1, 2, 3])), "a list of 3 items");
        assert_eq!(shown(&json!({"a": 1})), "a mapping of 1 key");
    }

    #[test]
    fn one_of_names_the_branch_whose_type_fits() {
        let schema = json!({"properties": {"size": {
            "description": "A number of bytes, or a number with KiB.",
            "oneOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+ ?KiB$"}]
        }}});
        let found = explained(&schema, &json!({"size": "10 parsecs"}));
        assert_eq!(found[0].message, "`10 parsecs` is not a valid `size`");
        assert_eq!(
            found[0].help.as_deref(),
            Some("A number of bytes, or a number with KiB.")
        );
        let found = explained(&schema, &json!({"size": true}));
        assert_eq!(
            found[0].message,
            "`size` must be a whole number or a string, not `true`"
        );
    }

    #[test]
    fn an_enum_suggests_the_closest_value() {
        let schema = json!({"properties": {"fail-on": {"enum": ["error", "warning", "note"]}}});
        let found = explained(&schema, &json!({"fail-on": "warn"}));
        assert_eq!(
            found[0].message,
            "`fail-on` must be `error`, `warning` or `note`, not `warn`"
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `warning`?"));
    }

    #[test]
    fn a_duplicate_is_pointed_at_where_it_repeats() {
        let schema = json!({"properties": {"exclude": {"type": "array", "uniqueItems": true}}});
        let found = explained(&schema, &json!({"exclude": ["a/", "b/", "a/"]}));
        assert_eq!(found[0].pointer, "/exclude/2");
        assert_eq!(
            found[0].message,
            "`exclude` lists `a/` twice: each item may appear once"
        );
    }
}
