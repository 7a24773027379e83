//! HCL (Terraform `*.tf` and `*.tfvars`) lowered to the data model the way Terraform's own
//! JSON syntax spells a configuration: `resource "aws_s3_bucket" "logs" { acl = "private" }`
//! becomes `{"resource": {"aws_s3_bucket": {"logs": {"acl": "private"}}}}`, so one policy
//! reads `main.tf` and `main.tf.json` alike.
//!
//! - Literal values (strings, numbers, booleans, null, lists and objects of literals) are
//!   data. Anything Terraform evaluates later — a reference, a function call, a conditional —
//!   is kept as its source text in `${…}`, as the JSON syntax writes it (`"${var.acl}"`), so
//!   policies can recognise it and the Terraform substitution pass can resolve `var.x`.
//!   A string template stays the template (`"arn:aws:s3:::${var.bucket}/*"`). One
//!   exception: `jsonencode({…})` is lowered to the object it encodes, so an inline IAM
//!   policy document is data a policy can read.
//! - Nested blocks that may repeat (`ingress`, `security_rule`, `statement`, …) are always
//!   arrays, one element per block, whether one or many are written; other nested blocks are
//!   objects, or arrays when written more than once.
//! - Spans: an attribute's key and value; a block's last label (or its type when it has
//!   none) as its key, so a finding about a missing attribute points at the resource's name.

use std::ops::Range;
use std::sync::mpsc;
use std::time::Duration;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::{Element, StringTemplate};
use serde_json::{Map, Value};

mod duplicate_keys;

use super::{MAX_DEPTH, ParseError, ParsedDocument, byte_at};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer, index_pointer};
use crate::parse::comments::{Comment, Strings, outside_strings};
use crate::parse::{FileFormat, Format};

/// Nested block types that Terraform providers declare as lists or sets of blocks: they are
/// arrays in the data model even when written once, so one policy reads one or many.
pub const REPEATED_BLOCKS: &[&str] = &[
    // AWS
    "ingress",
    "egress",
    "statement",
    "principals",
    "not_principals",
    "condition",
    "grant",
    "rule",
    "lifecycle_rule",
    "cors_rule",
    "transition",
    "ebs_block_device",
    "ephemeral_block_device",
    "setting",
    "tag",
    // Azure
    "security_rule",
    "ip_restriction",
    "scm_ip_restriction",
    "ip_rule",
    "virtual_network_subnet_ids",
    // Google Cloud
    "allow",
    "deny",
    "access_config",
    "network_interface",
    "attached_disk",
    "authorized_networks",
    "binding",
    // GitHub, GitLab
    "bypass_actors",
    "required_check",
    "restrict_pushes",
    "deploy_access_levels",
    "approval_rules",
    "allowed_to_merge",
    "allowed_to_push",
    // Terraform itself
    "dynamic",
    "provisioner",
    "precondition",
    "postcondition",
    "validation",
];

/// Top-level block types whose labelled entries may legitimately repeat (several `provider
/// "aws"` blocks with aliases): arrays when they do.
const MERGED_TOP_LEVEL: &[&str] = &["locals", "terraform"];

