//! Facts about access policies in infrastructure code: which statements of an AWS policy
//! document let anyone in ([`statements`]). Every policy document of a CloudFormation
//! template or a Terraform configuration is judged the same way, wherever it is written
//! (an inline `jsonencode` or heredoc policy, a `PolicyDocument`, a `KeyPolicy`, an
//! `AssumeRolePolicyDocument`); the policies decide which resources' documents they report.

mod domains;
mod statements;

use serde_json::Value;

use super::{Evidence, FactIndex, FactInfo, Provider, Scope, Settings, tree};
use crate::detect::kinds;
use crate::document::child_pointer;

pub const PUBLIC_STATEMENT: &str = "aws/public-statement";

// Every fact here is about one policy document in its own file.
pub const PROVIDER: Provider = Provider::of_batch(FACTS, KINDS, provide);

const FACTS: &[FactInfo] = &[FactInfo {
    name: PUBLIC_STATEMENT,
    scope: Scope::Node,
    description: "a statement of an AWS policy document (an object holding `Statement`) \
                  that allows everyone (Principal `*`, `{AWS: \"*\"}` or `*` in a list) with \
                  no condition restricting who asks: a condition restricts when it tests \
                  aws:SourceIp, aws:VpcSourceIp, aws:SourceVpc(e), aws:SourceArn, \
                  aws:SourceAccount, aws:SourceOwner, aws:SourceOrgID/OrgPaths, \
                  aws:PrincipalOrgID/OrgPaths, aws:PrincipalAccount, aws:PrincipalArn, \
                  aws:PrincipalServiceName, aws:userid, aws:username, kms:CallerAccount, \
                  s3:DataAccessPoint(Account|Arn) or elasticfilesystem:AccessedViaMountTarget \
                  with a positive operator (not …IfExists) against a value that is not `*`, an \
                  ARN of any account or \
                  a /0 network; aws:Referer, aws:UserAgent, aws:SecureTransport and the rest \
                  restrict nobody. A deny for everyone with a negated operator on such a key, \
                  covering the statement's actions, restricts it too. Not a statement of an \
                  OpenSearch or Elasticsearch domain deployed in a VPC (`VPCOptions`, \
                  `vpc_options`, or a domain policy resource naming such a domain of the \
                  same folder): its security groups decide. Evidence at the condition that \
                  does not restrict",
}];

const KINDS: &[&str] = &[
    kinds::CLOUDFORMATION_TEMPLATE,
    kinds::TERRAFORM_CONFIG,
    kinds::TERRAFORM_PLAN,
];

fn provide(given: &super::Given, _: &super::Prepared, _: &Settings, index: &mut FactIndex) {
    let documents = given.documents;
    let vpc_domains = domains::terraform_vpc_domains(documents);
    for (i, doc) in documents.iter().enumerate() {
        let mut found = Vec::new();
        public_statements(&doc.value, "", &mut found);
        for (pointer, keys) in found {
            if domains::in_vpc(doc, &pointer, &vpc_domains) {
                continue;
            }
            let evidence = (!keys.is_empty()).then(|| {
                let condition = child_pointer(&pointer, "Condition");
                let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                Evidence::at(
                    i,
                    condition,
                    format!(
                        "the condition on {} does not restrict who is asking",
                        keys.join(", ")
                    ),
                )
            });
            index.add_node(i, pointer, PUBLIC_STATEMENT, evidence);
        }
    }
}

/// Every statement open to everyone under `value` (at `pointer`), with the keys its
/// condition tests in vain. A statement is any object with an `Effect` under a
/// `Statement` (CloudFormation may wrap one in `Fn::If`).
fn public_statements(value: &Value, pointer: &str, found: &mut Vec<(String, Vec<String>)>) {
    let documents = |v: &Value| v.get("Statement").is_some();
    let with_effect = |v: &Value| v.get("Effect").is_some();
    for (at, document) in tree::find(value, pointer, &documents, true) {
        let statement = &document["Statement"];
        let at = child_pointer(&at, "Statement");
        let list = tree::find(statement, &at, &with_effect, false);
        let all: Vec<&Value> = list.iter().map(|(_, s)| *s).collect();
        for (at, statement) in &list {
            if let Some(keys) = statements::open_to_everyone(statement, &all) {
                found.push((at.clone(), keys));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statements_are_found_wherever_a_policy_document_is() {
        let template = json!({"Resources": {
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*"},
                {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
                 "Condition": {"StringEquals": {"aws:UserAgent": "x"}}}
            ]}}},
            "Topic": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"PolicyDocument":
                {"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish"}}}}
        }});
        let mut found = Vec::new();
        public_statements(&template, "", &mut found);
        assert_eq!(
            found,
            [
                (
                    "/Resources/Key/Properties/KeyPolicy/Statement/1".to_owned(),
                    vec!["aws:UserAgent".to_owned()]
                ),
                (
                    "/Resources/Topic/Properties/PolicyDocument/Statement".to_owned(),
                    vec![]
                ),
            ]
        );
    }
}
