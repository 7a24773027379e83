//! The Kubernetes pack end to end: one policy per risk reaches every pod spec, in a `List`
//! and in a CronJob's job template alike.

mod common;

use common::{at, findings, fixture, related_spots, scan_json, spot, spots, summary};

#[test]
fn pod_specs_in_lists_and_cronjobs() {
    let run = scan_json(&fixture("kubernetes"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("K8S-POD-002", "jobs/cleanup.yaml", 11, 24),
            spot("K8S-POD-004", "jobs/cleanup.yaml", 16, 59),
            spot("K8S-POD-003", "jobs/cleanup.yaml", 25, 23),
            spot("K8S-POD-002", "manifests/list.yaml", 10, 16),
            spot("K8S-POD-001", "manifests/list.yaml", 15, 25),
        ]
    );
    let pointers: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["pointer"].as_str().expect("pointer"))
        .collect();
    assert_eq!(
        pointers,
        vec![
            "/spec/jobTemplate/spec/template/spec/hostNetwork",
            "/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/allowPrivilegeEscalation",
            "/spec/jobTemplate/spec/template/spec/volumes/0/hostPath/path",
            "/items/0/spec/hostPID",
            "/items/0/spec/containers/0/securityContext/privileged",
        ]
    );
    assert_eq!(
        findings(&report)[2]["message"],
        "volume `host` mounts the node's `/` into the pod"
    );
    // The ConfigMap's `hostNetwork: "true"` is data, not a pod spec.
    assert_eq!(summary(&report, "documents"), 3);
}

#[test]
fn a_list_of_safe_pods_passes() {
    // Only the Deployment item of the List is safe: scanning a tree without the others
    // reports nothing and exits 0.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let text = std::fs::read_to_string(fixture("kubernetes/manifests/list.yaml"))
        .expect("the fixture is readable");
    let safe = text
        .replace("hostPID: true", "hostPID: false")
        .replace("privileged: true", "privileged: false");
    std::fs::write(dir.path().join("list.yaml"), safe).expect("write the copy");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(spots(&run.json()), vec![]);
}

/// Manifests as real tools write them: UTF-16 with a byte-order mark (PowerShell's
/// `Out-File`), JSON (`kubectl get -o json`), and quoted strings whose continuation lines are
/// not indented past their key (`kubectl get -o yaml`; PyYAML and Go read them). Lines and columns count characters of the
/// decoded text, as editors show them.
#[test]
fn utf16_and_json_manifests_are_checked() {
    let run = scan_json(&fixture("k8s-encodings"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("K8S-POD-001", "kubectl-export.yaml", 15, 19),
            spot("K8S-POD-002", "pod.json", 6, 16),
            spot("K8S-POD-001", "utf16-pod.yaml", 10, 21),
        ]
    );
    // package.json is not Kubernetes: read, found to be of no known kind, never reported.
    assert_eq!(summary(&report, "documents"), 3);
}

/// Templates are not broken files: a Helm chart's templates are one note for the chart, an
/// Ansible template one note of its own, a template that happens to be valid YAML is read as
/// it is, and only the really broken manifest is a `DC-PARSE` error.
#[test]
fn templates_are_notes_and_broken_files_errors() {
    let run = scan_json(&fixture("templates"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("DC-TEMPLATE", "ansible/deploy.yaml", 6, 1),
            spot("DC-PARSE", "broken/pod.yaml", 5, 1),
            // A chart (a Chart.yaml beside `templates/`) is rendered: `privileged: {{
            // .Values.privileged }}` is true in its values.yaml.
            spot(
                "K8S-POD-001",
                "charts/agent/templates/daemonset.yaml",
                15,
                25
            ),
            spot("DC-TEMPLATE", "roles/web/templates/config.yaml", 6, 1),
        ]
    );
    let notes = findings(&report);
    assert_eq!(notes[0]["severity"], "note");
    assert_eq!(
        notes[0]["message"],
        "a template (its actions are rendered before it is valid YAML or JSON): not checked"
    );
    assert_eq!(
        notes[3]["message"],
        "the templates in `roles/web/templates` (2 files) were not checked: they are rendered \
         before they are YAML, and with no `Chart.yaml` beside them doublecheck cannot render them"
    );
    let related = notes[3]["related"].as_array().expect("related locations");
    assert_eq!(related.len(), 1);
    assert_eq!(
        related[0]["location"]["path"],
        "roles/web/templates/service.yaml"
    );
    assert_eq!(summary(&report, "files_unchecked"), 4);
}

