//! Resources whose `for_each` or `count` is known and whose body uses the instance (`each`,
//! `count.index`): split into their instances, named as Terraform names them
//! (`name["key"]`, `name[1]`), each located at the resource and holding its own values.

use serde_json::{Map, Value};

use super::expand::{Walk, copy_spans, pairs, source_text};
use super::scope::Bindings;
use crate::document::{Evidence, child_pointer};
use crate::resolve::Origin;

/// The most instances a `count` is expanded to; more are left as one resource.
const MAX_COUNT: u64 = 256;

impl Walk<'_, '_> {
    /// A resource whose `for_each` or `count` is known and whose body uses the instance:
    /// its instances, named as Terraform names them, each with the body's values for it.
    pub fn instances(
        &mut self,
        name: &str,
        body: &Value,
        pointer: &str,
        bindings: &mut Bindings,
    ) -> Option<Vec<(String, Value)>> {
        let object = body.as_object()?;
        let uses = |needle: &str| mentions(body, needle);
        let (binding, pairs): (&str, Vec<(Value, Value)>) =
            if let Some(for_each) = object.get("for_each") {
                if !uses("each.") {
                    return None;
                }
                ("each", pairs(self.collection(for_each, bindings)?)?)
            } else {
                if !uses("count.index") {
                    return None;
                }
                let count = match object.get("count")? {
                    Value::String(text) => self.scope.string(text, bindings, &mut Vec::new())?,
                    other => other.clone(),
                };
                let count = count.as_u64().filter(|n| (1..=MAX_COUNT).contains(n))?;
                (
                    "count",
                    (0..count).map(|i| (Value::from(i), Value::Null)).collect(),
                )
            };
        let count = pairs.len();
        if !self.afford(body, count) {
            return None;
        }
        let mut out = Vec::with_capacity(count);
        for (key, value) in pairs {
            let instance = match (&key, binding) {
                (Value::String(k), _) => format!("{name}[{}]", Value::String(k.clone())),
                (other, _) => format!("{name}[{other}]"),
            };
            let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
            let at = child_pointer(parent, &instance);
            copy_spans(self.spans, body, pointer, &at);
            if let Some(spans) = self.spans.get(pointer).copied() {
                self.spans.insert(at.clone(), spans);
            }
            let text = object
                .get(binding_attribute(binding))
                .map(source_text)
                .unwrap_or_default();
            let instances = crate::words::count(count, "instance", "instances");
            let message = match binding {
                "each" => format!("one of {instances}, for each of `{text}`"),
                _ => format!("one of {instances} (`count = {text}`)"),
            };
            self.origins.push(Origin {
                document: self.document,
                pointer: at.clone(),
                definition: Evidence::at(
                    self.document,
                    child_pointer(pointer, binding_attribute(binding)),
                    message,
                ),
                landing: None,
            });
            let mut bound = Map::new();
            if binding == "each" {
                bound.insert("key".into(), key);
                bound.insert("value".into(), value);
            } else {
                bound.insert("index".into(), key);
            }
            bindings.push((binding.to_owned(), Value::Object(bound)));
            let mut item = body.clone();
            self.value(&mut item, &at, bindings);
            bindings.pop();
            out.push((instance, item));
        }
        Some(out)
    }
}

fn binding_attribute(binding: &str) -> &'static str {
    if binding == "each" {
        "for_each"
    } else {
        "count"
    }
}

/// Whether a string anywhere in `value` holds `needle`.
fn mentions(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(text) => text.contains(needle),
        Value::Array(items) => items.iter().any(|item| mentions(item, needle)),
        Value::Object(map) => map.values().any(|item| mentions(item, needle)),
        _ => false,
    }
}
