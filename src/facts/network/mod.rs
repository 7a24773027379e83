//! Facts about network access rules in infrastructure code: which ingress rules open an
//! administrative port (`network.admin-ports`) or every port, and which of their sources
//! are the whole internet. This module reads ports, protocols, sources, directions and
//! actions, in CloudFormation and Terraform (read through [`crate::facts::terraform`], so
//! `*.tf`, both forms of `*.tf.json` and plans alike), and Kubernetes load balancers.
//!
//! Each cloud's rules are read in its own file ([`aws`], [`azure`], [`gcp`], [`kubernetes`])
//! into an [`ingress::IngressRule`], which says whether it reaches an administrative port;
//! what a sensitive port, a protocol and the whole internet are is decided once, in [`ports`].

mod aws;
mod azure;
mod gcp;
mod ingress;
mod kubernetes;
mod load_balancers;
mod ports;
mod settings;

pub use settings::NetworkSettings;

use serde_json::Value;

use super::{Evidence, FactIndex, FactInfo, Provider, Scope, Settings};
use crate::detect::kinds;
use ingress::IngressRule;

pub use ports::{DEFAULT_ADMIN_PORTS, whole_internet};

pub const INGRESS_TO_ADMIN_PORT: &str = "network/ingress-to-admin-port";
pub const INTERNET_TO_ADMIN_PORT: &str = "network/internet-to-admin-port";
pub const WHOLE_INTERNET: &str = "network/whole-internet";
pub const INTERNET_TO_LOAD_BALANCER: &str = "network/internet-to-load-balancer";

// Every fact here is about one resource and its own document.
pub const PROVIDER: Provider = Provider::of_batch(FACTS, KINDS, provide);

const FACTS: &[FactInfo] = &[
    FactInfo {
        name: INGRESS_TO_ADMIN_PORT,
        scope: Scope::Node,
        description: "an ingress rule that allows an administrative or database port \
                      (`network.admin-ports`, over the transport its service uses) or every \
                      port (protocol -1/all/*, 0-65535, no ports): a CloudFormation \
                      SecurityGroupIngress entry, AWS::EC2::SecurityGroupIngress or inbound \
                      Allow AWS::EC2::NetworkAclEntry `Properties`; a Terraform \
                      aws_security_group / aws_default_security_group `ingress` entry, \
                      aws_security_group_rule of type ingress, \
                      aws_vpc_security_group_ingress_rule, allowing aws_network_acl / \
                      aws_default_network_acl `ingress` entry or aws_network_acl_rule, Azure \
                      inbound Allow security_rule / azurerm_network_security_rule, or \
                      google_compute_firewall (INGRESS); a Kubernetes Service of type LoadBalancer \
                      (its `port`s over TCP). A network ACL rule counts only for a range of \
                      fewer than 1024 ports (stateless ACLs allow wide ranges for replies). \
                      Evidence at the ports",
    },
    FactInfo {
        name: INTERNET_TO_ADMIN_PORT,
        scope: Scope::Node,
        description: "a source of such an ingress rule that is the whole internet: any \
                      address of prefix length 0 (0.0.0.0/0, ::/0), `*`, `Internet` or `Any` \
                      (CidrIp, CidrIpv6, CidrBlock, Ipv6CidrBlock, cidr_blocks, \
                      ipv6_cidr_blocks, cidr_ipv4, cidr_ipv6, cidr_block, ipv6_cidr_block, \
                      source_address_prefix(es), source_ranges): the first such source of a \
                      rule, one finding a rule; evidence at the ports and at the rule's other \
                      sources that are the whole internet",
    },
    FactInfo {
        name: INTERNET_TO_LOAD_BALANCER,
        scope: Scope::Node,
        description: "in Terraform, the first whole-internet source of an ingress rule that \
                      reaches an administrative port through a range (every port, or more than \
                      one port) of an `aws_security_group` only load balancers \
                      (aws_lb, aws_alb, aws_elb `security_groups`) use in its folder — nothing \
                      else attaches it, no module or output passes it on: the internet reaches \
                      the load balancer's listeners, not a server's ports. Such a rule is not \
                      `network/internet-to-admin-port`. Evidence at the ports and at the load \
                      balancer's use of the group",
    },
    FactInfo {
        name: WHOLE_INTERNET,
        scope: Scope::Node,
        description: "a text that is the whole internet, wherever it is written: any address \
                      of prefix length 0 (0.0.0.0/0, 10.0.0.0/0, ::/0), `*`, `Internet` or \
                      `Any` in any case (the notion the rules above use)",
    },
];

