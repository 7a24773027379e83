//! Files a Terraform configuration reads by path (`file`, `templatefile`, `jsondecode` and
//! `yamldecode` of them), followed end to end: a finding about a file's whole content lands
//! in the file, at the value, the use related; a finding about a rendered template stays at
//! the use, the template related; a file outside the scanned root, a missing one and values
//! known only at apply time are not judged.

mod common;

use common::{at, findings, fixture, related_spots, scan_json, spot, spots};

#[test]
fn files_a_configuration_reads_are_judged_where_the_value_is_written() {
    let run = scan_json(&fixture("terraform-files"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // `cidr_blocks = local.network.admin_sources`, the local `yamldecode(file(…))`:
            // on the YAML list's element.
            spot("TF-PUBLIC-006", "network/network.yaml", 4, 5),
            // A module's `jsondecode(file("${path.module}/trust.json"))`: on the principal in
            // the module's own file.
            spot("TF-PUBLIC-002", "roles/modules/trust/trust.json", 6, 7),
            // A rendered template: at the use.
            spot("TF-PUBLIC-002", "site/main.tf", 14, 12),
            // `file("${path.module}/policies/site.json")`: on the principal in the file.
            spot("TF-PUBLIC-002", "site/policies/site.json", 7, 20),
        ]
    );
    let found = findings(&report);
    let message = |i: usize| found[i]["message"].as_str().unwrap_or_default();
    assert_eq!(
        message(1),
        "the policy allows sts:AssumeRole to anyone ({\"AWS\":\"*\"}) with no condition on who \
         is asking"
    );
    assert_eq!(
        related_spots(&found[1]),
        vec![at(
            "roles/modules/trust/main.tf",
            3,
            3,
            "used here: read by `jsondecode(file(\"${path.module}/trust.json\"))`"
        )]
    );
    assert_eq!(
        message(2),
        "the policy allows sqs:SendMessage to anyone (*) with no condition on who is asking"
    );
    assert_eq!(
        related_spots(&found[2]),
        vec![at(
            "site/policies/queue.json.tpl",
            1,
            1,
            "rendered by `templatefile(\"${path.module}/policies/queue.json.tpl\", { principal \
             = \"*\" queue =…`"
        )]
    );
    assert_eq!(
        related_spots(&found[3]),
        vec![at(
            "site/main.tf",
            8,
            3,
            "used here: read by `file(\"${path.module}/policies/site.json\")`"
        )]
    );
    assert_eq!(
        related_spots(&found[0]),
        vec![
            at(
                "network/main.tf",
                12,
                5,
                "used here: `local.network` is \
                 `{\"admin_sources\":[\"203.0.113.0/24\",\"0.0.0.0/0\"]}`, the value of the local"
            ),
            at("network/main.tf", 9, 19, "allows port 22 (SSH)"),
        ]
    );
}
