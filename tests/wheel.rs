//! The Python wheel as a user installs it: built with maturin, installed into a fresh
//! virtual environment with pip (offline: the wheel has no dependencies), and the installed
//! `doublecheck` run on the shared corpus, where it must report exactly what the binary
//! built by cargo reports.

mod common;

use std::process::Command;

use common::{corpus, python};

#[test]
fn the_installed_wheel_scans_the_corpus_like_the_cargo_build() {
    let Some(wheel) = python::wheel("the wheel test") else {
        return;
    };
    let name = wheel.file_name().expect("a name").to_string_lossy();
    assert!(
        name.starts_with(&format!(
            "doublecheck_cli-{}-py3-none-",
            env!("CARGO_PKG_VERSION")
        )),
        "{name}"
    );
    let venv = tempfile::tempdir().expect("a temporary folder");
    let status = Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv.path())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "python3 -m venv");
    let pip = Command::new(venv.path().join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg(&wheel)
        .output()
        .expect("pip runs");
    assert!(pip.status.success(), "{pip:?}");

    let installed = venv.path().join("bin/doublecheck");
    let version = Command::new(&installed)
        .arg("--version")
        .output()
        .expect("the installed doublecheck runs");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("doublecheck {}", env!("CARGO_PKG_VERSION"))
    );

    let scan = |program: &std::path::Path| {
        Command::new(program)
            .args(["scan", "--format", "json"])
            .arg(corpus(""))
            .env("GIT_CEILING_DIRECTORIES", corpus(""))
            .output()
            .expect("doublecheck runs")
    };
    let from_wheel = scan(&installed);
    let from_cargo = scan(std::path::Path::new(env!("CARGO_BIN_EXE_doublecheck")));
    assert_eq!(from_wheel.status.code(), Some(1), "{from_wheel:?}");
    let report: serde_json::Value =
        serde_json::from_slice(&from_wheel.stdout).expect("a JSON report");
    assert_eq!(report["format"], "doublecheck-json-v1");
    assert!(report["summary"]["findings"].as_u64() > Some(0), "{report}");
    assert_eq!(
        String::from_utf8_lossy(&from_wheel.stdout),
        String::from_utf8_lossy(&from_cargo.stdout)
    );
}
