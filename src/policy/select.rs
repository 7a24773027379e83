//! What a policy's `select` picks in a document, and the walks that policies of one document
//! share.
//!
//! Most selections are a JSONPath query. Those that begin "every object that holds NAME, at
//! any depth" (`$..[?@.containers]`, the pod specs of a Kubernetes document) are split: the
//! objects holding NAME are found by one walk of the document that every such policy
//! shares, and the rest of the path is queried from each of them. A descendant filter run by
//! `serde_json_path` allocates at every node it passes, once per policy; nine Kubernetes
//! policies begin that way, and their walks were the costliest checks of a mixed tree.
//!
//! The split gives the nodes of the whole query in the same order, with the same
//! duplicates: a JSONPath applies its segments one after the other to a list of nodes, so
//! applying the rest to each holder in turn and joining the results is the same list. It is
//! only made when the rest does not name the root (`$`), which would be each holder there.

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::HashMap;
use foldhash::fast::FixedState;
use serde_json::Value;
use serde_json_path::JsonPath;

use super::locate::with_pointers;

/// A compiled `select`, with its text and the text's hash, for [`Selections`] to find the
/// nodes it picked in a document without hashing and comparing the text each time (some
/// are long filters, and that cost more than many selections).
#[derive(Debug)]
pub(super) struct Selector {
    text: String,
    hash: u64,
    how: How,
}

#[derive(Debug)]
enum How {
    Path(JsonPath),
    /// `$..[?@.NAME]` followed by `rest` (`None`: nothing follows).
    UnderHolders {
        name: String,
        rest: Option<JsonPath>,
    },
}

/// Nodes with their JSON Pointers, in the order a query gives them.
pub type Selected<'d> = Vec<(String, &'d Value)>;

/// The selections already made in one document, shared by the policies checked on it: by
/// the text of `select`, and the holders of each name (see [`How::UnderHolders`]).
#[derive(Default)]
pub struct Selections<'p, 'd> {
    by_text: HashMap<TextKey<'p>, Selected<'d>>,
    holders: HashMap<&'p str, Selected<'d>>,
}

/// A `select` text known by its hash: equal texts of two policies are one key.
#[derive(Clone, Copy)]
struct TextKey<'p> {
    hash: u64,
    text: &'p str,
}

impl Hash for TextKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialEq for TextKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && (std::ptr::eq(self.text, other.text) || self.text == other.text)
    }
}

impl Eq for TextKey<'_> {}

impl Selector {
    /// Compiles a `select` already parsed as a whole by `JsonPath::parse` (so any text this
    /// splits is valid).
    pub(super) fn new(text: &str, path: JsonPath) -> Selector {
        let how = match split_holders(text) {
            Some((name, rest)) => How::UnderHolders {
                name: name.to_owned(),
                rest,
            },
            None => How::Path(path),
        };
        Selector {
            text: text.to_owned(),
            hash: FixedState::default().hash_one(text),
            how,
        }
    }

    /// The nodes selected in `document`, with their pointers, made once per document for
    /// every policy with this `select`.
    pub(super) fn select<'p, 'd, 's>(
        &'p self,
        document: &'d Value,
        selections: &'s mut Selections<'p, 'd>,
    ) -> &'s Selected<'d> {
        let key = TextKey {
            hash: self.hash,
            text: &self.text,
        };
        let holders = &mut selections.holders;
        (selections.by_text)
            .entry(key)
            .or_insert_with(|| self.select_uncached(document, holders))
    }

    fn select_uncached<'p, 'd>(
        &'p self,
        document: &'d Value,
        holders: &mut HashMap<&'p str, Selected<'d>>,
    ) -> Selected<'d> {
        match &self.how {
            How::Path(path) => {
                let nodes = path.query(document).all();
                if nodes.is_empty() {
                    return Vec::new();
                }
                with_pointers(document, nodes)
            }
            How::UnderHolders { name, rest } => {
                let holders = holders.entry(name.as_str()).or_insert_with(|| {
                    let mut found = Vec::new();
                    holders_of(document, name, &mut found);
                    if found.is_empty() {
                        return Vec::new();
                    }
                    with_pointers(document, found)
                });
                let Some(rest) = rest else {
                    return holders.clone();
                };
                let mut selected = Vec::new();
                for (holder_pointer, holder) in holders.iter() {
                    let nodes = rest.query(holder).all();
                    if nodes.is_empty() {
                        continue;
                    }
                    for (pointer, node) in with_pointers(holder, nodes) {
                        selected.push((format!("{holder_pointer}{pointer}"), node));
                    }
                }
                selected
            }
        }
    }
}

