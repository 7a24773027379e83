//! Where substituted values came from ([`Origin`]s the resolvers leave) and where findings
//! about them land: part of the [`FactIndex`] a batch's evaluation asks.

use super::FactIndex;
use crate::document::Evidence;
use crate::resolve::{Landing, Origin};

impl FactIndex {
    pub fn add_origins(&mut self, origins: impl IntoIterator<Item = Origin>) {
        for origin in origins {
            self.origins
                .entry(origin.document)
                .or_default()
                .push(origin);
        }
    }

    /// Where the value at `pointer` (or the value of one of its ancestors) was defined, when
    /// it was substituted from another place.
    pub fn origins(&self, document: usize, pointer: &str) -> impl Iterator<Item = &Evidence> {
        self.origins
            .get(&document)
            .into_iter()
            .flatten()
            .filter(move |o| is_self_or_ancestor(&o.pointer, pointer))
            .map(|o| &o.definition)
    }

    /// Where a finding about the value at `pointer` lands instead (see [`Origin::landing`]),
    /// when it was substituted from such a place. A landing that was itself substituted
    /// (a module argument passing the caller's variable) is followed to where that lands.
    pub fn landing(&self, document: usize, pointer: &str) -> Option<Landing> {
        let mut landing = self.landing_once(document, pointer)?;
        // A chain longer than any configuration writes is a cycle (never built by the
        // resolvers, but bounded all the same).
        for _ in 0..MAX_LANDING_CHAIN {
            match self.landing_once(landing.document, &landing.pointer) {
                Some(next) if next != landing => landing = next,
                _ => break,
            }
        }
        Some(landing)
    }

    /// Whether a finding about a value of `document` may land in a document for which
    /// `wanted` holds (a scan of part of a repository evaluates the files it only reads for
    /// their facts when a finding about them lands in a file it names).
    pub fn lands_in(&self, document: usize, wanted: &dyn Fn(usize) -> bool) -> bool {
        (self.origins.get(&document).into_iter().flatten())
            .filter(|o| o.landing.is_some())
            .filter_map(|o| self.landing(document, &o.pointer))
            .any(|landing| wanted(landing.document))
    }

    fn landing_once(&self, document: usize, pointer: &str) -> Option<Landing> {
        self.origins.get(&document)?.iter().find_map(|o| {
            let rest = pointer.strip_prefix(o.pointer.as_str())?;
            let inside = rest.is_empty() || rest.starts_with('/');
            let landing = o.landing.as_ref().filter(|_| inside)?;
            Some(Landing {
                document: landing.document,
                pointer: format!("{}{rest}", landing.pointer),
            })
        })
    }
}

/// How many landings [`FactIndex::landing`] follows from one value.
const MAX_LANDING_CHAIN: usize = 16;

fn is_self_or_ancestor(ancestor: &str, pointer: &str) -> bool {
    pointer
        .strip_prefix(ancestor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}
