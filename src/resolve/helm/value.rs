//! The values a Helm template computes with: Go's, as Helm's YAML decoding gives them, plus
//! `Unknown` for what cannot be known without a cluster or the user's input.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::rc::Rc;

use serde_json::Value as Json;

/// Maps are shared, as Go maps are: Sprig's `set` and `merge` change them in place and every
/// variable holding the map sees it.
pub type Map = Rc<RefCell<BTreeMap<String, Val>>>;

#[derive(Debug, Clone)]
pub enum Val {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<Vec<Val>>),
    Map(Map),
    /// Not known here (a `lookup` in the cluster, a `.Files` read, a missing required
    /// value): why, in words.
    Unknown(Rc<str>),
    /// A method of Helm's built-in objects (`.Capabilities.APIVersions.Has`, `.Files.Get`).
    Method(&'static str),
}

impl Val {
    pub fn str(s: impl Into<Rc<str>>) -> Val {
        Val::Str(s.into())
    }

    pub fn unknown(why: impl Into<Rc<str>>) -> Val {
        Val::Unknown(why.into())
    }

    pub fn map(entries: BTreeMap<String, Val>) -> Val {
        Val::Map(Rc::new(RefCell::new(entries)))
    }

    pub fn list(items: Vec<Val>) -> Val {
        Val::List(Rc::new(items))
    }

    pub fn from_json(json: &Json) -> Val {
        match json {
            Json::Null => Val::Nil,
            Json::Bool(b) => Val::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Val::Int(i),
                None => Val::Float(n.as_f64().unwrap_or(0.0)),
            },
            Json::String(s) => Val::str(s.as_str()),
            Json::Array(items) => Val::list(items.iter().map(Val::from_json).collect()),
            Json::Object(map) => Val::map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Val::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The JSON form; `None` when anything in it is unknown. `depth` bounds self-referencing maps.
    pub fn to_json(&self, depth: usize) -> Option<Json> {
        if depth > crate::parse::MAX_DEPTH {
            return None;
        }
        Some(match self {
            Val::Nil => Json::Null,
            Val::Bool(b) => Json::Bool(*b),
            Val::Int(i) => Json::from(*i),
            Val::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Val::Str(s) => Json::String(s.to_string()),
            Val::List(items) => Json::Array(
                items
                    .iter()
                    .map(|v| v.to_json(depth + 1))
                    .collect::<Option<_>>()?,
            ),
            Val::Map(map) => Json::Object(
                map.borrow()
                    .iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json(depth + 1)?)))
                    .collect::<Option<_>>()?,
            ),
            Val::Unknown(_) | Val::Method(_) => return None,
        })
    }

    /// Go templates' truth: false, 0, nil and empty things are false. `None`: unknown.
    pub fn truth(&self) -> Option<bool> {
        Some(match self {
            Val::Nil => false,
            Val::Bool(b) => *b,
            Val::Int(i) => *i != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::List(items) => !items.is_empty(),
            Val::Map(map) => !map.borrow().is_empty(),
            Val::Method(_) => true,
            Val::Unknown(_) => return None,
        })
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown(_))
    }

    /// The first unknown in `values`, to pass on.
    pub fn first_unknown<'a>(values: impl IntoIterator<Item = &'a Val>) -> Option<Val> {
        values.into_iter().find(|v| v.is_unknown()).cloned()
    }

    /// How `{{ . }}` prints the value (Go's `%v`, with Helm's empty text for a missing one).
    pub fn display(&self) -> String {
        let mut out = String::new();
        self.write_display(&mut out, 0);
        out
    }

    fn write_display(&self, out: &mut String, depth: usize) {
        if depth > crate::parse::MAX_DEPTH {
            return;
        }
        match self {
            Val::Nil => {}
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Val::Float(f) => out.push_str(&format_float(*f)),
            Val::Str(s) => out.push_str(s),
            Val::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    item.write_display(out, depth + 1);
                }
                out.push(']');
            }
            Val::Map(map) => {
                out.push_str("map[");
                for (i, (k, v)) in map.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_display(out, depth + 1);
                }
                out.push(']');
            }
            Val::Unknown(_) | Val::Method(_) => out.push_str(UNKNOWN_TEXT),
        }
    }

    /// A field or key of the value: missing keys are nil, as with Helm's `missingkey=zero`.
    pub fn field(&self, name: &str) -> Val {
        match self {
            Val::Map(map) => map.borrow().get(name).cloned().unwrap_or(Val::Nil),
            Val::Unknown(_) => self.clone(),
            Val::Method(object) => method_field(object, name),
            _ => Val::Nil,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Val::Nil => "invalid",
            Val::Bool(_) => "bool",
            Val::Int(_) => "int",
            Val::Float(_) => "float64",
            Val::Str(_) => "string",
            Val::List(_) => "slice",
            Val::Map(_) => "map",
            Val::Unknown(_) => "unknown",
            Val::Method(_) => "func",
        }
    }

    /// A deep copy: maps are shared, so a copy is needed before merging into one.
    pub fn deep_copy(&self, depth: usize) -> Val {
        if depth > crate::parse::MAX_DEPTH {
            return Val::unknown("a value that refers to itself");
        }
        match self {
            Val::List(items) => Val::list(items.iter().map(|v| v.deep_copy(depth + 1)).collect()),
            Val::Map(map) => Val::map(
                map.borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.deep_copy(depth + 1)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// What is printed for an unknown value: a plain scalar in YAML, which no policy takes for
/// an exposing setting (`hostNetwork: doublecheck-unknown` is not `true`).
pub const UNKNOWN_TEXT: &str = "doublecheck-unknown";

fn method_field(object: &str, name: &str) -> Val {
    match (object, name) {
        ("APIVersions", "Has") => Val::Method("APIVersions.Has"),
        ("Files", "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets") => {
            Val::Method("Files")
        }
        _ => Val::unknown(format!("`.{object}.{name}`")),
    }
}

/// Go's `%v` of a float64: the shortest form, an exponent for large and tiny numbers.
pub fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

/// Go's `==` on template values (`eq`), for basic kinds; `None` when unknown.
pub fn equal(a: &Val, b: &Val) -> Option<bool> {
    Some(match (a, b) {
        (Val::Unknown(_), _) | (_, Val::Unknown(_)) => return None,
        (Val::Nil, Val::Nil) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Int(x), Val::Int(y)) => x == y,
        (Val::Int(x), Val::Float(y)) | (Val::Float(y), Val::Int(x)) => (*x as f64) == *y,
        (Val::Float(x), Val::Float(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_go_prints_them() {
        let json = serde_json::json!({"b": [1, "x", true], "a": null, "c": 1.5});
        assert_eq!(
            Val::from_json(&json).display(),
            "map[a: b:[1 x true] c:1.5]"
        );
        assert_eq!(Val::Float(3.0).display(), "3");
        assert_eq!(Val::unknown("x").display(), UNKNOWN_TEXT);
    }

    #[test]
    fn truth_and_equality() {
        assert_eq!(Val::str("").truth(), Some(false));
        assert_eq!(Val::list(vec![Val::Nil]).truth(), Some(true));
        assert_eq!(Val::unknown("x").truth(), None);
        assert_eq!(equal(&Val::Int(1), &Val::Float(1.0)), Some(true));
        assert_eq!(equal(&Val::str("1"), &Val::Int(1)), Some(false));
    }
}
