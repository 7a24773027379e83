//! Pipelines, commands and operands: what an action computes, with `and`/`or` stopping at
//! the argument that decides, as Go's do.

use std::rc::Rc;

use super::super::functions;
use super::super::value::Val;
use super::{Frame, Halt, Renderer};
use crate::parse::gotemplate::{Arg, Command, Pipeline, Term};

impl Renderer<'_> {
    /// Where in the chart's values the pipeline's value comes from, when it writes a value of
    /// `.Values` as it is, only formatted: `.Values.a.b`, `$.Values.a | toYaml | nindent 4`.
    pub(super) fn values_pointer(&self, pipe: &Pipeline, dot: &Val) -> Option<Rc<str>> {
        const FORMATTING: &[&str] = &[
            "toYaml", "toJson", "nindent", "indent", "quote", "squote", "toString", "trim",
        ];
        let (first, rest) = pipe.commands.split_first()?;
        let arg = match first.args.as_slice() {
            [arg] => arg,
            [function, arg] | [function, _, arg] if matches!(&function.term, Term::Func(f) if FORMATTING.contains(&f.as_str())) => {
                arg
            }
            _ => return None,
        };
        let rooted = match &arg.term {
            Term::Var(name) => name.is_empty(),
            Term::Dot => match (dot, self.vars.first()) {
                (Val::Map(dot), Some((_, Val::Map(root)))) => Rc::ptr_eq(dot, root),
                _ => false,
            },
            _ => false,
        };
        let formatting_only = rest.iter().all(|c| {
            matches!(c.args.first().map(|a| &a.term), Some(Term::Func(f)) if FORMATTING.contains(&f.as_str()))
        });
        if !rooted
            || !formatting_only
            || arg.fields.first().map(String::as_str) != Some("Values")
            || arg.fields.len() < 2
        {
            return None;
        }
        let pointer: String = arg.fields[1..]
            .iter()
            .map(|f| format!("/{}", crate::document::escape_token(f)))
            .collect();
        Some(Rc::from(pointer))
    }

    pub(super) fn pipeline(
        &mut self,
        pipe: &Pipeline,
        dot: &Val,
        frame: &mut Frame,
    ) -> Result<Val, Halt> {
        let value = self.commands(&pipe.commands, dot, frame)?;
        if !pipe.declare.is_empty() {
            for name in &pipe.declare {
                if pipe.assign {
                    if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                        slot.1 = value.clone();
                    }
                } else {
                    self.vars.push((name.clone(), value.clone()));
                }
            }
        }
        Ok(value)
    }

    pub(super) fn commands(
        &mut self,
        commands: &[Command],
        dot: &Val,
        frame: &mut Frame,
    ) -> Result<Val, Halt> {
        let mut piped: Option<Val> = None;
        for command in commands {
            self.step()?;
            piped = Some(self.command(command, dot, piped, frame)?);
        }
        Ok(piped.unwrap_or(Val::Nil))
    }

    fn command(
        &mut self,
        command: &Command,
        dot: &Val,
        piped: Option<Val>,
        frame: &mut Frame,
    ) -> Result<Val, Halt> {
        let Some(first) = command.args.first() else {
            return Ok(Val::Nil);
        };
        if let Term::Func(name) = &first.term {
            // `and` and `or` stop at the first argument that decides.
            if name == "and" || name == "or" {
                return self.logical(name == "and", &command.args[1..], dot, piped, frame);
            }
            let mut args = Vec::with_capacity(command.args.len());
            for arg in &command.args[1..] {
                args.push(self.arg(arg, dot, frame)?);
            }
            args.extend(piped);
            return functions::call(self, name, args);
        }
        let head = self.arg(first, dot, frame)?;
        if let Val::Method(method) = head {
            let mut args = Vec::new();
            for arg in &command.args[1..] {
                args.push(self.arg(arg, dot, frame)?);
            }
            args.extend(piped);
            return Ok(functions::method(method, &args));
        }
        Ok(head)
    }

    fn logical(
        &mut self,
        and: bool,
        args: &[Arg],
        dot: &Val,
        piped: Option<Val>,
        frame: &mut Frame,
    ) -> Result<Val, Halt> {
        let mut last = Val::Nil;
        let mut unknown: Option<Val> = None;
        let count = args.len() + usize::from(piped.is_some());
        for i in 0..count {
            let value = match args.get(i) {
                Some(arg) => self.arg(arg, dot, frame)?,
                None => piped.clone().unwrap_or(Val::Nil),
            };
            match value.truth() {
                Some(truth) if truth != and => return Ok(value),
                Some(_) => last = value,
                None => unknown = unknown.or(Some(value)),
            }
        }
        Ok(unknown.unwrap_or(last))
    }

    fn arg(&mut self, arg: &Arg, dot: &Val, frame: &mut Frame) -> Result<Val, Halt> {
        let mut value = match &arg.term {
            Term::Dot => dot.clone(),
            Term::Var(name) => self
                .vars
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or(Val::Nil),
            Term::Func(name) => functions::call(self, name, Vec::new())?,
            Term::Str(s) => Val::str(s.as_str()),
            Term::Int(i) => Val::Int(*i),
            Term::Float(f) => Val::Float(*f),
            Term::Bool(b) => Val::Bool(*b),
            Term::Nil => Val::Nil,
            Term::Pipe(pipe) => {
                let mark = self.vars.len();
                let value = self.pipeline(pipe, dot, frame);
                self.vars.truncate(mark);
                value?
            }
        };
        for field in &arg.fields {
            value = value.field(field);
        }
        Ok(value)
    }
}
