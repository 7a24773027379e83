//! The command line's conventions: did-you-mean for mistyped commands, ids in any case,
//! help that says what every option does and what the exit codes are, truthful counts with
//! a base, and the options users of other linters expect (`--select`, `--ignore`,
//! `--quiet`, `--statistics`, `--exit-zero`, `FORCE_COLOR`, `policies --format json`,
//! completions).

mod common;

use std::path::Path;
use std::process::Command;

use common::{doublecheck, run, scan_json, spots, temp_copy};

/// The rules of a JSON report's findings, in order.
fn rules(run: &common::Run) -> Vec<String> {
    spots(&run.json()).into_iter().map(|s| s.rule).collect()
}

fn scan_text(dir: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "scan",
        dir.to_str().expect("UTF-8 path"),
        "--color",
        "never",
    ];
    args.extend(extra);
    run(args)
}

#[test]
fn a_mistyped_command_gets_a_did_you_mean() {
    for (typed, meant) in [
        (&["polices"][..], "policies"),
        (&["explian", "SF-GUEST-001"][..], "explain"),
        (&["baseine", "create"][..], "baseline"),
    ] {
        let run = run(typed);
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{typed:?}");
        assert_eq!(
            run.stderr,
            format!(
                "doublecheck: `{}` is not a command, a file or a folder; did you mean \
                 `doublecheck {meant}`?\n",
                typed[0]
            )
        );
    }
    // A word close to no command is a path that does not exist, as before.
    let run = run(["nothing-like-it"]);
    assert_eq!(
        run.stderr,
        "doublecheck: `nothing-like-it` does not exist; give files or folders to scan\n"
    );
}

#[test]
fn explain_takes_an_id_in_any_case_and_suggests_the_closest() {
    let lower = run(["explain", "sf-guest-001"]);
    assert_eq!(lower.code, 0, "{}", lower.stderr);
    assert_eq!(lower.stdout, run(["explain", "SF-GUEST-001"]).stdout);
    let engine = run(["explain", "dc-parse"]);
    assert_eq!(engine.code, 0);
    assert!(
        engine.stdout.starts_with("DC-PARSE (error): "),
        "{}",
        engine.stdout
    );
    let typo = run(["explain", "sf-gest-001"]);
    assert_eq!(typo.code, 2);
    assert_eq!(
        typo.stderr,
        "doublecheck: no policy `sf-gest-001`; did you mean `SF-GUEST-001`?\n"
    );
}

