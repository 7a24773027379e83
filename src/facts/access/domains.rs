//! OpenSearch and Elasticsearch domains deployed in a VPC: a statement of their access
//! policy that allows everyone is reached only from inside the VPC, whose security groups
//! decide, which is how AWS documents such domains. Their statements are not open to the
//! internet.

use std::collections::BTreeSet;

use crate::detect::kinds;
use crate::document::Document;
use crate::facts::terraform::resources;

const CLOUDFORMATION_DOMAINS: [&str; 2] = [
    "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain",
];
const TERRAFORM_DOMAINS: [&str; 2] = ["aws_opensearch_domain", "aws_elasticsearch_domain"];
const TERRAFORM_POLICIES: [&str; 2] = [
    "aws_opensearch_domain_policy",
    "aws_elasticsearch_domain_policy",
];

/// The Terraform domains with `vpc_options` among `documents` (a folder is read together),
/// as `<type>.<name>`.
pub fn terraform_vpc_domains(documents: &[&Document]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for doc in documents {
        if doc.kind.as_str() != kinds::TERRAFORM_CONFIG {
            continue;
        }
        for kind in TERRAFORM_DOMAINS {
            for domain in resources(&doc.value, kind) {
                if domain.body.get("vpc_options").is_some() {
                    found.insert(format!("{kind}.{}", domain.name));
                }
            }
        }
    }
    found
}

/// Whether the statement at `pointer` of `document` belongs to a domain in a VPC: its
/// own access policy, or a domain policy resource naming it.
pub fn in_vpc(document: &Document, pointer: &str, vpc_domains: &BTreeSet<String>) -> bool {
    let parts: Vec<String> = pointer
        .split('/')
        .skip(1)
        .take(3)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    let value = &document.value;
    match (document.kind.as_str(), parts.as_slice()) {
        (kinds::CLOUDFORMATION_TEMPLATE, [resources, name, ..]) if resources == "Resources" => {
            let resource = &value["Resources"][name.as_str()];
            resource["Type"]
                .as_str()
                .is_some_and(|t| CLOUDFORMATION_DOMAINS.contains(&t))
                && resource["Properties"].get("VPCOptions").is_some()
        }
        (kinds::TERRAFORM_CONFIG | kinds::TERRAFORM_PLAN, [resource, kind, name])
            if resource == "resource" =>
        {
            let body = &value["resource"][kind.as_str()][name.as_str()];
            if TERRAFORM_DOMAINS.contains(&kind.as_str()) {
                return body.get("vpc_options").is_some();
            }
            TERRAFORM_POLICIES.contains(&kind.as_str())
                && body["domain_name"].as_str().is_some_and(|reference| {
                    vpc_domains.iter().any(|domain| {
                        reference.contains(&format!("{domain}.domain_name"))
                            || reference.contains(&format!("{domain}.id"))
                    })
                })
        }
        _ => false,
    }
}
