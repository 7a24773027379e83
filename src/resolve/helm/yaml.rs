//! `toYaml` and `fromYaml`: values to block YAML as Helm writes it (keys sorted, strings
//! quoted when they would read as something else), and YAML text to values.

use std::collections::BTreeMap;

use super::text::quote;
use super::value::{UNKNOWN_TEXT, Val, format_float};
use crate::document::SourceFile;
use crate::parse::{Format, parse};

pub fn to_yaml(value: &Val) -> String {
    let mut out = String::new();
    match value {
        Val::Map(map) if !map.borrow().is_empty() => block_map(&map.borrow(), 0, &mut out, 0),
        Val::List(items) if !items.is_empty() => block_list(items, 0, &mut out, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn block_map(map: &BTreeMap<String, Val>, indent: usize, out: &mut String, depth: usize) {
    for (key, value) in map {
        out.push_str(&" ".repeat(indent));
        out.push_str(&key_text(key));
        out.push(':');
        nested(value, indent, out, depth, false);
    }
}

fn block_list(items: &[Val], indent: usize, out: &mut String, depth: usize) {
    for value in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        nested(value, indent, out, depth, true);
    }
}

/// The value after `key:` or `-`: inline when a scalar or empty, else on the next lines.
fn nested(value: &Val, indent: usize, out: &mut String, depth: usize, in_list: bool) {
    if depth > crate::parse::MAX_DEPTH {
        out.push(' ');
        out.push_str(UNKNOWN_TEXT);
        out.push('\n');
        return;
    }
    match value {
        Val::Map(map) if !map.borrow().is_empty() => {
            if in_list {
                // `- a: 1` with the other keys under `a`.
                let mut inner = String::new();
                block_map(&map.borrow(), indent + 2, &mut inner, depth + 1);
                out.push(' ');
                out.push_str(inner.trim_start_matches(' '));
            } else {
                out.push('\n');
                block_map(&map.borrow(), indent + 2, out, depth + 1);
            }
        }
        Val::List(items) if !items.is_empty() => {
            out.push('\n');
            // Helm (go-yaml) writes a list under a key at the key's indentation.
            let inner = if in_list { indent + 2 } else { indent };
            block_list(items, inner, out, depth + 1);
        }
        Val::Str(s) if s.contains('\n') => {
            let chomp = if s.ends_with('\n') { "" } else { "-" };
            out.push_str(&format!(" |{chomp}\n"));
            let body = s.strip_suffix('\n').unwrap_or(s);
            for line in body.split('\n') {
                if !line.is_empty() {
                    out.push_str(&" ".repeat(indent + 2));
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn key_text(key: &str) -> String {
    if needs_quotes(key) {
        quoted(key)
    } else {
        key.to_owned()
    }
}

/// A string that needs quotes, quoted as go-yaml quotes it: single quotes when it has no
/// control character (so a template action inside, `'{{ include "x" . }}'`, stays one
/// for a later `tpl`), else double quotes with escapes.
fn quoted(s: &str) -> String {
    if s.chars().any(char::is_control) {
        quote(s)
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn scalar(value: &Val) -> String {
    match value {
        Val::Nil => "null".to_owned(),
        Val::Bool(b) => b.to_string(),
        Val::Int(i) => i.to_string(),
        Val::Float(f) => format_float(*f),
        Val::Str(s) if needs_quotes(s) => quoted(s),
        Val::Str(s) => s.to_string(),
        Val::Map(_) => "{}".to_owned(),
        Val::List(_) => "[]".to_owned(),
        Val::Unknown(_) | Val::Method(_) => UNKNOWN_TEXT.to_owned(),
    }
}

/// Whether a plain scalar would read as something else than this string.
fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    ) || s.parse::<f64>().is_ok()
        || s.starts_with(['0', '+', '-', '.'])
            && s[1..]
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, 'x' | 'o' | '.' | '_'))
    {
        return true;
    }
    s.starts_with(|c: char| "!&*-?:,[]{}#|>@`\"'%".contains(c))
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control())
}

/// Helm's `fromYaml`: a map, or an empty one (with an `Error` key, as Helm gives) when the
/// text is not a YAML map.
pub fn from_yaml(text: &str) -> Val {
    let source = SourceFile::new("fromYaml", text.to_owned());
    match parse(Format::YAML, &source).map(|mut docs| docs.drain(..).next()) {
        Ok(Some(doc)) if doc.value.is_object() => Val::from_json(&doc.value),
        Ok(_) => Val::map(BTreeMap::new()),
        Err(error) => {
            let mut map = BTreeMap::new();
            map.insert("Error".to_owned(), Val::str(error.message));
            Val::map(map)
        }
    }
}

/// Helm's `fromYamlArray`: a list, or an empty one.
pub fn from_yaml_array(text: &str) -> Val {
    let source = SourceFile::new("fromYamlArray", text.to_owned());
    match parse(Format::YAML, &source).map(|mut docs| docs.drain(..).next()) {
        Ok(Some(doc)) if doc.value.is_array() => Val::from_json(&doc.value),
        _ => Val::list(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(json: serde_json::Value) {
        let text = to_yaml(&Val::from_json(&json));
        let source = SourceFile::new("t.yaml", text.clone());
        let parsed = parse(Format::YAML, &source).expect(&text).remove(0);
        assert_eq!(parsed.value, json, "{text}");
    }

    #[test]
    fn yaml_reads_back_as_the_same_values() {
        round_trip(serde_json::json!({
            "securityContext": {"privileged": true, "runAsUser": 0},
            "ports": [{"name": "http", "containerPort": 80}, {"name": "x"}],
            "args": ["--a", "true", "1.5", "", "a: b", "#x", "multi\nline", "it's", "tab\there"],
            "empty": {}, "none": [], "nil": null, "yes": "yes", "n": 0.5
        }));
        assert_eq!(
            to_yaml(&Val::from_json(&serde_json::json!({"a": {"b": 1}}))),
            "a:\n  b: 1\n"
        );
        assert_eq!(
            to_yaml(&Val::from_json(&serde_json::json!({"a": [1]}))),
            "a:\n- 1\n"
        );
    }
}