pub fn parse(source: &SourceFile) -> Result<ParsedDocument, ParseError> {
    let unclosed = check_depth(source)?;
    // hcl-edit's parser backtracks exponentially on some invalid, deeply nested input that
    // ends without a newline (a 736-byte file the fuzz target found took seconds, a longer
    // one would take hours), and fails at once on the same input with a final newline,
    // which changes nothing HCL reads: every offset before it is the file's own.
    let text = match source.text.ends_with('\n') {
        true => std::borrow::Cow::Borrowed(source.text.as_str()),
        false => std::borrow::Cow::Owned(format!("{}\n", source.text)),
    };
    let parsed = match unclosed {
        None => duplicate_keys::parse_body(&text).map_err(BodyError::Syntax),
        Some(at) => parse_within_budget(text.into_owned(), at),
    };
    let (body, renamed) = parsed.map_err(|error| {
        let error = match error {
            BodyError::Syntax(error) => error,
            BodyError::GaveUp(at) => {
                let message = format!(
                    "this bracket is never closed, and the parser gave up on the file after {} \
                     seconds; close it, or mend the expression around it",
                    UNBALANCED_BUDGET.as_secs()
                );
                return ParseError::new(message, Span::new(at, at + 1));
            }
        };
        let location = error.location();
        let at = byte_at(source, location.line(), location.column());
        let message = error.message().trim();
        let message = if message.is_empty() {
            "syntax error".to_owned()
        } else {
            message.replace('\n', "; ")
        };
        ParseError::new(message, Span::new(at, at))
    })?;
    let mut lowering = Lowering {
        text: &source.text,
        renamed: &renamed,
        spans: SpanTable::default(),
    };
    let value = lowering.top_level(&body)?;
    let mut spans = lowering.spans;
    spans.insert(
        String::new(),
        NodeSpans {
            key: None,
            value: Span::new(0, source.text.len()),
        },
    );
    Ok(ParsedDocument::new(value, spans))
}

struct Lowering<'a> {
    text: &'a str,
    /// Repeated object keys, renamed for the parser: their names as written.
    renamed: &'a duplicate_keys::Renamed,
    spans: SpanTable,
}

/// Blocks of one type (and labels) in a body, in source order.
struct Group<'b> {
    ident: &'b str,
    blocks: Vec<&'b Block>,
}

