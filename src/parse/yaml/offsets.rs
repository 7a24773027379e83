//! The parser's character offsets as byte offsets.

use saphyr_parser::Span as YamlSpan;

use crate::document::Span;

/// Converts the parser's character offsets to byte offsets. Events arrive almost in order,
/// so a cursor makes the conversion linear overall.
pub(super) struct CharOffsets<'a> {
    pub(super) text: &'a str,
    ascii: bool,
    char_pos: usize,
    byte_pos: usize,
}

impl<'a> CharOffsets<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            ascii: text.is_ascii(),
            char_pos: 0,
            byte_pos: 0,
        }
    }

    pub(super) fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.char_pos {
            self.char_pos = 0;
            self.byte_pos = 0;
        }
        let mut chars = self.text[self.byte_pos..].chars();
        while self.char_pos < char_index {
            let Some(c) = chars.next() else { break };
            self.char_pos += 1;
            self.byte_pos += c.len_utf8();
        }
        self.byte_pos
    }

    pub(super) fn span(&mut self, span: &YamlSpan) -> Span {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        Span::new(start, end.max(start))
    }
}
