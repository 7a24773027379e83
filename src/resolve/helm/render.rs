//! Evaluates a parsed template: Go's `text/template` semantics with Helm's functions, the
//! output remembering, piece by piece, which part of the template wrote it.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use super::output::Output;
use super::value::Val;

mod pipeline;
use crate::document::Span;
use crate::parse::gotemplate::{Node, Pipeline};

/// Evaluation steps one template may take: a template that loops longer is not evaluated.
const MAX_STEPS: usize = 2_000_000;
/// Output one template may write, in bytes.
const MAX_OUTPUT: usize = 8 << 20;
/// Nested `include`/`template`/`tpl` calls.
const MAX_CALLS: usize = 100;

/// A template's text and its parsed tree.
pub struct Source {
    pub text: Rc<str>,
    pub nodes: Rc<Vec<Node>>,
}

/// What every template of a chart shares: the named templates (`define`) of all its files.
#[derive(Default)]
pub struct Defines {
    pub named: HashMap<String, (Rc<str>, Rc<Vec<Node>>)>,
}

/// How the unknown a named template gives begins (it writes only unknowns).
pub const UNKNOWN_WRITES: &str = "what the named template ";

/// Why evaluation stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Halt {
    /// The template calls `fail`, or a limit was reached: the reason.
    Stopped(String),
}

pub enum Flow {
    Normal,
    Break,
    Continue,
}

pub struct Renderer<'a> {
    pub defines: &'a Defines,
    /// Everything that could not be evaluated, in words (for the chart's note).
    pub unknowns: BTreeSet<String>,
    steps: usize,
    calls: usize,
    /// Unknown values written so far: a named template that writes only unknowns gives an
    /// unknown, not an empty text (`hasKey $values (include "section" .)` stays unknown).
    unknown_writes: usize,
    vars: Vec<(String, Val)>,
}

/// Where the nodes being evaluated are written, and where their output goes.
pub struct Frame<'f> {
    pub text: &'f str,
    pub out: &'f mut Output,
    /// Set inside a named template: its output is attributed to the call, in the file the
    /// user is reading, rather than to the helper's own lines.
    pub attributed: Option<Span>,
}

impl<'a> Renderer<'a> {
    pub fn new(defines: &'a Defines) -> Self {
        Renderer {
            defines,
            unknowns: BTreeSet::new(),
            steps: 0,
            calls: 0,
            unknown_writes: 0,
            vars: Vec::new(),
        }
    }

    /// Renders `source` with `data` as the dot and `$`.
    pub fn render(&mut self, source: &Source, data: &Val) -> Result<Output, Halt> {
        let mut out = Output::default();
        self.vars.clear();
        self.vars.push(("".to_owned(), data.clone()));
        let mut frame = Frame {
            text: &source.text,
            out: &mut out,
            attributed: None,
        };
        self.nodes(&source.nodes, data, &mut frame)?;
        Ok(out)
    }

