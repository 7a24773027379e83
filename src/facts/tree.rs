//! Finding nodes anywhere in a document without building a JSON Pointer for every node:
//! the path is kept as a stack of keys and written out only for the nodes found (a large
//! template has tens of thousands of nodes, and a few matches).

use serde_json::Value;

use crate::document::{child_pointer, index_pointer};

/// One step of the path: a member's key or an array index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The pointer of every node under `value` (at `pointer`) that `wanted` holds for, in
/// document order, with the node; `descend` says whether to look inside a node found.
/// Nesting is bounded by the parser's depth limit.
pub fn find<'a>(
    value: &'a Value,
    pointer: &str,
    wanted: &dyn Fn(&Value) -> bool,
    descend: bool,
) -> Vec<(String, &'a Value)> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    visit(value, &mut path, &mut |path, node| {
        if !wanted(node) {
            return true;
        }
        let at = path.iter().fold(pointer.to_owned(), |at, step| match step {
            Step::Key(key) => child_pointer(&at, key),
            Step::Index(n) => index_pointer(&at, *n),
        });
        found.push((at, node));
        descend
    });
    found
}

/// Calls `f` on every node, depth first; `f` returns whether to look inside the node.
fn visit<'a>(
    value: &'a Value,
    path: &mut Vec<Step<'a>>,
    f: &mut dyn FnMut(&[Step<'a>], &'a Value) -> bool,
) {
    if !f(path, value) {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Step::Key(key));
                visit(child, path, f);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (n, child) in items.iter().enumerate() {
                path.push(Step::Index(n));
                visit(child, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_nodes_with_their_pointers() {
        let value = json!({"a": [1, {"b/c": 2, "d": {"b/c": 3}}], "e": 2});
        let two_or_more = |v: &Value| v.as_i64().is_some_and(|n| n >= 2);
        let found: Vec<String> = find(&value, "", &two_or_more, true)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(found, ["/a/1/b~1c", "/a/1/d/b~1c", "/e"]);
        let objects = |v: &Value| v.is_object();
        let outer: Vec<String> = find(&value["a"], "/a", &objects, false)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(outer, ["/a/1"]);
    }
}
