//! Quoted scalars whose continuation lines are not indented past their parent, as
//! `kubectl get -o yaml` and other Go tools write long strings:
//!
//! ```yaml
//!   description: "a long text that
//!   goes on here"
//! ```
//!
//! YAML 1.2 wants those lines indented past the key; PyYAML, Go's yaml and so kubectl and
//! Helm read them anyway, and saphyr refuses them ("invalid indentation in quoted scalar").
//! The lines' leading spaces are folded away, so indenting them changes no value: the file
//! is parsed again with each such line indented to the opening quote's column, and every
//! span is mapped back to the file as written.

use crate::document::Span;
use crate::parse::{ParseError, ParsedDocument};

/// What saphyr says about such a scalar.
pub(super) const UNDER_INDENTED: &str = "invalid indentation in quoted scalar";

/// What saphyr says of a flow collection's line that is not indented past its parent (a
/// closing `]` under its key, as Helm charts' values files write it). Spaces in a flow
/// collection mean nothing, so that line is indented too.
const UNDER_INDENTED_FLOW: &str = "invalid indentation";

fn repairable(error: &ParseError) -> bool {
    error.message == UNDER_INDENTED || error.message == UNDER_INDENTED_FLOW
}

/// Repairs tried on one file before its error stands.
const MAX_REPAIRS: usize = 1_000;

/// Spaces inserted into the text: at each byte offset of the repaired text, how many.
#[derive(Debug, Default)]
pub(super) struct Insertions(Vec<(usize, usize)>);

impl Insertions {
    fn insert(&mut self, at: usize, count: usize) {
        for (offset, _) in &mut self.0 {
            if *offset >= at {
                *offset += count;
            }
        }
        self.0.push((at, count));
        self.0.sort_unstable();
    }

    /// The offset in the file as written of `offset` in the repaired text (an inserted space
    /// maps to where it was inserted).
    fn original(&self, offset: usize) -> usize {
        let mut shift = 0;
        for &(at, count) in &self.0 {
            if offset >= at + count {
                shift += count;
            } else if offset >= at {
                return at - shift;
            } else {
                break;
            }
        }
        offset - shift
    }

    fn span(&self, span: Span) -> Span {
        Span::new(self.original(span.start), self.original(span.end))
    }

    /// Every span of the documents, mapped back to the file as written.
    pub(super) fn map_back(&self, documents: &mut [ParsedDocument]) {
        for document in documents {
            document.spans.map_spans(|span| self.span(span));
            for tag in &mut document.tags {
                tag.span = self.span(tag.span);
                tag.content = self.span(tag.content);
            }
        }
    }
}

/// Parses `text` with `parse`, repairing under-indented quoted scalars as saphyr reports
/// them; the first error that is not about one (or a repair that does not help) stands.
pub(super) fn parse_repairing(
    text: &str,
    parse: impl Fn(&str) -> Result<Vec<ParsedDocument>, ParseError>,
) -> Result<Vec<ParsedDocument>, ParseError> {
    let first = match parse(text) {
        Err(error) if repairable(&error) => error,
        done => return done,
    };
    let mut repaired = text.to_owned();
    let mut insertions = Insertions::default();
    let mut error = first.clone();
    for _ in 0..MAX_REPAIRS {
        let reindented = if error.message == UNDER_INDENTED {
            reindent(&mut repaired, error.span.start, &mut insertions)
        } else {
            reindent_flow_line(&mut repaired, error.span.start, &mut insertions)
        };
        if !reindented {
            break;
        }
        match parse(&repaired) {
            Ok(mut documents) => {
                insertions.map_back(&mut documents);
                return Ok(documents);
            }
            Err(next) if repairable(&next) && next.span != error.span => {
                error = next;
            }
            Err(_) => break,
        }
    }
    Err(first)
}