impl<'a> Lowering<'a> {
    /// The file's body: top-level blocks nest by their labels (`resource.<type>.<name>`),
    /// attributes (in `*.tfvars`) are plain members.
    fn top_level(&mut self, body: &Body) -> Result<Value, ParseError> {
        let mut root = Map::new();
        for attribute in body.attributes() {
            let pointer = child_pointer("", attribute.key.as_str());
            let value = self.expression(&attribute.value, &pointer, 0)?;
            self.record(&pointer, span_of(&attribute.key), span_of(&attribute.value));
            root.insert(attribute.key.to_string(), value);
        }
        // Group by (type, labels): the same resource declared twice is Terraform's error,
        // not a reason to lose either declaration, so repeats become an array.
        let mut groups: Vec<(Vec<String>, Vec<&Block>)> = Vec::new();
        for block in body.blocks() {
            let mut path = vec![block.ident.as_str().to_owned()];
            path.extend(labels(block));
            match groups.iter_mut().find(|(p, _)| *p == path) {
                Some((_, blocks)) => blocks.push(block),
                None => groups.push((path, vec![block])),
            }
        }
        for (path, blocks) in groups {
            let first = blocks[0];
            // Intermediate objects: `/resource`, `/resource/aws_s3_bucket`.
            let mut pointer = String::new();
            let mut container = &mut root;
            let key_spans = block_key_spans(first);
            for (depth, token) in path[..path.len() - 1].iter().enumerate() {
                pointer = child_pointer(&pointer, token);
                if self.spans.get(&pointer).is_none() {
                    self.record(&pointer, key_spans.get(depth).cloned(), span_of(first));
                }
                let entry = container
                    .entry(token.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                container = entry.as_object_mut().expect("just made an object");
            }
            let last = path.last().expect("a path has the block type").clone();
            pointer = child_pointer(&pointer, &last);
            self.record(&pointer, key_spans.last().cloned(), span_of(first));
            let merge = path.len() == 1 && MERGED_TOP_LEVEL.contains(&path[0].as_str());
            let value = if merge {
                let mut merged = Map::new();
                for block in &blocks {
                    self.body_into(&block.body, &pointer, 1, &mut merged)?;
                }
                Value::Object(merged)
            } else if blocks.len() == 1 {
                self.block_body(first, &pointer, 1)?
            } else {
                let mut items = Vec::new();
                for (i, block) in blocks.iter().enumerate() {
                    let item = index_pointer(&pointer, i);
                    let spans = block_key_spans(block);
                    self.record(&item, spans.last().cloned(), span_of(*block));
                    items.push(self.block_body(block, &item, 1)?);
                }
                Value::Array(items)
            };
            container.insert(last, value);
        }
        Ok(Value::Object(root))
    }

    fn block_body(
        &mut self,
        block: &Block,
        pointer: &str,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let mut map = Map::new();
        self.body_into(&block.body, pointer, depth, &mut map)?;
        Ok(Value::Object(map))
    }

    /// The attributes and nested blocks of a body, as members of `map`.
    fn body_into(
        &mut self,
        body: &Body,
        pointer: &str,
        depth: usize,
        map: &mut Map<String, Value>,
    ) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            return Err(too_deep(span_of(body).unwrap_or_default()));
        }
        let mut groups: Vec<Group<'_>> = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.as_str();
                    let child = child_pointer(pointer, key);
                    let value = self.expression(&attribute.value, &child, depth + 1)?;
                    self.record(&child, span_of(&attribute.key), span_of(&attribute.value));
                    map.insert(key.to_owned(), value);
                }
                Structure::Block(block) => {
                    let ident = block.ident.as_str();
                    match groups.iter_mut().find(|g| g.ident == ident) {
                        Some(group) => group.blocks.push(block),
                        None => groups.push(Group {
                            ident,
                            blocks: vec![block],
                        }),
                    }
                }
            }
        }
        for group in groups {
            let child = child_pointer(pointer, group.ident);
            let first = group.blocks[0];
            self.record(&child, span_of(&first.ident), span_of(first));
            let as_array = REPEATED_BLOCKS.contains(&group.ident) || group.blocks.len() > 1;
            let value = if as_array {
                let mut items = Vec::new();
                for (i, block) in group.blocks.iter().enumerate() {
                    let item = index_pointer(&child, i);
                    self.record(&item, span_of(&block.ident), span_of(*block));
                    items.push(self.nested_block(block, &item, depth + 1)?);
                }
                Value::Array(items)
            } else {
                self.nested_block(first, &child, depth + 1)?
            };
            map.insert(group.ident.to_owned(), value);
        }
        Ok(())
    }

    /// A nested block's body; its labels (`dynamic "ingress"`, `provisioner "local-exec"`)
    /// nest as objects, as in the JSON syntax.
    fn nested_block(
        &mut self,
        block: &Block,
        pointer: &str,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let labels = labels(block);
        if labels.is_empty() {
            return self.block_body(block, pointer, depth);
        }
        let mut current = pointer.to_owned();
        let key_spans = block_key_spans(block);
        for (i, label) in labels.iter().enumerate() {
            current = child_pointer(&current, label);
            self.record(&current, key_spans.get(i + 1).cloned(), span_of(block));
        }
        let mut value = self.block_body(block, &current, depth + labels.len())?;
        for label in labels.iter().rev() {
            let mut wrapper = Map::new();
            wrapper.insert(label.clone(), value);
            value = Value::Object(wrapper);
        }
        Ok(value)
    }

    fn expression(
        &mut self,
        expression: &Expression,
        pointer: &str,
        depth: usize,
    ) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(too_deep(span_of(expression).unwrap_or_default()));
        }
        Ok(match expression {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => number(n.value()),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(array) => {
                let mut items = Vec::with_capacity(array.len());
                for (i, item) in array.iter().enumerate() {
                    let child = index_pointer(pointer, i);
                    items.push(self.expression(item, &child, depth + 1)?);
                    self.record(&child, None, span_of(item));
                }
                Value::Array(items)
            }
            Expression::Object(object) => {
                let mut map = Map::new();
                for (key, value) in object.iter() {
                    let written = span_of(key).and_then(|s| self.renamed.name_at(s.start));
                    let name = match (written, key) {
                        (Some(written), _) => written.to_owned(),
                        (None, ObjectKey::Ident(ident)) => ident.as_str().to_owned(),
                        (None, ObjectKey::Expression(Expression::String(s))) => s.value().clone(),
                        (None, ObjectKey::Expression(other)) => self.unresolved(other),
                    };
                    let child = child_pointer(pointer, &name);
                    if let Some(earlier) = map.get(&name) {
                        // A repeated key: the last value wins, as in Terraform, and nothing
                        // of the earlier one stays located.
                        self.forget_below(&child, earlier);
                    }
                    let lowered = self.expression(value.expr(), &child, depth + 1)?;
                    self.record(&child, span_of(key), span_of(value.expr()));
                    map.insert(name, lowered);
                }
                Value::Object(map)
            }
            Expression::StringTemplate(template) => Value::String(self.template(template)),
            Expression::HeredocTemplate(heredoc) => {
                let span = span_of(&heredoc.template);
                match span.and_then(|s| self.embedded_json(s, pointer)) {
                    Some(document) => document,
                    None => Value::String(self.slice(span).to_owned()),
                }
            }
            // `jsonencode({...})` is the document it encodes: an IAM policy written this way
            // is read, and located, member by member (its own references stay `${…}`).
            Expression::FuncCall(call)
                if !call.name.is_namespaced()
                    && call.name.name.as_str() == "jsonencode"
                    && call.args.len() == 1
                    && call
                        .args
                        .iter()
                        .all(|a| matches!(a, Expression::Object(_) | Expression::Array(_))) =>
            {
                let arg = call.args.iter().next().expect("one argument");
                self.expression(arg, pointer, depth + 1)?
            }
            Expression::Parenthesis(inner) => {
                let inner = inner.inner();
                if is_literal(inner) {
                    self.expression(inner, pointer, depth + 1)?
                } else {
                    Value::String(self.unresolved(expression))
                }
            }
            _ => Value::String(self.unresolved(expression)),
        })
    }

    /// A heredoc that holds a JSON document (an IAM policy written inline) is that document,
    /// located in the heredoc; anything else stays a string.
    fn embedded_json(&mut self, span: Span, pointer: &str) -> Option<Value> {
        let text = self.slice(Some(span));
        if !text.trim_start().starts_with(['{', '[']) {
            return None;
        }
        let inner = SourceFile::new(String::new(), text.to_owned());
        let document = super::json::parse(&inner).ok()?;
        for (inner_pointer, spans) in document.spans.iter() {
            let shift = |s: Span| Span::new(s.start + span.start, s.end + span.start);
            self.spans.insert(
                format!("{pointer}{inner_pointer}"),
                NodeSpans {
                    key: spans.key.map(shift),
                    value: shift(spans.value),
                },
            );
        }
        Some(document.value)
    }

    /// A template as Terraform's JSON syntax writes it: literal text and `${…}` sequences,
    /// from the source between the quotes.
    fn template(&self, template: &StringTemplate) -> String {
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    out.push_str(self.slice(span_of(interpolation)));
                }
                Element::Directive(directive) => out.push_str(self.slice(span_of(&**directive))),
            }
        }
        out
    }

    /// An expression Terraform evaluates later, kept as `${source text}`.
    fn unresolved(&self, expression: &impl hcl_edit::Span) -> String {
        format!("${{{}}}", self.slice(span_of(expression)).trim())
    }

    fn slice(&self, span: Option<Span>) -> &'a str {
        span.and_then(|s| self.text.get(s.start..s.end))
            .unwrap_or_default()
    }

    /// Forgets the spans of the nodes inside `value`, which is at `pointer`.
    fn forget_below(&mut self, pointer: &str, value: &Value) {
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (child_pointer(pointer, k), v))
                .collect(),
            Value::Array(items) => (items.iter().enumerate())
                .map(|(i, v)| (index_pointer(pointer, i), v))
                .collect(),
            _ => return,
        };
        for (child, value) in children {
            self.forget_below(&child, value);
            self.spans.remove(&child);
        }
    }

    fn record(&mut self, pointer: &str, key: Option<Span>, value: Option<Span>) {
        let value = value.or(key).unwrap_or_default();
        self.spans
            .insert(pointer.to_owned(), NodeSpans { key, value });
    }
}

