//! Facts about Supabase projects: each project's migrations (`supabase/migrations/*.sql`,
//! read together with its `supabase/config.toml`) are replayed in file-name order
//! ([`replay`]), and the statements that decide the final state get the facts: the `CREATE
//! TABLE` of a table left without row level security, the `ALTER TABLE` that disabled it,
//! the `USING (true)` of a policy still in force, the `GRANT` that lets anon write to a table
//! without row level security, the `CREATE FUNCTION` of a `SECURITY DEFINER` function anon
//! may call. A statement that a later migration overrides gets none.
//!
//! The replay is a fact provider, not a resolve step: nothing is substituted into the
//! migrations (each stays the document it is, located in its own file), and what the replay
//! decides is a property of statements given other files, which is what facts are.

mod replay;
mod settings;

use std::collections::BTreeMap;

use serde_json::Value;

pub use settings::{DEFAULT_PERSONAL_COLUMNS, SupabaseSettings};

use super::{FactIndex, FactInfo, Provider, Scope, Settings};
use crate::detect::kinds;
use crate::document::Evidence;
use replay::{At, Model, Name, Table};

pub const TABLE_WITHOUT_RLS: &str = "supabase/table-without-rls";
pub const RLS_DISABLED: &str = "supabase/rls-disabled";
pub const OPEN_POLICY: &str = "supabase/open-policy";
pub const PERSONAL_DATA: &str = "supabase/personal-data";
pub const NO_PERSONAL_DATA: &str = "supabase/no-personal-data";
pub const WRITE_GRANT_WITHOUT_RLS: &str = "supabase/write-grant-without-rls";
pub const BROAD_STORAGE_READ: &str = "supabase/broad-storage-read";
pub const ANON_EXECUTES_DEFINER: &str = "supabase/anon-executes-definer";

pub const PROVIDER: Provider = Provider::of_batch(FACTS, KINDS, provide);

const FACTS: &[FactInfo] = &[
    FactInfo {
        name: TABLE_WITHOUT_RLS,
        scope: Scope::Node,
        description: "the table name of a `CREATE TABLE` in an exposed schema (`[api] schemas` \
                      of `supabase/config.toml`, default `public`) whose table the project's \
                      migrations, replayed in order, leave without row level security while \
                      `anon` (or PUBLIC) still has a privilege on it (Supabase grants every \
                      privilege on `public` tables by default); not when row level security \
                      was disabled by a later statement (`supabase/rls-disabled`) or when an \
                      explicit write grant is what opens it (`supabase/write-grant-without-rls`)",
    },
    FactInfo {
        name: RLS_DISABLED,
        scope: Scope::Node,
        description: "the table name of the `ALTER TABLE … DISABLE ROW LEVEL SECURITY` that \
                      leaves an exposed table, still granted to `anon`, without row level \
                      security at the end of the migrations",
    },
    FactInfo {
        name: OPEN_POLICY,
        scope: Scope::Node,
        description: "the `USING` or `WITH CHECK` expression, always true (`true`, `1 = 1`), of \
                      a permissive policy still in force at the end of the migrations, for \
                      `anon`, `public` or no role (everyone), on a table of an exposed schema \
                      with row level security on that `anon` has the policy's privilege on",
    },
    FactInfo {
        name: PERSONAL_DATA,
        scope: Scope::Node,
        description: "a node of a statement about a table one of whose columns is named for \
                      personal data (`supabase.personal-columns`: email, phone, address, \
                      names, birth dates, payment details, locations, …); the column is the evidence",
    },
    FactInfo {
        name: NO_PERSONAL_DATA,
        scope: Scope::Node,
        description: "a node of a statement about a table none of whose known columns is named \
                      for personal data",
    },
    FactInfo {
        name: WRITE_GRANT_WITHOUT_RLS,
        scope: Scope::Node,
        description: "the `anon` or `PUBLIC` grantee of a `GRANT` of INSERT, UPDATE, DELETE or \
                      ALL, still in force, on a table of an exposed schema left without row \
                      level security",
    },
    FactInfo {
        name: BROAD_STORAGE_READ,
        scope: Scope::Node,
        description: "the always-true `USING` of a permissive SELECT (or ALL) policy on \
                      `storage.objects`, still in force, for `anon`, `public` or no role: \
                      every file of every bucket",
    },
    FactInfo {
        name: ANON_EXECUTES_DEFINER,
        scope: Scope::Node,
        description: "the name of a `CREATE FUNCTION … SECURITY DEFINER` in an exposed schema, \
                      not a trigger function, that `anon` may still execute at the end of the \
                      migrations (PostgreSQL grants EXECUTE to PUBLIC, Supabase to anon, unless \
                      both are revoked)",
    },
];

