//! Finding messages from a policy's template: `{name}` quotes a property of the selected node
//! (`{a.b}` for nested ones), `{failed-key}` and `{failed-value}` the failing property and
//! its value, `{reason}` what JSON Schema says is wrong, `{node-key}` and `{parent-key}` the
//! keys of the selected node and of its parent (`aws_s3_bucket` and `logs` for a Terraform
//! resource); `{{` and `}}` are literal braces.
//!
//! A grouped policy (see [`crate::policy::Grouping`]) also has `{group}` (the group's key),
//! `{count}` (how many selected nodes fail), `{items}` (the first few of them, named by the
//! group's `item` template) and `{failed-keys}` (every failing property of the group).
//!
//! A placeholder may end in one filter: `{field|before:.}` is the text before the first
//! `.` (`Contact` of `Contact.Email`), `{field|after:.}` the text after the last one
//! (`Email`); a value without the separator is kept whole. `{count|noun:field/fields}` is
//! the number with its noun: `1 field`, `3 fields`. `{parent-key|or:pod}` is `pod` where
//! the placeholder names nothing.

use std::ops::Range;

use serde_json::Value;

use crate::document::split_pointer;

/// What a message's placeholders are filled with.
#[derive(Debug, Default, Clone, Copy)]
pub struct MessageContext<'a> {
    pub node: Option<&'a Value>,
    pub node_pointer: &'a str,
    pub failed_key: Option<&'a str>,
    pub failed_value: Option<&'a Value>,
    pub reason: &'a str,
    pub group: Option<&'a GroupValues>,
}

/// The placeholders only a grouped finding has.
#[derive(Debug, Default, Clone)]
pub struct GroupValues {
    pub key: String,
    pub count: usize,
    pub items: String,
    pub failed_keys: String,
}

