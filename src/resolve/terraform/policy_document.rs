//! `data "aws_iam_policy_document"` read as the policy document it produces (its `json`), in
//! IAM's JSON shape, so a policy written this way is judged like one written inline:
//! `statement` blocks become `Statement` entries with `Sid`, `Effect` (Allow unless set),
//! `Action`/`NotAction`, `Resource`/`NotResource`, `Principal`/`NotPrincipal` (`type = "*"`
//! with `identifiers = ["*"]` is `"*"`; blocks of one type are merged) and `Condition`
//! (`{test: {variable: values}}`). `source_policy_documents` and
//! `override_policy_documents` are not merged in: a document that names them is unknown.

use serde_json::{Map, Value};

use crate::document::{child_pointer, index_pointer};

/// The document a data block produces, and for each statement with a principal, the
/// statement's index and the pointer (under `pointer`, the data block's) of the principal
/// that lets everyone in, or of its first principal.
pub(super) struct Produced {
    pub document: Value,
    pub principals: Vec<(usize, String)>,
}

pub(super) fn produce(block: &Value, pointer: &str) -> Option<Produced> {
    let block = block.as_object()?;
    if block.contains_key("source_policy_documents")
        || block.contains_key("override_policy_documents")
        || block.contains_key("source_json")
        || block.contains_key("override_json")
        || block.contains_key("dynamic")
    {
        return None;
    }
    let mut document = Map::new();
    document.insert(
        "Version".into(),
        block
            .get("version")
            .cloned()
            .unwrap_or_else(|| "2012-10-17".into()),
    );
    let mut statements = Vec::new();
    let mut principals = Vec::new();
    let empty = Vec::new();
    let blocks = block
        .get("statement")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    for (i, statement) in blocks.iter().enumerate() {
        let statement = statement.as_object()?;
        let at = index_pointer(&child_pointer(pointer, "statement"), i);
        let mut out = Map::new();
        for (from, to) in [
            ("sid", "Sid"),
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(value) = statement.get(from) {
                out.insert(to.into(), value.clone());
            }
        }
        let effect = statement
            .get("effect")
            .cloned()
            .unwrap_or_else(|| "Allow".into());
        out.insert("Effect".into(), effect);
        for (from, to) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let Some(Value::Array(blocks)) = statement.get(from) else {
                continue;
            };
            let (principal, landing) = principal(blocks, &child_pointer(&at, from))?;
            if to == "Principal" {
                principals.push((i, landing));
            }
            out.insert(to.into(), principal);
        }
        if let Some(Value::Array(conditions)) = statement.get("condition") {
            out.insert("Condition".into(), condition(conditions)?);
        }
        if statement.contains_key("dynamic") {
            return None;
        }
        statements.push(Value::Object(out));
    }
    document.insert("Statement".into(), Value::Array(statements));
    Some(Produced {
        document: Value::Object(document),
        principals,
    })
}

/// `principals` blocks → `Principal`, and the pointer of the identifiers that hold `*`
/// (else of the first block).
fn principal(blocks: &[Value], pointer: &str) -> Option<(Value, String)> {
    let mut by_type = Map::new();
    let mut landing = child_pointer(pointer, "0");
    let mut star = false;
    for (j, block) in blocks.iter().enumerate() {
        let kind = block.get("type")?.as_str()?;
        let identifiers = match block.get("identifiers")? {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        if !star && identifiers.iter().any(|v| v.as_str() == Some("*")) {
            star = true;
            landing = child_pointer(&index_pointer(pointer, j), "identifiers");
        }
        if kind == "*" {
            return Some((Value::String("*".into()), landing));
        }
        let entry = by_type
            .entry(kind.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        entry.as_array_mut()?.extend(identifiers);
    }
    Some((Value::Object(by_type), landing))
}

/// `condition` blocks → `{test: {variable: values}}`.
fn condition(blocks: &[Value]) -> Option<Value> {
    let mut out = Map::new();
    for block in blocks {
        let test = block.get("test")?.as_str()?;
        let variable = block.get("variable")?.as_str()?;
        let values = block.get("values")?.clone();
        let tests = out
            .entry(test.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        tests.as_object_mut()?.insert(variable.to_owned(), values);
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statements_become_the_json_the_data_source_produces() {
        let block = json!({"statement": [
            {"sid": "Public", "actions": ["s3:GetObject"], "resources": ["${aws_s3_bucket.b.arn}/*"],
             "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]}, {"type": "AWS", "identifiers": ["*"]}],
             "condition": [{"test": "StringEquals", "variable": "aws:SourceVpce", "values": ["vpce-1"]}]},
            {"effect": "Deny", "not_actions": ["s3:*"], "principals": [{"type": "*", "identifiers": ["*"]}]}
        ]});
        let produced = produce(&block, "/data/aws_iam_policy_document/p").expect("known");
        assert_eq!(
            produced.document,
            json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "Public", "Action": ["s3:GetObject"], "Resource": ["${aws_s3_bucket.b.arn}/*"], "Effect": "Allow",
                 "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]},
                 "Condition": {"StringEquals": {"aws:SourceVpce": ["vpce-1"]}}},
                {"NotAction": ["s3:*"], "Effect": "Deny", "Principal": "*"}
            ]})
        );
        assert_eq!(
            produced.principals,
            vec![
                (
                    0,
                    "/data/aws_iam_policy_document/p/statement/0/principals/1/identifiers"
                        .to_owned()
                ),
                (
                    1,
                    "/data/aws_iam_policy_document/p/statement/1/principals/0/identifiers"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn documents_merged_from_others_are_unknown() {
        let block = json!({"source_policy_documents": ["${data.x.json}"], "statement": []});
        assert!(produce(&block, "/d").is_none());
    }
}