const KINDS: &[&str] = &[kinds::SUPABASE_MIGRATION, kinds::SUPABASE_CONFIG];

/// One project: its migrations (index, file name) and its config.
#[derive(Default)]
struct Project {
    migrations: Vec<(usize, String)>,
    config: Option<usize>,
}

fn provide(given: &super::Given, _: &super::Prepared, settings: &Settings, index: &mut FactIndex) {
    let documents = given.documents;
    let mut projects: BTreeMap<&str, Project> = BTreeMap::new();
    for (i, doc) in documents.iter().enumerate() {
        let path = doc.source.path.as_str();
        let project = projects
            .entry(crate::resolve::supabase_project(path))
            .or_default();
        if doc.kind.as_str() == kinds::SUPABASE_CONFIG {
            project.config = Some(i);
        } else {
            let name = path.rsplit('/').next().unwrap_or(path).to_owned();
            project.migrations.push((i, name));
        }
    }
    for project in projects.values_mut() {
        project.migrations.sort_by(|a, b| a.1.cmp(&b.1));
        let mut model = Model::new();
        for (i, _) in &project.migrations {
            model.apply(*i, &documents[*i].value);
        }
        let exposed = exposed_schemas(project.config.map(|c| &documents[c].value));
        Facts {
            model: &model,
            exposed: &exposed,
            settings: &settings.supabase,
            index,
        }
        .establish();
    }
}

/// The schemas the API serves: `[api] schemas` (default `public`), none when `[api]
/// enabled = false`.
fn exposed_schemas(config: Option<&Value>) -> Vec<String> {
    let api = config.and_then(|c| c.get("api"));
    if api.and_then(|a| a.get("enabled")) == Some(&Value::Bool(false)) {
        return Vec::new();
    }
    match api.and_then(|a| a.get("schemas")).and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        None => vec!["public".to_owned()],
    }
}

struct Facts<'a> {
    model: &'a Model,
    exposed: &'a [String],
    settings: &'a SupabaseSettings,
    index: &'a mut FactIndex,
}

fn evidence(at: &At, message: impl Into<String>) -> Evidence {
    Evidence::at(at.document, at.pointer.clone(), message)
}

/// The evidence not at `at`, where the finding lands.
fn elsewhere(related: &[Evidence], at: &At) -> Vec<Evidence> {
    related
        .iter()
        .filter(|e| e.document != at.document || e.pointer != at.pointer)
        .cloned()
        .collect()
}

fn quoted((schema, name): &Name) -> String {
    format!("`{schema}.{name}`")
}

