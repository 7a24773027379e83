//! A place in a file as users see it: path, and line and column of both ends.

use serde::Serialize;

use super::{Position, SourceFile, Span};

/// A span resolved to what users see.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub path: String,
    pub start: Position,
    pub end: Position,
}

impl Location {
    pub fn new(source: &SourceFile, span: Span) -> Self {
        Location {
            path: source.path.clone(),
            start: source.position(span.start),
            end: source.position(span.end.max(span.start)),
        }
    }
}

/// The folder of a file's shown path (`infra/main.tf` → `infra`; `""` at the top).
pub fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |at| &path[..at])
}
