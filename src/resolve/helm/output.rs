//! A rendered template's text, and for each piece of it the part of the template that wrote
//! it: text copied from the template maps back character for character, an action's output
//! to the whole action.

use std::rc::Rc;

use crate::document::Span;

#[derive(Debug, Default)]
pub struct Output {
    pub text: String,
    /// In order of `at`; each piece runs to the next one's start.
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone)]
struct Piece {
    /// Where the piece starts in the output.
    at: usize,
    from: From,
    /// The JSON Pointer in the chart's values of what the action wrote, when it wrote a
    /// value of `.Values` as it is (`{{ .Values.a.b }}`, `{{ toYaml .Values.a | nindent 4 }}`).
    values: Option<Rc<str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum From {
    /// Copied from the template, starting at this offset.
    Literal(usize),
    /// Written by the action (or call) at this span.
    Action(Span),
}

impl Output {
    /// Text copied from the template at `offset`.
    pub fn literal(&mut self, text: &str, offset: usize) {
        self.push(text, From::Literal(offset));
    }

    /// Text an action at `span` wrote.
    pub fn action(&mut self, text: &str, span: Span) {
        self.push(text, From::Action(span));
    }

    /// Text an action at `span` wrote: the value at `pointer` of the chart's values.
    pub fn value(&mut self, text: &str, span: Span, pointer: Rc<str>) {
        if text.is_empty() {
            return;
        }
        let at = self.text.len();
        self.pieces.push(Piece {
            at,
            from: From::Action(span),
            values: Some(pointer),
        });
        self.text.push_str(text);
    }

    /// The values pointer of the piece `span` lies in, with where that piece starts and
    /// ends in the output.
    pub fn values_at(&self, span: Span) -> Option<(&str, usize, usize)> {
        let index = self
            .pieces
            .partition_point(|p| p.at <= span.start)
            .checked_sub(1)?;
        let piece = &self.pieces[index];
        let end = self
            .pieces
            .get(index + 1)
            .map_or(self.text.len(), |next| next.at);
        (span.end <= end).then_some(())?;
        Some((piece.values.as_deref()?, piece.at, end))
    }

    fn push(&mut self, text: &str, from: From) {
        if text.is_empty() {
            return;
        }
        let at = self.text.len();
        let continues = match (self.pieces.last(), from) {
            (Some(last), From::Action(span)) => {
                last.from == From::Action(span) && last.values.is_none()
            }
            (
                Some(Piece {
                    at: last_at,
                    from: From::Literal(offset),
                    ..
                }),
                From::Literal(next),
            ) => offset + (at - last_at) == next,
            _ => false,
        };
        if !continues {
            self.pieces.push(Piece {
                at,
                from,
                values: None,
            });
        }
        self.text.push_str(text);
    }

    /// The span of the template that wrote the output's `span`.
    pub fn map(&self, span: Span) -> Span {
        let Some(first) = self.piece(span.start) else {
            return Span::default();
        };
        let start = match first.from {
            From::Literal(offset) => offset + (span.start - first.at),
            From::Action(action) => action.start,
        };
        let last = self
            .piece(span.end.saturating_sub(1).max(span.start))
            .unwrap_or(first);
        let end = match last.from {
            From::Literal(offset) => offset + (span.end.max(last.at) - last.at),
            From::Action(action) => action.end,
        };
        if end < start {
            // The span runs back through a loop: its first part alone.
            return match first.from {
                From::Literal(_) => Span::new(start, start + (span.end - span.start).min(1)),
                From::Action(action) => action,
            };
        }
        Span::new(start, end)
    }

    fn piece(&self, offset: usize) -> Option<&Piece> {
        let index = self.pieces.partition_point(|p| p.at <= offset);
        self.pieces.get(index.checked_sub(1)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_maps_back_to_what_wrote_it() {
        // Template: `a: {{ .x }}\nb: 2\n` with `.x` = 1.
        let mut out = Output::default();
        out.literal("a: ", 0);
        out.action("1", Span::new(3, 11));
        out.literal("\nb: 2\n", 11);
        assert_eq!(out.text, "a: 1\nb: 2\n");
        assert_eq!(out.map(Span::new(3, 4)), Span::new(3, 11));
        assert_eq!(out.map(Span::new(5, 9)), Span::new(12, 16));
        assert_eq!(out.map(Span::new(0, 4)), Span::new(0, 11));
    }
}
