//! Evaluates documents against the policies that apply to their kind, in parallel (see
//! [`crate::workers`]), and resolves every violation to an exact location. A grouped
//! policy's violations become one finding per group (see [`crate::policy::Grouping`]).

mod group;

use foldhash::HashMap;
use std::ops::Range;
use std::time::Instant;

use serde_json::Value;

use crate::document::Evidence;
use crate::document::Location;
use crate::document::{Document, Span, last_key};
use crate::facts::{FactIndex, Scope};
use crate::finding::{Finding, Related, Severity, fingerprint, identity_path};
use crate::policy::{GroupValues, MessageContext, Policy, PolicySet, Selections, render_message};
use crate::resolve::Landing;
use crate::workers::Workers;

/// Evaluates `documents[evaluated]`; the others are there for their facts' evidence.
pub fn evaluate(
    documents: &[&Document],
    evaluated: Range<usize>,
    policies: &PolicySet,
    facts: &FactIndex,
    workers: Workers,
) -> Vec<Finding> {
    let start = evaluated.start;
    workers.flat_map(&documents[evaluated], |(offset, document)| {
        let index = start + offset;
        // Policies that select the same nodes (every container of every pod spec) share one
        // walk of the document.
        let mut selections = Selections::default();
        let mut findings = Vec::new();
        let measured = policies.measures_costs();
        for &at in policies.applying_to(&document.kind).iter() {
            let policy = &policies.policies[at];
            let severity = policies.severity(policy);
            let started = measured.then(Instant::now);
            let found = check(
                policy,
                severity,
                index,
                document,
                documents,
                facts,
                &mut selections,
            );
            // A selection shared with an earlier policy is paid by the policy that made it.
            if let Some(started) = started {
                policy.add_cost(started.elapsed(), found.len());
            }
            findings.extend(found);
        }
        findings
    })
}

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
    pub landing: Option<Landing>,
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
    /// The batch's documents, where a finding may land (see [`Failure::landing`]).
    pub documents: &'a [&'a Document],
    /// Evidence of the document's facts.
    pub related: Vec<Related>,
}

impl<'a> Checked<'a> {
    fn message(&self, failure: &Failure<'_>) -> String {
        match &self.policy.spec().message {
            Some(template) => failure.message(template, None),
            None => format!("{}: {}", self.policy.spec().title, failure.detail),
        }
    }

    fn finding(&self, failure: &Failure<'_>, message: String, related: Vec<Related>) -> Finding {
        // A landed finding is identified by where it lands, so that a use added later is
        // no new finding.
        let (document, pointer) = self.located(failure);
        let identity = identity_path(document, pointer);
        self.finding_in(document, failure, message, related, identity)
    }

    /// A finding at `failure` whose fingerprint is made from `identity`, in the evaluated
    /// document.
    fn finding_with(
        &self,
        failure: &Failure<'_>,
        message: String,
        related: Vec<Related>,
        identity: String,
    ) -> Finding {
        self.finding_in(self.document, failure, message, related, identity)
    }

