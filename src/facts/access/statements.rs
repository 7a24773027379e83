//! One rule for every AWS policy document (bucket, queue, topic, key, domain, repository,
//! secret, role trust policies…): when does a statement let anyone in? When it allows a
//! principal that is everyone (`"*"`, `{"AWS": "*"}`, `*` in a list) and neither its own
//! condition nor a deny statement of the same document restricts who is asking.
//!
//! A condition restricts when it tests a key about the caller's network, account,
//! organisation or identity ([`RESTRICTING_KEYS`]) with a positive operator, against a
//! value that is not everything (`*`, a network of prefix length 0). `aws:Referer`,
//! `aws:UserAgent` and `aws:SecureTransport` are sent or chosen by the caller and restrict
//! nobody. A deny statement for everyone with a negated operator on such a key
//! (`StringNotEquals aws:SourceVpce`, `NotIpAddress aws:SourceIp`) restricts the allows
//! whose actions it covers.

use serde_json::Value;

use crate::facts::network::whole_internet;

/// Condition keys about who is asking: the caller's network, account, organisation,
/// identity or the resource it acts for. Compared without regard to case, as AWS does.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:SourceIp",
    "aws:VpcSourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:userid",
    "aws:username",
    "kms:CallerAccount",
    "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
    "elasticfilesystem:AccessedViaMountTarget",
];

/// Why an allowing statement for everyone is open: `None` when it is not (not an allow, a
/// named principal, or restricted); otherwise the condition keys it tests that restrict
/// nobody (empty when it has no condition).
pub fn open_to_everyone(statement: &Value, siblings: &[&Value]) -> Option<Vec<String>> {
    let object = statement.as_object()?;
    if !text_is(object.get("Effect"), "allow") || !everyone(object.get("Principal")?) {
        return None;
    }
    if let Some(condition) = object.get("Condition")
        && restricts(condition, false)
    {
        return None;
    }
    if siblings.iter().any(|deny| denies_others(deny, statement)) {
        return None;
    }
    Some(condition_keys(object.get("Condition")))
}

/// `"*"`, `{"AWS": "*"}`, or `*` in a list of AWS principals.
pub fn everyone(principal: &Value) -> bool {
    let star = |v: &Value| v.as_str().is_some_and(|s| s.trim() == "*");
    match principal {
        Value::String(_) => star(principal),
        Value::Object(map) => map.iter().any(|(kind, value)| {
            kind.eq_ignore_ascii_case("aws")
                && match value {
                    Value::Array(items) => items.iter().any(star),
                    other => star(other),
                }
        }),
        _ => false,
    }
}

/// Whether a `Condition` block restricts who is asking: one of its tests does (AWS ands
/// them). `negated` asks for the negated operators instead (a deny's "everyone but").
fn restricts(condition: &Value, negated: bool) -> bool {
    let Some(operators) = condition.as_object() else {
        // A condition Terraform only knows at apply time: not judged open.
        return condition.is_string();
    };
    operators.iter().any(|(operator, tests)| {
        let op = operator.to_ascii_lowercase();
        let op = op.rsplit(':').next().unwrap_or_default();
        if op.ends_with("ifexists") || op == "null" || op.contains("not") != negated {
            return false;
        }
        let Some(tests) = tests.as_object() else {
            return false;
        };
        tests
            .iter()
            .any(|(key, value)| restricting_key(key) && !everything(value))
    })
}

fn restricting_key(key: &str) -> bool {
    let key = key.trim();
    RESTRICTING_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// `*`, the whole internet, an ARN of any account (`arn:aws:iam::*:role/x`), or a list
/// holding one.
fn everything(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().any(everything),
        Value::String(s) => {
            let s = s.trim();
            let any_account = s.starts_with("arn:") && s.split(':').nth(4) == Some("*");
            s == "*" || any_account || whole_internet(value)
        }
        _ => false,
    }
}

/// Whether `deny` is a deny for everyone, restricted to callers other than those its
/// negated condition names, covering every action `allow` allows.
fn denies_others(deny: &Value, allow: &Value) -> bool {
    if !text_is(deny.get("Effect"), "deny") || !deny.get("Principal").is_some_and(everyone) {
        return false;
    }
    if !deny
        .get("Condition")
        .is_some_and(|condition| restricts(condition, true))
    {
        return false;
    }
    let denied = texts(deny.get("Action"));
    let covered = |action: &str| {
        denied.iter().any(|d| {
            let (d, a) = (d.to_ascii_lowercase(), action.to_ascii_lowercase());
            d == a
                || d.strip_suffix('*')
                    .is_some_and(|prefix| a.starts_with(prefix))
        })
    };
    match allow.get("Action") {
        Some(actions) => texts(Some(actions)).iter().all(|a| covered(a)),
        // NotAction: only a deny of everything covers it.
        None => denied.contains(&"*"),
    }
}