fn labels(block: &Block) -> Vec<String> {
    block.labels.iter().map(|l| l.as_str().to_owned()).collect()
}

/// The spans of a block's type and each label, in order.
fn block_key_spans(block: &Block) -> Vec<Span> {
    let mut spans: Vec<Span> = span_of(&block.ident).into_iter().collect();
    spans.extend(block.labels.iter().filter_map(span_of));
    spans
}

fn span_of(node: &impl hcl_edit::Span) -> Option<Span> {
    node.span()
        .map(|Range { start, end }| Span::new(start, end))
}

fn number(n: &hcl_edit::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::from(i)
    } else if let Some(u) = n.as_u64() {
        Value::from(u)
    } else {
        n.as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }
}

fn is_literal(expression: &Expression) -> bool {
    match expression {
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_) => true,
        Expression::Array(array) => array.iter().all(is_literal),
        Expression::Object(object) => object.iter().all(|(_, v)| is_literal(v.expr())),
        Expression::Parenthesis(inner) => is_literal(inner.inner()),
        _ => false,
    }
}

fn too_deep(span: Span) -> ParseError {
    ParseError::new(
        format!("nesting deeper than {MAX_DEPTH} levels; the file was not lowered"),
        span,
    )
}

/// Refuses nesting deeper than [`MAX_DEPTH`] before the recursive-descent parser sees it: a
/// hostile `[[[[…` must be a located error, not a stack overflow. Brackets in strings and
/// comments do not count. Returns where the outermost bracket left open at the end is, as
/// far as this count (which does not read heredocs or templates) can tell.
fn check_depth(source: &SourceFile) -> Result<Option<usize>, ParseError> {
    let bytes = source.text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                b'\n' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'#' => i = line_end(bytes, i),
                b'/' if bytes.get(i + 1) == Some(&b'/') => i = line_end(bytes, i),
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = source.text[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |end| i + 2 + end + 1);
                }
                b'{' | b'[' | b'(' => {
                    open.push(i);
                    if open.len() > MAX_DEPTH {
                        return Err(too_deep(Span::new(i, i + 1)));
                    }
                }
                b'}' | b']' | b')' => {
                    open.pop();
                }
                _ => {}
            }
        }
        i += 1;
    }
    Ok(open.first().copied())
}

