//! `doublecheck init`: writes a commented starter `.doublecheck.yml` that changes nothing
//! until edited, and never overwrites one.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_CLEAN, EXIT_ERROR, out};
use crate::config::CONFIG_FILE_NAMES;

#[derive(Debug, Args)]
pub(super) struct InitArgs {
    /// The folder to write `.doublecheck.yml` in (the repository root).
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

/// The starter file: every section, each setting at its default or commented out.
pub const STARTER: &str = r#"# doublecheck settings for this repository. Every key is optional; this file, as written,
# keeps every default. The JSON Schema is schemas/config.schema.json in doublecheck's
# repository (point your editor's YAML language server at it for completion).
# Every list setting X replaces the built-in default; extend-X adds to it. Lines that are
# settings commented out can be uncommented as they are.

# Exit with 1 when a finding (not suppressed, not in the baseline) is at or above this
# severity (error, warning or note). `--fail-on` wins.
fail-on: error

# Compare every scan with this baseline (relative to this file); write it with
# `doublecheck baseline create`, prune fixed entries with `doublecheck baseline update`.
# `--baseline FILE` wins.
# baseline: .doublecheck-baseline.json

# Paths never read: globs on the path relative to the root (* stays in a folder, **
# crosses folders); a folder's pattern excludes everything in it.
exclude:
#  - vendor/
#  - "**/testdata/**"

rules:
  # Policies that do not run, by id or glob (`doublecheck policies` lists them).
  disable:
  #  - SF-ACCESS-001
  #  - "K8S-*"
  # Severity overrides, an id or glob each (error, warning or note).
  severity:
  #  GH-ENV-002: error
  #  "DECAP-*": warning

suppressions:
  # Rules that may not be suppressed with an inline `doublecheck:ignore` comment.
  forbid:
  #  - "SF-GUEST-*"

limits:
  # Files of a known kind larger than this are not read and fail the run (DC-PARSE).
  max-file-size: 64 MiB
  # Files that may stay unchecked (unparsable, too large, unreadable): their findings become
  # notes. Keep this list short: whatever those files say is not checked.
  allow-unchecked:
  #  - "vendor/**"

helm:
  # Per chart folder, the values files (in that folder) to render the chart with over its
  # values.yaml, in order: check what production deploys.
  values:
  #  charts/web: [charts/web/values-production.yaml]

salesforce:
  # Objects whose records are personal data (default: Account, Contact, Lead, Case,
  # Opportunity, User, Individual, Order, Contract, ContactPoint*).
  extend-personal-objects:
  #  - Loan_Application__c
  # Regular expressions (case-insensitive) on field names that hold personal data.
  extend-personal-fields:
  #  - "passport"
  # Regular expressions on the name, label or description of permission sets for guests.
  extend-guest-permission-sets:
  #  - "^Portal_Visitor"
  # Profiles and permission sets that may hold export or View All Data (default: Admin).
  extend-broad-access-allowed:
  #  - Integration_Admin

publishing:
  # Regular expressions (case-insensitive) on environment names that publish (default:
  # prod, production, release or live as a word of the name).
  extend-production-environments:
  #  - "^www$"
  # Folders published as they are (default: docs/, content/, public/, static/, site/).
  extend-published-paths:
  #  - handbook/

network:
  # Ports never open to the world, over the transport each service uses (default: 22,
  # 23, 3389, 5900, 5985, 5986, 20, 21, 135, 137, 138, 139, 445, 2049, 3306, 5432, 1433,
  # 1521, 27017, 9042, 5984, 6379, 11211, 9200, 9300).
  extend-admin-ports:
  #  - 5601

firebase:
  # Regular expressions (case-insensitive) on each segment of a Firebase rules path or
  # database key whose records are about people (default: users, profiles, customers,
  # members, accounts, orders, payments, messages, rsvps, guests, tokens, …).
  extend-personal-collections:
  #  - "^(donors?|volunteers?)$"

powerpages:
  # Dataverse tables (logical names) that visitors who do not sign in may read in full,
  # such as a service catalogue (default: knowledgearticle, category).
  extend-public-tables:
  #  - cr123_servicecatalog

supabase:
  # Regular expressions (case-insensitive) on the column names of a table that mark it as
  # holding personal data (default: email, phone, address, first/last/full name, birth
  # date, national ids, card and bank numbers, IP address, latitude and longitude).
  extend-personal-columns:
  #  - "^(nhs|patient)_number$"
"#;

pub(super) fn run(args: InitArgs) -> i32 {
    if let Some(existing) = CONFIG_FILE_NAMES
        .iter()
        .map(|name| args.dir.join(name))
        .find(|path| path.exists())
    {
        eprintln!(
            "doublecheck: `{}` already exists; remove it to start again, or edit it",
            existing.display()
        );
        return EXIT_ERROR;
    }
    let path = args.dir.join(CONFIG_FILE_NAMES[0]);
    // `create_new` never replaces a file that appeared since the check.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, STARTER.as_bytes()));
    match written {
        Ok(()) => out::print(
            &format!("doublecheck: wrote {}\n", path.display()),
            EXIT_CLEAN,
        ),
        Err(error) => {
            eprintln!("doublecheck: cannot write `{}`: {error}", path.display());
            EXIT_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::{CONFIG_SCHEMA, load_source};
    use crate::document::SourceFile;

    #[test]
    fn the_starter_loads_and_keeps_the_defaults() {
        let source = Arc::new(SourceFile::new(".doublecheck.yml", STARTER.to_owned()));
        let config = load_source(source).unwrap_or_else(|e| panic!("the starter loads: {e:?}"));
        assert_eq!(config.fail_on, Some(crate::finding::Severity::Error));
        assert!(config.rules.disable.is_empty());
        assert!(config.baseline.is_none());
        assert!(config.facts.salesforce.personal_objects.contains("Contact"));
    }

    /// A commented-out setting: `# key: value` or `#  - item` (prose comments never start
    /// with a key and a colon).
    fn is_commented_setting(line: &str) -> bool {
        let Some(body) = line.trim_start().strip_prefix('#') else {
            return false;
        };
        let body = body.trim_start();
        let key_end = body
            .find(": ")
            .or_else(|| body.strip_suffix(':').map(str::len));
        body.starts_with("- ")
            || key_end.is_some_and(|end| {
                !body[..end].is_empty()
                    && body[..end]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_*\"".contains(c))
            })
    }

    /// Uncomments a line as an editor does: the `#` and one space after it go.
    fn uncomment(line: &str) -> String {
        let at = line.find('#').expect("a comment");
        let rest = &line[at + 1..];
        format!("{}{}", &line[..at], rest.strip_prefix(' ').unwrap_or(rest))
    }

    fn load(text: String) -> crate::config::Config {
        let source = Arc::new(SourceFile::new(".doublecheck.yml", text.clone()));
        load_source(source).unwrap_or_else(|e| panic!("{e:?} in\n{text}"))
    }

    #[test]
    fn the_commented_settings_load_when_uncommented_one_by_one_or_all_at_once() {
        let lines: Vec<&str> = STARTER.lines().collect();
        let commented: Vec<usize> = (0..lines.len())
            .filter(|&i| is_commented_setting(lines[i]))
            .collect();
        assert_eq!(commented.len(), 19, "{commented:?}");
        let with = |uncommented: &[usize]| {
            let mut text = String::new();
            for (i, line) in lines.iter().enumerate() {
                if uncommented.contains(&i) {
                    text.push_str(&uncomment(line));
                } else {
                    text.push_str(line);
                }
                text.push('\n');
            }
            text
        };
        for &i in &commented {
            load(with(&[i]));
        }
        let all = load(with(&commented));
        assert_eq!(all.rules.disable.len(), 2);
        assert!(all.baseline.is_some());
        assert!(
            all.facts
                .salesforce
                .personal_objects
                .contains("Loan_Application__c")
        );
        assert!(all.facts.network.admin_ports.contains(&5601));
        let collections = &all.facts.firebase.personal_collections;
        assert!(collections.find("volunteers").is_some());
        assert!(all.facts.powerpages.is_public("cr123_servicecatalog"));
        let columns = &all.facts.supabase.personal_columns;
        assert!(columns.find("patient_number").is_some());
    }

    #[test]
    fn the_starter_names_every_section_of_the_schema() {
        let schema: serde_json::Value = serde_json::from_str(CONFIG_SCHEMA).expect("JSON");
        let sections = schema["properties"].as_object().expect("properties");
        for name in sections.keys() {
            assert!(
                STARTER.contains(&format!("\n{name}:")) || STARTER.contains(&format!("# {name}:")),
                "the starter does not mention `{name}`"
            );
        }
    }
}
