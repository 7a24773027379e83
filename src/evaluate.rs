//! Evaluates documents against the policies that apply to their kind, in parallel, and
//! resolves every violation to an exact location. A grouped policy's violations become one
//! finding per group (see [`crate::policy::Grouping`]).

mod group;

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;
use serde_json::Value;

use crate::document::Evidence;
use crate::document::Location;
use crate::document::{Document, Span, last_key};
use crate::facts::{FactIndex, Scope};
use crate::finding::{Finding, Related, Severity, fingerprint, identity_path};
use crate::policy::{GroupValues, MessageContext, Policy, PolicySet, render_message};

/// Evaluates `documents[evaluated]`; the others are there for their facts' evidence.
pub fn evaluate(
    documents: &[&Document],
    evaluated: Range<usize>,
    policies: &PolicySet,
    facts: &FactIndex,
) -> Vec<Finding> {
    let start = evaluated.start;
    documents[evaluated]
        .par_iter()
        .enumerate()
        .map(|(offset, document)| (start + offset, *document))
        .flat_map_iter(|(index, document)| {
            // Policies that select the same nodes (every container of every pod spec) share
            // one walk of the document.
            let mut selections = Selections::default();
            let mut findings = Vec::new();
            for policy in policies
                .policies
                .iter()
                .filter(|p| p.applies_to(&document.kind))
            {
                let severity = policies.severity(policy);
                findings.extend(check(
                    policy,
                    severity,
                    index,
                    document,
                    documents,
                    facts,
                    &mut selections,
                ));
            }
            findings
        })
        .collect()
}

/// The nodes each `select` expression picked in one document, by its text.
type Selections<'p, 'd> = HashMap<&'p str, Vec<(String, &'d Value)>>;

/// One failing value of a selected node.
pub(crate) struct Failure<'a> {
    pub node_pointer: String,
    pub node: &'a Value,
    /// The failing value's pointer in the document.
    pub pointer: String,
    pub failed_key: Option<String>,
    pub detail: String,
    pub span: Span,
    /// Where substituted values were defined, as related locations.
    pub origins: Vec<Related>,
    /// Evidence of the node's facts.
    pub node_related: Vec<Related>,
    /// Where the finding lands when the value was set once for several uses (see
    /// [`crate::resolve::Origin::landing`]); `span` is there.
    pub landing: Option<String>,
}

impl Failure<'_> {
    /// Every related location of a finding at this failure, in the order shown: where
    /// values came from, why the document is concerned, why the node is.
    fn related(&self, document: &[Related]) -> Vec<Related> {
        let mut all: Vec<Related> = Vec::new();
        for related in self
            .origins
            .iter()
            .chain(document)
            .chain(&self.node_related)
        {
            if !all.contains(related) {
                all.push(related.clone());
            }
        }
        all
    }
}

impl Failure<'_> {
    fn message(&self, template: &str, group: Option<&GroupValues>) -> String {
        self.message_naming(template, group, self.failed_key.as_deref())
    }

    /// The message with `{failed-key}` standing for `failed_key` (a grouped node's keys).
    fn message_naming(
        &self,
        template: &str,
        group: Option<&GroupValues>,
        failed_key: Option<&str>,
    ) -> String {
        let context = MessageContext {
            node: Some(self.node),
            node_pointer: &self.node_pointer,
            failed_key,
            failed_value: self.node.pointer(&self.pointer[self.node_pointer.len()..]),
            reason: &self.detail,
            group,
        };
        render_message(template, &context)
    }
}

/// What every finding of one policy on one document shares.
pub(crate) struct Checked<'a> {
    pub policy: &'a Policy,
    /// The policy's severity in this run (see [`PolicySet::severity`]).
    pub severity: Severity,
    pub document: &'a Document,
    /// Evidence of the document's facts.
    pub related: Vec<Related>,
}

impl Checked<'_> {
    fn message(&self, failure: &Failure<'_>) -> String {
        match &self.policy.spec.message {
            Some(template) => failure.message(template, None),
            None => format!("{}: {}", self.policy.spec.title, failure.detail),
        }
    }

    fn finding(&self, failure: &Failure<'_>, message: String, related: Vec<Related>) -> Finding {
        let identity = identity_path(self.document, &failure.pointer);
        self.finding_with(failure, message, related, identity)
    }

    /// A finding at `failure` whose fingerprint is made from `identity`.
    fn finding_with(
        &self,
        failure: &Failure<'_>,
        message: String,
        related: Vec<Related>,
        identity: String,
    ) -> Finding {
        let document = self.document;
        Finding {
            rule: self.policy.id().to_owned(),
            severity: self.severity,
            message,
            location: Location::new(&document.source, failure.span),
            fingerprint: fingerprint(&[
                self.policy.id(),
                &document.source.path,
                &document.index_in_file.to_string(),
                &identity,
            ]),
            locator: identity,
            suppression: None,
            baseline_state: None,
            pointer: Some(failure.pointer.clone()),
            related,
        }
    }
}

