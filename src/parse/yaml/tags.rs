//! Local tags (`!Name`): noted on their node for whoever knows what they mean, with where the
//! tag and the node's content are written.

use saphyr_parser::Tag;

use crate::document::Span;
use crate::parse::LocalTag;

/// A node's local tag while the tree is built; its pointer is the node's, known at the end.
#[derive(Debug, Clone)]
pub(super) struct Noted {
    pub(super) name: String,
    pub(super) span: Span,
    pub(super) content: Span,
    pub(super) text: Option<String>,
}

impl Noted {
    /// The local tag of the node that starts at `span` in `text`, if `tag` is one. A
    /// collection's content ends with it (`content.end` is set then); a scalar's `text`.
    pub(super) fn of(
        tag: Option<&Tag>,
        text: &str,
        span: Span,
        scalar: Option<&str>,
    ) -> Option<Self> {
        let tag = tag.filter(|tag| tag.handle == "!")?;
        let (at, content_start) = properties(text, span);
        Some(Noted {
            name: tag.suffix.clone(),
            span: at,
            content: Span::new(content_start.min(span.end), span.end),
            text: scalar.map(str::to_owned),
        })
    }

    pub(super) fn at(self, pointer: String) -> LocalTag {
        LocalTag {
            pointer,
            name: self.name,
            span: self.span,
            content: self.content,
            text: self.text,
        }
    }
}

/// The span of the tag among a node's properties (`&anchor !Tag`, in either order) and
/// where the node's content starts, past the properties, spaces and comments.
fn properties(text: &str, span: Span) -> (Span, usize) {
    let bytes = text.as_bytes();
    let end = span.end.min(bytes.len());
    let mut at = span.start.min(end);
    let mut tag = Span::new(at, at);
    let mut found_tag = false;
    loop {
        // Spaces, line breaks and comments between properties and content.
        while at < end {
            match bytes[at] {
                b' ' | b'\t' | b'\r' | b'\n' => at += 1,
                b'#' => {
                    while at < end && bytes[at] != b'\n' {
                        at += 1;
                    }
                }
                _ => break,
            }
        }
        if at >= end || !matches!(bytes[at], b'!' | b'&') {
            break;
        }
        let token_start = at;
        while at < end
            && !matches!(
                bytes[at],
                b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
            )
        {
            at += 1;
        }
        if bytes[token_start] == b'!' && !found_tag {
            tag = Span::new(token_start, at);
            found_tag = true;
        }
    }
    (tag, at)
}
