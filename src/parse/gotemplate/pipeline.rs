//! An action's tokens to a pipeline: declarations, commands split at `|`, operands with the
//! fields taken of them, parenthesised pipelines (depth-limited).

use super::lexer::{Tok, Token};
use super::{Arg, Command, Pipeline, TemplateError, Term};
use crate::document::Span;
use crate::parse::MAX_DEPTH;

/// A pipeline from an action's tokens (a keyword already taken off).
pub(super) fn pipeline(span: Span, tokens: &[Token]) -> Result<Pipeline, TemplateError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::gotemplate::{Node, parse};

    fn output_pipe(text: &str) -> Pipeline {
        match parse(text).expect("parses").nodes.remove(0) {
            Node::Output { pipe, .. } => pipe,
            other => panic!("not an output: {other:?}"),
        }
    }

    #[test]
    fn pipelines_commands_and_fields() {
        let pipe =
            output_pipe("{{ $x := .Values.a | default (printf \"%s\" $.Chart.Name) | quote }}");
        assert_eq!(pipe.declare, ["x"]);
        assert!(!pipe.assign);
        assert_eq!(pipe.commands.len(), 3);
        let first = &pipe.commands[0].args[0];
        assert!(matches!(first.term, Term::Dot));
        assert_eq!(first.fields, ["Values", "a"]);
        let Term::Pipe(inner) = &pipe.commands[1].args[1].term else {
            panic!("a parenthesised pipeline");
        };
        assert_eq!(inner.commands[0].args[2].fields, ["Chart", "Name"]);
        // `.a .b` are two operands; `(x).b` takes a field of the pipeline's value.
        assert_eq!(output_pipe("{{ f .a .b }}").commands[0].args.len(), 3);
        assert_eq!(output_pipe("{{ (f).b }}").commands[0].args[0].fields, ["b"]);
        // Go accepts a pipe with nothing after it.
        assert_eq!(output_pipe("{{ .a | }}").commands.len(), 1);
    }

    #[test]
    fn control_structures_nest_and_errors_are_located() {
        let template =
            parse("{{ if .a }}x{{ else if .b }}y{{ else }}z{{ end }}{{ define \"n\" }}d{{ end }}")
                .expect("parses");
        let Node::If {
            arms, otherwise, ..
        } = &template.nodes[0]
        else {
            panic!("an if");
        };
        assert_eq!((arms.len(), otherwise.len()), (2, 1));
        assert_eq!(template.defines[0].0, "n");
        let error = parse("a {{ if .x }}b").expect_err("unclosed if");
        assert_eq!(error.message, "this `if` has no `end`");
        assert_eq!(error.span, Span::new(2, 13));
        assert!(parse("{{ end }}").is_err());
        assert!(parse("{{ .a.b | (f }}").is_err());
        assert!(parse(&"{{ (".repeat(600)).is_err());
    }
}
