//! `doublecheck scan`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, ScanArgs, load_policies, stderr_style};
use crate::config;
use crate::render::{render, render_policy_errors};
use crate::scan::{ScanRequest, scan, scan_diff_base};

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
    let report = match &args.diff_base {
        None => scan(&request, &policies),
        Some(reference) => match scan_diff_base(&request, &policies, reference) {
            Ok(report) => report,
            Err(error) => {
                eprintln!("doublecheck: {error}");
                return EXIT_ERROR;
            }
        },
    };
    let out_style = args.color.style(std::io::stdout().is_terminal());
    let mut stdout = std::io::stdout().lock();
    if let Err(error) =
        render(args.format, &report, out_style, &mut stdout).and_then(|()| stdout.flush())
    {
        // A closed pipe (`| head`) is not worth a second error.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("doublecheck: cannot write the report: {error}");
        }
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
