//! `doublecheck scan`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, ScanArgs, load_policies, stderr_style};
use crate::config;
use crate::render::{
    Links, MAX_SUMMARY_BYTES, OutputFormat, TextStyle, github_outputs, render,
    render_policy_errors, step_summary,
};
use crate::scan::{Report, ScanRequest, scan};

pub(super) fn run(args: ScanArgs) -> i32 {
    let err_style = stderr_style(args.color);
    if let Some(jobs) = args.jobs {
        if jobs == 0 {
            eprintln!("doublecheck: --jobs must be at least 1");
            return EXIT_ERROR;
        }
        // Only fails if a pool already exists, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global();
    }
    for path in &args.paths {
        if !path.exists() && !path.is_symlink() {
            eprintln!(
                "doublecheck: `{}` does not exist; give files or folders to scan",
                path.display()
            );
            return EXIT_ERROR;
        }
    }
    let policies = match load_policies(&args.policies, err_style) {
        Ok(policies) => policies,
        Err(code) => return code,
    };
    let root = args
        .root
        .clone()
        .unwrap_or_else(|| match args.paths.as_slice() {
            [only] if only.is_dir() => only.clone(),
            _ => PathBuf::from("."),
        });
    let config_path = args.config.clone().or_else(|| config::discover(&root));
    let config = match config_path.as_deref().map(config::load).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(errors) => {
            let mut stderr = std::io::stderr().lock();
            let _ = render_policy_errors(&errors, err_style, &mut stderr);
            eprintln!(
                "doublecheck: {} error(s) in the config file; nothing was scanned",
                errors.len()
            );
            return EXIT_ERROR;
        }
    };
    let request = ScanRequest {
        paths: args.paths.clone(),
        root,
        config,
    };
    let report = scan(&request, &policies);
    let format = args.format.unwrap_or_else(default_format);
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
    if let Err(message) = side_outputs(&args, format, &report) {
        eprintln!("doublecheck: {message}");
        return EXIT_ERROR;
    }
    if report.unreadable > 0 {
        return EXIT_ERROR;
    }
    let threshold = args.fail_on.severity();
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

/// The outputs beside standard output: the SARIF file (`--sarif-file`) and, with
/// `--format github`, the step summary and step outputs in the files the runner names.
fn side_outputs(args: &ScanArgs, format: OutputFormat, report: &Report) -> Result<(), String> {
    if let Some(path) = &args.sarif_file {
        let mut sarif = Vec::new();
        render(OutputFormat::Sarif, report, TextStyle::Plain, &mut sarif)
            .and_then(|()| std::fs::write(path, sarif))
            .map_err(|e| format!("cannot write the SARIF report to `{}`: {e}", path.display()))?;
    }
    if format != OutputFormat::Github {
        return Ok(());
    }
    if let Some(path) = runner_file("GITHUB_STEP_SUMMARY") {
        let written = std::fs::metadata(&path).map_or(0, |m| m.len());
        let budget =
            MAX_SUMMARY_BYTES.saturating_sub(usize::try_from(written).unwrap_or(usize::MAX));
        let summary = step_summary(report, Links::from_env().as_ref(), budget);
        append(&path, &summary)
            .map_err(|e| format!("cannot write the step summary to `{}`: {e}", path.display()))?;
    }
    if let Some(path) = runner_file("GITHUB_OUTPUT") {
        let sarif = args
            .sarif_file
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned());
        let outputs = github_outputs(report, sarif.as_deref());
        append(&path, &outputs)
            .map_err(|e| format!("cannot write the step outputs to `{}`: {e}", path.display()))?;
    }
    Ok(())
}

/// A file the runner names in an environment variable, when it names one.
fn runner_file(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn append(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}
