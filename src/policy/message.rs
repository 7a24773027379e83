//! Finding messages from a policy's template: `{name}` quotes a property of the selected node
//! (`{a.b}` for nested ones), `{failed-key}` and `{failed-value}` the failing property and
//! its value, `{reason}` what JSON Schema says is wrong, `{node-key}` and `{parent-key}` the
//! keys of the selected node and of its parent (`aws_s3_bucket` and `logs` for a Terraform
//! resource); `{{` and `}}` are literal braces.

use serde_json::Value;

use crate::document::split_pointer;

pub fn render_message(
    template: &str,
    node: &Value,
    node_pointer: &str,
    failed_key: Option<&str>,
    failed_value: Option<&Value>,
    reason: &str,
) -> String {
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
        let name = &after[..close];
        let value = match name {
            "failed-key" => failed_key.map(|k| Value::String(k.to_owned())),
            "failed-value" => failed_value.cloned(),
            "reason" => Some(Value::String(reason.to_owned())),
            "node-key" => pointer_key(node_pointer, 0),
            "parent-key" => pointer_key(node_pointer, 1),
            _ => lookup(node, name).cloned(),
        };
        out.push_str(&display(value.as_ref()));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
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

/// The placeholder names a template uses, so a loader can reject malformed ones.
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
                let name = &template[i + 1..close];
                let valid = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_.-@#".contains(&b));
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

    #[test]
    fn quotes_node_values_and_failure() {
        let node = json!({"object": "Account", "nested": {"n": 2}});
        let msg = render_message(
            "guest can {failed-key}={failed-value} on {object} ({nested.n}) {{x}} {missing}: {reason}",
            &node,
            "/Profile/objectPermissions/3",
            Some("allowEdit"),
            Some(&json!(true)),
            "true was expected to be false",
        );
        assert_eq!(
            msg,
            "guest can allowEdit=true on Account (2) {x} (none): true was expected to be false"
        );
    }

    #[test]
    fn node_and_parent_keys_come_from_the_pointer() {
        let msg = render_message(
            "{parent-key}.{node-key}",
            &json!({}),
            "/resource/aws_s3_bucket/a~1b",
            None,
            None,
            "",
        );
        assert_eq!(msg, "aws_s3_bucket.a/b");
        assert_eq!(
            render_message("{parent-key}", &json!({}), "", None, None, ""),
            "(none)"
        );
    }

    #[test]
    fn placeholder_syntax() {
        assert_eq!(placeholders("a {b} {{c}}"), Ok(vec!["b"]));
        assert_eq!(placeholders("a {b"), Err(2));
        assert_eq!(placeholders("a {b c}"), Err(2));
    }
}
