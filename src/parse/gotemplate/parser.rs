//! The template's items to a tree: control structures nest until their `end`.

use super::lexer::{Item, Tok, Token};
use super::{Arg, Command, Node, Pipeline, Template, TemplateError, Term};
use crate::document::Span;
use crate::parse::MAX_DEPTH;

pub fn parse(items: Vec<Item>) -> Result<Template, TemplateError> {
    let mut parser = Parser {
        items: items.into_iter().peekable(),
        template: Template::default(),
        depth: 0,
        pending_else: None,
    };
    let (nodes, end) = parser.list()?;
    if let Some((keyword, span)) = end {
        return Err(TemplateError::new(
            span,
            format!("`{keyword}` without an `if`, `with`, `range` or `define` to close"),
        ));
    }
    parser.template.nodes = nodes;
    Ok(parser.template)
}

struct Parser {
    items: std::iter::Peekable<std::vec::IntoIter<Item>>,
    template: Template,
    depth: usize,
    /// The tokens of the `else` that ended the last list.
    pending_else: Option<Vec<Token>>,
}

const KEYWORDS: &[&str] = &[
    "end", "else", "if", "with", "range", "define", "block", "template", "break", "continue",
];

/// The keyword that ended a list (`end` or `else`), with the rest of its action.
type Ending = Option<(&'static str, Span)>;

impl Parser {
    /// Nodes up to an `end` or `else` (returned, the `else`'s tokens kept in `self.pending`)
    /// or the end of the template.
    fn list(&mut self) -> Result<(Vec<Node>, Ending), TemplateError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(TemplateError::new(
                Span::default(),
                "the template nests too deeply",
            ));
        }
        let mut nodes = Vec::new();
        let result = loop {
            let Some(item) = self.items.next() else {
                break (nodes, None);
            };
            let (span, tokens) = match item {
                Item::Text(span) => {
                    nodes.push(Node::Text(span));
                    continue;
                }
                Item::Action { span, tokens } => (span, tokens),
            };
            let keyword: &'static str = match tokens.first().map(|t| &t.tok) {
                Some(Tok::Ident(word)) => {
                    KEYWORDS.iter().find(|k| **k == word).copied().unwrap_or("")
                }
                _ => "",
            };
            match keyword {
                "end" => break (nodes, Some(("end", span))),
                "else" => {
                    self.pending_else = Some(tokens);
                    break (nodes, Some(("else", span)));
                }
                "if" | "with" => nodes.push(self.conditional(keyword, span, tokens)?),
                "range" => nodes.push(self.range(span, tokens)?),
                "define" | "block" => {
                    let (name, pipe) = name_and_pipe(keyword, span, &tokens)?;
                    let (body, end) = self.list()?;
                    expect_end(keyword, span, end)?;
                    self.template.defines.push((name.clone(), body));
                    if keyword == "block" {
                        nodes.push(Node::Call { span, name, pipe });
                    }
                }
                "template" => {
                    let (name, pipe) = name_and_pipe(keyword, span, &tokens)?;
                    nodes.push(Node::Call { span, name, pipe });
                }
                "break" => nodes.push(Node::Break(span)),
                "continue" => nodes.push(Node::Continue(span)),
                _ => nodes.push(Node::Output {
                    span,
                    pipe: pipeline(span, &tokens)?,
                }),
            }
        };
        self.depth -= 1;
        Ok(result)
    }

    fn conditional(
        &mut self,
        keyword: &'static str,
        span: Span,
        tokens: Vec<Token>,
    ) -> Result<Node, TemplateError> {
        let mut arms = vec![(pipeline(span, &tokens[1..])?, Vec::new())];
        let mut otherwise = Vec::new();
        loop {
            let (body, end) = self.list()?;
            arms.last_mut().expect("an arm").1 = body;
            match end {
                Some(("else", else_span)) => {
                    let tokens = self.pending_else.take().unwrap_or_default();
                    match tokens.get(1).map(|t| &t.tok) {
                        Some(Tok::Ident(word)) if word == keyword => {
                            arms.push((pipeline(else_span, &tokens[2..])?, Vec::new()));
                        }
                        None => {
                            let (body, end) = self.list()?;
                            expect_end(keyword, span, end)?;
                            otherwise = body;
                            break;
                        }
                        Some(_) => {
                            return Err(TemplateError::new(
                                else_span,
                                format!(
                                    "`else` in an `{keyword}` takes nothing or `{keyword}` after it"
                                ),
                            ));
                        }
                    }
                }
                end => {
                    expect_end(keyword, span, end)?;
                    break;
                }
            }
        }
        Ok(if keyword == "if" {
            Node::If {
                span,
                arms,
                otherwise,
            }
        } else {
            Node::With {
                span,
                arms,
                otherwise,
            }
        })
    }

    fn range(&mut self, span: Span, tokens: Vec<Token>) -> Result<Node, TemplateError> {
        let pipe = pipeline(span, &tokens[1..])?;
        let (body, end) = self.list()?;
        let otherwise = match end {
            Some(("else", else_span)) => {
                if self.pending_else.take().is_some_and(|t| t.len() > 1) {
                    return Err(TemplateError::new(
                        else_span,
                        "`else` in a `range` takes nothing after it",
                    ));
                }
                let (otherwise, end) = self.list()?;
                expect_end("range", span, end)?;
                otherwise
            }
            end => {
                expect_end("range", span, end)?;
                Vec::new()
            }
        };
        Ok(Node::Range {
            span,
            pipe,
            body,
            otherwise,
        })
    }
}

