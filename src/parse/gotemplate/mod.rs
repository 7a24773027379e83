//! Go's `text/template` language, as Helm charts write it: the text and actions of a
//! template, parsed to a tree that `resolve/helm` evaluates. Every node keeps its span, so
//! what the template outputs can be traced back to the line that wrote it.
//!
//! No maintained crate parses Go templates with spans (gtmpl, the one Rust port, keeps no
//! positions, has had no release since 2021 and implements no Sprig function); this parser
//! is small, fuzzed (`fuzz/fuzz_targets/gotemplate.rs`) and refuses what it does not know.

mod lexer;
mod parser;
mod pipeline;

use crate::document::Span;

/// A parsed template: its top-level nodes and the templates it defines.
#[derive(Debug, Default)]
pub struct Template {
    pub nodes: Vec<Node>,
    /// `define` and `block` bodies, by name, in the order written.
    pub defines: Vec<(String, Vec<Node>)>,
}

#[derive(Debug)]
pub enum Node {
    /// Text output as written.
    Text(Span),
    /// `{{ pipeline }}`: its value is output (nothing when it declares or assigns).
    Output {
        span: Span,
        pipe: Pipeline,
    },
    /// `if`, `else if` …, `else`: the first arm whose pipeline is true runs.
    If {
        span: Span,
        arms: Vec<(Pipeline, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
    /// `with`, `else with` …, `else`: like `if`, with the dot set to the value.
    With {
        span: Span,
        arms: Vec<(Pipeline, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
    Range {
        span: Span,
        pipe: Pipeline,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    /// `template "name" pipeline` (and the call half of `block`).
    Call {
        span: Span,
        name: String,
        pipe: Option<Pipeline>,
    },
    Break(Span),
    Continue(Span),
}

/// `$a, $b := cmd | cmd …`
#[derive(Debug)]
pub struct Pipeline {
    pub span: Span,
    pub declare: Vec<String>,
    /// `=` (assign to declared variables) rather than `:=`.
    pub assign: bool,
    pub commands: Vec<Command>,
}

/// A function call or a single operand, with its arguments.
#[derive(Debug)]
pub struct Command {
    pub span: Span,
    pub args: Vec<Arg>,
}

/// An operand and the fields taken of it: `.Values.image` is the dot, then `Values`, `image`.
#[derive(Debug)]
pub struct Arg {
    pub span: Span,
    pub term: Term,
    pub fields: Vec<String>,
}

#[derive(Debug)]
pub enum Term {
    Dot,
    Var(String),
    Func(String),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    Pipe(Box<Pipeline>),
}

/// Why a template could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub span: Span,
    pub message: String,
}

impl TemplateError {
    pub(crate) fn new(span: Span, message: impl Into<String>) -> Self {
        TemplateError {
            span,
            message: message.into(),
        }
    }
}

/// Parses a whole template file.
pub fn parse(text: &str) -> Result<Template, TemplateError> {
    parser::parse(lexer::items(text)?)
}
