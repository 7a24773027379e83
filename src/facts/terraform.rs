//! Terraform documents as the fact providers read them: the resources of a type, their
//! nested blocks and attributes, each with the JSON Pointer of the node it is, so evidence
//! points into the file where it is written.
//!
//! A configuration reaches the facts in one of several shapes, and every shape must give the
//! same facts:
//!
//! - `*.tf`, lowered by the HCL parser to `{"resource": {"<type>": {"<name>": {…}}}}`, with
//!   repeatable nested blocks (`ingress`, `allow`) always arrays and a resource declared
//!   twice an array of its bodies;
//! - `*.tf.json`, where Terraform's JSON syntax lets every level be written either as an
//!   object or as an array of objects (`"resource": [{"<type>": [{"<name>": [{…}]}]}]`), and
//!   a nested block either as an object or as an array of objects, one per block;
//! - `terraform show -json` plans, lowered on reading to the first shape.
//!
//! Attributes are read as they are written ([`Node::get`]): only the levels above a
//! resource's body, and its nested blocks, may be lists of objects.

use serde_json::Value;

use crate::document::{child_pointer, index_pointer};

/// A node of a Terraform document, and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub pointer: String,
    pub value: &'a Value,
}

impl<'a> Node<'a> {
    /// The whole document.
    pub fn root(document: &'a Value) -> Self {
        Node {
            pointer: String::new(),
            value: document,
        }
    }

    /// The member `key` of an object node, located.
    pub fn child(&self, key: &str) -> Option<Node<'a>> {
        let value = self.value.get(key)?;
        Some(Node {
            pointer: child_pointer(&self.pointer, key),
            value,
        })
    }

    /// The value of the attribute `name` of a block body.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.value.as_object()?.get(name)
    }

    /// The bodies of the nested blocks `name`, in order: one for a block written as an
    /// object, one per object of an array (the HCL parser's repeatable blocks, and the JSON
    /// syntax's list form). Anything else is no block.
    pub fn blocks(&self, name: &str) -> Vec<Node<'a>> {
        self.child(name).map(objects).unwrap_or_default()
    }

    /// The body of a nested block that a resource holds at most once
    /// (`required_pull_request_reviews`), as an object or as the first of a list.
    pub fn block(&self, name: &str) -> Option<Node<'a>> {
        self.blocks(name).into_iter().next()
    }
}

/// One resource: its type and name (`<type>.<name>` is its address) and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource<'a> {
    pub resource_type: &'a str,
    pub name: &'a str,
    pub body: Node<'a>,
}

/// The resources of one type in a Terraform document (a configuration in any of its
/// shapes, or a plan), in document order, each body with its JSON Pointer. A name whose
/// value is a list of bodies (a resource declared twice) yields each of them.
pub fn resources<'a>(document: &'a Value, resource_type: &str) -> Vec<Resource<'a>> {
    let mut found = Vec::new();
    for root in objects(Node::root(document)) {
        let Some(by_type) = root.child("resource") else {
            continue;
        };
        for by_type in objects(by_type) {
            let Some((resource_type, by_name)) = by_type
                .value
                .as_object()
                .and_then(|map| map.get_key_value(resource_type))
            else {
                continue;
            };
            let by_name = Node {
                pointer: child_pointer(&by_type.pointer, resource_type),
                value: by_name,
            };
            for by_name in objects(by_name) {
                let Some(names) = by_name.value.as_object() else {
                    continue;
                };
                for (name, bodies) in names {
                    let bodies = Node {
                        pointer: child_pointer(&by_name.pointer, name),
                        value: bodies,
                    };
                    found.extend(objects(bodies).into_iter().map(|body| Resource {
                        resource_type,
                        name,
                        body,
                    }));
                }
            }
        }
    }
    found
}

