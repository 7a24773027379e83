//! `scan --policy-costs` (hidden, for `bench/run.sh`): the ten costliest policies on stderr,
//! each with the documents it was checked on and the findings it gave; the report itself
//! and the exit code are those of the same scan without it.

mod common;

use std::collections::BTreeSet;

use common::run;

const TREE: &str = "tests/fixtures/kubernetes";

/// (policy, documents, findings) of every row of the table, and the header's first line.
fn rows(stderr: &str) -> (String, BTreeSet<(String, u64, u64)>) {
    let mut lines = stderr.lines();
    let title = lines.next().unwrap_or_default().to_owned();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        ["policy", "ms", "share", "documents", "µs/doc", "findings"]
    );
    let rows = lines
        .map(|line| {
            let cells: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(cells.len(), 6, "{line}");
            let number = |cell: &str| cell.parse::<u64>().expect("a count");
            (cells[0].to_owned(), number(cells[3]), number(cells[5]))
        })
        .collect();
    (title, rows)
}

#[test]
fn the_costliest_policies_are_listed_with_their_documents_and_findings() {
    let measured = run(["scan", TREE, "--format", "json", "--policy-costs"]);
    let (title, rows) = rows(&measured.stderr);
    assert!(
        title.starts_with("policy costs: 9 policies checked, "),
        "{title}"
    );
    // Ten at most: the nine policies of these kinds, each on the three pod documents.
    let expected: BTreeSet<(String, u64, u64)> = [
        ("K8S-AUTH-001", 0),
        ("K8S-AUTHZ-001", 0),
        ("K8S-POD-001", 1),
        ("K8S-POD-002", 2),
        ("K8S-POD-003", 1),
        ("K8S-POD-004", 1),
        ("K8S-POD-005", 0),
        ("K8S-PORT-001", 0),
        ("K8S-PORT-002", 0),
    ]
    .into_iter()
    .map(|(id, findings)| (id.to_owned(), 3, findings))
    .collect();
    assert_eq!(rows, expected);

    let plain = run(["scan", TREE, "--format", "json"]);
    assert_eq!(measured.code, 1);
    assert_eq!((plain.code, plain.stderr.as_str()), (1, ""));
    assert_eq!(measured.stdout, plain.stdout);
}
