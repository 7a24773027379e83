//! A reader that closes the pipe early (`doublecheck policies | head -1`) ends the output
//! quietly: no panic, nothing on standard error, and the exit code of the complete run.
//! Each command writes into a pipe whose reading end is closed before it starts, so every
//! write fails as it does once `head` has exited.

mod common;

use std::process::Stdio;

use common::{fixture, repo, run};

/// Runs `args` with standard output a pipe nobody reads: (exit code, standard error).
fn into_closed_pipe(args: &[&str]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("doublecheck"))
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .args(args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("doublecheck runs");
    (
        output
            .status
            .code()
            .expect("exits with a code, not a signal"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_every_command_quietly_with_the_code_of_the_complete_run() {
    let kubernetes = fixture("kubernetes");
    let kubernetes = kubernetes.to_str().expect("UTF-8 path");
    let commands: [&[&str]; 7] = [
        &["policies"],
        &["policies", "--facts"],
        &["test"],
        &["explain", "SF-GUEST-001"],
        &["scan", kubernetes],
        &["scan", kubernetes, "--format", "json"],
        &["scan", kubernetes, "--format", "sarif"],
    ];
    for args in commands {
        let complete = run(args).code;
        let (code, stderr) = into_closed_pipe(args);
        assert_eq!(
            (code, stderr.as_str()),
            (complete, ""),
            "doublecheck {args:?} into a closed pipe"
        );
    }
}
