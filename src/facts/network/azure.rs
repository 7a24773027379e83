//! Azure ingress rules in Terraform: inbound Allow network security rules, stand-alone
//! (`azurerm_network_security_rule`) or inline (`security_rule` blocks of an
//! `azurerm_network_security_group`).

use serde_json::Value;

use super::ingress::{IngressRule, Ports, text_is};
use super::ports::{Protocol, port_ranges, protocol};
use crate::document::{child_pointer, index_pointer};
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
/// `access = "Allow"`), on `destination_port_range` or `destination_port_ranges`, each a
/// port, a range, `*` or a comma-separated list of those.
fn azure_rule(rule: &Node<'_>) -> Option<IngressRule> {
    if !text_is(rule.get("direction"), "inbound") || !text_is(rule.get("access"), "allow") {
        return None;
    }
    let pointer = rule.pointer.as_str();
    let mut found = IngressRule::new(
        pointer,
        rule.value,
        &["source_address_prefix", "source_address_prefixes"],
    );
    // Azure's protocol `*` is every protocol, but the ports still decide what it reaches.
    let protocol = match protocol(rule.get("protocol")) {
        Protocol::All => Protocol::Ports(super::ports::Transport::Any),
        other => other,
    };
    let mut add = |at: String, value: &Value| {
        for range in port_ranges(value) {
            let ports = match range {
                None => Ports::All("port range *".to_owned()),
                Some((from, to)) => Ports::Range(from, to),
            };
            found.open(at.clone(), protocol, ports);
        }
    };
    let single = rule.get("destination_port_range");
    let many = rule
        .get("destination_port_ranges")
        .and_then(Value::as_array);
    if let Some(range) = single {
        add(child_pointer(pointer, "destination_port_range"), range);
    }
    if let Some(ranges) = many {
        let list = child_pointer(pointer, "destination_port_ranges");
        for (i, range) in ranges.iter().enumerate() {
            add(index_pointer(&list, i), range);
        }
    }
    if single.is_none() && many.is_none() {
        let all = Ports::All("no destination port range".to_owned());
        found.open(pointer.to_owned(), protocol, all);
    }
    Some(found)
}
