//! `doublecheck test`: runs every policy's examples through a real in-memory scan and
//! compares each finding's exact location, and its message where the example gives one,
//! with what the example expects.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::sync::Arc;

use super::out::{self, Stdout};
use super::{
    EXIT_CLEAN, EXIT_FINDINGS, PolicySources, TestArgs, load_policies_checked, stderr_style,
};
use crate::parse::{self, Format};
use crate::policy::{Policy, PolicySet};
use crate::scan::scan_memory;
use crate::words::count;

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
    out::exit_code(test_all(&policies, &mut out::stdout()))
}

/// Tests every policy, printing a line per example; exit 1 when one fails.
fn test_all(policies: &PolicySet, out: &mut Stdout) -> io::Result<i32> {
    let mut failures = 0;
    let mut passed = 0;
    for policy in &policies.policies {
        for outcome in test_policy(policy) {
            match outcome {
                Ok(line) => {
                    passed += 1;
                    writeln!(out, "ok   {line}")?;
                }
                Err(line) => {
                    failures += 1;
                    writeln!(out, "FAIL {line}")?;
                }
            }
        }
    }
    // The last line is the plain `N passed, N failed` form CI systems read.
    writeln!(
        out,
        "\n{}, {}\nexamples: {passed} passed, {failures} failed",
        count(policies.policies.len(), "policy", "policies"),
        count(passed + failures, "example", "examples")
    )?;
    out.flush()?;
    Ok(if failures > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

type Spot = (String, usize, usize);

/// Indents the lines under a `FAIL ` line.
const INDENT: &str = "     ";

/// One line per example (`Ok` or `Err` with what differed), plus a failure when the
/// policy lacks a failing or a passing example.
pub fn test_policy(policy: &Arc<Policy>) -> Vec<Result<String, String>> {
    let id = policy.id();
    let mut results = Vec::new();
    // Each policy is tested alone, so another policy's findings cannot mask a mistake.
    let single = PolicySet::of(vec![Arc::clone(policy)]);
    let examples = policy.examples();
    if !examples.iter().any(|e| !e.expect.is_empty())
        || !examples.iter().any(|e| e.expect.is_empty())
    {
        results.push(Err(format!(
            "{id} ({}): needs at least one failing example (with `expect` locations) and one passing example (`expect: []`)",
            policy.origin.path
        )));
    }
    for (index, example) in examples.iter().enumerate() {
        let files: Vec<(String, String)> = example
            .files
            .iter()
            .map(|f| (f.path.clone(), f.content.clone()))
            .collect();
        let default_path = files.first().map(|(p, _)| p.clone()).unwrap_or_default();
        let report = scan_memory(&files, &single);
        let expected: Vec<Expected<'_>> = example
            .expect
            .iter()
            .enumerate()
            .map(|(entry, e)| Expected {
                spot: (
                    e.path.clone().unwrap_or_else(|| default_path.clone()),
                    e.line,
                    e.column,
                ),
                message: e.message.as_deref(),
                entry,
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
        let actual: Vec<(Spot, &str)> = report
            .findings
            .iter()
            .filter(|f| f.rule == id)
            .map(|f| {
                let spot = (
                    f.location.path.clone(),
                    f.location.start.line,
                    f.location.start.column,
                );
                (spot, f.message.as_str())
            })
            .collect();
        let expected_spots: BTreeSet<Spot> = expected.iter().map(|e| e.spot.clone()).collect();
        let actual_spots: BTreeSet<Spot> = actual.iter().map(|(s, _)| s.clone()).collect();
        let name = format!("{id} example `{}`", example.name);
        if report.files_checked + report.files_unchecked == 0 {
            results.push(Err(format!(
                "{name}: no example file is of a kind doublecheck reads (check the `path`)"
            )));
        } else if !engine.is_empty() {
            results.push(Err(format!("{name}: {}", engine.join("; "))));
        } else if expected_spots != actual_spots {
            let mut text = format!(
                "{name}: expected findings at {}, got {} (in {})",
                spots(&expected_spots),
                spots(&actual_spots),
                policy.origin.path
            );
            for ((path, line, column), message) in &actual {
                text.push_str(&format!("\n{INDENT}{path}:{line}:{column}: {message}"));
            }
            results.push(Err(text));
        } else {
            let wrong = wrong_messages(&expected, &actual);
            if wrong.is_empty() {
                results.push(Ok(format!(
                    "{name} ({})",
                    count(actual.len(), "finding", "findings")
                )));
            } else {
                let parts: Vec<String> = wrong
                    .iter()
                    .map(|(expected, actual)| message_diff(policy, index, expected, actual, &name))
                    .collect();
                results.push(Err(parts.join("\n")));
            }
        }
    }
    results
}

/// One `expect` entry of an example: where, what message (if asserted), and its index.
struct Expected<'a> {
    spot: Spot,
    message: Option<&'a str>,
    entry: usize,
}

/// The expected messages no finding at their location has, each with the actual message it
/// stands against (findings at one location are matched as a multiset: an expected message
/// that some finding there has is satisfied).
fn wrong_messages<'e, 'a>(
    expected: &'e [Expected<'e>],
    actual: &[(Spot, &'a str)],
) -> Vec<(&'e Expected<'e>, &'a str)> {
    let mut wrong = Vec::new();
    let spots: BTreeSet<&Spot> = expected.iter().map(|e| &e.spot).collect();
    for spot in spots {
        let mut left: Vec<&str> = actual
            .iter()
            .filter(|(s, _)| s == spot)
            .map(|(_, m)| *m)
            .collect();
        let all = left.clone();
        let mut unmatched = Vec::new();
        for entry in expected.iter().filter(|e| &e.spot == spot) {
            let Some(message) = entry.message else {
                continue;
            };
            match left.iter().position(|m| *m == message) {
                Some(at) => {
                    left.remove(at);
                }
                None => unmatched.push(entry),
            }
        }
        for (n, entry) in unmatched.into_iter().enumerate() {
            let against = left.get(n).or(all.first()).copied().unwrap_or_default();
            wrong.push((entry, against));
        }
    }
    wrong
}

/// The diagnostic of an expected message that differs from the finding's: where the
/// expected one is written, both messages, and where they start to differ.
fn message_diff(
    policy: &Policy,
    example: usize,
    expected: &Expected<'_>,
    actual: &str,
    name: &str,
) -> String {
    let (path, line, column) = &expected.spot;
    let wanted = expected.message.unwrap_or_default();
    let written = message_position(policy, example, expected.entry)
        .map(|(l, c)| format!("{}:{l}:{c}", policy.origin.path))
        .unwrap_or_else(|| policy.origin.path.clone());
    let same = wanted
        .chars()
        .zip(actual.chars())
        .take_while(|(a, b)| a == b)
        .count();
    format!(
        "{name}: the finding at {path}:{line}:{column} has another message than the example \
         expects ({written})\n\
         {INDENT}expected: {wanted}\n\
         {INDENT}actual:   {actual}\n\
         {INDENT}          {pad}^ first difference\n\
         {INDENT}if the actual message is right, write it in the example's `message`; if not, fix the policy's `message` template",
        pad = " ".repeat(same)
    )
}

/// Line and column of `examples[example].expect[entry].message` in the policy file.
fn message_position(policy: &Policy, example: usize, entry: usize) -> Option<(usize, usize)> {
    let source = policy.origin.source();
    let documents = parse::parse(Format::YAML, source).ok()?;
    let pointer = format!("/examples/{example}/expect/{entry}/message");
    let (found, spans) = documents.first()?.spans.nearest(&pointer)?;
    if found != pointer {
        return None;
    }
    let position = source.position(spans.value.start);
    Some((position.line, position.column))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spot(line: usize) -> Spot {
        ("a.yml".to_owned(), line, 1)
    }

    fn expected(line: usize, message: Option<&str>, entry: usize) -> Expected<'_> {
        Expected {
            spot: spot(line),
            message,
            entry,
        }
    }

    #[test]
    fn messages_match_per_location_in_any_order() {
        let actual = [(spot(1), "b"), (spot(1), "a"), (spot(2), "c")];
        let expect = [
            expected(1, Some("a"), 0),
            expected(1, Some("b"), 1),
            expected(2, None, 2),
        ];
        assert!(wrong_messages(&expect, &actual).is_empty());
    }

    #[test]
    fn a_wrong_message_stands_against_the_one_left_at_its_location() {
        let actual = [(spot(1), "a"), (spot(1), "b"), (spot(2), "c")];
        let expect = [
            expected(1, Some("a"), 0),
            expected(1, Some("x"), 1),
            expected(2, Some("c"), 2),
        ];
        let wrong = wrong_messages(&expect, &actual);
        assert_eq!(wrong.len(), 1);
        assert_eq!(wrong[0].0.entry, 1);
        assert_eq!(wrong[0].1, "b");
        // The same message expected twice at a location with one finding: the second one
        // stands against that finding's message.
        let twice = [expected(2, Some("c"), 0), expected(2, Some("c"), 1)];
        let wrong = wrong_messages(&twice, &actual);
        assert_eq!(wrong.len(), 1);
        assert_eq!((wrong[0].0.entry, wrong[0].1), (1, "c"));
    }
}
