//! Terraform's functions that the evaluation knows, applied to known arguments. Lists and
//! objects may hold unknown members (their `${…}` text) where the function passes them along
//! without looking (`concat`, `merge`, `lookup`); anything a function must look into is
//! known or the call is unknown. `jsonencode` of an object or list is that object or list,
//! as the HCL lowering reads it (the policy document it encodes). `file` and `templatefile`
//! read files, which the evaluation does itself (`files.rs`).

use serde_json::{Map, Value};

use super::is_known;
use crate::document::SourceFile;
use crate::parse::{Format, parse};
use hcl_edit::expr::BinaryOperator;

/// The functions [`call`] knows.
const KNOWN: &[&str] = &[
    "concat",
    "merge",
    "lookup",
    "tolist",
    "tomap",
    "jsonencode",
    "toset",
    "distinct",
    "tostring",
    "length",
    "keys",
    "values",
    "flatten",
    "lower",
    "upper",
    "join",
    "split",
    "contains",
    "coalesce",
    "format",
    "jsondecode",
    "yamldecode",
    // Read by the evaluation itself (`files.rs`), not by [`call`].
    "file",
    "templatefile",
];

/// Whether an expression that starts with a call to `name` can be known: a call to a
/// function the evaluation does not know is not parsed at all.
pub(super) fn may_know(name: &str) -> bool {
    KNOWN.contains(&name)
}

/// `name(args…)`, or `None` when the function is not known or the result is not.
pub(super) fn call(name: &str, args: Vec<Value>) -> Option<Value> {
    let known = || args.iter().all(is_known);
    match name {
        "concat" => {
            let mut out = Vec::new();
            for arg in args {
                out.extend(into_array(arg)?);
            }
            Some(Value::Array(out))
        }
        "merge" => {
            let mut out = Map::new();
            for arg in args {
                match arg {
                    Value::Object(map) => out.extend(map),
                    Value::Null => {}
                    _ => return None,
                }
            }
            Some(Value::Object(out))
        }
        "lookup" => {
            let mut args = args.into_iter();
            let (Value::Object(mut map), Value::String(key)) = (args.next()?, args.next()?) else {
                return None;
            };
            map.remove(&key).or_else(|| args.next())
        }
        "tolist" | "tomap" | "jsonencode" if args.len() == 1 => {
            let arg = args.into_iter().next()?;
            match (name, &arg) {
                ("tolist", Value::Array(_)) | ("tomap" | "jsonencode", Value::Object(_)) => {
                    Some(arg)
                }
                ("jsonencode", Value::Array(_)) => Some(arg),
                ("jsonencode", _) if is_known(&arg) => {
                    serde_json::to_string(&arg).ok().map(Value::String)
                }
                _ => None,
            }
        }
        "toset" | "distinct" if args.len() == 1 && known() => {
            let mut items = into_array(args.into_iter().next()?)?;
            let mut seen = Vec::with_capacity(items.len());
            items.retain(|item| {
                let new = !seen.contains(item);
                if new {
                    seen.push(item.clone());
                }
                new
            });
            // A set of strings is iterated in lexical order.
            if name == "toset" && items.iter().all(Value::is_string) {
                items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            }
            Some(Value::Array(items))
        }
        "tostring" if args.len() == 1 && known() => text_of(&args[0]).map(Value::String),
        "length" if args.len() == 1 => match &args[0] {
            Value::Array(items) => Some(Value::from(items.len())),
            Value::Object(map) => Some(Value::from(map.len())),
            Value::String(s) if known() => Some(Value::from(s.chars().count())),
            _ => None,
        },
        "keys" if args.len() == 1 => match &args[0] {
            Value::Object(map) => Some(map.keys().cloned().map(Value::String).collect()),
            _ => None,
        },
        "values" if args.len() == 1 => match args.into_iter().next()? {
            Value::Object(map) => Some(map.into_iter().map(|(_, v)| v).collect()),
            _ => None,
        },
        "flatten" if args.len() == 1 => {
            let mut out = Vec::new();
            flatten(into_array(args.into_iter().next()?)?, &mut out);
            Some(Value::Array(out))
        }
        "lower" | "upper" if args.len() == 1 && known() => {
            let s = args[0].as_str()?;
            Some(Value::String(if name == "lower" {
                s.to_lowercase()
            } else {
                s.to_uppercase()
            }))
        }
        "join" if args.len() == 2 && known() => {
            let parts: Option<Vec<String>> = args[1].as_array()?.iter().map(text_of).collect();
            Some(Value::String(parts?.join(args[0].as_str()?)))
        }
        "split" if args.len() == 2 && known() => {
            let (sep, text) = (args[0].as_str()?, args[1].as_str()?);
            Some(
                text.split(sep)
                    .map(|s| Value::String(s.to_owned()))
                    .collect(),
            )
        }
        "contains" if args.len() == 2 && known() => {
            Some(Value::Bool(args[0].as_array()?.contains(&args[1])))
        }
        "coalesce" if known() => args
            .into_iter()
            .find(|a| !a.is_null() && a.as_str() != Some("")),
        "format" if known() => {
            let mut args = args.into_iter();
            let spec = args.next()?;
            format(spec.as_str()?, args.collect()).map(Value::String)
        }
        "jsondecode" if args.len() == 1 => match args.into_iter().next()? {
            // `jsondecode(jsonencode(x))`: the lowering already holds `x`.
            value @ (Value::Object(_) | Value::Array(_)) => Some(value),
            Value::String(text) if !text.contains("${") => serde_json::from_str(&text).ok(),
            _ => None,
        },
        "yamldecode" if args.len() == 1 && known() => {
            let source = SourceFile::new("yamldecode", args[0].as_str()?.to_owned());
            let mut documents = parse(Format::YAML, &source).ok()?;
            (documents.len() == 1).then(|| documents.remove(0).value)
        }
        _ => None,
    }
}

