//! Helm charts rendered with their values, as `helm template` would, into the Kubernetes
//! documents they deploy. Each rendered document keeps its template as its file, and every
//! node's span points into the template: a finding lands on the line a user can edit (the
//! action that wrote a value, or the text copied from the template).
//!
//! What cannot be known from the repository (`lookup`, `.Files`, a required value with no
//! default, a function not implemented here) is unknown, never guessed: a condition on it
//! takes neither branch, a value of it prints as a placeholder no policy judges, and the
//! chart gets one note naming it.

mod chart;
mod collections;
mod functions;
mod notes;
mod output;
mod render;
mod strings;
mod text;
mod value;
mod values;
mod yaml;

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use crate::detect::{self, kinds};
use crate::document::{Document, SourceFile, Span};
use crate::parse::gotemplate::{self, Node};
use crate::parse::{Format, parse};
pub use notes::ChartNote;
use notes::{Problems, absent_dependencies};
use render::{Defines, Halt, Renderer, Source};
use value::Val;
use values::{ChartFiles, ValueLink, ValuesSource};

pub const KINDS: &[&str] = &[kinds::HELM_CHART, kinds::HELM_VALUES, kinds::HELM_TEMPLATE];

/// The folder a chart's files are read together by, from the chart's folder: the outermost
/// chart of a chart with subcharts (`a/charts/b` is read with `a`).
pub fn unit(folder: &str) -> &str {
    match folder.find("/charts/") {
        Some(at) => &folder[..at],
        None => folder,
    }
}

#[derive(Default)]
struct Parts {
    chart: Option<usize>,
    values: Vec<usize>,
    templates: Vec<usize>,
}

/// Replaces the chart documents of `documents` (Chart.yaml, values, templates) with the
/// Kubernetes documents the charts render; `values_files` names, per chart folder, the
/// values files to apply over `values.yaml`.
pub fn render_charts(
    documents: Vec<Document>,
    values_files: &BTreeMap<String, Vec<String>>,
) -> Rendered {
    if !documents.iter().any(|d| KINDS.contains(&d.kind.as_str())) {
        return Rendered {
            documents,
            notes: Vec::new(),
            origins: Vec::new(),
        };
    }
    let (helm, mut others): (Vec<Document>, Vec<Document>) = documents
        .into_iter()
        .partition(|d| KINDS.contains(&d.kind.as_str()));
    let roots = detect::ChartRoots::new(helm.iter().map(|d| d.source.path.as_str()));
    let mut charts: BTreeMap<String, Parts> = BTreeMap::new();
    for (index, document) in helm.iter().enumerate() {
        let Some(root) = roots.chart_of(&document.source.path, document.kind.as_str()) else {
            continue;
        };
        let parts = charts.entry(root.to_owned()).or_default();
        match document.kind.as_str() {
            kinds::HELM_CHART => parts.chart = Some(index),
            kinds::HELM_VALUES => parts.values.push(index),
            _ => parts.templates.push(index),
        }
    }
    charts.retain(|_, parts| parts.chart.is_some());
    let mut notes = Vec::new();
    let mut values_of: HashMap<String, Val> = HashMap::new();
    let mut problems: BTreeMap<String, Problems> = BTreeMap::new();
    let mut parsed: HashMap<usize, Option<Rc<Vec<Node>>>> = HashMap::new();
    let mut defines_of: HashMap<String, Rc<Defines>> = HashMap::new();
    // Rendered documents with scalars from the values: (index in `others`, chart, links).
    let mut pending: Vec<(usize, String, Vec<ValueLink>)> = Vec::new();
    let mut sources_of: HashMap<String, Vec<ValuesSource>> = HashMap::new();
    for (root, parts) in &charts {
        let top = top_chart(root, &charts);
        let problems = problems.entry(top.clone()).or_default();
        let chart_json = &helm[parts.chart.unwrap_or_default()].value;
        let chart_files = ChartFiles {
            helm: &helm,
            charts: &charts,
            values_files,
        };
        let Some((values, sources)) =
            chart_files.values(root, parts, &values_of, &sources_of, &mut problems.unknowns)
        else {
            continue;
        };
        problems
            .absent_dependencies
            .extend(absent_dependencies(root, chart_json, &values, &charts));
        values_of.insert(root.clone(), values.clone());
        sources_of.insert(root.clone(), sources);
        let top_name = chart_name(&helm[charts[&top].chart.unwrap_or_default()].value).to_owned();
        let defines = defines_of
            .entry(top.clone())
            .or_insert_with(|| {
                Rc::new(collect_defines(
                    &top,
                    &top_name,
                    &charts,
                    &helm,
                    &mut parsed,
                    problems,
                ))
            })
            .clone();
        let chart = chart::chart_object(chart_json);
        for &index in &parts.templates {
            let document = &helm[index];
            let name = document.source.path.rsplit('/').next().unwrap_or_default();
            // Partials (`_*`), helpers (`*.tpl`) and text (`NOTES.txt`) are only included.
            if name.starts_with('_') || name.ends_with(".tpl") || name.ends_with(".txt") {
                continue;
            }
            let Some(Some(nodes)) = parsed.get(&index).cloned() else {
                continue;
            };
            let template_name = format!("{top_name}/{}", relative(&document.source.path, &top));
            let base_path = format!("{top_name}/{}", relative(&join(root, "templates"), &top));
            let dot = chart::root(values.clone(), chart.clone(), &template_name, &base_path);
            let mut renderer = Renderer::new(&defines);
            let source = Source {
                text: Rc::from(document.source.text.as_str()),
                nodes,
            };
            match renderer.render(&source, &dot) {
                Ok(output) => match rendered_documents(document, &output) {
                    Ok(rendered) => {
                        for (rendered, links) in rendered {
                            if !links.is_empty() {
                                pending.push((others.len(), root.clone(), links));
                            }
                            others.push(rendered);
                        }
                    }
                    Err((span, message)) => {
                        problems
                            .templates
                            .push((Arc::clone(&document.source), span, message))
                    }
                },
                Err(Halt::Stopped(why)) => problems.templates.push((
                    Arc::clone(&document.source),
                    Span::new(0, 0),
                    format!("not evaluated: {why}"),
                )),
            }
            problems.unknowns.extend(renderer.unknowns);
        }
    }
    for (top, problems) in problems {
        if problems.unknowns.is_empty()
            && problems.templates.is_empty()
            && problems.absent_dependencies.is_empty()
        {
            continue;
        }
        let Some(chart) = charts.get(&top).and_then(|p| p.chart) else {
            continue;
        };
        notes.push(problems.note(&top, &helm[chart]));
    }
    // Chart.yaml and values files stay, for what other stages read of them (values files as
    // the related locations of the values they set); templates are replaced by what they
    // render.
    let base = others.len();
    let mut final_index: HashMap<usize, usize> = HashMap::new();
    for (index, document) in helm.into_iter().enumerate() {
        if document.kind.as_str() != kinds::HELM_TEMPLATE {
            final_index.insert(index, base + final_index.len());
            others.push(document);
        }
    }
    let origins = values::origins(&others, pending, &sources_of, &final_index);
    Rendered {
        documents: others,
        notes,
        origins,
    }
}