fn texts(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The keys a `Condition` block tests, as written.
fn condition_keys(condition: Option<&Value>) -> Vec<String> {
    let mut keys: Vec<String> = condition
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|operators| operators.values())
        .filter_map(Value::as_object)
        .flat_map(|tests| tests.keys().cloned())
        .collect();
    keys.dedup();
    keys
}

fn text_is(value: Option<&Value>, expected: &str) -> bool {
    value
        .and_then(Value::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case(expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn open(statement: Value) -> Option<Vec<String>> {
        open_to_everyone(&statement, &[])
    }

    #[test]
    fn everyone_with_no_condition_is_open() {
        for principal in [
            json!("*"),
            json!({"AWS": "*"}),
            json!({"AWS": ["arn:x", " * "]}),
        ] {
            let statement = json!({"Effect": "Allow", "Principal": principal, "Action": "s3:*"});
            assert_eq!(open(statement), Some(vec![]));
        }
        for closed in [
            json!({"Effect": "Deny", "Principal": "*"}),
            json!({"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}}),
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}}),
            json!({"Effect": "Allow", "NotPrincipal": {"AWS": "*"}}),
            json!({"Effect": "Allow", "Principal": {"Federated": "*"}}),
            json!("Allow"),
        ] {
            assert_eq!(open(closed.clone()), None, "{closed}");
        }
    }

    #[test]
    fn only_conditions_on_the_caller_restrict() {
        let with = |condition: Value| {
            open(json!({"Effect": "Allow", "Principal": "*", "Condition": condition}))
        };
        for restricted in [
            json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}}),
            json!({"IpAddress": {"AWS:SOURCEIP": ["203.0.113.0/24"]}}),
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"}}),
            json!({"StringEquals": {"aws:SourceAccount": "123456789012"}}),
            json!({"StringEquals": {"aws:PrincipalOrgID": "o-1"}}),
            json!({"StringEquals": {"aws:PrincipalAccount": "123456789012"}}),
            json!({"StringEquals": {"aws:SourceVpc": "vpc-1"}}),
            json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-1/*"}}),
            json!({"StringEquals": {"kms:CallerAccount": "1", "kms:ViaService": "s"}}),
            json!("${var.condition}"),
        ] {
            assert_eq!(with(restricted.clone()), None, "{restricted}");
        }
        for open in [
            (
                json!({"StringLike": {"aws:Referer": "https://example.com/*"}}),
                "aws:Referer",
            ),
            (
                json!({"StringEquals": {"aws:UserAgent": "x"}}),
                "aws:UserAgent",
            ),
            (
                json!({"Bool": {"aws:SecureTransport": "true"}}),
                "aws:SecureTransport",
            ),
            (
                json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}),
                "aws:SourceVpce",
            ),
            (
                json!({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}),
                "aws:SourceVpce",
            ),
            (
                json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "0.0.0.0/0"]}}),
                "aws:SourceIp",
            ),
            (
                json!({"StringLike": {"aws:PrincipalOrgID": "*"}}),
                "aws:PrincipalOrgID",
            ),
        ] {
            assert_eq!(
                with(open.0.clone()),
                Some(vec![open.1.to_owned()]),
                "{}",
                open.0
            );
        }
    }

    #[test]
    fn a_deny_for_everyone_else_restricts_the_actions_it_covers() {
        let allow = json!({"Effect": "Allow", "Principal": "*", "Action": ["execute-api:Invoke"]});
        let deny = json!({"Effect": "Deny", "Principal": "*", "Action": "execute-api:*",
                          "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}});
        assert_eq!(open_to_everyone(&allow, &[&deny]), None);
        let narrow = json!({"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                            "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}});
        let reads = json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"});
        assert_eq!(open_to_everyone(&reads, &[&narrow]), Some(vec![]));
        let tls = json!({"Effect": "Deny", "Principal": "*", "Action": "*",
                         "Condition": {"Bool": {"aws:SecureTransport": "false"}}});
        assert_eq!(open_to_everyone(&reads, &[&tls]), Some(vec![]));
    }
}
