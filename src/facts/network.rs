//! Facts about network access rules in infrastructure code: which ingress rules open an
//! administrative port (`network.admin-ports`) or every port. Whether the rule's source is
//! the whole internet is the policies' business; this module only reads ports, protocols,
//! directions and actions, in CloudFormation and Terraform (its JSON syntax, which the HCL
//! parser lowers to as well).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{FactIndex, FactInfo, Provider, Scope};
use crate::config::Config;
use crate::document::Evidence;
use crate::document::{Document, child_pointer};

pub const INGRESS_TO_ADMIN_PORT: &str = "network/ingress-to-admin-port";

pub const PROVIDER: Provider = Provider {
    facts: FACTS,
    kinds: KINDS,
    provide,
    prepare: super::prepare_nothing,
    // Every fact here is about one resource and its own document.
    read_first: &[],
    keep: super::keep_nothing,
    slim: super::slim_nothing,
};

const FACTS: &[FactInfo] = &[FactInfo {
    name: INGRESS_TO_ADMIN_PORT,
    scope: Scope::Node,
    description: "an ingress rule that allows an administrative or database port \
                  (`network.admin-ports`, default 22, 3389, 3306, 5432, 1433, 27017, 6379, \
                  9200) or every port (protocol -1/all/*, 0-65535, no ports): a CloudFormation \
                  SecurityGroupIngress entry or AWS::EC2::SecurityGroupIngress `Properties`; a \
                  Terraform aws_security_group `ingress` entry, aws_security_group_rule of type \
                  ingress, aws_vpc_security_group_ingress_rule, Azure inbound Allow \
                  security_rule / azurerm_network_security_rule, or google_compute_firewall \
                  (INGRESS); evidence at the ports",
}];

const KINDS: &[&str] = &["cloudformation/template", "terraform/config"];

fn provide(documents: &[&Document], _: &super::Prepared, config: &Config, index: &mut FactIndex) {
    let ports = &config.network.admin_ports;
    for (i, doc) in documents.iter().enumerate() {
        let rules = match doc.kind.as_str() {
            "cloudformation/template" => cloudformation_rules(&doc.value),
            "terraform/config" => terraform_rules(&doc.value),
            _ => continue,
        };
        for rule in rules {
            if let Some((pointer, message)) = rule.reaches(ports) {
                let evidence = Evidence {
                    document: i,
                    pointer,
                    message,
                };
                index.add_node(i, rule.pointer, INGRESS_TO_ADMIN_PORT, Some(evidence));
            }
        }
    }
}

/// One ingress rule: the node a policy selects, and the ports it opens.
#[derive(Debug, PartialEq, Eq)]
struct IngressRule {
    pointer: String,
    openings: Vec<Opening>,
}

/// Ports one part of a rule opens, and where that is written.
#[derive(Debug, PartialEq, Eq)]
struct Opening {
    pointer: String,
    ports: Ports,
}

#[derive(Debug, PartialEq, Eq)]
enum Ports {
    /// Every port; the text says why (`IpProtocol -1`, `no port range`, `*`).
    All(String),
    /// An inclusive range.
    Range(i64, i64),
}

impl IngressRule {
    /// Where and how the rule reaches an administrative port, or `None`.
    fn reaches(&self, admin: &BTreeSet<u16>) -> Option<(String, String)> {
        self.openings.iter().find_map(|o| match &o.ports {
            Ports::All(why) => Some((
                o.pointer.clone(),
                format!(
                    "{why}: every port is open{}",
                    including(admin.iter().next())
                ),
            )),
            Ports::Range(from, to) if *from <= 0 && *to >= 65535 => Some((
                o.pointer.clone(),
                format!(
                    "ports {from}-{to}: every port is open{}",
                    including(admin.iter().next())
                ),
            )),
            Ports::Range(from, to) => {
                let port = admin
                    .iter()
                    .find(|p| (*from..=*to).contains(&i64::from(**p)))?;
                let name = service(*port).map_or(String::new(), |s| format!(" ({s})"));
                Some((
                    o.pointer.clone(),
                    if from == to {
                        format!("allows port {port}{name}")
                    } else {
                        format!("ports {from}-{to} include port {port}{name}")
                    },
                ))
            }
        })
    }
}

fn including(port: Option<&u16>) -> String {
    match port {
        Some(port) => {
            let name = service(*port).map_or(String::new(), |s| format!(" ({s})"));
            format!(", including {port}{name}")
        }
        None => String::new(),
    }
}

