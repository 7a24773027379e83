//! Terraform values the repository decides, followed end to end: locals that use other
//! locals and variables, traversal into known objects, templates, functions, `dynamic`
//! blocks, `for_each`/`count` instances, and `data "aws_iam_policy_document"` read as the
//! policy it produces. Each finding at its exact spot with the places that decide it as
//! related locations; what is known only at apply time is not judged.

mod common;

use std::time::{Duration, Instant};

use common::{at, findings, fixture, related_spots, scan_json, spot, spots, summary};

#[test]
fn values_the_repository_decides_are_judged_where_they_are_written() {
    let run = scan_json(&fixture("terraform-values"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // `environment = "${var.env}-cd"` with reviewers from `dynamic "reviewers"`.
            spot("GH-TF-ENV-001", "environments/main.tf", 13, 42),
            // A known empty `for_each` makes no reviewers. (`release`, whose reviewers come
            // from a data source, is not judged.)
            spot("GH-TF-ENV-004", "environments/main.tf", 42, 42),
            // A policy document in the same file: on its principal.
            spot("TF-PUBLIC-002", "iam/main.tf", 8, 7),
            // `Principal = local.everyone`: on the local, where the value is set.
            spot("TF-PUBLIC-002", "iam/main.tf", 29, 3),
            // A policy document in another file of the folder: on its principal too.
            spot("TF-PUBLIC-002", "iam/policies.tf", 9, 7),
            // Reviewers decided alike by every environment's variable file
            // (`env/*/terraform.tfvars`); the name they disagree on stays as written.
            spot("GH-TF-ENV-001", "identity/environments.tf", 11, 42),
            spot("TF-PUBLIC-006", "network/main.tf", 21, 21),
            spot("TF-PUBLIC-006", "network/main.tf", 33, 23),
            // A local module called once: on the caller's argument, the module's use
            // related.
            spot("TF-PUBLIC-001", "platform-single/main.tf", 4, 12),
            // A local module, called twice with the same ACL: at the module's use of the
            // variable (no one argument sets it for both), the first call's argument
            // related. (`modules/queue`'s default principal `*` is not used: its one call
            // passes a value known at apply time.)
            spot("TF-PUBLIC-001", "platform/modules/bucket/main.tf", 11, 12),
            // One variable's default used by three branch protections in two files: one
            // finding, at the default, each use related.
            spot("GH-TF-REVIEW-003", "shared/variables.tf", 4, 13),
            spot("TF-PUBLIC-001", "storage/main.tf", 15, 14),
            spot("TF-PUBLIC-001", "storage/main.tf", 20, 12),
            spot("TF-PUBLIC-001", "storage/main.tf", 31, 12),
        ]
    );
    let found = findings(&report);
    let message = |i: usize| found[i]["message"].as_str().unwrap_or_default();
    assert_eq!(
        message(0),
        "environment `prod-cd`: whoever triggers a deployment can approve it themselves \
         (`prevent_self_review` is not set; it defaults to false)"
    );
    assert_eq!(
        message(1),
        "environment `live` looks like production but nobody has to approve a deployment to it"
    );
    assert_eq!(
        message(2),
        "the policy allows sqs:SendMessage to anyone (*) with no condition on who is asking"
    );
    assert_eq!(
        related_spots(&found[2]),
        vec![at(
            "iam/main.tf",
            15,
            3,
            "the policy document `data.aws_iam_policy_document.queue` is used here"
        )]
    );
    assert_eq!(
        message(4),
        "the policy allows s3:GetObject to anyone ({\"AWS\":[\"*\"]}) with no condition on who is asking"
    );
    assert_eq!(
        related_spots(&found[4]),
        vec![at(
            "iam/main.tf",
            20,
            3,
            "the policy document `data.aws_iam_policy_document.exports` is used here"
        )]
    );
    assert_eq!(
        related_spots(&found[3]),
        vec![at(
            "iam/main.tf",
            37,
            7,
            "used here: `local.everyone` is `{\"AWS\":\"*\"}`, the value of the local"
        )]
    );
    assert_eq!(
        message(6),
        "ingress from 0.0.0.0/0 reaches an administrative port: anyone on the internet can connect"
    );
    assert_eq!(
        related_spots(&found[6]),
        vec![
            at(
                "network/main.tf",
                8,
                13,
                "`local.sources` is `{\"ssh\":[\"203.0.113.0/24\"],\"rdp\":[\"0.0.0.0/0\"]}`, \
                 the value of the local"
            ),
            at(
                "network/main.tf",
                15,
                16,
                "made by `dynamic \"ingress\"`, one of 2 blocks, for each of `local.admin_ports`"
            ),
            at("network/main.tf", 18, 21, "allows port 3389 (RDP)"),
        ]
    );
    assert_eq!(
        related_spots(&found[7]),
        vec![
            at(
                "network/main.tf",
                27,
                23,
                "one of 2 instances, for each of `local.admin_ports`"
            ),
            at(
                "network/main.tf",
                6,
                3,
                "`local.office` is `[\"203.0.113.0/24\"]`, the value of the local"
            ),
            at(
                "network/main.tf",
                7,
                3,
                "`local.anyone` is `[\"0.0.0.0/0\"]`, the value of the local"
            ),
            at("network/main.tf", 30, 23, "allows port 3389 (RDP)"),
        ]
    );
    assert_eq!(
        message(11),
        "`aws_s3_bucket_acl.by_name[\"exports\"]` opens the bucket to everyone: acl is `public-read`"
    );
    assert_eq!(
        related_spots(&found[12]),
        vec![at(
            "storage/main.tf",
            9,
            14,
            "`local.settings` is `{\"archive\":{\"acl\":\"authenticated-read\"}}`, the value of the local"
        )]
    );
    assert_eq!(
        message(13),
        "`aws_s3_bucket_acl.numbered[1]` opens the bucket to everyone: acl is `public-read`"
    );
    assert_eq!(
        related_spots(&found[13]),
        vec![at(
            "storage/main.tf",
            29,
            12,
            "one of 2 instances (`count = 2`)"
        )]
    );
    assert_eq!(
        message(8),
        "`aws_s3_bucket_acl.this` opens the bucket to everyone: acl is `public-read`"
    );
    assert_eq!(
        related_spots(&found[8]),
        vec![at(
            "platform-single/modules/bucket/main.tf",
            11,
            12,
            "used here: `var.acl` is `\"public-read\"`, passed by `module.reports`"
        )]
    );
    assert_eq!(
        message(10),
        "`github_branch_protection.docs_main`: administrators can push or merge alone, past \
         the protection (`enforce_admins` is false: it must be true; it defaults to false) (set here for 3 \
         uses, each a related location)"
    );
    let uses = |path: &str, line| {
        at(
            path,
            line,
            20,
            "used here: `var.enforce_admins` is `false`, the default in its `variable` block",
        )
    };
    assert_eq!(
        related_spots(&found[10]),
        vec![
            uses("shared/docs.tf", 4),
            uses("shared/site.tf", 4),
            uses("shared/site.tf", 15)
        ]
    );
    assert_eq!(
        message(9),
        "`aws_s3_bucket_acl.this` opens the bucket to everyone: acl is `public-read`"
    );
    assert_eq!(
        related_spots(&found[9]),
        vec![at(
            "platform/main.tf",
            8,
            12,
            "`var.acl` is `\"public-read\"`, passed by `module.exports` (and alike by all 2 calls)"
        )]
    );
    assert_eq!(
        message(5),
        "environment `${var.env}-cd`: whoever triggers a deployment can approve it themselves \
         (`prevent_self_review` is not set; it defaults to false)"
    );
    assert_eq!(summary(&report, "files_checked"), 17);
}

