//! One statement, parsed by `sqlparser`, lowered to the data model: only what the Supabase
//! pack reads (tables, row level security, policies, grants, functions, storage buckets) is
//! kept, every name, role and expression located at its token in the file.

use serde_json::{Map, Value, json};
use sqlparser::ast::{
    AlterDefaultPrivilegesOperation, AlterPolicyOperation, AlterTableOperation, BinaryOperator,
    CreatePolicyCommand, CreatePolicyType, DefaultPrivilegesObjectType, DefaultPrivilegesOption,
    Expr, FunctionReturnType, FunctionSecurity, GrantObjects, Grantee, GranteeName, GranteesType,
    ObjectName, ObjectNamePart, ObjectType, Owner, Privileges, RenameTableNameKind, SetExpr,
    Spanned, Statement, TableObject, Value as SqlValue,
};
use sqlparser::tokenizer::Location;

use crate::document::{NodeSpans, Span, SpanTable, child_pointer};

/// Where a statement is in its file, and the table its nodes' spans go to.
pub struct Lowering<'a> {
    /// The statement's text, as written in the file.
    pub text: &'a str,
    /// Its byte offset in the file.
    pub base: usize,
    /// Byte offsets (in `text`) at which its lines start.
    lines: Vec<usize>,
    pub spans: &'a mut SpanTable,
}

impl<'a> Lowering<'a> {
    pub fn new(text: &'a str, base: usize, spans: &'a mut SpanTable) -> Self {
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lowering {
            text,
            base,
            lines,
            spans,
        }
    }

    /// The whole statement, in the file.
    pub fn whole(&self) -> Span {
        Span::new(self.base, self.base + self.text.len())
    }

    pub fn record(&mut self, pointer: &str, span: Span) {
        self.spans.insert(
            pointer.to_owned(),
            NodeSpans {
                key: None,
                value: span,
            },
        );
    }

    /// The byte (in `text`) of a parser location (1-based line and character column); `None`
    /// for the empty location the parser gives some nodes.
    fn byte(&self, at: Location) -> Option<usize> {
        let line = usize::try_from(at.line).ok()?.checked_sub(1)?;
        let column = usize::try_from(at.column).ok()?.checked_sub(1)?;
        let start = *self.lines.get(line)?;
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(column)
            .map(|(i, _)| start + i)
            .or_else(|| (rest.chars().count() == column).then_some(self.text.len()))
    }

    /// The token that starts at `start` (in `text`): a quoted identifier or string to its
    /// closing quote, else a word.
    fn token_end(&self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        match bytes.get(start) {
            Some(&q @ (b'"' | b'\'')) => {
                let mut i = start + 1;
                while i < bytes.len() {
                    if bytes[i] == q {
                        if bytes.get(i + 1) == Some(&q) {
                            i += 2;
                            continue;
                        }
                        return i + 1;
                    }
                    i += 1;
                }
                bytes.len()
            }
            _ => {
                let word = self.text[start..]
                    .char_indices()
                    .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .map_or(self.text.len(), |(i, _)| start + i);
                word.max(start + self.text[start..].chars().next().map_or(0, char::len_utf8))
            }
        }
    }

    /// The span in the file of a node the parser located from `start` to `end`, or of the
    /// token at `start` when the end is missing; the whole statement when nothing is known.
    fn locate(&self, span: sqlparser::tokenizer::Span) -> Span {
        let Some(start) = self.byte(span.start) else {
            return self.whole();
        };
        let end = self
            .byte(span.end)
            .filter(|&e| e > start)
            .unwrap_or_else(|| self.token_end(start));
        Span::new(self.base + start, self.base + end.min(self.text.len()))
    }

