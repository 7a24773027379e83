//! What a document is: the tag detection gives it and policies select by.

use std::fmt;

use serde::Serialize;

/// What a document is, named `<family>/<type>`: `salesforce/Profile`,
/// `github/settings`, `kubernetes/Deployment`. Policies select documents by kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Kind(pub String);

impl Kind {
    pub fn new(kind: impl Into<String>) -> Self {
        Kind(kind.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
