//! Terraform values put in place before facts and policies run, one folder (module) at a
//! time: variables (`definitions.rs`: defaults, `*.tfvars` in Terraform's precedence),
//! locals, and the expressions, `dynamic` blocks and resource instances whose values the
//! repository decides (`eval.rs`, `functions.rs`, `expand.rs`), and `data
//! "aws_iam_policy_document"` blocks read as the policy documents they produce
//! (`policy_document.rs`), and local modules given their callers' arguments
//! (`modules.rs`), and calls of well-known registry modules given the resources they make
//! (`registry/`), and the files `file` and `templatefile` read (`files.rs`). Unknowns
//! stay as they are written, never guessed.
//!
//! A unit (a folder with its environment and module folders, see [`unit`]) is read
//! together; its folders are evaluated in path order, callers before the modules under
//! them. A folder is walked in two steps (`resources.rs`): its `data` blocks first, so that
//! the policy documents are known when the resources that use them are walked; then
//! everything else (variable declarations and locals are definitions, not uses). Each
//! document is walked once; each local is evaluated once, when first used.

mod definitions;
mod eval;
mod expand;
pub mod files;
mod functions;
mod instances;
mod modules;
mod policy_document;
mod registry;
mod resources;
mod scope;

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::Origin;
use crate::detect::kinds::{TERRAFORM_CONFIG, TERRAFORM_VARIABLES};
use crate::document::{Document, NodeSpans, Span, SpanTable, child_pointer, folder, index_pointer};
use resources::{policy_documents, walk};
use scope::Scope;

pub const KINDS: &[&str] = &[TERRAFORM_CONFIG, TERRAFORM_VARIABLES];

pub fn substitute(documents: &mut [Document]) -> Vec<Origin> {
    // Units (a folder with its environment folders), then folders, in path order.
    let configured: HashSet<&str> = (documents.iter())
        .filter(|doc| doc.kind.as_str() == TERRAFORM_CONFIG)
        .map(|doc| folder(&doc.source.path))
        .collect();
    let holds_config = |folder: &str| configured.contains(folder);
    let mut units: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (index, doc) in documents.iter().enumerate() {
        if KINDS.contains(&doc.kind.as_str()) {
            let folder = folder(&doc.source.path);
            let members = units.entry(unit_among(folder, &holds_config)).or_default();
            members.entry(folder).or_default().push(index);
        }
    }
    let config: Vec<bool> = (documents.iter())
        .map(|doc| doc.kind.as_str() == TERRAFORM_CONFIG)
        .collect();
    let is_config = |i: &usize| config[*i];
    let mut work: Vec<(&str, Vec<usize>, Vec<usize>)> = Vec::new();
    for (unit, folders) in &units {
        // The variable files of environment folders that hold no configuration are the
        // `-var-file`s of the unit's own folder.
        let var_files: Vec<usize> = (folders.iter())
            .filter(|(folder, members)| folder != &unit && !members.iter().any(is_config))
            .flat_map(|(_, members)| members.iter().copied())
            .collect();
        for (folder, members) in folders {
            let extra = if folder == unit {
                var_files.clone()
            } else {
                Vec::new()
            };
            work.push((folder, members.clone(), extra));
        }
    }
    let work: Vec<(String, Vec<usize>, Vec<usize>)> = (work.into_iter())
        .map(|(folder, members, extra)| (folder.to_owned(), members, extra))
        .collect();
    let named = files::named_files(documents);
    let mut origins = Vec::new();
    // Calls of local modules by the folders walked so far (a unit's folders in path order:
    // the folder above `modules/` first).
    let mut calls: Vec<modules::Call> = Vec::new();
    for (folder, members, var_files) in work {
        let configs: Vec<usize> = members.iter().copied().filter(is_config).collect();
        if configs.is_empty() {
            continue;
        }
        let mut names = definitions::collect(documents, &members, &var_files);
        let callers: Vec<&modules::Call> = calls.iter().filter(|c| c.folder == folder).collect();
        // What every call passes alike (an argument they pass differently is unknown).
        if !callers.is_empty() {
            modules::pass(&mut names, &callers);
        }
        let mut scope = Scope::new(&names).in_folder(&named, &folder);
        for &index in &configs {
            origins.extend(walk(documents, index, &scope, true));
        }
        for &index in &configs {
            scope
                .documents
                .extend(policy_documents(&documents[index], index));
        }
        for &index in &configs {
            origins.extend(walk(documents, index, &scope, false));
        }
        for &index in &configs {
            let made = registry::synthesize(&mut documents[index], index, &origins);
            origins.extend(made);
        }
        calls.extend(modules::calls(documents, &configs, &folder));
    }
    origins
}

