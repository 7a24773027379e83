//! What could not be evaluated of a chart, said once: the chart's note, at its `Chart.yaml`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::value::Val;
use super::{Parts, chart, join, render};
use crate::document::{Document, SourceFile, Span};

/// How the renderer names a named template that is not defined (see [`render`]).
const MISSING_TEMPLATE: &str = "the named template ";
const MISSING_TEMPLATE_END: &str = ", which no file of the chart defines";

/// Something about a chart that was not evaluated: one note per chart.
#[derive(Debug)]
pub struct ChartNote {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
    /// The templates concerned: where, and what of each.
    pub related: Vec<(Arc<SourceFile>, Span, String)>,
}

/// What of one chart (with its subcharts) was not evaluated.
#[derive(Default)]
pub(super) struct Problems {
    pub unknowns: BTreeSet<String>,
    pub templates: Vec<(Arc<SourceFile>, Span, String)>,
    /// Dependencies a `Chart.yaml` names that are not unpacked in its `charts/` folder.
    pub absent_dependencies: BTreeSet<String>,
}

impl Problems {
    pub fn note(self, root: &str, chart: &Document) -> ChartNote {
        let shown = if root.is_empty() { "." } else { root };
        let mut parts: Vec<String> = Vec::new();
        if !self.absent_dependencies.is_empty() {
            let absent: Vec<String> = self
                .absent_dependencies
                .iter()
                .map(|d| format!("`{d}`"))
                .collect();
            parts.push(format!(
                "the dependencies {} it enables, which are not unpacked in its `charts/` \
                 folder, so neither what they deploy nor their named templates are known \
                 (unpack the archives `helm dependency build` fetches: `tar -xzf` each \
                 `charts/*.tgz` into `charts/`)",
                absent.join(", ")
            ));
        }
        // What a named template writes is unknown because of an unknown inside it, named
        // on its own: the consequence is left out.
        let (missing, others): (Vec<String>, Vec<String>) = self
            .unknowns
            .into_iter()
            .filter(|u| !u.starts_with(render::UNKNOWN_WRITES))
            .partition(|u| u.starts_with(MISSING_TEMPLATE));
        if !missing.is_empty() {
            let names: Vec<&str> = missing
                .iter()
                .map(|m| m[MISSING_TEMPLATE.len()..].trim_end_matches(MISSING_TEMPLATE_END))
                .collect();
            let more = names.len().saturating_sub(3);
            let mut text = format!(
                "named templates no file of the chart defines ({}",
                names[..names.len().min(3)].join(", ")
            );
            if more > 0 {
                text.push_str(&format!(" and {more} more"));
            }
            text.push(')');
            parts.push(text);
        }
        if !others.is_empty() {
            let mut unknowns = others;
            let more = unknowns.len().saturating_sub(5);
            unknowns.truncate(5);
            let mut text = format!("values that depend on {}", unknowns.join("; "));
            if more > 0 {
                text.push_str(&format!(" and {more} more"));
            }
            parts.push(text);
        }
        if !self.templates.is_empty() {
            parts.push(format!(
                "{} (see the related locations)",
                crate::words::count(self.templates.len(), "template", "templates")
            ));
        }
        let span = chart
            .spans
            .get("/name")
            .map_or(Span::new(0, 0), |s| s.value);
        ChartNote {
            source: Arc::clone(&chart.source),
            span,
            message: format!(
                "the chart in `{shown}` was not rendered whole: {}; settings that depend on them are not checked",
                parts.join(", and ")
            ),
            related: self.templates,
        }
    }
}

/// The dependencies `Chart.yaml` names, enabled with the chart's values, that are not
/// unpacked under the chart's `charts/`.
pub(super) fn absent_dependencies(
    root: &str,
    chart: &serde_json::Value,
    values: &Val,
    charts: &BTreeMap<String, Parts>,
) -> Vec<String> {
    let Some(dependencies) = chart.get("dependencies").and_then(|d| d.as_array()) else {
        return Vec::new();
    };
    dependencies
        .iter()
        .filter_map(|d| d.get("name").and_then(|n| n.as_str()))
        .filter(|name| !charts.contains_key(&join(root, &format!("charts/{name}"))))
        .filter(|name| chart::dependency_enabled(chart, values, name))
        .map(str::to_owned)
        .collect()
}
