//! AWS ingress rules: CloudFormation security groups, ingress resources and network ACL
//! entries, and their Terraform counterparts (`aws_security_group` and
//! `aws_default_security_group` `ingress` blocks, `aws_security_group_rule` of type ingress,
//! `aws_vpc_security_group_ingress_rule`, `aws_network_acl` / `aws_default_network_acl`
//! `ingress` blocks and `aws_network_acl_rule`).

use serde_json::Value;

use super::ingress::{IngressRule, Ports, text_is};
use super::ports::{Protocol, port_number, protocol};
use crate::document::{child_pointer, index_pointer};
use crate::facts::terraform::resources;

/// How one shape of AWS rule is written: its protocol and port keys, and its source keys.
pub(super) struct Shape {
    pub protocol: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub sources: &'static [&'static str],
}

pub(super) const CLOUDFORMATION: Shape = Shape {
    protocol: "IpProtocol",
    from: "FromPort",
    to: "ToPort",
    sources: &["CidrIp", "CidrIpv6"],
};
const TERRAFORM: Shape = Shape {
    protocol: "protocol",
    from: "from_port",
    to: "to_port",
    sources: &["cidr_blocks", "ipv6_cidr_blocks"],
};
const VPC_RULE: Shape = Shape {
    protocol: "ip_protocol",
    from: "from_port",
    to: "to_port",
    sources: &["cidr_ipv4", "cidr_ipv6"],
};
const TERRAFORM_ACL: Shape = Shape {
    protocol: "protocol",
    from: "from_port",
    to: "to_port",
    sources: &["cidr_block", "ipv6_cidr_block"],
};
const CLOUDFORMATION_ACL: Shape = Shape {
    protocol: "Protocol",
    from: "From",
    to: "To",
    sources: &["CidrBlock", "Ipv6CidrBlock"],
};

/// An AWS rule written in `shape`: protocol `-1` or `all` opens every port whatever the
/// ports say; no ports at all is every port too. `ports` is the node holding the port keys
/// (the rule itself, or a network ACL entry's `PortRange`).
pub(super) fn aws_rule(node: &Value, pointer: &str, shape: &Shape) -> Option<IngressRule> {
    aws_rule_ports(node, pointer, shape, (node, pointer))
}

fn aws_rule_ports(
    node: &Value,
    pointer: &str,
    shape: &Shape,
    (ports, ports_at): (&Value, &str),
) -> Option<IngressRule> {
    let object = node.as_object()?;
    let mut rule = IngressRule::new(pointer, node, shape.sources);
    let protocol_value = object.get(shape.protocol);
    let protocol = protocol(protocol_value);
    if protocol == Protocol::All {
        let written = protocol_value.map_or_else(String::new, |v| match v {
            Value::String(s) => s.trim().to_owned(),
            other => other.to_string(),
        });
        let at = child_pointer(pointer, shape.protocol);
        rule.open(
            at,
            protocol,
            Ports::All(format!("{} {written}", shape.protocol)),
        );
        return Some(rule);
    }
    let (from, to) = (ports.get(shape.from), ports.get(shape.to));
    let (at, range) = match (from, to) {
        (None, None) => (pointer.to_owned(), Ports::All("no port range".to_owned())),
        (from, to) => {
            let (from_port, to_port) = match (from.map(port_number), to.map(port_number)) {
                (Some(Some(f)), Some(Some(t))) => (f, t),
                (Some(Some(f)), None) => (f, f),
                (None, Some(Some(t))) => (t, t),
                // A port that is not a literal number: unknown, not reported.
                _ => return None,
            };
            let key = if from.is_some() { shape.from } else { shape.to };
            (
                child_pointer(ports_at, key),
                Ports::Range(from_port, to_port),
            )
        }
    };
    rule.open(at, protocol, range);
    Some(rule)
}

