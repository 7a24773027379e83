//! `helm:`: the values files each chart is rendered with, over its `values.yaml`.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RawHelm {
    #[serde(default)]
    values: BTreeMap<String, Vec<String>>,
}

/// Per chart folder, the values files to apply over its `values.yaml`, in order.
#[derive(Debug, Default, Clone)]
pub struct HelmSettings {
    pub values: BTreeMap<String, Vec<String>>,
}

pub(super) fn read(raw: RawHelm) -> HelmSettings {
    let trim = |path: &str| {
        path.trim_start_matches("./")
            .trim_end_matches('/')
            .to_owned()
    };
    HelmSettings {
        values: raw
            .values
            .into_iter()
            .map(|(chart, files)| (trim(&chart), files.iter().map(|f| trim(f)).collect()))
            .collect(),
    }
}