/// Folders whose subfolders (or files) are commonly one environment's variable files.
const ENVIRONMENT_FOLDERS: &[&str] = &["env", "envs", "environment", "environments"];

/// The folder a folder is read with: itself; for an environment folder (`…/env/prod`,
/// `…/environments`) the folder above it, whose `-var-file`s it may hold; for a module
/// folder (`…/modules/storage`) the folder above `modules`, which may call it. Files of
/// one unit are read together, so their batch sees every variable file and every call.
pub(super) fn unit(folder: &str) -> &str {
    unit_among(folder, &|_| true)
}

/// [`unit`], going up only to a folder that holds configuration (`holds_config`): a folder
/// above `modules/` with no `*.tf` of its own calls none of its modules, and one above
/// `env/` runs nothing with its variable files, so its module and environment folders are
/// read on their own (a repository of a hundred modules is not one unit of thousands of
/// files, read by one worker).
pub(super) fn unit_among<'a>(folder: &'a str, holds_config: &dyn Fn(&str) -> bool) -> &'a str {
    let mut current = folder;
    let mut chosen = folder;
    // Each step goes up; a few cover `modules/x/env/prod`.
    for _ in 0..4 {
        let next = unit_step(current);
        if next == current {
            break;
        }
        current = next;
        if holds_config(current) {
            chosen = current;
        }
    }
    chosen
}

fn unit_step(folder: &str) -> &str {
    let parent = |f: &'_ str| -> (usize, String) {
        let (above, name) = f.rsplit_once('/').unwrap_or(("", f));
        (above.len(), name.to_owned())
    };
    let environment =
        |name: &str| ENVIRONMENT_FOLDERS.contains(&name.to_ascii_lowercase().as_str());
    if folder.is_empty() {
        return folder;
    }
    let (cut, name) = parent(folder);
    if environment(&name) {
        return &folder[..cut];
    }
    if cut == 0 && !folder.contains('/') {
        return folder;
    }
    let (above, grand) = parent(&folder[..cut]);
    if environment(&grand) || grand == "modules" {
        return &folder[..above];
    }
    folder
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// No `${…}` anywhere inside: nothing Terraform still has to evaluate.
fn is_known(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.contains("${"),
        Value::Array(items) => items.iter().all(is_known),
        Value::Object(map) => map.values().all(is_known),
        _ => true,
    }
}

/// Locates every node inside `value` (put in place at `pointer`) at `span`, the use.
fn locate_inside(spans: &mut SpanTable, value: &Value, pointer: &str, span: Span) {
    let visit = |child: String, item: &Value, spans: &mut SpanTable| {
        locate_inside(spans, item, &child, span);
        spans.insert(
            child,
            NodeSpans {
                key: None,
                value: span,
            },
        );
    };
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                visit(index_pointer(pointer, i), item, spans);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                visit(child_pointer(pointer, key), item, spans);
            }
        }
        _ => {}
    }
}

