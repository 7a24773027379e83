//! AWS ingress rules: CloudFormation security groups and ingress resources, and their
//! Terraform counterparts (`aws_security_group` `ingress` blocks, `aws_security_group_rule`
//! of type ingress, `aws_vpc_security_group_ingress_rule`).

use serde_json::Value;

use super::ingress::{IngressRule, Opening, Ports, port_number, portless, protocol, text_is};
use crate::document::child_pointer;
use crate::facts::terraform::resources;

/// The protocol and port keys of a CloudFormation rule.
const CLOUDFORMATION_KEYS: [&str; 3] = ["IpProtocol", "FromPort", "ToPort"];
/// The protocol and port keys of a Terraform `ingress` block or `aws_security_group_rule`.
const TERRAFORM_KEYS: [&str; 3] = ["protocol", "from_port", "to_port"];
/// The protocol and port keys of an `aws_vpc_security_group_ingress_rule`.
const VPC_RULE_KEYS: [&str; 3] = ["ip_protocol", "from_port", "to_port"];

/// An AWS rule (`IpProtocol`/`FromPort`/`ToPort` or Terraform's `protocol`/`from_port`/
/// `to_port`): protocol `-1` or `all` opens every port whatever the ports say; no ports at
/// all is every port too.
pub(super) fn aws_rule(node: &Value, pointer: &str, keys: [&str; 3]) -> Option<IngressRule> {
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
                        let at = child_pointer(&list, &i.to_string());
                        rules.extend(aws_rule(entry, &at, CLOUDFORMATION_KEYS));
                    }
                }
            }
            Some("AWS::EC2::SecurityGroupIngress") => {
                rules.extend(aws_rule(properties, &base, CLOUDFORMATION_KEYS))
            }
            _ => {}
        }
    }
    rules
}

/// The AWS ingress rules of a Terraform document.
pub(super) fn terraform_rules(config: &Value) -> Vec<IngressRule> {
    let mut rules = Vec::new();
    for group in resources(config, "aws_security_group") {
        for entry in group.body.blocks("ingress") {
            rules.extend(aws_rule(entry.value, &entry.pointer, TERRAFORM_KEYS));
        }
    }
    for rule in resources(config, "aws_security_group_rule") {
        let body = rule.body;
        if text_is(body.get("type"), "ingress") {
            rules.extend(aws_rule(body.value, &body.pointer, TERRAFORM_KEYS));
        }
    }
    for rule in resources(config, "aws_vpc_security_group_ingress_rule") {
        rules.extend(aws_rule(rule.body.value, &rule.body.pointer, VPC_RULE_KEYS));
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
}
