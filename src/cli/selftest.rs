//! `doublecheck test`: runs every policy's examples through a real in-memory scan and
//! compares each finding's exact location with what the example expects.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{
    EXIT_CLEAN, EXIT_FINDINGS, PolicySources, TestArgs, load_policies_checked, stderr_style,
};
use crate::policy::{Policy, PolicySet};
use crate::scan::scan_memory;

pub(super) fn run(args: TestArgs) -> i32 {
    let sources = PolicySources {
        no_builtin: !args.dirs.is_empty(),
        dirs: args.dirs.clone(),
    };
    // The built-in policies are checked in full here, as a user's are: every other command
    // trusts them as embedded (see `load_builtin`).
    let policies = match load_policies_checked(&sources, stderr_style(args.color)) {
        Ok(policies) => policies,
        Err(code) => return code,
    };
    let mut failures = 0;
    let mut passed = 0;
    for policy in &policies.policies {
        for outcome in test_policy(policy) {
            match outcome {
                Ok(line) => {
                    passed += 1;
                    println!("ok   {line}");
                }
                Err(line) => {
                    failures += 1;
                    println!("FAIL {line}");
                }
            }
        }
    }
    // The last line is the plain `N passed, N failed` form CI systems read.
    println!(
        "\n{} policies, {} examples\nexamples: {passed} passed, {failures} failed",
        policies.policies.len(),
        passed + failures
    );
    if failures > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

type Spot = (String, usize, usize);

/// One line per example (`Ok` or `Err` with what differed), plus a failure when the
/// policy lacks a failing or a passing example.
pub fn test_policy(policy: &Arc<Policy>) -> Vec<Result<String, String>> {
    let id = policy.id();
    let mut results = Vec::new();
    // Each policy is tested alone, so another policy's findings cannot mask a mistake.
    let single = PolicySet::of(vec![Arc::clone(policy)]);
    let examples = &policy.spec.examples;
    if !examples.iter().any(|e| !e.expect.is_empty())
        || !examples.iter().any(|e| e.expect.is_empty())
    {
        results.push(Err(format!(
            "{id} ({}): needs at least one failing example (with `expect` locations) and one passing example (`expect: []`)",
            policy.origin.path
        )));
    }
    for example in examples {
        let files: Vec<(String, String)> = example
            .files
            .iter()
            .map(|f| (f.path.clone(), f.content.clone()))
            .collect();
        let default_path = files.first().map(|(p, _)| p.clone()).unwrap_or_default();
        let report = scan_memory(&files, &single);
        let expected: BTreeSet<Spot> = example
            .expect
            .iter()
            .map(|e| {
                let path = e.path.clone().unwrap_or_else(|| default_path.clone());
                (path, e.line, e.column)
            })
            .collect();
        let engine: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.rule != id)
            .map(|f| {
                format!(
                    "{} at {}:{}:{}: {}",
                    f.rule,
                    f.location.path,
                    f.location.start.line,
                    f.location.start.column,
                    f.message
                )
            })
            .collect();
        let actual: BTreeSet<Spot> = report
            .findings
            .iter()
            .filter(|f| f.rule == id)
            .map(|f| {
                (
                    f.location.path.clone(),
                    f.location.start.line,
                    f.location.start.column,
                )
            })
            .collect();
        let name = format!("{id} example `{}`", example.name);
        if report.files_checked + report.files_unchecked == 0 {
            results.push(Err(format!(
                "{name}: no example file is of a kind doublecheck reads (check the `path`)"
            )));
        } else if !engine.is_empty() {
            results.push(Err(format!("{name}: {}", engine.join("; "))));
        } else if expected == actual {
            results.push(Ok(format!("{name} ({} finding(s))", actual.len())));
        } else {
            results.push(Err(format!(
                "{name}: expected findings at {}, got {} (in {})",
                spots(&expected),
                spots(&actual),
                policy.origin.path
            )));
        }
    }
    results
}

fn spots(set: &BTreeSet<Spot>) -> String {
    if set.is_empty() {
        return "nothing".to_owned();
    }
    set.iter()
        .map(|(p, l, c)| format!("{p}:{l}:{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
