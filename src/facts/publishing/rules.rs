//! The rules that protect branches: safe-settings `branches[].protection` and `rulesets`,
//! ruleset JSON (exported or API form) and branch-protection REST exports. Which of them
//! require code-owner review, and whether any protects a given branch with a required
//! approving review.

use foldhash::HashMap;
use globset::GlobBuilder;
use serde_json::Value;

use super::{UNPROTECTED_CMS_BRANCH, github_root};
use crate::detect::kinds;
use crate::document::Document;
use crate::document::Evidence;
use crate::facts::FactIndex;
use crate::facts::terraform::resources;

/// Decap's `backend.branch` when the config names none.
const DECAP_DEFAULT_BRANCH: &str = "master";
/// What `~DEFAULT_BRANCH` (rulesets) and `default` (safe-settings) stand for when no
/// settings.yml of the repository names its `repository.default_branch`.
const USUAL_DEFAULT_BRANCHES: &[&str] = &["main", "master"];

/// A setting in force that requires code-owner review, in the repository at `root`.
pub struct Requirement {
    pub root: String,
    pub evidence: Evidence,
}

/// Every code-owner-review requirement in force: branch protections of settings.yml and the
/// pull_request rules of active rulesets.
pub fn code_owner_requirements<'a>(
    documents: impl Iterator<Item = (usize, &'a Document)>,
) -> Vec<Requirement> {
    let mut found = Vec::new();
    for (i, doc) in documents {
        let Some(root) = github_root(&doc.source.path) else {
            continue;
        };
        let mut add = |pointer: String, message: String| {
            found.push(Requirement {
                root: root.to_owned(),
                evidence: Evidence::at(i, pointer, message),
            });
        };
        match doc.kind.as_str() {
            kinds::GITHUB_SETTINGS => {
                for (b, branch) in items(&doc.value, "branches") {
                    let reviews = branch.pointer("/protection/required_pull_request_reviews");
                    if reviews.and_then(|r| r.get("require_code_owner_reviews"))
                        == Some(&Value::Bool(true))
                    {
                        let name = text(branch, "name");
                        add(
                            format!(
                                "/branches/{b}/protection/required_pull_request_reviews/require_code_owner_reviews"
                            ),
                            format!("the protection of branch `{name}` requires code-owner review"),
                        );
                    }
                }
                for (r, ruleset) in items(&doc.value, "rulesets") {
                    let prefix = format!("/rulesets/{r}");
                    for (pointer, message) in ruleset_code_owner_review(ruleset, &prefix) {
                        add(pointer, message);
                    }
                }
            }
            kinds::GITHUB_RULESET => {
                for (pointer, message) in ruleset_code_owner_review(&doc.value, "") {
                    add(pointer, message);
                }
            }
            _ => {}
        }
    }
    found
}

fn ruleset_code_owner_review(ruleset: &Value, prefix: &str) -> Vec<(String, String)> {
    if ruleset.get("enforcement").and_then(Value::as_str) != Some("active") {
        return Vec::new();
    }
    pull_request_rules(ruleset)
        .into_iter()
        .filter(|(_, rule)| {
            rule.pointer("/parameters/require_code_owner_review") == Some(&Value::Bool(true))
        })
        .map(|(j, _)| {
            (
                format!("{prefix}/rules/{j}/parameters/require_code_owner_review"),
                format!(
                    "ruleset `{}` requires code-owner review",
                    text(ruleset, "name")
                ),
            )
        })
        .collect()
}

