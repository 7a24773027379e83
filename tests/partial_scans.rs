//! A scan of part of a repository says of each file what a scan of the whole repository says
//! of it: facts about the repository (its CODEOWNERS, a site naming a guest profile, the
//! branch protections a CMS config needs, a Terraform folder's variables) come from the files
//! of the whole repository, which are read for that but not reported on. Also against a base
//! revision (`--diff-base`), and as pre-commit runs the hook on staged files.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Spot, findings, fixture, git, git_copy, run, run_in, spot, spots};
use serde_json::Value;

/// `scan ARGS --format json` in `cwd`: the exit code and the report.
fn scan_in(cwd: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let run = run_in(cwd, all);
    (run.code, run.json())
}

#[test]
fn a_named_settings_file_takes_the_repository_s_codeowners() {
    // `.github/settings.yml` requires code-owner review, and `.github/CODEOWNERS` exists.
    let dir = git_copy("repository");
    let top = dir.path();
    let (code, report) = scan_in(top, &[".github/settings.yml"]);
    assert_eq!((code, spots(&report)), (0, vec![]), "{report}");
    let (code, report) = scan_in(&top.join(".github"), &["settings.yml"]);
    assert_eq!((code, spots(&report)), (0, vec![]), "{report}");
    // Only the file named is reported on, and counted.
    assert_eq!(report["summary"]["files_checked"], 1);
    // Without CODEOWNERS, the claim is true.
    std::fs::remove_file(top.join(".github/CODEOWNERS")).expect("remove CODEOWNERS");
    let (code, report) = scan_in(top, &[".github/settings.yml"]);
    assert_eq!(
        (code, spots(&report)),
        (
            1,
            vec![spot("GH-CODEOWNERS-003", ".github/settings.yml", 10, 37)]
        )
    );
}

