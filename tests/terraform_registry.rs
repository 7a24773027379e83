//! Calls of well-known registry modules (terraform-aws-modules `security-group` and its
//! presets, `s3-bucket`, `rds`, `rds-aurora`, `eks`) judged by the policies of the resources
//! they make: each finding on the caller's argument that decides it, the call's `source`
//! related; defaults a call's `version` does not decide, values known only at apply time
//! and switched-off calls are not judged.

mod common;

use common::{at, findings, fixture, related_spots, scan_json, spot, spots, summary};

#[test]
fn registry_module_calls_are_judged_at_their_arguments() {
    let run = scan_json(&fixture("terraform-registry"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // `cluster_endpoint_public_access = true`, the CIDRs left to the module's default.
            spot("TF-PUBLIC-009", "cluster/main.tf", 5, 36),
            spot("TF-PUBLIC-009", "cluster/main.tf", 12, 43),
            // v17: public by the module's default, at the `version` that decides it.
            spot("TF-PUBLIC-009", "cluster/main.tf", 17, 18),
            spot("TF-DB-001", "data/main.tf", 4, 25),
            spot("TF-DB-001", "data/main.tf", 12, 35),
            spot("TF-PUBLIC-001", "data/main.tf", 20, 23),
            spot("TF-PUBLIC-003", "data/main.tf", 21, 23),
            // The attached policy document: on its principal, in the same file.
            spot("TF-PUBLIC-002", "data/main.tf", 32, 7),
            spot("TF-PUBLIC-003", "data/main.tf", 60, 25),
            spot("TF-DB-001", "data/main.tf", 68, 25),
            // `ingress_cidr_blocks = local.anyone` for three administrative rules (the named
            // `ssh-tcp` and `rdp-udp`, and the `ingress_with_cidr_blocks` entry that names no
            // sources of its own): one finding where the local sets the range, each rule
            // related (`https-443-tcp` is no administrative port).
            spot("TF-PUBLIC-006", "network/main.tf", 6, 13),
            // The `ssh` preset's own rule, at the source it opens to.
            spot("TF-PUBLIC-006", "network/main.tf", 13, 26),
            // `ingress_with_cidr_blocks`: at the comma-separated `cidr_blocks`.
            spot("TF-PUBLIC-006", "network/main.tf", 22, 73),
            // A Git source of the module; an IPv6 rule's comma-separated sources.
            spot("TF-PUBLIC-006", "network/main.tf", 59, 44),
        ]
    );
    let found = findings(&report);
    let message = |i: usize| found[i]["message"].as_str().unwrap_or_default();
    assert_eq!(
        message(0),
        "the cluster's API server accepts connections from 0.0.0.0/0: anyone on the internet can reach it"
    );
    assert_eq!(
        related_spots(&found[0]),
        vec![
            at(
                "cluster/main.tf",
                2,
                36,
                "made by `module.eks` (`terraform-aws-modules/eks/aws`): the cluster and its API \
                 server endpoint"
            ),
            at(
                "cluster/main.tf",
                5,
                36,
                "`module.eks` names no `cluster_endpoint_public_access_cidrs`: the module's \
                 default is `[\"0.0.0.0/0\"]`"
            ),
        ]
    );
    assert_eq!(
        message(3),
        "`aws_db_instance.module.db` can be reached from the internet: publicly_accessible is `true`"
    );
    assert_eq!(
        message(4),
        "`aws_rds_cluster_instance.module.aurora.instances[\"two\"]` can be reached from the \
         internet: publicly_accessible is `true`"
    );
    assert_eq!(
        message(5),
        "`aws_s3_bucket_acl.module.bucket` opens the bucket to everyone: acl is `public-read`"
    );
    // One finding for the one explicit `false`; the flags left to v4's defaults are true.
    assert_eq!(
        message(6),
        "`aws_s3_bucket_public_access_block.module.bucket` does not block public access: \
         block_public_acls must be true"
    );
    assert_eq!(
        message(8),
        "`aws_s3_bucket_public_access_block.module.legacy_bucket` does not block public access: \
         block_public_acls must be true"
    );
    assert_eq!(
        related_spots(&found[8])[1],
        at(
            "data/main.tf",
            60,
            25,
            "`module.legacy_bucket` leaves `block_public_acls`, `ignore_public_acls`, \
             `restrict_public_buckets` to the module's defaults before v3.9: false"
        )
    );
    assert_eq!(
        message(9),
        "`aws_redshift_cluster.module.warehouse` can be reached from the internet: \
         publicly_accessible is `true`"
    );
    assert_eq!(
        related_spots(&found[7]),
        vec![
            at(
                "data/main.tf",
                17,
                23,
                "made by `module.bucket` (`terraform-aws-modules/s3-bucket/aws`): the bucket's \
                 policy, `policy` with `attach_policy = true`"
            ),
            at(
                "data/main.tf",
                23,
                3,
                "the policy document `data.aws_iam_policy_document.exports` is used here"
            ),
        ]
    );
    assert_eq!(
        message(10),
        "ingress from 0.0.0.0/0 reaches an administrative port: anyone on the internet can \
         connect (set here for 3 uses, each a related location)"
    );
    let made_by_web = |what: &str| {
        at(
            "network/main.tf",
            17,
            25,
            &format!("made by `module.web` (`terraform-aws-modules/security-group/aws`): {what}"),
        )
    };
    let used = at(
        "network/main.tf",
        19,
        3,
        "used here: `local.anyone` is `[\"0.0.0.0/0\"]`, the value of the local",
    );
    assert_eq!(
        related_spots(&found[10]),
        vec![
            made_by_web("the rule `ssh-tcp` (tcp 22) from `ingress_cidr_blocks`"),
            used.clone(),
            at(
                "network/main.tf",
                19,
                3,
                "`ingress_cidr_blocks` of `module.web`: the sources of every rule in `ingress_rules`"
            ),
            at("network/main.tf", 20, 26, "allows port 22 (SSH)"),
            at(
                "network/main.tf",
                20,
                26,
                "`::/0` opens the rule to the whole internet too"
            ),
            made_by_web("the rule `rdp-udp` (udp 3389) from `ingress_cidr_blocks`"),
            at("network/main.tf", 20, 54, "allows port 3389 (RDP)"),
            at(
                "network/main.tf",
                20,
                54,
                "`::/0` opens the rule to the whole internet too"
            ),
            made_by_web("rule 2 of `ingress_with_cidr_blocks`"),
            at(
                "network/main.tf",
                19,
                3,
                "`ingress_cidr_blocks` of `module.web`: the sources of a rule that names none"
            ),
            at("network/main.tf", 24, 14, "allows port 3306 (MySQL)"),
        ]
    );
    assert_eq!(
        message(11),
        "ingress from 0.0.0.0/0 reaches an administrative port: anyone on the internet can connect"
    );
    assert_eq!(
        related_spots(&found[11]),
        vec![
            at(
                "network/main.tf",
                10,
                25,
                "made by `module.ssh_sg` (`terraform-aws-modules/security-group/aws//modules/ssh`): \
                 the preset `ssh` opens its rule `ssh-tcp` (tcp 22)"
            ),
            at("network/main.tf", 10, 25, "allows port 22 (SSH)"),
        ]
    );
    assert_eq!(
        related_spots(&found[12]),
        vec![
            made_by_web("rule 0 of `ingress_with_cidr_blocks`"),
            at("network/main.tf", 22, 19, "allows port 3306 (MySQL)"),
        ]
    );
    assert_eq!(
        message(13),
        "ingress from ::/0 reaches an administrative port: anyone on the internet can connect"
    );
    assert_eq!(
        related_spots(&found[13]),
        vec![
            at(
                "network/main.tf",
                56,
                12,
                "made by `module.v6` (`git::https://github.com/terraform-aws-modules/\
                 terraform-aws-security-group.git?ref=v5.3.1`): rule 0 of \
                 `ingress_with_ipv6_cidr_blocks`"
            ),
            at("network/main.tf", 59, 14, "allows port 3389 (RDP)"),
        ]
    );
    assert_eq!(summary(&report, "files_checked"), 3);
}