#[test]
fn explain_says_how_a_policy_checks_without_dumping_its_schema() {
    let run = run(["explain", "K8S-POD-004"]);
    assert_eq!(run.code, 0);
    assert!(!run.stdout.contains("must satisfy:\n{"), "{}", run.stdout);
    assert!(!run.stdout.contains("\"properties\""), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("\nHow it checks:\nIn every document of these kinds, each node at\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn help_describes_every_option_and_the_exit_codes() {
    let top = run(["--help"]);
    assert_eq!(top.code, 0);
    let exit_codes = "\nExit codes:\n  0  nothing at or above --fail-on\n  1  findings at or \
                      above --fail-on (`doublecheck test`: an example failed)\n  2  usage error, \
                      a mistake in a policy or config file, an input that could not be read,\n     \
                      or nothing checked (no file of a kind doublecheck reads, no policy to \
                      test)\n";
    assert!(top.stdout.ends_with(exit_codes), "{}", top.stdout);
    let scan = run(["scan", "--help"]);
    assert!(scan.stdout.ends_with(exit_codes), "{}", scan.stdout);
    assert!(!scan.stdout.contains("std::"), "{}", scan.stdout);
    assert!(
        scan.stdout
            .contains("      --color <COLOR>\n          When to colour the output\n"),
        "{}",
        scan.stdout
    );
    // Every option has a description: no option line is followed by another option.
    let lines: Vec<&str> = scan.stdout.lines().collect();
    for pair in lines.windows(2) {
        let option = |l: &str| {
            let l = l.trim_start();
            l.starts_with("--") || (l.starts_with('-') && l.get(2..4) == Some(", "))
        };
        assert!(
            !(option(pair[0]) && (option(pair[1]) || pair[1].trim().is_empty())),
            "an option without a description: {}",
            pair[0]
        );
    }
}

/// With a baseline, the counts say what is new; and a fixed finding reads the same whether
/// the base is a baseline file or a git revision.
#[test]
fn with_a_base_the_summary_is_truthful_and_fixed_findings_read_the_same() {
    let dir = temp_copy("baseline");
    let root = dir.path();
    let created = run([Path::new("baseline"), Path::new("create"), root]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let file = root.join(".doublecheck-baseline.json");
    let file = file.to_str().expect("UTF-8 path");
    let all_existing = scan_text(root, &["--baseline", file]);
    assert_eq!(all_existing.code, 0);
    assert_eq!(
        all_existing.stdout,
        format!(
            "3 existing findings not shown: they are in baseline {file} too\n\n\
             0 new errors, 0 new warnings, 0 new notes in 2 files checked (2 documents; \
             compared with baseline {file}: 3 existing, 0 fixed)\n"
        )
    );

    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(root)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "--quiet"]);
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "--message", "base"]);
    let pod = root.join("k8s/pod.yaml");
    let text = std::fs::read_to_string(&pod).expect("read the pod");
    std::fs::write(&pod, text.replace("privileged: true", "privileged: false")).expect("fix");
    let fixed = "fixed[K8S-POD-001]: k8s/pod.yaml: \
                 /spec/containers/[name=agent]/securityContext/privileged\n";
    let with_baseline = scan_text(root, &["--baseline", file]);
    let with_revision = scan_text(root, &["--diff-base", "HEAD"]);
    for run in [&with_baseline, &with_revision] {
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains(&format!("\n\n{fixed}\n")),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn select_and_ignore_choose_rules_on_the_command_line() {
    let dir = temp_copy("baseline");
    let all = scan_json(dir.path(), &[]);
    assert_eq!(rules(&all), ["K8S-POD-002", "K8S-POD-001", "TF-PUBLIC-001"]);
    let selected = scan_json(dir.path(), &["--select", "k8s-*"]);
    assert_eq!(rules(&selected), ["K8S-POD-002", "K8S-POD-001"]);
    let two = scan_json(dir.path(), &["--select", "K8S-POD-001,TF-PUBLIC-001"]);
    assert_eq!(rules(&two), ["K8S-POD-001", "TF-PUBLIC-001"]);
    let ignored = scan_json(dir.path(), &["--ignore", "K8S-POD-002", "--ignore", "TF-*"]);
    assert_eq!(rules(&ignored), ["K8S-POD-001"]);
    let both = scan_json(
        dir.path(),
        &["--select", "K8S-*", "--ignore", "K8S-POD-001"],
    );
    assert_eq!(rules(&both), ["K8S-POD-002"]);

    let typo = scan_json(dir.path(), &["--select", "K8S-POD-01"]);
    assert_eq!((typo.code, typo.stdout.as_str()), (2, ""));
    assert_eq!(
        typo.stderr,
        "doublecheck: --select `K8S-POD-01` matches no loaded policy; did you mean \
         `K8S-POD-001`?\n"
    );
    let engine = scan_json(dir.path(), &["--ignore", "DC-PARSE"]);
    assert_eq!(
        engine.stderr,
        "doublecheck: --ignore `DC-PARSE` names a rule of doublecheck itself, which always \
         runs\n"
    );
}

#[test]
fn quiet_prints_the_findings_only() {
    let dir = temp_copy("baseline");
    let full = scan_text(dir.path(), &[]);
    let quiet = scan_text(dir.path(), &["-q"]);
    assert_eq!(quiet.code, 1);
    assert_eq!(quiet.stderr, "");
    let summary = "3 errors, 0 warnings, 0 notes in 2 files checked (2 documents)\n";
    assert!(full.stdout.ends_with(summary), "{}", full.stdout);
    assert_eq!(
        quiet.stdout,
        full.stdout.strip_suffix(summary).expect("the summary")
    );
}

#[test]
fn statistics_count_the_findings_of_each_rule() {
    let dir = temp_copy("baseline");
    let run = scan_text(dir.path(), &["--statistics"]);
    assert_eq!(run.code, 1, "the exit code is the scan's");
    assert_eq!(
        run.stdout,
        "1  error    K8S-POD-001    A container runs privileged\n\
         1  error    K8S-POD-002    A pod shares the node's network, process or IPC namespace\n\
         1  error    TF-PUBLIC-001  A storage bucket's ACL lets anyone on the internet read or \
         write its objects\n\
         3 findings of 3 rules\n"
    );
    let json = scan_json(dir.path(), &["--statistics"]).json();
    assert_eq!(
        json[0],
        serde_json::json!({"rule": "K8S-POD-001", "severity": "error",
                           "title": "A container runs privileged", "count": 1, "new": 1})
    );
    let sarif = scan_text(dir.path(), &["--statistics", "--format", "sarif"]);
    assert_eq!(sarif.code, 2);
    assert_eq!(
        sarif.stderr,
        "doublecheck: --statistics prints text or json; leave --format sarif out\n"
    );
}

#[test]
fn exit_zero_passes_findings_but_not_errors() {
    let dir = temp_copy("baseline");
    let run = scan_json(dir.path(), &["--exit-zero"]);
    assert_eq!(run.code, 0);
    assert_eq!(common::summary(&run.json(), "errors"), 3);
    let empty = tempfile::tempdir().expect("a temporary folder");
    assert_eq!(scan_json(empty.path(), &["--exit-zero"]).code, 2);
}

#[test]
fn force_color_and_clicolor_force_colour_a_pipe_unless_no_color_is_set() {
    let dir = temp_copy("baseline");
    let coloured = |set: &[(&str, &str)]| {
        let mut cmd = doublecheck();
        cmd.env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .args(["scan".as_ref(), dir.path().as_os_str()]);
        for (name, value) in set {
            cmd.env(name, value);
        }
        let output = cmd.output().expect("doublecheck runs");
        String::from_utf8_lossy(&output.stdout).contains('\x1b')
    };
    assert!(!coloured(&[]), "a pipe is not a terminal");
    assert!(coloured(&[("FORCE_COLOR", "1")]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[("FORCE_COLOR", "0")]));
    assert!(!coloured(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
}

#[test]
fn policies_as_json_for_dashboards() {
    let run = run(["policies", "--format", "json"]);
    assert_eq!(run.code, 0);
    let list = run.json();
    let list = list.as_array().expect("an array");
    assert!(list.len() > 60, "{}", list.len());
    let guest = list
        .iter()
        .find(|p| p["id"] == "SF-GUEST-001")
        .expect("SF-GUEST-001 is listed");
    assert_eq!(
        guest,
        &serde_json::json!({
            "id": "SF-GUEST-001",
            "title": "Guest users can edit, delete or see every record of an object",
            "severity": "error",
            "kinds": ["salesforce/Profile", "salesforce/PermissionSet"],
            "incident": "rakuten-2020",
            "help_uri": guest["help_uri"],
            "origin": "built-in"
        })
    );
    assert!(
        list.iter()
            .all(|p| p["id"].is_string() && p["kinds"].is_array())
    );
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_doublecheck()"),
        ("zsh", "#compdef doublecheck"),
        ("fish", "complete -c doublecheck"),
    ] {
        let run = run(["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("statistics"), "{shell}");
    }
    let unknown = run(["completions", "tcsh"]);
    assert_eq!(unknown.code, 2);
}
