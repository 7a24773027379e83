//! Baselines end to end: `baseline create`, `scan --baseline` passing, a new finding
//! failing alone, a fixed entry listed, `baseline update` pruning it, malformed files.

mod common;

use std::path::Path;

use common::{findings, run, spot, spots, temp_copy};
use serde_json::{Value, json};

fn baseline_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("the baseline was written");
    serde_json::from_str(&text).expect("the baseline is JSON")
}

/// (rule, line, baseline_state, suppression kind) of every finding.
fn states(report: &Value) -> Vec<(String, u64, String, String)> {
    spots(report)
        .into_iter()
        .zip(findings(report))
        .map(|(s, f)| {
            (
                s.rule,
                s.line,
                f["baseline_state"].as_str().unwrap_or("-").to_owned(),
                f["suppression"]["kind"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

fn state(rule: &str, line: u64, base: &str, kind: &str) -> (String, u64, String, String) {
    (rule.to_owned(), line, base.to_owned(), kind.to_owned())
}

fn scan_with(dir: &Path, baseline: &Path) -> common::Run {
    let mut args: Vec<std::ffi::OsString> = vec!["scan".into(), dir.into()];
    args.extend(["--format".into(), "json".into(), "--baseline".into()]);
    args.push(baseline.into());
    run(args)
}

#[test]
fn create_scan_new_fixed_update() {
    let dir = temp_copy("baseline");
    let root = dir.path();
    let file = root.join(".doublecheck-baseline.json");

    // Without a baseline the tree fails.
    let plain = common::scan_json(root, &[]);
    assert_eq!(plain.code, 1);

    let created = run([Path::new("baseline"), Path::new("create"), root]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert_eq!(
        created.stdout,
        format!("doublecheck: wrote 3 entries to {}\n", file.display())
    );
    let baseline = baseline_json(&file);
    let entries: Vec<(&str, &str, &str)> = baseline["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap_or_default(),
                e["rule"].as_str().unwrap_or_default(),
                e["locator"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(baseline["version"], 1);
    assert_eq!(
        entries,
        [
            (
                "k8s/pod.yaml",
                "K8S-POD-001",
                "/spec/containers/[name=agent]/securityContext/privileged"
            ),
            // One finding for the pod's host namespaces, named by its group.
            ("k8s/pod.yaml", "K8S-POD-002", "/[group=pod]"),
            (
                "terraform/main.tf",
                "TF-PUBLIC-001",
                "/resource/aws_s3_bucket/site/acl"
            ),
        ]
    );
    let keys: Vec<&String> = baseline["entries"][0]
        .as_object()
        .expect("an entry")
        .keys()
        .collect();
    assert_eq!(keys, ["fingerprint", "rule", "path", "locator"], "no lines");

    // With the baseline everything is accepted.
    let accepted = scan_with(root, &file);
    assert_eq!(accepted.code, 0, "{}", accepted.stdout);
    assert_eq!(
        states(&accepted.json()),
        [
            state("K8S-POD-002", 6, "unchanged", "-"),
            state("K8S-POD-001", 11, "unchanged", "-"),
            state("TF-PUBLIC-001", 3, "unchanged", "-"),
        ]
    );

    // A host namespace added to the pod is part of its grouped finding, which is not new
    // (it now starts at the added line); a new privileged container is new and fails the
    // run alone (lines above moved too).
    let pod = root.join("k8s/pod.yaml");
    let text = std::fs::read_to_string(&pod).expect("the pod");
    let changed = text
        .replace(
            "spec:\n  hostNetwork: true\n",
            "spec:\n  # the agent needs the node's processes now\n  hostPID: true\n  hostNetwork: true\n",
        )
        .replace(
            "  containers:\n",
            "  containers:\n    - name: sidecar\n      image: sidecar:1\n      securityContext: {privileged: true}\n",
        );
    std::fs::write(&pod, changed).expect("edit the pod");
    let one_new = scan_with(root, &file);
    assert_eq!(one_new.code, 1);
    let report = one_new.json();
    assert_eq!(
        states(&report),
        [
            state("K8S-POD-002", 7, "unchanged", "-"),
            state("K8S-POD-001", 12, "new", "-"),
            state("K8S-POD-001", 16, "unchanged", "-"),
            state("TF-PUBLIC-001", 3, "unchanged", "-"),
        ]
    );
    assert_eq!(
        spots(&report)[1],
        spot("K8S-POD-001", "k8s/pod.yaml", 12, 37)
    );

    // Fixing a baselined finding: `update` prunes its entry and adds nothing.
    let tf = root.join("terraform/main.tf");
    let text = std::fs::read_to_string(&tf).expect("main.tf");
    std::fs::write(&tf, text.replace("public-read", "private")).expect("fix the bucket");
    let updated = run([Path::new("baseline"), Path::new("update"), root]);
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    assert_eq!(
        updated.stdout,
        format!(
            "doublecheck: pruned 1 fixed entry from {}; 2 remain\n",
            file.display()
        )
    );
    let pruned = baseline_json(&file);
    let rules: Vec<&str> = pruned["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["rule"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(rules, ["K8S-POD-001", "K8S-POD-002"]);
}

#[test]
fn fixed_entries_are_listed_in_the_report() {
    use doublecheck::filter::baseline;
    let dir = temp_copy("baseline");
    let root = dir.path();
    let request = doublecheck::scan::ScanRequest {
        paths: vec![root.to_path_buf()],
        root: root.to_path_buf(),
        repository: true,
        config: doublecheck::config::Config::default(),
        progress: Default::default(),
        jobs: None,
    };
    let policies = doublecheck::policy::PolicySet::from_policies(
        doublecheck::policy::load_builtin().expect("built-in policies load"),
    )
    .expect("ids are unique");
    let report = doublecheck::scan::scan(&request, &policies);
    let entries = baseline::entries_of(&report);
    assert_eq!(entries.len(), 3);

    let tf = root.join("terraform/main.tf");
    let text = std::fs::read_to_string(&tf).expect("main.tf");
    std::fs::write(&tf, text.replace("public-read", "private")).expect("fix the bucket");
    let mut report = doublecheck::scan::scan(&request, &policies);
    baseline::apply(&mut report, "b.json", entries);
    assert_eq!(report.base.as_deref(), Some("baseline b.json"));
    let fixed: Vec<(&str, &str, &str)> = report
        .fixed
        .iter()
        .map(|f| (f.rule.as_str(), f.path.as_str(), f.locator.as_str()))
        .collect();
    assert_eq!(
        fixed,
        [(
            "TF-PUBLIC-001",
            "terraform/main.tf",
            "/resource/aws_s3_bucket/site/acl"
        )]
    );
    assert!(!report.fails_at(doublecheck::finding::Severity::Note));
}

#[test]
fn a_malformed_baseline_is_located_and_exits_2() {
    let dir = temp_copy("baseline");
    let root = dir.path();
    let file = root.join("broken.json");
    std::fs::write(
        &file,
        "{\n  \"version\": 1,\n  \"entries\": [\n    {\"fingerprint\": \"x\", \"rule\": \"K8S-POD-001\", \"path\": \"k8s/pod.yaml\", \"locator\": \"\"}\n  ]\n}\n",
    )
    .expect("write");
    let run = scan_with(root, &file);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(&format!("{}:4:21", file.display())),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("a fingerprint is 32 hexadecimal digits")
    );
    assert!(
        run.stderr.contains(
            "\nhelp: baselines are written by `doublecheck baseline create` and pruned by \
             `baseline update`: write it again rather than edit it by hand\n"
        ),
        "{}",
        run.stderr
    );

    std::fs::write(&file, "{\"version\": 1, \"entries\": [}\n").expect("write");
    let run = scan_with(root, &file);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!("{}:1:28", file.display())),
        "{}",
        run.stderr
    );

    let missing = root.join("missing.json");
    let run = scan_with(root, &missing);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "\nhelp: write one with `doublecheck baseline create`, or give the right path\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn engine_findings_are_never_baselined() {
    let dir = temp_copy("baseline");
    let root = dir.path();
    std::fs::write(root.join("k8s/broken.yaml"), "apiVersion: v1\nkind: [\n").expect("write");
    let created = run([Path::new("baseline"), Path::new("create"), root]);
    assert_eq!(created.code, 0);
    assert!(
        created
            .stderr
            .contains("1 finding of doublecheck's own rules cannot be baselined; fix it:"),
        "{}",
        created.stderr
    );
    let file = root.join(".doublecheck-baseline.json");
    let rules: Vec<Value> = baseline_json(&file)["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["rule"].clone())
        .collect();
    assert_eq!(
        rules,
        [
            json!("K8S-POD-001"),
            json!("K8S-POD-002"),
            json!("TF-PUBLIC-001")
        ]
    );
    let run = scan_with(root, &file);
    assert_eq!(run.code, 1, "the parse error still fails the run");
    let report = run.json();
    let parse = findings(&report)
        .iter()
        .find(|f| f["rule"] == "DC-PARSE")
        .expect("a DC-PARSE finding");
    assert_eq!(parse["baseline_state"], "new");
    assert!(parse["suppression"].is_null());
}
