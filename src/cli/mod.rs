//! Command-line interface: argument parsing and the subcommands. Each subcommand is a thin
//! layer over the library; `main.rs` only calls [`run`].

mod baseline;
mod explain;
mod init;
mod list;
mod out;
mod outputs;
mod parse_rates;
mod scan;
mod selftest;
mod show;
mod statistics;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::policy::{Policy, PolicySet, load_builtin, load_builtin_checked, load_dir};
use crate::render::{OutputFormat, TextStyle, render_policy_errors};
use crate::words::count;
use crate::yaml_file::FileError;

/// Exit codes: 0 clean, 1 findings at or above `--fail-on` (or a failing policy test),
/// 2 usage, configuration, policy or unreadable-input error, or a run that checked nothing.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// The exit codes, under `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  nothing at or above --fail-on
  1  findings at or above --fail-on (`doublecheck test`: an example failed)
  2  usage error, a mistake in a policy or config file, an input that could not be read,
     or nothing checked (no file of a kind doublecheck reads, no policy to test)";

#[derive(Debug, Parser)]
#[command(
    name = "doublecheck",
    version,
    about = "Catch the configuration mistakes that leak data, in the pull request.",
    args_conflicts_with_subcommands = true,
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `doublecheck PATH…` is short for `doublecheck scan PATH…`.
    #[command(flatten)]
    scan: ScanArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan files and folders against the policies (the default command).
    #[command(after_help = EXIT_CODES)]
    Scan(ScanArgs),
    /// Run every policy's examples and check each finding's exact location.
    Test(TestArgs),
    /// Explain a policy: what it checks, why, how to fix it, its examples.
    Explain(ExplainArgs),
    /// List the loaded policies (or, with --facts, the cross-document facts).
    Policies(ListArgs),
    /// Print the data model policies see for one file (each document's kind and value as
    /// JSON, before cross-file substitution), to write `select` and `require` against.
    Show(ShowArgs),
    /// Write or prune a baseline: the findings accepted for now, so only new ones fail.
    Baseline(baseline::BaselineArgs),
    /// Write a commented starter `.doublecheck.yml`.
    Init(init::InitArgs),
    /// Print the shell completion script for SHELL (bash, elvish, fish, powershell, zsh).
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell to complete doublecheck's commands and options in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Args)]
struct PolicySources {
    /// Also load the policies in this folder (or file); may be repeated.
    #[arg(long = "policies", value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Do not load the built-in policies.
    #[arg(long)]
    no_builtin: bool,
}

#[derive(Debug, Clone, Args)]
struct ScanArgs {
    /// Files and folders to scan.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format [default: github when GITHUB_ACTIONS=true, otherwise text].
    #[arg(long, short, value_enum)]
    format: Option<OutputFormat>,
    /// Also write the SARIF report to this file, whatever --format prints (the same as
    /// `--output sarif=PATH`).
    #[arg(long, value_name = "PATH")]
    sarif_file: Option<PathBuf>,
    /// Also write the report in FORMAT to PATH, whatever --format prints; may be repeated
    /// (`--output sarif=results.sarif --output junit=junit.xml`). PATH `-` prints it on
    /// standard output instead of --format's.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = outputs::parse_target)]
    outputs: Vec<outputs::OutputTarget>,
    /// Exit with 1 when a finding is at or above this severity (default: the config's
    /// `fail-on`, else error).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// The repository's top folder: shown paths are relative to it, the config is looked for
    /// in it, and a scan of part of it takes facts from all of it (default: the top of the git
    /// work tree holding the scanned paths; outside one, the folder scanned, else the current
    /// folder).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Worker threads (default: one per core this process may use, CPU affinity and cgroup
    /// quotas counted; a scan of a few small files runs on one).
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// Only these rules run: ids or globs (SF-GUEST-*), comma-separated or repeated.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    select: Vec<String>,
    /// These rules do not run, as the config's `rules.disable`: ids or globs.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Print the findings only: no counts, no fixed findings, no progress bar (text format).
    #[arg(long, short)]
    quiet: bool,
    /// Print how many findings each rule has instead of the findings (text or json).
    #[arg(long)]
    statistics: bool,
    /// Exit with 0 even when findings are at or above --fail-on (errors still exit with 2).
    #[arg(long)]
    exit_zero: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Never draw the progress bar. It is drawn on standard error only when that is a
    /// terminal (not under CI, not with `TERM=dumb`, not with --format github) and only
    /// once the scan has run for a second.
    #[arg(long)]
    no_progress: bool,
    /// Settings file (default: `.doublecheck.yml` or `.doublecheck.yaml` in the root folder,
    /// when there is one).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// PR-only mode: compare with this git revision (a branch, tag, `origin/main`, commit,
    /// `HEAD~1`), read from git objects; only new findings fail the run, fixed ones are listed.
    /// With a baseline, a finding it accepts is not new either.
    #[arg(long, value_name = "REF")]
    diff_base: Option<String>,
    #[command(flatten)]
    policies: PolicySources,
    /// Compare with this baseline file: findings in it do not fail the run, and entries no
    /// longer found are listed as fixed (default: the config's `baseline`).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Ignore every inline `doublecheck:ignore` comment.
    #[arg(long)]
    no_ignores: bool,
    /// Only walk, read and parse, evaluate nothing, and print the counts: the floor
    /// `bench/run.sh` measures a scan against.
    #[arg(long, hide = true)]
    parse_only: bool,
    /// Measure the time each policy costs and print the ten costliest on stderr after the
    /// scan: for `bench/run.sh`.
    #[arg(long, hide = true)]
    policy_costs: bool,
    /// Only walk, read and parse (as --parse-only), on one thread, timing each parser beside
    /// a reference parser of its format, and print their rates per format.
    #[arg(long, hide = true)]
    parse_rates: bool,
}