/// A hostile call (thousands of named rules, each to thousands of sources) is left unread
/// rather than multiplied; the scan ends quickly and still reports the call that is certain.
#[test]
fn module_calls_that_multiply_are_bounded() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let rules = vec!["\"ssh-tcp\""; 3000].join(", ");
    let sources = vec!["\"0.0.0.0/0\""; 3000].join(", ");
    let text = format!(
        "module \"many\" {{\n  source = \"terraform-aws-modules/security-group/aws\"\n  \
         ingress_rules = [{rules}]\n  ingress_cidr_blocks = [{sources}]\n}}\n\
         module \"one\" {{\n  source = \"terraform-aws-modules/security-group/aws\"\n  \
         ingress_cidr_blocks = [\"0.0.0.0/0\"]\n  ingress_rules = [\"rdp-tcp\"]\n}}\n"
    );
    std::fs::write(dir.path().join("main.tf"), text).expect("a fixture");
    let started = std::time::Instant::now();
    let run = scan_json(dir.path(), &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        spots(&run.json()),
        vec![spot("TF-PUBLIC-006", "main.tf", 9, 20)]
    );
}

/// Nothing the modules do not do: a call whose arguments are safe, unknown or left to a
/// default that is safe (or that its `version` does not decide) makes no finding.
#[test]
fn safe_and_unknown_module_calls_are_quiet() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
variable "cidrs" {}
module "sg" {
  source              = "terraform-aws-modules/security-group/aws"
  ingress_cidr_blocks = var.cidrs
  ingress_rules       = ["ssh-tcp", "all-all"]
}
module "preset_off" {
  source             = "terraform-aws-modules/security-group/aws//modules/ssh"
  auto_ingress_rules = []
  ingress_cidr_blocks = ["0.0.0.0/0"]
}
module "unknown_preset" {
  source              = "terraform-aws-modules/security-group/aws//modules/not-a-preset"
  ingress_cidr_blocks = ["0.0.0.0/0"]
}
module "counted" {
  source              = "terraform-aws-modules/security-group/aws//modules/rdp"
  count               = 0
  ingress_cidr_blocks = ["0.0.0.0/0"]
}
module "bucket" {
  source               = "terraform-aws-modules/s3-bucket/aws"
  acl                  = var.acl
  attach_public_policy = false
  block_public_acls    = false
}
module "bucket_v3" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = ">= 3.0"
}
module "bucket_v5" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 5.0"
}
module "db" {
  source              = "terraform-aws-modules/rds/aws"
  publicly_accessible = var.public
}
module "aurora" {
  source              = "terraform-aws-modules/rds-aurora/aws"
  version             = "~> 9.0"
  publicly_accessible = true
  instances           = { one = { publicly_accessible = false } }
}
module "eks" {
  source                         = "terraform-aws-modules/eks/aws"
  cluster_endpoint_public_access = true
  cluster_endpoint_public_access_cidrs = var.admin_cidrs
}
module "eks_default" {
  source = "terraform-aws-modules/eks/aws"
}
module "other" {
  source              = "cloudposse/security-group/aws"
  ingress_cidr_blocks = ["0.0.0.0/0"]
  ingress_rules       = ["ssh-tcp"]
}
"#,
    )
    .expect("a fixture");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(spots(&run.json()).is_empty());
}

