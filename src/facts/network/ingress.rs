//! What the network facts know of an ingress rule once it is read, whatever the cloud: the
//! ports it opens and where each is written, and whether they reach an administrative
//! port. Also the readers of the values rules are written with (ports, port ranges,
//! protocols), which every cloud spells alike.

use std::collections::BTreeSet;

use serde_json::Value;

/// The ports `network.admin-ports` holds unless `.doublecheck.yml` says otherwise, with what
/// they serve (for messages): remote administration (SSH, RDP) and databases (MySQL,
/// PostgreSQL, SQL Server, MongoDB, Redis, Elasticsearch). The policies and documentation
/// that list them say the same (see the tests).
pub const DEFAULT_ADMIN_PORTS: &[(u16, &str)] = &[
    (22, "SSH"),
    (3389, "RDP"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (1433, "SQL Server"),
    (27017, "MongoDB"),
    (6379, "Redis"),
    (9200, "Elasticsearch"),
];

/// One ingress rule: the node a policy selects, and the ports it opens.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct IngressRule {
    pub pointer: String,
    pub openings: Vec<Opening>,
}

/// Ports one part of a rule opens, and where that is written.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Opening {
    pub pointer: String,
    pub ports: Ports,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Ports {
    /// Every port; the text says why (`IpProtocol -1`, `no port range`, `*`).
    All(String),
    /// An inclusive range.
    Range(i64, i64),
}

impl IngressRule {
    /// Where and how the rule reaches an administrative port, or `None`.
    pub fn reaches(&self, admin: &BTreeSet<u16>) -> Option<(String, String)> {
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

/// What a default administrative port serves, for messages.
fn service(port: u16) -> Option<&'static str> {
    DEFAULT_ADMIN_PORTS
        .iter()
        .find(|(default, _)| *default == port)
        .map(|(_, service)| *service)
}

/// A port number written as a number or a numeric string; `None` for anything else (an
/// unresolved reference, a parameter).
pub(super) fn port_number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A port range written as text or a number: `*`, `22` or `1000-2000` (Azure's rules and
/// GCP's firewalls).
pub(super) fn port_range(value: &Value) -> Option<Ports> {
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

/// A protocol as lower-case text: `tcp`, `-1`, `6`.
pub(super) fn protocol(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_ascii_lowercase()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Protocols whose "ports" are not ports (ICMP types, IPsec).
pub(super) fn portless(protocol: &str) -> bool {
    matches!(
        protocol,
        "icmp" | "icmpv6" | "1" | "58" | "esp" | "ah" | "50" | "51"
    )
}

/// Whether a value is the text `expected`, whatever its case and surrounding spaces
/// (`Inbound`, `INGRESS`).
pub(super) fn text_is(value: Option<&Value>, expected: &str) -> bool {
    value
        .and_then(Value::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case(expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// Text with its comment marks and line breaks taken out, so a list wrapped over lines
    /// (in YAML, or in a commented example) reads as one.
    fn flat(text: &str) -> String {
        text.replace('#', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The code holds the default ports once; the texts that list them must say the same.
    #[test]
    fn the_default_admin_ports_are_written_the_same_everywhere() {
        let ports: Vec<String> = DEFAULT_ADMIN_PORTS
            .iter()
            .map(|(port, _)| port.to_string())
            .collect();
        let ports = ports.join(", ");
        let with_services: Vec<String> = DEFAULT_ADMIN_PORTS
            .iter()
            .map(|(port, service)| format!("{port} {service}"))
            .collect();
        let with_services = with_services.join(", ");
        assert_eq!(
            Config::default().facts.network.admin_ports,
            DEFAULT_ADMIN_PORTS.iter().map(|(port, _)| *port).collect()
        );
        let description = super::super::FACTS[0].description;
        assert!(
            flat(description).contains(&format!("default {ports})")),
            "{description}"
        );
        let init = include_str!("../../cli/init.rs");
        assert!(
            flat(init).contains(&format!("default: {ports}")),
            "src/cli/init.rs does not list the default admin ports as {ports}"
        );
        let readme = include_str!("../../../README.md");
        assert!(
            readme.contains(&format!(
                "| `network.admin-ports` | ports never open to the world | {ports} |"
            )),
            "README.md does not list the default admin ports as {ports}"
        );
        for (file, text) in [
            (
                "CFN-PUBLIC-001",
                include_str!("../../../policies/cloudformation/CFN-PUBLIC-001.yaml"),
            ),
            (
                "TF-PUBLIC-006",
                include_str!("../../../policies/terraform/TF-PUBLIC-006.yaml"),
            ),
        ] {
            assert!(
                flat(text).contains(&format!("(default {with_services})")),
                "{file} does not list the default admin ports as {with_services}"
            );
        }
    }

    #[test]
    fn services_name_the_default_ports_only() {
        assert_eq!(service(22), Some("SSH"));
        assert_eq!(service(9200), Some("Elasticsearch"));
        assert_eq!(service(8443), None);
    }
}