/// The access-restriction families: control-plane flags and kubelet configuration,
/// bindings to anonymous users, a hostPath PersistentVolume, a database on a public load balancer (the web one is not reported)
/// and a capability in a Knative Revision, each at its value.
#[test]
fn control_plane_rbac_services_and_volumes() {
    // The privileged PodSecurityPolicy of cluster/access.yaml is not reported: whether it is
    // too broad depends on who may use it (see the README).
    let run = scan_json(&fixture("kubernetes-access"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // `spec:` of `orders-db`, which has no `loadBalancerSourceRanges`.
            spot("K8S-SVC-001", "apps/services.yaml", 15, 1),
            spot("K8S-POD-005", "apps/thumbnails.yaml", 11, 17),
            spot("K8S-RBAC-001", "cluster/access.yaml", 13, 11),
            spot("K8S-PV-001", "cluster/access.yaml", 35, 11),
            spot("K8S-POD-002", "control-plane/kube-apiserver.yaml", 7, 16),
            spot("K8S-AUTH-001", "control-plane/kube-apiserver.yaml", 14, 11),
            spot("K8S-PORT-001", "control-plane/kube-apiserver.yaml", 16, 11),
            spot("K8S-AUTH-002", "control-plane/kubelet-config.yaml", 5, 14),
            spot("K8S-AUTHZ-002", "control-plane/kubelet-config.yaml", 9, 9),
            spot("K8S-PORT-003", "control-plane/kubelet-config.yaml", 10, 15),
        ]
    );
    let found = findings(&report);
    assert_eq!(
        found[0]["message"],
        "the load balancer takes connections from any address to an administrative port: \
         `loadBalancerSourceRanges` is not set"
    );
    assert_eq!(
        related_spots(&found[0]),
        vec![at(
            "apps/services.yaml",
            20,
            13,
            "allows port 5432 (PostgreSQL)"
        )]
    );
    assert_eq!(
        found[5]["message"],
        "container `kube-apiserver` runs with `--anonymous-auth=true`: requests without \
         credentials are let in"
    );
    assert_eq!(summary(&report, "files_checked"), 5);
}

/// A node agent with every host namespace, a privileged container that also allows
/// escalation and adds SYS_ADMIN, and the node's root mounted: one finding per fix, the
/// host namespaces of one pod together (each pod of a `List` on its own), its fingerprint
/// the pod's, so a namespace added later is no new finding.
#[test]
fn one_finding_per_fix_for_a_node_agent() {
    let run = scan_json(&fixture("kubernetes-grouped"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("K8S-POD-002", "agent.yaml", 8, 20),
            spot("K8S-POD-001", "agent.yaml", 15, 25),
            spot("K8S-POD-003", "agent.yaml", 22, 19),
            spot("K8S-POD-002", "exported.yaml", 9, 20),
            spot("K8S-POD-002", "exported.yaml", 16, 16),
        ]
    );
    let found = findings(&report);
    assert_eq!(
        found[0]["message"],
        "the pod shares the node's namespaces: hostNetwork, hostPID, hostIPC set to true"
    );
    assert_eq!(
        related_spots(&found[0]),
        vec![
            at("agent.yaml", 9, 16, "also hostPID"),
            at("agent.yaml", 10, 16, "also hostIPC"),
        ]
    );
    assert_eq!(found[0]["locator"], "/spec/template/[group=template]");
    assert_eq!(found[3]["locator"], "/items/0/[group=0]");

    // Without hostIPC the pod's finding has the same fingerprint.
    let fewer = common::temp_copy("kubernetes-grouped");
    let agent = fewer.path().join("agent.yaml");
    let text = std::fs::read_to_string(&agent).expect("fixture");
    std::fs::write(&agent, text.replace("      hostIPC: true\n", "")).expect("written");
    let before = scan_json(fewer.path(), &[]).json();
    assert_eq!(
        findings(&before)[0]["message"],
        "the pod shares the node's namespaces: hostNetwork, hostPID set to true"
    );
    assert_eq!(findings(&before)[0]["fingerprint"], found[0]["fingerprint"]);
}
