//! terraform-aws-modules `s3-bucket`, `rds`, `rds-aurora`, `redshift` and `eks`: the
//! resource (or the part of one) each exposing argument becomes. Defaults assumed, from the
//! modules' own `variables.tf`: s3-bucket's four public access block flags are `false`
//! before v3.9 and `true` since; `publicly_accessible` is `false` in every version of rds,
//! rds-aurora and redshift (redshift v7 leaves it to the provider: not read); eks's
//! endpoint is public by default before v19 and private since, and its public CIDRs
//! default to `0.0.0.0/0` in every version. A default that the call's `version` does not
//! decide is left unknown.

use serde_json::{Value, json};

use super::{Argument, Call, Made, unknown};

pub(super) fn make(call: &Call<'_>) -> Vec<Made> {
    match call.module {
        "s3-bucket" if call.creates(&["create_bucket"]) => s3_bucket(call),
        "rds" if call.creates(&["create_db_instance"]) => public_database(call, "aws_db_instance")
            .into_iter()
            .collect(),
        "rds-aurora" if call.creates(&["create", "create_cluster"]) => aurora(call),
        "redshift" if call.creates(&["create"]) => public_database(call, "aws_redshift_cluster")
            .into_iter()
            .collect(),
        "eks" if call.creates(&["create", "create_eks"]) => eks(call).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn what(call: &Call<'_>, makes: &str) -> String {
    format!("made by `{}` (`{}`): {makes}", call.label(), call.source)
}

/// Where a default that the call's `version` decides is shown: at `version`, or at the
/// `source` that names a Git reference.
fn version_at(call: &Call<'_>) -> String {
    match call.block.contains_key("version") {
        true => call.at(&["version"]),
        false => call.at(&["source"]),
    }
}

fn s3_bucket(call: &Call<'_>) -> Vec<Made> {
    let mut out = Vec::new();
    if let Argument::Known(acl @ Value::String(_)) = call.argument("acl") {
        let mut made = Made::new(
            "aws_s3_bucket_acl",
            call.label(),
            what(call, "the bucket's ACL, `acl`"),
        );
        made.set("acl", acl.clone(), call.at(&["acl"]));
        out.push(made);
    }
    // The public access block, unless the call turns it off (or may).
    if matches!(call.argument("attach_public_policy"), Argument::Absent)
        || matches!(
            call.argument("attach_public_policy"),
            Argument::Known(Value::Bool(true))
        )
    {
        let mut made = Made::new(
            "aws_s3_bucket_public_access_block",
            call.label(),
            what(call, "the bucket's public access block"),
        );
        let flags = [
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        ];
        let absent: Vec<&str> = (flags.iter().copied())
            .filter(|flag| matches!(call.argument(flag), Argument::Absent))
            .collect();
        for flag in flags {
            let (value, at) = match call.argument(flag) {
                Argument::Known(value) => (value.clone(), call.at(&[flag])),
                Argument::Unknown => (unknown(call, flag), call.at(&[flag])),
                Argument::Absent if call.versions.from(3, 9) => (json!(true), version_at(call)),
                // Before v3.9 every absent flag is false: one finding, at the first, names
                // them all (one fix, the `version` or the flags).
                Argument::Absent if call.versions.before(3, 9) && absent[0] == flag => {
                    let note = format!(
                        "`{}` leaves {} to the module's defaults before v3.9: false",
                        call.label(),
                        absent
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    made.notes
                        .push((format!("/{flag}"), version_at(call), note));
                    (json!(false), version_at(call))
                }
                Argument::Absent => (unknown(call, flag), call.at(&["source"])),
            };
            made.set(flag, value, at);
        }
        out.push(made);
    }
    // The bucket policy, attached only with `attach_policy = true`.
    if let (Argument::Known(Value::Bool(true)), Some(policy)) =
        (call.argument("attach_policy"), call.partly_known("policy"))
    {
        let mut made = Made::new(
            "aws_s3_bucket_policy",
            call.label(),
            what(
                call,
                "the bucket's policy, `policy` with `attach_policy = true`",
            ),
        );
        made.set("policy", policy.clone(), call.at(&["policy"]));
        out.push(made);
    }
    out
}

/// An instance whose `publicly_accessible` the call sets to a known value.
fn public_database(call: &Call<'_>, kind: &'static str) -> Option<Made> {
    let Argument::Known(value) = call.argument("publicly_accessible") else {
        return None;
    };
    let mut made = Made::new(kind, call.label(), what(call, "the database instance"));
    made.set(
        "publicly_accessible",
        value.clone(),
        call.at(&["publicly_accessible"]),
    );
    Some(made)
}

/// rds-aurora: the call's `publicly_accessible` (before v10, every instance's unless it
/// sets its own) and each of `instances` that sets its own.
fn aurora(call: &Call<'_>) -> Vec<Made> {
    let mut out = Vec::new();
    let instances = match call.partly_known("instances") {
        Some(Value::Object(instances)) => Some(instances),
        _ => None,
    };
    let every_instance_decides = instances.is_some_and(|instances| {
        !instances.is_empty()
            && (instances.values()).all(|i| i.get("publicly_accessible").is_some())
    });
    if !every_instance_decides {
        out.extend(public_database(call, "aws_rds_cluster_instance"));
    }
    for (key, instance) in instances.into_iter().flatten() {
        let Some(value) = instance.get("publicly_accessible") else {
            continue;
        };
        let mut made = Made::new(
            "aws_rds_cluster_instance",
            format!("{}.instances[\"{key}\"]", call.label()),
            what(
                call,
                &format!("the cluster instance `{key}` of `instances`"),
            ),
        );
        let at = call.at(&["instances", key, "publicly_accessible"]);
        made.set("publicly_accessible", value.clone(), at);
        out.push(made);
    }
    out
}

/// eks: the cluster's public endpoint and the networks it accepts (v21 drops the
/// `cluster_` prefix of both arguments).
fn eks(call: &Call<'_>) -> Option<Made> {
    let public_key = ["cluster_endpoint_public_access", "endpoint_public_access"]
        .into_iter()
        .find(|k| call.block.contains_key(*k));
    let public_at = match public_key {
        Some(key) => match call.argument(key) {
            Argument::Known(Value::Bool(true)) => call.at(&[key]),
            _ => return None,
        },
        None if call.versions.before(19, 0) => version_at(call),
        None => return None,
    };
    let cidrs_key = [
        "cluster_endpoint_public_access_cidrs",
        "endpoint_public_access_cidrs",
    ]
    .into_iter()
    .find(|k| call.block.contains_key(*k));
    let mut made = Made::new(
        "aws_eks_cluster",
        call.label(),
        what(call, "the cluster and its API server endpoint"),
    );
    let (cidrs, cidrs_at) = match cidrs_key.map(|k| (k, call.partly_known(k))) {
        Some((key, Some(value))) => (value.clone(), call.at(&[key])),
        Some((key, _)) => (unknown(call, key), call.at(&[key])),
        None => {
            let note = format!(
                "`{}` names no `cluster_endpoint_public_access_cidrs`: the module's default \
                 is `[\"0.0.0.0/0\"]`",
                call.label()
            );
            made.notes.push((
                "/vpc_config/public_access_cidrs".into(),
                public_at.clone(),
                note,
            ));
            (json!(["0.0.0.0/0"]), public_at.clone())
        }
    };
    made.set(
        "vpc_config",
        json!({"endpoint_public_access": true, "public_access_cidrs": cidrs}),
        public_at.clone(),
    );
    made.located
        .push(("/vpc_config/endpoint_public_access".into(), public_at));
    made.located
        .push(("/vpc_config/public_access_cidrs".into(), cidrs_at));
    Some(made)
}
