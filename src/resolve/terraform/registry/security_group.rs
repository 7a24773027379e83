//! terraform-aws-modules/security-group (its root and `//modules/<preset>` submodules): the
//! `aws_security_group_rule`s of type ingress it makes from `ingress_rules` (named rules,
//! each with `ingress_cidr_blocks` and `ingress_ipv6_cidr_blocks` as sources; a preset adds
//! its own through `auto_ingress_rules`), `ingress_with_cidr_blocks` and
//! `ingress_with_ipv6_cidr_blocks` (a rule each, `cidr_blocks` a comma-separated string,
//! its ports from `from_port`/`to_port`/`protocol` or its named `rule`). The `computed_*`
//! arguments are known only at apply time and not read.

use serde_json::{Value, json};

use super::rules::{PRESETS, RULES};
use super::{Argument, Call, Made, unknown};
use crate::document::child_pointer;

const KIND: &str = "aws_security_group_rule";

/// The most sources the named rules of one call may copy in all.
const MAX_COPIES: usize = 65_536;

/// A list argument's sources: `(value, where it is)`; an unknown list is a placeholder.
struct Sources {
    value: Value,
    at: String,
    argument: &'static str,
}

pub(super) fn make(call: &Call<'_>) -> Vec<Made> {
    if !call.creates(&["create"]) {
        return Vec::new();
    }
    let preset = match call.submodule.strip_prefix("modules/") {
        None if call.submodule.is_empty() => None,
        Some(name) => match PRESETS.iter().find(|(n, _)| *n == name) {
            Some((_, rules)) => Some((name, *rules)),
            None => return Vec::new(),
        },
        None => return Vec::new(),
    };
    let ipv4 = sources(call, "ingress_cidr_blocks");
    let ipv6 = sources(call, "ingress_ipv6_cidr_blocks");
    let mut out = Vec::new();
    // Named rules: the caller's, then the preset's own (unless the call replaces them).
    let mut named: Vec<(String, Option<String>)> = Vec::new();
    // A list is read element by element: an element known only at apply time is skipped.
    if let Some(Value::Array(items)) = call.block.get("ingress_rules") {
        for (i, item) in items.iter().enumerate() {
            if let Value::String(name) = item {
                let at = call.at(&["ingress_rules", &i.to_string()]);
                named.push((name.clone(), Some(at)));
            }
        }
    }
    match (preset, call.argument("auto_ingress_rules")) {
        (Some(_), Argument::Known(_) | Argument::Unknown) => {
            let items = match call.block.get("auto_ingress_rules") {
                Some(Value::Array(items)) => items.as_slice(),
                _ => &[],
            };
            for (i, item) in items.iter().enumerate() {
                if let Value::String(name) = item {
                    let at = call.at(&["auto_ingress_rules", &i.to_string()]);
                    named.push((name.clone(), Some(at)));
                }
            }
        }
        (Some((_, rules)), Argument::Absent) => {
            named.extend(rules.iter().map(|r| (r.to_string(), None)));
        }
        _ => {}
    }
    // Each named rule copies every source: a call whose product is past what any real
    // configuration writes is left unread rather than multiplied.
    let width = |s: &Sources| s.value.as_array().map_or(1, Vec::len);
    if named.len().saturating_mul(width(&ipv4) + width(&ipv6)) > MAX_COPIES {
        named.clear();
    }
    for (name, at) in named {
        let Some(&(_, from, to, protocol)) = RULES.iter().find(|(n, ..)| *n == name) else {
            continue;
        };
        let what = match preset {
            Some((preset, _)) if at.is_none() => format!(
                "made by `{}` (`{}`): the preset `{preset}` opens its rule `{name}` ({})",
                call.label(),
                call.source,
                ports(from, to, protocol)
            ),
            _ => format!(
                "made by `{}` (`{}`): the rule `{name}` ({}) from `ingress_cidr_blocks`",
                call.label(),
                call.source,
                ports(from, to, protocol)
            ),
        };
        let mut made = Made::new(
            KIND,
            format!("{}.ingress_rules[\"{name}\"]", call.label()),
            what,
        );
        made.set("type", json!("ingress"), call.at(&["source"]));
        // The ports at the rule's name, or for a preset's own rule at the `source`.
        let ports_at = at.clone().unwrap_or_else(|| call.at(&["source"]));
        made.set("from_port", json!(from), ports_at.clone());
        made.set("to_port", json!(to), ports_at.clone());
        made.set("protocol", json!(protocol), ports_at);
        for (key, sources) in [("cidr_blocks", &ipv4), ("ipv6_cidr_blocks", &ipv6)] {
            // A rule the caller names is reported at its name (one finding a rule); a
            // preset's own rule at the source it opens to.
            let located = at.clone().unwrap_or_else(|| sources.at.clone());
            made.set(key, sources.value.clone(), located);
            if at.is_some() {
                let note = format!(
                    "`{}` of `{}`: the sources of every rule in `ingress_rules`",
                    sources.argument,
                    call.label()
                );
                made.notes
                    .push((child_pointer("", key), sources.at.clone(), note));
            }
        }
        out.push(made);
    }
    out.extend(with_blocks(
        call,
        "ingress_with_cidr_blocks",
        "cidr_blocks",
        &ipv4,
    ));
    out.extend(with_blocks(
        call,
        "ingress_with_ipv6_cidr_blocks",
        "ipv6_cidr_blocks",
        &ipv6,
    ));
    out
}

