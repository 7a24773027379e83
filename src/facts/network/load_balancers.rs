//! Terraform security groups that only load balancers use. An ingress rule that opens every
//! port of such a group lets the internet reach the load balancer's listeners — the ports
//! it forwards — not a server's administrative ports: the context that makes an all-traffic
//! rule there a smaller problem than on a server's group.

use std::collections::HashMap;

use serde_json::Value;

use crate::detect::kinds;
use crate::document::{Document, child_pointer, escape_token, folder};

/// Resources that are load balancers, whose `security_groups` attach a group to them.
const LOAD_BALANCERS: &[&str] = &["aws_lb", "aws_alb", "aws_elb"];

/// Resources whose `security_group_id` names the group a rule belongs to: a rule of the
/// group, not a use of it.
const RULES: &[&str] = &[
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];

/// Keys that name another group as the source of a rule: not an attachment either.
const SOURCES: &[&str] = &["source_security_group_id", "referenced_security_group_id"];

/// A load balancer that attaches a group: its address (`aws_lb.web`), and the document and
/// pointer of its `security_groups`.
#[derive(Clone)]
pub(super) struct LoadBalancer {
    pub address: String,
    pub document: usize,
    pub pointer: String,
}

/// How a folder's configuration uses each `aws_security_group` it names.
#[derive(Default)]
struct Uses {
    /// The load balancers whose `security_groups` name it.
    load_balancers: Vec<LoadBalancer>,
    /// Whether anything else attaches or passes it (an instance, a launch template, a
    /// module, an output).
    other: bool,
}

/// `(folder, group name)` → the first load balancer of every group of a folder that only
/// load balancers use, in `documents` (those of a batch: Terraform configuration is read).
pub(super) fn load_balancer_groups(
    documents: &[&Document],
) -> HashMap<(String, String), LoadBalancer> {
    // Most batches have no load balancer: their resources' texts are not searched.
    let has_load_balancer = |doc: &Document| {
        let resources = doc.value.get("resource").and_then(Value::as_object);
        doc.kind.as_str() == kinds::TERRAFORM_CONFIG
            && (resources.into_iter().flatten())
                .any(|(kind, _)| LOAD_BALANCERS.contains(&kind.as_str()))
    };
    if !documents.iter().any(|doc| has_load_balancer(doc)) {
        return HashMap::new();
    }
    let mut uses: HashMap<(String, String), Uses> = HashMap::new();
    for (index, doc) in documents.iter().enumerate() {
        if doc.kind.as_str() != kinds::TERRAFORM_CONFIG {
            continue;
        }
        let folder = folder(&doc.source.path);
        let Some(root) = doc.value.as_object() else {
            continue;
        };
        for (block, value) in root {
            match block.as_str() {
                "resource" => resources(index, folder, value, &mut uses),
                // Passed to a module or out of the folder: used where it cannot be seen.
                "module" | "output" => named_groups(value, &mut |group| {
                    uses.entry((folder.to_owned(), group)).or_default().other = true;
                }),
                _ => {}
            }
        }
    }
    uses.into_iter()
        .filter(|(_, uses)| !uses.other)
        .filter_map(|(key, uses)| Some((key, uses.load_balancers.into_iter().next()?)))
        .collect()
}

fn resources(
    document: usize,
    folder: &str,
    resources: &Value,
    uses: &mut HashMap<(String, String), Uses>,
) {
    let Some(types) = resources.as_object() else {
        return;
    };
    for (kind, named) in types {
        let Some(named) = named.as_object() else {
            continue;
        };
        for (name, body) in named {
            let Some(body) = body.as_object() else {
                continue;
            };
            for (key, value) in body {
                let neutral = (RULES.contains(&kind.as_str()) && key == "security_group_id")
                    || SOURCES.contains(&key.as_str())
                    // A group's own rules name other groups as sources.
                    || (kind == "aws_security_group" && matches!(key.as_str(), "ingress" | "egress"));
                if neutral {
                    continue;
                }
                let attaching_load_balancer =
                    LOAD_BALANCERS.contains(&kind.as_str()) && key == "security_groups";
                named_groups(value, &mut |group| {
                    let entry = uses.entry((folder.to_owned(), group)).or_default();
                    if attaching_load_balancer {
                        entry.load_balancers.push(LoadBalancer {
                            address: format!("{kind}.{name}"),
                            document,
                            pointer: format!(
                                "/resource/{}/{}/{}",
                                escape_token(kind),
                                escape_token(name),
                                key
                            ),
                        });
                    } else {
                        entry.other = true;
                    }
                });
            }
        }
    }
}

/// Calls `found` with the name of every `aws_security_group.<name>` a text in `value`
/// refers to.
fn named_groups(value: &Value, found: &mut dyn FnMut(String)) {
    match value {
        Value::String(text) => {
            for name in referenced_groups(text) {
                found(name.to_owned());
            }
        }
        Value::Array(items) => items.iter().for_each(|item| named_groups(item, found)),
        Value::Object(map) => map.values().for_each(|item| named_groups(item, found)),
        _ => {}
    }
}

/// The names `x` of every `aws_security_group.x` in `text` (a reference or an expression).
fn referenced_groups(text: &str) -> impl Iterator<Item = &str> {
    const PREFIX: &str = "aws_security_group.";
    text.match_indices(PREFIX).filter_map(move |(at, _)| {
        // Not the end of a longer name (`aws_default_security_group.x` ends the same way).
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        let rest = &text[at + PREFIX.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

/// The group an AWS ingress rule at `pointer` in `config` belongs to: the
/// `aws_security_group` whose `ingress` block it is, or the one its `security_group_id`
/// names (`aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`).
pub(super) fn group_of(config: &Value, pointer: &str) -> Option<String> {
    if let Some(inline) = pointer.strip_prefix("/resource/aws_security_group/") {
        let name = inline.split('/').next()?;
        return Some(name.replace("~1", "/").replace("~0", "~"));
    }
    let id = config.pointer(&child_pointer(pointer, "security_group_id"))?;
    let mut names = referenced_groups(id.as_str()?);
    let name = names.next()?;
    names.next().is_none().then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_security_groups_are_found_in_expressions() {
        let names: Vec<&str> =
            referenced_groups("${[aws_security_group.lb.id, aws_default_security_group.d.id, aws_security_group.web-2.id]}")
                .collect();
        assert_eq!(names, ["lb", "web-2"]);
    }
}
