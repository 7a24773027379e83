//! Local module calls: `module "storage" { source = "./modules/storage"; acl = … }` gives
//! the module folder's variables the caller's arguments, so the module's resources are
//! judged with them. A module folder directly under a folder named `modules` is read with
//! the folder above it (see [`super::unit`]); calls from elsewhere (an `examples/` folder
//! calling `../../modules/x`) are not followed, and the module keeps its defaults there.
//! A call with `for_each` or `count` is not followed. When several calls pass a variable,
//! what they pass alike is used (the module is one folder, judged once: each call is not
//! judged on its own); an argument whose value is not known makes the variable unknown
//! (never the module's default, which the caller replaces).

use std::collections::HashMap;

use serde_json::Value;

use super::definitions::{Definition, alike};
use super::scope::is_unknown;
use crate::document::{Document, child_pointer};

/// Arguments of a module block that are Terraform's, not the module's variables.
const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "providers",
    "depends_on",
    "for_each",
    "count",
];

/// One call of a local module: the module's folder, and each argument with where it is.
pub(super) struct Call {
    pub folder: String,
    pub document: usize,
    pub name: String,
    pub arguments: Vec<(String, Value)>,
}

/// The calls of local modules in a folder's configuration documents, after their walk.
pub(super) fn calls(documents: &[Document], configs: &[usize], folder: &str) -> Vec<Call> {
    let mut out = Vec::new();
    for &index in configs {
        let Some(Value::Object(modules)) = documents[index].value.get("module") else {
            continue;
        };
        for (name, block) in modules {
            let Some(block) = block.as_object() else {
                continue;
            };
            let Some(Value::String(source)) = block.get("source") else {
                continue;
            };
            if block.contains_key("for_each") || block.contains_key("count") {
                continue;
            }
            let Some(target) = local_folder(folder, source) else {
                continue;
            };
            let arguments = (block.iter())
                .filter(|(key, _)| !META_ARGUMENTS.contains(&key.as_str()))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            out.push(Call {
                folder: target,
                document: index,
                name: name.clone(),
                arguments,
            });
        }
    }
    out
}

/// The folder a local `source` names, from `folder`: `./modules/x` from `infra` is
/// `infra/modules/x`; `None` for a registry or remote source, or one above the root.
fn local_folder(folder: &str, source: &str) -> Option<String> {
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The module folder's variables as `calls` (all of them calling it) pass them.
pub(super) fn pass(names: &mut HashMap<String, Definition>, calls: &[&Call]) {
    let mut passed: Vec<(String, Value, &Call, &str, usize)> = Vec::new();
    for call in calls {
        for (argument, value) in &call.arguments {
            let reference = format!("var.{argument}");
            match passed.iter_mut().find(|(r, ..)| *r == reference) {
                Some(entry) => {
                    entry.1 = alike(&entry.1, value, &reference);
                    entry.4 += 1;
                }
                None => passed.push((reference, value.clone(), call, argument, 1)),
            }
        }
    }
    for (reference, value, call, argument, count) in passed {
        if is_unknown(&value) {
            names.remove(&reference);
            continue;
        }
        let mut how = format!("passed by `module.{}`", call.name);
        if count > 1 {
            how = format!("{how} (and alike by all {count} calls)");
        }
        let pointer = child_pointer(&child_pointer("/module", &call.name), argument);
        let definition = Definition {
            document: call.document,
            pointer,
            value,
            how,
            sole: count == 1,
        };
        names.insert(reference, definition);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_sources_name_folders() {
        assert_eq!(
            local_folder("infra", "./modules/x").as_deref(),
            Some("infra/modules/x")
        );
        assert_eq!(
            local_folder("", "./modules/x").as_deref(),
            Some("modules/x")
        );
        assert_eq!(
            local_folder("infra/modules/a", "../b").as_deref(),
            Some("infra/modules/b")
        );
        assert_eq!(local_folder("infra", "../../x"), None);
        assert_eq!(
            local_folder("infra", "terraform-aws-modules/s3-bucket/aws"),
            None
        );
        assert_eq!(
            local_folder("infra", "git::https://example.com/x.git"),
            None
        );
    }
}