/// A node written as an object, or as an array of objects: each object, located.
fn objects(node: Node<'_>) -> Vec<Node<'_>> {
    match node.value {
        Value::Object(_) => vec![node],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter(|(_, item)| item.is_object())
            .map(|(i, item)| Node {
                pointer: index_pointer(&node.pointer, i),
                value: item,
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// (address, pointer) of each resource of a type.
    fn found(document: &Value, resource_type: &str) -> Vec<(String, String)> {
        resources(document, resource_type)
            .into_iter()
            .map(|r| (format!("{}.{}", r.resource_type, r.name), r.body.pointer))
            .collect()
    }

    fn located(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, p)| ((*a).to_owned(), (*p).to_owned()))
            .collect()
    }

    #[test]
    fn the_object_form_as_hcl_and_plans_give_it() {
        let config = json!({"resource": {
            "github_branch_protection": {"main": {"pattern": "main"}, "docs": {"pattern": "docs"}},
            "github_repository": {"site": {"name": "site"}}
        }});
        assert_eq!(
            found(&config, "github_branch_protection"),
            located(&[
                (
                    "github_branch_protection.main",
                    "/resource/github_branch_protection/main"
                ),
                (
                    "github_branch_protection.docs",
                    "/resource/github_branch_protection/docs"
                ),
            ])
        );
        assert_eq!(found(&config, "aws_instance"), located(&[]));
    }

    #[test]
    fn every_level_may_be_a_list_of_objects() {
        let body = json!({"pattern": "main"});
        let at_every_level = json!({"resource": [
            {"github_repository": [{"site": [{"name": "site"}]}]},
            {"github_branch_protection": [{"main": [body]}]}
        ]});
        assert_eq!(
            found(&at_every_level, "github_branch_protection"),
            located(&[(
                "github_branch_protection.main",
                "/resource/1/github_branch_protection/0/main/0"
            )])
        );
        // The reported case: only the body is in a list.
        let body_in_a_list = json!({"resource": {"github_branch_protection": {"main": [body]}}});
        let list = resources(&body_in_a_list, "github_branch_protection");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].body.get("pattern"), Some(&json!("main")));
        assert_eq!(
            list[0].body.pointer,
            "/resource/github_branch_protection/main/0"
        );
        // The JSON syntax's root may itself be a list of objects.
        let root_list = json!([{"resource": {"github_branch_protection": {"main": body}}}]);
        assert_eq!(
            found(&root_list, "github_branch_protection"),
            located(&[(
                "github_branch_protection.main",
                "/0/resource/github_branch_protection/main"
            )])
        );
    }

    #[test]
    fn a_resource_declared_twice_yields_both_bodies() {
        let config = json!({"resource": {"aws_security_group": {"web": [
            {"name": "a"}, "not a body", {"name": "b"}
        ]}}});
        assert_eq!(
            found(&config, "aws_security_group"),
            located(&[
                (
                    "aws_security_group.web",
                    "/resource/aws_security_group/web/0"
                ),
                (
                    "aws_security_group.web",
                    "/resource/aws_security_group/web/2"
                ),
            ])
        );
    }

    #[test]
    fn odd_shapes_are_no_resources() {
        for odd in [
            json!(null),
            json!("resource"),
            json!({"resource": "x"}),
            json!({"resource": [1, {"t": 2}]}),
            json!({"resource": {"t": [1, "x"]}}),
            json!({"resource": {"t": {"n": 3}}}),
        ] {
            assert_eq!(found(&odd, "t"), located(&[]), "{odd}");
        }
    }

    #[test]
    fn nested_blocks_as_objects_or_lists() {
        let config = json!({
            "object": {"required_pull_request_reviews": {"required_approving_review_count": 1}},
            "list": {"required_pull_request_reviews": [{"required_approving_review_count": 1}]},
            "many": {"ingress": [{"from_port": 22}, 7, {"from_port": 80}]},
            "none": {"ingress": [], "egress": "${var.rules}"}
        });
        let body = |key: &str| Node::root(&config).child(key).expect("a body");
        let reviews = |key: &str| {
            let block = body(key)
                .block("required_pull_request_reviews")
                .expect("a block");
            let count = block.get("required_approving_review_count");
            (block.pointer, count)
        };
        assert_eq!(
            reviews("object"),
            (
                "/object/required_pull_request_reviews".to_owned(),
                Some(&json!(1))
            )
        );
        assert_eq!(
            reviews("list"),
            (
                "/list/required_pull_request_reviews/0".to_owned(),
                Some(&json!(1))
            )
        );
        let ingress: Vec<String> = body("many")
            .blocks("ingress")
            .into_iter()
            .map(|b| b.pointer)
            .collect();
        assert_eq!(ingress, ["/many/ingress/0", "/many/ingress/2"]);
        assert!(body("none").blocks("ingress").is_empty());
        assert!(body("none").block("egress").is_none());
        assert!(body("none").block("absent").is_none());
        // Attributes of a body only: never of a list or a scalar.
        assert_eq!(body("many").get("ingress"), config.pointer("/many/ingress"));
        let list = Node {
            pointer: String::new(),
            value: &json!([{"a": 1}]),
        };
        assert_eq!(list.get("a"), None);
    }
}