/// Marks the `backend` of every Decap config whose branch no rule protects with a required
/// approving review.
pub fn provide_cms_branches(documents: &[&Document], index: &mut FactIndex) {
    if !documents
        .iter()
        .any(|d| d.kind.as_str() == kinds::DECAP_CONFIG)
    {
        return;
    }
    // The documents that may protect a branch, found once for every config (Terraform
    // files without a protection are most of a large scan's).
    let protecting: Vec<(usize, &Document)> = (documents.iter().copied().enumerate())
        .filter(|(_, doc)| match doc.kind.as_str() {
            kinds::GITHUB_SETTINGS | kinds::GITHUB_RULESET | kinds::GITHUB_BRANCH_PROTECTION => {
                true
            }
            kinds::TERRAFORM_CONFIG | kinds::TERRAFORM_PLAN => super::protects_branches(&doc.value),
            _ => false,
        })
        .collect();
    // Terraform's verdicts depend on the branch and the default branches alone, which the
    // configs of a scan mostly share: each file's are made once for each pair.
    type Verdicts = Vec<(String, Option<String>)>;
    let mut terraform: HashMap<(&str, Vec<&str>), HashMap<usize, Verdicts>> = HashMap::default();
    for (d, cms) in documents.iter().enumerate() {
        if cms.kind.as_str() != kinds::DECAP_CONFIG {
            continue;
        }
        let Some(backend) = cms.value.get("backend").filter(|b| b.is_object()) else {
            continue;
        };
        let branch = backend
            .get("branch")
            .and_then(Value::as_str)
            .unwrap_or(DECAP_DEFAULT_BRANCH);
        let in_repository = |doc: &Document| {
            github_root(&doc.source.path).is_some_and(|root| cms.source.path.starts_with(root))
        };
        let defaults: Vec<&str> = (protecting.iter().map(|(_, doc)| doc))
            .filter(|doc| doc.kind.as_str() == kinds::GITHUB_SETTINGS && in_repository(doc))
            .filter_map(|doc| doc.value.pointer("/repository/default_branch")?.as_str())
            .collect();
        let defaults = if defaults.is_empty() {
            USUAL_DEFAULT_BRANCHES.to_vec()
        } else {
            defaults
        };
        let terraform = terraform.entry((branch, defaults.clone())).or_default();
        let mut others = Vec::new();
        let mut protected = false;
        for &(i, doc) in &protecting {
            let verdicts = match doc.kind.as_str() {
                kinds::GITHUB_SETTINGS if in_repository(doc) => {
                    settings_verdicts(&doc.value, branch, &defaults)
                }
                kinds::GITHUB_RULESET if in_repository(doc) => {
                    vec![ruleset_verdict(&doc.value, "", branch, &defaults)]
                }
                kinds::GITHUB_BRANCH_PROTECTION => vec![protection_verdict(doc, branch)],
                // Like REST exports, Terraform names no repository path: it counts for every
                // Decap config in the scan.
                kinds::TERRAFORM_CONFIG | kinds::TERRAFORM_PLAN => terraform
                    .entry(i)
                    .or_insert_with(|| terraform_verdicts(&doc.value, branch, &defaults))
                    .clone(),
                _ => Vec::new(),
            };
            for (pointer, verdict) in verdicts {
                match verdict {
                    None => protected = true,
                    Some(why) => others.push(Evidence::at(i, pointer, why)),
                }
            }
        }
        if protected {
            continue;
        }
        let pointer = "/backend".to_owned();
        if backend.get("branch").is_none() {
            let why = format!("backend.branch is not set, so Decap CMS publishes to `{branch}`");
            others.insert(0, Evidence::at(d, pointer.clone(), why));
        }
        if others.is_empty() {
            index.add_node(d, pointer.clone(), UNPROTECTED_CMS_BRANCH, None);
        }
        for why in others {
            index.add_node(d, pointer.clone(), UNPROTECTED_CMS_BRANCH, Some(why));
        }
    }
}

/// For each rule of a settings.yml: where it is and `None` when it protects `branch` with a
/// required approval, else why not.
fn settings_verdicts(
    settings: &Value,
    branch: &str,
    defaults: &[&str],
) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (b, rule) in items(settings, "branches") {
        let name = text(rule, "name");
        let covers = name == branch || (name == "default" && defaults.contains(&branch));
        let pointer = format!("/branches/{b}/name");
        let verdict = if !covers {
            Some(format!("protects branch `{name}`, not `{branch}`"))
        } else if !requires_approval(rule.pointer("/protection/required_pull_request_reviews")) {
            Some(format!(
                "protects branch `{name}` without a required approving review"
            ))
        } else {
            None
        };
        out.push((pointer, verdict));
    }
    for (r, ruleset) in items(settings, "rulesets") {
        out.push(ruleset_verdict(
            ruleset,
            &format!("/rulesets/{r}"),
            branch,
            defaults,
        ));
    }
    out
}

