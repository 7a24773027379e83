//! The template's items to a tree: control structures nest until their `end`.

use super::lexer::{Item, Tok, Token};
use super::pipeline::pipeline;
use super::{Node, Pipeline, Template, TemplateError};
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