/// Indents the continuation lines of the quoted scalar that opens at `at` (or, when saphyr
/// points inside it, the nearest quote before) to the opening quote's column. False when
/// there is no such scalar or nothing to indent.
fn reindent(text: &mut String, at: usize, insertions: &mut Insertions) -> bool {
    let mut end = (at + 1).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let Some(open) = text[..end].rfind(['"', '\'']) else {
        return false;
    };
    let quote = text.as_bytes()[open];
    let line_start = text[..open].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..open].chars().count();
    let mut changed = false;
    let mut cursor = open;
    loop {
        let close = closing_quote(text.as_bytes(), open, quote);
        let Some(newline) = text[cursor..close].find('\n') else {
            break;
        };
        let start = cursor + newline + 1;
        let indent = text[start..].bytes().take_while(|b| *b == b' ').count();
        let rest = &text[start + indent..];
        let blank = rest.is_empty() || rest.starts_with(['\n', '\r']);
        cursor = start;
        if !blank && indent < column {
            let count = column - indent;
            text.insert_str(start, &" ".repeat(count));
            insertions.insert(start, count);
            changed = true;
            cursor = start + count;
        }
    }
    changed
}

/// Indents the line at `at`, inside a flow collection (`[`/`{` opened on an earlier line and
/// not closed), one column past the line that opened it. False when it is not in one or is
/// indented enough.
fn reindent_flow_line(text: &mut String, at: usize, insertions: &mut Insertions) -> bool {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut depth = 0usize;
    let mut opener = None;
    for (i, b) in text.as_bytes()[..line_start].iter().enumerate().rev() {
        match b {
            b']' | b'}' => depth += 1,
            b'[' | b'{' if depth == 0 => {
                opener = Some(i);
                break;
            }
            b'[' | b'{' => depth -= 1,
            _ => {}
        }
    }
    let Some(opener) = opener else {
        return false;
    };
    let opener_line = text[..opener].rfind('\n').map_or(0, |i| i + 1);
    let wanted = text[opener_line..]
        .bytes()
        .take_while(|b| *b == b' ')
        .count()
        + 1;
    let indent = text[line_start..]
        .bytes()
        .take_while(|b| *b == b' ')
        .count();
    if indent >= wanted {
        return false;
    }
    text.insert_str(line_start, &" ".repeat(wanted - indent));
    insertions.insert(line_start, wanted - indent);
    true
}

/// The offset of the quote that closes the scalar opened at `open` (or the text's end).
fn closing_quote(bytes: &[u8], open: usize, quote: u8) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_across_insertions() {
        let mut insertions = Insertions::default();
        insertions.insert(10, 2);
        insertions.insert(20, 3);
        assert_eq!(insertions.original(5), 5);
        assert_eq!(insertions.original(10), 10);
        assert_eq!(insertions.original(11), 10);
        assert_eq!(insertions.original(12), 10);
        assert_eq!(insertions.original(19), 17);
        assert_eq!(insertions.original(21), 18);
        assert_eq!(insertions.original(23), 18);
        assert_eq!(insertions.original(30), 25);
    }

    #[test]
    fn continuation_lines_are_indented_to_the_quote() {
        let mut text = "a:\n  c: \"one\n  two\n\n  three\"\n  d: 1\n".to_owned();
        let mut insertions = Insertions::default();
        assert!(reindent(&mut text, 8, &mut insertions));
        assert_eq!(text, "a:\n  c: \"one\n     two\n\n     three\"\n  d: 1\n");
        assert_eq!(insertions.0, vec![(13, 3), (23, 3)]);
    }

    #[test]
    fn a_flow_collection_closed_under_its_key_is_read() {
        let text = "vault:\n  args: [\n    \"server\",\n    \"-dev\"\n  ]\n  env: 1\n";
        let source = crate::document::SourceFile::new("values.yaml", text.to_owned());
        let documents = crate::parse::parse(crate::parse::Format::YAML, &source).expect("parses");
        assert_eq!(
            documents[0].value,
            serde_json::json!({"vault": {"args": ["server", "-dev"], "env": 1}})
        );
        let env = documents[0].spans.get("/vault/env").expect("located").value;
        assert_eq!(&text[env.start..env.end], "1");
    }
}
