use super::replay::{Model, Name};
use super::*;
use crate::document::SourceFile;
use crate::parse::Format;

/// The model the migrations leave, each text one migration in this order.
fn replay(migrations: &[&str]) -> Model {
    let mut model = Model::new();
    for (i, text) in migrations.iter().enumerate() {
        let source = SourceFile::new(format!("supabase/migrations/{i}.sql"), (*text).to_owned());
        let parsed = crate::parse::parse(Format::SQL, &source).expect("SQL always reads");
        model.apply(i, &parsed[0].value);
    }
    model
}

fn name(schema: &str, table: &str) -> Name {
    (schema.to_owned(), table.to_owned())
}

#[test]
fn renames_drops_and_policies_follow_the_table() {
    let model = replay(&[
        "create table a (id int); create policy p on a using (true);",
        "alter table a rename to b; alter table b enable row level security;",
        "create table gone (id int); drop table gone;",
    ]);
    let b = &model.tables[&name("public", "b")];
    assert!(b.rls);
    assert!(b.renamed.is_some());
    assert_eq!(model.policies[0].table, name("public", "b"));
    assert!(!model.tables.contains_key(&name("public", "gone")));
    assert!(!model.tables.contains_key(&name("public", "a")));
}

#[test]
fn revokes_and_default_privileges_change_what_anon_may_do() {
    let model = replay(&[
        "create table kept (id int);",
        "revoke insert, update, delete on all tables in schema public from anon;",
        "alter default privileges in schema public revoke all on tables from anon;",
        "create table later (id int); create table granted (id int); grant select on granted to public;",
    ]);
    let anon = |t: &str| -> Vec<String> {
        model.tables[&name("public", t)]
            .anon
            .iter()
            .cloned()
            .collect()
    };
    assert_eq!(anon("kept"), ["select"]);
    assert!(anon("later").is_empty());
    assert_eq!(anon("granted"), ["select"]);
}

#[test]
fn execute_on_functions_follows_revokes_and_create_or_replace_keeps_it() {
    let model = replay(&[
        "create function public.f() returns int language sql security definer as $$ select 1 $$;\n\
         revoke execute on function public.f() from public, anon;",
        "create or replace function public.f() returns int language sql security definer as $$ select 2 $$;",
        "create function public.g() returns int language sql security definer as $$ select 1 $$;\n\
         revoke execute on function public.g() from public;",
        "create function private.h() returns int language sql security definer as $$ select 1 $$;",
    ]);
    let f = &model.functions[&name("public", "f")];
    assert!(!f.anon && !f.public);
    // anon keeps Supabase's default grant on `public`.
    let g = &model.functions[&name("public", "g")];
    assert!(g.anon && !g.public);
    // Outside `public` only PUBLIC's default EXECUTE holds.
    let h = &model.functions[&name("private", "h")];
    assert!(!h.anon && h.public);
}

#[test]
fn policies_are_replaced_altered_and_dropped_by_name() {
    let model = replay(&[
        "create policy p on t for select using (true); create policy q on t using (true);",
        "alter policy p on t using (auth.uid() = id); drop policy q on t;",
    ]);
    assert_eq!(model.policies.len(), 1);
    assert_eq!(model.policies[0].using.as_ref().map(|u| u.1), Some(false));
}

#[test]
fn the_exposed_schemas_come_from_config_toml() {
    use serde_json::json;
    assert_eq!(exposed_schemas(None), ["public"]);
    let config = json!({"api": {"schemas": ["api", "public"]}});
    assert_eq!(exposed_schemas(Some(&config)), ["api", "public"]);
    let off = json!({"api": {"enabled": false, "schemas": ["public"]}});
    assert!(exposed_schemas(Some(&off)).is_empty());
}
