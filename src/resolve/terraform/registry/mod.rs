//! Well-known registry modules (`source = "terraform-aws-modules/security-group/aws"`):
//! each call is given, in the caller's document, the resources the module makes from its
//! arguments (`resource.aws_security_group_rule["module.web.ingress_rules[0]"]`), so the
//! policies that judge those resources judge the call. Every synthesized value is located
//! at the caller's argument that decides it, so a finding lands there; the resource itself
//! is located at the `module` block, and names the call and its `source` as a related
//! location. Only what the module really does is made: an argument whose value is not
//! known, or whose default changed across the module's major versions where the call's
//! `version` does not say which, is left unknown (a `${…}` text no policy reads as a value).
//! The table of modules and what each argument means is in the files beside this one.

mod rules;
mod security_group;
mod services;
mod version;

use serde_json::{Map, Value};

use super::{is_known, locate_inside};
use crate::document::{Document, Evidence, NodeSpans, child_pointer};
use crate::resolve::Origin;
use version::Versions;

/// One call of a well-known registry module, with its arguments as the walk left them.
pub(super) struct Call<'a> {
    /// The call's label (`web` in `module "web"`).
    pub name: &'a str,
    pub block: &'a Map<String, Value>,
    /// The module, without its registry and provider (`security-group`).
    pub module: &'a str,
    /// The submodule after `//` (`modules/ssh`), or empty.
    pub submodule: &'a str,
    pub versions: Versions,
    source: &'a str,
}

/// What a call's argument is.
pub(super) enum Argument<'a> {
    /// Not written: the module's default.
    Absent,
    /// Known only at apply time (another resource, a variable without a value).
    Unknown,
    Known(&'a Value),
}

impl<'a> Call<'a> {
    pub fn argument(&self, key: &str) -> Argument<'a> {
        match self.block.get(key) {
            None | Some(Value::Null) => Argument::Absent,
            Some(value) if is_known(value) => Argument::Known(value),
            Some(_) => Argument::Unknown,
        }
    }

    /// An argument known at least in part: a known value, or a list or object some of
    /// whose members are known (a policy document naming a resource's ARN, a list of
    /// CIDRs with a variable in it); the unknown members read as nothing exposing.
    pub fn partly_known(&self, key: &str) -> Option<&'a Value> {
        match self.block.get(key)? {
            Value::Null => None,
            value @ (Value::Array(_) | Value::Object(_)) => Some(value),
            value => is_known(value).then_some(value),
        }
    }

    /// The pointer of an argument (or of a part of one) in the caller's document.
    pub fn at(&self, path: &[&str]) -> String {
        let mut pointer = child_pointer("/module", self.name);
        for part in path {
            pointer = child_pointer(&pointer, part);
        }
        pointer
    }

    /// `module.web`, as messages name the call.
    pub fn label(&self) -> String {
        format!("module.{}", self.name)
    }

    /// Whether the call creates anything: none of `switches` is `false` (a switch whose
    /// value is unknown is taken as on, as a resource's unknown `count` is).
    pub fn creates(&self, switches: &[&str]) -> bool {
        let off = |key: &&str| matches!(self.block.get(*key), Some(Value::Bool(false)));
        let count_zero = matches!(self.block.get("count"), Some(v) if v.as_u64() == Some(0));
        !switches.iter().any(off) && !count_zero
    }
}

/// A resource a module call makes, as the policies read it.
pub(super) struct Made {
    pub kind: &'static str,
    /// Its name in the caller's document (`module.web.ingress_rules[0]`).
    pub name: String,
    pub body: Map<String, Value>,
    /// Nodes of `body` (pointers inside it) and the caller's node each is located at.
    pub located: Vec<(String, String)>,
    /// Related locations of findings about a node of `body` (or inside it): the node, the
    /// caller's node and what it says.
    pub notes: Vec<(String, String, String)>,
    /// What the resource is, for the related location at the call's `source`.
    pub what: String,
}

impl Made {
    pub fn new(kind: &'static str, name: String, what: String) -> Self {
        Made {
            kind,
            name,
            body: Map::new(),
            located: Vec::new(),
            notes: Vec::new(),
            what,
        }
    }

    /// Sets `key` to `value`, located at the caller's node `at`.
    pub fn set(&mut self, key: &str, value: Value, at: String) {
        self.located.push((child_pointer("", key), at));
        self.body.insert(key.to_owned(), value);
    }
}

/// A placeholder for a value the module decides in a way this table does not know: a
/// `${…}` text, as Terraform values known only at apply time are kept.
pub(super) fn unknown(call: &Call<'_>, argument: &str) -> Value {
    Value::String(format!("${{{}.{argument}}}", call.label()))
}

/// The calls of well-known modules in one configuration document, given the resources
/// they make. `before` are the origins found so far (a value a call passes from a variable
/// keeps its definition as a related location where the made resource uses it).
pub(super) fn synthesize(document: &mut Document, index: usize, before: &[Origin]) -> Vec<Origin> {
    let Some(Value::Object(modules)) = document.value.get("module") else {
        return Vec::new();
    };
    let mut made: Vec<(String, Made)> = Vec::new();
    for (name, block) in modules {
        let Value::Object(block) = block else {
            continue;
        };
        let Some(call) = call(name, block) else {
            continue;
        };
        let resources = match call.module {
            "security-group" => security_group::make(&call),
            _ => services::make(&call),
        };
        let source = call.at(&["source"]);
        made.extend(resources.into_iter().map(|m| (source.clone(), m)));
    }
    // Only what a call's arguments took from elsewhere can be carried.
    let passed: Vec<Origin> = (before.iter())
        .filter(|o| o.document == index && o.pointer.starts_with("/module/"))
        .cloned()
        .collect();
    let mut origins = Vec::new();
    for (source, resource) in made {
        origins.extend(place(document, index, resource, &source, &passed));
    }
    origins
}

