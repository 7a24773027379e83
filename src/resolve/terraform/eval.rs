//! The Terraform expressions a lowered document keeps as `${…}` text, evaluated where every
//! value they need is known from the repository: variables and locals (locals that use other
//! locals), traversal into known objects and lists (`local.x.y`, `var.x["k"]`), templates,
//! conditionals and comparisons, `for` expressions, the functions of `functions.rs`, and the
//! names a block binds (`each`, `count`, a `dynamic` block's iterator). Anything else is
//! unknown and stays as it is written: nothing is guessed. Inside a known object or list, a
//! member that is unknown keeps its `${…}` text.

use std::rc::Rc;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Element, Template};
use serde_json::{Map, Value};

use super::files;
use super::functions::{self, binary, text_of};
use super::is_known;
use super::scope::{Bindings, FILE_REFERENCE, MAX_NODES, Scope, is_unknown, within_size};

/// A parsed template's value in `scope`, its spans in `source`.
pub(super) fn template(
    scope: &Scope<'_>,
    source: &str,
    template: &Template,
    bindings: &mut Bindings,
    references: &mut Vec<String>,
) -> Option<Value> {
    let mut evaluator = Evaluator {
        scope,
        source,
        bindings,
        references,
    };
    evaluator.template(template)
}

/// Where a traversal starts: a variable's value or a policy document (borrowed), a local's
/// (shared), or a value worked out for it.
enum Rooted<'s> {
    Borrowed(&'s Value),
    Shared(Rc<Value>),
    Owned(Value),
}

impl Rooted<'_> {
    fn get(&self) -> &Value {
        match self {
            Rooted::Borrowed(value) => value,
            Rooted::Shared(value) => value,
            Rooted::Owned(value) => value,
        }
    }
}

struct Evaluator<'s, 'd, 'b> {
    scope: &'s Scope<'d>,
    /// The text the expressions' spans are in.
    source: &'s str,
    bindings: &'b mut Bindings,
    references: &'b mut Vec<String>,
}