/// What the default administrative ports serve, for messages.
fn service(port: u16) -> Option<&'static str> {
    Some(match port {
        22 => "SSH",
        3389 => "RDP",
        3306 => "MySQL",
        5432 => "PostgreSQL",
        1433 => "SQL Server",
        27017 => "MongoDB",
        6379 => "Redis",
        9200 => "Elasticsearch",
        _ => return None,
    })
}

/// A port number written as a number or a numeric string; `None` for anything else (an
/// unresolved reference, a parameter).
fn port_number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A protocol as lower-case text: `tcp`, `-1`, `6`.
fn protocol(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_ascii_lowercase()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Protocols whose "ports" are not ports (ICMP types, IPsec).
fn portless(protocol: &str) -> bool {
    matches!(
        protocol,
        "icmp" | "icmpv6" | "1" | "58" | "esp" | "ah" | "50" | "51"
    )
}

/// An AWS rule (`IpProtocol`/`FromPort`/`ToPort` or Terraform's `protocol`/`from_port`/
/// `to_port`): protocol `-1` or `all` opens every port whatever the ports say; no ports at
/// all is every port too.
fn aws_rule(node: &Value, pointer: &str, keys: [&str; 3]) -> Option<IngressRule> {
    let [protocol_key, from_key, to_key] = keys;
    let object = node.as_object()?;
    let protocol = protocol(object.get(protocol_key));
    let opening = |at: &str, ports: Ports| Opening {
        pointer: child_pointer(pointer, at),
        ports,
    };
    let ports = match protocol.as_deref() {
        Some(p @ ("-1" | "all")) => {
            opening(protocol_key, Ports::All(format!("{protocol_key} {p}")))
        }
        Some(p) if portless(p) => return None,
        _ => match (object.get(from_key), object.get(to_key)) {
            (None, None) => Opening {
                pointer: pointer.to_owned(),
                ports: Ports::All("no port range".to_owned()),
            },
            (from, to) => {
                let from_port = from.map(port_number);
                let to_port = to.map(port_number);
                let (from_port, to_port) = match (from_port, to_port) {
                    (Some(Some(f)), Some(Some(t))) => (f, t),
                    (Some(Some(f)), None) => (f, f),
                    (None, Some(Some(t))) => (t, t),
                    // A port that is not a literal number: unknown, not reported.
                    _ => return None,
                };
                let at = if from.is_some() { from_key } else { to_key };
                opening(at, Ports::Range(from_port, to_port))
            }
        },
    };
    Some(IngressRule {
        pointer: pointer.to_owned(),
        openings: vec![ports],
    })
}

/// `Resources.*` of a CloudFormation template: security groups' inline ingress rules and
/// stand-alone ingress resources.
fn cloudformation_rules(template: &Value) -> Vec<IngressRule> {
    const KEYS: [&str; 3] = ["IpProtocol", "FromPort", "ToPort"];
    let mut rules = Vec::new();
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return rules;
    };
    for (name, resource) in resources {
        let Some(properties) = resource.get("Properties") else {
            continue;
        };
        let base = child_pointer(&child_pointer("/Resources", name), "Properties");
        match resource.get("Type").and_then(Value::as_str) {
            Some("AWS::EC2::SecurityGroup") => {
                if let Some(Value::Array(entries)) = properties.get("SecurityGroupIngress") {
                    let list = child_pointer(&base, "SecurityGroupIngress");
                    for (i, entry) in entries.iter().enumerate() {
                        rules.extend(aws_rule(entry, &child_pointer(&list, &i.to_string()), KEYS));
                    }
                }
            }
            Some("AWS::EC2::SecurityGroupIngress") => {
                rules.extend(aws_rule(properties, &base, KEYS))
            }
            _ => {}
        }
    }
    rules
}

/// The bodies of `resource.<type>.<name>` in Terraform's JSON syntax, with their pointers;
/// a body written as a list of objects (which the JSON syntax allows) yields each.
fn terraform_resources<'a>(config: &'a Value, kind: &str) -> Vec<(String, &'a Value)> {
    let Some(by_name) = config
        .get("resource")
        .and_then(|r| r.get(kind))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let base = child_pointer("/resource", kind);
    let mut out = Vec::new();
    for (name, body) in by_name {
        let pointer = child_pointer(&base, name);
        match body {
            Value::Object(_) => out.push((pointer, body)),
            Value::Array(items) => out.extend(
                items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| item.is_object())
                    .map(|(i, item)| (child_pointer(&pointer, &i.to_string()), item)),
            ),
            _ => {}
        }
    }
    out
}