fn expect_end(keyword: &str, span: Span, end: Ending) -> Result<(), TemplateError> {
    match end {
        Some(("end", _)) => Ok(()),
        Some((other, at)) => Err(TemplateError::new(
            at,
            format!("unexpected `{other}` in `{keyword}`"),
        )),
        None => Err(TemplateError::new(
            span,
            format!("this `{keyword}` has no `end`"),
        )),
    }
}

/// `define "name"`, `template "name" pipeline`, `block "name" pipeline`.
fn name_and_pipe(
    keyword: &str,
    span: Span,
    tokens: &[Token],
) -> Result<(String, Option<Pipeline>), TemplateError> {
    let Some(Token {
        tok: Tok::Str(name),
        ..
    }) = tokens.get(1)
    else {
        return Err(TemplateError::new(
            span,
            format!("`{keyword}` takes a quoted template name"),
        ));
    };
    let rest = &tokens[2..];
    let pipe = if rest.is_empty() {
        None
    } else {
        Some(pipeline(span, rest)?)
    };
    Ok((name.clone(), pipe))
}

/// A pipeline from an action's tokens (a keyword already taken off).
fn pipeline(span: Span, tokens: &[Token]) -> Result<Pipeline, TemplateError> {
    nested_pipeline(span, tokens, 0)
}

fn nested_pipeline(span: Span, tokens: &[Token], depth: usize) -> Result<Pipeline, TemplateError> {
    let mut tokens = tokens;
    let mut declare = Vec::new();
    let mut assign = false;
    // `$x :=`, `$x =`, `$i, $v :=`
    let assigns = tokens
        .iter()
        .position(|t| matches!(t.tok, Tok::Declare | Tok::Assign));
    if let Some(at) = assigns
        && tokens[..at]
            .iter()
            .all(|t| matches!(t.tok, Tok::Var(_) | Tok::Comma))
        && at > 0
    {
        for token in &tokens[..at] {
            if let Tok::Var(name) = &token.tok {
                declare.push(name.clone());
            }
        }
        assign = tokens[at].tok == Tok::Assign;
        tokens = &tokens[at + 1..];
    }
    let mut commands = Vec::new();
    let mut parts = split_top(tokens, &Tok::Pipe);
    // Go accepts a pipe with nothing after it before the action's end (`{{ x | }}`).
    if parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    for part in parts {
        commands.push(command(span, part, depth)?);
    }
    if commands.is_empty() {
        return Err(TemplateError::new(span, "an empty action"));
    }
    Ok(Pipeline {
        span,
        declare,
        assign,
        commands,
    })
}