    /// The span of a (possibly qualified) name, from its first part to the end of its last.
    fn name_span(&self, name: &ObjectName) -> Span {
        let idents: Vec<_> = name
            .0
            .iter()
            .filter_map(|p| match p {
                ObjectNamePart::Identifier(i) => Some(i),
                ObjectNamePart::Function(_) => None,
            })
            .collect();
        let (Some(first), Some(last)) = (idents.first(), idents.last()) else {
            return self.whole();
        };
        let start = self.locate(first.span);
        let last = self
            .byte(last.span.start)
            .map(|s| self.base + self.token_end(s));
        Span::new(start.start, last.unwrap_or(start.end).max(start.end))
    }

    /// `{"schema", "name"}` of a table or function name, unqualified names in `public` (the
    /// search path Supabase's migrations run with), located at the name.
    fn object(&mut self, pointer: &str, name: &ObjectName) -> Value {
        let parts = name_parts(name);
        let (schema, object) = match parts.as_slice() {
            [.., schema, object] => (schema.clone(), object.clone()),
            [object] => ("public".to_owned(), object.clone()),
            [] => ("public".to_owned(), String::new()),
        };
        let span = self.name_span(name);
        self.record(pointer, span);
        json!({"schema": schema, "name": object})
    }

    fn objects(&mut self, pointer: &str, names: &[ObjectName]) -> Value {
        let list = names
            .iter()
            .enumerate()
            .map(|(i, n)| self.object(&child_pointer(pointer, &i.to_string()), n))
            .collect();
        self.record(pointer, self.whole());
        Value::Array(list)
    }

    /// An expression: its text and whether it is always true (`true`, `1 = 1`, `(true)`,
    /// `true or …`), located at it.
    /// The policy's name, table and command are repeated in it, for messages.
    fn expression(&mut self, pointer: &str, expr: &Expr, policy: &Map<String, Value>) -> Value {
        let span = self.locate(expr.span());
        self.record(pointer, span);
        let mut node = Map::new();
        node.insert("text".to_owned(), json!(expr.to_string()));
        node.insert("always_true".to_owned(), json!(always_true(expr)));
        let table = &policy["table"];
        let table = format!(
            "{}.{}",
            table["schema"].as_str().unwrap_or(""),
            table["name"].as_str().unwrap_or("")
        );
        node.insert("policy".to_owned(), policy["name"].clone());
        node.insert("table".to_owned(), json!(table));
        let command = policy
            .get("command")
            .and_then(Value::as_str)
            .unwrap_or("all");
        node.insert("command".to_owned(), json!(command));
        let access = match command {
            "select" => "read",
            "insert" => "insert",
            "update" => "change",
            "delete" => "delete",
            _ => "read, change and delete",
        };
        node.insert("access".to_owned(), json!(access));
        for key in node.keys() {
            self.record(&child_pointer(pointer, key), span);
        }
        Value::Object(node)
    }

    fn roles(&mut self, pointer: &str, owners: Option<&[Owner]>) -> Value {
        let mut list = Vec::new();
        for (i, owner) in owners.into_iter().flatten().enumerate() {
            let (name, span) = match owner {
                Owner::Ident(ident) => (ident_name(ident), self.locate(ident.span)),
                Owner::CurrentRole => ("current_role".to_owned(), self.whole()),
                Owner::CurrentUser => ("current_user".to_owned(), self.whole()),
                Owner::SessionUser => ("session_user".to_owned(), self.whole()),
            };
            self.record(&child_pointer(pointer, &i.to_string()), span);
            list.push(Value::String(name));
        }
        self.record(pointer, self.whole());
        Value::Array(list)
    }

    fn grantees(&mut self, pointer: &str, grantees: &[Grantee]) -> Value {
        let mut list = Vec::new();
        for (i, grantee) in grantees.iter().enumerate() {
            let (name, span) = match (&grantee.grantee_type, &grantee.name) {
                (_, Some(GranteeName::ObjectName(name))) => {
                    let name_text = name_parts(name).join(".");
                    (name_text, self.name_span(name))
                }
                (GranteesType::Public, _) => ("public".to_owned(), self.keyword("public")),
                _ => (grantee.to_string().to_lowercase(), self.whole()),
            };
            self.record(&child_pointer(pointer, &i.to_string()), span);
            list.push(Value::String(name));
        }
        self.record(pointer, self.whole());
        Value::Array(list)
    }

