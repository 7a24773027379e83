//! Evidence: a node, possibly in another document, that shows why something holds.

/// Why a fact holds: a node, possibly in another document, shown as a related location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Index of the document in the scan's document list.
    pub document: usize,
    pub pointer: String,
    pub message: String,
}

impl Evidence {
    /// Evidence at the node at `pointer` of document `document`.
    pub fn at(document: usize, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Evidence {
            document,
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}