/// The entries of a repeatable nested block (`ingress`, `security_rule`, `allow`): always an
/// array in the data model.
fn blocks<'a>(body: &'a Value, name: &str, pointer: &str) -> Vec<(String, &'a Value)> {
    let list = child_pointer(pointer, name);
    match body.get(name) {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (child_pointer(&list, &i.to_string()), item))
            .collect(),
        _ => Vec::new(),
    }
}

fn text_is(value: Option<&Value>, expected: &str) -> bool {
    value
        .and_then(Value::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case(expected))
}

fn terraform_rules(config: &Value) -> Vec<IngressRule> {
    const AWS_KEYS: [&str; 3] = ["protocol", "from_port", "to_port"];
    let mut rules = Vec::new();
    for (pointer, body) in terraform_resources(config, "aws_security_group") {
        for (at, entry) in blocks(body, "ingress", &pointer) {
            rules.extend(aws_rule(entry, &at, AWS_KEYS));
        }
    }
    for (pointer, body) in terraform_resources(config, "aws_security_group_rule") {
        if text_is(body.get("type"), "ingress") {
            rules.extend(aws_rule(body, &pointer, AWS_KEYS));
        }
    }
    for (pointer, body) in terraform_resources(config, "aws_vpc_security_group_ingress_rule") {
        rules.extend(aws_rule(
            body,
            &pointer,
            ["ip_protocol", "from_port", "to_port"],
        ));
    }
    for (pointer, body) in terraform_resources(config, "azurerm_network_security_rule") {
        rules.extend(azure_rule(body, &pointer));
    }
    for (pointer, body) in terraform_resources(config, "azurerm_network_security_group") {
        for (at, entry) in blocks(body, "security_rule", &pointer) {
            rules.extend(azure_rule(entry, &at));
        }
    }
    for (pointer, body) in terraform_resources(config, "google_compute_firewall") {
        rules.extend(gcp_firewall(body, &pointer));
    }
    rules
}

/// An Azure port range: `*`, `22` or `1000-2000`.
fn azure_ports(value: &Value) -> Option<Ports> {
    if let Some(n) = value.as_i64() {
        return Some(Ports::Range(n, n));
    }
    let text = value.as_str()?.trim();
    if text == "*" {
        return Some(Ports::All("port range *".to_owned()));
    }
    match text.split_once('-') {
        Some((from, to)) => Some(Ports::Range(
            from.trim().parse().ok()?,
            to.trim().parse().ok()?,
        )),
        None => text.parse().ok().map(|n| Ports::Range(n, n)),
    }
}

