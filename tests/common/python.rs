//! The Python wheel (`python/pyproject.toml`), built here with maturin for the tests that
//! install it: `tests/wheel.rs` and the `language: python` hook in `tests/pre_commit.rs`.

use std::path::PathBuf;
use std::process::Command;

/// Builds the wheel with `maturin build --profile dev` (a debug build: the tests check what
/// the wheel holds and how it installs, not its speed; cargo's target folder is the tests'
/// own, so only packaging is new work) into `$CARGO_TARGET_TMPDIR/wheels`, and returns its
/// path. Without `maturin` on the PATH the test is skipped visibly, or fails under CI or
/// with `DOUBLECHECK_REQUIRE_MATURIN=1` (see [`super::can_run`]).
pub fn wheel(test: &str) -> Option<PathBuf> {
    let problem = match Command::new("maturin").arg("--version").output() {
        Ok(output) if output.status.success() => None,
        Ok(output) => Some(format!("`maturin --version` failed ({})", output.status)),
        Err(e) => Some(format!("`maturin` cannot be run ({e})")),
    };
    if !super::can_run(
        test,
        "DOUBLECHECK_REQUIRE_MATURIN",
        problem,
        "install it (`pip install maturin`) and put it on the PATH",
    ) {
        return None;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wheels");
    let _ = std::fs::remove_dir_all(&out);
    let build = Command::new("maturin")
        .args(["build", "--profile", "dev", "--out"])
        .arg(&out)
        .current_dir(super::repo().join("python"))
        .output()
        .expect("maturin runs");
    assert!(
        build.status.success(),
        "maturin build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let wheels: Vec<PathBuf> = std::fs::read_dir(&out)
        .expect("the wheel folder")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    assert_eq!(wheels.len(), 1, "one wheel: {wheels:?}");
    Some(wheels[0].clone())
}
