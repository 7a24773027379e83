//! `doublecheck policies`.

use super::{EXIT_CLEAN, ListArgs, load_policies, stderr_style};
use crate::facts;

pub(super) fn run(args: ListArgs) -> i32 {
    if args.facts {
        for fact in facts::all() {
            println!(
                "{} ({} fact)\n    {}\n",
                fact.name,
                fact.scope.as_str(),
                fact.description
            );
        }
        return EXIT_CLEAN;
    }
    let policies = match load_policies(&args.policies, stderr_style(super::Color::Auto)) {
        Ok(policies) => policies,
        Err(code) => return code,
    };
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
        println!(
            "{:width$}  {:7}  {}  [{}] ({origin})",
            policy.id(),
            policy.spec.severity.as_str(),
            policy.spec.title,
            policy.spec.applies_to.join(", "),
        );
    }
    EXIT_CLEAN
}
