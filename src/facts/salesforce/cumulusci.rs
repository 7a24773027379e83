//! What a CumulusCI project file (`cumulusci.yml`) does to an org that matters to guest
//! access: anonymous Apex it runs, and permission sets it assigns to the site guest user.
//!
//! A task is defined under `tasks.<name>` (`class_path` and `options`) and run alone or as a
//! step of a flow (`flows.<flow>.steps.<n>`: `task` and `options`, which override the
//! task's own, option by option).

use serde_json::{Map, Value};

use crate::document::{child_pointer, index_pointer};

/// CumulusCI's built-in task that assigns permission sets (`api_names`) to the users whose
/// `Alias` is in `user_alias`.
const ASSIGN_TASK: &str = "assign_permission_sets";
const ASSIGN_CLASS: &str = "cumulusci.tasks.salesforce.users.permsets.AssignPermissionSets";

/// The `apex` options of tasks and flow steps, with their pointers.
pub fn inline_apex(config: &Value) -> Vec<(String, &str)> {
    runs(config)
        .into_iter()
        .filter_map(|run| {
            let (pointer, code) = run.option("apex")?;
            Some((pointer, code.as_str()?))
        })
        .collect()
}

/// The permission sets that `assign_permission_sets` runs give a guest user: the pointer of
/// each name in `api_names`, the name, and the guest alias of `user_alias`. Salesforce gives
/// every site's guest user the alias `guest`.
pub fn guest_permission_sets(config: &Value) -> Vec<(String, &str, &str)> {
    let tasks = config.get("tasks").and_then(Value::as_object);
    let mut found = Vec::new();
    for run in runs(config) {
        if !run.assigns_permission_sets(tasks) {
            continue;
        }
        let Some((_, aliases)) = run.option("user_alias") else {
            continue;
        };
        let Some(guest) = list(aliases)
            .into_iter()
            .find(|(_, alias)| alias.to_ascii_lowercase().starts_with("guest"))
            .map(|(_, alias)| alias)
        else {
            continue;
        };
        let Some((pointer, names)) = run.option("api_names") else {
            continue;
        };
        for (k, name) in list(names) {
            let pointer = match k {
                Some(k) => index_pointer(&pointer, k),
                None => pointer.clone(),
            };
            found.push((pointer, name, guest));
        }
    }
    found
}

/// One way a task runs: its definition, or a flow step (which may override its options).
struct Run<'a> {
    task: &'a str,
    options: Option<(String, &'a Map<String, Value>)>,
    /// The task definition's options, for those the step does not set.
    defaults: Option<(String, &'a Map<String, Value>)>,
    class_path: Option<&'a str>,
}

impl<'a> Run<'a> {
    fn option(&self, key: &str) -> Option<(String, &'a Value)> {
        [&self.options, &self.defaults]
            .into_iter()
            .flatten()
            .find_map(|(pointer, options)| {
                let value = options.get(key)?;
                Some((child_pointer(pointer, key), value))
            })
    }

    fn assigns_permission_sets(&self, tasks: Option<&Map<String, Value>>) -> bool {
        let defined = tasks
            .and_then(|t| t.get(self.task))
            .and_then(|t| t.get("class_path"))
            .and_then(Value::as_str);
        match self.class_path.or(defined) {
            Some(class) => class == ASSIGN_CLASS,
            None => self.task == ASSIGN_TASK,
        }
    }
}

/// A task's or step's `options`, with their pointer.
fn options(value: &Value, pointer: String) -> Option<(String, &Map<String, Value>)> {
    let map = value.get("options")?.as_object()?;
    Some((child_pointer(&pointer, "options"), map))
}

fn runs(config: &Value) -> Vec<Run<'_>> {
    let tasks = config.get("tasks").and_then(Value::as_object);
    let mut found = Vec::new();
    for (name, task) in tasks.into_iter().flatten() {
        found.push(Run {
            task: name,
            options: options(task, child_pointer("/tasks", name)),
            defaults: None,
            class_path: task.get("class_path").and_then(Value::as_str),
        });
    }
    let flows = config.get("flows").and_then(Value::as_object);
    for (flow, definition) in flows.into_iter().flatten() {
        let steps = definition.get("steps").and_then(Value::as_object);
        for (n, step) in steps.into_iter().flatten() {
            let Some(task) = step.get("task").and_then(Value::as_str) else {
                continue;
            };
            let pointer = child_pointer(&child_pointer(&child_pointer("/flows", flow), "steps"), n);
            let defined = tasks.and_then(|t| t.get(task));
            found.push(Run {
                task,
                options: options(step, pointer),
                defaults: defined.and_then(|d| options(d, child_pointer("/tasks", task))),
                class_path: None,
            });
        }
    }
    found
}

/// The items of a CumulusCI list option, written as a YAML list or a comma-separated string:
/// each with its index in the list (none for a string).
fn list(value: &Value) -> Vec<(Option<usize>, &str)> {
    match value {
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| (None, s))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(k, item)| Some((Some(k), item.as_str()?.trim())))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inline_apex_of_tasks_and_flow_steps() {
        let config = json!({
            "tasks": {"assign/guest": {"options": {"apex": "x"}}, "other": {}},
            "flows": {"dev_org": {"steps": {"3": {"task": "execute_anon", "options": {"apex": "y"}}}}}
        });
        assert_eq!(
            inline_apex(&config),
            vec![
                ("/tasks/assign~1guest/options/apex".to_owned(), "x"),
                ("/flows/dev_org/steps/3/options/apex".to_owned(), "y"),
            ]
        );
    }

    #[test]
    fn assign_permission_sets_for_the_guest_alias() {
        let config = json!({
            "tasks": {
                "assign_guest_sets": {
                    "class_path": ASSIGN_CLASS,
                    "options": {"api_names": "Shop_Guest, Shop_Browse", "user_alias": "guest"}
                },
                "assign_admin_sets": {
                    "class_path": ASSIGN_CLASS,
                    "options": {"api_names": "Shop_Admin", "user_alias": "UUser"}
                },
                "something_else": {
                    "class_path": "tasks.Custom",
                    "options": {"api_names": "Shop_Other", "user_alias": "guest"}
                }
            },
            "flows": {"config_qa": {"steps": {
                "1": {"task": "assign_permission_sets",
                      "options": {"api_names": ["Portal_Guest"], "user_alias": "Guest"}},
                "2": {"task": "assign_admin_sets", "options": {"user_alias": "guest"}},
                "3": {"task": "assign_permission_sets", "options": {"api_names": ["Mine"]}}
            }}}
        });
        assert_eq!(
            guest_permission_sets(&config),
            vec![
                (
                    "/tasks/assign_guest_sets/options/api_names".to_owned(),
                    "Shop_Guest",
                    "guest"
                ),
                (
                    "/tasks/assign_guest_sets/options/api_names".to_owned(),
                    "Shop_Browse",
                    "guest"
                ),
                (
                    "/flows/config_qa/steps/1/options/api_names/0".to_owned(),
                    "Portal_Guest",
                    "Guest"
                ),
                // The step runs the admin task for the guest: the task's own api_names.
                (
                    "/tasks/assign_admin_sets/options/api_names".to_owned(),
                    "Shop_Admin",
                    "guest"
                ),
            ]
        );
    }
}