    /// The last occurrence of `word` (any case, as a whole word) in the statement, or the
    /// whole statement.
    fn keyword(&self, word: &str) -> Span {
        let lower = self.text.to_ascii_lowercase();
        let found = lower.rmatch_indices(word).find(|&(i, _)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + word.len()..].chars().next();
            let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            boundary(before) && boundary(after)
        });
        found.map_or(self.whole(), |(i, _)| {
            Span::new(self.base + i, self.base + i + word.len())
        })
    }
}

/// The name's parts, unquoted names folded to lower case as PostgreSQL folds them.
pub fn name_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => ident_name(i),
            ObjectNamePart::Function(f) => f.to_string(),
        })
        .collect()
}

fn ident_name(ident: &sqlparser::ast::Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    }
}

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

fn privileges(privileges: &Privileges) -> Value {
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
                l.record(&child_pointer(&at("columns"), &k.to_string()), span);
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
                let op_at = child_pointer(&at("operations"), &i.to_string());
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
            put(&mut node, "name", json!(ident_name(&policy.name)));
            l.record(&at("name"), l.locate(policy.name.span));
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
            put(&mut node, "name", json!(ident_name(&policy.name)));
            l.record(&at("name"), l.locate(policy.name.span));
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
            put(&mut node, "name", json!(ident_name(&policy.name)));
            l.record(&at("name"), l.locate(policy.name.span));
            put(
                &mut node,
                "table",
                l.object(&at("table"), &policy.table_name),
            );
            "drop policy"
        }
        Statement::Grant(grant) => {
            put(&mut node, "privileges", privileges(&grant.privileges));
            let (on, objects) = grant_objects(l, pointer, grant.objects.as_ref());
            put(&mut node, "on", json!(on));
            put(&mut node, "objects", objects);
            put(
                &mut node,
                "grantees",
                l.grantees(&at("grantees"), &grant.grantees),
            );
            "grant"
        }
        Statement::Revoke(revoke) => {
            put(&mut node, "privileges", privileges(&revoke.privileges));
            let (on, objects) = grant_objects(l, pointer, revoke.objects.as_ref());
            put(&mut node, "on", json!(on));
            put(&mut node, "objects", objects);
            put(
                &mut node,
                "grantees",
                l.grantees(&at("grantees"), &revoke.grantees),
            );
            "revoke"
        }
        Statement::AlterDefaultPrivileges(alter) => {
            let schemas: Vec<ObjectName> = alter
                .options
                .iter()
                .flat_map(|o| match o {
                    DefaultPrivilegesOption::InSchema(s) => s.clone(),
                    DefaultPrivilegesOption::ForRole(_) => Vec::new(),
                })
                .collect();
            put(&mut node, "schemas", l.objects(&at("schemas"), &schemas));
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
            put(&mut node, "grant", json!(grant));
            put(&mut node, "privileges", privileges(privs));
            let on = match object_type {
                DefaultPrivilegesObjectType::Tables => "tables",
                DefaultPrivilegesObjectType::Functions | DefaultPrivilegesObjectType::Routines => {
                    "functions"
                }
                _ => "other",
            };
            put(&mut node, "on", json!(on));
            put(&mut node, "grantees", l.grantees(&at("grantees"), grantees));
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
                    let row_at = child_pointer(&at("rows"), &r.to_string());
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
    let mut ordered = Map::with_capacity(node.len() + 1);
    ordered.insert("statement".to_owned(), json!(kind));
    ordered.extend(node);
    let node = ordered;
    let whole = l.whole();
    l.record(&at("statement"), whole);
    l.record(pointer, whole);
    Value::Object(node)
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
