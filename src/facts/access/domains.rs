//! OpenSearch and Elasticsearch domains whose access policy does not decide who gets in:
//! a domain deployed in a VPC is reached only from inside it, whose security groups decide;
//! a domain with fine-grained access control (and no anonymous access) authenticates every
//! request itself, and AWS recommends an open access policy for it. A statement of their
//! access policy that allows everyone is not open to the internet.

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
                if closed_terraform_domain(domain.body.value) {
                    found.insert(format!("{kind}.{}", domain.name));
                }
            }
        }
    }
    found
}

/// A Terraform domain in a VPC, or with fine-grained access control and no anonymous
/// access (`advanced_security_options`, a block written once).
fn closed_terraform_domain(body: &serde_json::Value) -> bool {
    let security = &body["advanced_security_options"];
    let security = security.get(0).unwrap_or(security);
    body.get("vpc_options").is_some()
        || (is_true(&security["enabled"]) && !is_true(&security["anonymous_auth_enabled"]))
}

/// `true`, written as a boolean or as the string Terraform and CloudFormation also accept.
fn is_true(value: &serde_json::Value) -> bool {
    value.as_bool() == Some(true) || value.as_str() == Some("true")
}

/// Whether the statement at `pointer` of `document` belongs to a domain in a VPC (or with
/// fine-grained access control): its
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
            let properties = &resource["Properties"];
            let security = &properties["AdvancedSecurityOptions"];
            resource["Type"]
                .as_str()
                .is_some_and(|t| CLOUDFORMATION_DOMAINS.contains(&t))
                && (properties.get("VPCOptions").is_some()
                    || (is_true(&security["Enabled"])
                        && !is_true(&security["AnonymousAuthEnabled"])))
        }
        (kinds::TERRAFORM_CONFIG | kinds::TERRAFORM_PLAN, [resource, kind, name])
            if resource == "resource" =>
        {
            let body = &value["resource"][kind.as_str()][name.as_str()];
            if TERRAFORM_DOMAINS.contains(&kind.as_str()) {
                return closed_terraform_domain(body);
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
