//! CloudFormation end to end: YAML templates with short-form intrinsic tags, JSON
//! templates and `*.template` files of either syntax, checked by the access-restriction
//! pack; `network.admin-ports` decides which ports count.

mod common;

use common::{at, findings, fixture, related_spots, scan_json, spot, spots, summary, temp_copy};

#[test]
fn yaml_json_and_template_files() {
    let run = scan_json(&fixture("cloudformation"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // A `.template` in YAML with `!GetAtt [..]`: RDP from ::/0, a public database
            // written as the string "true".
            spot("CFN-PUBLIC-001", "legacy/network.template", 9, 17),
            spot("CFN-PUBLIC-005", "legacy/network.template", 13, 27),
            // A `.template` in JSON: every port open.
            spot("CFN-PUBLIC-001", "legacy/queue.template", 5, 52),
            spot("CFN-PUBLIC-004", "stacks/storage.json", 9, 32),
            spot("CFN-PUBLIC-003", "stacks/storage.json", 23, 28),
            // SSH from 0.0.0.0/0; HTTPS from anywhere and PostgreSQL from `!Ref AllowedCidr`
            // are not reported, nor the database whose `PubliclyAccessible` is an `!If`.
            spot("CFN-PUBLIC-001", "stacks/web.yaml", 22, 19),
            spot("CFN-PUBLIC-002", "stacks/web.yaml", 31, 22),
        ]
    );
    let ssh = &findings(&report)[5];
    assert_eq!(
        ssh["pointer"],
        "/Resources/WebGroup/Properties/SecurityGroupIngress/1/CidrIp"
    );
    let related = &ssh["related"][0];
    assert_eq!(related["message"], "allows port 22 (SSH)");
    assert_eq!(related["location"]["start"]["line"], 20);
    assert_eq!(related["location"]["start"]["column"], 21);
    let all_ports = &findings(&report)[2]["related"][0];
    assert_eq!(
        all_ports["message"],
        "IpProtocol -1: every port is open, including 22 (SSH)"
    );
    // The e-mail `.template` mentions Resources and AWS:: but is no template; package.json
    // is not read at all.
    assert_eq!(summary(&report, "files_checked"), 5);
    assert_eq!(summary(&report, "documents"), 4);
}

#[test]
fn admin_ports_come_from_the_config() {
    let config = fixture("cloudformation/only-2222.yml");
    let config = config.to_str().expect("UTF-8 path");
    let run = scan_json(&fixture("cloudformation"), &["--config", config]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let open_ingress: Vec<_> = spots(&run.json())
        .into_iter()
        .filter(|s| s.rule == "CFN-PUBLIC-001")
        .collect();
    // Port 22 and 3389 are no longer administrative; a rule open on every port still is.
    assert_eq!(
        open_ingress,
        vec![spot("CFN-PUBLIC-001", "legacy/queue.template", 5, 52)]
    );
}

#[test]
fn intrinsic_tags_are_long_forms_to_policies() {
    // A user policy written against the JSON long form matches the YAML short form, and
    // its finding lands on the tag's argument.
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("NO-IMPORT-001.yaml"),
        r#"id: NO-IMPORT-001
title: A template imports a value from another stack
severity: note
description: Cross-stack imports pin the exporting stack.
remediation: Pass the value as a parameter.
applies-to: [cloudformation/template]
select: "$..[?@['Fn::ImportValue']]"
require:
  properties:
    Fn::ImportValue: {not: {type: string}}
examples:
  - name: an import
    files:
      - path: t.yaml
        content: |
          Resources:
            G:
              Type: AWS::EC2::SecurityGroup
              Properties:
                VpcId: !ImportValue shared-vpc-id
    expect:
      - {line: 5, column: 27}
  - name: no import
    files:
      - path: t.yaml
        content: |
          Resources:
            G:
              Type: AWS::EC2::SecurityGroup
    expect: []
"#,
    )
    .expect("write the policy");
    let policies = dir.path().to_str().expect("UTF-8 path");
    let run = scan_json(
        &fixture("cloudformation/stacks"),
        &["--no-builtin", "--policies", policies],
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![spot("NO-IMPORT-001", "web.yaml", 13, 27)]
    );
    assert_eq!(
        findings(&report)[0]["pointer"],
        "/Resources/WebGroup/Properties/VpcId/Fn::ImportValue"
    );
    let test = common::run(["test", policies, "--color", "never"]);
    assert_eq!(test.code, 0, "{}{}", test.stdout, test.stderr);
}

/// A `Ref` to a parameter takes its `Default`: the finding lands on the default, once for
/// every use, each use a related location; a parameter with no default is never guessed.
#[test]
fn parameters_are_followed_to_their_defaults() {
    let run = scan_json(&fixture("cloudformation-parameters"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // `Default: 0.0.0.0/0` of SSHLocation, used by two SSH rules (`!Ref`, `!Sub`);
            // the database rule from `!Ref ClientIP` (no default) is not reported.
            spot("CFN-PUBLIC-001", "lamp.yaml", 12, 14),
            // MySQL's port from `{"Ref": "DBPort"}` (Default "3306") open to the world.
            spot("CFN-PUBLIC-001", "mysql.json", 15, 19),
        ]
    );
    let found = findings(&report);
    assert_eq!(
        related_spots(&found[0]),
        vec![
            at(
                "lamp.yaml",
                33,
                19,
                "`CidrIp` takes `SSHLocation`'s Default here, in resource `WebServerSecurityGroup`"
            ),
            at("lamp.yaml", 31, 21, "allows port 22 (SSH)"),
            at(
                "lamp.yaml",
                46,
                19,
                "`CidrIp` takes `SSHLocation`'s Default here, in resource `DBSecurityGroup`"
            ),
            at("lamp.yaml", 44, 21, "allows port 22 (SSH)"),
        ]
    );
    assert_eq!(
        related_spots(&found[1]),
        vec![at("mysql.json", 13, 21, "allows port 3306 (MySQL)")]
    );

    // The finding is the default's: a template with one use of it has the same fingerprint.
    let one_use = temp_copy("cloudformation-parameters");
    let lamp = one_use.path().join("lamp.yaml");
    let text = std::fs::read_to_string(&lamp).expect("fixture");
    let cut = text.find("        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: !Sub").expect("the second use");
    std::fs::write(&lamp, &text[..cut]).expect("written");
    let single = scan_json(one_use.path(), &[]).json();
    let single = findings(&single);
    assert_eq!(single[0]["location"]["start"]["line"], 12);
    assert_eq!(related_spots(&single[0]).len(), 2);
    assert_eq!(single[0]["fingerprint"], found[0]["fingerprint"]);
}