/// An Azure NSG rule that lets inbound traffic in (`direction = "Inbound"`,
/// `access = "Allow"`), on `destination_port_range` or `destination_port_ranges`.
fn azure_rule(rule: &Value, pointer: &str) -> Option<IngressRule> {
    if !text_is(rule.get("direction"), "inbound") || !text_is(rule.get("access"), "allow") {
        return None;
    }
    if protocol(rule.get("protocol")).is_some_and(|p| portless(&p)) {
        return None;
    }
    let mut openings = Vec::new();
    let single = rule.get("destination_port_range");
    let many = rule
        .get("destination_port_ranges")
        .and_then(Value::as_array);
    if let Some(range) = single {
        let at = child_pointer(pointer, "destination_port_range");
        openings.extend(azure_ports(range).map(|ports| Opening { pointer: at, ports }));
    }
    if let Some(ranges) = many {
        let list = child_pointer(pointer, "destination_port_ranges");
        for (i, range) in ranges.iter().enumerate() {
            let at = child_pointer(&list, &i.to_string());
            openings.extend(azure_ports(range).map(|ports| Opening { pointer: at, ports }));
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

/// A GCP firewall for incoming traffic (`direction` INGRESS, the default; not disabled):
/// each `allow` entry opens its `ports`, or every port when it lists none.
fn gcp_firewall(body: &Value, pointer: &str) -> Option<IngressRule> {
    if body.get("direction").is_some() && !text_is(body.get("direction"), "ingress") {
        return None;
    }
    if body.get("disabled").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let mut openings = Vec::new();
    for (at, allow) in blocks(body, "allow", pointer) {
        let protocol = protocol(allow.get("protocol"));
        match protocol.as_deref() {
            Some("all") => openings.push(Opening {
                pointer: child_pointer(&at, "protocol"),
                ports: Ports::All("protocol all".to_owned()),
            }),
            Some(p) if portless(p) => {}
            _ => match allow.get("ports").and_then(Value::as_array) {
                Some(ports) if !ports.is_empty() => {
                    let list = child_pointer(&at, "ports");
                    for (i, port) in ports.iter().enumerate() {
                        let ports = match azure_ports(port) {
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
        pointer: pointer.to_owned(),
        openings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defaults() -> BTreeSet<u16> {
        Config::default().network.admin_ports
    }

    /// (rule pointer, evidence pointer, message) of every rule that reaches an admin port.
    fn reached(rules: Vec<IngressRule>) -> Vec<(String, String, String)> {
        let admin = defaults();
        rules
            .into_iter()
            .filter_map(|r| {
                let (at, message) = r.reaches(&admin)?;
                Some((r.pointer, at, message))
            })
            .collect()
    }

    fn owned(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        list.iter()
            .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
            .collect()
    }

    #[test]
    fn cloudformation_groups_and_ingress_resources() {
        let template = json!({
            "Resources": {
                "Web": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
                    {"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "0.0.0.0/0"},
                    {"IpProtocol": "-1", "CidrIp": "10.0.0.0/8"},
                    {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1},
                    {"IpProtocol": "tcp", "FromPort": {"Ref": "Port"}, "ToPort": {"Ref": "Port"}}
                ]}},
                "Db": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties":
                    {"IpProtocol": 6, "FromPort": 3000, "ToPort": 4000, "CidrIpv6": "::/0"}},
                "Wide": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties":
                    {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535}},
                "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"IpProtocol": "-1"}}
            }
        });
        assert_eq!(
            reached(cloudformation_rules(&template)),
            owned(&[
                (
                    "/Resources/Web/Properties/SecurityGroupIngress/1",
                    "/Resources/Web/Properties/SecurityGroupIngress/1/FromPort",
                    "allows port 22 (SSH)",
                ),
                (
                    "/Resources/Web/Properties/SecurityGroupIngress/2",
                    "/Resources/Web/Properties/SecurityGroupIngress/2/IpProtocol",
                    "IpProtocol -1: every port is open, including 22 (SSH)",
                ),
                (
                    "/Resources/Db/Properties",
                    "/Resources/Db/Properties/FromPort",
                    "ports 3000-4000 include port 3306 (MySQL)",
                ),
                (
                    "/Resources/Wide/Properties",
                    "/Resources/Wide/Properties/FromPort",
                    "ports 0-65535: every port is open, including 22 (SSH)",
                ),
            ])
        );
    }

    #[test]
    fn terraform_aws_shapes() {
        let config = json!({"resource": {
            "aws_security_group": {"web": {"ingress": [
                {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
                {"from_port": 80, "to_port": 80, "protocol": "tcp"},
                {"from_port": 0, "to_port": 0, "protocol": "-1"}
            ], "egress": [{"from_port": 0, "to_port": 0, "protocol": "-1"}]}},
            "aws_security_group_rule": {
                "rdp": {"type": "ingress", "from_port": 3389, "to_port": 3389, "protocol": "tcp"},
                "out": {"type": "egress", "from_port": 22, "to_port": 22, "protocol": "tcp"}
            },
            "aws_vpc_security_group_ingress_rule": {
                "pg": {"from_port": 5432, "to_port": 5432, "ip_protocol": "tcp"},
                "any": {"ip_protocol": "-1"},
                "https": {"from_port": 443, "to_port": 443, "ip_protocol": "tcp"}
            }
        }});
        assert_eq!(
            reached(terraform_rules(&config)),
            owned(&[
                (
                    "/resource/aws_security_group/web/ingress/0",
                    "/resource/aws_security_group/web/ingress/0/from_port",
                    "allows port 22 (SSH)",
                ),
                (
                    "/resource/aws_security_group/web/ingress/2",
                    "/resource/aws_security_group/web/ingress/2/protocol",
                    "protocol -1: every port is open, including 22 (SSH)",
                ),
                (
                    "/resource/aws_security_group_rule/rdp",
                    "/resource/aws_security_group_rule/rdp/from_port",
                    "allows port 3389 (RDP)",
                ),
                (
                    "/resource/aws_vpc_security_group_ingress_rule/pg",
                    "/resource/aws_vpc_security_group_ingress_rule/pg/from_port",
                    "allows port 5432 (PostgreSQL)",
                ),
                (
                    "/resource/aws_vpc_security_group_ingress_rule/any",
                    "/resource/aws_vpc_security_group_ingress_rule/any/ip_protocol",
                    "ip_protocol -1: every port is open, including 22 (SSH)",
                ),
            ])
        );
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
                ["IpProtocol", "FromPort", "ToPort"],
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
            let _ = aws_rule(&odd, "/r", ["IpProtocol", "FromPort", "ToPort"]);
        }
        assert!(terraform_rules(&json!({"resource": {"aws_security_group": [1, 2]}})).is_empty());
        assert!(cloudformation_rules(&json!({"Resources": []})).is_empty());
    }
}
