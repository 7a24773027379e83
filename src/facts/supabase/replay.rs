//! A Supabase project's migrations replayed, in file-name order (the order the Supabase CLI
//! applies them), into a model of the schema: tables and their columns, row level security,
//! policies, what `anon` and `PUBLIC` may do on each table and function, and where each of
//! these was last decided. Supabase's defaults are assumed: in `public`, `anon` (and
//! `authenticated`) get every privilege on new tables and EXECUTE on new functions, and
//! PostgreSQL gives `PUBLIC` EXECUTE on every new function; `REVOKE` and `ALTER DEFAULT
//! PRIVILEGES` change that.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::document::{child_pointer, index_pointer};

mod privileges;

/// A node of a migration: the document's index and the node's pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub document: usize,
    pub pointer: String,
}

/// A table or function: (schema, name).
pub type Name = (String, String);

/// The privileges on tables the pack follows.
pub const TABLE_PRIVILEGES: &[&str] = &["select", "insert", "update", "delete"];

#[derive(Debug)]
pub struct Table {
    /// The `CREATE TABLE`'s table name.
    pub created: At,
    /// Each column's name, and where it is declared.
    pub columns: Vec<(String, At)>,
    pub rls: bool,
    /// The `ALTER TABLE` that last enabled or disabled row level security, and whether it
    /// disabled it.
    pub rls_set: Option<(At, bool)>,
    /// What `anon` and `PUBLIC` may do (PUBLIC's privileges are everyone's, so anon's).
    pub anon: BTreeSet<String>,
    /// Whether anon's privileges came from Supabase's default grants.
    pub by_default: bool,
    /// Explicit grants to anon or PUBLIC still in force: the grantee's node, and what it gave.
    pub grants: Vec<(At, Vec<String>)>,
    /// Where the table was renamed, if it was.
    pub renamed: Option<At>,
}

#[derive(Debug)]
pub struct Policy {
    pub table: Name,
    pub name: String,
    pub command: String,
    pub permissive: bool,
    pub roles: Vec<String>,
    /// The expressions in force, where they were written, and whether they always hold.
    pub using: Option<(At, bool)>,
    pub check: Option<(At, bool)>,
    /// A `bucket_id = '…'` alone, for storage policies.
    pub using_text: String,
}

#[derive(Debug)]
pub struct Function {
    pub created: At,
    pub definer: bool,
    pub trigger: bool,
    pub anon: bool,
    pub public: bool,
}

