//! Inline `doublecheck:ignore` comments end to end: on the finding's line and on the line
//! above in YAML, HCL, XML and JSON; a reason required; expiry; unused and unknown rules;
//! markers inside strings; `--no-ignores`; rules the config forbids suppressing.

mod common;

use common::{findings, fixture, run, spots};
use serde_json::Value;

/// The `until=` dates of the fixture are compared with this day.
const TODAY: &str = "2026-06-01";

/// `scan suppressions/… --format json` with a fixed today.
fn scan(paths: &[&str], extra: &[&str]) -> common::Run {
    scan_on(TODAY, paths, extra)
}

fn scan_on(today: &str, paths: &[&str], extra: &[&str]) -> common::Run {
    let root = fixture("suppressions");
    let mut cmd = common::doublecheck();
    cmd.env("DOUBLECHECK_TODAY", today).arg("scan");
    for path in paths {
        cmd.arg(root.join(path));
    }
    cmd.arg("--root").arg(&root).args(["--format", "json"]);
    cmd.args(extra);
    let output = cmd.output().expect("doublecheck runs");
    common::Run {
        code: output.status.code().expect("an exit code"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    }
}

/// (rule, path, line, column, suppressed) of every finding.
fn states(report: &Value) -> Vec<(String, String, u64, u64, bool)> {
    spots(report)
        .into_iter()
        .zip(findings(report))
        .map(|(s, f)| {
            (
                s.rule,
                s.path,
                s.line,
                s.column,
                !f["suppression"].is_null(),
            )
        })
        .collect()
}

fn state(
    rule: &str,
    path: &str,
    line: u64,
    column: u64,
    suppressed: bool,
) -> (String, String, u64, u64, bool) {
    (rule.to_owned(), path.to_owned(), line, column, suppressed)
}

const POD: &str = "k8s/pod.yaml";
const TF: &str = "terraform/main.tf";
const PROFILE: &str = "force-app/main/default/profiles/Partner Portal Profile.profile-meta.xml";
const JSON: &str = "audit/main.json";

#[test]
fn suppressions_on_the_line_and_above_in_every_format() {
    let run = scan(&["."], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        states(&report),
        [
            // JSON: `//` above, `//` on the line.
            state("GH-REVIEW-002", JSON, 8, 40, true),
            state("GH-REVIEW-006", JSON, 10, 33, true),
            // XML: a comment node above, one on the line; the escaped text does not count.
            state("SF-GUEST-001", PROFILE, 9, 20, true),
            state("SF-GUEST-002", PROFILE, 10, 20, true),
            // YAML, one pod a document: on the line.
            state("K8S-POD-002", POD, 6, 16, true),
            // Above, with two rules: one suppresses, the other finds nothing on that line.
            state("DC-SUPPRESSION-UNUSED", POD, 11, 42, false),
            state("K8S-POD-001", POD, 12, 21, true),
            state("DC-SUPPRESSION-UNUSED", POD, 13, 63, false),
            // A marker inside a string value does not count.
            state("K8S-POD-002", POD, 21, 12, false),
            // An expired suppression no longer applies and says so at its date.
            state("DC-SUPPRESSION-EXPIRED", POD, 29, 63, false),
            state("K8S-POD-002", POD, 30, 12, false),
            // HCL: `#` on the line, `//` above.
            state("TF-PUBLIC-001", TF, 3, 12, true),
            state("TF-PUBLIC-001", TF, 9, 9, true),
            // `/* */` without a reason: invalid, so the finding is reported.
            state("TF-PUBLIC-001", TF, 14, 12, false),
            state("DC-SUPPRESSION", TF, 14, 29, false),
            // An unknown rule id (a typo) suppresses nothing.
            state("TF-PUBLIC-001", TF, 19, 12, false),
            state("DC-SUPPRESSION", TF, 19, 47, false),
        ]
    );
    let all = findings(&report);
    let privileged = &all[6];
    assert_eq!(privileged["suppression"]["kind"], "inSource");
    assert_eq!(
        privileged["suppression"]["justification"],
        "installs the GPU driver"
    );
    assert_eq!(privileged["suppression"]["until"], "2099-12-31");
    assert_eq!(privileged["suppression"]["location"]["start"]["line"], 11);
    assert_eq!(privileged["suppression"]["location"]["start"]["column"], 11);
    assert_eq!(all[9]["severity"], "warning");
    assert_eq!(
        all[9]["message"],
        "this suppression of K8S-POD-002 expired on 2020-01-31 (today is 2026-06-01): its findings are reported again"
    );
    assert_eq!(all[14]["severity"], "error");
    assert!(
        all[16]["message"]
            .as_str()
            .is_some_and(|m| m.contains("did you mean `TF-PUBLIC-001`?")),
        "{}",
        all[16]
    );
}

#[test]
fn fully_suppressed_files_pass_and_no_ignores_fails_them() {
    let run = scan(&[JSON], &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(states(&run.json()).iter().filter(|s| s.4).count(), 2);
    let run = scan(&[JSON], &["--no-ignores"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        states(&run.json()),
        [
            state("GH-REVIEW-002", JSON, 8, 40, false),
            state("GH-REVIEW-006", JSON, 10, 33, false),
        ]
    );
}

#[test]
fn no_ignores_disables_every_comment_and_its_findings() {
    let run = scan(&["."], &["--no-ignores"]);
    assert_eq!(run.code, 1);
    let report = run.json();
    let states = states(&report);
    assert!(
        states.iter().all(|s| !s.4),
        "nothing suppressed: {states:?}"
    );
    assert!(
        states.iter().all(|s| !s.0.starts_with("DC-")),
        "no suppression findings: {states:?}"
    );
    assert_eq!(states.len(), 12);
}

#[test]
fn the_config_can_forbid_suppressing_rules_inline() {
    let config = fixture("suppressions-config/forbid.yml");
    let config = config.to_str().expect("a UTF-8 path");
    let run = scan(&[POD], &["--config", config]);
    assert_eq!(run.code, 1);
    let report = run.json();
    assert_eq!(
        states(&report),
        [
            state("K8S-POD-002", POD, 6, 16, false),
            state("DC-SUPPRESSION", POD, 6, 43, false),
            state("DC-SUPPRESSION", POD, 11, 30, false),
            state("DC-SUPPRESSION", POD, 11, 42, false),
            state("K8S-POD-001", POD, 12, 21, false),
            state("DC-SUPPRESSION", POD, 13, 63, false),
            state("K8S-POD-002", POD, 21, 12, false),
            state("DC-SUPPRESSION-EXPIRED", POD, 29, 63, false),
            state("K8S-POD-002", POD, 30, 12, false),
        ]
    );
    assert_eq!(
        findings(&report)[1]["message"],
        "the config forbids suppressing K8S-POD-002 inline (suppressions.forbid: `K8S-POD-*`): the finding is reported"
    );
}

#[test]
fn until_is_compared_with_today() {
    // The last day of `until` still suppresses; the day after, it has expired.
    let run = scan_on("2099-12-31", &[POD], &[]);
    assert!(states(&run.json()).contains(&state("K8S-POD-001", POD, 12, 21, true)));
    let run = scan_on("2100-01-01", &[POD], &[]);
    let states = states(&run.json());
    assert!(states.contains(&state("K8S-POD-001", POD, 12, 21, false)));
    assert!(states.contains(&state("DC-SUPPRESSION-EXPIRED", POD, 11, 93, false)));
    let run = scan_on("tomorrow", &[POD], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("DOUBLECHECK_TODAY=`tomorrow`"),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_knows_the_suppression_rules() {
    let run = run(["explain", "DC-SUPPRESSION-UNUSED"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("suppresses nothing"), "{}", run.stdout);
}