/// Hostile values: a chain of ten thousand locals, a local doubled sixty times, a cube of
/// `for` expressions and `dynamic` blocks inside many instances are left unknown (or
/// unexpanded) rather than overflowing the stack or filling the memory; the scan ends
/// quickly and still reports what is certain.
#[test]
fn values_that_multiply_are_bounded() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut text = String::from("locals {\n");
    for i in 0..10_000 {
        text.push_str(&format!("  a{i} = local.a{}\n", i + 1));
    }
    text.push_str("  a10000 = \"public-read\"\n  d0 = [\"0.0.0.0/0\"]\n");
    for i in 0..60 {
        text.push_str(&format!("  d{} = concat(local.d{i}, local.d{i})\n", i + 1));
    }
    let many = vec!["\"x\""; 300].join(", ");
    text.push_str(&format!("  l = [{many}]\n"));
    text.push_str("  cube = [for a in local.l : [for b in local.l : [for c in local.l : c]]]\n}\n");
    text.push_str(
        r#"
resource "aws_s3_bucket_acl" "chain" {
  bucket = "x"
  acl    = local.a0
}

resource "aws_s3_bucket_acl" "direct" {
  bucket = "y"
  acl    = local.a10000
}

resource "aws_security_group" "many" {
  for_each = toset([for i, x in local.l : "${x}${i}"])
  name     = each.key
  tags     = { cube = local.cube }

  dynamic "ingress" {
    for_each = local.l
    content {
      from_port   = 22
      to_port     = 22
      cidr_blocks = local.d60
      description = each.key
    }
  }
}
"#,
    );
    std::fs::write(dir.path().join("main.tf"), text).expect("write main.tf");
    let started = Instant::now();
    let run = scan_json(dir.path(), &[]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    let lines: Vec<u64> = spots(&report)
        .into_iter()
        .map(|s| {
            assert_eq!(
                (s.rule.as_str(), s.path.as_str()),
                ("TF-PUBLIC-001", "main.tf")
            );
            s.line
        })
        .collect();
    // Only the local set directly is followed (and reported where it is set): the chain
    // is longer than any configuration's.
    assert_eq!(lines, vec![10_002]);
}
