//! `terraform show -json` plan output lowered to the same shape as a configuration
//! (`{"resource": {"<type>": {"<name>": {...values}}}}`), so one policy reads both; every
//! node stays located in the plan file itself.
//!
//! Resources come from `planned_values` (the state after apply, child modules included); a
//! plan without them falls back to `resource_changes[].change.after`, skipping deletions.
//! A resource is keyed by its address without the type (`logs`, `logs[0]`,
//! `module.storage.logs`), as unique as the address itself.

use serde_json::{Map, Value};

use crate::document::{NodeSpans, SpanTable, child_pointer};
use crate::parse::{ParsedDocument, REPEATED_BLOCKS};

/// One resource found in the plan: where its values are, and where they go.
struct Found<'a> {
    values_pointer: String,
    mode: &'a str,
    kind: &'a str,
    key: String,
    values: &'a Value,
}

pub fn lower(plan: ParsedDocument) -> ParsedDocument {
    let mut found = Vec::new();
    if let Some(root) = plan.value.pointer("/planned_values/root_module") {
        module(root, "/planned_values/root_module", &mut found);
    } else if let Some(Value::Array(changes)) = plan.value.get("resource_changes") {
        for (i, change) in changes.iter().enumerate() {
            let deleted = change
                .pointer("/change/actions")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().all(|x| x == "delete"));
            if deleted {
                continue;
            }
            if let Some(f) = resource(change, &format!("/resource_changes/{i}"), "/change/after") {
                found.push(f);
            }
        }
    }
    let mut value = Map::new();
    let mut spans = SpanTable::default();
    for f in &found {
        let block = if f.mode == "data" { "data" } else { "resource" };
        let block_pointer = child_pointer("", block);
        let type_pointer = child_pointer(&block_pointer, f.kind);
        let base = child_pointer(&type_pointer, &f.key);
        // The containers the lowering made up are located at the resource's values.
        if let Some(at) = plan.spans.get(&f.values_pointer) {
            for pointer in [&block_pointer, &type_pointer] {
                if spans.get(pointer).is_none() {
                    spans.insert(pointer.clone(), *at);
                }
            }
        }
        let values = relocate(f.values, &f.values_pointer, &base, &plan.spans, &mut spans);
        let by_type = value
            .entry(block)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .and_then(|m| {
                m.entry(f.kind)
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
            });
        if let Some(by_type) = by_type {
            by_type.insert(f.key.clone(), values);
        }
    }
    if let Some(root) = plan.spans.get("") {
        spans.insert(String::new(), *root);
    }
    ParsedDocument::new(Value::Object(value), spans)
}

/// Copies a value to its new place with its spans. A plan writes every nested block as a
/// list, even one that cannot repeat (`settings`, `ip_configuration`); a one-element list of
/// an object under a name that is not a repeatable block becomes that object, as it is in
/// the configuration.
fn relocate(value: &Value, from: &str, to: &str, old: &SpanTable, new: &mut SpanTable) -> Value {
    if let Some(at) = old.get(from) {
        new.insert(to.to_owned(), *at);
    }
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| {
                    let from_child = child_pointer(from, key);
                    let to_child = child_pointer(to, key);
                    let item = match item {
                        Value::Array(list)
                            if list.len() == 1
                                && list[0].is_object()
                                && !REPEATED_BLOCKS.contains(&key.as_str()) =>
                        {
                            let inner = child_pointer(&from_child, "0");
                            let moved = relocate(&list[0], &inner, &to_child, old, new);
                            // Keep the key's span: `relocate` put the element's there.
                            if let (Some(at), Some(spans)) = (old.get(&from_child), old.get(&inner))
                            {
                                new.insert(
                                    to_child.clone(),
                                    NodeSpans {
                                        key: at.key,
                                        value: spans.value,
                                    },
                                );
                            }
                            moved
                        }
                        _ => relocate(item, &from_child, &to_child, old, new),
                    };
                    (key.clone(), item)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let index = i.to_string();
                    relocate(
                        item,
                        &child_pointer(from, &index),
                        &child_pointer(to, &index),
                        old,
                        new,
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn module<'a>(module: &'a Value, pointer: &str, found: &mut Vec<Found<'a>>) {
    if let Some(Value::Array(resources)) = module.get("resources") {
        for (i, r) in resources.iter().enumerate() {
            if let Some(f) = resource(r, &format!("{pointer}/resources/{i}"), "/values") {
                found.push(f);
            }
        }
    }
    if let Some(Value::Array(children)) = module.get("child_modules") {
        for (i, child) in children.iter().enumerate() {
            self::module(child, &format!("{pointer}/child_modules/{i}"), found);
        }
    }
}

fn resource<'a>(entry: &'a Value, pointer: &str, values_at: &str) -> Option<Found<'a>> {
    let address = entry.get("address")?.as_str()?;
    let kind = entry.get("type")?.as_str()?;
    let values = entry.pointer(values_at)?;
    if !values.is_object() {
        return None;
    }
    let mode = entry
        .get("mode")
        .and_then(Value::as_str)
        .unwrap_or("managed");
    // `module.a.aws_s3_bucket.logs[0]` → `module.a.logs[0]`.
    let key = match address.rfind(&format!("{kind}.")) {
        Some(at) => format!("{}{}", &address[..at], &address[at + kind.len() + 1..]),
        None => address.to_owned(),
    };
    let key = key.strip_prefix("data.").unwrap_or(&key).to_owned();
    Some(Found {
        values_pointer: format!("{pointer}{values_at}"),
        mode,
        kind,
        key,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SourceFile;
    use crate::parse::{Format, parse};
    use serde_json::json;

    fn plan(text: &str) -> (ParsedDocument, String) {
        let source = SourceFile::new("plan.json", text.to_owned());
        let mut parsed = parse(Format::JSON, &source).expect("JSON");
        (lower(parsed.remove(0)), text.to_owned())
    }

    #[test]
    fn resource_changes_are_the_fallback_and_deletions_are_skipped() {
        let (doc, text) = plan(
            r#"{"format_version": "1.2", "resource_changes": [
  {"address": "aws_s3_bucket_acl.a", "type": "aws_s3_bucket_acl", "change": {"actions": ["create"], "after": {"acl": "public-read"}}},
  {"address": "aws_s3_bucket_acl.gone", "type": "aws_s3_bucket_acl", "change": {"actions": ["delete"], "after": null}},
  {"address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "change": {"actions": ["read"], "after": {"json": "{}"}}}
]}"#,
        );
        assert_eq!(
            doc.value,
            json!({
                "resource": {"aws_s3_bucket_acl": {"a": {"acl": "public-read"}}},
                "data": {"aws_iam_policy_document": {"p": {"json": "{}"}}}
            })
        );
        let at = doc
            .spans
            .get("/resource/aws_s3_bucket_acl/a/acl")
            .expect("located");
        assert_eq!(&text[at.value.start..at.value.end], "\"public-read\"");
    }

    #[test]
    fn single_nested_blocks_are_unwrapped_and_repeatable_ones_kept() {
        let (doc, _) = plan(
            r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_security_group.web", "type": "aws_security_group", "values": {
    "ingress": [{"from_port": 22}], "timeouts": [{"create": "5m"}], "tags": []}}
]}}}"#,
        );
        assert_eq!(
            doc.value["resource"]["aws_security_group"]["web"],
            json!({"ingress": [{"from_port": 22}], "timeouts": {"create": "5m"}, "tags": []})
        );
        assert!(
            doc.spans
                .get("/resource/aws_security_group/web/timeouts/create")
                .is_some()
        );
    }
}