fn check<'p, 'd>(
    policy: &'p Policy,
    severity: Severity,
    index: usize,
    document: &'d Document,
    documents: &[&Document],
    facts: &FactIndex,
    selections: &mut Selections<'p, 'd>,
) -> Vec<Finding> {
    let related_of = |evidence: &[Evidence]| -> Vec<Related> {
        evidence
            .iter()
            .filter_map(|e| {
                let source_doc = documents.get(e.document)?;
                let (start, end) = source_doc.focus_positions(&e.pointer);
                Some(Related {
                    location: Location {
                        path: source_doc.source.path.clone(),
                        start,
                        end,
                    },
                    message: e.message.clone(),
                })
            })
            .collect()
    };
    let mut related = Vec::new();
    let mut node_facts = Vec::new();
    for fact in &policy.spec.facts {
        match crate::facts::info(fact).map(|f| f.scope) {
            Some(Scope::Node) => node_facts.push(fact.as_str()),
            _ => match facts.get(index, fact) {
                Some(evidence) => related.extend(related_of(evidence)),
                None => return Vec::new(),
            },
        }
    }
    if !policy.when_matches(&document.value) {
        return Vec::new();
    }
    let mut failures = Vec::new();
    let selected = selections
        .entry(policy.spec.select.as_deref().unwrap_or(""))
        .or_insert_with(|| policy.select(&document.value));
    'nodes: for (node_pointer, node) in selected.iter().map(|(p, n)| (p.clone(), *n)) {
        let mut node_evidence: Vec<&[Evidence]> = Vec::new();
        for fact in &node_facts {
            match facts.get_node(index, &node_pointer, fact) {
                Some(evidence) => node_evidence.push(evidence),
                None => continue 'nodes,
            }
        }
        let violations = policy.violations(node);
        if violations.is_empty() {
            continue;
        }
        // Only nodes that fail get findings: their evidence is located then, not for every
        // selected node (locating is most of the cost when a fact holds for every node).
        let node_related: Vec<Related> = node_evidence.into_iter().flat_map(&related_of).collect();
        for violation in violations {
            let pointer = format!("{node_pointer}{}", violation.pointer);
            let origins: Vec<Evidence> = facts.origins(index, &pointer).cloned().collect();
            let landing = facts.landing(index, &pointer);
            failures.push(Failure {
                // An array element is named by its array (`security_ips`, not `0`).
                failed_key: last_key(&violation.pointer),
                span: document.focus_span(landing.as_deref().unwrap_or(&pointer)),
                landing,
                origins: related_of(&origins),
                node_related: node_related.clone(),
                node_pointer: node_pointer.clone(),
                node,
                pointer,
                detail: violation.detail,
            });
        }
    }
    let checked = Checked {
        policy,
        severity,
        document,
        related,
    };
    match &policy.spec.group {
        Some(grouping) => group::findings(&checked, grouping, failures),
        None => one_per_landing(failures)
            .into_iter()
            .map(|members| {
                let failure = &members[0];
                let mut related = failure.related(&checked.related);
                for other in &members[1..] {
                    for evidence in other.related(&checked.related) {
                        if !related.contains(&evidence) {
                            related.push(evidence);
                        }
                    }
                }
                match &failure.landing {
                    // Identified by where it lands, so that a use added later is no new
                    // finding.
                    Some(landing) => {
                        let identity = identity_path(document, landing);
                        checked.finding_with(failure, checked.message(failure), related, identity)
                    }
                    None => checked.finding(failure, checked.message(failure), related),
                }
            })
            .collect(),
    }
}

/// The failures, those that land at the same place (one value set for several uses) put
/// together, in the order of their first member.
fn one_per_landing(failures: Vec<Failure<'_>>) -> Vec<Vec<Failure<'_>>> {
    let mut out: Vec<Vec<Failure<'_>>> = Vec::with_capacity(failures.len());
    let mut by_landing: HashMap<String, usize> = HashMap::new();
    for failure in failures {
        let Some(landing) = failure.landing.clone() else {
            out.push(vec![failure]);
            continue;
        };
        match by_landing.get(&landing) {
            Some(&at) => out[at].push(failure),
            None => {
                by_landing.insert(landing, out.len());
                out.push(vec![failure]);
            }
        }
    }
    out
}