impl<'s> Evaluator<'s, '_, '_> {
    /// A template: a lone interpolation is its expression's value; anything else is the
    /// text of its parts, each of which must be a known string, number or boolean.
    fn template(&mut self, template: &Template) -> Option<Value> {
        if let Some(Element::Interpolation(only)) = template.as_single_element() {
            return self.expression(&only.expr);
        }
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    out.push_str(&text_of(&self.expression(&interpolation.expr)?)?);
                }
                Element::Directive(_) => return None,
            }
        }
        Some(Value::String(out))
    }

    fn expression(&mut self, expression: &Expression) -> Option<Value> {
        match expression {
            Expression::Null(_) => Some(Value::Null),
            Expression::Bool(b) => Some(Value::Bool(*b.value())),
            Expression::Number(n) => {
                let n = n.value();
                n.as_i64()
                    .map(Value::from)
                    .or_else(|| n.as_u64().map(Value::from))
                    .or_else(|| {
                        n.as_f64()
                            .and_then(serde_json::Number::from_f64)
                            .map(Value::Number)
                    })
            }
            Expression::String(s) => Some(Value::String(s.value().clone())),
            Expression::Array(array) => Some(Value::Array(
                array.iter().map(|item| self.member(item)).collect(),
            )),
            Expression::Object(object) => {
                let mut map = Map::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        ObjectKey::Expression(e) => text_of(&self.expression(e)?)?,
                    };
                    let value = self.member(value.expr());
                    map.insert(key, value);
                }
                Some(Value::Object(map))
            }
            Expression::StringTemplate(template) => {
                let mut out = String::new();
                for element in template.iter() {
                    match element {
                        Element::Literal(literal) => out.push_str(literal.value()),
                        Element::Interpolation(i) => {
                            out.push_str(&text_of(&self.expression(&i.expr)?)?);
                        }
                        Element::Directive(_) => return None,
                    }
                }
                Some(Value::String(out))
            }
            Expression::Parenthesis(inner) => self.expression(inner.inner()),
            Expression::Variable(name) => self.bound(name.as_str()),
            Expression::Traversal(traversal) => {
                let (root, used) = match &traversal.expr {
                    Expression::Variable(root) => self.root(root.as_str(), &traversal.operators)?,
                    other => (Rooted::Owned(self.expression(other)?), 0),
                };
                // Followed by reference: only the member reached is copied.
                let mut value = root.get();
                for operator in &traversal.operators[used..] {
                    value = self.step(value, operator)?;
                }
                (!is_unknown(value)).then(|| value.clone())
            }
            Expression::Conditional(c) => match self.expression(&c.cond_expr)? {
                Value::Bool(true) => self.expression(&c.true_expr),
                Value::Bool(false) => self.expression(&c.false_expr),
                _ => None,
            },
            Expression::UnaryOp(op) => {
                let value = self.known(&op.expr)?;
                match (op.operator.value(), value) {
                    (UnaryOperator::Not, Value::Bool(b)) => Some(Value::Bool(!b)),
                    (UnaryOperator::Neg, Value::Number(n)) => {
                        n.as_i64()?.checked_neg().map(Value::from)
                    }
                    _ => None,
                }
            }
            Expression::BinaryOp(op) => {
                let lhs = self.known(&op.lhs_expr)?;
                let rhs = self.known(&op.rhs_expr)?;
                binary(*op.operator.value(), &lhs, &rhs)
            }
            Expression::FuncCall(call) => {
                if call.name.is_namespaced() || call.args.expand_final() {
                    return None;
                }
                let mut args = Vec::with_capacity(call.args.len());
                for arg in call.args.iter() {
                    args.push(self.expression(arg)?);
                }
                match call.name.name.as_str() {
                    name @ ("file" | "templatefile") => self.read_file(name, &args),
                    name => functions::call(name, args),
                }
            }
            Expression::ForExpr(for_expr) => self.for_expression(for_expr),
            Expression::HeredocTemplate(_) => None,
        }
    }

    /// `file(path)` and `templatefile(path, vars)` of a file the batch read (see
    /// `files.rs`): a JSON file's document or the text, a template rendered.
    fn read_file(&mut self, name: &str, args: &[Value]) -> Option<Value> {
        let written = args.first()?.as_str()?;
        let (path, file) = self.scope.file(written)?;
        let value = match (name, args) {
            ("file", [_]) if file.json => file.value.clone(),
            ("file", [_]) => Value::String(file.text.text.clone()),
            ("templatefile", [_, vars]) => files::render(self.scope, &file.text.text, vars)?,
            _ => return None,
        };
        self.references.push(format!("{FILE_REFERENCE}{path}"));
        Some(value)
    }

    /// A member of a list or object: its value, or its source text when unknown.
    fn member(&mut self, expression: &Expression) -> Value {
        self.expression(expression).unwrap_or_else(|| {
            let span = hcl_edit::Span::span(expression).unwrap_or_default();
            let text = self.source.get(span).unwrap_or_default().trim();
            Value::String(format!("${{{text}}}"))
        })
    }

    /// An expression's value when it is known through and through.
    fn known(&mut self, expression: &Expression) -> Option<Value> {
        self.expression(expression).filter(is_known)
    }

    fn bound(&self, name: &str) -> Option<Value> {
        let found = self.bindings.iter().rev().find(|(n, _)| n == name);
        found.map(|(_, value)| value.clone())
    }

    /// The value a traversal starts from, and how many of its operators that used.
    fn root(
        &mut self,
        root: &str,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
    ) -> Option<(Rooted<'s>, usize)> {
        let attr = |i: usize| match operators.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(ident)) => Some(ident.as_str()),
            _ => None,
        };
        if self.bindings.iter().any(|(n, _)| n == root) {
            return Some((Rooted::Owned(self.bound(root)?), 0));
        }
        let scope: &'s Scope<'_> = self.scope;
        // `path.module` and its like name no definition: no reference to show.
        if root == "path" {
            return Some((Rooted::Owned(scope.path_value(attr(0)?)?), 1));
        }
        let (name, rooted, used) = match root {
            "var" => {
                let name = format!("var.{}", attr(0)?);
                let value = &scope.definition(&name)?.value;
                (name, Rooted::Borrowed(value), 1)
            }
            "local" => {
                let name = format!("local.{}", attr(0)?);
                let value = scope.local(&name)?;
                (name, Rooted::Shared(value), 1)
            }
            "data" if attr(0)? == "aws_iam_policy_document" && attr(2)? == "json" => {
                let name = format!("data.aws_iam_policy_document.{}", attr(1)?);
                let value = &scope.documents.get(&name)?.value;
                (name, Rooted::Borrowed(value), 3)
            }
            _ => return None,
        };
        self.references.push(name);
        Some((rooted, used))
    }

    fn step<'v>(
        &mut self,
        value: &'v Value,
        operator: &hcl_edit::Decorated<TraversalOperator>,
    ) -> Option<&'v Value> {
        let member = match operator.value() {
            TraversalOperator::GetAttr(ident) => value.as_object()?.get(ident.as_str())?,
            TraversalOperator::Index(index) => match (value, self.known(index)?) {
                (Value::Array(items), Value::Number(n)) => {
                    items.get(usize::try_from(n.as_u64()?).ok()?)?
                }
                (Value::Object(map), Value::String(key)) => map.get(&key)?,
                _ => return None,
            },
            TraversalOperator::LegacyIndex(i) => {
                value.as_array()?.get(usize::try_from(*i.value()).ok()?)?
            }
            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => return None,
        };
        (!is_unknown(member)).then_some(member)
    }

    /// `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value}`.
    fn for_expression(&mut self, for_expr: &hcl_edit::expr::ForExpr) -> Option<Value> {
        let intro = &for_expr.intro;
        let collection = self.known(&intro.collection_expr)?;
        let pairs: Vec<(Value, Value)> = match collection {
            Value::Array(items) => (0..).map(Value::from).zip(items).collect(),
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect(),
            _ => return None,
        };
        let key_name = intro.key_var.as_ref().map(|k| k.as_str().to_owned());
        let value_name = intro.value_var.as_str().to_owned();
        let depth = self.bindings.len();
        let mut list = Vec::new();
        let mut map = Map::new();
        let mut result = Some(());
        let mut budget = MAX_NODES;
        for (key, value) in pairs {
            self.bindings.truncate(depth);
            if let Some(name) = &key_name {
                self.bindings.push((name.clone(), key));
            }
            self.bindings.push((value_name.clone(), value));
            if let Some(cond) = &for_expr.cond {
                match self.known(&cond.expr) {
                    Some(Value::Bool(true)) => {}
                    Some(Value::Bool(false)) => continue,
                    _ => {
                        result = None;
                        break;
                    }
                }
            }
            if for_expr.grouping {
                result = None;
                break;
            }
            let item = self.member(&for_expr.value_expr);
            if !within_size(&item, &mut budget) {
                result = None;
                break;
            }
            match &for_expr.key_expr {
                Some(key) => match self.known(key).as_ref().and_then(text_of) {
                    Some(key) => {
                        map.insert(key, item);
                    }
                    None => {
                        result = None;
                        break;
                    }
                },
                None => list.push(item),
            }
        }
        self.bindings.truncate(depth);
        result?;
        Some(match for_expr.key_expr {
            Some(_) => Value::Object(map),
            None => Value::Array(list),
        })
    }
}