#[test]
fn a_named_terraform_file_is_read_with_its_folder() {
    let dir = git_copy("repository");
    // `cidr_blocks = [var.admin_cidr]` in main.tf: the finding lands on the variable's
    // default in variables.tf, where the value is set, with the use related. A scan of
    // variables.tf reports it (main.tf is read and evaluated for it) ...
    let (code, report) = scan_in(dir.path(), &["tf/variables.tf"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        spots(&report),
        [spot("TF-PUBLIC-006", "tf/variables.tf", 3, 13)]
    );
    let related = common::related_spots(&findings(&report)[0]);
    assert!(
        related
            .iter()
            .any(|(path, line, ..)| path == "tf/main.tf" && *line == 8),
        "{related:?}"
    );
    assert_eq!(report["summary"]["files_checked"], 1);
    // ... and a scan of main.tf alone does not: it says of main.tf what a whole scan says.
    let (code, report) = scan_in(dir.path(), &["tf/main.tf"]);
    assert_eq!((code, spots(&report)), (0, vec![]), "{report}");
}

/// Every file of a fixture tree (its markdown left out), relative to it.
fn files(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("list a fixture folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_none_or(|e| e != "md") {
                let relative = path.strip_prefix(root).expect("inside the tree");
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// The findings of a JSON report by path, whole.
fn by_path(report: &Value) -> BTreeMap<String, Vec<Value>> {
    let mut found: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for finding in findings(report) {
        let path = finding["location"]["path"].as_str().expect("a path");
        found
            .entry(path.to_owned())
            .or_default()
            .push(finding.clone());
    }
    found
}

#[test]
fn each_file_scanned_alone_gets_the_findings_the_whole_scan_gives_it() {
    for name in [
        "repository",
        "publishing-repo",
        "salesforce-guest-paths",
        "terraform",
        "firebase",
        "firebase-deploy",
        "helm",
        "powerpages",
    ] {
        let tree = fixture(name);
        let root = tree.to_str().expect("UTF-8");
        let whole = run(["scan", root, "--root", root, "--format", "json"]).json();
        let whole = by_path(&whole);
        for file in files(&tree) {
            let path = tree.join(&file);
            let args = [
                "scan",
                path.to_str().expect("UTF-8"),
                "--root",
                root,
                "--format",
                "json",
            ];
            let expected: BTreeMap<String, Vec<Value>> = whole
                .get(&file)
                .map(|f| (file.clone(), f.clone()))
                .into_iter()
                .collect();
            assert_eq!(by_path(&run(args).json()), expected, "{name}: {file} alone");
            // With batches of one file too, as tests/batches.rs checks whole scans.
            let output = common::doublecheck()
                .env("DOUBLECHECK_BATCH_FILES", "1")
                .args(args)
                .output()
                .expect("doublecheck runs");
            let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
            assert_eq!(
                by_path(&report),
                expected,
                "{name}: {file} alone, batches of 1"
            );
        }
    }
}

#[test]
fn against_a_base_revision_the_rest_of_the_repository_is_compared_too() {
    let dir = git_copy("repository");
    let top = dir.path();
    // The change deletes CODEOWNERS (so the settings' code-owner review is a new finding,
    // though settings.yml is unchanged) and fixes the Terraform variable.
    git(top, &["rm", "--quiet", ".github/CODEOWNERS"]);
    let variables = top.join("tf/variables.tf");
    let fixed = std::fs::read_to_string(&variables)
        .expect("variables.tf")
        .replace("0.0.0.0/0", "10.0.0.0/8");
    std::fs::write(&variables, fixed).expect("fix the variable");

    let (code, report) = scan_in(top, &[".github/settings.yml", "--diff-base", "main"]);
    assert_eq!(code, 1, "{report}");
    let finding = &findings(&report)[0];
    assert_eq!(findings(&report).len(), 1, "{report}");
    assert_eq!(finding["rule"], "GH-CODEOWNERS-003");
    assert_eq!(finding["baseline_state"], "new");
    // Neither the deleted CODEOWNERS nor the fixed Terraform finding is reported on.
    assert_eq!(report["fixed"], Value::Array(vec![]), "{report}");

    // A scan of the changed variable file lists what the change fixed in it (the finding
    // about main.tf's rule landed on the variable's default).
    let (code, report) = scan_in(top, &["tf/variables.tf", "--diff-base", "main"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(spots(&report), Vec::<Spot>::new());
    let fixed = report["fixed"].as_array().expect("fixed");
    assert_eq!(fixed.len(), 1, "{report}");
    assert_eq!(
        (&fixed[0]["rule"], &fixed[0]["path"]),
        (
            &Value::from("TF-PUBLIC-006"),
            &Value::from("tf/variables.tf")
        )
    );
}

#[test]
fn staged_files_named_as_pre_commit_names_them_get_the_repository_s_facts() {
    // `pass_filenames: true`: pre-commit runs `doublecheck scan FILE…` from the top with the
    // staged files; the files it reads facts from need not be among them.
    let dir = git_copy("publishing-repo");
    let top = dir.path();
    let whole = by_path(&scan_in(top, &[]).1);
    let staged = [".github/settings.yml", "site/static/admin/config.yml"];
    let (code, report) = scan_in(top, &staged);
    assert_eq!(code, 1, "{report}");
    let expected: BTreeMap<String, Vec<Value>> = staged
        .iter()
        .map(|f| (f.to_string(), whole[*f].clone()))
        .collect();
    assert_eq!(by_path(&report), expected);
    // The CMS config's branch is unprotected because of the rules elsewhere: they are its
    // evidence, as in the whole scan.
    let cms = &by_path(&report)["site/static/admin/config.yml"][0];
    let related: Vec<String> = common::related_spots(cms)
        .into_iter()
        .map(|(path, ..)| path)
        .collect();
    assert!(
        related.contains(&".github/rulesets/publish.json".to_owned()),
        "{related:?}"
    );
}
