//! YAML through `saphyr-parser`'s event stream, which carries a span on every scalar and
//! collection. Building the tree ourselves keeps three guarantees the loaders lack:
//! a span for every node, a bound on alias expansion ("billion laughs"), and duplicate keys
//! reported as errors instead of silently overwritten. Local tags (`!Ref`) are noted on the
//! document ([`LocalTag`](super::LocalTag)), not interpreted: what they mean is for the step
//! that knows the file's kind.

mod anchors;
mod builder;
mod lenient;
mod offsets;
mod tags;

use saphyr_parser::Parser;

use super::{ParseError, ParsedDocument};
use crate::document::{SourceFile, Span};
use crate::parse::comments::{Comment, Strings, outside_strings};
use crate::parse::{FileFormat, Format};
use builder::Builder;

/// A YAML stream may not expand aliases to more nodes than this (a "billion laughs" guard).
pub const MAX_ALIAS_NODES: usize = 1_000_000;

pub fn parse(source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
    lenient::parse_repairing(&source.text, parse_text)
}

fn parse_text(text: &str) -> Result<Vec<ParsedDocument>, ParseError> {
    let mut builder = Builder::new(text);
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let at = builder.offsets.byte(e.marker().index());
            ParseError::new(e.info().to_owned(), Span::new(at, at + 1))
        })?;
        builder.on_event(event, span)?;
    }
    Ok(builder.documents)
}

/// YAML (the YAML parser's spans: `#` outside every scalar and key).
struct Yaml;

impl Format {
    pub const YAML: Format = Format::new(&Yaml);
}

impl FileFormat for Yaml {
    fn name(&self) -> &'static str {
        "YAML"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse(source)
    }

    fn comments(&self, text: &str, parsed: &[ParsedDocument]) -> Vec<Comment> {
        outside_strings(text, &Strings::of(text, parsed, true), false)
    }
}

#[cfg(test)]
mod tests;
