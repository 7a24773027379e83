//! `scan --parse-rates` (hidden, for bench/run.sh --parsers): one row a format met, with the
//! files and bytes its parser read; timings vary, so only their presence is checked.

mod common;

use common::run as doublecheck;

/// One file of each format that has a reference parser, each of a kind the scan reads.
const FILES: &[(&str, &str)] = &[
    (
        "stack/template.json",
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}\n",
    ),
    (
        "k8s/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n",
    ),
    (
        "profiles/Admin.profile-meta.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    \
         <custom>true</custom>\n</Profile>\n",
    ),
    (
        "infra/main.tf",
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n",
    ),
];

#[test]
fn each_format_met_is_a_row_with_its_files_and_bytes() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in FILES {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create the folder");
        std::fs::write(&path, text).expect("write");
    }
    let run = parse_rates(dir.path());
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .skip_while(|line| !line.starts_with("format "))
        .skip(1)
        .take_while(|line| !line.is_empty())
        .map(|line| line.split_whitespace().collect())
        .collect();
    // format, files, bytes; most bytes first.
    let expected = [
        ("XML", "1", "134", "roxmltree::Document::parse"),
        ("JSON", "1", "60", "serde_json::from_str::<Value>"),
        ("HCL", "1", "54", "hcl_edit::parser::parse_body"),
        ("YAML", "1", "47", "saphyr_parser::Parser"),
    ];
    let found: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|row| (row[0], row[1], row[2], row[5]))
        .collect();
    assert_eq!(found, expected, "{}", run.stdout);
    for row in &rows {
        let rate = |cell: &str| cell.parse::<f64>().is_ok();
        assert!(rate(row[4]), "our rate: {row:?}");
        assert_eq!(row.last(), Some(&"reference"), "the ratio: {row:?}");
    }
    assert_eq!(
        FILES.iter().map(|(_, text)| text.len()).collect::<Vec<_>>(),
        [60, 47, 134, 54],
        "the byte counts above are the files' lengths"
    );
}

/// A file our parser refuses is left out, and one the reference refuses is out of the
/// reference's figures only; each is named under the table.
#[test]
fn files_a_parser_refuses_are_named_under_the_table() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let migrations = dir.path().join("supabase/migrations");
    std::fs::create_dir_all(&migrations).expect("create the folder");
    // Our SQL parser keeps a statement it cannot read; sqlparser stops at it.
    std::fs::write(migrations.join("1_a.sql"), "create tabel t (id int);\n").expect("write");
    std::fs::write(migrations.join("2_b.sql"), "create table t (id int);\n").expect("write");
    // Whole, sqlparser stops at the `DO` block; statement by statement, it reads the other.
    std::fs::write(
        migrations.join("3_c.sql"),
        "create table u (id int);\ndo $$ begin perform 1; end $$;\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("template.json"),
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\n",
    )
    .expect("write");
    let run = parse_rates(dir.path());
    let sql = run
        .stdout
        .lines()
        .find(|line| line.starts_with("SQL "))
        .expect("a SQL row");
    let cells: Vec<&str> = sql.split_whitespace().collect();
    assert_eq!((cells[1], cells[2]), ("3", "106"), "{sql}");
    let notes = [
        "SQL: the reference refused 1 of the 3 files ours read, left out of its rate and of our \
         time beside it",
        "SQL: the reference refused 1 of the 3 files ours read whole, and read those piece by \
         piece as our parser splits them; it read 49 of the 81 bytes of the files in its figures",
    ];
    for note in notes {
        let line = format!("\n{note}\n");
        assert!(run.stdout.contains(&line), "{note}\n{}", run.stdout);
    }
    assert!(
        run.stdout
            .contains("\nJSON: our parser refused 1 file, left out of every figure\n"),
        "{}",
        run.stdout
    );
}

/// `scan --parse-rates` of `dir`, which must exit 0.
fn parse_rates(dir: &std::path::Path) -> common::Run {
    let run = doublecheck(
        ["scan".as_ref(), dir.as_os_str(), "--parse-rates".as_ref()] as [&std::ffi::OsStr; 3]
    );
    assert_eq!(run.code, 0, "{run:?}");
    run
}