pub fn render_message(template: &str, context: &MessageContext<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let brace = rest.as_bytes()[open];
        if after.as_bytes().first() == Some(&brace) {
            out.push(brace as char);
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            out.push('}');
            rest = after;
            continue;
        }
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let (name, filter) = match after[..close].split_once('|') {
            Some((name, filter)) => (name, Some(filter)),
            None => (&after[..close], None),
        };
        let text = match (value(name, context), filter.and_then(parse_filter)) {
            (None, Some(Filter::Or(fallback))) => fallback.to_owned(),
            (value, _) => display(value.as_ref()),
        };
        out.push_str(&apply_filter(&text, filter));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

fn value(name: &str, context: &MessageContext<'_>) -> Option<Value> {
    let text = |s: &str| Some(Value::String(s.to_owned()));
    match (name, context.group) {
        ("failed-key", _) => context.failed_key.and_then(text),
        ("failed-value", _) => context.failed_value.cloned(),
        ("reason", _) => text(context.reason),
        ("node-key", _) => pointer_key(context.node_pointer, 0),
        ("parent-key", _) => pointer_key(context.node_pointer, 1),
        ("resource-id", _) => resource_id(context.node_pointer),
        ("group", Some(group)) => text(&group.key),
        ("count", Some(group)) => Some(Value::from(group.count)),
        ("items", Some(group)) => text(&group.items),
        ("failed-keys", Some(group)) => text(&group.failed_keys),
        ("failed-keys", None) => context.failed_key.and_then(text),
        _ => context.node.and_then(|node| lookup(node, name)).cloned(),
    }
}

/// The filters a placeholder may end in, for error messages.
pub const FILTERS: &str = "`|before:X` (the text before the first X), `|after:X` (after the \
                           last X), `|noun:ONE/MANY` (a number with its noun: 1 field, 3 fields) \
                           or `|or:X` (X when the placeholder names nothing)";

fn apply_filter(text: &str, filter: Option<&str>) -> String {
    match filter.and_then(parse_filter) {
        Some(Filter::Before(separator)) => text
            .split_once(separator)
            .map_or(text, |(before, _)| before)
            .to_owned(),
        Some(Filter::After(separator)) => text
            .rsplit_once(separator)
            .map_or(text, |(_, after)| after)
            .to_owned(),
        Some(Filter::Noun(one, many)) => {
            format!("{text} {}", if text == "1" { one } else { many })
        }
        // Applied where the value is looked up: it is there, or the fallback is the text.
        Some(Filter::Or(_)) | None => text.to_owned(),
    }
}

enum Filter<'a> {
    Before(&'a str),
    After(&'a str),
    /// The singular and the plural: `{count|noun:field/fields}`.
    Noun(&'a str, &'a str),
    /// The text when the placeholder names nothing: `{parent-key|or:pod}`.
    Or(&'a str),
}

fn parse_filter(filter: &str) -> Option<Filter<'_>> {
    match filter.split_once(':') {
        Some(("before", separator)) if !separator.is_empty() => Some(Filter::Before(separator)),
        Some(("after", separator)) if !separator.is_empty() => Some(Filter::After(separator)),
        Some(("or", fallback)) if !fallback.is_empty() => Some(Filter::Or(fallback)),
        Some(("noun", nouns)) => match nouns.split_once('/') {
            Some((one, many)) if !one.is_empty() && !many.is_empty() => {
                Some(Filter::Noun(one, many))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The unescaped key `up` levels above the end of a pointer (0: the node's own key).
fn pointer_key(pointer: &str, up: usize) -> Option<Value> {
    let tokens = split_pointer(pointer);
    let index = tokens.len().checked_sub(up + 1)?;
    tokens.into_iter().nth(index).map(Value::String)
}

/// The resource the node at `pointer` belongs to: a CloudFormation template's logical ID
/// (`/Resources/Data/…`), a Terraform resource's address (`/resource/aws_s3_bucket/logs/…`).
fn resource_id(pointer: &str) -> Option<Value> {
    let tokens = split_pointer(pointer);
    let id = match tokens.as_slice() {
        [first, id, ..] if first == "Resources" => id.clone(),
        [first, kind, name, ..] if first == "resource" => format!("{kind}.{name}"),
        _ => return None,
    };
    Some(Value::String(id))
}

fn lookup<'a>(node: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted
        .split('.')
        .try_fold(node, |current, part| match current {
            Value::Object(map) => map.get(part),
            Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
}

/// A value as a message shows it: a string as it is, a list of plain values as words
/// (`read, write`), anything else as JSON.
fn display(value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items))
            if !items.is_empty() && items.iter().all(|i| !i.is_array() && !i.is_object()) =>
        {
            let words: Vec<String> = items.iter().map(|i| display(Some(i))).collect();
            words.join(", ")
        }
        Some(other) => other.to_string(),
    }
}

/// One `{…}` of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder<'a> {
    /// Its bytes in the template, braces included.
    pub range: Range<usize>,
    pub name: &'a str,
    /// The filter after `|`, and where it starts in the template.
    pub filter: Option<(usize, &'a str)>,
}

/// The placeholders of a template, in order; a malformed one (an unclosed `{`, a lone `}`,
/// an empty name or a character a name cannot have) is the byte offset of its brace. An
/// unclosed `{` ends the scan.
fn scan(template: &str) -> Vec<Result<Placeholder<'_>, usize>> {
    let mut found = Vec::new();
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                let Some(length) = template[i + 1..].find('}') else {
                    found.push(Err(i));
                    break;
                };
                let close = i + 1 + length;
                let inner = &template[i + 1..close];
                let (name, filter) = match inner.split_once('|') {
                    Some((name, filter)) => (name, Some((i + 2 + name.len(), filter))),
                    None => (inner, None),
                };
                let valid = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_.-@#".contains(&b));
                found.push(if valid {
                    Ok(Placeholder {
                        range: i..close + 1,
                        name,
                        filter,
                    })
                } else {
                    Err(i)
                });
                i = close + 1;
            }
            b'}' => {
                found.push(Err(i));
                i += 1;
            }
            _ => i += 1,
        }
    }
    found
}

/// doublecheck's own placeholders with a dash; a name with a dash (and no dot) that is not
/// one of them names nothing.
const OWN: &[&str] = &[
    "failed-key",
    "failed-value",
    "failed-keys",
    "node-key",
    "parent-key",
    "resource-id",
];

/// The placeholders only a grouped policy's `message` has (elsewhere they are properties).
const GROUPED: &[&str] = &["group", "count", "items"];

/// Where a template is used, which decides what its placeholders can name.
#[derive(Debug, Clone, Copy, Default)]
pub struct TemplateUse {
    /// The `message` of a grouped policy: `{group}`, `{count}` and `{items}` are the group's.
    pub grouped_message: bool,
    /// How deep `select` picks its nodes, when every node is at that one depth (0 for the
    /// document itself): `{node-key}` names nothing at 0, `{parent-key}` nothing below 2.
    pub select_depth: Option<usize>,
}

/// A malformed placeholder, or one that names nothing on any finding: where in the template
/// (bytes), what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub range: Range<usize>,
    pub message: String,
    pub help: String,
}

