//! `doublecheck policies`.

use std::io::{self, Write};

use super::out::{self, Stdout};
use super::{EXIT_CLEAN, ListArgs, load_policies, stderr_style};
use crate::facts;
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
    out::exit_code(list_policies(&policies, &mut stdout))
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
            policy.spec.severity.as_str(),
            policy.spec.title,
            policy.spec.applies_to.join(", "),
        )?;
    }
    out.flush()?;
    Ok(EXIT_CLEAN)
}
