//! `doublecheck explain ID`: everything about one rule, generated from its policy file.

use super::{EXIT_CLEAN, EXIT_ERROR, ExplainArgs, load_policies, out, stderr_style};
use crate::finding::ENGINE_RULES;
use crate::policy::{Policy, incident};

pub(super) fn run(args: ExplainArgs) -> i32 {
    if let Some(rule) = ENGINE_RULES.iter().find(|r| r.id == args.id) {
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
    match policies.get(&args.id) {
        Some(policy) => out::print(&explanation(policy), EXIT_CLEAN),
        None => {
            eprintln!(
                "doublecheck: no policy `{}`; `doublecheck policies` lists them",
                args.id
            );
            EXIT_ERROR
        }
    }
}

pub fn explanation(policy: &Policy) -> String {
    let spec = &policy.spec;
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
    out.push_str(&format!(
        "\nEach node selected by `{}` must satisfy:\n{}\n",
        spec.select.as_deref().unwrap_or("$"),
        serde_json::to_string_pretty(&spec.require).unwrap_or_default()
    ));
    if let Some(when) = &spec.when {
        out.push_str(&format!(
            "\n…in documents that satisfy:\n{}\n",
            serde_json::to_string_pretty(when).unwrap_or_default()
        ));
    }
    out.push_str(&format!("\nHow to fix:\n{}\n", spec.remediation.trim_end()));
    for example in &spec.examples {
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