/// `$..[?@.NAME]`: the children of `node` and of every node below it that are objects with
/// a member NAME, in the order of RFC 9535's descendant segment as `serde_json_path` runs it
/// (a node's selected children, then each child's in turn).
fn holders_of<'d>(node: &'d Value, name: &str, found: &mut Vec<&'d Value>) {
    match node {
        Value::Object(map) => children_holding(map.values(), name, found),
        Value::Array(items) => children_holding(items.iter(), name, found),
        _ => {}
    }
}

/// [`holders_of`] for a node's `children`.
fn children_holding<'d>(
    children: impl Iterator<Item = &'d Value> + Clone,
    name: &str,
    found: &mut Vec<&'d Value>,
) {
    let holds = |child: &&Value| child.as_object().is_some_and(|m| m.contains_key(name));
    found.extend(children.clone().filter(holds));
    for child in children {
        holders_of(child, name, found);
    }
}

/// `$..[?@.NAME]REST` as NAME and REST compiled from the current node (`None` when REST is
/// empty), or `None` when the text is not of that form or REST names the root.
fn split_holders(text: &str) -> Option<(&str, Option<JsonPath>)> {
    let after = text.strip_prefix("$..[?@.")?;
    let name_end = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(after.len());
    let name = &after[..name_end];
    let first_is_letter = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest = after[name_end..].strip_prefix(']')?;
    if !first_is_letter || rest.contains('$') {
        return None;
    }
    if rest.is_empty() {
        return Some((name, None));
    }
    let rest = JsonPath::parse(&format!("${rest}")).ok()?;
    Some((name, Some(rest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(selector: &Selector, document: &Value) -> Vec<(String, usize)> {
        let mut selections = Selections::default();
        (selector.select(document, &mut selections).iter())
            .map(|(pointer, node)| (pointer.clone(), std::ptr::from_ref(*node) as usize))
            .collect()
    }

    /// A document with pod specs at several depths, one inside another, holders that are
    /// array items, and look-alikes (an array or a string named `containers`'s parent).
    fn document() -> Value {
        serde_json::json!({
            "kind": "List",
            "items": [
                {"spec": {"containers": [{"name": "a", "securityContext": {"privileged": true}}],
                          "volumes": [{"hostPath": {"path": "/"}}, {"emptyDir": {}}]}},
                {"spec": {"template": {"spec": {
                    "initContainers": [{"name": "i"}],
                    "containers": [{"name": "b", "env": [{"containers": 1}]}],
                    "nested": {"containers": []}
                }}}},
                [{"containers": "not an object's list"}],
                "containers"
            ],
            "containers": [{"name": "top"}]
        })
    }

    #[test]
    fn a_split_selection_gives_the_nodes_and_pointers_of_the_whole_query() {
        let document = document();
        for text in [
            "$..[?@.containers]",
            "$..[?@.containers]['containers','initContainers','ephemeralContainers'][*]",
            "$..[?@.containers]['containers','initContainers'][?!(@.securityContext.privileged == true)]",
            "$..[?@.containers].volumes[*]",
            "$..[?@.containers]..name",
            "$..[?@.containers]['containers','containers'][0]",
            "$..[?@.missing].x",
        ] {
            let path = JsonPath::parse(text).expect("valid");
            let split = Selector::new(text, path.clone());
            assert!(
                matches!(split.how, How::UnderHolders { .. }),
                "{text} is split"
            );
            let whole = Selector {
                how: How::Path(path),
                ..Selector::new("$", JsonPath::default())
            };
            assert_eq!(
                pointers(&split, &document),
                pointers(&whole, &document),
                "{text}"
            );
        }
    }

    #[test]
    fn only_a_name_test_at_the_start_with_no_root_after_it_is_split() {
        for text in [
            "$.spec..[?@.containers]",
            "$..[?@.containers == 1]",
            "$..[?@['containers']]",
            "$..[?@.containers][?@.name == $.kind]",
            "$..[?@.1x]",
            "$..[?@.containers",
        ] {
            assert!(split_holders(text).is_none(), "{text}");
        }
    }

    #[test]
    fn policies_with_one_holder_name_share_its_walk_and_equal_texts_one_selection() {
        let document = document();
        let (first, second) = (
            "$..[?@.containers].volumes[*]",
            "$..[?@.containers].containers[0]",
        );
        // The first text twice, as two policies would each compile it.
        let selectors = [first, second, first]
            .map(|text| Selector::new(text, JsonPath::parse(text).expect("valid")));
        let mut selections = Selections::default();
        for selector in &selectors {
            selector.select(&document, &mut selections);
        }
        assert_eq!(selections.holders.len(), 1);
        assert_eq!(selections.holders["containers"].len(), 5);
        assert_eq!(selections.by_text.len(), 2);
    }
}
