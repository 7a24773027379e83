//! Terraform end to end: HCL and JSON syntax, variables substituted from their defaults,
//! `terraform.tfvars`, `*.auto.tfvars`, a lone `-var-file` and locals (each finding showing
//! where the value was set), a plan in `terraform show -json` form, and a file with a syntax
//! error that does not stop the scan.

mod common;

use common::{at, findings, fixture, related_spots, run, scan_json, spot, spots, summary};

#[test]
fn values_are_followed_to_where_they_are_set() {
    let run = scan_json(&fixture("terraform"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // The file that does not parse is reported at the error; the others are scanned.
            spot("DC-PARSE", "broken/main.tf", 4, 3),
            // `publicly_accessible = var.public`: only dev.tfvars sets it; reported there,
            // where the value is set, with the use related.
            spot("TF-DB-001", "envs/dev.tfvars", 1, 17),
            // A plan (`terraform show -json`) is read like the configuration, located in the
            // plan: `"publicly_accessible": true`, the authorized network inside the
            // one-element `settings` and `ip_configuration` lists, a child module's ACL.
            spot("TF-DB-001", "plan/tfplan.json", 17, 36),
            spot("TF-DB-001", "plan/tfplan.json", 35, 48),
            spot("TF-PUBLIC-001", "plan/tfplan.json", 57, 24),
            // `"ignore_public_acls": false` in the JSON syntax.
            spot("TF-PUBLIC-003", "storage/policy.tf.json", 8, 31),
            // `acl = var.exports_acl`: terraform.tfvars wins over the default.
            spot("TF-PUBLIC-001", "storage/terraform.tfvars", 2, 15),
            // `acl = local.archive_acl`.
            spot("TF-PUBLIC-001", "storage/variables.tf", 16, 17),
            // `acl = var.logs_acl`: *.auto.tfvars wins over terraform.tfvars and the default.
            spot("TF-PUBLIC-001", "storage/zz.auto.tfvars", 1, 12),
        ]
    );
    let found = findings(&report);
    assert_eq!(
        related_spots(&found[1]),
        vec![at(
            "envs/main.tf",
            3,
            25,
            "used here: `var.public` is `true`, set in dev.tfvars"
        )]
    );
    assert_eq!(
        found[1]["message"],
        "`aws_db_instance.reports` can be reached from the internet: publicly_accessible is `true`"
    );
    assert_eq!(
        related_spots(&found[8]),
        vec![at(
            "storage/main.tf",
            5,
            12,
            "used here: `var.logs_acl` is `\"public-read-write\"`, set in zz.auto.tfvars"
        )]
    );
    assert_eq!(
        related_spots(&found[6]),
        vec![at(
            "storage/main.tf",
            10,
            12,
            "used here: `var.exports_acl` is `\"public-read-write\"`, set in terraform.tfvars"
        )]
    );
    assert_eq!(
        related_spots(&found[7]),
        vec![at(
            "storage/main.tf",
            15,
            12,
            "used here: `local.archive_acl` is `\"authenticated-read\"`, the value of the local"
        )]
    );
    assert_eq!(
        found[5]["message"],
        "`aws_s3_bucket_public_access_block.exports` does not block public access: \
         ignore_public_acls must be true"
    );
    // `ledger_public` is set differently by dev.tfvars and prod.tfvars: left unresolved,
    // not guessed. `var.decided_at_apply_time` has no value at all.
    assert!(
        !found
            .iter()
            .any(|f| f["message"].as_str().unwrap_or_default().contains("ledger")),
        "{found:?}"
    );
    assert_eq!(
        found[4]["message"],
        "`aws_s3_bucket_acl.module.storage.exports[0]` opens the bucket to everyone: \
         acl is `public-read`"
    );
    // Ten Terraform files, one of them (broken/) unparsable: not counted as checked.
    assert_eq!(summary(&report, "files_checked"), 9);
}

#[test]
fn show_prints_the_lowered_document() {
    let path = fixture("terraform/storage/main.tf");
    let shown = run([std::ffi::OsStr::new("show"), path.as_os_str()]);
    assert_eq!(shown.code, 0, "stderr: {}", shown.stderr);
    let shown = shown.json();
    assert_eq!(shown[0]["kind"], "terraform/config");
    assert_eq!(
        shown[0]["value"]["resource"]["aws_s3_bucket_acl"]["logs"]["acl"],
        "${var.logs_acl}"
    );
    let broken = fixture("terraform/broken/main.tf");
    let failed = run([std::ffi::OsStr::new("show"), broken.as_os_str()]);
    assert_eq!(failed.code, 1);
    assert!(
        failed.stderr.contains("main.tf:4:3: invalid HCL"),
        "{}",
        failed.stderr
    );
}

/// A map naming a key twice is valid Terraform (the last value wins) and is read, every
/// finding after it where it is; an attribute set twice in a block is Terraform's error too.
#[test]
fn repeated_object_keys_are_read_and_repeated_attributes_are_not() {
    let run = scan_json(&fixture("terraform-duplicate-keys"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            spot("DC-PARSE", "attributes/main.tf", 4, 3),
            spot("TF-PUBLIC-001", "tags/main.tf", 13, 12),
            // The second `Principal` of the statement wins: `"*"`, where the finding lands.
            spot("TF-PUBLIC-002", "tags/main.tf", 22, 19),
        ]
    );
    let found = findings(&report);
    assert_eq!(
        found[0]["message"],
        "invalid HCL: invalid attribute; expected unique attribute key; found redefined \
         attribute; the file was not checked"
    );
    assert_eq!(
        found[2]["message"],
        "the policy allows s3:GetObject to anyone (*) with no condition on who is asking"
    );
    assert_eq!(summary(&report, "files_checked"), 1);

    let path = fixture("terraform-duplicate-keys/tags/main.tf");
    let shown = run_show(&path);
    let resources = &shown[0]["value"]["resource"];
    assert_eq!(
        resources["aws_s3_bucket"]["exports"]["tags"],
        serde_json::json!({"Service": "exports", "Owner": "finance"})
    );
    assert_eq!(
        resources["aws_s3_bucket_public_access_block"]["exports"]["tags"],
        serde_json::json!({"team": "platform"})
    );
}

fn run_show(path: &std::path::Path) -> serde_json::Value {
    let shown = run([std::ffi::OsStr::new("show"), path.as_os_str()]);
    assert_eq!(shown.code, 0, "stderr: {}", shown.stderr);
    shown.json()
}