    fn step(&mut self) -> Result<(), Halt> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Halt::Stopped("it takes too long to evaluate".to_owned()));
        }
        Ok(())
    }

    fn nodes(&mut self, nodes: &[Node], dot: &Val, frame: &mut Frame) -> Result<Flow, Halt> {
        for node in nodes {
            self.step()?;
            match self.node(node, dot, frame)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
            if frame.out.text.len() > MAX_OUTPUT {
                return Err(Halt::Stopped("its output is too large".to_owned()));
            }
        }
        Ok(Flow::Normal)
    }

    fn scoped(&mut self, nodes: &[Node], dot: &Val, frame: &mut Frame) -> Result<Flow, Halt> {
        let mark = self.vars.len();
        let flow = self.nodes(nodes, dot, frame);
        self.vars.truncate(mark);
        flow
    }

    fn node(&mut self, node: &Node, dot: &Val, frame: &mut Frame) -> Result<Flow, Halt> {
        match node {
            Node::Text(span) => {
                let text = frame.text.get(span.start..span.end).unwrap_or("");
                match frame.attributed {
                    Some(call) => frame.out.action(text, call),
                    None => frame.out.literal(text, span.start),
                }
            }
            Node::Output { span, pipe } => {
                let value = self.pipeline(pipe, dot, frame)?;
                if pipe.declare.is_empty() {
                    let at = frame.attributed.unwrap_or(*span);
                    // An unknown value writes nothing: an empty value is one no policy takes
                    // for an exposing setting, and the YAML around it stays YAML whether the
                    // value would have been a scalar or a block.
                    let text = match &value {
                        Val::Unknown(_) => {
                            self.note_unknown(&value);
                            self.unknown_writes += 1;
                            String::new()
                        }
                        other => other.display(),
                    };
                    match self
                        .values_pointer(pipe, dot)
                        .filter(|_| frame.attributed.is_none())
                    {
                        Some(pointer) => frame.out.value(&text, at, pointer),
                        None => frame.out.action(&text, at),
                    }
                }
            }
            Node::If {
                arms, otherwise, ..
            } => return self.conditional(arms, otherwise, dot, frame, false),
            Node::With {
                arms, otherwise, ..
            } => return self.conditional(arms, otherwise, dot, frame, true),
            Node::Range {
                pipe,
                body,
                otherwise,
                ..
            } => return self.range(pipe, body, otherwise, dot, frame),
            Node::Call { span, name, pipe } => {
                let data = match pipe {
                    Some(pipe) => self.pipeline(pipe, dot, frame)?,
                    None => Val::Nil,
                };
                let at = frame.attributed.unwrap_or(*span);
                if let Val::Str(text) = self.call_named(name, &data)? {
                    frame.out.action(&text, at);
                }
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn conditional(
        &mut self,
        arms: &[(Pipeline, Vec<Node>)],
        otherwise: &[Node],
        dot: &Val,
        frame: &mut Frame,
        with: bool,
    ) -> Result<Flow, Halt> {
        let mark = self.vars.len();
        for (pipe, body) in arms {
            let value = self.pipeline(pipe, dot, frame)?;
            match value.truth() {
                Some(true) => {
                    let inner = if with { value } else { dot.clone() };
                    let flow = self.scoped(body, &inner, frame);
                    self.vars.truncate(mark);
                    return flow;
                }
                Some(false) => {}
                None => {
                    // Neither branch is taken: what depends on an unknown is not guessed.
                    self.note_unknown(&value);
                    self.vars.truncate(mark);
                    return Ok(Flow::Normal);
                }
            }
        }
        let flow = self.scoped(otherwise, dot, frame);
        self.vars.truncate(mark);
        flow
    }

    fn range(
        &mut self,
        pipe: &Pipeline,
        body: &[Node],
        otherwise: &[Node],
        dot: &Val,
        frame: &mut Frame,
    ) -> Result<Flow, Halt> {
        let mark = self.vars.len();
        // `range $i, $v := …` declares the key and the element; `range $v := …` the element.
        let names = &pipe.declare;
        let value = self.commands(&pipe.commands, dot, frame)?;
        let items: Vec<(Val, Val)> = match &value {
            Val::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Val::Int(i as i64), v.clone()))
                .collect(),
            Val::Map(map) => map
                .borrow()
                .iter()
                .map(|(k, v)| (Val::str(k.as_str()), v.clone()))
                .collect(),
            Val::Int(n) => (0..(*n).max(0))
                .map(|i| (Val::Int(i), Val::Int(i)))
                .collect(),
            Val::Nil => Vec::new(),
            Val::Unknown(_) => {
                self.note_unknown(&value);
                return Ok(Flow::Normal);
            }
            _ => Vec::new(),
        };
        if items.is_empty() {
            let flow = self.scoped(otherwise, dot, frame);
            self.vars.truncate(mark);
            return flow;
        }
        for (key, item) in items {
            self.step()?;
            let inner = self.vars.len();
            match names.as_slice() {
                [] => {}
                [element] => self.vars.push((element.clone(), item.clone())),
                [k, v, ..] => {
                    self.vars.push((k.clone(), key));
                    self.vars.push((v.clone(), item.clone()));
                }
            }
            let flow = self.nodes(body, &item, frame);
            self.vars.truncate(inner);
            match flow? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
            }
        }
        self.vars.truncate(mark);
        Ok(Flow::Normal)
    }

    /// Renders the named template with `data` as its dot, to text (`include`, `template`).
    pub fn call_named(&mut self, name: &str, data: &Val) -> Result<Val, Halt> {
        let Some((text, nodes)) = self.defines.named.get(name).cloned() else {
            let missing = Val::unknown(format!(
                "the named template \"{name}\", which no file of the chart defines"
            ));
            self.note_unknown(&missing);
            return Ok(missing);
        };
        let written = self.unknown_writes;
        let text = self.nested_text(&text, &nodes, data)?;
        if self.unknown_writes > written && text.trim().is_empty() {
            return Ok(Val::unknown(format!("{UNKNOWN_WRITES}\"{name}\" writes")));
        }
        Ok(Val::str(text))
    }

    /// Renders `text` as a template with `data` as its dot (`tpl`).
    pub fn render_text(&mut self, text: &str, data: &Val) -> Result<Val, Halt> {
        let parsed = match crate::parse::gotemplate::parse(text) {
            Ok(parsed) => parsed,
            Err(_) => return Ok(Val::unknown("a `tpl` string that is not a valid template")),
        };
        Ok(Val::str(self.nested_text(text, &parsed.nodes, data)?))
    }

    /// The text `nodes` (written in `text`) render to with `data` as their dot and `$`, in a
    /// call of their own: the caller's variables are out of reach, as in Go.
    fn nested_text(&mut self, text: &str, nodes: &[Node], data: &Val) -> Result<String, Halt> {
        self.nested(|renderer| {
            let mut out = Output::default();
            let mut frame = Frame {
                text,
                out: &mut out,
                attributed: Some(Span::default()),
            };
            renderer.vars.push(("".to_owned(), data.clone()));
            renderer.nodes(nodes, data, &mut frame)?;
            Ok(out.text)
        })
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Halt>) -> Result<T, Halt> {
        self.calls += 1;
        if self.calls > MAX_CALLS {
            self.calls -= 1;
            return Err(Halt::Stopped(
                "its named templates call each other too deeply".to_owned(),
            ));
        }
        let saved = std::mem::take(&mut self.vars);
        let result = f(self);
        self.vars = saved;
        self.calls -= 1;
        result
    }

    pub fn note_unknown(&mut self, value: &Val) {
        if let Val::Unknown(why) = value {
            self.unknowns.insert(why.to_string());
        }
    }
}
