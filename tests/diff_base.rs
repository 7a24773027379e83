//! PR-only mode (`scan --diff-base REF`) on git repositories built here, from the two sides in
//! `tests/fixtures/diff-base/` (see its README): findings are new or unchanged by
//! fingerprint against the base revision read from git objects, the base's findings that are
//! gone are fixed, and only new findings fail the run.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Spot, findings, fixture, spot, spots};
use doublecheck::config::Config;
use doublecheck::diff::scan_diff_base;
use doublecheck::policy::{PolicySet, load_builtin};
use doublecheck::report::Report;
use doublecheck::scan::ScanRequest;
use serde_json::Value;

/// A git repository in a temporary folder, configured for tests only.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    /// A repository whose one commit (`main`) is the base side.
    fn with_base() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo.git(&["config", "user.name", "doublecheck tests"]);
        repo.git(&["config", "user.email", "tests@doublecheck.invalid"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.git(&["config", "tag.gpgsign", "false"]);
        repo.put("base");
        repo.commit("base");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        common::git(self.path(), args)
    }

    /// Makes the work tree one side of the fixture (everything else but `.git` is removed).
    fn put(&self, side: &str) {
        for entry in std::fs::read_dir(self.path()).expect("list the work tree") {
            let entry = entry.expect("a work tree entry");
            if entry.file_name() == ".git" {
                continue;
            }
            if entry.file_type().expect("entry type").is_dir() {
                std::fs::remove_dir_all(entry.path()).expect("remove a folder");
            } else {
                std::fs::remove_file(entry.path()).expect("remove a file");
            }
        }
        copy_tree(&fixture("diff-base").join(side), self.path());
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--message", message]);
    }

    fn write(&self, relative: &str, content: &str) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, content).expect("write a file");
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("list a fixture folder") {
        let entry = entry.expect("a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("entry type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// Runs `doublecheck scan ARGS --format json` in `cwd`.
fn scan_in(cwd: &Path, args: &[&str]) -> common::Run {
    let output = common::doublecheck()
        .current_dir(cwd)
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("doublecheck runs");
    common::Run {
        code: output.status.code().expect("an exit code"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

/// Each finding with its `baseline_state`.
fn states(report: &Value) -> Vec<(Spot, String)> {
    spots(report)
        .into_iter()
        .zip(findings(report))
        .map(|(spot, f)| {
            let state = f["baseline_state"]
                .as_str()
                .unwrap_or_else(|| panic!("baseline_state is set on {f}"));
            (spot, state.to_owned())
        })
        .collect()
}

fn new(spot: Spot) -> (Spot, String) {
    (spot, "new".to_owned())
}

fn unchanged(spot: Spot) -> (Spot, String) {
    (spot, "unchanged".to_owned())
}

/// What the head of the fixture reports against its base, shown from the repository root.
fn head_against_base() -> Vec<(Spot, String)> {
    vec![
        new(spot("GH-ENV-001", ".github/settings.yml", 2, 5)),
        new(spot("K8S-POD-001", "k8s/batch.yaml", 10, 21)),
        unchanged(spot("K8S-POD-002", "k8s/worker.yaml", 6, 16)),
    ]
}

#[test]
fn the_work_tree_against_the_base_commit() {
    let repo = Repo::with_base();
    repo.put("head");
    let run = scan_in(repo.path(), &[".", "--diff-base", "main"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(states(&report), head_against_base());
    // Exactly two new and one fixed, as the JSON report says them.
    assert_eq!(report["summary"]["new"], 2);
    assert_eq!(report["summary"]["existing"], 1);
    assert_eq!(report["summary"]["fixed"], 1);
    let fixed: Vec<(&str, &str, &Value)> = report["fixed"]
        .as_array()
        .expect("a fixed list")
        .iter()
        .map(|f| {
            let rule = f["rule"].as_str().expect("rule");
            let path = f["path"].as_str().expect("path");
            (rule, path, &f["location"]["start"]["line"])
        })
        .collect();
    assert_eq!(fixed, [("K8S-POD-001", "k8s/web.yaml", &Value::from(10))]);
    // Nothing was written to the repository or the work tree.
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        " M .github/settings.yml\n M k8s/web.yaml\n?? k8s/batch.yaml\n"
    );
}

#[test]
fn a_committed_head_against_its_parent() {
    let repo = Repo::with_base();
    repo.put("head");
    repo.commit("head");
    let root = repo.path().display().to_string();
    for reference in ["HEAD~1", "HEAD^", &repo.git(&["rev-parse", "HEAD~1"])[..12]] {
        let run = scan_in(Path::new("/"), &[&root, "--diff-base", reference]);
        assert_eq!(run.code, 1, "{reference}: {}", run.stderr);
        assert_eq!(states(&run.json()), head_against_base(), "{reference}");
    }
    // Against itself, every finding is unchanged and the run passes.
    let run = scan_in(repo.path(), &["--diff-base", "HEAD"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(states(&run.json()).iter().all(|(_, s)| s == "unchanged"));
    assert_eq!(findings(&run.json()).len(), 3);
}

#[test]
fn only_new_findings_fail_the_run() {
    let repo = Repo::with_base();
    std::fs::copy(
        fixture("diff-base/head/k8s/web.yaml"),
        repo.path().join("k8s/web.yaml"),
    )
    .expect("fix web.yaml");
    let run = scan_in(repo.path(), &["--diff-base", "main"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(
        states(&run.json()),
        [unchanged(spot("K8S-POD-002", "k8s/worker.yaml", 6, 16))]
    );
    // Without --diff-base the same tree fails.
    assert_eq!(scan_in(repo.path(), &[]).code, 1);
}

#[test]
fn a_scanned_subfolder_is_shown_from_the_top_on_both_sides() {
    let repo = Repo::with_base();
    repo.put("head");
    let expected = [
        new(spot("K8S-POD-001", "k8s/batch.yaml", 10, 21)),
        unchanged(spot("K8S-POD-002", "k8s/worker.yaml", 6, 16)),
    ];
    let run = scan_in(repo.path(), &["k8s", "--diff-base", "main"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(states(&run.json()), expected);
    let run = scan_in(&repo.path().join("k8s"), &["--diff-base", "main"]);
    assert_eq!(states(&run.json()), expected);
    // The fixed finding of the subfolder is listed, not those elsewhere.
    assert_eq!(run.json()["summary"]["fixed"], 1);
    // A file given by name.
    let run = scan_in(repo.path(), &["k8s/worker.yaml", "--diff-base", "main"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(
        states(&run.json()),
        [unchanged(spot("K8S-POD-002", "k8s/worker.yaml", 6, 16))]
    );
    // With --root, shown from there.
    let run = scan_in(
        repo.path(),
        &["k8s", "--root", "k8s", "--diff-base", "main"],
    );
    assert_eq!(
        states(&run.json()),
        [
            new(spot("K8S-POD-001", "batch.yaml", 10, 21)),
            unchanged(spot("K8S-POD-002", "worker.yaml", 6, 16)),
        ]
    );
}

#[test]
fn a_baseline_accepts_findings_the_base_revision_lacks() {
    let repo = Repo::with_base();
    repo.put("head");
    // A baseline accepting the new finding of k8s/batch.yaml (and nothing else).
    let accepted = scan_in(repo.path(), &["k8s/batch.yaml"]).json();
    let finding = &findings(&accepted)[0];
    let baseline = serde_json::json!({
        "version": 1,
        "entries": [{
            "fingerprint": finding["fingerprint"],
            "rule": finding["rule"],
            "path": finding["location"]["path"],
            "locator": finding["locator"],
        }],
    });
    repo.write("accepted.json", &baseline.to_string());
    let run = scan_in(
        repo.path(),
        &["--diff-base", "main", "--baseline", "accepted.json"],
    );
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        states(&report),
        [
            new(spot("GH-ENV-001", ".github/settings.yml", 2, 5)),
            unchanged(spot("K8S-POD-001", "k8s/batch.yaml", 10, 21)),
            unchanged(spot("K8S-POD-002", "k8s/worker.yaml", 6, 16)),
        ]
    );
    // Fixed: what the change fixed at the revision.
    assert_eq!(report["summary"]["fixed"], 1);
    // The config's baseline is used as well; once it accepts the last new finding, the run
    // passes.
    let settings = scan_in(repo.path(), &[".github/settings.yml"]).json();
    let second = &findings(&settings)[0];
    let mut both = baseline.clone();
    both["entries"]
        .as_array_mut()
        .expect("entries")
        .push(serde_json::json!({
            "fingerprint": second["fingerprint"],
            "rule": second["rule"],
            "path": second["location"]["path"],
            "locator": second["locator"],
        }));
    repo.write("accepted.json", &both.to_string());
    repo.write(".doublecheck.yml", "baseline: accepted.json\n");
    let run = scan_in(repo.path(), &["--diff-base", "main"]);
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let summary = &run.json()["summary"];
    assert_eq!(
        (&summary["new"], &summary["existing"], &summary["fixed"]),
        (&Value::from(0), &Value::from(3), &Value::from(1))
    );
    let text = common::run_in(repo.path(), ["scan", "--diff-base", "main"]);
    assert!(
        text.stdout.contains("git main and baseline") && text.stdout.contains("accepted.json"),
        "{}",
        text.stdout
    );
}

#[test]
fn deleted_files_are_fixed_and_renamed_ones_keep_their_findings() {
    let repo = Repo::with_base();
    repo.git(&["rm", "--quiet", "k8s/web.yaml"]);
    std::fs::create_dir(repo.path().join("k8s/pods")).expect("create a folder");
    repo.git(&["mv", "k8s/worker.yaml", "k8s/pods/worker.yaml"]);
    let run = scan_in(repo.path(), &["--diff-base", "main"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(
        states(&run.json()),
        [unchanged(spot(
            "K8S-POD-002",
            "k8s/pods/worker.yaml",
            6,
            16
        ))]
    );
    let report = library_scan(repo.path(), &[repo.path().to_owned()], "main");
    assert_eq!(fixed(&report), [("K8S-POD-001", "k8s/web.yaml", 10)]);
}

#[test]
fn an_unknown_revision_is_a_usage_error() {
    let repo = Repo::with_base();
    let run = scan_in(repo.path(), &["--diff-base", "no-such-branch"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty(), "no report: {}", run.stdout);
    let workdir = repo.path().canonicalize().expect("the repository's folder");
    assert_eq!(
        run.stderr,
        format!(
            "doublecheck: --diff-base: `no-such-branch` is not a commit in the git repository \
             at `{}`\n",
            workdir.display()
        )
    );
    // Further back than the history goes: said in words, not in gix's.
    let run = scan_in(repo.path(), &["--diff-base", "HEAD~5"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "doublecheck: --diff-base: `HEAD~5` is not a commit in the git repository at `{}` \
             (`HEAD` has fewer than 5 commits before it)\n",
            workdir.display()
        )
    );
}

#[test]
fn outside_a_repository_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("pod.yaml"), "apiVersion: v1\nkind: Pod\n").expect("write");
    let run = scan_in(dir.path(), &["--diff-base", "main"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not inside a git repository"),
        "stderr: {}",
        run.stderr
    );
}

#[test]
fn a_shallow_clone_without_the_base_says_how_to_fetch_it() {
    let origin = Repo::with_base();
    origin.put("head");
    origin.commit("head");
    let clones = tempfile::tempdir().expect("a temporary folder");
    let url = format!("file://{}", origin.path().display());
    let status = Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", &url, "shallow"])
        .current_dir(clones.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git clone runs");
    assert!(status.success());
    let shallow = clones.path().join("shallow");
    let run = scan_in(&shallow, &["--diff-base", "HEAD~1"]);
    assert_eq!(run.code, 2, "stdout: {}", run.stdout);
    assert!(
        run.stderr.contains("shallow clone") && run.stderr.contains("`fetch-depth: 0`"),
        "stderr: {}",
        run.stderr
    );
}

fn policies() -> PolicySet {
    PolicySet::from_policies(load_builtin().expect("built-in policies load"))
        .expect("built-in policies compile")
}

fn library_scan(root: &Path, paths: &[PathBuf], reference: &str) -> Report {
    let request = ScanRequest {
        paths: paths.to_vec(),
        root: root.to_owned(),
        repository: true,
        config: Config::default(),
        progress: Default::default(),
        jobs: None,
    };
    scan_diff_base(&request, &policies(), reference).expect("the base is read")
}

/// (rule, path, line at the base) of each fixed finding.
fn fixed(report: &Report) -> Vec<(&str, &str, usize)> {
    report
        .fixed
        .iter()
        .map(|f| {
            let line = f.location.as_ref().map_or(0, |l| l.start.line);
            (f.rule.as_str(), f.path.as_str(), line)
        })
        .collect()
}

#[test]
fn the_report_lists_fixed_findings_and_changed_lines() {
    let repo = Repo::with_base();
    repo.put("head");
    let report = library_scan(repo.path(), &[repo.path().to_owned()], "main");
    assert_eq!(fixed(&report), [("K8S-POD-001", "k8s/web.yaml", 10)]);
    assert_eq!(report.base.as_deref(), Some("git main"));
    let changed: Vec<(&str, &[(usize, usize)])> = report
        .changed_lines
        .iter()
        .map(|(path, lines)| (path.as_str(), lines.as_slice()))
        .collect();
    // settings.yml only lost a line: no head line is new there.
    assert_eq!(
        changed,
        [
            ("k8s/batch.yaml", &[(1, 10)][..]),
            ("k8s/web.yaml", &[(8, 8), (10, 10)][..]),
        ]
    );
}

#[test]
fn engine_findings_at_the_base_count_like_any_other() {
    let repo = Repo::with_base();
    repo.write("k8s/broken.yaml", "apiVersion: v1\nkind: [Pod\n");
    repo.commit("a broken manifest");
    // The head fixes the broken file and breaks worker.yaml.
    repo.write("k8s/broken.yaml", "apiVersion: v1\nkind: Pod\n");
    repo.write("k8s/worker.yaml", "apiVersion: v1\nkind: {Pod\n");
    let run = scan_in(repo.path(), &["--diff-base", "main"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let rules: Vec<(String, String, String)> = states(&report)
        .into_iter()
        .map(|(s, state)| (s.rule, s.path, state))
        .collect();
    assert_eq!(
        rules,
        [
            (
                "K8S-POD-001".into(),
                "k8s/web.yaml".into(),
                "unchanged".into()
            ),
            ("DC-PARSE".into(), "k8s/worker.yaml".into(), "new".into()),
        ]
    );
    let report = library_scan(repo.path(), &[repo.path().to_owned()], "main");
    let mut gone: Vec<(&str, &str)> = fixed(&report).iter().map(|f| (f.0, f.1)).collect();
    gone.sort();
    assert_eq!(
        gone,
        [
            ("DC-PARSE", "k8s/broken.yaml"),
            ("K8S-POD-002", "k8s/worker.yaml")
        ]
    );
}

#[test]
fn a_deleted_file_that_facts_read_changes_findings_in_unchanged_files() {
    let repo = Repo::with_base();
    repo.write(
        ".github/settings.yml",
        "branches:\n  - name: main\n    protection:\n      required_pull_request_reviews:\n        \
         required_approving_review_count: 1\n        dismiss_stale_reviews: true\n        \
         require_code_owner_reviews: true\n      enforce_admins: true\n",
    );
    repo.write("docs/CODEOWNERS", "* @example/reviewers\n");
    repo.commit("code-owner review with a CODEOWNERS file");
    // settings.yml stays as it is; only CODEOWNERS goes.
    repo.git(&["rm", "--quiet", "docs/CODEOWNERS"]);
    let run = scan_in(repo.path(), &["--diff-base", "main"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        states(&run.json()),
        [
            new(spot("GH-CODEOWNERS-003", ".github/settings.yml", 7, 37)),
            unchanged(spot("K8S-POD-001", "k8s/web.yaml", 10, 21)),
            unchanged(spot("K8S-POD-002", "k8s/worker.yaml", 6, 16)),
        ]
    );
    // And back: adding CODEOWNERS fixes the finding of the unchanged settings.yml.
    repo.commit("no CODEOWNERS");
    repo.write("docs/CODEOWNERS", "* @example/reviewers\n");
    let report = library_scan(repo.path(), &[repo.path().to_owned()], "main");
    assert_eq!(
        fixed(&report),
        [("GH-CODEOWNERS-003", ".github/settings.yml", 7)]
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule != "GH-CODEOWNERS-003")
    );
}

/// A bucket policy read from a JSON file (`file(…)`), judged in the file: the base's side of
/// the file is read from git objects, and a change to the file alone is a change.
#[test]
fn a_file_a_configuration_reads_is_compared_on_both_sides() {
    const CONFIG: &str = "resource \"aws_s3_bucket_policy\" \"site\" {\n  bucket = \"site\"\n  \
                          policy = file(\"${path.module}/policy.json\")\n}\n";
    let policy = |condition: &str| {
        format!(
            "{{\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \
             \"Principal\": \"*\",\n      \"Action\": \"s3:GetObject\",\n      \
             \"Resource\": \"arn:aws:s3:::site/*\"{condition}\n    }}\n  ]\n}}\n"
        )
    };
    let restricted =
        ",\n      \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}";
    let opened = spot("TF-PUBLIC-002", "tf/policy.json", 5, 20);
    let repo = Repo::with_base();
    repo.write("tf/main.tf", CONFIG);
    repo.write("tf/policy.json", &policy(restricted));
    repo.commit("a restricted bucket policy in a file");

    // Only the JSON file changes: its finding is new.
    repo.write("tf/policy.json", &policy(""));
    let run = scan_in(repo.path(), &["--diff-base", "main"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let head_findings = states(&run.json());
    assert!(
        head_findings.contains(&new(opened.clone())),
        "{head_findings:?}"
    );

    // Committed, then the configuration changes beside it: read from the base's objects,
    // the file gives the same finding, which is unchanged.
    repo.commit("the bucket policy opened");
    repo.write("tf/main.tf", &format!("# The site's bucket.\n{CONFIG}"));
    let run = scan_in(repo.path(), &["--diff-base", "main"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(states(&run.json()).contains(&unchanged(opened.clone())));

    // Nothing of the Terraform folder changes: the finding in the file stays unchanged.
    repo.commit("a comment");
    repo.write(
        "k8s/web.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
    );
    let run = scan_in(repo.path(), &["--diff-base", "main"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(states(&run.json()).contains(&unchanged(opened)));
}
