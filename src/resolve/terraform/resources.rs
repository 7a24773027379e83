//! One document walked in a folder's scope: its `data` blocks first (the policy documents
//! they produce are then known), then its resources, each split into its instances.

use serde_json::Value;

use super::expand::Walk;
use super::policy_document;
use super::scope::{self, PolicyDocument, Scope};
use crate::document::{Document, child_pointer};
use crate::resolve::Origin;

/// Walks a document's `data` blocks (`data_only`), or everything else.
pub(super) fn walk(
    documents: &mut [Document],
    index: usize,
    scope: &Scope<'_>,
    data_only: bool,
) -> Vec<Origin> {
    let doc = &mut documents[index];
    let mut value = std::mem::take(&mut doc.value);
    let mut walk = Walk {
        scope,
        document: index,
        spans: &mut doc.spans,
        origins: Vec::new(),
        full: true,
        budget: scope::MAX_NODES,
    };
    if let Value::Object(root) = &mut value {
        for (key, item) in root.iter_mut() {
            let pointer = child_pointer("", key);
            match (key.as_str(), data_only) {
                ("data", true) => walk.value(item, &pointer, &mut Vec::new()),
                ("resource", false) => resources(&mut walk, item),
                ("module", false) => walk.value(item, &pointer, &mut Vec::new()),
                (_, true) | ("variable" | "locals" | "data", false) => {}
                // Outputs, providers: no built-in policy reads them, so only plain
                // references are put in place, without parsing.
                (_, false) => {
                    walk.full = false;
                    walk.value(item, &pointer, &mut Vec::new());
                    walk.full = true;
                }
            }
        }
    }
    doc.value = value;
    walk.origins
}

/// `resource.<type>.<name>` bodies, each split into its instances where they are known.
fn resources(walk: &mut Walk<'_, '_>, resources: &mut Value) {
    let Value::Object(types) = resources else {
        return;
    };
    for (kind, named) in types.iter_mut() {
        let type_pointer = child_pointer("/resource", kind);
        let Value::Object(named) = named else {
            walk.value(named, &type_pointer, &mut Vec::new());
            continue;
        };
        let bodies = std::mem::take(named);
        for (name, body) in bodies {
            let pointer = child_pointer(&type_pointer, &name);
            resource(walk, named, name, body, pointer);
        }
    }
}

/// One resource body put in place as `name` in `named`: its instances, or itself.
fn resource(
    walk: &mut Walk<'_, '_>,
    named: &mut serde_json::Map<String, Value>,
    name: String,
    mut body: Value,
    pointer: String,
) {
    match walk.instances(&name, &body, &pointer, &mut Vec::new()) {
        Some(instances) => named.extend(instances),
        None => {
            walk.value(&mut body, &pointer, &mut Vec::new());
            named.insert(name, body);
        }
    }
}

/// The `data "aws_iam_policy_document"` blocks of a document, as the documents they produce.
pub(super) fn policy_documents(doc: &Document, index: usize) -> Vec<(String, PolicyDocument)> {
    let Some(Value::Object(blocks)) = doc.value.pointer("/data/aws_iam_policy_document") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, block) in blocks {
        let pointer = child_pointer("/data/aws_iam_policy_document", name);
        if let Some(produced) = policy_document::produce(block, &pointer) {
            out.push((
                format!("data.aws_iam_policy_document.{name}"),
                PolicyDocument {
                    document: index,
                    value: produced.document,
                    principals: produced.principals,
                },
            ));
        }
    }
    out
}
