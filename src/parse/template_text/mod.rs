//! A text template read as text (a Helm chart's `templates/*.yaml` and `_helpers.tpl`): one
//! document that holds nothing, for `resolve/helm` to render from its file's text. Its
//! comments are YAML's `#` lines and the template's own `{{/* … */}}`, so a
//! `doublecheck:ignore` can sit in either.

use super::comments::{Comment, comment};
use super::{FileFormat, Format, ParseError, ParsedDocument};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable};

struct TemplateText;

impl Format {
    pub const TEMPLATE_TEXT: Format = Format::new(&TemplateText);
}

impl FileFormat for TemplateText {
    fn name(&self) -> &'static str {
        "template"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        let mut spans = SpanTable::default();
        spans.insert(
            String::new(),
            NodeSpans {
                key: None,
                value: Span::new(0, source.text.len()),
            },
        );
        Ok(vec![ParsedDocument::new(serde_json::Value::Null, spans)])
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        let mut out = Vec::new();
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            out.extend(line_comment(line, line_start));
            line_start += line.len();
        }
        let mut at = 0;
        while let Some(open) = text[at..].find("/*").map(|i| at + i) {
            let Some(close) = text[open + 2..].find("*/").map(|i| open + 2 + i) else {
                break;
            };
            // The comment is the whole action (`{{- /* … */ -}}`), so one on a line of its
            // own applies to the line below, as a `#` comment does.
            let before = text[..open].trim_end_matches([' ', '-']);
            if before.ends_with("{{") {
                let after = &text[close + 2..];
                let tail = after.len() - after.trim_start_matches([' ', '-']).len();
                let end = if after[tail..].starts_with("}}") {
                    close + 2 + tail + 2
                } else {
                    close + 2
                };
                out.push(comment(before.len() - 2, open + 2, close, end));
            }
            at = close + 2;
        }
        out.sort_by_key(|c| c.span.start);
        out
    }
}

/// A `#` comment of one line: a `#` at the line's start or after a space, outside quotes and
/// template actions.
fn line_comment(line: &str, offset: usize) -> Option<Comment> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut in_action = false;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'{') if bytes.get(i + 1) == Some(&b'{') => in_action = true,
            (None, b'}') if bytes.get(i + 1) == Some(&b'}') => in_action = false,
            (None, b'"' | b'\'') if !in_action => quote = Some(b),
            (None, b'#') if !in_action && (i == 0 || bytes[i - 1].is_ascii_whitespace()) => {
                let end = line.trim_end_matches(['\n', '\r']).len();
                return Some(comment(
                    offset + i,
                    offset + i + 1,
                    offset + end,
                    offset + end,
                ));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_template_comments() {
        let text = "a: \"#x\" # one\n{{/* two */}}\nb: {{ .x }} #three\n";
        let found: Vec<&str> = TemplateText
            .comments(text, &[])
            .iter()
            .map(|c| &text[c.body.start..c.body.end])
            .collect();
        assert_eq!(found, [" one", " two ", "three"]);
    }
}