const KINDS: &[&str] = &[
    kinds::CLOUDFORMATION_TEMPLATE,
    kinds::TERRAFORM_CONFIG,
    kinds::KUBERNETES_SERVICE,
];

fn provide(given: &super::Given, _: &super::Prepared, settings: &Settings, index: &mut FactIndex) {
    let documents = given.documents;
    let ports = &settings.network.admin_ports;
    let load_balancer_groups = load_balancers::load_balancer_groups(documents);
    for (i, doc) in documents.iter().enumerate() {
        let rules = match doc.kind.as_str() {
            kinds::CLOUDFORMATION_TEMPLATE => aws::cloudformation_rules(&doc.value),
            kinds::TERRAFORM_CONFIG => terraform_rules(&doc.value),
            kinds::KUBERNETES_SERVICE => kubernetes::service_rules(&doc.value),
            _ => continue,
        };
        for (pointer, _) in super::tree::find(&doc.value, "", &whole_internet, false) {
            index.add_node(i, pointer, WHOLE_INTERNET, None);
        }
        let folder = crate::document::folder(&doc.source.path);
        for rule in rules {
            // A range on a group only load balancers use reaches their listeners, not the
            // administrative ports it spans (a rule naming one such port stays one).
            let load_balancer = (doc.kind.as_str() == kinds::TERRAFORM_CONFIG
                && !rule.names_one_port())
            .then(|| load_balancers::group_of(&doc.value, &rule.pointer))
            .flatten()
            .and_then(|group| load_balancer_groups.get(&(folder.to_owned(), group)));
            if let (Some(load_balancer), Some((pointer, message)), Some(first)) =
                (load_balancer, rule.reaches(ports), rule.internet.first())
            {
                let attached = format!(
                    "the rule's group is attached here, to `{}` only: the internet reaches \
                     the load balancer's listeners, not a server's ports",
                    load_balancer.address
                );
                for evidence in [
                    Evidence::at(i, pointer, message),
                    Evidence::at(
                        load_balancer.document,
                        load_balancer.pointer.clone(),
                        attached,
                    ),
                ] {
                    index.add_node(i, first.clone(), INTERNET_TO_LOAD_BALANCER, Some(evidence));
                }
                continue;
            }
            if let Some((pointer, message)) = rule.reaches(ports) {
                let evidence = Evidence::at(i, pointer, message);
                // One finding a rule: at its first source that is the whole internet, the
                // others (IPv6 beside IPv4) related, as one fix closes them all.
                if let Some((first, others)) = rule.internet.split_first() {
                    let node = first.clone();
                    index.add_node(
                        i,
                        node.clone(),
                        INTERNET_TO_ADMIN_PORT,
                        Some(evidence.clone()),
                    );
                    for other in others {
                        let text = doc.value.pointer(other).and_then(Value::as_str);
                        let message = format!(
                            "`{}` opens the rule to the whole internet too",
                            text.unwrap_or_default().trim()
                        );
                        let also = Some(Evidence::at(i, other.clone(), message));
                        index.add_node(i, node.clone(), INTERNET_TO_ADMIN_PORT, also);
                    }
                }
                index.add_node(i, rule.pointer, INGRESS_TO_ADMIN_PORT, Some(evidence));
            }
        }
    }
}

