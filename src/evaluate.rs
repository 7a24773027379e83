//! Evaluates documents against the policies that apply to their kind, in parallel, and
//! resolves every violation to an exact location.

use std::ops::Range;

use rayon::prelude::*;

use crate::document::{Document, last_key};
use crate::facts::{Evidence, FactIndex, Scope};
use crate::finding::{Finding, Location, Related, fingerprint, identity_path};
use crate::policy::{Policy, PolicySet, render_message};

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
            policies
                .policies
                .iter()
                .filter(|p| p.applies_to(&document.kind))
                .flat_map(move |policy| check(policy, index, document, documents, facts))
        })
        .collect()
}

fn check(
    policy: &Policy,
    index: usize,
    document: &Document,
    documents: &[&Document],
    facts: &FactIndex,
) -> Vec<Finding> {
    let related_of = |evidence: &[Evidence]| -> Vec<Related> {
        evidence
            .iter()
            .filter_map(|e| {
                let source_doc = documents.get(e.document)?;
                Some(Related {
                    location: Location::new(&source_doc.source, source_doc.focus_span(&e.pointer)),
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
    let mut findings = Vec::new();
    'nodes: for (node_pointer, node) in policy.select(&document.value) {
        // Only nodes that fail get findings: join the evidence then, not per selected node.
        let mut node_related = Vec::new();
        for fact in &node_facts {
            match facts.get_node(index, &node_pointer, fact) {
                Some(evidence) => node_related.extend(related_of(evidence)),
                None => continue 'nodes,
            }
        }
        for violation in policy.violations(node) {
            let pointer = format!("{node_pointer}{}", violation.pointer);
            // An array element is named by its array (`security_ips`, not `0`).
            let failed_key = last_key(&violation.pointer);
            let failed_value = node.pointer(&violation.pointer);
            let message = match &policy.spec.message {
                Some(template) => render_message(
                    template,
                    node,
                    &node_pointer,
                    failed_key.as_deref(),
                    failed_value,
                    &violation.detail,
                ),
                None => format!("{}: {}", policy.spec.title, violation.detail),
            };
            let span = document.focus_span(&pointer);
            let origins: Vec<Evidence> = facts.origins(index, &pointer).cloned().collect();
            let identity = identity_path(document, &pointer);
            findings.push(Finding {
                rule: policy.id().to_owned(),
                severity: policy.spec.severity,
                message,
                location: Location::new(&document.source, span),
                fingerprint: fingerprint(&[
                    policy.id(),
                    &document.source.path,
                    &document.index_in_file.to_string(),
                    &identity,
                ]),
                locator: identity,
                suppression: None,
                baseline_state: None,
                pointer: Some(pointer),
                related: related_of(&origins)
                    .into_iter()
                    .chain(related.iter().cloned())
                    .chain(node_related.iter().cloned())
                    .collect(),
            });
        }
    }
    findings
}
