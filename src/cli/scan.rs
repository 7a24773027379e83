//! `doublecheck scan`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::outputs::Outputs;
use super::{
    EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, PolicySources, ScanArgs, load_policies, stderr_style,
};
use crate::config;
use crate::diff::scan_diff_base;
use crate::filter::{baseline, suppress};
use crate::finding::ENGINE_RULES;
use crate::finding::Severity;
use crate::policy::PolicySet;
use crate::progress::Progress;
use crate::render::{OutputFormat, TextStyle, render, render_policy_errors};
use crate::scan::{ScanRequest, parse_only, scan};
use crate::walk::root::{find_root, relative_to_cwd};
use crate::yaml_file::FileError;

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
    let target = Target {
        paths: &args.paths,
        root: args.root.as_deref(),
        config: args.config.as_deref(),
        policies: &args.policies,
        jobs: args.jobs,
        no_ignores: args.no_ignores,
        // The github format is for a runner's log: no bar there, whatever the runner's stderr.
        progress: !args.no_progress && format != OutputFormat::Github,
    };
    let (request, policies) = match setup(&target, err_style) {
        Ok(ready) => ready,
        Err(code) => return code,
    };
    if args.parse_only {
        let count = parse_only(&request);
        println!(
            "parsed {} files ({} documents); {} could not be read or parsed",
            count.files, count.documents, count.failed
        );
        return EXIT_CLEAN;
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
    let mut stdout = std::io::stdout().lock();
    if let Err(error) =
        render(format, &report, out_style, &mut stdout).and_then(|()| stdout.flush())
    {
        // A closed pipe (`| head`) is not worth a second error.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("doublecheck: cannot write the report: {error}");
        }
        return EXIT_ERROR;
    }
    if !errors.is_empty() || report.unreadable > 0 {
        return EXIT_ERROR;
    }
    if report.fails_at(threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
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
    if let Some(jobs) = target.jobs {
        if jobs == 0 {
            eprintln!("doublecheck: --jobs must be at least 1");
            return Err(EXIT_ERROR);
        }
        // Only fails if a pool already exists, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global();
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
    };
    Ok((request, policies))
}

/// Prints the errors of a config or baseline file; returns exit code 2.
pub(super) fn file_errors(errors: &[FileError], what: &str, style: TextStyle) -> i32 {
    let mut stderr = std::io::stderr().lock();
    let _ = render_policy_errors(errors, style, &mut stderr);
    eprintln!(
        "doublecheck: {} error(s) in {what}; nothing was scanned",
        errors.len()
    );
    EXIT_ERROR
}
