//! GRANT, REVOKE and ALTER DEFAULT PRIVILEGES, lowered: the privileges, what they are on,
//! and the grantees, each located.

use serde_json::{Map, Value, json};
use sqlparser::ast::{
    AlterDefaultPrivileges, AlterDefaultPrivilegesOperation, DefaultPrivilegesObjectType,
    DefaultPrivilegesOption, GrantObjects, Grantee, ObjectName, Privileges,
};

use super::locate::Lowering;
use crate::document::child_pointer;

/// A GRANT's or REVOKE's fields, into `node` (the statement at `pointer`).
pub fn grant_or_revoke(
    l: &mut Lowering,
    pointer: &str,
    (granted, objects, grantees): (&Privileges, Option<&GrantObjects>, &[Grantee]),
    node: &mut Map<String, Value>,
) {
    node.insert("privileges".to_owned(), privileges(granted));
    let (on, objects) = grant_objects(l, pointer, objects);
    node.insert("on".to_owned(), json!(on));
    node.insert("objects".to_owned(), objects);
    let grantees = l.grantees(&child_pointer(pointer, "grantees"), grantees);
    node.insert("grantees".to_owned(), grantees);
}

/// An ALTER DEFAULT PRIVILEGES's fields, into `node` (the statement at `pointer`): the
/// schemas it is for, whether it grants, the privileges, on what kind of object, to whom.
pub fn default_privileges(
    l: &mut Lowering,
    pointer: &str,
    alter: &AlterDefaultPrivileges,
    node: &mut Map<String, Value>,
) {
    let schemas: Vec<ObjectName> = alter
        .options
        .iter()
        .flat_map(|o| match o {
            DefaultPrivilegesOption::InSchema(s) => s.clone(),
            DefaultPrivilegesOption::ForRole(_) => Vec::new(),
        })
        .collect();
    let schemas = l.objects(&child_pointer(pointer, "schemas"), &schemas);
    node.insert("schemas".to_owned(), schemas);
    let (grant, privs, object_type, grantees) = match &alter.operation {
        AlterDefaultPrivilegesOperation::Grant {
            privileges,
            object_type,
            grantees,
            ..
        } => (true, privileges, object_type, grantees),
        AlterDefaultPrivilegesOperation::Revoke {
            privileges,
            object_type,
            grantees,
            ..
        } => (false, privileges, object_type, grantees),
    };
    node.insert("grant".to_owned(), json!(grant));
    node.insert("privileges".to_owned(), privileges(privs));
    let on = match object_type {
        DefaultPrivilegesObjectType::Tables => "tables",
        DefaultPrivilegesObjectType::Functions | DefaultPrivilegesObjectType::Routines => {
            "functions"
        }
        _ => "other",
    };
    node.insert("on".to_owned(), json!(on));
    let grantees = l.grantees(&child_pointer(pointer, "grantees"), grantees);
    node.insert("grantees".to_owned(), grantees);
}

pub fn privileges(privileges: &Privileges) -> Value {
    match privileges {
        Privileges::All { .. } => json!(["all"]),
        Privileges::Actions(actions) => actions
            .iter()
            .map(|a| {
                let text = a.to_string().to_lowercase();
                Value::String(text.split([' ', '(']).next().unwrap_or("").to_owned())
            })
            .collect(),
    }
}

/// What a GRANT or REVOKE is on: its kind of object, and their names.
fn grant_objects(
    l: &mut Lowering,
    pointer: &str,
    objects: Option<&GrantObjects>,
) -> (String, Value) {
    let at = child_pointer(pointer, "objects");
    match objects {
        Some(GrantObjects::Tables(names)) => ("table".to_owned(), l.objects(&at, names)),
        Some(GrantObjects::AllTablesInSchema { schemas }) => {
            ("all tables in schema".to_owned(), l.objects(&at, schemas))
        }
        Some(GrantObjects::Functions(functions)) => {
            let names: Vec<ObjectName> = functions.iter().map(|f| f.name.clone()).collect();
            ("function".to_owned(), l.objects(&at, &names))
        }
        Some(GrantObjects::AllFunctionsInSchema { schemas }) => (
            "all functions in schema".to_owned(),
            l.objects(&at, schemas),
        ),
        Some(GrantObjects::AllRoutinesInSchema { schemas }) => (
            "all functions in schema".to_owned(),
            l.objects(&at, schemas),
        ),
        Some(GrantObjects::Schemas(schemas)) => ("schema".to_owned(), l.objects(&at, schemas)),
        Some(other) => {
            let word = other.to_string().to_lowercase();
            l.record(&at, l.whole());
            (word.split(' ').next().unwrap_or("").to_owned(), json!([]))
        }
        None => {
            l.record(&at, l.whole());
            ("none".to_owned(), json!([]))
        }
    }
}