fn into_array(value: Value) -> Option<Vec<Value>> {
    match value {
        Value::Array(items) => Some(items),
        _ => None,
    }
}

fn flatten(items: Vec<Value>, out: &mut Vec<Value>) {
    for item in items {
        match item {
            Value::Array(inner) => flatten(inner, out),
            other => out.push(other),
        }
    }
}

/// Terraform's `format` for the verbs configurations use: `%s`, `%d`, `%v`, `%%`.
fn format(spec: &str, args: Vec<Value>) -> Option<String> {
    let mut args = args.into_iter();
    let mut out = String::new();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'v' => out.push_str(&text_of(&args.next()?)?),
            'd' => out.push_str(&args.next()?.as_i64()?.to_string()),
            _ => return None,
        }
    }
    args.next().is_none().then_some(out)
}

/// A known scalar as template text.
pub(super) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.contains("${") => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn binary(operator: BinaryOperator, lhs: &Value, rhs: &Value) -> Option<Value> {
    use BinaryOperator as Op;
    let number = |v: &Value| v.as_f64();
    Some(match operator {
        Op::Eq => Value::Bool(lhs == rhs),
        Op::NotEq => Value::Bool(lhs != rhs),
        Op::And => Value::Bool(lhs.as_bool()? && rhs.as_bool()?),
        Op::Or => Value::Bool(lhs.as_bool()? || rhs.as_bool()?),
        Op::Less => Value::Bool(number(lhs)? < number(rhs)?),
        Op::LessEq => Value::Bool(number(lhs)? <= number(rhs)?),
        Op::Greater => Value::Bool(number(lhs)? > number(rhs)?),
        Op::GreaterEq => Value::Bool(number(lhs)? >= number(rhs)?),
        Op::Plus => Value::from(lhs.as_i64()?.checked_add(rhs.as_i64()?)?),
        Op::Minus => Value::from(lhs.as_i64()?.checked_sub(rhs.as_i64()?)?),
        Op::Mul => Value::from(lhs.as_i64()?.checked_mul(rhs.as_i64()?)?),
        Op::Div | Op::Mod => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(name: &str, args: Value) -> Option<Value> {
        call(name, args.as_array().cloned().unwrap_or_default())
    }

    #[test]
    fn collections_pass_unknown_members_along() {
        assert_eq!(
            f("concat", json!([["a"], ["${aws_x.y.id}"]])),
            Some(json!(["a", "${aws_x.y.id}"]))
        );
        assert_eq!(
            f("merge", json!([{"a": 1, "b": 2}, null, {"b": 3}])),
            Some(json!({"a": 1, "b": 3}))
        );
        assert_eq!(f("lookup", json!([{"a": 1}, "b", 2])), Some(json!(2)));
        assert_eq!(f("lookup", json!([{"a": 1}, "b"])), None);
        assert_eq!(
            f("toset", json!([["b", "a", "b"]])),
            Some(json!(["a", "b"]))
        );
        assert_eq!(f("toset", json!([["${var.x}"]])), None);
        assert_eq!(
            f("flatten", json!([[[1], [2, [3]]]])),
            Some(json!([1, 2, 3]))
        );
        assert_eq!(f("length", json!([{"a": 1}])), Some(json!(1)));
    }

    #[test]
    fn strings_and_documents() {
        assert_eq!(
            f("format", json!(["%s-cd-%d%%", "prod", 2])),
            Some(json!("prod-cd-2%"))
        );
        assert_eq!(f("format", json!(["%s", "a", "b"])), None);
        assert_eq!(f("format", json!(["%q", "a"])), None);
        assert_eq!(f("join", json!([",", ["a", 1]])), Some(json!("a,1")));
        assert_eq!(
            f("jsondecode", json!(["{\"Principal\": \"*\"}"])),
            Some(json!({"Principal": "*"}))
        );
        assert_eq!(
            f("yamldecode", json!(["users: [a, b]\n"])),
            Some(json!({"users": ["a", "b"]}))
        );
        assert_eq!(f("yamldecode", json!(["a: [\n"])), None);
        assert_eq!(f("jsonencode", json!(["x"])), Some(json!("\"x\"")));
        assert_eq!(f("file", json!(["policy.json"])), None);
        assert_eq!(f("unknown_function", json!([])), None);
    }
}
