//! Helm charts, which a path alone cannot tell: a `templates/` folder is a chart's only when a
//! `Chart.yaml` sits beside it. The scan names the charts from all the paths it reads, then
//! gives their templates the template row.

use std::collections::BTreeSet;

use super::{Candidate, FilePath, kinds, table};

/// The folders of a scan that hold a `Chart.yaml` (`""` for the top).
#[derive(Debug, Default)]
pub struct ChartRoots(BTreeSet<String>);

impl ChartRoots {
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a str>) -> Self {
        ChartRoots(
            paths
                .into_iter()
                .filter(|path| FilePath::new(path).name == "Chart.yaml")
                .map(|path| {
                    path.rsplit_once('/')
                        .map_or("", |(folder, _)| folder)
                        .to_owned()
                })
                .collect(),
        )
    }

    /// The chart rows for a file of a chart: a YAML or JSON file in its `templates/` folder,
    /// a values file in its folder.
    pub fn candidate(&self, path: &str) -> Option<Candidate> {
        if self.0.is_empty() {
            return None;
        }
        let file = FilePath::new(path);
        if table::is_helm_values(&file) && self.chart_above(path).is_some() {
            return Some(Candidate {
                detector: &table::CHART_VALUES,
            });
        }
        let name = file.name;
        if ![".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            return None;
        }
        chart_of_template(path)
            .filter(|root| self.0.contains(*root))
            .map(|_| Candidate {
                detector: &table::CHART_TEMPLATE,
            })
    }
}

impl ChartRoots {
    /// Whether `folder` holds a `Chart.yaml`.
    pub fn is_chart(&self, folder: &str) -> bool {
        self.0.contains(folder)
    }

    /// The folder of the chart a file of `kind` (a chart kind) belongs to: a `Chart.yaml`'s
    /// own folder, a values file's nearest chart above it, a template's chart.
    pub fn chart_of<'a>(&self, path: &'a str, kind: &str) -> Option<&'a str> {
        match kind {
            kinds::HELM_CHART => Some(path.rsplit_once('/').map_or("", |(folder, _)| folder)),
            kinds::HELM_VALUES => self.chart_above(path),
            kinds::HELM_TEMPLATE => chart_of_template(path),
            _ => None,
        }
    }

    /// The nearest chart folder above `path` (a values file in `ci/` belongs to the chart
    /// above it), not looking past a `templates/` folder.
    pub fn chart_above<'a>(&self, path: &'a str) -> Option<&'a str> {
        let mut folder = path;
        loop {
            folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
            if self.0.contains(folder) {
                return Some(folder);
            }
            if folder.is_empty() || folder.ends_with("/templates") || folder == "templates" {
                return None;
            }
        }
    }
}

/// The chart folder a file under `templates/` belongs to, if it is under one: the nearest
/// `templates/` folder's parent.
pub fn chart_of_template(path: &str) -> Option<&str> {
    if let Some(at) = path.rfind("/templates/") {
        // `a/templates/b/templates/x.yaml`: the nearest chart is the deeper one only if it
        // has a Chart.yaml; callers check, so the outermost-but-nearest rule is enough.
        return Some(&path[..at]);
    }
    path.starts_with("templates/").then_some("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_a_charts_only_beside_a_chart_yaml() {
        let roots = ChartRoots::new([
            "charts/web/Chart.yaml",
            "Chart.yaml",
            "cfn/templates/vpc.yaml",
        ]);
        let is_template = |p: &str| {
            roots
                .candidate(p)
                .is_some_and(|c| c.detector.name.contains("template"))
        };
        assert!(is_template("charts/web/templates/deployment.yaml"));
        assert!(is_template("charts/web/templates/sub/cm.yml"));
        assert!(is_template("templates/pod.yaml"));
        assert!(!is_template("cfn/templates/vpc.yaml"));
        assert!(!is_template("charts/web/values.yaml"));
        assert!(roots.candidate("charts/web/values-prod.yaml").is_some());
        assert!(roots.candidate("charts/web/ci/prod-values.yaml").is_some());
        assert!(
            roots.candidate("cfn/values.yaml").is_some(),
            "the top is a chart"
        );
        let roots = ChartRoots::new(["charts/web/Chart.yaml"]);
        assert!(roots.candidate("cfn/values.yaml").is_none());
        assert!(!is_template("charts/web/templates/NOTES.txt"));
    }
}