/// A short rendering of a value for a message (written only as far as it is shown).
fn preview(value: &Value) -> String {
    const SHOWN: usize = 60;
    struct Bounded(Vec<u8>);
    impl std::io::Write for Bounded {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.0.len() > SHOWN * 4 {
                return Err(std::io::Error::other("long enough"));
            }
            self.0.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Bounded(Vec::new());
    // An error only says the text is long enough to be cut.
    let _ = serde_json::to_writer(&mut out, value);
    let text = String::from_utf8_lossy(&out.0);
    if text.chars().count() > SHOWN {
        let cut: String = text.chars().take(SHOWN - 3).collect();
        format!("`{cut}…`")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::definitions::Definition;
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    fn names(values: Value) -> HashMap<String, Definition> {
        let mut out = HashMap::new();
        for (name, value) in values.as_object().expect("an object") {
            out.insert(
                name.clone(),
                Definition {
                    document: 0,
                    pointer: format!("/{name}"),
                    value: value.clone(),
                    how: String::new(),
                    sole: true,
                },
            );
        }
        out
    }

    fn eval(scope: &Scope<'_>, text: &str) -> Option<Value> {
        scope.string(text, &mut Vec::new(), &mut Vec::new())
    }

    #[test]
    fn locals_templates_traversal_and_functions() {
        let names = names(json!({
            "var.env": "prod",
            "var.teams": {"ops": {"id": 7}, "dev": {"id": 8}},
            "var.cidrs": ["10.0.0.0/8", "0.0.0.0/0"],
            "local.name": "${var.env}-cd",
            "local.settings": {"name": "${local.name}", "arn": "${aws_s3_bucket.b.arn}"},
            "local.loop": "${local.loop}",
            "local.min": i64::MIN,
            "local.ids": "${[for k, t in var.teams : t.id if k != \"dev\"]}",
        }));
        let scope = Scope::new(&names);
        assert_eq!(eval(&scope, "${local.name}"), Some(json!("prod-cd")));
        assert_eq!(
            eval(&scope, "${local.settings.name}"),
            Some(json!("prod-cd"))
        );
        // Known as far as it goes: the unknown member keeps its text.
        assert_eq!(
            eval(&scope, "${local.settings}"),
            Some(json!({"name": "prod-cd", "arn": "${aws_s3_bucket.b.arn}"}))
        );
        assert_eq!(eval(&scope, "${local.settings.arn}"), None);
        assert_eq!(eval(&scope, "${var.teams[\"ops\"].id}"), Some(json!(7)));
        assert_eq!(eval(&scope, "${var.cidrs[1]}"), Some(json!("0.0.0.0/0")));
        assert_eq!(eval(&scope, "${local.ids}"), Some(json!([7])));
        assert_eq!(
            eval(&scope, "${var.env == \"prod\" ? 1 : 0}"),
            Some(json!(1))
        );
        assert_eq!(
            eval(&scope, "${format(\"%s-%s\", var.env, \"x\")}"),
            Some(json!("prod-x"))
        );
        assert_eq!(
            eval(&scope, "${concat(var.cidrs, [aws_eip.x.public_ip])}"),
            Some(json!(["10.0.0.0/8", "0.0.0.0/0", "${aws_eip.x.public_ip}"]))
        );
        // Unknowns stay unknown: a cycle, an undefined name, a resource, a part of a template.
        assert_eq!(eval(&scope, "${local.loop}"), None);
        assert_eq!(eval(&scope, "${var.undefined}"), None);
        assert_eq!(eval(&scope, "${var.env}-${aws_x.y.id}"), None);
        assert_eq!(eval(&scope, "${var.teams[*].id}"), None);
        assert_eq!(eval(&scope, "%{ if true }x%{ endif }"), None);
        // Arithmetic that would overflow is unknown, not a panic.
        assert_eq!(eval(&scope, "${-local.min}"), None);
        assert_eq!(eval(&scope, "${local.min - 1}"), None);
    }

    #[test]
    fn references_are_the_names_the_use_names() {
        let names = names(json!({"var.env": "prod", "local.name": "${var.env}-cd"}));
        let scope = Scope::new(&names);
        let mut references = Vec::new();
        let value = scope.string("${local.name}/x", &mut Vec::new(), &mut references);
        assert_eq!(value, Some(json!("prod-cd/x")));
        assert_eq!(references, vec!["local.name"]);
        let mut bindings = vec![("each".to_owned(), json!({"key": "a", "value": {"n": 1}}))];
        let value = scope.string("${each.value.n}", &mut bindings, &mut references);
        assert_eq!(value, Some(json!(1)));
    }

    #[test]
    fn environment_folders_are_read_with_the_folder_above() {
        assert_eq!(unit("infra/identity/env/prod"), "infra/identity");
        assert_eq!(unit("infra/environments"), "infra");
        assert_eq!(unit("env/prod"), "");
        assert_eq!(unit("infra/identity"), "infra/identity");
        assert_eq!(unit("infra/prod"), "infra/prod");
        assert_eq!(unit("infra/modules/storage"), "infra");
        assert_eq!(unit("modules/storage"), "");
        assert_eq!(unit("infra/modules/storage/env/prod"), "infra");
        assert_eq!(unit("infra/modules"), "infra/modules");
        assert_eq!(unit(""), "");
        // Only to a folder that holds configuration.
        let infra = |folder: &str| folder == "infra";
        assert_eq!(unit_among("infra/modules/storage", &infra), "infra");
        assert_eq!(
            unit_among("lib/modules/storage", &infra),
            "lib/modules/storage"
        );
        assert_eq!(
            unit_among("infra/modules/storage/env/prod", &infra),
            "infra"
        );
        let module = |folder: &str| folder == "lib/modules/storage";
        assert_eq!(
            unit_among("lib/modules/storage/env/prod", &module),
            "lib/modules/storage"
        );
    }

    #[test]
    fn expressions_are_not_known() {
        assert!(is_known(&json!({"a": ["0.0.0.0/0", 22, true, null]})));
        assert!(!is_known(&json!({"a": ["${var.cidr}"]})));
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        assert_eq!(preview(&json!("x")), "`\"x\"`");
        let long = preview(&json!(vec!["a"; 40]));
        assert!(long.ends_with("…`") && long.chars().count() < 64, "{long}");
    }
}
