//! The values a chart is rendered with, and where each rendered value was set: a scalar an
//! action wrote straight from `.Values` gets its values file's line as a related location.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::value::Val;
use super::{Parts, chart, output::Output, relative};
use crate::document::{Document, Evidence, escape_token, parent_pointer};
use crate::parse::ParsedDocument;
use crate::resolve::Origin;

/// A values file a chart's values come from: its document, and the pointer its values sit
/// under (a parent's values for a subchart sit under the subchart's name).
pub(super) type ValuesSource = (usize, String);

/// A scalar of a rendered document (`pointer`) that an action wrote straight from the
/// chart's values (`values`, a pointer in them).
pub(super) struct ValueLink {
    pointer: String,
    values: String,
}

/// The chart documents of a batch, and the values files the configuration names.
pub(super) struct ChartFiles<'a> {
    pub helm: &'a [Document],
    pub charts: &'a BTreeMap<String, Parts>,
    pub values_files: &'a BTreeMap<String, Vec<String>>,
}

impl ChartFiles<'_> {
    /// The values the chart at `root` is rendered with, and the files they come from in the
    /// order they apply; `None` for a subchart its parent disables.
    pub fn values(
        &self,
        root: &str,
        parts: &Parts,
        values_of: &HashMap<String, Val>,
        sources_of: &HashMap<String, Vec<ValuesSource>>,
        unknowns: &mut BTreeSet<String>,
    ) -> Option<(Val, Vec<ValuesSource>)> {
        let helm = self.helm;
        let default = parts.values.iter().find(|&&i| {
            matches!(
                relative(&helm[i].source.path, root),
                "values.yaml" | "values.yml"
            )
        });
        let mut sources: Vec<ValuesSource> =
            default.map(|&i| (i, String::new())).into_iter().collect();
        for wanted in self.values_files.get(root).into_iter().flatten() {
            match parts
                .values
                .iter()
                .find(|&&i| &helm[i].source.path == wanted)
            {
                Some(&i) => sources.push((i, String::new())),
                None => {
                    unknowns.insert(format!(
                        "the values file `{wanted}` the configuration names, which is not a \
                         values file in the chart's folder"
                    ));
                }
            }
        }
        let own = chart::merged_values(sources.iter().map(|(i, _)| &helm[*i].value));
        let Some(at) = root.rfind("/charts/") else {
            return Some((own, sources));
        };
        let (parent, name) = (&root[..at], &root[at + "/charts/".len()..]);
        let (Some(parent_parts), Some(parent_values)) =
            (self.charts.get(parent), values_of.get(parent))
        else {
            return Some((own, sources));
        };
        let parent_chart = &helm[parent_parts.chart.unwrap_or_default()].value;
        if !chart::dependency_enabled(parent_chart, parent_values, name) {
            return None;
        }
        let prefix = format!("/{}", escape_token(name));
        for (index, under) in sources_of.get(parent).into_iter().flatten() {
            sources.push((*index, format!("{under}{prefix}")));
        }
        Some((chart::subchart_values(own, parent_values, name), sources))
    }
}

/// The scalars of `document` (spans still in the rendered text) written from `.Values`: the
/// node an action wrote is the outermost one inside the action's output, and the scalars
/// below it sit at the same path below the value it took.
pub(super) fn links(document: &ParsedDocument, output: &Output) -> Vec<ValueLink> {
    let mut links = Vec::new();
    for (pointer, spans) in document.spans.iter() {
        if document
            .value
            .pointer(pointer)
            .is_none_or(|v| v.is_object() || v.is_array())
        {
            continue;
        }
        let Some((values, start, end)) = output.values_at(spans.value) else {
            continue;
        };
        // The node whose value the action wrote: its value starts in the action's output
        // (its key, before it, is the template's; a block's span runs on to what follows).
        let inside = |p: &str| {
            document
                .spans
                .get(p)
                .is_some_and(|s| s.value.start >= start && s.value.start < end)
        };
        let mut root = pointer;
        while let Some(parent) = parent_pointer(root) {
            if parent.is_empty() || !inside(parent) {
                break;
            }
            root = parent;
        }
        links.push(ValueLink {
            pointer: pointer.to_owned(),
            values: format!("{values}{}", &pointer[root.len()..]),
        });
    }
    links
}

/// Where the linked scalars' values were set: the last values file (in the order they
/// apply) that sets each, as a related location of the rendered node.
pub(super) fn origins(
    documents: &[Document],
    pending: Vec<(usize, String, Vec<ValueLink>)>,
    sources_of: &HashMap<String, Vec<ValuesSource>>,
    final_index: &HashMap<usize, usize>,
) -> Vec<Origin> {
    let mut origins = Vec::new();
    for (document, root, links) in pending {
        let sources = sources_of.get(&root).map(Vec::as_slice).unwrap_or_default();
        for link in links {
            let set_in = sources.iter().rev().find_map(|(index, under)| {
                let at = *final_index.get(index)?;
                let pointer = format!("{under}{}", link.values);
                documents[at].spans.get(&pointer).map(|_| (at, pointer))
            });
            let Some((at, pointer)) = set_in else {
                continue;
            };
            let path = &documents[at].source.path;
            let name = path.rsplit('/').next().unwrap_or(path);
            origins.push(Origin {
                document,
                pointer: link.pointer,
                definition: Evidence::at(at, pointer, format!("the value is set in `{name}`")),
                landing: None,
            });
        }
    }
    origins
}
