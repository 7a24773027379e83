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
//! (`Email`); a value without the separator is kept whole.

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
        let text = display(value(name, context).as_ref());
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
        ("group", Some(group)) => text(&group.key),
        ("count", Some(group)) => Some(Value::from(group.count)),
        ("items", Some(group)) => text(&group.items),
        ("failed-keys", Some(group)) => text(&group.failed_keys),
        ("failed-keys", None) => context.failed_key.and_then(text),
        _ => context.node.and_then(|node| lookup(node, name)).cloned(),
    }
}

/// The filters a placeholder may end in, for error messages.
pub const FILTERS: &str =
    "`|before:X` (the text before the first X) or `|after:X` (after the last X)";

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
        None => text.to_owned(),
    }
}

enum Filter<'a> {
    Before(&'a str),
    After(&'a str),
}

fn parse_filter(filter: &str) -> Option<Filter<'_>> {
    match filter.split_once(':') {
        Some(("before", separator)) if !separator.is_empty() => Some(Filter::Before(separator)),
        Some(("after", separator)) if !separator.is_empty() => Some(Filter::After(separator)),
        _ => None,
    }
}

/// The unescaped key `up` levels above the end of a pointer (0: the node's own key).
fn pointer_key(pointer: &str, up: usize) -> Option<Value> {
    let tokens = split_pointer(pointer);
    let index = tokens.len().checked_sub(up + 1)?;
    tokens.into_iter().nth(index).map(Value::String)
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

fn display(value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The placeholders of a template (with their filters), or the byte offset of the first
/// malformed one.
pub fn placeholders(template: &str) -> Result<Vec<&str>, usize> {
    let mut names = Vec::new();
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                let close = template[i + 1..].find('}').ok_or(i)? + i + 1;
                let inner = &template[i + 1..close];
                let (name, filter) = match inner.split_once('|') {
                    Some((name, filter)) => (name, Some(filter)),
                    None => (inner, None),
                };
                let valid = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_.-@#".contains(&b))
                    && filter.is_none_or(|f| parse_filter(f).is_some());
                if !valid {
                    return Err(i);
                }
                names.push(name);
                i = close + 1;
            }
            b'}' => return Err(i),
            _ => i += 1,
        }
    }
    Ok(names)
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
    }

    #[test]
    fn filters_cut_at_a_separator() {
        let node = json!({"field": "Case.Supplied.Email", "plain": "Email"});
        assert_eq!(render("{field|before:.}", &node, ""), "Case");
        assert_eq!(render("{field|after:.}", &node, ""), "Email");
        assert_eq!(render("{plain|before:.}", &node, ""), "Email");
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

    #[test]
    fn placeholder_syntax() {
        assert_eq!(placeholders("a {b} {{c}}"), Ok(vec!["b"]));
        assert_eq!(placeholders("a {b"), Err(2));
        assert_eq!(placeholders("a {b c}"), Err(2));
        assert_eq!(placeholders("{f|before:.}"), Ok(vec!["f"]));
        assert_eq!(placeholders("x {f|upper}"), Err(2));
        assert_eq!(placeholders("{f|after:}"), Err(0));
    }
}
