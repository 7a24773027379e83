//! The functions Helm templates call: Go's built-ins, the Sprig functions charts use, and
//! Helm's own (`include`, `tpl`, `required`, `toYaml`, `lookup`). A function that needs the
//! cluster or the chart's other files gives an unknown value; one this file does not know
//! gives an unknown value that the chart's note names.

use std::collections::BTreeMap;

use super::render::{Halt, Renderer};
use super::text::{printf, quote, sprint};
use super::value::{Val, equal};
use super::yaml::{from_yaml, to_yaml};
use super::{collections, strings};

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
        "toYaml" | "toJson" | "toPrettyJson" | "toRawJson" | "empty" | "set" | "unset" | "len" => {}
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
        "indent" => Val::str(strings::indent(as_int(&arg(0)), &last_text())),
        "nindent" => Val::str(format!(
            "\n{}",
            strings::indent(as_int(&arg(0)), &last_text())
        )),
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
        other => strings::call(other, &args)
            .or_else(|| collections::call(other, &args))
            .unwrap_or_else(|| {
                Val::unknown(format!(
                    "the function `{other}`, which doublecheck does not evaluate"
                ))
            }),
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

pub fn as_int(value: &Val) -> i64 {
    match value {
        Val::Int(i) => *i,
        Val::Float(f) => *f as i64,
        Val::Bool(b) => i64::from(*b),
        Val::Str(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

pub fn as_float(value: &Val) -> f64 {
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