/// The call a module block is, when its `source` is a module of the table.
fn call<'a>(name: &'a str, block: &'a Map<String, Value>) -> Option<Call<'a>> {
    let Some(Value::String(source)) = block.get("source") else {
        return None;
    };
    let (module, submodule, reference) = parse_source(source)?;
    let versions = match reference {
        Some(reference) => Versions::of(reference),
        None => match block.get("version") {
            Some(Value::String(constraint)) => Versions::of(constraint),
            _ => Versions::any(),
        },
    };
    let known = [
        "security-group",
        "s3-bucket",
        "rds",
        "rds-aurora",
        "redshift",
        "eks",
    ];
    known.contains(&module).then_some(Call {
        name,
        block,
        module,
        submodule,
        versions,
        source,
    })
}

/// `terraform-aws-modules/<module>/aws[//<submodule>]` from the public registry (or its
/// GitHub repository, `github.com/terraform-aws-modules/terraform-aws-<module>`, with the
/// `?ref=` it names): the module, the submodule and the Git reference.
fn parse_source(source: &str) -> Option<(&str, &str, Option<&str>)> {
    let source = source.trim();
    let (source, reference) = match source.split_once("?ref=") {
        Some((path, reference)) => (path, Some(reference)),
        None => (source, None),
    };
    let source = source.strip_prefix("git::").unwrap_or(source);
    let source = source.strip_prefix("https://").unwrap_or(source);
    let (path, submodule) = source.split_once("//").unwrap_or((source, ""));
    let path = path.strip_prefix("registry.terraform.io/").unwrap_or(path);
    let path = path.strip_suffix(".git").unwrap_or(path);
    let module = if let Some(rest) = path.strip_prefix("terraform-aws-modules/") {
        rest.strip_suffix("/aws")?
    } else {
        path.strip_prefix("github.com/terraform-aws-modules/terraform-aws-")?
    };
    (!module.contains('/')).then_some((module, submodule.trim_matches('/'), reference))
}

/// Puts a made resource into the caller's document, located, with its origins.
fn place(
    document: &mut Document,
    index: usize,
    made: Made,
    source: &str,
    before: &[Origin],
) -> Vec<Origin> {
    let Value::Object(root) = &mut document.value else {
        return Vec::new();
    };
    let resources = root
        .entry("resource")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(types) = resources else {
        return Vec::new();
    };
    let named = types
        .entry(made.kind)
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(named) = named else {
        return Vec::new();
    };
    if named.contains_key(&made.name) {
        return Vec::new();
    }
    let pointer = child_pointer(&child_pointer("/resource", made.kind), &made.name);
    let body = Value::Object(made.body);
    let block = crate::document::parent_pointer(source)
        .unwrap_or("")
        .to_owned();
    if let Some(spans) = document.spans.get(&block).copied() {
        document.spans.insert(pointer.clone(), spans);
    }
    let mut origins = vec![Origin {
        document: index,
        pointer: pointer.clone(),
        definition: Evidence::at(index, source, made.what),
        landing: None,
    }];
    for (inside, caller) in &made.located {
        let at = format!("{pointer}{inside}");
        let Some(spans) = document.spans.get(caller).copied() else {
            continue;
        };
        document.spans.insert(
            at.clone(),
            NodeSpans {
                key: None,
                value: spans.value,
            },
        );
        if let Some(value) = body.pointer(inside) {
            locate_inside(&mut document.spans, value, &at, spans.value);
            super::expand::copy_spans(&mut document.spans, value, caller, &at);
        }
        origins.extend(carried(before, caller, &at));
    }
    for (inside, caller, message) in made.notes {
        let at = format!("{pointer}{inside}");
        origins.extend(carried(before, &caller, &at));
        origins.push(Origin {
            document: index,
            pointer: format!("{pointer}{inside}"),
            definition: Evidence::at(index, caller, message),
            landing: None,
        });
    }
    named.insert(made.name, body);
    origins
}

/// The origins (of the caller's document) of its node `caller` and of nodes inside it,
/// carried to the made node `at`: a value the caller took from a variable or a policy
/// document keeps them.
fn carried<'o>(
    before: &'o [Origin],
    caller: &'o str,
    at: &'o str,
) -> impl Iterator<Item = Origin> + 'o {
    before.iter().filter_map(move |origin| {
        let rest = origin.pointer.strip_prefix(caller)?;
        let inside = rest.is_empty() || rest.starts_with('/');
        inside.then(|| {
            let mut copy = origin.clone();
            copy.pointer = format!("{at}{rest}");
            copy
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_name_the_module_and_its_submodule() {
        let parse = |s| parse_source(s).map(|(m, sub, r)| (m.to_owned(), sub.to_owned(), r));
        assert_eq!(
            parse("terraform-aws-modules/security-group/aws//modules/ssh"),
            Some(("security-group".into(), "modules/ssh".into(), None))
        );
        assert_eq!(
            parse("registry.terraform.io/terraform-aws-modules/s3-bucket/aws"),
            Some(("s3-bucket".into(), "".into(), None))
        );
        assert_eq!(
            parse("git::https://github.com/terraform-aws-modules/terraform-aws-rds.git?ref=v6.1.0"),
            Some(("rds".into(), "".into(), Some("v6.1.0")))
        );
        assert_eq!(
            parse("github.com/terraform-aws-modules/terraform-aws-security-group//modules/rdp"),
            Some(("security-group".into(), "modules/rdp".into(), None))
        );
        assert_eq!(parse("./modules/security-group"), None);
        assert_eq!(parse("cloudposse/security-group/aws"), None);
        assert_eq!(parse("terraform-aws-modules/security-group/google"), None);
    }
}
