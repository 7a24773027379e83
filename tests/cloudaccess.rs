//! The cloud access-restriction families end to end, one folder a cloud: what counts as the
//! whole internet, which ports are sensitive and over which transport (a UDP rule on 22 is
//! not SSH), Azure port lists, network ACLs, one rule for who a policy statement lets in
//! (a Referer or TLS condition restricts nobody), GCP members on any resource type, and the
//! new AWS, Google Cloud and Azure families — each finding at its exact value.

mod common;

use common::{at, findings, fixture, related_spots, scan_json, spot, spots};

#[test]
fn every_cloud_family_at_its_value() {
    let run = scan_json(&fixture("cloudaccess"), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![
            // The default security group's SSH; the UDP rule on 22 is not SSH; the network
            // ACL's allow-everything rule is its posture, its RDP rule an opening.
            spot("TF-PUBLIC-006", "aws/network.tf", 8, 20),
            spot("TF-PUBLIC-006", "aws/network.tf", 39, 18),
            // A key policy whose Referer condition restricts nobody; a topic restricted to
            // one account is not reported; a role anyone can assume; a Lambda permission.
            spot("TF-PUBLIC-002", "aws/policies.tf", 6, 19),
            spot("TF-PUBLIC-002", "aws/policies.tf", 32, 7),
            spot("TF-PUBLIC-007", "aws/policies.tf", 41, 19),
            spot("CFN-PUBLIC-001", "aws/stack.yaml", 10, 18),
            spot("CFN-PUBLIC-003", "aws/stack.yaml", 19, 24),
            spot("CFN-PUBLIC-006", "aws/stack.yaml", 28, 18),
            spot("CFN-PUBLIC-007", "aws/stack.yaml", 35, 29),
            spot("CFN-CONTAINER-001", "aws/stack.yaml", 42, 23),
            // RDP inside an Azure port list from the Internet tag.
            spot("TF-PUBLIC-006", "azure/main.tf", 9, 33),
            spot("TF-PUBLIC-008", "azure/main.tf", 19, 22),
            spot("TF-PUBLIC-009", "azure/main.tf", 25, 29),
            // Pub/Sub to allUsers; the Cloud Run invoker is how a public service is
            // published; the firewall's UDP 22 is not SSH, its TCP 3389 is RDP.
            spot("TF-PUBLIC-004", "gcp/main.tf", 4, 12),
            spot("TF-PUBLIC-006", "gcp/main.tf", 17, 20),
            spot("TF-PUBLIC-009", "gcp/main.tf", 34, 20),
        ]
    );
    let all = findings(&report);
    assert_eq!(
        related_spots(&all[0]),
        vec![
            at("aws/network.tf", 6, 19, "allows port 22 (SSH)"),
            at(
                "aws/network.tf",
                10,
                25,
                "`::/0` opens the rule to the whole internet too"
            ),
        ]
    );
    assert_eq!(
        related_spots(&all[1]),
        vec![at("aws/network.tf", 40, 18, "allows port 3389 (RDP)")]
    );
    assert_eq!(
        all[2]["message"],
        "the policy allows kms:Decrypt to anyone (*) with no condition on who is asking"
    );
    assert_eq!(
        related_spots(&all[2]),
        vec![at(
            "aws/policies.tf",
            9,
            7,
            "the condition on `aws:Referer` does not restrict who is asking"
        )]
    );
    assert_eq!(
        related_spots(&all[6]),
        vec![at(
            "aws/stack.yaml",
            21,
            13,
            "the condition on `aws:SecureTransport` does not restrict who is asking"
        )]
    );
    assert_eq!(
        related_spots(&all[10]),
        vec![at(
            "azure/main.tf",
            8,
            33,
            "ports 3388-3390 include port 3389 (RDP)"
        )]
    );
    assert_eq!(
        related_spots(&all[14]),
        vec![at("gcp/main.tf", 26, 17, "allows port 3389 (RDP)")]
    );
}

#[test]
fn sensitive_ports_come_from_the_config() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_security_group_rule\" \"dns\" {\n  type        = \"ingress\"\n  \
         protocol    = \"udp\"\n  from_port   = 53\n  to_port     = 53\n  \
         cidr_blocks = [\"0.0.0.0/0\"]\n}\n",
    )
    .expect("write main.tf");
    // DNS is not sensitive by default: an authoritative server answers the world.
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    std::fs::write(
        dir.path().join(".doublecheck.yml"),
        "network:\n  extend-admin-ports: [53]\n",
    )
    .expect("write the config");
    let run = scan_json(dir.path(), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(
        spots(&report),
        vec![spot("TF-PUBLIC-006", "main.tf", 6, 18)]
    );
    assert_eq!(
        related_spots(&findings(&report)[0]),
        vec![at("main.tf", 4, 17, "allows port 53")]
    );
}
