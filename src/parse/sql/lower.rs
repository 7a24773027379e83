//! One statement, parsed by `sqlparser`, lowered to the data model: only what the Supabase
//! pack reads (tables, row level security, policies, grants, functions, storage buckets) is
//! kept, every name, role and expression located at its token in the file.

use serde_json::{Map, Value, json};
use sqlparser::ast::{
    AlterPolicyOperation, AlterTableOperation, BinaryOperator, CreatePolicyCommand,
    CreatePolicyType, Expr, FunctionReturnType, FunctionSecurity, ObjectType, RenameTableNameKind,
    SetExpr, Spanned, Statement, TableObject, Value as SqlValue,
};

use super::grants;
use super::locate::{Lowering, ident_name, name_parts};
use crate::document::{child_pointer, index_pointer};

/// Whether an expression holds whatever the row: `true`, a comparison of a literal with an
/// equal literal (`1 = 1`, `'a' = 'a'`), either side of an `OR` true, both of an `AND`.
pub fn always_true(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => v.value == SqlValue::Boolean(true),
        Expr::Nested(inner) => always_true(inner),
        Expr::Cast { expr, .. } => always_true(expr),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::Or => always_true(left) || always_true(right),
            BinaryOperator::And => always_true(left) && always_true(right),
            BinaryOperator::Eq => match (&**left, &**right) {
                (Expr::Value(a), Expr::Value(b)) => a.value == b.value && a.value != SqlValue::Null,
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
}

/// Lowers a parsed statement to its node at `pointer`.
pub fn statement(l: &mut Lowering, pointer: &str, parsed: &Statement) -> Value {
    let mut node = Map::new();
    let put = |node: &mut Map<String, Value>, key: &str, value: Value| {
        node.insert(key.to_owned(), value);
    };
    let at = |key: &str| child_pointer(pointer, key);
    let kind = match parsed {
        Statement::CreateTable(create) => {
            put(&mut node, "table", l.object(&at("table"), &create.name));
            let mut columns = Vec::with_capacity(create.columns.len());
            for (k, column) in create.columns.iter().enumerate() {
                let span = l.locate(column.name.span);
                l.record(&index_pointer(&at("columns"), k), span);
                columns.push(json!(ident_name(&column.name)));
            }
            put(&mut node, "columns", Value::Array(columns));
            l.record(&at("columns"), l.whole());
            "create table"
        }
        Statement::AlterTable(alter) => {
            put(&mut node, "table", l.object(&at("table"), &alter.name));
            let mut operations = Vec::new();
            for (i, op) in alter.operations.iter().enumerate() {
                let op_at = index_pointer(&at("operations"), i);
                let value = match op {
                    AlterTableOperation::EnableRowLevelSecurity => json!({"op": "enable rls"}),
                    AlterTableOperation::DisableRowLevelSecurity => json!({"op": "disable rls"}),
                    AlterTableOperation::ForceRowLevelSecurity => json!({"op": "force rls"}),
                    AlterTableOperation::NoForceRowLevelSecurity => json!({"op": "no force rls"}),
                    AlterTableOperation::RenameTable { table_name } => {
                        let name = match table_name {
                            RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => n,
                        };
                        let mut to = l.object(&child_pointer(&op_at, "to"), name);
                        // A new name is never qualified: the table stays in its schema.
                        if name.0.len() == 1
                            && let Some(schema) = node.get("table").and_then(|t| t.get("schema"))
                        {
                            to["schema"] = schema.clone();
                        }
                        json!({"op": "rename", "to": to})
                    }
                    AlterTableOperation::AddColumn { column_def, .. } => {
                        let span = l.locate(column_def.name.span);
                        l.record(&child_pointer(&op_at, "column"), span);
                        json!({"op": "add column", "column": ident_name(&column_def.name)})
                    }
                    _ => json!({"op": "other"}),
                };
                l.record(&op_at, l.whole());
                operations.push(value);
            }
            l.record(&at("operations"), l.whole());
            put(&mut node, "operations", Value::Array(operations));
            "alter table"
        }
        Statement::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } => {
            put(&mut node, "tables", l.objects(&at("tables"), names));
            "drop table"
        }
        Statement::CreatePolicy(policy) => {
            put(&mut node, "policy", json!(ident_name(&policy.name)));
            l.record(&at("policy"), l.locate(policy.name.span));
            put(
                &mut node,
                "table",
                l.object(&at("table"), &policy.table_name),
            );
            let restrictive = matches!(policy.policy_type, Some(CreatePolicyType::Restrictive));
            put(&mut node, "permissive", json!(!restrictive));
            let command = match policy.command {
                None | Some(CreatePolicyCommand::All) => "all",
                Some(CreatePolicyCommand::Select) => "select",
                Some(CreatePolicyCommand::Insert) => "insert",
                Some(CreatePolicyCommand::Update) => "update",
                Some(CreatePolicyCommand::Delete) => "delete",
            };
            put(&mut node, "command", json!(command));
            put(
                &mut node,
                "roles",
                l.roles(&at("roles"), policy.to.as_deref()),
            );
            let using = policy
                .using
                .as_ref()
                .map(|e| l.expression(&at("using"), e, &node));
            put(&mut node, "using", using.unwrap_or(Value::Null));
            let check = policy
                .with_check
                .as_ref()
                .map(|e| l.expression(&at("check"), e, &node));
            put(&mut node, "check", check.unwrap_or(Value::Null));
            "create policy"
        }
        Statement::AlterPolicy(policy) => {
            put(&mut node, "policy", json!(ident_name(&policy.name)));
            l.record(&at("policy"), l.locate(policy.name.span));
            put(
                &mut node,
                "table",
                l.object(&at("table"), &policy.table_name),
            );
            match &policy.operation {
                AlterPolicyOperation::Rename { new_name } => {
                    put(&mut node, "rename_to", json!(ident_name(new_name)));
                }
                AlterPolicyOperation::Apply {
                    to,
                    using,
                    with_check,
                } => {
                    if let Some(to) = to {
                        put(&mut node, "roles", l.roles(&at("roles"), Some(to)));
                    }
                    if let Some(e) = using {
                        let value = l.expression(&at("using"), e, &node);
                        put(&mut node, "using", value);
                    }
                    if let Some(e) = with_check {
                        let value = l.expression(&at("check"), e, &node);
                        put(&mut node, "check", value);
                    }
                }
            }
            "alter policy"
        }
        Statement::DropPolicy(policy) => {
            put(&mut node, "policy", json!(ident_name(&policy.name)));
            l.record(&at("policy"), l.locate(policy.name.span));
            put(
                &mut node,
                "table",
                l.object(&at("table"), &policy.table_name),
            );
            "drop policy"
        }
        Statement::Grant(grant) => {
            let parts = (
                &grant.privileges,
                grant.objects.as_ref(),
                &grant.grantees[..],
            );
            grants::grant_or_revoke(l, pointer, parts, &mut node);
            "grant"
        }
        Statement::Revoke(revoke) => {
            let parts = (
                &revoke.privileges,
                revoke.objects.as_ref(),
                &revoke.grantees[..],
            );
            grants::grant_or_revoke(l, pointer, parts, &mut node);
            "revoke"
        }
        Statement::AlterDefaultPrivileges(alter) => {
            grants::default_privileges(l, pointer, alter, &mut node);
            "alter default privileges"
        }
        Statement::CreateFunction(function) => {
            put(
                &mut node,
                "function",
                l.object(&at("function"), &function.name),
            );
            let definer = matches!(function.security, Some(FunctionSecurity::Definer));
            put(&mut node, "security_definer", json!(definer));
            let trigger = match &function.return_type {
                Some(FunctionReturnType::DataType(t)) => {
                    matches!(
                        t.to_string().to_lowercase().as_str(),
                        "trigger" | "event_trigger"
                    )
                }
                _ => false,
            };
            put(&mut node, "returns_trigger", json!(trigger));
            "create function"
        }
        Statement::Insert(insert) => {
            let TableObject::TableName(name) = &insert.table else {
                return json!({"statement": "other"});
            };
            put(&mut node, "table", l.object(&at("table"), name));
            let columns: Vec<String> = insert
                .columns
                .iter()
                .map(|c| name_parts(c).last().cloned().unwrap_or_default())
                .collect();
            let mut rows = Vec::new();
            if let Some(query) = &insert.source
                && let SetExpr::Values(values) = &*query.body
            {
                for (r, row) in values.rows.iter().enumerate() {
                    let row_at = index_pointer(&at("rows"), r);
                    let mut out = Map::new();
                    for (column, expr) in columns.iter().zip(&row.content) {
                        let value = match expr {
                            Expr::Value(v) => match &v.value {
                                SqlValue::Boolean(b) => json!(b),
                                SqlValue::Null => Value::Null,
                                SqlValue::SingleQuotedString(s) => json!(s),
                                other => json!(other.to_string()),
                            },
                            other => json!(other.to_string()),
                        };
                        l.record(&child_pointer(&row_at, column), l.locate(expr.span()));
                        out.insert(column.clone(), value);
                    }
                    l.record(&row_at, l.whole());
                    rows.push(Value::Object(out));
                }
            }
            l.record(&at("rows"), l.whole());
            put(&mut node, "rows", Value::Array(rows));
            "insert"
        }
        _ => "other",
    };
    let mut ordered = Map::with_capacity(node.len() + 2);
    ordered.insert("statement".to_owned(), json!(kind));
    let whole = l.whole();
    if let Some(key) = key(kind, &node) {
        ordered.insert("key".to_owned(), json!(key));
        l.record(&at("key"), whole);
    }
    ordered.extend(node);
    l.record(&at("statement"), whole);
    l.record(pointer, whole);
    Value::Object(ordered)
}

