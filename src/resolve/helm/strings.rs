//! Sprig's string functions, as charts call them (the string last, so it can be piped).

use super::collections::items;
use super::functions::{as_float, as_int};
use super::value::Val;

/// The string function `name` applied to `args`; `None` when it is not one.
pub fn call(name: &str, args: &[Val]) -> Option<Val> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Nil);
    let text = |i: usize| args.get(i).map(Val::display).unwrap_or_default();
    let last_text = || args.last().map(Val::display).unwrap_or_default();
    Some(match name {
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
                &sprint_all(args),
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
        "untitle" => Val::str(
            text(0)
                .split(' ')
                .map(|word| {
                    let mut chars = word.chars();
                    chars.next().map_or_else(String::new, |first| {
                        first.to_lowercase().chain(chars).collect()
                    })
                })
                .collect::<Vec<_>>()
                .join(" "),
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
        _ => return None,
    })
}

pub fn indent(spaces: i64, text: &str) -> String {
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