/// How long the parser may take on a file whose brackets do not seem to balance.
const UNBALANCED_BUDGET: Duration = Duration::from_secs(3);

/// [`duplicate_keys::parse_body`] on a thread of its own, given [`UNBALANCED_BUDGET`]:
/// hcl-edit backtracks exponentially on some invalid files with brackets left open (the
/// fuzz target found 700-byte ones that take seconds; longer ones would take hours). A
/// file that takes longer is refused at its first bracket left open; the thread is left to
/// end with the process. Files whose brackets balance are parsed directly.
fn parse_within_budget(text: String, unclosed: usize) -> Result<Parsed, BodyError> {
    let (send, receive) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("hcl-parse".to_owned())
        .spawn(move || {
            let _ = send.send(duplicate_keys::parse_body(&text));
        });
    if spawned.is_err() {
        return Err(BodyError::GaveUp(unclosed));
    }
    match receive.recv_timeout(UNBALANCED_BUDGET) {
        Ok(result) => result.map_err(BodyError::Syntax),
        Err(_) => Err(BodyError::GaveUp(unclosed)),
    }
}

type Parsed = (hcl_edit::structure::Body, duplicate_keys::Renamed);

/// Why a file's body was not parsed.
enum BodyError {
    Syntax(hcl_edit::parser::Error),
    /// The parser did not finish within [`UNBALANCED_BUDGET`]; the offset of the first
    /// bracket left open.
    GaveUp(usize),
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// A `*.tfvars` file that holds JSON is refused by Terraform too (it reads JSON variables
/// only from `*.tfvars.json`): the error says so, instead of only "unexpected token" at the
/// opening brace.
fn json_variables_hint(source: &SourceFile, mut error: ParseError) -> ParseError {
    let text = source.text.trim_start();
    if source.path.ends_with(".tfvars")
        && text.starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
    {
        let name = source.path.rsplit('/').next().unwrap_or(&source.path);
        error.message = format!(
            "{}; this file holds JSON, which Terraform reads only from a `.tfvars.json` file: \
             rename it `{name}.json`",
            error.message
        );
    }
    error
}

/// HCL: Terraform configuration (`*.tf`) and variable files (`*.tfvars`); `#`, `//` and `/* */` outside every string the parser saw.
struct Hcl;

impl Format {
    pub const HCL: Format = Format::new(&Hcl);
}

impl FileFormat for Hcl {
    fn name(&self) -> &'static str {
        "HCL"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse(source)
            .map(|doc| vec![doc])
            .map_err(|error| json_variables_hint(source, error))
    }