/// The parts of `tokens` between separators outside parentheses.
fn split_top<'a>(tokens: &'a [Token], separator: &Tok) -> Vec<&'a [Token]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        match &token.tok {
            Tok::LParen => depth += 1,
            Tok::RParen => depth = depth.saturating_sub(1),
            tok if depth == 0 && tok == separator => {
                parts.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < tokens.len() || !parts.is_empty() {
        parts.push(&tokens[start..]);
    }
    parts
}

fn command(span: Span, tokens: &[Token], depth: usize) -> Result<Command, TemplateError> {
    if depth > MAX_DEPTH {
        return Err(TemplateError::new(span, "the action nests too deeply"));
    }
    let Some(first) = tokens.first() else {
        return Err(TemplateError::new(span, "a pipeline has an empty command"));
    };
    let mut args = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let start = tokens[i].span;
        let (term, next) = match &tokens[i].tok {
            Tok::Dot => (Term::Dot, i + 1),
            Tok::Field(_) => (Term::Dot, i),
            Tok::Var(name) => (Term::Var(name.clone()), i + 1),
            Tok::Str(s) => (Term::Str(s.clone()), i + 1),
            Tok::Int(n) => (Term::Int(*n), i + 1),
            Tok::Float(f) => (Term::Float(*f), i + 1),
            Tok::Ident(word) => (
                match word.as_str() {
                    "true" => Term::Bool(true),
                    "false" => Term::Bool(false),
                    "nil" => Term::Nil,
                    _ => Term::Func(word.clone()),
                },
                i + 1,
            ),
            Tok::LParen => {
                let close = matching_paren(tokens, i)
                    .ok_or_else(|| TemplateError::new(start, "a `(` is never closed"))?;
                let inner = &tokens[i + 1..close];
                let mut pipe = nested_pipeline(start, inner, depth + 1).map_err(|mut e| {
                    e.span = start;
                    e
                })?;
                pipe.span = Span::new(start.start, tokens[close].span.end);
                (Term::Pipe(Box::new(pipe)), close + 1)
            }
            other => {
                return Err(TemplateError::new(
                    start,
                    format!("unexpected {} in a command", describe(other)),
                ));
            }
        };
        // Fields written right after the operand (`$x.a`, `(…).b`, `.a.b`) are taken of it.
        let mut fields = Vec::new();
        let mut j = next;
        let mut end = if next > i {
            tokens[next - 1].span.end
        } else {
            start.start
        };
        while let Some(Token {
            tok: Tok::Field(name),
            span,
        }) = tokens.get(j)
        {
            if span.start != end && !(j == i && matches!(term, Term::Dot)) {
                break;
            }
            fields.push(name.clone());
            end = span.end;
            j += 1;
        }
        if matches!(
            term,
            Term::Func(_)
                | Term::Str(_)
                | Term::Int(_)
                | Term::Float(_)
                | Term::Bool(_)
                | Term::Nil
        ) && !fields.is_empty()
        {
            return Err(TemplateError::new(
                start,
                "a field of something that has none",
            ));
        }
        args.push(Arg {
            span: Span::new(start.start, end),
            term,
            fields,
        });
        i = j.max(i + 1);
    }
    let span = Span::new(
        first.span.start,
        tokens.last().map_or(first.span.end, |t| t.span.end),
    );
    Ok(Command { span, args })
}

fn matching_paren(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token.tok {
            Tok::LParen => depth += 1,
            Tok::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn describe(tok: &Tok) -> &'static str {
    match tok {
        Tok::RParen => "`)`",
        Tok::Pipe => "`|`",
        Tok::Declare => "`:=`",
        Tok::Assign => "`=`",
        Tok::Comma => "`,`",
        _ => "a token",
    }
}
