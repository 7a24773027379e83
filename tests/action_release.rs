//! The Action's setup from a release, run the way a runner runs it: the action's folder laid
//! out as GitHub lays it out (`_actions/OWNER/NAME/REF`), `GITHUB_SERVER_URL` pointing at an
//! HTTP server on 127.0.0.1 serving a fake release (the binary built for these tests, its
//! `SHA256SUMS` and `source-hash.txt`), and the locate and install steps' scripts run in
//! order. It checks the download and its checksum, the tool cache, the refusal of a bad
//! checksum, the `version` input, and the fallback to a build of the action's source when
//! no release matches (a `cargo` stand-in on the PATH records the build instead of running
//! one).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::http::Server;
use sha2::{Digest, Sha256};

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const RELEASE: &str = "/doublecheck-dev/doublecheck/releases/download/v0.1.0";

fn sha256(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The runner's architecture and the release target for it, on Linux.
fn platform() -> (&'static str, &'static str) {
    match std::env::consts::ARCH {
        "aarch64" => ("ARM64", "aarch64-unknown-linux-musl"),
        _ => ("X64", "x86_64-unknown-linux-musl"),
    }
}

/// The action as a runner downloads it (`_actions/doublecheck-dev/doublecheck/v0.1.0`): its
/// scripts, and small stand-ins for the sources it hashes (Cargo.toml gives the version).
fn action_copy(dir: &Path) -> PathBuf {
    let action = dir.join("_actions/doublecheck-dev/doublecheck/v0.1.0");
    fs::create_dir_all(action.join("action")).expect("action folder");
    fs::copy(
        Path::new(REPO).join("action.yml"),
        action.join("action.yml"),
    )
    .expect("action.yml");
    for script in fs::read_dir(Path::new(REPO).join("action")).expect("action/") {
        let script = script.expect("a script").path();
        let name = script.file_name().expect("a file name");
        fs::copy(&script, action.join("action").join(name)).expect("script");
    }
    for (path, text) in [
        (
            "Cargo.toml",
            "[package]\nname = \"doublecheck\"\nversion = \"0.1.0\"\n",
        ),
        ("Cargo.lock", "# stand-in\n"),
        ("build.rs", "fn main() {}\n"),
        ("src/main.rs", "fn main() {}\n"),
        ("policies/p.yaml", "id: X\n"),
        ("schemas/s.json", "{}\n"),
    ] {
        let path = action.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        fs::write(path, text).expect("a source");
    }
    action
}

/// What a release holds: the binary for this platform, `source-hash.txt` (with `hash`) and a
/// `SHA256SUMS` listing both (the binary's entry is `binary_sum` when given, to fake a
/// tampered asset).
fn release(hash: &str, binary_sum: Option<&str>) -> BTreeMap<String, Vec<u8>> {
    let binary = fs::read(env!("CARGO_BIN_EXE_doublecheck")).expect("the binary");
    let asset = format!("doublecheck-{}", platform().1);
    let hash_file = format!("{hash}\n").into_bytes();
    let sums = format!(
        "{}  {asset}\n{}  source-hash.txt\n",
        binary_sum.map_or_else(|| sha256(&binary), str::to_owned),
        sha256(&hash_file)
    );
    [
        (asset, binary),
        ("source-hash.txt".to_owned(), hash_file),
        ("SHA256SUMS".to_owned(), sums.into_bytes()),
    ]
    .into_iter()
    .map(|(name, body)| (format!("{RELEASE}/{name}"), body))
    .collect()
}

struct Runner {
    dir: tempfile::TempDir,
    action: PathBuf,
    /// The hash the action computes of its own sources.
    hash: String,
}

/// One step's result: its exit code, its log and the outputs it wrote.
struct Step {
    output: Output,
    outputs: BTreeMap<String, String>,
}

impl Step {
    fn log(&self) -> String {
        format!(
            "{}{}",
            String::from_utf8_lossy(&self.output.stdout),
            String::from_utf8_lossy(&self.output.stderr)
        )
    }
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().expect("temp dir");
        let action = action_copy(dir.path());
        for folder in ["temp", "tool-cache", "workspace", "bin"] {
            fs::create_dir_all(dir.path().join(folder)).expect("a runner folder");
        }
        let hash = Command::new("bash")
            .arg(action.join("action/source-hash.sh"))
            .arg(&action)
            .output()
            .expect("source-hash.sh runs");
        assert!(hash.status.success(), "{hash:?}");
        let hash = String::from_utf8_lossy(&hash.stdout).trim().to_owned();
        assert_eq!(hash.len(), 32, "{hash}");
        Runner { dir, action, hash }
    }

    /// Runs one of the action's scripts with what a runner sets, `GITHUB_OUTPUT` emptied first.
    fn step(&self, script: &str, server: &Server, env: &[(&str, &str)]) -> Step {
        let dir = self.dir.path();
        let output_file = dir.join("github_output");
        fs::write(&output_file, "").expect("GITHUB_OUTPUT");
        let path = format!(
            "{}:{}",
            dir.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let output = Command::new("bash")
            .arg(self.action.join("action").join(script))
            .current_dir(dir.join("workspace"))
            .env_clear()
            .env("PATH", path)
            .env("HOME", dir)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_ACTION_PATH", &self.action)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", dir.join("github_path"))
            .env("GITHUB_SERVER_URL", server.url())
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", platform().0)
            .env("RUNNER_TEMP", dir.join("temp"))
            .env("RUNNER_TOOL_CACHE", dir.join("tool-cache"))
            .envs(env.iter().copied())
            .output()
            .expect("bash runs");
        let outputs = fs::read_to_string(&output_file)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Step { output, outputs }
    }

    /// The install step after `locate`; returns it and the folder it put on the PATH.
    fn install(&self, server: &Server, locate: &Step) -> (Step, PathBuf) {
        let env = [
            ("DOUBLECHECK_SOURCE", locate.outputs["source"].as_str()),
            ("DOUBLECHECK_DIR", locate.outputs["dir"].as_str()),
        ];
        let _ = fs::remove_file(self.dir.path().join("github_path"));
        let install = self.step("install.sh", server, &env);
        let path = fs::read_to_string(self.dir.path().join("github_path")).unwrap_or_default();
        (install, PathBuf::from(path.trim()))
    }

    /// A `cargo` stand-in: records its arguments and "builds" the test binary where
    /// `cargo build --release` would put it.
    fn fake_cargo(&self) -> PathBuf {
        let record = self.dir.path().join("cargo-args");
        let script = format!(
            "#!/bin/sh\necho \"$@\" >'{}'\nmkdir -p \"$CARGO_TARGET_DIR/release\"\ncp '{}' \"$CARGO_TARGET_DIR/release/doublecheck\"\n",
            record.display(),
            env!("CARGO_BIN_EXE_doublecheck")
        );
        let cargo = self.dir.path().join("bin/cargo");
        fs::write(&cargo, script).expect("cargo stand-in");
        Command::new("chmod")
            .arg("+x")
            .arg(&cargo)
            .status()
            .expect("chmod");
        record
    }
}

