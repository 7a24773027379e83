//! `doublecheck scan`.

use std::io::{IsTerminal, Write};

use clap::ValueEnum;
use std::path::{Path, PathBuf};

use super::outputs::Outputs;
use super::{
    EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, PolicySources, ScanArgs, load_policies, out, statistics,
    stderr_style,
};
use crate::config;
use crate::detect;
use crate::diff::scan_diff_base;
use crate::filter::{baseline, suppress};
use crate::finding::ENGINE_RULES;
use crate::finding::Severity;
use crate::policy::{PolicySet, costs_table};
use crate::progress::Progress;
use crate::render::{OutputFormat, TextStyle, render, render_findings, render_policy_errors};
use crate::report::Report;
use crate::scan::{ScanRequest, parse_only, scan};
use crate::walk::root::{anchor, find_root, relative_to_cwd};
use crate::walk::shown_path;
use crate::words::count;
use crate::yaml_file::FileError;

/// How many policies `--policy-costs` lists.
const COSTLIEST_SHOWN: usize = 10;

pub(super) fn run(args: ScanArgs) -> i32 {
    let err_style = stderr_style(args.color);
    let outputs = match Outputs::plan(
        args.format,
        &args.outputs,
        args.sarif_file.as_deref(),
        default_format(),
    ) {
        Ok(outputs) => outputs,
        Err(message) => {
            eprintln!("doublecheck: {message}");
            return EXIT_ERROR;
        }
    };
    let format = outputs.stdout;
    if args.statistics && !matches!(format, OutputFormat::Text | OutputFormat::Json) {
        eprintln!(
            "doublecheck: --statistics prints text or json; leave --format {} out",
            format_name(format)
        );
        return EXIT_ERROR;
    }
    let target = Target {
        paths: &args.paths,
        root: args.root.as_deref(),
        config: args.config.as_deref(),
        policies: &args.policies,
        select: &args.select,
        ignore: &args.ignore,
        jobs: args.jobs,
        no_ignores: args.no_ignores,
        // The github format is for a runner's log: no bar there, whatever the runner's stderr.
        progress: !args.no_progress && !args.quiet && format != OutputFormat::Github,
    };
    let (request, mut policies) = match setup(&target, err_style) {
        Ok(ready) => ready,
        Err(code) => return code,
    };
    if args.parse_rates {
        let rates = crate::scan::parse_rates(&request);
        return out::print(&super::parse_rates::table(&rates), EXIT_CLEAN);
    }
    if args.policy_costs {
        policies.measure_costs();
    }
    if args.parse_only {
        let parsed = parse_only(&request);
        let text = format!(
            "parsed {} ({}); {} could not be read or parsed\n",
            count(parsed.files, "file", "files"),
            count(parsed.documents, "document", "documents"),
            parsed.failed
        );
        return out::print(&text, EXIT_CLEAN);
    }
    // With --diff-base too, a finding the baseline accepts is not new (see baseline::apply).
    let baseline_path = args.baseline.clone().or(request.config.baseline.clone());
    let baseline = match baseline_path.as_deref().map(baseline::load).transpose() {
        Ok(entries) => entries,
        Err(errors) => return file_errors(&errors, "the baseline file", err_style),
    };
    let mut report = match &args.diff_base {
        None => scan(&request, &policies),
        Some(reference) => match scan_diff_base(&request, &policies, reference) {
            Ok(report) => report,
            Err(error) => {
                eprintln!("doublecheck: {error}");
                return EXIT_ERROR;
            }
        },
    };
    // Cleared before the report, whether or not the scan did it.
    request.progress.finish();
    if args.policy_costs {
        // For the benchmark kit; a closed stderr loses only the table.
        let table = costs_table(&policies.costliest(), COSTLIEST_SHOWN);
        let _ = std::io::stderr().write_all(table.as_bytes());
    }
    if let (Some(path), Some(mut entries)) = (&baseline_path, baseline) {
        // Entries of files outside the scanned paths are neither found nor fixed.
        let scope = request.scope();
        entries.retain(|entry| scope.covers(&entry.path));
        baseline::apply(&mut report, &path.display().to_string(), entries);
    }
    let threshold = args
        .fail_on
        .map(|f| f.severity())
        .or(request.config.fail_on)
        .unwrap_or(Severity::Error);
    report.fail_on = Some(threshold);
    // The files first, so that a closed standard output does not lose them.
    let errors = outputs.write_files(&report);
    for message in &errors {
        eprintln!("doublecheck: {message}");
    }
    let out_style = args.color.style(std::io::stdout().is_terminal());
    // Buffered: standard output is line-buffered, and a large report written a line per
    // system call kept one core busy after the scan for a noticeable part of its time.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, out::stdout());
    let printed = match (args.statistics, format) {
        (true, OutputFormat::Json) => statistics::json(&report, &mut stdout),
        (true, _) => statistics::text(&report, &mut stdout),
        (false, OutputFormat::Text) if args.quiet => {
            render_findings(&report, out_style, &mut stdout)
        }
        (false, _) => render(format, &report, out_style, &mut stdout),
    };
    // A closed pipe (`| head`) ends the report quietly; the exit code is still the run's.
    if let Err(error) = printed.and_then(|()| stdout.flush()) {
        eprintln!("doublecheck: cannot write the report: {error}");
        return EXIT_ERROR;
    }
    if !errors.is_empty() || report.unreadable > 0 {
        return EXIT_ERROR;
    }
    // Files named only to be excluded (pre-commit passing staged files the config leaves
    // out) ask for nothing to be checked: that run passes.
    let all_excluded = args.paths.iter().all(|path| {
        path.is_file()
            && matches!(
                not_read(path, &request.root, &request.config),
                Some(NotRead::Excluded(_))
            )
    });
    if checked_nothing(&report) && !all_excluded {
        eprintln!(
            "doublecheck: nothing was checked: {}",
            why_nothing(&args.paths)
        );
        return EXIT_ERROR;
    }
    if report.fails_at(threshold) && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn format_name(format: OutputFormat) -> String {
    format
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

/// Whether a run found nothing to check: no document of a known kind, no file that could
/// not be checked, nothing fixed since a base. Such a run vouches for nothing, so it does
/// not pass (exit 2, as ESLint and zizmor do for "no inputs").
fn checked_nothing(report: &Report) -> bool {
    report.documents == 0
        && report.files_unchecked == 0
        && report.findings.is_empty()
        && report.fixed.is_empty()
}

fn why_nothing(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
    let shown = shown.join(", ");
    if paths.iter().all(|p| p.is_file()) {
        format!(
            "{shown} {} no document of a kind doublecheck reads (see \"What it reads\" in the README)",
            if paths.len() == 1 { "holds" } else { "hold" }
        )
    } else {
        format!(
            "no file under {shown} is of a kind doublecheck reads, or every one is excluded \
             (`exclude`, .gitignore); see \"What it reads\" in the README"
        )
    }
}

/// `github` on a GitHub Actions runner (`GITHUB_ACTIONS=true`), `text` elsewhere.
fn default_format() -> OutputFormat {
    match std::env::var("GITHUB_ACTIONS") {
        Ok(value) if value == "true" => OutputFormat::Github,
        _ => OutputFormat::Text,
    }
}

/// What to scan and with what, as the scanning commands take it.
pub(super) struct Target<'a> {
    pub paths: &'a [PathBuf],
    pub root: Option<&'a Path>,
    pub config: Option<&'a Path>,
    pub policies: &'a PolicySources,
    /// `--select` and `--ignore`: rule patterns on the command line.
    pub select: &'a [String],
    pub ignore: &'a [String],
    pub jobs: Option<usize>,
    pub no_ignores: bool,
    /// Whether a progress bar is wanted (see [`Progress::stderr`]).
    pub progress: bool,
}

/// Checks the paths, loads the policies and the config (each mistake reported, exit 2),
/// and returns the scan to run.
pub(super) fn setup(
    target: &Target,
    err_style: TextStyle,
) -> Result<(ScanRequest, PolicySet), i32> {
    if target.jobs == Some(0) {
        eprintln!("doublecheck: --jobs must be at least 1");
        return Err(EXIT_ERROR);
    }
    for path in target.paths {
        if !path.exists() && !path.is_symlink() {
            eprintln!(
                "doublecheck: `{}` does not exist; give files or folders to scan",
                path.display()
            );
            return Err(EXIT_ERROR);
        }
    }
    let policies = load_policies(target.policies, err_style)?;
    policies.prepare_in_background();
    let root = match find_root(target.paths, target.root) {
        Ok(root) => root,
        Err(error) => {
            let what = target.root.unwrap_or(Path::new("."));
            eprintln!("doublecheck: `{}`: {error}", what.display());
            return Err(EXIT_ERROR);
        }
    };
    let config_path = target
        .config
        .map(Path::to_path_buf)
        .or_else(|| config::discover(&root.path).map(|path| relative_to_cwd(&path)));
    let mut config = match config_path.as_deref().map(config::load).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(errors) => return Err(file_errors(&errors, "the config file", err_style)),
    };
    let known: Vec<&str> = policies
        .policies
        .iter()
        .map(|p| p.id())
        .chain(ENGINE_RULES.iter().map(|r| r.id))
        .collect();
    let errors = config.check_rule_ids(&known);
    if !errors.is_empty() {
        return Err(file_errors(&errors, "the config file", err_style));
    }
    let ids: Vec<&str> = policies.policies.iter().map(|p| p.id()).collect();
    let chosen =
        config::command_line_patterns("--select", target.select, &ids).and_then(|select| {
            Ok((
                select,
                config::command_line_patterns("--ignore", target.ignore, &ids)?,
            ))
        });
    match chosen {
        Ok((select, ignore)) => {
            config.rules.select = select;
            config.rules.disable.extend(ignore);
        }
        Err(message) => {
            eprintln!("doublecheck: {message}");
            return Err(EXIT_ERROR);
        }
    }
    for path in target.paths.iter().filter(|p| p.is_file()) {
        match not_read(path, &root.path, &config) {
            Some(NotRead::UnknownKind(why)) => {
                eprintln!("doublecheck: {why}");
                return Err(EXIT_ERROR);
            }
            // Deliberately excluded: pre-commit and editors name such files too, so the
            // rest is still scanned (and a run left with nothing to check says so).
            Some(NotRead::Excluded(why)) => eprintln!("doublecheck: note: {why}"),
            None => {}
        }
    }
    config.suppressions.inline = !target.no_ignores;
    config.suppressions.today = match suppress::today() {
        Ok(today) => Some(today),
        Err(error) => {
            eprintln!("doublecheck: {error}");
            return Err(EXIT_ERROR);
        }
    };
    let request = ScanRequest {
        paths: target.paths.to_vec(),
        repository: root.is_repository(),
        root: root.path,
        config,
        progress: Progress::stderr(target.progress),
        jobs: target.jobs,
    };
    Ok((request, policies))
}