/// What names a statement whatever its place in the file (`create policy "own" on
/// public.notes`), so a finding's fingerprint does not change when a statement is inserted
/// before it (see [`crate::finding`]'s identity keys).
fn key(kind: &str, node: &Map<String, Value>) -> Option<String> {
    let name = |v: Option<&Value>| {
        v.map(|v| {
            format!(
                "{}.{}",
                v["schema"].as_str().unwrap_or(""),
                v["name"].as_str().unwrap_or("")
            )
        })
    };
    let words = |v: Option<&Value>| {
        let list = v.and_then(Value::as_array).into_iter().flatten();
        list.map(|x| {
            x.as_str()
                .map_or_else(|| name(Some(x)).unwrap_or_default(), str::to_owned)
        })
        .collect::<Vec<_>>()
        .join(", ")
    };
    let table = name(node.get("table"));
    match kind {
        "create table" | "alter table" | "insert" => Some(format!("{kind} {}", table?)),
        "create policy" | "alter policy" | "drop policy" => {
            let policy = node.get("policy").and_then(Value::as_str).unwrap_or("");
            Some(format!("{kind} {policy} on {}", table?))
        }
        "grant" | "revoke" => Some(format!(
            "{kind} {} on {} to {}",
            words(node.get("privileges")),
            words(node.get("objects")),
            words(node.get("grantees"))
        )),
        "create function" => Some(format!("{kind} {}", name(node.get("function"))?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn expr(text: &str) -> Expr {
        Parser::new(&PostgreSqlDialect {})
            .try_with_sql(text)
            .and_then(|mut p| p.parse_expr())
            .expect("an expression")
    }

    #[test]
    fn expressions_that_hold_for_every_row() {
        for text in [
            "true",
            "(true)",
            "1 = 1",
            "'a' = 'a'",
            "true or auth.uid() = id",
            "TRUE",
        ] {
            assert!(always_true(&expr(text)), "{text}");
        }
        for text in [
            "false",
            "auth.uid() = user_id",
            "1 = 2",
            "true and x",
            "null = null",
        ] {
            assert!(!always_true(&expr(text)), "{text}");
        }
    }
}
