//! The registry of one run: the policies the configuration leaves on, each at its effective
//! severity. Built once per run, before anything is scanned, so every finding and every rule
//! description is made at the severity the configuration gives it (as zizmor's registry
//! does), instead of being rewritten afterwards.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Policy, PolicySet};
use crate::finding::{Severity, is_engine_rule};

/// What a run's configuration decides about each policy.
pub trait RuleChoices {
    /// Whether the policy `id` is switched off.
    fn is_disabled(&self, id: &str) -> bool;
    /// The severity the configuration gives `id`, when it gives one.
    fn severity_of(&self, id: &str) -> Option<Severity>;
}

impl PolicySet {
    /// The policies `choices` leaves on, each at the severity `choices` gives it. The
    /// engine's own rules are neither disabled nor given another severity.
    pub fn registry(&self, choices: &dyn RuleChoices) -> PolicySet {
        let on = |p: &&Arc<Policy>| is_engine_rule(p.id()) || !choices.is_disabled(p.id());
        let policies: Vec<Arc<Policy>> = self.policies.iter().filter(on).cloned().collect();
        let severities: BTreeMap<String, Severity> = policies
            .iter()
            .filter(|p| !is_engine_rule(p.id()))
            .filter_map(|p| Some((p.id().to_owned(), choices.severity_of(p.id())?)))
            .collect();
        PolicySet {
            policies,
            severities,
            measures_costs: self.measures_costs,
            by_kind: Default::default(),
        }
    }

    /// The severity `policy` reports at in this run.
    pub fn severity(&self, policy: &Policy) -> Severity {
        self.severities
            .get(policy.id())
            .copied()
            .unwrap_or(policy.spec().severity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::load_builtin;

    struct Choices;

    impl RuleChoices for Choices {
        fn is_disabled(&self, id: &str) -> bool {
            id.starts_with("K8S-")
        }
        fn severity_of(&self, id: &str) -> Option<Severity> {
            (id == "DECAP-001").then_some(Severity::Note)
        }
    }

    #[test]
    fn the_registry_drops_disabled_policies_and_carries_effective_severities() {
        let all = PolicySet::from_policies(load_builtin().expect("loads")).expect("compiles");
        let registry = all.registry(&Choices);
        assert!(
            registry
                .policies
                .iter()
                .all(|p| !p.id().starts_with("K8S-"))
        );
        assert!(registry.policies.len() < all.policies.len());
        let decap = registry.get("DECAP-001").expect("kept");
        assert_eq!(decap.spec().severity, Severity::Error, "as written");
        assert_eq!(registry.severity(decap), Severity::Note);
        let other = registry.get("DECAP-002").expect("kept");
        assert_eq!(registry.severity(other), other.spec().severity);
    }
}
