//! Google Cloud ingress rules in Terraform: `google_compute_firewall` for incoming traffic.

use serde_json::Value;

use super::ingress::{IngressRule, Opening, Ports, port_range, portless, protocol, text_is};
use crate::document::child_pointer;
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
    let mut openings = Vec::new();
    for allow in body.blocks("allow") {
        let at = &allow.pointer;
        let protocol = protocol(allow.get("protocol"));
        match protocol.as_deref() {
            Some("all") => openings.push(Opening {
                pointer: child_pointer(at, "protocol"),
                ports: Ports::All("protocol all".to_owned()),
            }),
            Some(p) if portless(p) => {}
            _ => match allow.get("ports").and_then(Value::as_array) {
                Some(ports) if !ports.is_empty() => {
                    let list = child_pointer(at, "ports");
                    for (i, port) in ports.iter().enumerate() {
                        let ports = match port_range(port) {
                            Some(Ports::Range(from, to)) => Ports::Range(from, to),
                            _ => continue,
                        };
                        openings.push(Opening {
                            pointer: child_pointer(&list, &i.to_string()),
                            ports,
                        });
                    }
                }
                _ => openings.push(Opening {
                    pointer: at.clone(),
                    ports: Ports::All("no ports listed".to_owned()),
                }),
            },
        }
    }
    Some(IngressRule {
        pointer: body.pointer.clone(),
        openings,
    })
}
