//! Google Cloud ingress rules in Terraform: `google_compute_firewall` for incoming traffic.

use serde_json::Value;

use super::ingress::{IngressRule, Ports, text_is};
use super::ports::{Protocol, port_ranges, protocol};
use crate::document::{child_pointer, index_pointer};
use crate::facts::terraform::{Node, resources};

/// The Google Cloud ingress rules of a Terraform document.
pub(super) fn terraform_rules(config: &Value) -> Vec<IngressRule> {
    resources(config, "google_compute_firewall")
        .into_iter()
        .filter_map(|firewall| gcp_firewall(&firewall.body))
        .collect()
}

/// A GCP firewall for incoming traffic (`direction` INGRESS, the default; not disabled):
/// each `allow` block opens its `ports`, or every port when it lists none.
fn gcp_firewall(body: &Node<'_>) -> Option<IngressRule> {
    if body.get("direction").is_some() && !text_is(body.get("direction"), "ingress") {
        return None;
    }
    if body.get("disabled").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let mut rule = IngressRule::new(&body.pointer, body.value, &["source_ranges"]);
    for allow in body.blocks("allow") {
        let at = &allow.pointer;
        let protocol = protocol(allow.get("protocol"));
        if protocol == Protocol::All {
            let all = Ports::All("protocol all".to_owned());
            rule.open(child_pointer(at, "protocol"), protocol, all);
            continue;
        }
        match allow.get("ports").and_then(Value::as_array) {
            Some(ports) if !ports.is_empty() => {
                let list = child_pointer(at, "ports");
                for (i, port) in ports.iter().enumerate() {
                    for (from, to) in port_ranges(port).into_iter().flatten() {
                        let ports = Ports::Range(from, to);
                        rule.open(index_pointer(&list, i), protocol, ports);
                    }
                }
            }
            _ => {
                let all = Ports::All("no ports listed".to_owned());
                rule.open(at.clone(), protocol, all);
            }
        }
    }
    Some(rule)
}
