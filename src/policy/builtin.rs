//! Built-in policies: the YAML files under `policies/`, embedded at build time by `build.rs`,
//! each with the JSON `build.rs` converted it to.

/// A built-in policy as `build.rs` converted it: its JSON, and the id and kinds a run needs
/// before (or instead of) reading the JSON.
#[derive(Debug, Clone, Copy)]
pub(super) struct EmbeddedJson {
    pub json: &'static str,
    pub id: &'static str,
    pub applies_to: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));

/// `(path relative to the repository, YAML text)` of every built-in policy, sorted by path.
pub fn builtin_sources() -> &'static [(&'static str, &'static str)] {
    BUILTIN_POLICIES
}

/// `(path, YAML text, JSON)` of every built-in policy; the JSON is `None` for a file
/// `build.rs` left to the run-time YAML parser.
pub(super) fn builtin_files()
-> impl Iterator<Item = (&'static str, &'static str, Option<EmbeddedJson>)> {
    BUILTIN_POLICIES
        .iter()
        .zip(BUILTIN_POLICY_JSON)
        .map(|((path, yaml), json)| (*path, *yaml, *json))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SourceFile;
    use crate::parse::{Format, parse};
    use serde_json::json;

    /// Start-up reads the JSON and never validates it: it must be exactly what the YAML
    /// parser makes of the file less its examples, key order included (it decides the order of a schema's
    /// errors, and so of a finding's details).
    #[test]
    fn every_builtin_policy_has_json_equal_to_its_yaml() {
        assert_eq!(BUILTIN_POLICIES.len(), BUILTIN_POLICY_JSON.len());
        assert!(!BUILTIN_POLICIES.is_empty());
        for (path, yaml, json) in builtin_files() {
            let json = json.unwrap_or_else(|| {
                panic!("{path}: build.rs could not convert it (an anchor, a tag, a merge key?)")
            });
            let from_json: serde_json::Value = serde_json::from_str(json.json).expect("valid JSON");
            let documents = parse(Format::YAML, &SourceFile::new(path, yaml.to_owned()))
                .unwrap_or_else(|e| panic!("{path}: {}", e.message));
            assert_eq!(documents.len(), 1, "{path}");
            let mut from_yaml = documents[0].value.clone();
            if let serde_json::Value::Object(map) = &mut from_yaml {
                map.shift_remove("examples");
            }
            let from_yaml = &from_yaml;
            assert_eq!(&from_json, from_yaml, "{path}");
            assert_eq!(Some(json.id), from_yaml["id"].as_str(), "{path}");
            assert_eq!(
                json!(json.applies_to),
                from_yaml["applies-to"],
                "{path}: applies-to"
            );
            assert_eq!(
                serde_json::to_string(&from_json).expect("serializes"),
                serde_json::to_string(from_yaml).expect("serializes"),
                "{path}: key order"
            );
        }
    }
}