impl Facts<'_> {
    fn add(&mut self, at: &At, fact: &'static str, evidence: &[Evidence]) {
        self.index
            .add_node_with(at.document, at.pointer.clone(), fact, evidence);
    }

    fn is_exposed(&self, name: &Name) -> bool {
        self.exposed.contains(&name.0)
    }

    fn establish(&mut self) {
        for (name, table) in &self.model.tables {
            if !self.is_exposed(name) || table.rls || table.anon.is_empty() {
                continue;
            }
            self.unprotected_table(name, table);
        }
        for policy in &self.model.policies {
            let open_to_anyone = policy.permissive
                && (policy.roles.is_empty()
                    || policy.roles.iter().any(|r| r == "anon" || r == "public"));
            if !open_to_anyone {
                continue;
            }
            if policy.table == ("storage".to_owned(), "objects".to_owned()) {
                if matches!(policy.command.as_str(), "select" | "all")
                    && let Some((at, true)) = &policy.using
                {
                    self.add(at, BROAD_STORAGE_READ, &[]);
                }
                continue;
            }
            if !self.is_exposed(&policy.table) {
                continue;
            }
            let table = self.model.tables.get(&policy.table);
            // A table the migrations do not create (made in the dashboard, or by a dump that
            // is not in the tree) is taken to have Supabase's defaults.
            let granted =
                |privilege: &str| table.is_none_or(|t| t.rls && t.anon.contains(privilege));
            let needed: &[&str] = match policy.command.as_str() {
                "all" => &["select", "insert", "update", "delete"],
                "select" => &["select"],
                "insert" => &["insert"],
                "update" => &["update"],
                _ => &["delete"],
            };
            if !needed.iter().any(|p| granted(p)) {
                continue;
            }
            let personal = table.and_then(|t| self.personal_column(t));
            // One finding a policy: at its `USING` when that is always true, else at its
            // `WITH CHECK`.
            let open = [&policy.using, &policy.check]
                .into_iter()
                .flatten()
                .find(|(_, always)| *always);
            if let Some((expression, _)) = open {
                let mut e = Vec::new();
                if let Some(t) = table {
                    e.push(evidence(
                        &t.created,
                        format!("{} is created here", quoted(&policy.table)),
                    ));
                }
                self.add(expression, OPEN_POLICY, &e);
                match personal {
                    Some((column, at)) => {
                        let message = format!(
                            "column `{column}` is named for personal data (supabase.personal-columns)"
                        );
                        self.add(expression, PERSONAL_DATA, &[evidence(at, message)]);
                    }
                    None => self.add(expression, NO_PERSONAL_DATA, &[]),
                }
            }
        }
        for (name, function) in &self.model.functions {
            if function.definer
                && !function.trigger
                && self.is_exposed(name)
                && (function.anon || function.public)
            {
                self.add(&function.created, ANON_EXECUTES_DEFINER, &[]);
            }
        }
    }

    fn personal_column<'t>(&self, table: &'t Table) -> Option<&'t (String, At)> {
        table
            .columns
            .iter()
            .find(|(c, _)| self.settings.personal_columns.find(c).is_some())
    }

    /// A table of an exposed schema, left without row level security, anon still granted.
    fn unprotected_table(&mut self, name: &Name, table: &Table) {
        let privileges: Vec<&str> = replay::TABLE_PRIVILEGES
            .iter()
            .copied()
            .filter(|p| table.anon.contains(*p))
            .collect();
        let defaults = table.by_default.then(|| {
            format!(
                "anon may {} it (Supabase's default grants on `{}`)",
                privileges.join(", "),
                name.0
            )
        });
        let created = match &defaults {
            Some(defaults) => format!("{} is created here; {defaults}", quoted(name)),
            None => format!("{} is created here", quoted(name)),
        };
        let mut related = vec![evidence(&table.created, created)];
        if let Some(renamed) = &table.renamed {
            related.push(evidence(renamed, format!("renamed to {}", quoted(name))));
        }
        for (grant, given) in &table.grants {
            let message = format!("granted {} here", given.join(", "));
            related.push(evidence(grant, message));
        }
        let writes: Vec<&At> = table
            .grants
            .iter()
            .filter(|(_, given)| given.iter().any(|p| p != "select"))
            .map(|(at, _)| at)
            .collect();
        if !writes.is_empty() {
            for grant in writes {
                let others = elsewhere(&related, grant);
                self.add(grant, WRITE_GRANT_WITHOUT_RLS, &others);
            }
            return;
        }
        if let Some((at, true)) = &table.rls_set {
            self.add(at, RLS_DISABLED, &related);
            return;
        }
        // At the `CREATE TABLE` itself, only where anon's privileges come from is news.
        let mut here = elsewhere(&related, &table.created);
        if let Some(defaults) = defaults {
            here.insert(0, evidence(&table.created, defaults));
        }
        self.add(&table.created, TABLE_WITHOUT_RLS, &here);
    }
}

#[cfg(test)]
mod tests;
