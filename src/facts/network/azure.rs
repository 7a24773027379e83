//! Azure ingress rules in Terraform: inbound Allow network security rules, stand-alone
//! (`azurerm_network_security_rule`) or inline (`security_rule` blocks of an
//! `azurerm_network_security_group`).

use serde_json::Value;

use super::ingress::{IngressRule, Opening, Ports, port_range, portless, protocol, text_is};
use crate::document::child_pointer;
use crate::facts::terraform::{Node, resources};

/// The Azure ingress rules of a Terraform document.
pub(super) fn terraform_rules(config: &Value) -> Vec<IngressRule> {
    let mut rules = Vec::new();
    for rule in resources(config, "azurerm_network_security_rule") {
        rules.extend(azure_rule(&rule.body));
    }
    for group in resources(config, "azurerm_network_security_group") {
        for rule in group.body.blocks("security_rule") {
            rules.extend(azure_rule(&rule));
        }
    }
    rules
}

/// An Azure NSG rule that lets inbound traffic in (`direction = "Inbound"`,
/// `access = "Allow"`), on `destination_port_range` or `destination_port_ranges`.
fn azure_rule(rule: &Node<'_>) -> Option<IngressRule> {
    if !text_is(rule.get("direction"), "inbound") || !text_is(rule.get("access"), "allow") {
        return None;
    }
    if protocol(rule.get("protocol")).is_some_and(|p| portless(&p)) {
        return None;
    }
    let pointer = rule.pointer.as_str();
    let mut openings = Vec::new();
    let single = rule.get("destination_port_range");
    let many = rule
        .get("destination_port_ranges")
        .and_then(Value::as_array);
    if let Some(range) = single {
        let at = child_pointer(pointer, "destination_port_range");
        openings.extend(port_range(range).map(|ports| Opening { pointer: at, ports }));
    }
    if let Some(ranges) = many {
        let list = child_pointer(pointer, "destination_port_ranges");
        for (i, range) in ranges.iter().enumerate() {
            let at = child_pointer(&list, &i.to_string());
            openings.extend(port_range(range).map(|ports| Opening { pointer: at, ports }));
        }
    }
    if single.is_none() && many.is_none() {
        openings.push(Opening {
            pointer: pointer.to_owned(),
            ports: Ports::All("no destination port range".to_owned()),
        });
    }
    Some(IngressRule {
        pointer: pointer.to_owned(),
        openings,
    })
}