#[derive(Debug, Args)]
struct TestArgs {
    /// Policy folders or files to test (default: the built-in policies).
    #[arg(value_name = "POLICY_DIR")]
    dirs: Vec<PathBuf>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Debug, Args)]
struct ExplainArgs {
    /// Policy id, e.g. SF-GUEST-001 (in any case).
    id: String,
    #[command(flatten)]
    policies: PolicySources,
}

#[derive(Debug, Args)]
struct ListArgs {
    /// List the cross-document facts policies can require instead.
    #[arg(long)]
    facts: bool,
    /// text: one line a policy; json: an array of {id, title, severity, kinds, incident,
    /// help_uri, origin} for dashboards.
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
    #[command(flatten)]
    policies: PolicySources,
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// The file to show.
    file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Note => Severity::Note,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    /// On a terminal; never with NO_COLOR set; always with FORCE_COLOR or CLICOLOR_FORCE.
    Auto,
    Always,
    Never,
}

impl Color {
    /// `auto`: colour on a terminal; `NO_COLOR` (no-color.org) turns it off, `FORCE_COLOR`
    /// or `CLICOLOR_FORCE` on (set to anything but empty or `0`); `NO_COLOR` wins.
    fn style(self, terminal: bool) -> TextStyle {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let forced = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        let colour = match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto if set("NO_COLOR") => false,
            Color::Auto => terminal || forced("FORCE_COLOR") || forced("CLICOLOR_FORCE"),
        };
        if colour {
            TextStyle::Color
        } else {
            TextStyle::Plain
        }
    }
}

/// Parses the arguments, runs the command and returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
        }
    };
    match cli.command {
        None => match mistyped_command(&cli.scan.paths) {
            Some(message) => {
                eprintln!("doublecheck: {message}");
                EXIT_ERROR
            }
            None => scan::run(cli.scan),
        },
        Some(Command::Scan(args)) => scan::run(args),
        Some(Command::Test(args)) => selftest::run(args),
        Some(Command::Explain(args)) => explain::run(args),
        Some(Command::Policies(args)) => list::run(args),
        Some(Command::Show(args)) => show::run(args),
        Some(Command::Baseline(args)) => baseline::run(args),
        Some(Command::Init(args)) => init::run(args),
        Some(Command::Completions(args)) => {
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "doublecheck", &mut script);
            out::print(&String::from_utf8_lossy(&script), EXIT_CLEAN)
        }
    }
}

/// `doublecheck PATH…` is short for `doublecheck scan PATH…`, so a mistyped command
/// (`doublecheck polices`) reads as a path: when it names nothing on disk and is close to a
/// command's name, say which command was meant.
fn mistyped_command(paths: &[PathBuf]) -> Option<String> {
    let word = paths.first()?;
    let text = word.to_str()?;
    if word.exists() || word.is_symlink() || text.contains(['/', '\\', '.']) {
        return None;
    }
    let lower = text.to_lowercase();
    let command = Cli::command();
    let closest = command
        .get_subcommands()
        .map(|c| c.get_name())
        .map(|name| {
            let distance = if name.starts_with(&lower) && lower.len() >= 3 {
                1
            } else {
                strsim::damerau_levenshtein(&lower, name)
            };
            (distance, name)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min()?
        .1
        .to_owned();
    Some(format!(
        "`{text}` is not a command, a file or a folder; did you mean `doublecheck {closest}`?"
    ))
}

/// Loads the built-in policies and the user's, or prints every policy error (exit 2).
fn load_policies(sources: &PolicySources, style: TextStyle) -> Result<PolicySet, i32> {
    load_policies_with(sources, load_builtin)
        .map_err(|errors| policy_errors(&errors, style, "nothing was scanned"))
}

/// As [`load_policies`], with the built-in policies fully checked as they load
/// (`doublecheck test`).
fn load_policies_checked(sources: &PolicySources, style: TextStyle) -> Result<PolicySet, i32> {
    load_policies_with(sources, load_builtin_checked)
        .map_err(|errors| policy_errors(&errors, style, "no example was run"))
}

fn load_policies_with(
    sources: &PolicySources,
    builtin: fn() -> Result<Vec<Policy>, Vec<FileError>>,
) -> Result<PolicySet, Vec<FileError>> {
    let mut policies: Vec<Policy> = Vec::new();
    let mut errors: Vec<FileError> = Vec::new();
    if !sources.no_builtin {
        match builtin() {
            Ok(mut p) => policies.append(&mut p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    for dir in &sources.dirs {
        match load_dir(dir) {
            Ok(mut p) => policies.append(&mut p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    let set = if errors.is_empty() {
        PolicySet::from_policies(policies)
            .map_err(|e| errors = e)
            .ok()
    } else {
        None
    };
    match set {
        Some(set) => Ok(set),
        None => Err(errors),
    }
}

/// Prints every policy error and what the command did not do; returns exit code 2.
fn policy_errors(errors: &[FileError], style: TextStyle, consequence: &str) -> i32 {
    let mut stderr = std::io::stderr().lock();
    let _ = render_policy_errors(errors, style, &mut stderr);
    eprintln!(
        "doublecheck: {} in policy files; {consequence}",
        count(errors.len(), "error", "errors")
    );
    EXIT_ERROR
}

fn stderr_style(color: Color) -> TextStyle {
    color.style(std::io::stderr().is_terminal())
}
