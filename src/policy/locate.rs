//! The JSON Pointers of nodes a JSONPath selected, found after the query by their address.
//!
//! `serde_json_path` can return each node with its path (`query_located`), but it builds the
//! path of every node it passes through, cloning the parent's path at each step: a
//! descendant query (`$..[?@.containers]`, every pod spec of a Kubernetes document) paid
//! an allocation per node of the document, per policy. Querying without paths and then
//! walking the document once, keeping the current path as a stack of borrowed steps and
//! writing a string only for a selected node, gives the same pointers in the same order.
//! A node is known by its address: the document is not changed while it is evaluated, and
//! every node of it lives at its own.

use serde_json::Value;

use crate::document::escape_token;

/// `nodes` (nodes of `document`, as a query returned them) with their pointers, in the
/// same order. A node selected twice is listed twice.
pub(super) fn with_pointers<'a>(
    document: &'a Value,
    nodes: Vec<&'a Value>,
) -> Vec<(String, &'a Value)> {
    let mut wanted: Vec<(usize, usize)> = (nodes.iter().enumerate())
        .map(|(index, node)| (address(node), index))
        .collect();
    wanted.sort_unstable();
    let mut walk = Walk {
        wanted: &wanted,
        found: vec![None; nodes.len()],
        left: count_distinct(&wanted),
        steps: Vec::new(),
    };
    walk.visit(document);
    (walk.found.into_iter().zip(nodes))
        .map(|(pointer, node)| {
            // Every selected node is in the document: a pointer not found would be a query
            // returning a value from elsewhere; the root's pointer is the safe answer.
            (pointer.unwrap_or_default(), node)
        })
        .collect()
}

fn address(node: &Value) -> usize {
    std::ptr::from_ref(node) as usize
}

fn count_distinct(sorted: &[(usize, usize)]) -> usize {
    sorted.chunk_by(|a, b| a.0 == b.0).count()
}

/// One step from a node to a child.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

struct Walk<'w, 'a> {
    /// (address, position in the selection), sorted by address.
    wanted: &'w [(usize, usize)],
    found: Vec<Option<String>>,
    /// Selected nodes not met yet: the walk stops when none is left.
    left: usize,
    steps: Vec<Step<'a>>,
}

impl<'a> Walk<'_, 'a> {
    fn visit(&mut self, node: &'a Value) {
        let at = address(node);
        let first = self.wanted.partition_point(|(a, _)| *a < at);
        let same = self.wanted[first..].iter().take_while(|(a, _)| *a == at);
        let positions: Vec<usize> = same.map(|(_, position)| *position).collect();
        if !positions.is_empty() {
            let pointer = self.pointer();
            for position in positions {
                self.found[position] = Some(pointer.clone());
            }
            self.left -= 1;
        }
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    if self.left == 0 {
                        return;
                    }
                    self.steps.push(Step::Key(key));
                    self.visit(child);
                    self.steps.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    if self.left == 0 {
                        return;
                    }
                    self.steps.push(Step::Index(index));
                    self.visit(child);
                    self.steps.pop();
                }
            }
            _ => {}
        }
    }

    fn pointer(&self) -> String {
        let mut pointer = String::with_capacity(self.steps.len() * 8);
        for step in &self.steps {
            pointer.push('/');
            match step {
                Step::Key(key) => pointer.push_str(&escape_token(key)),
                Step::Index(index) => pointer.push_str(itoa::Buffer::new().format(*index)),
            }
        }
        pointer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json_path::JsonPath;

    /// The pointers `query_located` gives, as JSON Pointers.
    fn located(path: &JsonPath, document: &Value) -> Vec<(String, *const Value)> {
        (path.query_located(document).into_iter())
            .map(|n| (n.location().to_json_pointer(), std::ptr::from_ref(n.node())))
            .collect()
    }

    fn found(path: &JsonPath, document: &Value) -> Vec<(String, *const Value)> {
        (with_pointers(document, path.query(document).all()).into_iter())
            .map(|(pointer, node)| (pointer, std::ptr::from_ref(node)))
            .collect()
    }

    #[test]
    fn pointers_and_order_are_those_of_the_located_query() {
        let document = serde_json::json!({
            "a/b": [{"c~d": 1, "containers": [{"x": 1}]}, {"": [true]}],
            "e": {"f": null, "containers": []},
            "spec": {"template": {"spec": {"containers": [{"name": "app"}], "volumes": [{}]}}},
        });
        for text in [
            "$",
            "$..*",
            "$..[?@.containers]",
            "$..[?@.containers]['containers','initContainers'][*]",
            "$['e','e']",
            "$..['containers','containers']",
            "$.missing[*]",
            "$.*[1]",
        ] {
            let path = JsonPath::parse(text).expect("valid");
            assert_eq!(found(&path, &document), located(&path, &document), "{text}");
        }
    }

    #[test]
    fn a_node_selected_twice_has_its_pointer_both_times() {
        let document = serde_json::json!({"a": {"b": 1}});
        let b = &document["a"]["b"];
        let selected = with_pointers(&document, vec![b, &document, b]);
        let pointers: Vec<&str> = selected.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(pointers, ["/a/b", "", "/a/b"]);
    }
}