/// The integrations/github resources of a Terraform document that could protect `branch`:
/// branch protections (`pattern` or `branch`) and rulesets, with the provider's defaults
/// (one approval once a review block exists; none in a ruleset's `pull_request` rule).
fn terraform_verdicts(
    config: &Value,
    branch: &str,
    defaults: &[&str],
) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (resource_type, branch_key) in [
        ("github_branch_protection", "pattern"),
        ("github_branch_protection_v3", "branch"),
    ] {
        for resource in resources(config, resource_type) {
            let protection = resource.body;
            let name = text(protection.value, branch_key);
            let covers = name == branch || ref_matches(name, branch, defaults);
            let reviews = protection.block("required_pull_request_reviews");
            let approval = reviews.is_some_and(|r| {
                r.get("required_approving_review_count")
                    .and_then(Value::as_f64)
                    .is_none_or(|n| n >= 1.0)
            });
            let verdict = if !covers {
                Some(format!("protects branch `{name}`, not `{branch}`"))
            } else if !approval {
                Some(format!(
                    "protects branch `{name}` without a required approving review"
                ))
            } else {
                None
            };
            out.push((protection.pointer, verdict));
        }
    }
    for resource_type in ["github_repository_ruleset", "github_organization_ruleset"] {
        for resource in resources(config, resource_type) {
            let ruleset = resource.body;
            let pull_request = ruleset
                .block("rules")
                .and_then(|rules| rules.block("pull_request"));
            let approval = requires_approval(pull_request.map(|rule| rule.value));
            let ref_name = ruleset
                .block("conditions")
                .and_then(|conditions| conditions.block("ref_name"));
            let patterns = |key: &str| ref_name.as_ref().and_then(|r| r.get(key));
            let applies = applies(patterns("include"), patterns("exclude"), branch, defaults);
            out.push(ruleset_verdict_with(
                ruleset.value,
                &ruleset.pointer,
                branch,
                applies,
                approval,
            ));
        }
    }
    out
}

fn ruleset_verdict(
    ruleset: &Value,
    prefix: &str,
    branch: &str,
    defaults: &[&str],
) -> (String, Option<String>) {
    let approval = pull_request_rules(ruleset)
        .iter()
        .any(|(_, rule)| requires_approval(rule.get("parameters")));
    let patterns = |key: &str| ruleset.pointer(&format!("/conditions/ref_name/{key}"));
    let applies = applies(patterns("include"), patterns("exclude"), branch, defaults);
    ruleset_verdict_with(ruleset, prefix, branch, applies, approval)
}

/// Whether a ruleset's `ref_name` condition (its `include` and `exclude` patterns) takes in
/// `branch`.
fn applies(
    include: Option<&Value>,
    exclude: Option<&Value>,
    branch: &str,
    defaults: &[&str],
) -> bool {
    let matches = |patterns: Option<&Value>| {
        patterns
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|p| ref_matches(p, branch, defaults))
    };
    matches(include) && !matches(exclude)
}

/// A ruleset's verdict, given whether it applies to the branch and whether its rules require
/// an approving review (the conditions' and rules' shapes differ between the REST form and
/// Terraform).
fn ruleset_verdict_with(
    ruleset: &Value,
    prefix: &str,
    branch: &str,
    applies: bool,
    approval: bool,
) -> (String, Option<String>) {
    let name = text(ruleset, "name");
    let enforcement = ruleset.get("enforcement").and_then(Value::as_str);
    let target = ruleset
        .get("target")
        .and_then(Value::as_str)
        .unwrap_or("branch");
    let at = |key: &str| {
        if ruleset.get(key).is_some() {
            format!("{prefix}/{key}")
        } else {
            prefix.to_owned()
        }
    };
    if enforcement != Some("active") {
        let state = enforcement.unwrap_or("(none)");
        return (
            at("enforcement"),
            Some(format!(
                "ruleset `{name}` has enforcement `{state}`, so it protects nothing"
            )),
        );
    }
    if target != "branch" {
        return (
            at("target"),
            Some(format!("ruleset `{name}` targets {target}s, not branches")),
        );
    }
    if !applies {
        return (
            at("conditions"),
            Some(format!(
                "ruleset `{name}` does not apply to branch `{branch}`"
            )),
        );
    }
    if !approval {
        return (
            at("rules"),
            Some(format!(
                "ruleset `{name}` applies to `{branch}` without a required approving review"
            )),
        );
    }
    (at("name"), None)
}

