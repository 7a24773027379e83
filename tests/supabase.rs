//! The Supabase pack end to end: two projects' migrations, each replayed in file-name order
//! with its `supabase/config.toml`; findings at the statement that decides the final state,
//! with the statements that explain it as related locations; `--` and `#` suppressions; a
//! `DO` block read statement by statement; an unreadable statement about grants reported;
//! a `.sql` file outside `supabase/migrations/` not read.

mod common;

use common::{at, findings, fixture, related_spots, run, scan_json, spot, spots, summary};

fn scan(args: &[&std::ffi::OsStr]) -> common::Run {
    let root = fixture("supabase");
    let mut all: Vec<&std::ffi::OsStr> = vec!["scan".as_ref()];
    all.extend_from_slice(args);
    all.extend([
        "--root".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    run(all)
}

const INIT: &str = "app/supabase/migrations/20240101000000_init.sql";
const RLS: &str = "app/supabase/migrations/20240102000000_rls.sql";
const FUNCTIONS: &str = "app/supabase/migrations/20240103000000_functions.sql";

#[test]
fn migrations_are_replayed_per_project_and_findings_land_on_the_deciding_token() {
    let root = fixture("supabase");
    let run = scan(&[root.as_os_str()]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("SB-STORAGE-002", "app/supabase/config.toml", 8, 10),
            spot("SB-JWT-001", "app/supabase/config.toml", 12, 14),
            spot("SB-JWT-001", "app/supabase/config.toml", 15, 14),
            spot("SB-POLICY-003", INIT, 10, 79),
            spot("SB-RLS-001", INIT, 19, 14),
            spot("SB-POLICY-002", RLS, 2, 75),
            spot("SB-RLS-002", RLS, 4, 13),
            spot("SB-POLICY-003", RLS, 9, 55),
            spot("SB-POLICY-001", RLS, 14, 88),
            spot("SB-GRANT-001", RLS, 19, 25),
            spot("SB-PARSE-001", RLS, 21, 1),
            spot("SB-FUNC-001", FUNCTIONS, 1, 17),
            spot("SB-STORAGE-001", FUNCTIONS, 8, 78),
            spot("SB-STORAGE-003", FUNCTIONS, 9, 70),
            spot(
                "SB-RLS-001",
                "other/supabase/migrations/20240101000000_init.sql",
                2,
                14
            ),
        ]
    );
    let all = findings(&report);
    // `profiles` gets row level security in the second migration: no SB-RLS-001 for it in
    // this project, but its open policy is reported, with the personal column as evidence.
    assert_eq!(
        all[5]["message"],
        "policy \"profiles are public\" lets anyone with the public anon key read every row of \
         `public.profiles`, which holds personal data"
    );
    assert_eq!(
        related_spots(&all[5]),
        [
            at(INIT, 2, 14, "`public.profiles` is created here"),
            at(
                INIT,
                4,
                3,
                "column `email` is named for personal data (supabase.personal-columns)"
            ),
        ]
    );
    // Row level security enabled in one migration and disabled in the next.
    assert_eq!(
        all[6]["message"],
        "row level security is disabled on `public.notes` and anon holds privileges on it: \
         anyone with the public anon key reaches every row"
    );
    assert_eq!(
        related_spots(&all[6]),
        [at(
            INIT,
            12,
            14,
            "`public.notes` is created here; anon may select, insert, update, delete it \
             (Supabase's default grants on `public`)"
        )]
    );
    // `api` is exposed by config.toml but has no default grants: the GRANT opens the table.
    assert_eq!(
        related_spots(&all[4]),
        [at(INIT, 20, 17, "granted select here")]
    );
    // In `public`, Supabase's default grants are what opens a table.
    assert_eq!(
        related_spots(&all[14]),
        [at(
            "other/supabase/migrations/20240101000000_init.sql",
            2,
            14,
            "anon may select, insert, update, delete it (Supabase's default grants on `public`)"
        )]
    );
    // The create policy inside a DO block's `if not exists` is read.
    assert_eq!(
        all[8]["message"],
        "policy \"anon deletes products\" lets anyone with the public anon key delete every row \
         of `public.products`"
    );
    // A write grant on a table without row level security is one finding, at the grant.
    assert_eq!(
        all[9]["message"],
        "anon may write to `public.messages` by this GRANT, and the table has no row level \
         security"
    );
    assert_eq!(
        related_spots(&all[9]),
        [at(
            RLS,
            18,
            14,
            "`public.messages` is created here; anon may select, insert, update, delete it \
             (Supabase's default grants on `public`)"
        )]
    );
    assert_eq!(
        all[10]["message"],
        "this statement could not be read and mentions grant: what it does to access control \
         is not checked"
    );
    // Both suppressions, `#` in config.toml and `--` in a migration, hold.
    assert_eq!(all[1]["suppression"]["kind"], "inSource");
    assert_eq!(
        all[1]["suppression"]["justification"],
        "checks the Stripe signature"
    );
    assert_eq!(
        all[7]["suppression"]["justification"],
        "tags are a public catalogue"
    );
    assert_eq!(summary(&report, "suppressed"), 2);
    // db/schema.sql is no migration; private.audit is not served; public.jobs is revoked;
    // my_profile's EXECUTE is revoked.
    assert_eq!(summary(&report, "files_checked"), 5);
}

#[test]
fn one_migration_scanned_alone_is_replayed_with_the_rest_of_its_project() {
    let root = fixture("supabase");
    let file = root.join(INIT);
    let run = scan(&[file.as_os_str()]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    // `profiles`, created here, gets its row level security in the next migration.
    assert_eq!(
        spots(&report),
        vec![
            spot("SB-POLICY-003", INIT, 10, 79),
            spot("SB-RLS-001", INIT, 19, 14)
        ]
    );
}

#[test]
fn a_project_that_protects_its_tables_passes() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let migrations = dir.path().join("supabase/migrations");
    std::fs::create_dir_all(&migrations).expect("folders");
    std::fs::write(
        migrations.join("20240101000000_init.sql"),
        "create table public.profiles (id uuid primary key, email text);\n\
         alter table public.profiles enable row level security;\n\
         create policy \"own\" on public.profiles for select to authenticated using ((select auth.uid()) = id);\n",
    )
    .expect("a migration");
    let run = scan_json(dir.path(), &["--root", &dir.path().to_string_lossy()]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let report = run.json();
    assert!(spots(&report).is_empty());
    assert_eq!(summary(&report, "files_checked"), 1);
}

#[test]
fn a_broken_config_toml_is_reported_and_the_default_schemas_are_checked() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let supabase = dir.path().join("supabase");
    std::fs::create_dir_all(supabase.join("migrations")).expect("folders");
    std::fs::write(supabase.join("config.toml"), "[api\nschemas = [\"api\"]\n").expect("config");
    // A byte-order mark and CRLF line ends.
    std::fs::write(
        supabase.join("migrations/20240101000000_init.sql"),
        "\u{feff}create table public.notes (id int);\r\n",
    )
    .expect("a migration");
    let run = scan_json(dir.path(), &["--root", &dir.path().to_string_lossy()]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("DC-PARSE", "supabase/config.toml", 1, 5),
            spot(
                "SB-RLS-001",
                "supabase/migrations/20240101000000_init.sql",
                1,
                14
            ),
        ]
    );
}

/// A finding's fingerprint names its statement, not its place: a statement inserted above
/// it (in a pull request, since a baseline) does not make it new.
#[test]
fn fingerprints_do_not_move_when_a_statement_is_inserted_above() {
    let fingerprints = |migration: &str| -> Vec<String> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let migrations = dir.path().join("supabase/migrations");
        std::fs::create_dir_all(&migrations).expect("folders");
        std::fs::write(migrations.join("20240101000000_init.sql"), migration).expect("a migration");
        let run = scan_json(dir.path(), &["--root", &dir.path().to_string_lossy()]);
        let report = run.json();
        findings(&report)
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let open = "create table public.notes (id int);\n\
                create table public.tags (id int);\n\
                alter table public.tags enable row level security;\n\
                create policy \"all\" on public.tags for delete using (true);\n";
    let before = fingerprints(open);
    let after = fingerprints(&format!(
        "create extension if not exists pgcrypto;\ncreate index i on x (y);\n{open}"
    ));
    assert_eq!(before.len(), 2);
    assert_eq!(before, after);
}
