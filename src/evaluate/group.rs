//! Grouped policies: one finding for every failing node a single fix resolves (the exposed
//! fields of one object, the system permissions of one profile), located at the first
//! failing value, with every other failing value as a related location. Its fingerprint is
//! the group's, so a field added to an exposed object does not make a new finding in a
//! pull request or against a baseline.

use std::collections::HashMap;

use crate::document::parent_pointer;
use crate::finding::{Finding, Related, identity_path};
use crate::policy::{GroupValues, Grouping};

use super::{Checked, Failure};

/// How many failing nodes `{items}` names before "and N more".
const ITEMS_NAMED: usize = 3;

pub(super) fn findings(
    checked: &Checked<'_>,
    grouping: &Grouping,
    failures: Vec<Failure<'_>>,
) -> Vec<Finding> {
    // Groups in the order their first failure appears in the document; a profile can fail
    // on thousands of fields, so members find their group by key, not by a scan.
    let mut groups: Vec<(String, Vec<Failure<'_>>)> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for failure in failures {
        let key = failure.message(&grouping.by, None);
        match by_key.get(&key) {
            Some(&at) => groups[at].1.push(failure),
            None => {
                by_key.insert(key.clone(), groups.len());
                groups.push((key, vec![failure]));
            }
        }
    }
    groups
        .into_iter()
        .map(|(key, mut members)| {
            members.sort_by_key(|f| (f.span.start, f.span.end));
            finding(checked, grouping, key, &members)
        })
        .collect()
}

/// The failing nodes of a group, each with its failing properties, in document order.
fn nodes<'g, 'a>(members: &'g [Failure<'a>]) -> Vec<(&'g Failure<'a>, Vec<&'g str>)> {
    let mut nodes: Vec<(&Failure<'_>, Vec<&str>)> = Vec::new();
    let mut by_pointer: HashMap<&str, usize> = HashMap::new();
    for failure in members {
        let key = failure.failed_key.as_deref().unwrap_or("value");
        match by_pointer.get(failure.node_pointer.as_str()) {
            Some(&at) => push_new(&mut nodes[at].1, key),
            None => {
                by_pointer.insert(&failure.node_pointer, nodes.len());
                nodes.push((failure, vec![key]));
            }
        }
    }
    nodes
}

fn push_new<'a>(list: &mut Vec<&'a str>, item: &'a str) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// `Email, Phone, Fax and 4 more`.
fn named(names: &[String]) -> String {
    let shown = names.len().min(ITEMS_NAMED);
    let mut text = names[..shown].join(", ");
    if names.len() > shown {
        text.push_str(&format!(" and {} more", names.len() - shown));
    }
    text
}

fn finding(
    checked: &Checked<'_>,
    grouping: &Grouping,
    key: String,
    members: &[Failure<'_>],
) -> Finding {
    let primary = &members[0];
    let nodes = nodes(members);
    let item_of = |failure: &Failure<'_>, keys: &str| {
        failure.message_naming(&grouping.item, None, Some(keys))
    };
    let items: Vec<String> = nodes
        .iter()
        .map(|(failure, keys)| item_of(failure, &keys.join(", ")))
        .collect();
    let mut failed_keys = Vec::new();
    for (_, keys) in &nodes {
        for key in keys {
            push_new(&mut failed_keys, key);
        }
    }
    let values = GroupValues {
        key: key.clone(),
        count: nodes.len(),
        items: named(&items),
        failed_keys: failed_keys.join(", "),
    };
    let message = match &checked.policy.spec().message {
        Some(template) => primary.message(template, Some(&values)),
        None => format!("{}: {}", checked.policy.spec().title, values.items),
    };

    // Why the document and each node are concerned first, then the other failing values.
    let mut related = primary.related(&checked.related);
    for failure in &members[1..] {
        for evidence in failure.origins.iter().chain(&failure.node_related) {
            if !related.contains(evidence) {
                related.push(evidence.clone());
            }
        }
    }
    for failure in &members[1..] {
        let label = failure.failed_key.as_deref().unwrap_or("value");
        related.push(Related {
            location: checked.location(failure),
            message: format!("also {}", item_of(failure, label)),
        });
    }

    // The group in words: the list the nodes are in, and the key (`/Profile/fieldPermissions/[group=Contact]`).
    let list = parent_pointer(&primary.node_pointer).unwrap_or("");
    let identity = format!("{}/[group={key}]", identity_path(checked.document, list));
    checked.finding_with(primary, message, related, identity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_items_and_counts_the_rest() {
        let names: Vec<String> = ["Email", "Phone", "Fax", "Mobile", "Street"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(named(&names[..1]), "Email");
        assert_eq!(named(&names[..3]), "Email, Phone, Fax");
        assert_eq!(named(&names), "Email, Phone, Fax and 2 more");
    }
}