/// Whether a value is false (`false`, `"false"`), or absent.
fn false_or_absent(value: Option<&Value>) -> bool {
    match value {
        None => true,
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// `Resources.*` of a CloudFormation template: security groups' inline ingress rules,
/// stand-alone ingress resources and inbound allowing network ACL entries.
pub(super) fn cloudformation_rules(template: &Value) -> Vec<IngressRule> {
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
                        let at = index_pointer(&list, i);
                        rules.extend(aws_rule(entry, &at, &CLOUDFORMATION));
                    }
                }
            }
            Some("AWS::EC2::SecurityGroupIngress") => {
                rules.extend(aws_rule(properties, &base, &CLOUDFORMATION))
            }
            Some("AWS::EC2::NetworkAclEntry")
                if false_or_absent(properties.get("Egress"))
                    && text_is(properties.get("RuleAction"), "allow") =>
            {
                let range = properties.get("PortRange").unwrap_or(&Value::Null);
                let range_at = child_pointer(&base, "PortRange");
                let rule =
                    aws_rule_ports(properties, &base, &CLOUDFORMATION_ACL, (range, &range_at));
                rules.extend(rule.map(stateless));
            }
            _ => {}
        }
    }
    rules
}

fn stateless(mut rule: IngressRule) -> IngressRule {
    rule.stateless = true;
    rule
}

/// The AWS ingress rules of a Terraform document.
pub(super) fn terraform_rules(config: &Value) -> Vec<IngressRule> {
    let mut rules = Vec::new();
    for kind in ["aws_security_group", "aws_default_security_group"] {
        for group in resources(config, kind) {
            for entry in group.body.blocks("ingress") {
                rules.extend(aws_rule(entry.value, &entry.pointer, &TERRAFORM));
            }
        }
    }
    for rule in resources(config, "aws_security_group_rule") {
        let body = rule.body;
        if text_is(body.get("type"), "ingress") {
            rules.extend(aws_rule(body.value, &body.pointer, &TERRAFORM));
        }
    }
    for rule in resources(config, "aws_vpc_security_group_ingress_rule") {
        rules.extend(aws_rule(rule.body.value, &rule.body.pointer, &VPC_RULE));
    }
    for kind in ["aws_network_acl", "aws_default_network_acl"] {
        for acl in resources(config, kind) {
            for entry in acl.body.blocks("ingress") {
                if text_is(entry.get("action"), "allow") {
                    let rule = aws_rule(entry.value, &entry.pointer, &TERRAFORM_ACL);
                    rules.extend(rule.map(stateless));
                }
            }
        }
    }
    for rule in resources(config, "aws_network_acl_rule") {
        let body = rule.body;
        if false_or_absent(body.get("egress")) && text_is(body.get("rule_action"), "allow") {
            let rule = aws_rule(body.value, &body.pointer, &TERRAFORM_ACL);
            rules.extend(rule.map(stateless));
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::super::terraform_rules;
    use super::super::tests::{owned, reached};
    use super::*;
    use serde_json::json;

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
                    "ports 3000-4000 include port 3389 (RDP)",
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
    fn network_acls_count_for_narrow_ranges_and_sources_are_located() {
        let config = json!({"resource": {
            "aws_network_acl": {"public": {"ingress": [
                {"action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0"},
                {"action": "allow", "protocol": "tcp", "from_port": 1024, "to_port": 65535,
                 "cidr_block": "0.0.0.0/0"},
                {"action": "deny", "protocol": "tcp", "from_port": 22, "to_port": 22,
                 "cidr_block": "0.0.0.0/0"},
                {"action": "allow", "protocol": "tcp", "from_port": 20, "to_port": 23,
                 "ipv6_cidr_block": "::/0"}
            ]}},
            "aws_network_acl_rule": {
                "out": {"egress": true, "rule_action": "allow", "protocol": "tcp",
                        "from_port": 22, "to_port": 22, "cidr_block": "0.0.0.0/0"},
                "udp": {"rule_action": "allow", "protocol": "17",
                        "from_port": 22, "to_port": 22, "cidr_block": "0.0.0.0/0"}
            },
            "aws_security_group": {"web": {"ingress": [
                {"from_port": 22, "to_port": 22, "protocol": "tcp",
                 "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]}
            ]}}
        }});
        let rules = terraform_rules(&config);
        let internet: Vec<&str> = rules
            .iter()
            .filter(|r| {
                r.reaches(&crate::facts::Settings::default().network.admin_ports)
                    .is_some()
            })
            .flat_map(|r| r.internet.iter().map(String::as_str))
            .collect();
        assert_eq!(
            internet,
            [
                "/resource/aws_security_group/web/ingress/0/cidr_blocks/1",
                "/resource/aws_security_group/web/ingress/0/ipv6_cidr_blocks/0",
                "/resource/aws_network_acl/public/ingress/3/ipv6_cidr_block",
            ]
        );
        assert_eq!(reached(rules)[1].2, "ports 20-23 include port 22 (SSH)");
    }
}