/// A branch-protection REST export: its branch comes from its `url`
/// (`…/branches/<branch>/protection`), else from the file name.
fn protection_verdict(doc: &Document, branch: &str) -> (String, Option<String>) {
    let from_url = doc
        .value
        .get("url")
        .and_then(Value::as_str)
        .and_then(|url| url.split_once("/branches/"))
        .and_then(|(_, rest)| rest.strip_suffix("/protection"));
    let file = doc.source.path.rsplit('/').next().unwrap_or_default();
    let stem = file.strip_suffix(".json").unwrap_or(file);
    let protects = from_url.unwrap_or(stem);
    let pointer = if doc.value.get("url").is_some() {
        "/url"
    } else {
        ""
    };
    let verdict = if protects != branch {
        Some(format!("protects branch `{protects}`, not `{branch}`"))
    } else if !requires_approval(doc.value.get("required_pull_request_reviews")) {
        Some(format!(
            "protects branch `{protects}` without a required approving review"
        ))
    } else {
        None
    };
    (pointer.to_owned(), verdict)
}

fn requires_approval(reviews: Option<&Value>) -> bool {
    reviews
        .and_then(|r| r.get("required_approving_review_count"))
        .and_then(Value::as_f64)
        .is_some_and(|n| n >= 1.0)
}

/// A ruleset `ref_name` pattern (fnmatch; `~ALL`, `~DEFAULT_BRANCH`) against a branch.
fn ref_matches(pattern: &str, branch: &str, defaults: &[&str]) -> bool {
    match pattern {
        "~ALL" => true,
        "~DEFAULT_BRANCH" => defaults.contains(&branch),
        _ => {
            let full = if pattern.starts_with("refs/") {
                pattern.to_owned()
            } else {
                format!("refs/heads/{pattern}")
            };
            // A plain name is compared as it is: building a glob for each pair of a large
            // scan's configs and protections cost more than the rest of the comparison.
            if !full.contains(['*', '?', '[', ']', '{', '}', '\\']) {
                return full.strip_prefix("refs/heads/") == Some(branch);
            }
            GlobBuilder::new(&full)
                .literal_separator(true)
                .build()
                .is_ok_and(|glob| {
                    glob.compile_matcher()
                        .is_match(format!("refs/heads/{branch}"))
                })
        }
    }
}

fn pull_request_rules(ruleset: &Value) -> Vec<(usize, &Value)> {
    items(ruleset, "rules")
        .into_iter()
        .filter(|(_, rule)| rule.get("type").and_then(Value::as_str) == Some("pull_request"))
        .collect()
}

