//! What the network facts know of an ingress rule once it is read, whatever the cloud: the
//! ports it opens and where each is written, where it names the whole internet as its
//! source, and whether it reaches a sensitive port (see [`super::ports`]).

use std::collections::BTreeSet;

use serde_json::Value;

use super::ports::{
    DEFAULT_ADMIN_PORTS, Protocol, Transport, served_over, service, whole_internet,
};
use crate::document::{child_pointer, index_pointer};

/// One ingress rule: the node a policy selects, the ports it opens, and its sources that
/// are the whole internet.
#[derive(Debug, PartialEq, Eq, Default)]
pub(super) struct IngressRule {
    pub pointer: String,
    pub openings: Vec<Opening>,
    /// Where the rule names the whole internet as a source (each list element on its own).
    pub internet: Vec<String>,
    /// A network ACL's rule: stateless, so a wide range (every port, the ephemeral ports
    /// replies come back on) is its ordinary posture; only a range narrower than
    /// [`WIDE_RANGE`] ports opens a service on purpose.
    pub stateless: bool,
}

/// How many ports a network ACL's range spans before it is a posture rather than an
/// opening: the ephemeral range replies use (1024-65535) is wider.
const WIDE_RANGE: i64 = 1024;

/// Ports one part of a rule opens, over which transport, and where that is written.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Opening {
    pub pointer: String,
    pub ports: Ports,
    pub transport: Transport,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Ports {
    /// Every port; the text says why (`IpProtocol -1`, `no port range`, `*`).
    All(String),
    /// An inclusive range.
    Range(i64, i64),
}

impl IngressRule {
    /// A rule at `pointer` whose sources are the values of `keys` in `node` (a text or a
    /// list of texts each).
    pub fn new(pointer: &str, node: &Value, keys: &[&str]) -> Self {
        let mut internet = Vec::new();
        for key in keys {
            let at = child_pointer(pointer, key);
            match node.get(key) {
                Some(Value::Array(items)) => internet.extend(
                    (0..items.len())
                        .filter(|&i| whole_internet(&items[i]))
                        .map(|i| index_pointer(&at, i)),
                ),
                Some(value) if whole_internet(value) => internet.push(at),
                _ => {}
            }
        }
        IngressRule {
            pointer: pointer.to_owned(),
            internet,
            ..IngressRule::default()
        }
    }

    /// Adds what `protocol` with `ports` (already read) opens, written at `at`.
    pub fn open(&mut self, at: String, protocol: Protocol, ports: Ports) {
        let transport = match protocol {
            Protocol::Portless => return,
            Protocol::All => Transport::Any,
            Protocol::Ports(transport) => transport,
        };
        self.openings.push(Opening {
            pointer: at,
            ports,
            transport,
        });
    }

    /// Whether every opening of the rule is one port, written as such (`22`, not a range
    /// or every port).
    pub fn names_one_port(&self) -> bool {
        (self.openings.iter()).all(|o| matches!(o.ports, Ports::Range(from, to) if from == to))
    }

    /// Where and how the rule reaches an administrative port, or `None`.
    pub fn reaches(&self, admin: &BTreeSet<u16>) -> Option<(String, String)> {
        self.openings.iter().find_map(|o| {
            let reachable = |port: &u16| o.transport.reaches(served_over(*port));
            let (from, to) = match &o.ports {
                Ports::All(why) if !self.stateless => {
                    return Some((o.pointer.clone(), every_port(why, first(admin, reachable))));
                }
                Ports::All(_) => return None,
                Ports::Range(from, to) => (*from, *to),
            };
            if self.stateless && to.saturating_sub(from).saturating_add(1) >= WIDE_RANGE {
                return None;
            }
            if from <= 0 && to >= 65535 {
                let why = format!("ports {from}-{to}");
                return Some((o.pointer.clone(), every_port(&why, first(admin, reachable))));
            }
            let port = first(admin, |p| {
                (from..=to).contains(&i64::from(*p)) && reachable(p)
            })?;
            let name = service(port).map_or(String::new(), |s| format!(" ({s})"));
            Some((
                o.pointer.clone(),
                if from == to {
                    format!("allows port {port}{name}")
                } else {
                    format!("ports {from}-{to} include port {port}{name}")
                },
            ))
        })
    }
}

/// The first administrative port that passes `test`, in the order of the default list
/// (SSH first), then the configured ones in number order.
fn first(admin: &BTreeSet<u16>, test: impl Fn(&u16) -> bool) -> Option<u16> {
    DEFAULT_ADMIN_PORTS
        .iter()
        .map(|(port, ..)| *port)
        .filter(|port| admin.contains(port))
        .chain(admin.iter().copied())
        .find(|port| test(port))
}

fn every_port(why: &str, port: Option<u16>) -> String {
    match port {
        Some(port) => {
            let name = service(port).map_or(String::new(), |s| format!(" ({s})"));
            format!("{why}: every port is open, including {port}{name}")
        }
        None => format!("{why}: every port is open"),
    }
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
            .map(|(port, ..)| port.to_string())
            .collect();
        let ports = ports.join(", ");
        let with_services: Vec<String> = DEFAULT_ADMIN_PORTS
            .iter()
            .map(|(port, service, _)| format!("{port} {service}"))
            .collect();
        let with_services = with_services.join(", ");
        assert_eq!(
            Config::default().facts.network.admin_ports,
            DEFAULT_ADMIN_PORTS.iter().map(|(port, ..)| *port).collect()
        );
        let init = include_str!("../../cli/init.rs");
        assert!(
            flat(init).contains(&format!("default: {ports}")),
            "src/cli/init.rs does not list the default admin ports as {ports}"
        );
        let readme = include_str!("../../../README.md");
        assert!(
            readme.contains(&format!(
                "| `network.admin-ports` | ports never open to the world (remote administration, \
                 file sharing, databases and caches) | {ports} |"
            )),
            "README.md does not list the default admin ports as {ports}"
        );
        let schema = include_str!("../../../schemas/config.schema.json");
        assert!(
            schema.contains(&format!("(default: {with_services})")),
            "schemas/config.schema.json does not list the default admin ports as {with_services}"
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
}