/// Every mistake in a template's placeholders that is certain without a document: a
/// malformed placeholder, an unknown filter or one without its separator, a name with an
/// empty part (`{a..b}`), a dashed name that is none of doublecheck's own (`{failed-kye}`,
/// and `{failed_key}` / `{failedKey}` for `{failed-key}`), a key above the selected nodes.
/// Any other name is a property of the selected node, which only a document can tell.
pub fn check_template(template: &str, usage: TemplateUse) -> Vec<TemplateError> {
    let mut errors = Vec::new();
    for placeholder in scan(template) {
        let placeholder = match placeholder {
            Ok(placeholder) => placeholder,
            Err(at) => {
                errors.push(TemplateError {
                    range: at..at + 1,
                    message: format!(
                        "malformed placeholder at character {}",
                        template[..at].chars().count() + 1
                    ),
                    help: "a placeholder is a name in braces: {name}, {a.b}, {failed-key}, \
                           {failed-value}, {reason}, {node-key}, {parent-key}, and for a grouped \
                           policy {group}, {count}, {items}, {failed-keys}; a name has letters, \
                           digits and _ . - @ #; write {{ and }} for braces"
                        .to_owned(),
                });
                continue;
            }
        };
        let written = &template[placeholder.range.clone()];
        let name = placeholder.name;
        if let Some((at, filter)) = placeholder.filter
            && let Some(error) = filter_error(name, filter)
        {
            errors.push(TemplateError {
                range: at..at + filter.len(),
                ..error
            });
        }
        let range = placeholder.range.clone();
        if name.split('.').any(str::is_empty) {
            errors.push(TemplateError {
                range,
                message: format!("empty name between the dots of `{written}`"),
                help: "a property path is its names joined by single dots: {a.b}".to_owned(),
            });
        } else if !name.contains('.') && is_reserved(name) && !OWN.contains(&name) {
            let mut names: Vec<&str> = OWN.to_vec();
            names.push("reason");
            if usage.grouped_message {
                names.extend(GROUPED);
            }
            let closest = names
                .iter()
                .map(|known| (strsim::damerau_levenshtein(name, known), *known))
                .filter(|(distance, _)| *distance <= 3)
                .min();
            errors.push(TemplateError {
                range,
                message: format!("unknown placeholder `{written}`"),
                help: match closest {
                    Some((_, known)) => format!("did you mean `{{{known}}}`?"),
                    None => format!(
                        "a name with a dash is one of doublecheck's own ({}); a property of \
                         the selected node is named as it is written: {{object}}, {{a.b}}",
                        OWN.iter()
                            .map(|n| format!("{{{n}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            });
        } else if let Some(depth) = usage.select_depth
            && let Some((up, what)) = match name {
                "node-key" => Some((0, "the selected node")),
                "parent-key" => Some((1, "the selected node's parent")),
                _ => None,
            }
            && depth <= up
        {
            let picks = if depth == 0 {
                "the whole document"
            } else {
                "nodes right under the document"
            };
            errors.push(TemplateError {
                range,
                message: format!("`{written}` names nothing"),
                help: format!(
                    "`select` picks {picks}, so {what} has no key: select the nodes whose keys \
                     you want to name (the nodes of `$.resource.*.*` have the resource's name \
                     as {{node-key}} and its type as {{parent-key}}), or leave `{written}` out"
                ),
            });
        }
    }
    errors
}

/// A name that can only be one of doublecheck's own placeholders: one with a dash, or a
/// dashed one written with `_` or in camelCase (`failed_key`, `failedKey`).
fn is_reserved(name: &str) -> bool {
    name.contains('-')
        || OWN.iter().any(|own| {
            let camel: String = own
                .split('-')
                .enumerate()
                .map(|(i, part)| {
                    let mut chars = part.chars();
                    match (i, chars.next()) {
                        (0, _) | (_, None) => part.to_owned(),
                        (_, Some(first)) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                    }
                })
                .collect();
            name == own.replace('-', "_") || name == camel
        })
}

/// What is wrong with a filter `parse_filter` rejects (`range` is set by the caller).
fn filter_error(name: &str, filter: &str) -> Option<TemplateError> {
    if parse_filter(filter).is_some() {
        return None;
    }
    let (filter_name, separator) = filter.split_once(':').unwrap_or((filter, ""));
    let message;
    let help;
    if filter_name == "noun" {
        message = "filter `|noun` without its two nouns".to_owned();
        help = format!(
            "write the singular and the plural after a colon: `{{{name}|noun:field/fields}}` is \
             `1 field`, `3 fields`"
        );
    } else if filter_name == "or" {
        message = "filter `|or` without its text".to_owned();
        help = format!("write the text to show when `{name}` names nothing: `{{{name}|or:none}}`");
    } else if matches!(filter_name, "before" | "after") {
        message = format!("filter `|{filter_name}` without a separator");
        help = format!(
            "write the text to cut at after a colon: `{{{name}|{filter_name}:.}}` is the text {} `.`",
            if filter_name == "before" {
                "before the first"
            } else {
                "after the last"
            }
        );
    } else {
        message = format!("unknown filter `|{filter_name}`");
        let separator = if separator.is_empty() { "." } else { separator };
        help = match ["before", "after", "noun", "or"]
            .iter()
            .map(|known| (strsim::damerau_levenshtein(filter_name, known), *known))
            .filter(|(distance, _)| *distance <= 2)
            .min()
        {
            Some((_, known)) => format!("did you mean `{{{name}|{known}:{separator}}}`?"),
            None => format!("a filter is {FILTERS}"),
        };
    }
    Some(TemplateError {
        range: 0..0,
        message,
        help,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: &str, node: &Value, pointer: &str) -> String {
        let context = MessageContext {
            node: Some(node),
            node_pointer: pointer,
            ..MessageContext::default()
        };
        render_message(template, &context)
    }

    #[test]
    fn the_resource_a_node_is_in_is_named() {
        let node = json!({});
        let cfn = "/Resources/Data/Properties/PublicAccessBlockConfiguration";
        assert_eq!(render("{resource-id}", &node, cfn), "Data");
        let tf = "/resource/aws_s3_bucket/logs/grant/0";
        assert_eq!(render("{resource-id}", &node, tf), "aws_s3_bucket.logs");
        assert_eq!(
            render("{resource-id|or:none}", &node, "/spec/containers/0"),
            "none"
        );
    }

    #[test]
    fn quotes_node_values_and_failure() {
        let node = json!({"object": "Account", "nested": {"n": 2}});
        let context = MessageContext {
            node: Some(&node),
            node_pointer: "/Profile/objectPermissions/3",
            failed_key: Some("allowEdit"),
            failed_value: Some(&json!(true)),
            reason: "true was expected to be false",
            group: None,
        };
        let msg = render_message(
            "guest can {failed-key}={failed-value} on {object} ({nested.n}) {{x}} {missing}: {reason}",
            &context,
        );
        assert_eq!(
            msg,
            "guest can allowEdit=true on Account (2) {x} (none): true was expected to be false"
        );
    }

    #[test]
    fn node_and_parent_keys_come_from_the_pointer() {
        let msg = render(
            "{parent-key}.{node-key}",
            &json!({}),
            "/resource/aws_s3_bucket/a~1b",
        );
        assert_eq!(msg, "aws_s3_bucket.a/b");
        assert_eq!(render("{parent-key}", &json!({}), ""), "(none)");
        assert_eq!(render("{parent-key|or:pod}", &json!({}), ""), "pod");
        assert_eq!(render("{missing|or:-}", &json!({"x": 1}), ""), "-");
        assert_eq!(render("{x|or:-}", &json!({"x": "(none)"}), ""), "(none)");
    }

    #[test]
    fn filters_cut_at_a_separator() {
        let node = json!({"field": "Case.Supplied.Email", "plain": "Email"});
        assert_eq!(render("{field|before:.}", &node, ""), "Case");
        assert_eq!(render("{field|after:.}", &node, ""), "Email");
        assert_eq!(render("{plain|before:.}", &node, ""), "Email");
    }

    #[test]
    fn the_noun_filter_says_one_or_many() {
        let node = json!({"one": 1, "three": 3, "none": 0});
        assert_eq!(render("{one|noun:field/fields}", &node, ""), "1 field");
        assert_eq!(render("{three|noun:class/classes}", &node, ""), "3 classes");
        assert_eq!(render("{none|noun:field/fields}", &node, ""), "0 fields");
        assert_eq!(
            check("{count|noun:field}")[0].1,
            "filter `|noun` without its two nouns"
        );
    }

    #[test]
    fn group_placeholders() {
        let group = GroupValues {
            key: "Contact".to_owned(),
            count: 3,
            items: "Email, Phone and 1 more".to_owned(),
            failed_keys: "readable, editable".to_owned(),
        };
        let context = MessageContext {
            group: Some(&group),
            ..MessageContext::default()
        };
        assert_eq!(
            render_message("{count} of {group} ({failed-keys}): {items}", &context),
            "3 of Contact (readable, editable): Email, Phone and 1 more"
        );
    }

    fn names(template: &str) -> Vec<Result<&str, usize>> {
        scan(template)
            .into_iter()
            .map(|p| p.map(|p| p.name))
            .collect()
    }

    #[test]
    fn placeholder_syntax() {
        assert_eq!(names("a {b} {{c}}"), vec![Ok("b")]);
        assert_eq!(names("a {b"), vec![Err(2)]);
        assert_eq!(names("a {b c} {d} }"), vec![Err(2), Ok("d"), Err(12)]);
        assert_eq!(names("{f|before:.}"), vec![Ok("f")]);
        assert_eq!(names("{}"), vec![Err(0)]);
        let found = scan("x {f|after:/}");
        assert_eq!(
            found,
            vec![Ok(Placeholder {
                range: 2..13,
                name: "f",
                filter: Some((5, "after:/")),
            })]
        );
    }

    fn check(template: &str) -> Vec<(String, String, String)> {
        check_template(template, TemplateUse::default())
            .into_iter()
            .map(|e| (template[e.range].to_owned(), e.message, e.help))
            .collect()
    }

    #[test]
    fn every_placeholder_that_names_something_passes() {
        for template in [
            "{failed-key} {failed-value} {failed-keys} {reason} {node-key} {parent-key}",
            "{object} {hostPath.path} {@name} {#text} {a_b} {count} {items|after:, }",
            "{{not-a-placeholder}} {field|before:.}",
        ] {
            assert_eq!(check(template), vec![], "{template}");
        }
    }

    #[test]
    fn a_dashed_name_that_is_none_of_ours_names_nothing() {
        assert_eq!(
            check("guest can {failed-kye} on {object}"),
            vec![(
                "{failed-kye}".to_owned(),
                "unknown placeholder `{failed-kye}`".to_owned(),
                "did you mean `{failed-key}`?".to_owned()
            )]
        );
        let underscore = check("{failed_key} {nodeKey} {parentKey}");
        let helps: Vec<&str> = underscore.iter().map(|(_, _, h)| h.as_str()).collect();
        assert_eq!(
            helps,
            vec![
                "did you mean `{failed-key}`?",
                "did you mean `{node-key}`?",
                "did you mean `{parent-key}`?"
            ]
        );
        let far = check("{my-own-property}");
        assert_eq!(far.len(), 1);
        assert!(
            far[0]
                .2
                .starts_with("a name with a dash is one of doublecheck's own")
        );
        // A dotted path is a property path, dashes and all.
        assert_eq!(check("{metadata.labels.team-name}"), vec![]);
        // The group's names are suggested only where they exist.
        let grouped = TemplateUse {
            grouped_message: true,
            select_depth: None,
        };
        let errors = check_template("{item-s}", grouped);
        assert_eq!(errors[0].help, "did you mean `{items}`?");
    }

    #[test]
    fn filters_need_a_known_name_and_a_separator() {
        assert_eq!(
            check("{field|befor:.}"),
            vec![(
                "befor:.".to_owned(),
                "unknown filter `|befor`".to_owned(),
                "did you mean `{field|before:.}`?".to_owned()
            )]
        );
        assert_eq!(
            check("{field|upper}")[0].2,
            format!("a filter is {FILTERS}")
        );
        assert_eq!(
            check("{field|after}"),
            vec![(
                "after".to_owned(),
                "filter `|after` without a separator".to_owned(),
                "write the text to cut at after a colon: `{field|after:.}` is the text after \
                 the last `.`"
                    .to_owned()
            )]
        );
        assert_eq!(check("{field|before:}")[0].0, "before:");
    }

    #[test]
    fn empty_names_and_malformed_braces() {
        assert_eq!(
            check("{hostPath..path}")[0].1,
            "empty name between the dots of `{hostPath..path}`"
        );
        let malformed = check("ünïcode {a b}");
        assert_eq!(malformed[0].0, "{");
        assert_eq!(malformed[0].1, "malformed placeholder at character 9");
    }

    #[test]
    fn keys_above_the_selected_nodes_name_nothing() {
        let at = |depth| TemplateUse {
            grouped_message: false,
            select_depth: Some(depth),
        };
        let errors = check_template("{parent-key}.{node-key}", at(0));
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[1].message, "`{node-key}` names nothing");
        assert!(errors[1].help.starts_with(
            "`select` picks the whole document, so the selected node has no key: select"
        ));
        let errors = check_template("{parent-key}.{node-key}", at(1));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].help.starts_with(
            "`select` picks nodes right under the document, so the selected node's parent \
             has no key"
        ));
        assert!(check_template("{parent-key}.{node-key}", at(2)).is_empty());
    }

    #[test]
    fn lists_of_plain_values_read_as_words() {
        assert_eq!(display(Some(&json!(["read", "write"]))), "read, write");
        assert_eq!(display(Some(&json!([1, true]))), "1, true");
        assert_eq!(display(Some(&json!([]))), "[]");
        assert_eq!(display(Some(&json!([{"a": 1}]))), "[{\"a\":1}]");
    }
}