/// What rendering a batch's charts gives.
pub struct Rendered {
    /// The batch's documents, with the charts' templates replaced by what they render.
    pub documents: Vec<Document>,
    pub notes: Vec<ChartNote>,
    /// The scalars of rendered documents written from a values file, and where.
    pub origins: Vec<super::Origin>,
}

fn chart_name(chart: &serde_json::Value) -> &str {
    chart
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or("chart")
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

fn relative<'a>(path: &'a str, root: &str) -> &'a str {
    if root.is_empty() {
        path
    } else {
        path.strip_prefix(root)
            .map_or(path, |p| p.trim_start_matches('/'))
    }
}

/// The outermost chart `root` is a subchart of (itself when none).
fn top_chart(root: &str, charts: &BTreeMap<String, Parts>) -> String {
    let mut top = root;
    while let Some(at) = top.rfind("/charts/") {
        let parent = &top[..at];
        if !charts.contains_key(parent) {
            break;
        }
        top = parent;
    }
    top.to_owned()
}

/// The named templates of a chart and its subcharts (Helm shares them across the release).
fn collect_defines(
    top: &str,
    top_name: &str,
    charts: &BTreeMap<String, Parts>,
    helm: &[Document],
    parsed: &mut HashMap<usize, Option<Rc<Vec<Node>>>>,
    problems: &mut Problems,
) -> Defines {
    let mut defines = Defines::default();
    for (root, parts) in charts {
        if !(root == top || top.is_empty() || root.starts_with(&format!("{top}/"))) {
            continue;
        }
        for &index in &parts.templates {
            let document = &helm[index];
            let text: Rc<str> = Rc::from(document.source.text.as_str());
            match gotemplate::parse(&document.source.text) {
                Ok(template) => {
                    for (name, body) in template.defines {
                        defines
                            .named
                            .insert(name, (Rc::clone(&text), Rc::new(body)));
                    }
                    // Every template file is a named template too, by its path in the
                    // release (`include (print $.Template.BasePath "/configmap.yaml") .`).
                    let nodes = Rc::new(template.nodes);
                    let name = format!("{top_name}/{}", relative(&document.source.path, top));
                    defines
                        .named
                        .entry(name)
                        .or_insert((Rc::clone(&text), Rc::clone(&nodes)));
                    parsed.insert(index, Some(nodes));
                }
                Err(error) => {
                    problems.templates.push((
                        Arc::clone(&document.source),
                        error.span,
                        format!("not a template Helm can read: {}", error.message),
                    ));
                    parsed.insert(index, None);
                }
            }
        }
    }
    defines
}

/// A rendered document, and its scalars written from the values.
type RenderedDocument = (Document, Vec<ValueLink>);

/// The Kubernetes documents of one rendered template, located in the template; or where the
/// rendered text stops being YAML.
fn rendered_documents(
    template: &Document,
    output: &output::Output,
) -> Result<Vec<RenderedDocument>, (Span, String)> {
    let rendered = SourceFile::new(template.source.path.clone(), output.text.clone());
    let documents = parse(Format::YAML, &rendered).map_err(|error| {
        let at = rendered.position(error.span.start);
        (
            output.map(error.span),
            format!(
                "with its default values it renders to text that is not YAML (line {} of the output: {})",
                at.line, error.message
            ),
        )
    })?;
    let Some(candidate) = detect::candidate("rendered.yaml") else {
        return Ok(Vec::new());
    };
    Ok(documents
        .into_iter()
        .enumerate()
        .filter_map(|(index_in_file, mut document)| {
            let kind = detect::kind_of(candidate, &document.value)?;
            let links = values::links(&document, output);
            document.spans.map_spans(|span| output.map(span));
            let rendered = Document {
                source: Arc::clone(&template.source),
                index_in_file,
                kind,
                value: document.value,
                spans: document.spans,
                resolved: None,
            };
            Some((rendered, links))
        })
        .collect())
}

#[cfg(test)]
mod tests;
