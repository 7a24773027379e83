//! `doublecheck baseline create|update`: write the findings accepted for now, or prune the
//! ones that were fixed.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::scan::{Target, setup};
use super::{Color, EXIT_CLEAN, EXIT_ERROR, PolicySources, out, stderr_style};
use crate::filter::baseline::{self, DEFAULT_FILE, Entry};
use crate::finding::is_engine_rule;
use crate::report::Report;
use crate::scan::scan;
use crate::walk::root::relative_to_cwd;
use crate::words::count;

#[derive(Debug, Args)]
pub(super) struct BaselineArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Scan and write every current finding to the baseline file (replacing it).
    Create(RunArgs),
    /// Scan and remove the baseline's entries that are fixed; adds nothing new.
    Update(RunArgs),
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Files and folders to scan.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// The baseline file (default: the config's `baseline`, else
    /// `.doublecheck-baseline.json` in the root folder).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Shown paths, and so the baseline's paths, are relative to this folder (default: the
    /// top of the git work tree, as for `scan`).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Settings file (default: `.doublecheck.yml` or `.doublecheck.yaml` in the root).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Worker threads (default: one per core this process may use).
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Never draw the progress bar (drawn on a terminal once a scan has run for a second).
    #[arg(long)]
    no_progress: bool,
    /// Ignore inline `doublecheck:ignore` comments, so suppressed findings are baselined too.
    #[arg(long)]
    no_ignores: bool,
    #[command(flatten)]
    policies: PolicySources,
}

pub(super) fn run(args: BaselineArgs) -> i32 {
    let (update, args) = match args.action {
        Action::Create(args) => (false, args),
        Action::Update(args) => (true, args),
    };
    let err_style = stderr_style(args.color);
    let target = Target {
        paths: &args.paths,
        root: args.root.as_deref(),
        config: args.config.as_deref(),
        policies: &args.policies,
        select: &[],
        ignore: &[],
        jobs: args.jobs,
        no_ignores: args.no_ignores,
        progress: !args.no_progress,
    };
    let (request, policies) = match setup(&target, err_style) {
        Ok(ready) => ready,
        Err(code) => return code,
    };
    let file = args
        .output
        .clone()
        .or(request.config.baseline.clone())
        .unwrap_or_else(|| relative_to_cwd(&request.root.join(DEFAULT_FILE)));
    let shown = file.display().to_string();
    let scope = request.scope();
    // A scan of part of the repository keeps the entries of the rest, also with `create`.
    let partial_create = !update && !scope.is_whole() && file.exists();
    let existing = if update || partial_create {
        match baseline::load(&file) {
            Ok(entries) => Some(entries),
            Err(errors) => {
                return super::scan::file_errors(&errors, "the baseline file", err_style);
            }
        }
    } else {
        None
    };
    let report = scan(&request, &policies);
    request.progress.finish();
    if report.unreadable > 0 {
        eprintln!(
            "doublecheck: {} could not be read (see `doublecheck scan`); `{shown}` was not written",
            count(report.unreadable, "path", "paths")
        );
        return EXIT_ERROR;
    }
    warn_about_engine_findings(&report);
    let covers = |path: &str| scope.covers(path);
    let (entries, message) = match existing {
        Some(existing) if !update => {
            let entries = baseline::merge(baseline::entries_of(&report), existing, covers);
            let message = format!(
                "wrote {} to {shown} (those of files outside the scanned paths kept)",
                count(entries.len(), "entry", "entries")
            );
            (entries, message)
        }
        None => {
            let entries = baseline::entries_of(&report);
            let message = format!(
                "wrote {} to {shown}",
                count(entries.len(), "entry", "entries")
            );
            (entries, message)
        }
        Some(existing) => {
            let (entries, pruned) = baseline::prune(existing, &report, covers);
            let message = format!(
                "pruned {} from {shown}; {} {}",
                count(pruned, "fixed entry", "fixed entries"),
                entries.len(),
                if entries.len() == 1 {
                    "remains"
                } else {
                    "remain"
                }
            );
            (entries, message)
        }
    };
    if let Err(error) = write(&file, &entries) {
        eprintln!("doublecheck: cannot write `{shown}`: {error}");
        return EXIT_ERROR;
    }
    out::print(&format!("doublecheck: {message}\n"), EXIT_CLEAN)
}

fn write(file: &std::path::Path, entries: &[Entry]) -> std::io::Result<()> {
    std::fs::write(file, baseline::to_json(entries))
}

/// The engine's own findings are never baselined: say so, since the next scan fails on them.
fn warn_about_engine_findings(report: &Report) {
    let engine: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_none() && is_engine_rule(&f.rule))
        .map(|f| {
            format!(
                "{}:{}:{}: {}",
                f.location.path, f.location.start.line, f.location.start.column, f.rule
            )
        })
        .collect();
    if engine.is_empty() {
        return;
    }
    eprintln!(
        "doublecheck: {} of doublecheck's own rules cannot be baselined; fix {}:",
        count(engine.len(), "finding", "findings"),
        if engine.len() == 1 { "it" } else { "them" }
    );
    for line in engine {
        eprintln!("  {line}");
    }
}