/// Why a file named on the command line would not be read.
enum NotRead {
    /// Its name matches no kind doublecheck reads: naming it is a mistake.
    UnknownKind(String),
    /// The configuration's `exclude` leaves it out.
    Excluded(String),
}

/// Why a file named on the command line would not be read, when it would not: a file of no
/// known kind, or one the configuration excludes.
fn not_read(path: &Path, root: &Path, config: &config::Config) -> Option<NotRead> {
    let shown = shown_path(&anchor(path), &anchor(root));
    if detect::candidate(&shown).is_none() && !deployed_above(&shown, root) {
        return Some(NotRead::UnknownKind(format!(
            "`{}` is not a file doublecheck reads: its name matches none of the kinds it \
             checks (see \"What it reads\" in the README)",
            path.display()
        )));
    }
    if config.exclude.excludes(&shown) {
        let from = config.path.as_deref().unwrap_or("the config file");
        return Some(NotRead::Excluded(format!(
            "`{}` is not read: `exclude` in {from} excludes it",
            path.display()
        )));
    }
    None
}

/// Prints the errors of a config or baseline file; returns exit code 2.
pub(super) fn file_errors(errors: &[FileError], what: &str, style: TextStyle) -> i32 {
    let mut stderr = std::io::stderr().lock();
    let _ = render_policy_errors(errors, style, &mut stderr);
    eprintln!(
        "doublecheck: {} in {what}; nothing was scanned",
        count(errors.len(), "error", "errors")
    );
    EXIT_ERROR
}

/// Whether a `firebase.json` in a folder above the file shown as `shown` (up to the root)
/// deploys it: then it is read as the rules it is, whatever its name.
fn deployed_above(shown: &str, root: &Path) -> bool {
    let mut folder = shown;
    while let Some((parent, _)) = folder.rsplit_once('/') {
        folder = parent;
        if names(&format!("{folder}/firebase.json"), shown, root) {
            return true;
        }
    }
    names("firebase.json", shown, root)
}

/// Whether the `firebase.json` shown as `config` exists and names `target`.
fn names(config: &str, target: &str, root: &Path) -> bool {
    std::fs::read_to_string(root.join(config)).is_ok_and(|text| {
        detect::firebase_deployments(config, &text)
            .iter()
            .any(|d| d.target == target)
    })
}