/// The ingress rules of a Terraform document, cloud by cloud.
fn terraform_rules(config: &Value) -> Vec<IngressRule> {
    let mut rules = aws::terraform_rules(config);
    rules.extend(azure::terraform_rules(config));
    rules.extend(gcp::terraform_rules(config));
    rules
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::aws::{CLOUDFORMATION, aws_rule, cloudformation_rules};
    use super::*;
    use serde_json::json;

    fn defaults() -> BTreeSet<u16> {
        Settings::default().network.admin_ports
    }

    /// (rule pointer, evidence pointer, message) of every rule that reaches an admin port.
    pub(super) fn reached(rules: Vec<IngressRule>) -> Vec<(String, String, String)> {
        let admin = defaults();
        rules
            .into_iter()
            .filter_map(|r| {
                let (at, message) = r.reaches(&admin)?;
                Some((r.pointer, at, message))
            })
            .collect()
    }

    pub(super) fn owned(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        list.iter()
            .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
            .collect()
    }

    #[test]
    fn terraform_azure_and_gcp_shapes() {
        let config = json!({"resource": {
            "azurerm_network_security_rule": {
                "ssh": {"direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                        "destination_port_range": "22", "source_address_prefix": "*"},
                "deny": {"direction": "Inbound", "access": "Deny", "protocol": "*",
                         "destination_port_range": "*"},
                "out": {"direction": "Outbound", "access": "Allow", "protocol": "*",
                        "destination_port_range": "*"}
            },
            "azurerm_network_security_group": {"nsg": {"security_rule": [
                {"direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                 "destination_port_ranges": ["80", "8000-8080"]},
                {"direction": "inbound", "access": "allow", "protocol": "*",
                 "destination_port_range": "*"},
                {"direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                 "destination_port_ranges": ["443", "6000-7000"]}
            ]}},
            "google_compute_firewall": {
                "ssh": {"source_ranges": ["0.0.0.0/0"], "allow": [
                    {"protocol": "icmp"}, {"protocol": "tcp", "ports": ["80", "22"]}]},
                "all": {"allow": [{"protocol": "all"}]},
                "tcp": {"direction": "INGRESS", "allow": [{"protocol": "tcp"}]},
                "egress": {"direction": "EGRESS", "allow": [{"protocol": "tcp"}]},
                "off": {"disabled": true, "allow": [{"protocol": "tcp", "ports": ["22"]}]},
                "web": {"allow": [{"protocol": "tcp", "ports": ["443", 8080]}]}
            }
        }});
        assert_eq!(
            reached(terraform_rules(&config)),
            owned(&[
                (
                    "/resource/azurerm_network_security_rule/ssh",
                    "/resource/azurerm_network_security_rule/ssh/destination_port_range",
                    "allows port 22 (SSH)",
                ),
                (
                    "/resource/azurerm_network_security_group/nsg/security_rule/1",
                    "/resource/azurerm_network_security_group/nsg/security_rule/1/destination_port_range",
                    "port range *: every port is open, including 22 (SSH)",
                ),
                (
                    "/resource/azurerm_network_security_group/nsg/security_rule/2",
                    "/resource/azurerm_network_security_group/nsg/security_rule/2/destination_port_ranges/1",
                    "ports 6000-7000 include port 6379 (Redis)",
                ),
                (
                    "/resource/google_compute_firewall/ssh",
                    "/resource/google_compute_firewall/ssh/allow/1/ports/1",
                    "allows port 22 (SSH)",
                ),
                (
                    "/resource/google_compute_firewall/all",
                    "/resource/google_compute_firewall/all/allow/0/protocol",
                    "protocol all: every port is open, including 22 (SSH)",
                ),
                (
                    "/resource/google_compute_firewall/tcp",
                    "/resource/google_compute_firewall/tcp/allow/0",
                    "no ports listed: every port is open, including 22 (SSH)",
                ),
            ])
        );
    }

    #[test]
    fn configured_ports_decide_and_all_ports_always_count() {
        let rule = |from: i64, to: i64| {
            aws_rule(
                &json!({"IpProtocol": "tcp", "FromPort": from, "ToPort": to}),
                "/r",
                &CLOUDFORMATION,
            )
            .expect("a rule")
        };
        let only_8443: BTreeSet<u16> = [8443].into_iter().collect();
        assert!(rule(22, 22).reaches(&only_8443).is_none());
        assert_eq!(
            rule(8000, 9000).reaches(&only_8443).map(|(_, m)| m),
            Some("ports 8000-9000 include port 8443".to_owned())
        );
        let none = BTreeSet::new();
        assert_eq!(
            rule(0, 65535).reaches(&none).map(|(_, m)| m),
            Some("ports 0-65535: every port is open".to_owned())
        );
        // Odd shapes are unknown, never a panic.
        for odd in [
            json!(null),
            json!([1]),
            json!({"IpProtocol": ["tcp"], "FromPort": 1e40}),
        ] {
            let _ = aws_rule(&odd, "/r", &CLOUDFORMATION);
        }
        assert!(terraform_rules(&json!({"resource": {"aws_security_group": [1, 2]}})).is_empty());
        assert!(cloudformation_rules(&json!({"Resources": []})).is_empty());
    }

    /// Terraform's JSON syntax may write every level of a resource, and every block, as a
    /// list of objects, or a block as one object: the rules, and what they reach, are the
    /// object form's, at the nodes of the form written.
    #[test]
    fn every_form_of_tf_json_gives_the_same_rules() {
        let objects = json!({"resource": {
            "aws_security_group": {"web": {"ingress": [
                {"from_port": 22, "to_port": 22, "protocol": "tcp"}]}},
            "aws_security_group_rule": {"rdp": {
                "type": "ingress", "from_port": 3389, "to_port": 3389, "protocol": "tcp"}},
            "azurerm_network_security_group": {"nsg": {"security_rule": [
                {"direction": "Inbound", "access": "Allow", "protocol": "*",
                 "destination_port_range": "*"}]}},
            "google_compute_firewall": {"db": {"allow": [
                {"protocol": "tcp", "ports": ["5432"]}]}}
        }});
        let lists = json!({"resource": [
            {"aws_security_group": [{"web": [{"ingress": [
                {"from_port": 22, "to_port": 22, "protocol": "tcp"}]}]}]},
            {"aws_security_group_rule": [{"rdp": [{
                "type": "ingress", "from_port": 3389, "to_port": 3389, "protocol": "tcp"}]}]},
            {"azurerm_network_security_group": [{"nsg": [{"security_rule": [
                {"direction": "Inbound", "access": "Allow", "protocol": "*",
                 "destination_port_range": "*"}]}]}]},
            {"google_compute_firewall": [{"db": [{"allow": [
                {"protocol": "tcp", "ports": ["5432"]}]}]}]}
        ]});
        // One block written as an object, not in a list.
        let single = json!({"resource": {
            "aws_security_group": {"web": {"ingress":
                {"from_port": 22, "to_port": 22, "protocol": "tcp"}}},
            "aws_security_group_rule": {"rdp": {
                "type": "ingress", "from_port": 3389, "to_port": 3389, "protocol": "tcp"}},
            "azurerm_network_security_group": {"nsg": {"security_rule":
                {"direction": "Inbound", "access": "Allow", "protocol": "*",
                 "destination_port_range": "*"}}},
            "google_compute_firewall": {"db": {"allow":
                {"protocol": "tcp", "ports": ["5432"]}}}
        }});
        let messages = |config: &Value| -> Vec<String> {
            reached(terraform_rules(config))
                .into_iter()
                .map(|(_, _, message)| message)
                .collect()
        };
        assert_eq!(
            messages(&objects),
            [
                "allows port 22 (SSH)",
                "allows port 3389 (RDP)",
                "port range *: every port is open, including 22 (SSH)",
                "allows port 5432 (PostgreSQL)",
            ]
        );
        assert_eq!(messages(&lists), messages(&objects));
        assert_eq!(messages(&single), messages(&objects));
        assert_eq!(
            reached(terraform_rules(&lists)),
            owned(&[
                (
                    "/resource/0/aws_security_group/0/web/0/ingress/0",
                    "/resource/0/aws_security_group/0/web/0/ingress/0/from_port",
                    "allows port 22 (SSH)",
                ),
                (
                    "/resource/1/aws_security_group_rule/0/rdp/0",
                    "/resource/1/aws_security_group_rule/0/rdp/0/from_port",
                    "allows port 3389 (RDP)",
                ),
                (
                    "/resource/2/azurerm_network_security_group/0/nsg/0/security_rule/0",
                    "/resource/2/azurerm_network_security_group/0/nsg/0/security_rule/0/destination_port_range",
                    "port range *: every port is open, including 22 (SSH)",
                ),
                (
                    "/resource/3/google_compute_firewall/0/db/0",
                    "/resource/3/google_compute_firewall/0/db/0/allow/0/ports/0",
                    "allows port 5432 (PostgreSQL)",
                ),
            ])
        );
        let first = reached(terraform_rules(&single)).remove(0);
        assert_eq!(first.0, "/resource/aws_security_group/web/ingress");
    }
}