    /// The document and pointer where `failure` is shown: where it lands, or where it is.
    fn located<'f>(&self, failure: &'f Failure<'_>) -> (&'a Document, &'f str) {
        match &failure.landing {
            Some(landing) => (self.documents[landing.document], &landing.pointer),
            None => (self.document, &failure.pointer),
        }
    }

    /// Where `failure` is shown, as a location.
    fn location(&self, failure: &Failure<'_>) -> Location {
        Location::new(&self.located(failure).0.source, failure.span)
    }

    /// A finding at `failure`, its fingerprint made from `identity` in `identified`.
    fn finding_in(
        &self,
        identified: &Document,
        failure: &Failure<'_>,
        message: String,
        related: Vec<Related>,
        identity: String,
    ) -> Finding {
        Finding {
            rule: self.policy.id().to_owned(),
            severity: self.severity,
            message,
            location: self.location(failure),
            fingerprint: fingerprint(&[
                self.policy.id(),
                &identified.source.path,
                &identified.index_in_file.to_string(),
                &identity,
            ]),
            locator: identity,
            suppression: None,
            baseline_state: None,
            pointer: Some(self.located(failure).1.to_owned()),
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
    for fact in &policy.spec().facts {
        match crate::facts::info(fact).map(|f| f.scope) {
            Some(Scope::Node) => node_facts.push(fact.as_str()),
            _ => match facts.get(index, fact) {
                Some(evidence) => related.extend(related_of(evidence)),
                None => return Vec::new(),
            },
        }
    }
    // A node fact that holds for no node of the document leaves every node out: nothing to
    // select.
    if !(node_facts.iter()).all(|fact| facts.has_node_fact(index, fact)) {
        return Vec::new();
    }
    if !policy.when_matches(&document.value) {
        return Vec::new();
    }
    let mut failures = Vec::new();
    let selected = policy.select(&document.value, selections);
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
            // (A landing outside the documents given would be a resolver's mistake: the
            // finding stays where it is.)
            let landing = (facts.landing(index, &pointer))
                .filter(|landing| landing.document < documents.len());
            let span = match &landing {
                Some(landing) => documents[landing.document].focus_span(&landing.pointer),
                None => document.focus_span(&pointer),
            };
            failures.push(Failure {
                // An array element is named by its array (`security_ips`, not `0`); a
                // missing property by its name.
                failed_key: (violation.missing.clone()).or_else(|| last_key(&violation.pointer)),
                span,
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
        documents,
        related,
    };
    match &policy.spec().group {
        Some(grouping) => group::findings(&checked, grouping, failures),
        None => (failures.iter())
            .map(|failure| {
                let related = failure.related(&checked.related);
                checked.finding(failure, checked.message(failure), related)
            })
            .collect(),
    }
}

/// `findings` with those of the same fingerprint made one, in the order of the first: a
/// value set once and failing the same policy through several uses (a CloudFormation
/// parameter's `Default`, a variable's default in `variables.tf` used by resources in two
/// files: each finding lands there, see [`crate::resolve::Origin::landing`]) is one
/// problem, shown once with every use related.
pub fn one_per_fingerprint(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<(Finding, usize)> = Vec::with_capacity(findings.len());
    let mut by_fingerprint: HashMap<String, usize> = HashMap::default();
    for finding in findings {
        match by_fingerprint.get(&finding.fingerprint) {
            Some(&at) => {
                let (first, uses) = &mut out[at];
                *uses += 1;
                for related in finding.related {
                    if !first.related.contains(&related) {
                        first.related.push(related);
                    }
                }
            }
            None => {
                by_fingerprint.insert(finding.fingerprint.clone(), out.len());
                out.push((finding, 1));
            }
        }
    }
    (out.into_iter())
        .map(|(mut finding, uses)| {
            if uses > 1 {
                finding.message = format!(
                    "{} (set here for {uses} uses, each a related location)",
                    finding.message
                );
            }
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Position;

    fn finding(path: &str, line: usize, fingerprint: &str, used_at: usize) -> Finding {
        let at = |path: &str, line| Location {
            path: path.to_owned(),
            start: Position {
                line,
                column: 1,
                byte: 0,
            },
            end: Position {
                line,
                column: 2,
                byte: 1,
            },
        };
        Finding {
            rule: "TF-PUBLIC-001".into(),
            severity: Severity::Error,
            message: format!("bucket {used_at} is public"),
            location: at(path, line),
            fingerprint: fingerprint.into(),
            locator: String::new(),
            suppression: None,
            baseline_state: None,
            pointer: None,
            related: vec![Related {
                location: at("main.tf", used_at),
                message: "used here".into(),
            }],
        }
    }

    #[test]
    fn findings_of_one_fingerprint_are_one_with_every_use_related() {
        let merged = one_per_fingerprint(vec![
            finding("variables.tf", 3, "a", 10),
            finding("other.tf", 1, "b", 20),
            finding("variables.tf", 3, "a", 30),
            finding("variables.tf", 3, "a", 40),
        ]);
        assert_eq!(merged.len(), 2);
        assert_eq!(
            merged[0].message,
            "bucket 10 is public (set here for 3 uses, each a related location)"
        );
        let lines: Vec<usize> = (merged[0].related.iter())
            .map(|r| r.location.start.line)
            .collect();
        assert_eq!(lines, [10, 30, 40]);
        assert_eq!(merged[1].message, "bucket 20 is public");
    }
}