#[test]
fn the_release_binary_is_downloaded_checked_and_cached() {
    let runner = Runner::new();
    let server = Server::start(release(&runner.hash, None));
    let locate = runner.step("locate.sh", &server, &[]);
    let log = locate.log();
    assert!(locate.output.status.success(), "{log}");
    assert_eq!(locate.outputs["source"], "release", "{log}");
    let target = platform().1;
    let cache = runner
        .dir
        .path()
        .join("tool-cache/doublecheck/0.1.0")
        .join(target);
    assert_eq!(Path::new(&locate.outputs["dir"]), cache);
    assert!(
        log.contains(&format!(
            "doublecheck: downloaded doublecheck-{target} from {}{RELEASE}, SHA-256 checked against SHA256SUMS",
            server.url()
        )),
        "{log}"
    );
    assert_eq!(
        server.requests(),
        [
            format!("{RELEASE}/SHA256SUMS"),
            format!("{RELEASE}/source-hash.txt"),
            format!("{RELEASE}/doublecheck-{target}"),
        ]
    );

    let (install, path) = runner.install(&server, &locate);
    assert!(install.output.status.success(), "{}", install.log());
    assert_eq!(path, cache);
    assert!(
        install
            .log()
            .contains(&format!("doublecheck {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        install.log()
    );

    // The next job on this runner takes it from the tool cache, asking the server nothing.
    let again = runner.step("locate.sh", &server, &[]);
    assert!(again.output.status.success(), "{}", again.log());
    assert_eq!(again.outputs["source"], "release");
    assert!(
        again.log().contains(&format!(
            "doublecheck 0.1.0 ({target}) from the runner's tool cache"
        )),
        "{}",
        again.log()
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_binary_that_does_not_match_its_checksum_stops_the_action() {
    let runner = Runner::new();
    let wrong = "0".repeat(64);
    let server = Server::start(release(&runner.hash, Some(&wrong)));
    let locate = runner.step("locate.sh", &server, &[]);
    let log = locate.log();
    assert_eq!(locate.output.status.code(), Some(1), "{log}");
    let target = platform().1;
    assert!(
        log.contains(&format!(
            "::error title=doublecheck::doublecheck-{target} from {}{RELEASE} does not match its SHA256SUMS entry ({wrong}): not used",
            server.url()
        )),
        "{log}"
    );
    assert!(!log.contains("building"), "no fallback: {log}");
    assert!(locate.outputs.is_empty(), "{:?}", locate.outputs);
    let cache = runner.dir.path().join("tool-cache/doublecheck/0.1.0");
    assert!(!cache.join(target).exists() && !cache.join(format!("{target}.complete")).exists());
}

#[test]
fn without_a_release_the_action_builds_its_source_and_says_so() {
    let runner = Runner::new();
    let server = Server::start(BTreeMap::new());
    let locate = runner.step("locate.sh", &server, &[]);
    let log = locate.log();
    assert!(locate.output.status.success(), "{log}");
    assert_eq!(locate.outputs["source"], "build");
    assert_eq!(locate.outputs["source-hash"], runner.hash);
    assert!(
        log.contains(&format!(
            "doublecheck: no release v0.1.0 at {}{RELEASE}: building it from the action's source",
            server.url()
        )),
        "{log}"
    );
    assert_eq!(server.requests(), [format!("{RELEASE}/SHA256SUMS")]);

    let record = runner.fake_cargo();
    let (install, path) = runner.install(&server, &locate);
    assert!(install.output.status.success(), "{}", install.log());
    let args = fs::read_to_string(record).expect("cargo was run");
    assert_eq!(
        args.trim(),
        format!(
            "build --release --locked --manifest-path {}/Cargo.toml",
            runner.action.display()
        )
    );
    assert_eq!(path, Path::new(&locate.outputs["dir"]));
    assert!(path.join("doublecheck").is_file());
}

#[test]
fn a_release_of_other_sources_is_built_instead_unless_its_version_is_asked_for() {
    let runner = Runner::new();
    // The release v0.1.0 was built from other sources (this is a branch after the tag).
    let server = Server::start(release(&"f".repeat(32), None));
    let locate = runner.step("locate.sh", &server, &[]);
    let log = locate.log();
    assert!(locate.output.status.success(), "{log}");
    assert_eq!(locate.outputs["source"], "build");
    assert!(
        log.contains("doublecheck: release v0.1.0 was built from other sources than this action's (a branch or an untagged commit): building it from the action's source"),
        "{log}"
    );

    // `version: v0.1.0` asks for that release, whatever the action's sources.
    let locate = runner.step("locate.sh", &server, &[("INPUT_VERSION", "v0.1.0")]);
    assert!(locate.output.status.success(), "{}", locate.log());
    assert_eq!(locate.outputs["source"], "release");
    let (install, _) = runner.install(&server, &locate);
    assert!(install.output.status.success(), "{}", install.log());

    // A version that has no release is a mistake, not a reason to build something else.
    let locate = runner.step("locate.sh", &server, &[("INPUT_VERSION", "9.9.9")]);
    assert_eq!(locate.output.status.code(), Some(2), "{}", locate.log());
    assert!(
        locate.log().contains(&format!(
            "::error title=doublecheck::no release v9.9.9 of doublecheck at {}/doublecheck-dev/doublecheck/releases/download/v9.9.9: check the version input",
            server.url()
        )),
        "{}",
        locate.log()
    );
}
