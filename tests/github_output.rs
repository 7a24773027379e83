//! `--format github`: annotations that untrusted paths and values cannot break out of,
//! GitHub's annotation limits in priority order, and the step summary and step outputs the
//! runner reads from files.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::doublecheck;
use common::hand_built::{at, finding};
use doublecheck::finding::Severity;
use doublecheck::finding::{BaseFinding, BaselineState, Finding, Suppression, SuppressionKind};
use doublecheck::render::{
    Links, MAX_SUMMARY_BYTES, OutputFormat, TextStyle, github_outputs, render, step_summary,
};
use doublecheck::report::Report;
use doublecheck::report::RuleInfo;

/// A directory name and a container name written to inject workflow commands.
const HOSTILE_DIR: &str = "evil%0A,x:y\n::error file=pwned::injected";
const HOSTILE_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: \"c\\n::warning::injected %0A ##[error]old, a:b\\r\"
      image: x
      securityContext:
        privileged: true
";

fn hostile_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join(HOSTILE_DIR);
    std::fs::create_dir_all(&folder).expect("create the hostile folder");
    std::fs::write(folder.join("pod.yaml"), HOSTILE_POD).expect("write the pod");
    dir
}

fn run_in(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> (i32, String, String) {
    let mut cmd = doublecheck();
    cmd.arg("scan").arg(dir).args(args);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let output = cmd.output().expect("doublecheck runs");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

/// The lines the runner would read as workflow commands: v2 (`::` after leading
/// whitespace) and v1 (`##[` anywhere).
fn commands(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("::") || l.contains("##["))
        .collect()
}

#[test]
fn hostile_paths_and_values_cannot_start_a_command() {
    let tree = hostile_tree();
    let (code, stdout, stderr) = run_in(tree.path(), &["--format", "github"], &[]);
    assert_eq!(code, 1, "{stderr}");
    let annotation = "::error file=evil%250A%2Cx%3Ay%0A%3A%3Aerror file=pwned%3A%3Ainjected/pod.yaml,\
                      line=10,col=21,endLine=10,endColumn=25,\
                      title=K8S-POD-001 A container runs privileged\
                      ::container `c%0A::warning::injected %250A ##[error]old, a:b%0D` runs privileged: \
                      it has the node's root capabilities and devices%0A%0Ahelp: ";
    let got = commands(&stdout);
    assert_eq!(got.len(), 3, "{stdout}");
    assert_eq!(got[0], "::group::doublecheck: 1 finding, 0 suppressed");
    assert_eq!(got[1], "::endgroup::");
    assert!(got[2].starts_with(annotation), "{}", got[2]);
    insta::assert_snapshot!("hostile_github", stdout);
}

#[test]
fn github_actions_selects_the_format_and_writes_summary_and_outputs() {
    let files = tempfile::tempdir().expect("a temporary folder");
    let summary = files.path().join("summary.md");
    let outputs = files.path().join("outputs");
    let sarif = files.path().join("results.sarif");
    std::fs::write(&summary, "earlier step\n").expect("an existing summary");
    let mut cmd = doublecheck();
    cmd.args(["scan", "tests/fixtures/xml-guest-profile", "--sarif-file"])
        .arg(&sarif)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "octo/shop")
        .env("GITHUB_SHA", "0123abcd");
    let output = cmd.output().expect("doublecheck runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        stdout.starts_with("::group::doublecheck: 2 findings, 0 suppressed\n"),
        "{stdout}"
    );
    assert_eq!(
        commands(&stdout)
            .iter()
            .filter(|l| l.starts_with("::error "))
            .count(),
        2
    );
    let written = std::fs::read_to_string(&outputs).expect("the outputs file");
    assert_eq!(
        written,
        format!(
            "new=2\nexisting=0\nfixed=0\nsuppressed=0\nsarif-file={}\n",
            sarif.display()
        )
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("the SARIF file"))
            .expect("SARIF is JSON");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(2)
    );
    let summary = std::fs::read_to_string(&summary).expect("the summary file");
    assert!(
        summary.starts_with("earlier step\n## doublecheck\n"),
        "appended"
    );
    insta::assert_snapshot!("xml_guest_profile_summary", summary);
}