/// `ingress_cidr_blocks` (or the IPv6 one): its value (the module's default is empty), or a
/// placeholder when it is not known.
fn sources(call: &Call<'_>, argument: &'static str) -> Sources {
    // A list whose elements are known in part keeps them: the unknown ones read as
    // nothing exposing.
    let value = match (call.argument(argument), call.block.get(argument)) {
        (Argument::Absent, _) => json!([]),
        (Argument::Known(value), _) => value.clone(),
        (Argument::Unknown, Some(list @ Value::Array(_))) => list.clone(),
        (Argument::Unknown, _) => unknown(call, argument),
    };
    Sources {
        value,
        at: call.at(&[argument]),
        argument,
    }
}

/// The rules of `ingress_with_cidr_blocks` (or the IPv6 one): one each, its sources from
/// its own comma-separated `key` or else from the call's default sources.
fn with_blocks(call: &Call<'_>, argument: &str, key: &str, default: &Sources) -> Vec<Made> {
    // Each entry on its own: one known only at apply time leaves the others judged.
    let Some(Value::Array(entries)) = call.block.get(argument) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Value::Object(entry) = entry else {
            continue;
        };
        let index = i.to_string();
        let at = |part: &str| call.at(&[argument, &index, part]);
        let rule = entry.get("rule").and_then(Value::as_str);
        let named = rule.and_then(|r| RULES.iter().find(|(n, ..)| *n == r));
        let port = |part: &str, from_rule: Option<Value>| match entry.get(part) {
            Some(value) => Some((value.clone(), at(part))),
            None => from_rule.map(|v| (v, at("rule"))),
        };
        let (Some(from), Some(to), Some(protocol)) = (
            port("from_port", named.map(|r| json!(r.1))),
            port("to_port", named.map(|r| json!(r.2))),
            port("protocol", named.map(|r| json!(r.3))),
        ) else {
            continue;
        };
        let what = format!(
            "made by `{}` (`{}`): rule {i} of `{argument}`",
            call.label(),
            call.source
        );
        let mut made = Made::new(KIND, format!("{}.{argument}[{i}]", call.label()), what);
        made.set("type", json!("ingress"), call.at(&[argument, &index]));
        made.set("from_port", from.0, from.1);
        made.set("to_port", to.0, to.1);
        made.set("protocol", protocol.0, protocol.1);
        match entry.get(key) {
            Some(Value::String(text)) if !text.contains("${") => {
                let list: Vec<Value> = (text.split(','))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| json!(s))
                    .collect();
                made.set(key, Value::Array(list), at(key));
            }
            Some(_) => made.set(key, unknown(call, argument), at(key)),
            None => {
                made.set(key, default.value.clone(), call.at(&[argument, &index]));
                let note = format!(
                    "`{}` of `{}`: the sources of a rule that names none",
                    default.argument,
                    call.label()
                );
                made.notes
                    .push((child_pointer("", key), default.at.clone(), note));
            }
        }
        out.push(made);
    }
    out
}

/// `tcp 22`, `udp 137-138`, `every port and protocol`.
fn ports(from: i64, to: i64, protocol: &str) -> String {
    match (protocol, from == to) {
        ("-1", _) => "every protocol and port".to_owned(),
        (_, true) if from < 0 => protocol.to_owned(),
        (_, true) => format!("{protocol} {from}"),
        _ => format!("{protocol} {from}-{to}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_opens_named_rules() {
        for (preset, rules) in PRESETS {
            for rule in rules.iter().filter(|r| **r != "smtps-2465-tcp") {
                assert!(
                    RULES.iter().any(|(n, ..)| n == rule),
                    "{preset}: {rule} is not a named rule"
                );
            }
        }
        let ssh = RULES.iter().find(|(n, ..)| *n == "ssh-tcp");
        assert_eq!(ssh, Some(&("ssh-tcp", 22, 22, "tcp")));
        assert_eq!(ports(22, 22, "tcp"), "tcp 22");
        assert_eq!(ports(-1, -1, "-1"), "every protocol and port");
        assert_eq!(ports(0, 65535, "tcp"), "tcp 0-65535");
    }
}
