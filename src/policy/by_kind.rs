//! The policies that apply to each document kind, matched once per kind a scan meets.
//!
//! Testing every policy's kind patterns against every document compared strings tens of
//! millions of times on a large tree (over a hundred policies, most documents of a handful
//! of kinds); the answer only depends on the kind.

use std::sync::{Arc, RwLock};

use foldhash::HashMap;

use super::Policy;
use crate::document::Kind;

/// Which of a set's policies apply to each kind met so far, by position in the set.
#[derive(Debug, Default)]
pub(super) struct KindIndex(RwLock<HashMap<String, Arc<[usize]>>>);

impl KindIndex {
    /// The positions in `policies` of those that apply to `kind`, in order.
    pub(super) fn applying_to(&self, policies: &[Arc<Policy>], kind: &Kind) -> Arc<[usize]> {
        // A poisoned lock (a panic elsewhere while it was held) only loses the cache.
        let known = self
            .0
            .read()
            .ok()
            .and_then(|map| map.get(kind.as_str()).cloned());
        if let Some(known) = known {
            return known;
        }
        let matched: Arc<[usize]> = (0..policies.len())
            .filter(|&i| policies[i].applies_to(kind))
            .collect();
        if let Ok(mut map) = self.0.write() {
            map.insert(kind.as_str().to_owned(), Arc::clone(&matched));
        }
        matched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{PolicySet, load_builtin};

    #[test]
    fn the_policies_of_a_kind_are_those_whose_patterns_match_it_asked_once_or_again() {
        let policies = load_builtin().expect("built-in policies load");
        let set = PolicySet::of(policies.into_iter().map(Arc::new).collect());
        for kind in [
            "kubernetes/Deployment",
            "salesforce/Profile",
            "terraform/config",
            "github/settings",
            "nothing/known",
        ] {
            let kind = Kind::new(kind);
            let expected: Vec<usize> = (0..set.policies.len())
                .filter(|&i| set.policies[i].applies_to(&kind))
                .collect();
            assert_eq!(&*set.applying_to(&kind), expected.as_slice(), "{kind:?}");
            assert_eq!(&*set.applying_to(&kind), expected.as_slice(), "{kind:?}");
        }
        assert!(
            !set.applying_to(&Kind::new("kubernetes/Deployment"))
                .is_empty()
        );
        assert!(set.applying_to(&Kind::new("nothing/known")).is_empty());
    }
}