#[test]
fn an_explicit_format_wins_over_github_actions() {
    let files = tempfile::tempdir().expect("a temporary folder");
    let outputs = files.path().join("outputs");
    let output = doublecheck()
        .args(["scan", "tests/fixtures/yaml-settings", "--format", "json"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", &outputs)
        .output()
        .expect("doublecheck runs");
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["summary"]["new"], 3);
    // Step outputs belong to the github format.
    assert!(!outputs.exists());
}

#[test]
fn an_unwritable_sarif_file_is_an_error() {
    let files = tempfile::tempdir().expect("a temporary folder");
    let target = files.path().join("missing/folder/results.sarif");
    let output = doublecheck()
        .args(["scan", "tests/fixtures/yaml-settings", "--sarif-file"])
        .arg(&target)
        .output()
        .expect("doublecheck runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert_eq!(
        stderr,
        format!(
            "doublecheck: cannot write the SARIF report to `{}`: the folder `{}` does not \
             exist; create it first, or choose another path\n",
            target.display(),
            files.path().join("missing/folder").display()
        )
    );
}

// ---- Reports built by hand: suppressions, a base, fixed findings, changed lines. ----

fn rule(id: &str, severity: Severity) -> RuleInfo {
    RuleInfo {
        id: id.to_owned(),
        title: format!("{id} title"),
        severity,
        description: "What and why.".to_owned(),
        remediation: "Fix it.".to_owned(),
        help_uri: None,
        tags: vec!["test".to_owned()],
    }
}

fn suppressed(mut f: Finding, justification: &str) -> Finding {
    f.suppression = Some(Suppression {
        kind: SuppressionKind::InSource,
        justification: justification.to_owned(),
        until: Some("2027-01-31".to_owned()),
        location: Some(at(&f.location.path, f.location.start.line - 1)),
    });
    f
}

/// 15 new errors (lines 12-15 changed), 2 unchanged errors, a suppressed error,
/// 12 warnings and a note, compared with a base that had one more finding.
fn crowded_report() -> Report {
    let mut findings: Vec<Finding> = (1..=15)
        .map(|line| finding("E-1", Severity::Error, "a.yml", line))
        .collect();
    for line in [20, 21] {
        let mut f = finding("E-1", Severity::Error, "a.yml", line);
        f.baseline_state = Some(BaselineState::Unchanged);
        findings.push(f);
    }
    findings.push(suppressed(
        finding("E-1", Severity::Error, "a.yml", 30),
        "reviewed",
    ));
    findings.extend((1..=12).map(|line| finding("W-1", Severity::Warning, "b.yml", line)));
    findings.push(finding("N-1", Severity::Note, "c.yml", 1));
    for f in &mut findings {
        if f.baseline_state.is_none() {
            f.baseline_state = Some(BaselineState::New);
        }
    }
    Report {
        findings,
        rules: vec![
            rule("E-1", Severity::Error),
            rule("N-1", Severity::Note),
            rule("W-1", Severity::Warning),
        ],
        files_checked: 3,
        documents: 3,
        base: Some("git origin/main".to_owned()),
        fixed: vec![BaseFinding {
            fingerprint: "gone".to_owned(),
            rule: "E-1".to_owned(),
            path: "a.yml".to_owned(),
            locator: "/x/40".to_owned(),
            message: Some("E-1 at a.yml:40".to_owned()),
            location: Some(at("a.yml", 40)),
        }],
        changed_lines: BTreeMap::from([("a.yml".to_owned(), vec![(12, 15)])]),
        ..Report::default()
    }
}

fn rendered(format: OutputFormat, report: &Report) -> String {
    let mut out = Vec::new();
    render(format, report, TextStyle::Plain, &mut out).expect("render");
    String::from_utf8(out).expect("UTF-8")
}

/// (command, file, line) of each annotation.
fn annotations(stdout: &str) -> Vec<(String, String, usize)> {
    stdout
        .lines()
        .filter(|l| {
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .map(|l| {
            let (command, rest) = l[2..].split_once(' ').expect("properties");
            let property = |name: &str| {
                rest.split(',')
                    .find_map(|p| p.strip_prefix(&format!("{name}=")))
                    .expect("a property")
                    .to_owned()
            };
            (
                command.to_owned(),
                property("file"),
                property("line").parse().expect("a line number"),
            )
        })
        .collect()
}

#[test]
fn annotations_respect_the_limits_in_priority_order() {
    let report = crowded_report();
    let stdout = rendered(OutputFormat::Github, &report);
    let got = annotations(&stdout);
    let expected: Vec<(String, String, usize)> = [12, 13, 14, 15, 1, 2, 3, 4, 5, 6]
        .into_iter()
        .map(|line| ("error".to_owned(), "a.yml".to_owned(), line))
        .chain((1..=10).map(|line| ("warning".to_owned(), "b.yml".to_owned(), line)))
        .chain([("notice".to_owned(), "c.yml".to_owned(), 1)])
        .collect();
    assert_eq!(got, expected);
    // 5 errors and 2 warnings over the limits; unchanged and suppressed ones are never
    // annotated, so they are not counted as left out.
    assert!(
        stdout.contains(
            "\ndoublecheck: 7 findings not shown as annotations (GitHub shows at most 10 \
             errors, 10 warnings and 10 notices per step); every finding is in the log above \
             and in the step summary\n"
        ),
        "{stdout}"
    );
    // The log has every finding, the fixed one too.
    assert!(stdout.contains("\nerror[E-1] a.yml:20:3: E-1 at a.yml:20 (existing)\n"));
    assert!(stdout.contains("\nerror[E-1] a.yml:30:3: E-1 at a.yml:30 (suppressed: reviewed)\n"));
    assert!(stdout.contains("\nfixed[E-1]: a.yml: /x/40\n"));
    assert!(stdout.ends_with(
        "doublecheck: findings: 28 new, 2 existing, 1 fixed, 1 suppressed in 3 files checked\n"
    ));
}

#[test]
fn without_a_base_unchanged_state_is_ignored_and_all_new_are_candidates() {
    let mut report = crowded_report();
    report.base = None;
    report.fixed.clear();
    report.changed_lines.clear();
    for f in &mut report.findings {
        f.baseline_state = None;
    }
    let got = annotations(&rendered(OutputFormat::Github, &report));
    let errors: Vec<usize> = got
        .iter()
        .filter(|(c, _, _)| c == "error")
        .map(|(_, _, l)| *l)
        .collect();
    assert_eq!(errors, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(got.len(), 21);
}

fn hostile_report() -> Report {
    let mut report = crowded_report();
    report.findings.truncate(2);
    report.findings[0].message =
        "a|b <script>x</script> & `code` [link](javascript:x)\n![i](u) *e* $m$".to_owned();
    report.findings[0].location.path = "dir|x/<a>.yml".to_owned();
    report.findings[1].baseline_state = Some(BaselineState::Unchanged);
    report.findings.push(suppressed(
        finding("W-1", Severity::Warning, "b.yml", 5),
        "accepted | <b>risk</b>",
    ));
    report
}

#[test]
fn step_summary_lists_every_finding_escaped_and_linked() {
    let report = hostile_report();
    let links = Links {
        server: "https://github.com".to_owned(),
        repository: "octo/shop".to_owned(),
        sha: "0123abcd".to_owned(),
    };
    let summary = step_summary(&report, Some(&links), MAX_SUMMARY_BYTES);
    insta::assert_snapshot!("hand_built_summary", summary);
    // Without the runner's variables, locations are plain text.
    let plain = step_summary(&report, None, MAX_SUMMARY_BYTES);
    assert!(
        plain.contains("| b.yml:5 | accepted \\| &lt;b&gt;risk&lt;/b&gt; (until 2027-01-31) |")
    );
    assert!(!plain.contains("]("));
}

#[test]
fn step_summary_stays_within_its_budget() {
    let report = crowded_report();
    let full = step_summary(&report, None, MAX_SUMMARY_BYTES);
    assert!(full.contains("### New (28)"), "{full}");
    let budget = 1200;
    let cut = step_summary(&report, None, budget);
    assert!(cut.len() <= budget, "{} bytes", cut.len());
    let listed = cut
        .lines()
        .filter(|l| {
            l.starts_with("| error") || l.starts_with("| warning") || l.starts_with("| note")
        })
        .count();
    let total = full
        .lines()
        .filter(|l| {
            l.starts_with("| error") || l.starts_with("| warning") || l.starts_with("| note")
        })
        .count();
    assert_eq!(total, 32);
    assert!(listed < total);
    assert!(
        cut.ends_with(&format!(
            "\n{} more findings are not listed: GitHub limits a step summary to 1 MiB. The \
             log of this step and the SARIF report have them all.\n",
            total - listed
        )),
        "{cut}"
    );
}

#[test]
fn step_outputs_count_by_standing() {
    let report = crowded_report();
    assert_eq!(
        github_outputs(&report, Some("out/doublecheck.sarif")),
        "new=28\nexisting=2\nfixed=1\nsuppressed=1\nsarif-file=out/doublecheck.sarif\n"
    );
}

#[test]
fn text_with_a_base_shows_new_findings_and_counts_the_rest() {
    let report = hostile_report();
    insta::assert_snapshot!("hand_built_text", rendered(OutputFormat::Text, &report));
}

#[test]
fn json_counts_by_standing_and_lists_fixed() {
    let report = crowded_report();
    let json: serde_json::Value =
        serde_json::from_str(&rendered(OutputFormat::Json, &report)).expect("JSON");
    let summary = &json["summary"];
    assert_eq!(
        (
            &summary["findings"],
            &summary["new"],
            &summary["existing"],
            &summary["fixed"],
            &summary["suppressed"]
        ),
        (&31.into(), &28.into(), &2.into(), &1.into(), &1.into())
    );
    assert_eq!(json["fixed"][0]["fingerprint"], "gone");
    assert_eq!(json["fixed"][0]["locator"], "/x/40");
    assert_eq!(json["findings"][17]["suppression"]["kind"], "inSource");
}