/// Arguments known in part keep what is known: a policy document naming an ARN Terraform
/// knows at apply time, a list of CIDRs or of rules with a variable in it, string ports
/// and an upper-case protocol as `list(map(string))` holds them. A comma-separated source
/// with a variable in it is unknown as a whole.
#[test]
fn arguments_known_in_part_are_judged_on_what_is_known() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("main.tf"),
        r#"module "site" {
  source        = "terraform-aws-modules/s3-bucket/aws"
  attach_policy = true
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${module.names.site_arn}/*"
    }]
  })
}
module "eks" {
  source                               = "terraform-aws-modules/eks/aws"
  cluster_endpoint_public_access       = true
  cluster_endpoint_public_access_cidrs = ["0.0.0.0/0", var.office]
}
module "sg" {
  source              = "terraform-aws-modules/security-group/aws"
  ingress_cidr_blocks = [var.office, "0.0.0.0/0"]
  ingress_rules       = [var.extra_rule, "rdp-tcp"]
  ingress_with_cidr_blocks = [
    { from_port = "22", to_port = "22", protocol = "TCP", cidr_blocks = "0.0.0.0/0" },
    { rule = "ssh-tcp", cidr_blocks = "${var.office},0.0.0.0/0" },
  ]
}
"#,
    )
    .expect("a fixture");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        spots(&run.json()),
        vec![
            spot("TF-PUBLIC-002", "main.tf", 7, 19),
            spot("TF-PUBLIC-009", "main.tf", 16, 43),
            spot("TF-PUBLIC-006", "main.tf", 21, 42),
            spot("TF-PUBLIC-006", "main.tf", 23, 73),
        ]
    );
}
