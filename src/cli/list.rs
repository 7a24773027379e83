//! `doublecheck policies`.

use std::io::{self, Write};

use serde::Serialize;

use super::out::{self, Stdout};
use super::{EXIT_CLEAN, ListArgs, ListFormat, load_policies, stderr_style};
use crate::facts;
use crate::finding::Severity;
use crate::policy::PolicySet;

pub(super) fn run(args: ListArgs) -> i32 {
    let mut stdout = out::stdout();
    if args.facts {
        return out::exit_code(list_facts(&mut stdout));
    }
    let policies = match load_policies(&args.policies, stderr_style(super::Color::Auto)) {
        Ok(policies) => policies,
        Err(code) => return code,
    };
    let printed = match args.format {
        ListFormat::Text => list_policies(&policies, &mut stdout),
        ListFormat::Json => json(&policies, &mut stdout),
    };
    out::exit_code(printed)
}

/// A policy as `policies --format json` lists it, for dashboards.
#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    severity: Severity,
    /// The document kinds it applies to (globs as written).
    kinds: &'a [String],
    incident: Option<&'a str>,
    help_uri: Option<&'a str>,
    /// `built-in`, or the policy file's path.
    origin: &'a str,
}

fn json(policies: &PolicySet, out: &mut Stdout) -> io::Result<i32> {
    let listed: Vec<Listed<'_>> = policies
        .policies
        .iter()
        .map(|policy| Listed {
            id: policy.id(),
            title: &policy.spec().title,
            severity: policy.spec().severity,
            kinds: &policy.spec().applies_to,
            incident: policy.spec().incident.as_deref(),
            help_uri: policy.spec().help_uri.as_deref(),
            origin: if policy.origin.builtin {
                "built-in"
            } else {
                &policy.origin.path
            },
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &listed)?;
    writeln!(out)?;
    out.flush()?;
    Ok(EXIT_CLEAN)
}

fn list_facts(out: &mut Stdout) -> io::Result<i32> {
    for fact in facts::all() {
        writeln!(
            out,
            "{} ({} fact)\n    {}\n",
            fact.name,
            fact.scope.as_str(),
            fact.description
        )?;
    }
    out.flush()?;
    Ok(EXIT_CLEAN)
}

fn list_policies(policies: &PolicySet, out: &mut Stdout) -> io::Result<i32> {
    let width = policies
        .policies
        .iter()
        .map(|p| p.id().len())
        .max()
        .unwrap_or(0);
    for policy in &policies.policies {
        let origin = if policy.origin.builtin {
            "built-in"
        } else {
            policy.origin.path.as_str()
        };
        writeln!(
            out,
            "{:width$}  {:7}  {}  [{}] ({origin})",
            policy.id(),
            policy.spec().severity.as_str(),
            policy.spec().title,
            policy.spec().applies_to.join(", "),
        )?;
    }
    out.flush()?;
    Ok(EXIT_CLEAN)
}