    fn comments(&self, text: &str, parsed: &[ParsedDocument]) -> Vec<Comment> {
        outside_strings(text, &Strings::of(text, parsed, false), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lower(text: &str) -> (Value, SpanTable, String) {
        let source = SourceFile::new("main.tf", text.to_owned());
        let doc = parse(&source).expect("parses");
        (doc.value, doc.spans, text.to_owned())
    }

    /// The source text of a node's key and value spans.
    fn texts<'t>(spans: &SpanTable, text: &'t str, pointer: &str) -> (Option<&'t str>, &'t str) {
        let node = spans
            .get(pointer)
            .unwrap_or_else(|| panic!("no spans for {pointer}"));
        (
            node.key.map(|k| &text[k.start..k.end]),
            &text[node.value.start..node.value.end],
        )
    }

    #[test]
    fn blocks_nest_by_labels_like_the_json_syntax() {
        let (value, spans, text) = lower(
            "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n  acl    = \"public-read\"\n  force_destroy = true\n  count = 2\n}\n",
        );
        assert_eq!(
            value,
            json!({"resource": {"aws_s3_bucket": {"logs": {
                "bucket": "logs", "acl": "public-read", "force_destroy": true, "count": 2
            }}}})
        );
        assert_eq!(
            texts(&spans, &text, "/resource/aws_s3_bucket/logs/acl"),
            (Some("acl"), "\"public-read\"")
        );
        // A resource's key is its name label; its type's key is the type label.
        assert_eq!(
            texts(&spans, &text, "/resource/aws_s3_bucket/logs").0,
            Some("\"logs\"")
        );
        assert_eq!(
            texts(&spans, &text, "/resource/aws_s3_bucket").0,
            Some("\"aws_s3_bucket\"")
        );
        assert_eq!(texts(&spans, &text, "/resource").0, Some("resource"));
    }

    #[test]
    fn repeatable_nested_blocks_are_always_arrays() {
        let (value, spans, text) = lower(
            r#"resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
  timeouts {
    create = "5m"
  }
}
resource "aws_security_group" "db" {
  ingress {
    from_port = 5432
  }
  ingress {
    from_port = 5433
  }
}
"#,
        );
        let groups = &value["resource"]["aws_security_group"];
        assert_eq!(
            groups["web"]["ingress"],
            json!([{"from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}])
        );
        assert_eq!(groups["web"]["timeouts"], json!({"create": "5m"}));
        assert_eq!(
            groups["db"]["ingress"],
            json!([{"from_port": 5432}, {"from_port": 5433}])
        );
        assert_eq!(
            texts(
                &spans,
                &text,
                "/resource/aws_security_group/web/ingress/0/cidr_blocks/0"
            ),
            (None, "\"0.0.0.0/0\"")
        );
        assert_eq!(
            texts(&spans, &text, "/resource/aws_security_group/db/ingress/1").0,
            Some("ingress")
        );
    }

    #[test]
    fn expressions_are_kept_as_the_json_syntax_writes_them() {
        let (value, _, _) = lower(
            r#"resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  acl    = var.acl
  policy = jsonencode({ Version = var.v })
  encoded = jsonencode(var.doc)
  literal_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*" }] })
  arn    = "arn:aws:s3:::${var.name}/*"
  public = var.env == "prod" ? false : true
  paren  = ("x")
  list   = [1, -2, 1.5, null, { a = "b", "c d" = [true] }]
  doc    = <<EOT
hello ${var.who}
EOT
  inline = <<-POLICY
    {"Statement": [{"Effect": "Allow", "Principal": "*", "Resource": "${aws_s3_bucket.b.arn}/*"}]}
  POLICY
}
"#,
        );
        let p = &value["resource"]["aws_s3_bucket_policy"]["p"];
        assert_eq!(
            p["literal_policy"],
            json!({"Statement": [{"Effect": "Allow", "Principal": "*"}]})
        );
        assert_eq!(p["bucket"], "${aws_s3_bucket.b.id}");
        assert_eq!(p["acl"], "${var.acl}");
        assert_eq!(p["policy"], json!({"Version": "${var.v}"}));
        assert_eq!(p["encoded"], "${jsonencode(var.doc)}");
        assert_eq!(p["arn"], "arn:aws:s3:::${var.name}/*");
        assert_eq!(p["public"], "${var.env == \"prod\" ? false : true}");
        assert_eq!(p["paren"], "x");
        assert_eq!(
            p["list"],
            json!([1, -2, 1.5, null, {"a": "b", "c d": [true]}])
        );
        assert_eq!(p["doc"], "hello ${var.who}\n");
        assert_eq!(
            p["inline"]["Statement"][0]["Resource"],
            "${aws_s3_bucket.b.arn}/*"
        );
    }

    #[test]
    fn json_in_a_heredoc_is_located_inside_it() {
        let (value, spans, text) = lower(
            "resource \"aws_s3_bucket_policy\" \"p\" {\n  policy = <<EOF\n{\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\"}]\n}\nEOF\n}\n",
        );
        let pointer = "/resource/aws_s3_bucket_policy/p/policy/Statement/0/Principal";
        assert_eq!(value.pointer(pointer), Some(&json!("*")));
        assert_eq!(
            texts(&spans, &text, pointer),
            (Some("\"Principal\""), "\"*\"")
        );
        // The attribute itself keeps its key.
        assert_eq!(
            texts(&spans, &text, "/resource/aws_s3_bucket_policy/p/policy").0,
            Some("policy")
        );
    }

    #[test]
    fn json_in_a_tfvars_file_is_refused_with_the_name_terraform_reads_it_from() {
        let json = "{\n  \"bucket\": \"logs\"\n}\n";
        let error = Hcl
            .parse(&SourceFile::new("env/test.tfvars", json.to_owned()))
            .expect_err("Terraform refuses JSON in a .tfvars file");
        assert!(
            error
                .message
                .ends_with("reads only from a `.tfvars.json` file: rename it `test.tfvars.json`"),
            "{}",
            error.message
        );
        assert_eq!(error.span.start, 0);
        // Not for HCL that is simply wrong, nor for a `.tf` file.
        let wrong = Hcl
            .parse(&SourceFile::new("a.tfvars", "bucket = \n".to_owned()))
            .expect_err("invalid");
        assert!(!wrong.message.contains("tfvars.json"), "{}", wrong.message);
        let tf = Hcl
            .parse(&SourceFile::new("main.tf", json.to_owned()))
            .expect_err("invalid");
        assert!(!tf.message.contains("tfvars.json"), "{}", tf.message);
    }

    #[test]
    fn variables_locals_providers_and_tfvars() {
        let (value, _, _) = lower(
            r#"variable "cidr" {
  type    = string
  default = "0.0.0.0/0"
}
locals {
  a = 1
}
locals {
  b = 2
}
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
module "vpc" {
  source = "./vpc"
}
"#,
        );
        assert_eq!(value["variable"]["cidr"]["default"], "0.0.0.0/0");
        assert_eq!(value["variable"]["cidr"]["type"], "${string}");
        assert_eq!(value["locals"], json!({"a": 1, "b": 2}));
        assert_eq!(value["provider"]["aws"][1]["alias"], "us");
        assert_eq!(value["module"]["vpc"]["source"], "./vpc");
        let (tfvars, spans, text) = lower("acl = \"public-read\"\nports = [22, 3389]\n");
        assert_eq!(tfvars, json!({"acl": "public-read", "ports": [22, 3389]}));
        assert_eq!(texts(&spans, &text, "/ports/1"), (None, "3389"));
    }

    #[test]
    fn dynamic_and_labelled_nested_blocks() {
        let (value, _, _) = lower(
            r#"resource "aws_security_group" "s" {
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port = ingress.value
    }
  }
  provisioner "local-exec" {
    command = "echo hi"
  }
}
"#,
        );
        let s = &value["resource"]["aws_security_group"]["s"];
        assert_eq!(
            s["dynamic"],
            json!([{"ingress": {"for_each": "${var.ports}", "content": {"from_port": "${ingress.value}"}}}])
        );
        assert_eq!(
            s["provisioner"],
            json!([{"local-exec": {"command": "echo hi"}}])
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let source = SourceFile::new(
            "main.tf",
            "resource \"a\" \"b\" {\n  acl = \n}\n".to_owned(),
        );
        let error = parse(&source).expect_err("invalid");
        let position = source.position(error.span.start);
        // Where the value should have been: after `acl = `.
        assert_eq!((position.line, position.column), (2, 9), "{error:?}");
        assert!(error.message.starts_with("invalid expression"), "{error:?}");
    }

    #[test]
    fn files_without_a_final_newline_parse_and_fail_as_others() {
        // Found by the fuzz target: without a final newline, hcl-edit took seconds on it
        // (and exponentially longer on longer ones).
        let slow =
            include_str!("../../../tests/fixtures/hcl-hostile/backtracking-without-final-newline");
        assert!(!slow.ends_with('\n'));
        let source = SourceFile::new("main.tf", slow.to_owned());
        let error = parse(&source).expect_err("invalid");
        assert!(error.span.end <= slow.len(), "{error:?}");
        // A valid file without one: the same document, located the same.
        let text = "resource \"a\" \"b\" {\n  acl = \"private\"\n}";
        let without = parse(&SourceFile::new("main.tf", text.to_owned())).expect("parses");
        let with = parse(&SourceFile::new("main.tf", format!("{text}\n"))).expect("parses");
        assert_eq!(without.value, with.value);
        let acl = "/resource/a/b/acl";
        assert_eq!(without.spans.get(acl), with.spans.get(acl));
        // An error at the end of such a file stays inside it.
        let source = SourceFile::new("main.tf", "a = [1,".to_owned());
        let error = parse(&source).expect_err("unclosed");
        assert!(error.span.end <= source.text.len(), "{error:?}");
    }

    #[test]
    fn files_too_tangled_to_parse_are_refused_at_their_first_open_bracket() {
        // Found by the fuzz target after the final-newline mend: it took hcl-edit seconds
        // (a debug build, minutes), and longer ones of the shape would take hours.
        let tangled = include_str!(
            "../../../tests/fixtures/hcl-hostile/backtracking-with-brackets-left-open"
        );
        let source = SourceFile::new("main.tf", tangled.to_owned());
        let error = parse(&source).expect_err("refused");
        let first_open = tangled.find(['{', '[', '(']).expect("a bracket");
        assert_eq!(
            error.span,
            Span::new(first_open, first_open + 1),
            "{error:?}"
        );
        assert!(error.message.contains("never closed"), "{error:?}");
        assert!(!error.message.contains("  "), "{error:?}");
        // A file whose brackets do not balance but that parses at once is parsed as
        // before: its own error, where the parser found it.
        let source = SourceFile::new("main.tf", "a = [1,\nb = 2\n".to_owned());
        let error = parse(&source).expect_err("unclosed");
        assert!(!error.message.contains("gave up"), "{error:?}");
    }

    #[test]
    fn hostile_nesting_is_refused_not_overflowed() {
        let text = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let source = SourceFile::new("main.tf", text);
        let error = parse(&source).expect_err("too deep");
        assert!(error.message.contains("nesting deeper"), "{error:?}");
        // Brackets inside strings and comments do not count.
        let text = format!("# {}\na = \"{}\"\n", "[".repeat(1000), "{".repeat(1000));
        parse(&SourceFile::new("main.tf", text)).expect("parses");
    }
}
