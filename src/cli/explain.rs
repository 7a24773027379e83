//! `doublecheck explain ID`: everything about one rule, generated from its policy file.

use super::{EXIT_CLEAN, EXIT_ERROR, ExplainArgs, load_policies, out, stderr_style};
use crate::finding::ENGINE_RULES;
use crate::policy::{Policy, incident};

pub(super) fn run(args: ExplainArgs) -> i32 {
    // Ids are upper case; `explain sf-guest-001` means the same rule.
    let id = args.id.trim();
    if let Some(rule) = ENGINE_RULES.iter().find(|r| r.id.eq_ignore_ascii_case(id)) {
        let text = format!(
            "{} ({}): {}\n\n{}\n\nHow to fix:\n{}\n",
            rule.id, rule.severity, rule.title, rule.description, rule.remediation
        );
        return out::print(&text, EXIT_CLEAN);
    }
    let policies = match load_policies(&args.policies, stderr_style(super::Color::Auto)) {
        Ok(policies) => policies,
        Err(code) => return code,
    };
    let found = policies
        .policies
        .iter()
        .find(|p| p.id().eq_ignore_ascii_case(id));
    match found {
        Some(policy) => out::print(&explanation(policy), EXIT_CLEAN),
        None => {
            let upper = id.to_ascii_uppercase();
            let closest = policies
                .policies
                .iter()
                .map(|p| p.id())
                .chain(ENGINE_RULES.iter().map(|r| r.id))
                .map(|known| (strsim::damerau_levenshtein(&upper, known), known))
                .filter(|(distance, _)| *distance <= 2)
                .min();
            match closest {
                Some((_, known)) => {
                    eprintln!("doublecheck: no policy `{id}`; did you mean `{known}`?");
                }
                None => {
                    eprintln!("doublecheck: no policy `{id}`; `doublecheck policies` lists them");
                }
            }
            EXIT_ERROR
        }
    }
}

pub fn explanation(policy: &Policy) -> String {
    let spec = policy.spec();
    let mut out = format!(
        "{} ({}): {}\n\nApplies to: {}\n",
        spec.id,
        spec.severity,
        spec.title,
        spec.applies_to.join(", ")
    );
    if !spec.facts.is_empty() {
        out.push_str(&format!("Only when: {}\n", spec.facts.join(", ")));
    }
    out.push_str(&format!("Defined in: {}\n", policy.origin.path));
    if let Some(name) = &spec.incident {
        out.push_str(&format!("\nWhy (incident {name}):\n"));
        match incident(name) {
            Some(i) => out.push_str(&format!("{}\n", wrap(i.summary))),
            None => out.push_str("(an incident named by the policy's author)\n"),
        }
    }
    out.push_str(&format!(
        "\nWhat it checks:\n{}\n",
        spec.description.trim_end()
    ));
    // The rule itself is the policy file's `require` (a JSON Schema): named here, not
    // dumped, since "What it checks" says it in words.
    let documents = match spec.when {
        Some(_) => "documents that satisfy its `when`",
        None => "every document",
    };
    let select = match spec.select.as_deref() {
        None | Some("$") => "the whole document".to_owned(),
        Some(select) => format!("each node at `{select}`"),
    };
    let how = format!(
        "In {documents} of these kinds, {select} must satisfy the policy's `require` (a JSON \
         Schema in {}).",
        policy.origin.path
    );
    out.push_str(&format!("\nHow it checks:\n{}\n", wrap(&how)));
    out.push_str(&format!("\nHow to fix:\n{}\n", spec.remediation.trim_end()));
    for example in policy.examples().iter() {
        let verdict = if example.expect.is_empty() {
            "passes".to_owned()
        } else {
            let at: Vec<String> = example
                .expect
                .iter()
                .map(|e| format!("{}:{}", e.line, e.column))
                .collect();
            format!("fails at {}", at.join(", "))
        };
        out.push_str(&format!("\nExample `{}` ({verdict}):\n", example.name));
        for file in &example.files {
            out.push_str(&format!("--- {}\n", file.path));
            for (n, line) in file.content.lines().enumerate() {
                out.push_str(&format!("{:4} | {line}\n", n + 1));
            }
        }
    }
    out
}

fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for word in text.split_whitespace() {
        if width + word.len() > 88 && width > 0 {
            out.push('\n');
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.len();
    }
    out
}