fn items<'a>(value: &'a Value, key: &str) -> Vec<(usize, &'a Value)> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().enumerate().collect())
        .unwrap_or_default()
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("(unnamed)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ref_patterns() {
        let defaults = ["main"];
        assert!(ref_matches("~ALL", "x", &defaults));
        assert!(ref_matches("~DEFAULT_BRANCH", "main", &defaults));
        assert!(!ref_matches("~DEFAULT_BRANCH", "master", &defaults));
        assert!(ref_matches("refs/heads/main", "main", &defaults));
        assert!(ref_matches("refs/heads/release/*", "release/v1", &defaults));
        assert!(!ref_matches(
            "refs/heads/release/*",
            "release/v1/x",
            &defaults
        ));
        assert!(ref_matches("refs/heads/**", "a/b", &defaults));
        assert!(ref_matches("gh-pages", "gh-pages", &defaults));
        assert!(!ref_matches("refs/heads/[", "[", &defaults));
    }

    #[test]
    fn ruleset_verdicts() {
        let active = json!({
            "name": "publish",
            "target": "branch",
            "enforcement": "active",
            "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
            "rules": [{"type": "pull_request", "parameters": {"required_approving_review_count": 1}}]
        });
        assert_eq!(
            ruleset_verdict(&active, "", "main", &["main"]),
            ("/name".to_owned(), None)
        );
        let (pointer, why) = ruleset_verdict(&active, "", "gh-pages", &["main"]);
        assert_eq!(pointer, "/conditions");
        assert_eq!(
            why.as_deref(),
            Some("ruleset `publish` does not apply to branch `gh-pages`")
        );
        let mut evaluate = active.clone();
        evaluate["enforcement"] = json!("evaluate");
        let (pointer, why) = ruleset_verdict(&evaluate, "/rulesets/0", "main", &["main"]);
        assert_eq!(pointer, "/rulesets/0/enforcement");
        assert!(why.is_some_and(|w| w.contains("enforcement `evaluate`")));
        let mut no_review = active;
        no_review["rules"] = json!([{"type": "deletion"}]);
        let (_, why) = ruleset_verdict(&no_review, "", "main", &["main"]);
        assert!(why.is_some_and(|w| w.contains("without a required approving review")));
    }

    #[test]
    fn terraform_protections_and_rulesets() {
        let config = serde_json::json!({"resource": {
            "github_branch_protection": {
                "main": {"pattern": "main", "required_pull_request_reviews": {}},
                "docs": {"pattern": "docs/*", "required_pull_request_reviews": {
                    "required_approving_review_count": 0}},
            },
            "github_branch_protection_v3": {
                "pages": {"branch": "gh-pages"},
            },
            "github_repository_ruleset": {
                "release": {"enforcement": "active", "target": "branch",
                    "conditions": {"ref_name": {"include": ["release/*"], "exclude": []}},
                    "rules": {"pull_request": {"required_approving_review_count": 1}}},
            },
        }});
        let protected = |branch: &str| {
            terraform_verdicts(&config, branch, &["main"])
                .into_iter()
                .any(|(_, verdict)| verdict.is_none())
        };
        // One approval by default once the review block exists.
        assert!(protected("main"));
        assert!(!protected("docs/intro"));
        // No review block at all.
        assert!(!protected("gh-pages"));
        assert!(protected("release/2026"));
        assert!(!protected("develop"));
    }

    /// Terraform's JSON syntax may write every level, and every block, as a list of objects:
    /// the verdicts are those of the object form, at the nodes of the list form.
    #[test]
    fn terraform_json_list_form_gives_the_object_forms_verdicts() {
        let protection = json!({"pattern": "main", "required_pull_request_reviews": {
            "required_approving_review_count": 0}});
        let ruleset = json!({"name": "release", "enforcement": "active", "target": "branch",
            "conditions": {"ref_name": {"include": ["release/*"], "exclude": ["release/old"]}},
            "rules": {"pull_request": {"required_approving_review_count": 1}}});
        let objects = json!({"resource": {
            "github_branch_protection": {"main": protection},
            "github_repository_ruleset": {"release": ruleset},
        }});
        let lists = json!({"resource": [
            {"github_branch_protection": [{"main": [{
                "pattern": "main",
                "required_pull_request_reviews": [{"required_approving_review_count": 0}]}]}]},
            {"github_repository_ruleset": [{"release": [{
                "name": "release", "enforcement": "active", "target": "branch",
                "conditions": [{"ref_name": [{"include": ["release/*"], "exclude": ["release/old"]}]}],
                "rules": [{"pull_request": [{"required_approving_review_count": 1}]}]}]}]},
        ]});
        // The reported case: only the resource's body is in a list.
        let bodies = json!({"resource": {
            "github_branch_protection": {"main": [protection]},
            "github_repository_ruleset": {"release": [ruleset]},
        }});
        for branch in ["main", "release/2026", "release/old", "gh-pages"] {
            let verdicts = |config: &Value| -> Vec<Option<String>> {
                terraform_verdicts(config, branch, &["main"])
                    .into_iter()
                    .map(|(_, verdict)| verdict)
                    .collect()
            };
            assert_eq!(verdicts(&lists), verdicts(&objects), "{branch}");
            assert_eq!(verdicts(&bodies), verdicts(&objects), "{branch}");
        }
        let pointers = |config: &Value| -> Vec<String> {
            terraform_verdicts(config, "gh-pages", &["main"])
                .into_iter()
                .map(|(pointer, _)| pointer)
                .collect()
        };
        assert_eq!(
            pointers(&lists),
            [
                "/resource/0/github_branch_protection/0/main/0",
                "/resource/1/github_repository_ruleset/0/release/0/conditions",
            ]
        );
        assert_eq!(
            terraform_verdicts(&bodies, "gh-pages", &["main"])[0],
            (
                "/resource/github_branch_protection/main/0".to_owned(),
                Some("protects branch `main`, not `gh-pages`".to_owned())
            )
        );
        assert_eq!(
            terraform_verdicts(&lists, "main", &["main"])[0]
                .1
                .as_deref(),
            Some("protects branch `main` without a required approving review")
        );
        assert_eq!(
            terraform_verdicts(&lists, "release/2026", &["main"])[1].1,
            None
        );
    }
}
