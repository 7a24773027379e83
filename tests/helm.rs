//! Helm charts end to end: rendered with their values (and the values files the config
//! names), subcharts with their parent's values and conditions, findings in the templates,
//! one note per chart for what could not be evaluated.

mod common;

use common::{findings, fixture, git, git_copy, run_in, scan_json, spot, spots};

#[test]
fn charts_are_rendered_and_findings_land_in_the_templates() {
    let root = fixture("helm");
    let root_arg = root.to_str().expect("a UTF-8 path");
    let run = scan_json(&root, &["--root", root_arg]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("DC-TEMPLATE", "charts/agent/Chart.yaml", 2, 7),
            // The subchart's own value is false; the parent's production values set it.
            spot(
                "K8S-POD-002",
                "charts/agent/charts/metrics/templates/deployment.yaml",
                8,
                20
            ),
            // `toYaml .Values.securityContext | nindent 12`: the action that writes it.
            spot(
                "K8S-POD-001",
                "charts/agent/templates/daemonset.yaml",
                21,
                13
            ),
            spot(
                "K8S-POD-003",
                "charts/agent/templates/daemonset.yaml",
                33,
                19
            ),
            // Inside `if .Values.mountRuntimeSocket`, true by default.
            spot(
                "K8S-POD-003",
                "charts/agent/templates/daemonset.yaml",
                37,
                19
            ),
            // Off by default, on in values-production.yaml, which .doublecheck.yml names.
            spot("K8S-POD-002", "charts/agent/templates/debug.yaml", 8, 12),
            spot("K8S-POD-001", "charts/agent/templates/debug.yaml", 13, 21),
            spot("DC-TEMPLATE", "charts/broken/Chart.yaml", 2, 7),
        ]
    );
    // The `cache` subchart is disabled by its condition: its hostIPC pod is not deployed.
    let all = findings(&report);
    assert!(all.iter().all(|f| {
        !f["location"]["path"]
            .as_str()
            .unwrap_or("")
            .contains("/cache/")
    }));
    assert_eq!(
        all[0]["message"],
        "the chart in `charts/agent` was not rendered whole: values that depend on `lookup` \
         (what the cluster already holds); settings that depend on them are not checked"
    );
    assert_eq!(all[0]["severity"], "note");
    assert_eq!(
        all[2]["message"],
        "container `agent` runs privileged: it has the node's root capabilities and devices"
    );
    // A value written straight from the values: the values file that sets it is related.
    let related_of = |finding: &serde_json::Value| -> (String, u64, u64, String) {
        let related = &finding["related"][0];
        (
            related["location"]["path"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            related["location"]["start"]["line"]
                .as_u64()
                .unwrap_or_default(),
            related["location"]["start"]["column"]
                .as_u64()
                .unwrap_or_default(),
            related["message"].as_str().unwrap_or_default().to_owned(),
        )
    };
    assert_eq!(
        related_of(&all[2]),
        (
            "charts/agent/values.yaml".to_owned(),
            6,
            15,
            "the value is set in `values.yaml`".to_owned()
        )
    );
    // The subchart's value, overridden by the parent's production values under its name.
    assert_eq!(
        related_of(&all[1]),
        (
            "charts/agent/values-production.yaml".to_owned(),
            4,
            16,
            "the value is set in `values-production.yaml`".to_owned()
        )
    );
    // A template comment action on the line above suppresses, as a `#` comment does.
    assert_eq!(
        all[5]["suppression"]["justification"],
        "a debug pod, off by default"
    );
    assert!(all[6]["suppression"].is_null());
    let broken = &all[7];
    assert_eq!(
        broken["message"],
        "the chart in `charts/broken` was not rendered whole: the dependencies `redis` it \
         enables, which are not unpacked in its `charts/` folder, so neither what they deploy \
         nor their named templates are known (unpack the archives `helm dependency build` \
         fetches: `tar -xzf` each `charts/*.tgz` into `charts/`), and 1 template (see the \
         related locations); settings that depend on them are not checked"
    );
    let related = &broken["related"][0];
    assert_eq!(
        related["location"]["path"],
        "charts/broken/templates/pod.yaml"
    );
    assert_eq!(related["location"]["start"]["line"], 4);
    assert_eq!(related["location"]["start"]["column"], 9);
    assert_eq!(
        related["message"],
        "not a template Helm can read: an action `{{` is never closed with `}}`"
    );
}

#[test]
fn without_the_config_the_default_values_are_rendered() {
    let root = fixture("helm");
    let run = scan_json(
        &root.join("charts"),
        &["--root", root.join("charts").to_str().expect("UTF-8")],
    );
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let rules: Vec<(String, String)> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    // No production values: the debug pod is off and the subchart keeps its own default.
    assert!(
        !rules.iter().any(|(_, path)| path.ends_with("debug.yaml")),
        "{rules:?}"
    );
    assert!(
        !rules.iter().any(|(_, path)| path.contains("/metrics/")),
        "{rules:?}"
    );
    assert!(rules.contains(&(
        "K8S-POD-001".to_owned(),
        "agent/templates/daemonset.yaml".to_owned()
    )));
}

/// In PR-only mode a change to a values file is a change to what the templates render: the
/// finding it turns on is new, at the template, though no template changed.
#[test]
fn a_values_change_makes_the_template_s_finding_new() {
    let repo = git_copy("helm");
    let values = repo.path().join("charts/agent/values.yaml");
    let text = std::fs::read_to_string(&values).expect("values.yaml");
    std::fs::write(
        &values,
        text.replace("privileged: true", "privileged: false"),
    )
    .expect("write");
    git(
        repo.path(),
        &["commit", "--quiet", "--all", "--message", "not privileged"],
    );
    std::fs::write(&values, text).expect("write");
    let run = run_in(
        repo.path(),
        ["scan", "--diff-base", "HEAD", "--format", "json"],
    );
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let new: Vec<(String, String, u64)> = findings(&report)
        .iter()
        .filter(|f| f["baseline_state"] == "new")
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                f["location"]["start"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        new,
        [(
            "K8S-POD-001".to_owned(),
            "charts/agent/templates/daemonset.yaml".to_owned(),
            21
        )]
    );
}