/// The schema a project's migrations leave.
#[derive(Debug, Default)]
pub struct Model {
    pub tables: BTreeMap<Name, Table>,
    pub policies: Vec<Policy>,
    pub functions: BTreeMap<Name, Function>,
    /// Schemas whose new tables anon gets privileges on, and which (Supabase: `public`).
    table_defaults: BTreeMap<String, BTreeSet<String>>,
    /// Schemas whose new functions anon may not execute by default (`None`: every schema).
    function_revoked: BTreeSet<Option<String>>,
    public_function_revoked: BTreeSet<Option<String>>,
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

fn name_of(value: &Value) -> Name {
    (text(value, "schema"), text(value, "name"))
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl Model {
    pub fn new() -> Self {
        let mut model = Model::default();
        let all: BTreeSet<String> = TABLE_PRIVILEGES.iter().map(|p| (*p).to_owned()).collect();
        model.table_defaults.insert("public".to_owned(), all);
        model
    }

    /// Applies one migration's statements (document `document`'s value).
    pub fn apply(&mut self, document: usize, value: &Value) {
        let Some(statements) = value.get("statements").and_then(Value::as_array) else {
            return;
        };
        for (i, statement) in statements.iter().enumerate() {
            let pointer = index_pointer("/statements", i);
            let at = |key: &str| At {
                document,
                pointer: child_pointer(&pointer, key),
            };
            match text(statement, "statement").as_str() {
                "create table" => self.create_table(statement, at("table")),
                "alter table" => self.alter_table(statement, &at("table"), &at("operations")),
                "drop table" => {
                    for table in statement
                        .get("tables")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let name = name_of(table);
                        self.tables.remove(&name);
                        self.policies.retain(|p| p.table != name);
                    }
                }
                "create policy" => self.create_policy(statement, &pointer, document),
                "alter policy" => self.alter_policy(statement, &pointer, document),
                "drop policy" => {
                    let (table, name) = (name_of(&statement["table"]), text(statement, "policy"));
                    self.policies.retain(|p| p.table != table || p.name != name);
                }
                "grant" | "revoke" => self.grant(statement, &pointer, document),
                "alter default privileges" => self.default_privileges(statement),
                "create function" => self.create_function(statement, at("function")),
                _ => {}
            }
        }
    }

    fn create_table(&mut self, statement: &Value, at: At) {
        let name = name_of(&statement["table"]);
        if self.tables.contains_key(&name) {
            return;
        }
        let anon = self
            .table_defaults
            .get(&name.0)
            .cloned()
            .unwrap_or_default();
        let statement_pointer = crate::document::parent_pointer(&at.pointer).unwrap_or("");
        let columns_pointer = child_pointer(statement_pointer, "columns");
        let columns = strings(statement, "columns")
            .into_iter()
            .enumerate()
            .map(|(k, c)| {
                let pointer = index_pointer(&columns_pointer, k);
                (
                    c,
                    At {
                        document: at.document,
                        pointer,
                    },
                )
            })
            .collect();
        let table = Table {
            created: at,
            columns,
            rls: false,
            rls_set: None,
            by_default: !anon.is_empty(),
            anon,
            grants: Vec::new(),
            renamed: None,
        };
        self.tables.insert(name, table);
    }

    fn alter_table(&mut self, statement: &Value, at: &At, operations: &At) {
        let mut name = name_of(&statement["table"]);
        for (i, op) in statement["operations"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(table) = self.tables.get_mut(&name) else {
                return;
            };
            match text(op, "op").as_str() {
                "enable rls" => {
                    table.rls = true;
                    table.rls_set = Some((at.clone(), false));
                }
                "disable rls" => {
                    table.rls = false;
                    table.rls_set = Some((at.clone(), true));
                }
                "add column" => {
                    let op_pointer = index_pointer(&operations.pointer, i);
                    let column_at = At {
                        document: operations.document,
                        pointer: child_pointer(&op_pointer, "column"),
                    };
                    table.columns.push((text(op, "column"), column_at));
                }
                "rename" => {
                    let to = name_of(&op["to"]);
                    if let Some(mut table) = self.tables.remove(&name) {
                        table.renamed = Some(At {
                            document: operations.document,
                            pointer: child_pointer(&index_pointer(&operations.pointer, i), "to"),
                        });
                        for policy in &mut self.policies {
                            if policy.table == name {
                                policy.table = to.clone();
                            }
                        }
                        self.tables.insert(to.clone(), table);
                        name = to;
                    }
                }
                _ => {}
            }
        }
    }

    fn expression(
        statement: &Value,
        key: &str,
        pointer: &str,
        document: usize,
    ) -> Option<(At, bool)> {
        let node = statement.get(key).filter(|v| v.is_object())?;
        let always = node
            .get("always_true")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let at = At {
            document,
            pointer: child_pointer(pointer, key),
        };
        Some((at, always))
    }

    fn create_policy(&mut self, statement: &Value, pointer: &str, document: usize) {
        let table = name_of(&statement["table"]);
        let name = text(statement, "policy");
        self.policies.retain(|p| p.table != table || p.name != name);
        self.policies.push(Policy {
            table,
            name,
            command: text(statement, "command"),
            permissive: statement["permissive"].as_bool().unwrap_or(true),
            roles: strings(statement, "roles"),
            using: Self::expression(statement, "using", pointer, document),
            check: Self::expression(statement, "check", pointer, document),
            using_text: statement["using"]["text"].as_str().unwrap_or("").to_owned(),
        });
    }

    fn alter_policy(&mut self, statement: &Value, pointer: &str, document: usize) {
        let table = name_of(&statement["table"]);
        let name = text(statement, "policy");
        let Some(policy) = self
            .policies
            .iter_mut()
            .find(|p| p.table == table && p.name == name)
        else {
            return;
        };
        if let Some(to) = statement.get("rename_to").and_then(Value::as_str) {
            policy.name = to.to_owned();
        }
        if statement.get("roles").is_some() {
            policy.roles = strings(statement, "roles");
        }
        if let Some(using) = Self::expression(statement, "using", pointer, document) {
            policy.using = Some(using);
            policy.using_text = statement["using"]["text"].as_str().unwrap_or("").to_owned();
        }
        if let Some(check) = Self::expression(statement, "check", pointer, document) {
            policy.check = Some(check);
        }
    }

    fn create_function(&mut self, statement: &Value, at: At) {
        let name = name_of(&statement["function"]);
        let definer = statement["security_definer"].as_bool().unwrap_or(false);
        let trigger = statement["returns_trigger"].as_bool().unwrap_or(false);
        if let Some(existing) = self.functions.get_mut(&name) {
            // CREATE OR REPLACE keeps the function's privileges.
            existing.created = at;
            existing.definer = definer;
            existing.trigger = trigger;
            return;
        }
        let revoked = |set: &BTreeSet<Option<String>>| {
            set.contains(&None) || set.contains(&Some(name.0.clone()))
        };
        let anon = name.0 == "public" && !revoked(&self.function_revoked);
        let public = !revoked(&self.public_function_revoked);
        let function = Function {
            created: at,
            definer,
            trigger,
            anon,
            public,
        };
        self.functions.insert(name, function);
    }
}
