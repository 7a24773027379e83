//! Typing of untyped scalar text, shared by the formats that have it (YAML plain scalars,
//! XML element text).
//!
//! `build.rs` compiles this file too (to convert the built-in policies to JSON exactly as
//! the YAML parser types them): it must use nothing but `serde_json`.

use serde_json::{Number, Value};

/// YAML 1.2 core schema resolution of a plain (unquoted) scalar. `yes`, `on` and friends
/// stay strings, as in YAML 1.2; infinities and NaN have no JSON form and stay strings too.
pub fn yaml_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(number) = yaml_number(text) {
        return Value::Number(number);
    }
    Value::String(text.to_owned())
}

fn yaml_number(text: &str) -> Option<Number> {
    let first = text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    let unsigned = text.trim_start_matches(['-', '+']);
    if let Some(hex) = unsigned.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|n| signed(text, n));
    }
    if let Some(oct) = unsigned.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(|n| signed(text, n));
    }
    if unsigned.bytes().all(|b| b.is_ascii_digit()) && !unsigned.is_empty() {
        return text
            .trim_start_matches('+')
            .parse::<i64>()
            .ok()
            .map(Number::from);
    }
    let looks_float = unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && unsigned.bytes().any(|b| b.is_ascii_digit());
    if looks_float {
        return text
            .trim_start_matches('+')
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64);
    }
    None
}

fn signed(text: &str, n: i64) -> Number {
    Number::from(if text.starts_with('-') { -n } else { n })
}

/// Typing of XML element text: `true`/`false` become booleans and plain decimal numbers
/// become numbers, so that a policy's `const: false` or `minimum: 8` means what it says on
/// Salesforce metadata (typed `xsd:boolean` / `xsd:int` / `xsd:double` by its WSDL).
/// Anything else, including numbers with leading zeros, stays a string.
pub fn xml_text(text: &str) -> Value {
    match text {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        _ => {}
    }
    if is_plain_decimal(text) {
        let parsed = if text.contains('.') {
            text.parse::<f64>().ok().and_then(Number::from_f64)
        } else {
            text.parse::<i64>().ok().map(Number::from)
        };
        if let Some(n) = parsed {
            return Value::Number(n);
        }
    }
    Value::String(text.to_owned())
}

fn is_plain_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let int_ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && int.len() <= 15;
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    int_ok && frac_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_core_schema() {
        assert_eq!(yaml_plain("true"), json!(true));
        assert_eq!(yaml_plain("yes"), json!("yes"));
        assert_eq!(yaml_plain("on"), json!("on"));
        assert_eq!(yaml_plain("~"), json!(null));
        assert_eq!(yaml_plain("42"), json!(42));
        assert_eq!(yaml_plain("-0x1A"), json!(-26));
        assert_eq!(yaml_plain("0o17"), json!(15));
        assert_eq!(yaml_plain("1.5e3"), json!(1500.0));
        assert_eq!(yaml_plain(".inf"), json!(".inf"));
        assert_eq!(yaml_plain("0.0.0.0/0"), json!("0.0.0.0/0"));
        assert_eq!(yaml_plain("1-2"), json!("1-2"));
    }

    #[test]
    fn xml_typing() {
        assert_eq!(xml_text("true"), json!(true));
        assert_eq!(xml_text("True"), json!("True"));
        assert_eq!(xml_text("58.0"), json!(58.0));
        assert_eq!(xml_text("8"), json!(8));
        assert_eq!(xml_text("007"), json!("007"));
        assert_eq!(xml_text("1."), json!("1."));
        assert_eq!(xml_text("Guest User License"), json!("Guest User License"));
    }
}
