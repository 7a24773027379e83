//! The functions Helm templates call: Go's built-ins, the Sprig functions charts use, and
//! Helm's own (`include`, `tpl`, `required`, `toYaml`, `lookup`). A function that needs the
//! cluster or the chart's other files gives an unknown value; one this file does not know
//! gives an unknown value that the chart's note names.

use std::collections::BTreeMap;

use super::render::{Halt, Renderer};
use super::text::{printf, quote, sprint};
use super::value::{Val, equal};
use super::yaml::{from_yaml, to_yaml};

/// Values generated at install time (passwords, certificates, timestamps): any text stands
/// for them, and no policy judges them.
const GENERATED: &str = "doublecheck-generated";

pub fn call(r: &mut Renderer, name: &str, args: Vec<Val>) -> Result<Val, Halt> {
    // Sprig's `must…` functions are the same functions, failing instead of giving an empty
    // value: evaluated alike.
    let name = match name.strip_prefix("must") {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => {
            let mut lowered = rest.to_owned();
            lowered.replace_range(..1, &rest[..1].to_lowercase());
            lowered
        }
        _ => name.to_owned(),
    };
    let name = name.as_str();
    // Functions that look into unknown arguments themselves.
    match name {
        "default" => return Ok(default(args)),
        "coalesce" => {
            return Ok(args
                .into_iter()
                .find(|v| v.truth() != Some(false))
                .unwrap_or(Val::Nil));
        }
        "ternary" => {
            return Ok(
                match (args.first(), args.get(1), args.get(2).map(Val::truth)) {
                    (Some(yes), _, Some(Some(true))) => yes.clone(),
                    (_, Some(no), Some(Some(false))) => no.clone(),
                    (_, _, Some(None)) => args[2].clone(),
                    _ => Val::Nil,
                },
            );
        }
        "list" | "tuple" => return Ok(Val::list(args)),
        "dict" => {
            let mut map = BTreeMap::new();
            for pair in args.chunks(2) {
                let key = pair[0].display();
                map.insert(key, pair.get(1).cloned().unwrap_or(Val::Nil));
            }
            return Ok(Val::map(map));
        }
        "include" => {
            let name = args.first().map(Val::display).unwrap_or_default();
            let data = args.get(1).cloned().unwrap_or(Val::Nil);
            return r.call_named(&name, &data);
        }
        "tpl" => {
            return match (args.first(), args.get(1)) {
                (Some(Val::Str(text)), Some(data)) => r.render_text(text, data),
                (Some(unknown @ Val::Unknown(_)), _) => Ok(unknown.clone()),
                (Some(other), _) => Ok(Val::str(other.display())),
                _ => Ok(Val::Nil),
            };
        }
        "required" => {
            return Ok(match args.get(1) {
                None | Some(Val::Nil) => Val::unknown(format!(
                    "a required value with no default ({})",
                    args.first().map(Val::display).unwrap_or_default()
                )),
                Some(Val::Str(s)) if s.is_empty() => Val::unknown(format!(
                    "a required value with no default ({})",
                    args.first().map(Val::display).unwrap_or_default()
                )),
                Some(value) => value.clone(),
            });
        }
        "fail" if Val::first_unknown(&args).is_none() => {
            let message = args.first().map(Val::display).unwrap_or_default();
            return Err(Halt::Stopped(format!(
                "the chart calls `fail` with default values: {message}"
            )));
        }
        "toYaml" | "toJson" | "toPrettyJson" | "toRawJson" | "empty" | "set" | "unset"
        | "hasKey" | "len" => {}
        _ => {
            if let Some(unknown) = Val::first_unknown(&args) {
                return Ok(unknown);
            }
        }
    }
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Nil);
    let text = |i: usize| args.get(i).map(Val::display).unwrap_or_default();
    let last_text = || args.last().map(Val::display).unwrap_or_default();
    Ok(match name {
        // Output
        "toYaml" => Val::str(to_yaml(&arg(0)).trim_end_matches('\n')),
        "toJson" | "toRawJson" | "toPrettyJson" => match arg(0).to_json(0) {
            Some(json) if name == "toPrettyJson" => {
                Val::str(serde_json::to_string_pretty(&json).unwrap_or_default())
            }
            Some(json) => Val::str(json.to_string()),
            None => Val::unknown("a JSON value with an unknown part"),
        },
        "fromYaml" => from_yaml(&text(0)),
        "fromJson" => {
            serde_json::from_str(&text(0)).map_or(Val::map(BTreeMap::new()), |j| Val::from_json(&j))
        }
        "quote" => Val::str(
            args.iter()
                .filter(|v| !matches!(v, Val::Nil))
                .map(|v| quote(&v.display()))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "squote" => Val::str(
            args.iter()
                .filter(|v| !matches!(v, Val::Nil))
                .map(|v| format!("'{}'", v.display()))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "print" => Val::str(sprint(&args)),
        "println" => Val::str(format!(
            "{}\n",
            args.iter().map(Val::display).collect::<Vec<_>>().join(" ")
        )),
        "printf" => Val::str(printf(&text(0), &args[1.min(args.len())..])),
        "indent" => Val::str(indent(as_int(&arg(0)), &last_text())),
        "nindent" => Val::str(format!("\n{}", indent(as_int(&arg(0)), &last_text()))),
        // Strings
        "trim" => Val::str(last_text().trim()),
        "trimSuffix" => Val::str(
            last_text()
                .strip_suffix(text(0).as_str())
                .map(str::to_owned)
                .unwrap_or_else(last_text),
        ),
        "trimPrefix" => Val::str(
            last_text()
                .strip_prefix(text(0).as_str())
                .map(str::to_owned)
                .unwrap_or_else(last_text),
        ),
        "trimAll" => Val::str(last_text().trim_matches(|c| text(0).contains(c))),
        "trunc" => Val::str(trunc(as_int(&arg(0)), &last_text())),
        "lower" => Val::str(last_text().to_lowercase()),
        "upper" => Val::str(last_text().to_uppercase()),
        "title" => Val::str(title(&last_text())),
        "replace" => Val::str(last_text().replace(&text(0), &text(1))),
        "contains" => Val::Bool(last_text().contains(&text(0))),
        "hasPrefix" => Val::Bool(last_text().starts_with(&text(0))),
        "hasSuffix" => Val::Bool(last_text().ends_with(&text(0))),
        "repeat" => Val::str(last_text().repeat(as_int(&arg(0)).clamp(0, 10_000) as usize)),
        "nospace" => Val::str(last_text().split_whitespace().collect::<String>()),
        "cat" => Val::str(
            args.iter()
                .filter(|v| !matches!(v, Val::Nil))
                .map(Val::display)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "substr" => Val::str(substr(as_int(&arg(0)), as_int(&arg(1)), &text(2))),
        "splitList" => Val::list(text(1).split(text(0).as_str()).map(Val::str).collect()),
        "split" => Val::map(
            text(1)
                .split(text(0).as_str())
                .enumerate()
                .map(|(i, s)| (format!("_{i}"), Val::str(s)))
                .collect(),
        ),
        "join" => Val::str(
            items(&arg(1))
                .iter()
                .map(Val::display)
                .collect::<Vec<_>>()
                .join(&text(0)),
        ),
        "toString" => Val::str(text(0)),
        "toStrings" => Val::list(
            items(&arg(0))
                .iter()
                .map(|v| Val::str(v.display()))
                .collect(),
        ),
        "b64enc" => Val::str(super::text::base64(text(0).as_bytes())),
        "sha256sum" => Val::str(super::text::sha256_hex(&text(0))),
        "regexFind" => Val::str(
            regex::Regex::new(&text(0))
                .ok()
                .and_then(|re| re.find(&text(1)).map(|m| m.as_str().to_owned()))
                .unwrap_or_default(),
        ),
        "regexFindAll" => Val::list(
            regex::Regex::new(&text(0))
                .map(|re| {
                    re.find_iter(&text(1))
                        .map(|m| Val::str(m.as_str()))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        "regexReplaceAllLiteral" => match regex::Regex::new(&text(0)) {
            Ok(re) => Val::str(
                re.replace_all(&text(1), regex::NoExpand(&text(2)))
                    .into_owned(),
            ),
            Err(_) => Val::unknown("a regular expression Go reads differently"),
        },
        "regexSplit" => Val::list(
            regex::Regex::new(&text(0))
                .map(|re| re.split(&text(1)).map(Val::str).collect())
                .unwrap_or_default(),
        ),
        "b64dec" => super::text::base64_decode(&text(0)).map_or_else(
            || Val::unknown("a `b64dec` of text that is not base64"),
            Val::str,
        ),
        "urlquery" => Val::str(
            percent_encoding::utf8_percent_encode(
                &sprint_all(&args),
                percent_encoding::NON_ALPHANUMERIC,
            )
            .to_string(),
        ),
        "camelcase" => Val::str(
            text(0)
                .split(['_', '-', ' '])
                .map(title_word)
                .collect::<String>(),
        ),
        "kebabcase" => Val::str(snake(&text(0), '-')),
        "snakecase" => Val::str(snake(&text(0), '_')),
        "base" => Val::str(text(0).rsplit('/').next().unwrap_or_default()),
        "dir" => Val::str(
            text(0)
                .rsplit_once('/')
                .map_or(".", |(d, _)| if d.is_empty() { "/" } else { d }),
        ),
        "ext" => Val::str(
            text(0)
                .rsplit('/')
                .next()
                .and_then(|n| n.rfind('.').map(|i| n[i..].to_owned()))
                .unwrap_or_default(),
        ),
        "clean" => Val::str(text(0)),
        "fromYamlArray" => super::yaml::from_yaml_array(&text(0)),
        "fromJsonArray" => serde_json::from_str::<serde_json::Value>(&text(0))
            .ok()
            .filter(|j| j.is_array())
            .map_or(Val::list(Vec::new()), |j| Val::from_json(&j)),
        "dig" => {
            // `dig "a" "b" default map`
            let (map, keys) = args
                .split_last()
                .map_or((Val::Nil, &[][..]), |(m, k)| (m.clone(), k));
            let (default, path) = keys
                .split_last()
                .map_or((Val::Nil, &[][..]), |(d, p)| (d.clone(), p));
            let mut value = map;
            for key in path {
                value = match &value {
                    Val::Map(m) => m.borrow().get(&key.display()).cloned().unwrap_or(Val::Nil),
                    _ => Val::Nil,
                };
            }
            if matches!(value, Val::Nil) {
                default
            } else {
                value
            }
        }
        "pluck" => {
            let key = text(0);
            Val::list(
                args[1.min(args.len())..]
                    .iter()
                    .filter_map(|m| match m {
                        Val::Map(m) => m.borrow().get(&key).cloned(),
                        _ => None,
                    })
                    .collect(),
            )
        }
        "deepEqual" => Val::Bool(arg(0).to_json(0) == arg(1).to_json(0)),
        "abbrev" => Val::str(trunc(as_int(&arg(0)), &text(1))),
        "splitn" => Val::map(
            text(2)
                .splitn(as_int(&arg(1)).clamp(1, 10_000) as usize, text(0).as_str())
                .enumerate()
                .map(|(i, s)| (format!("_{i}"), Val::str(s)))
                .collect(),
        ),
        "float" | "toDecimal" => Val::Float(as_float(&arg(0))),
        "floor" => Val::Float(as_float(&arg(0)).floor()),
        "ceil" => Val::Float(as_float(&arg(0)).ceil()),
        "round" => Val::Float(as_float(&arg(0)).round()),
        "addf" => Val::Float(args.iter().map(as_float).sum()),
        "subf" => Val::Float(as_float(&arg(0)) - as_float(&arg(1))),
        "mulf" => Val::Float(args.iter().map(as_float).product()),
        "divf" => Val::Float(as_float(&arg(0)) / as_float(&arg(1))),
        "seq" => Val::list(
            (1..=as_int(&arg(0)).clamp(0, 10_000))
                .map(|i| Val::str(i.to_string()))
                .collect(),
        ),
        "regexMatch" => {
            Val::Bool(regex::Regex::new(&text(0)).is_ok_and(|re| re.is_match(&text(1))))
        }
        "regexReplaceAll" => match regex::Regex::new(&text(0)) {
            Ok(re) => Val::str(re.replace_all(&text(1), text(2).as_str()).into_owned()),
            Err(_) => Val::unknown("a regular expression Go reads differently"),
        },
        "semverCompare" => super::text::semver_compare(&text(0), &text(1))
            .map_or_else(|| Val::unknown("a version constraint"), Val::Bool),
        // Logic and comparison
        "not" => arg(0).truth().map_or_else(|| arg(0), |t| Val::Bool(!t)),
        "eq" => {
            let first = arg(0);
            let mut any = Some(false);
            for other in &args[1.min(args.len())..] {
                match equal(&first, other) {
                    Some(true) => {
                        any = Some(true);
                        break;
                    }
                    Some(false) => {}
                    None => any = None,
                }
            }
            any.map_or_else(|| Val::unknown("a comparison"), Val::Bool)
        }
        "ne" => {
            equal(&arg(0), &arg(1)).map_or_else(|| Val::unknown("a comparison"), |e| Val::Bool(!e))
        }
        "lt" | "le" | "gt" | "ge" => compare(name, &arg(0), &arg(1)),
        "empty" => arg(0).truth().map_or_else(|| arg(0), |t| Val::Bool(!t)),
        "kindIs" => Val::Bool(arg(1).kind() == text(0)),
        "kindOf" => Val::str(arg(0).kind()),
        "typeIs" => Val::Bool(go_type(&arg(1)) == text(0)),
        "typeOf" => Val::str(go_type(&arg(0))),
        // Numbers
        "int" | "int64" | "atoi" => Val::Int(as_int(&arg(0))),
        "float64" => Val::Float(as_float(&arg(0))),
        "add" => Val::Int(args.iter().map(as_int).fold(0i64, i64::saturating_add)),
        "add1" => Val::Int(as_int(&arg(0)).saturating_add(1)),
        "sub" => Val::Int(as_int(&arg(0)).saturating_sub(as_int(&arg(1)))),
        "mul" => Val::Int(args.iter().map(as_int).fold(1i64, i64::saturating_mul)),
        "div" => as_int(&arg(0))
            .checked_div(as_int(&arg(1)))
            .map_or(Val::unknown("a division by zero"), Val::Int),
        "mod" => as_int(&arg(0))
            .checked_rem(as_int(&arg(1)))
            .map_or(Val::unknown("a division by zero"), Val::Int),
        "max" => Val::Int(args.iter().map(as_int).max().unwrap_or(0)),
        "min" => Val::Int(args.iter().map(as_int).min().unwrap_or(0)),
        "until" => Val::list(
            (0..as_int(&arg(0)).clamp(0, 10_000))
                .map(Val::Int)
                .collect(),
        ),
        // Lists
        "first" => items(&arg(0)).first().cloned().unwrap_or(Val::Nil),
        "last" => items(&arg(0)).last().cloned().unwrap_or(Val::Nil),
        "rest" => Val::list(items(&arg(0)).into_iter().skip(1).collect()),
        "initial" => {
            let mut all = items(&arg(0));
            all.pop();
            Val::list(all)
        }
        "append" | "push" => {
            let mut all = items(&arg(0));
            all.push(arg(1));
            Val::list(all)
        }
        "prepend" => {
            let mut all = vec![arg(1)];
            all.extend(items(&arg(0)));
            Val::list(all)
        }
        "concat" => Val::list(args.iter().flat_map(items).collect()),
        "has" => Val::Bool(
            items(&arg(1))
                .iter()
                .any(|v| equal(v, &arg(0)) == Some(true)),
        ),
        "compact" => Val::list(
            items(&arg(0))
                .into_iter()
                .filter(|v| v.truth() != Some(false))
                .collect(),
        ),
        "uniq" => {
            let mut seen: Vec<Val> = Vec::new();
            for v in items(&arg(0)) {
                if !seen.iter().any(|s| equal(s, &v) == Some(true)) {
                    seen.push(v);
                }
            }
            Val::list(seen)
        }
        "without" => Val::list(
            items(&arg(0))
                .into_iter()
                .filter(|v| !args[1..].iter().any(|w| equal(v, w) == Some(true)))
                .collect(),
        ),
        "sortAlpha" => {
            let mut all: Vec<String> = items(&arg(0)).iter().map(Val::display).collect();
            all.sort();
            Val::list(all.into_iter().map(Val::str).collect())
        }
        // Maps
        "hasKey" => match arg(0) {
            Val::Map(map) => Val::Bool(map.borrow().contains_key(&text(1))),
            unknown @ Val::Unknown(_) => unknown,
            _ => Val::Bool(false),
        },
        "get" => arg(0).field(&text(1)),
        "set" => {
            if let Val::Map(map) = arg(0) {
                map.borrow_mut().insert(text(1), arg(2));
            }
            arg(0)
        }
        "unset" => {
            if let Val::Map(map) = arg(0) {
                map.borrow_mut().remove(&text(1));
            }
            arg(0)
        }
        "keys" => Val::list(
            args.iter()
                .flat_map(|m| match m {
                    Val::Map(map) => map.borrow().keys().map(|k| Val::str(k.as_str())).collect(),
                    _ => Vec::new(),
                })
                .collect(),
        ),
        "values" => match arg(0) {
            Val::Map(map) => Val::list(map.borrow().values().cloned().collect()),
            _ => Val::list(Vec::new()),
        },
        "pick" | "omit" => match arg(0) {
            Val::Map(map) => {
                let names: Vec<String> = args[1..].iter().map(Val::display).collect();
                Val::map(
                    map.borrow()
                        .iter()
                        .filter(|(k, _)| names.contains(k) == (name == "pick"))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                )
            }
            _ => Val::map(BTreeMap::new()),
        },
        "merge" | "mergeOverwrite" => merge(&args, name == "mergeOverwrite"),
        "deepCopy" => arg(0).deep_copy(0),
        "index" => {
            let mut value = arg(0);
            for key in &args[1.min(args.len())..] {
                value = match (&value, key) {
                    (Val::List(items), Val::Int(i)) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| items.get(i).cloned())
                        .unwrap_or(Val::Nil),
                    (Val::Map(_), key) => value.field(&key.display()),
                    _ => Val::Nil,
                };
            }
            value
        }
        "len" => match arg(0) {
            Val::Str(s) => Val::Int(s.len() as i64),
            Val::List(items) => Val::Int(items.len() as i64),
            Val::Map(map) => Val::Int(map.borrow().len() as i64),
            unknown @ Val::Unknown(_) => unknown,
            _ => Val::Int(0),
        },
        // Install-time values: any text stands for them.
        "randAlphaNum" | "randAlpha" | "randNumeric" | "randAscii" | "uuidv4" | "htpasswd"
        | "derivePassword" | "genPrivateKey" | "encryptAES" | "bcrypt" => Val::str(GENERATED),
        "now" | "date" | "dateInZone" | "htmlDate" | "unixEpoch" => Val::str(GENERATED),
        "genCA" | "genSelfSignedCert" | "genSignedCert" | "buildCustomCert" => Val::map(
            [("Cert", GENERATED), ("Key", GENERATED)]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), Val::str(v)))
                .collect(),
        ),
        "lookup" => Val::unknown("`lookup` (what the cluster already holds)"),
        other => Val::unknown(format!(
            "the function `{other}`, which doublecheck does not evaluate"
        )),
    })
    .inspect(|value| r.note_unknown(value))
}

/// A method of Helm's built-in objects called with `args`.
pub fn method(method: &str, args: &[Val]) -> Val {
    match method {
        "APIVersions.Has" => match args.first() {
            Some(Val::Str(version)) => Val::Bool(super::chart::api_version_available(version)),
            _ => Val::Bool(false),
        },
        _ => Val::unknown("`.Files` (the chart's other files)"),
    }
}

fn default(args: Vec<Val>) -> Val {
    let given = args.get(1).cloned().unwrap_or(Val::Nil);
    match given.truth() {
        Some(true) => given,
        Some(false) => args.into_iter().next().unwrap_or(Val::Nil),
        None => given,
    }
}

fn items(value: &Val) -> Vec<Val> {
    match value {
        Val::List(items) => items.as_ref().clone(),
        _ => Vec::new(),
    }
}

pub fn as_int(value: &Val) -> i64 {
    match value {
        Val::Int(i) => *i,
        Val::Float(f) => *f as i64,
        Val::Bool(b) => i64::from(*b),
        Val::Str(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

fn as_float(value: &Val) -> f64 {
    match value {
        Val::Int(i) => *i as f64,
        Val::Float(f) => *f,
        Val::Str(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn compare(name: &str, a: &Val, b: &Val) -> Val {
    let ordering = match (a, b) {
        (Val::Str(x), Val::Str(y)) => x.cmp(y),
        (Val::Int(_) | Val::Float(_), Val::Int(_) | Val::Float(_)) => as_float(a)
            .partial_cmp(&as_float(b))
            .unwrap_or(std::cmp::Ordering::Equal),
        _ => return Val::unknown("a comparison of different kinds"),
    };
    Val::Bool(match name {
        "lt" => ordering.is_lt(),
        "le" => ordering.is_le(),
        "gt" => ordering.is_gt(),
        _ => ordering.is_ge(),
    })
}

fn go_type(value: &Val) -> &'static str {
    match value {
        Val::Str(_) => "string",
        Val::Int(_) => "int64",
        Val::Float(_) => "float64",
        Val::Bool(_) => "bool",
        Val::List(_) => "[]interface {}",
        Val::Map(_) => "map[string]interface {}",
        _ => "<nil>",
    }
}

fn indent(spaces: i64, text: &str) -> String {
    let pad = " ".repeat(spaces.clamp(0, 1000) as usize);
    text.split('\n')
        .map(|line| format!("{pad}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn trunc(n: i64, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len() as i64;
    if n >= 0 {
        chars[..n.min(len) as usize].iter().collect()
    } else {
        chars[(len + n).max(0) as usize..].iter().collect()
    }
}

fn substr(start: i64, end: i64, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len() as i64;
    let start = start.clamp(0, len) as usize;
    let end = if end < 0 { len } else { end.min(len) } as usize;
    chars
        .get(start..end.max(start))
        .map(|c| c.iter().collect())
        .unwrap_or_default()
}

fn sprint_all(args: &[Val]) -> String {
    super::text::sprint(args)
}

fn title_word(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `camelCase` to `camel_case` (or `camel-case`).
fn snake(text: &str, separator: char) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in text.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push(separator);
            }
            out.extend(c.to_lowercase());
        } else if c == '_' || c == '-' || c == ' ' {
            out.push(separator);
        } else {
            out.push(c);
        }
    }
    out
}

fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for c in text.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace();
    }
    out
}

/// Sprig's `merge` (the first map wins) and `mergeOverwrite` (the later maps win): deep,
/// into the first map, which is changed and returned.
fn merge(args: &[Val], overwrite: bool) -> Val {
    if let Some(unknown) = Val::first_unknown(args) {
        return unknown;
    }
    let Some(Val::Map(target)) = args.first() else {
        return Val::Nil;
    };
    for source in &args[1..] {
        if let Val::Map(source) = source {
            if std::rc::Rc::ptr_eq(target, source) {
                continue;
            }
            let source = source.borrow().clone();
            merge_into(&mut target.borrow_mut(), &source, overwrite, 0);
        }
    }
    Val::Map(target.clone())
}

pub fn merge_into(
    target: &mut BTreeMap<String, Val>,
    source: &BTreeMap<String, Val>,
    overwrite: bool,
    depth: usize,
) {
    if depth > crate::parse::MAX_DEPTH {
        return;
    }
    for (key, value) in source {
        match (target.get(key), value) {
            (Some(Val::Map(inner)), Val::Map(from)) if !std::rc::Rc::ptr_eq(inner, from) => {
                let from = from.borrow().clone();
                merge_into(&mut inner.borrow_mut(), &from, overwrite, depth + 1);
            }
            (Some(existing), _) if !overwrite && !matches!(existing, Val::Nil) => {}
            _ => {
                target.insert(key.clone(), value.deep_copy(0));
            }
        }
    }
}
