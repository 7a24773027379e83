//! Go's formatting of values (`printf`, `print`, `%q`) and the encodings charts apply to
//! text (`b64enc`, `sha256sum`), and Helm's version constraints (`semverCompare`).

use std::fmt::Write;

use sha2::{Digest, Sha256};

use super::value::{Val, format_float};

/// Go's `%q` of a string: double-quoted with Go's escapes (valid YAML too).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `fmt.Sprint`: a space between operands when neither is a string.
pub fn sprint(args: &[Val]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 && !matches!(arg, Val::Str(_)) && !matches!(args[i - 1], Val::Str(_)) {
            out.push(' ');
        }
        out.push_str(&arg.display());
    }
    out
}

/// Go's `fmt.Sprintf` for the verbs charts use: `%s %v %d %q %t %f %x %%`, with widths.
pub fn printf(format: &str, args: &[Val]) -> String {
    let mut out = String::with_capacity(format.len());
    let mut args = args.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if f.is_ascii_digit() || matches!(f, '-' | '+' | '.' | ' ' | '#' | '0') {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.next() else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        let text = match verb {
            'q' => quote(&arg.display()),
            'd' => super::functions::as_int(arg).to_string(),
            'f' | 'g' | 'e' => match arg {
                Val::Int(i) => format_float(*i as f64),
                Val::Float(f) => format_float(*f),
                other => other.display(),
            },
            'x' => match arg {
                Val::Int(i) => format!("{i:x}"),
                other => other
                    .display()
                    .bytes()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
            },
            _ => arg.display(),
        };
        let width: usize = flags
            .trim_start_matches(['-', '+', ' ', '#', '0'])
            .split('.')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0)
            .min(1000);
        if flags.starts_with('-') {
            let _ = write!(out, "{text:<width$}");
        } else {
            let _ = write!(out, "{text:>width$}");
        }
    }
    out
}

pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn base64_decode(text: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(bytes).ok()
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `version` meets `constraint` (`>=1.19-0`, `<1.25.0`, `^1.2`, `~1.2`, several
/// joined by `,` or spaces, alternatives by `||`); `None` when it cannot be read.
pub fn semver_compare(constraint: &str, version: &str) -> Option<bool> {
    let version = parse_version(version)?;
    let mut any = false;
    for alternative in constraint.split("||") {
        let mut all = true;
        // `>= 1.19-0` is `>=1.19-0`: an operator alone joins the version after it.
        let mut parts: Vec<String> = Vec::new();
        for word in alternative
            .split([',', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match parts.last_mut() {
                Some(last) if last.chars().all(|c| "<>=!^~".contains(c)) => last.push_str(word),
                _ => parts.push(word.to_owned()),
            }
        }
        for part in &parts {
            let (op, rest) = match part.find(|c: char| c.is_ascii_digit() || c == 'v') {
                Some(at) => part.split_at(at),
                None => return None,
            };
            let bound = parse_version(rest)?;
            let ok = match op.trim() {
                ">=" => version >= bound,
                ">" => version > bound,
                "<=" => version <= bound,
                "<" => version < bound,
                "=" | "" => version == bound,
                "!=" => version != bound,
                "^" => version >= bound && version.0 == bound.0,
                "~" => version >= bound && version.0 == bound.0 && version.1 == bound.1,
                _ => return None,
            };
            all &= ok;
        }
        any |= all;
    }
    Some(any)
}

fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let core = text.trim().trim_start_matches('v');
    let core = core.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>());
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    Some((major, minor, patch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_go_does() {
        let args = [
            Val::str("web"),
            Val::Int(8080),
            Val::Bool(true),
            Val::str("web"),
        ];
        assert_eq!(printf("%s-%d:%v %q %%", &args), "web-8080:true \"web\" %");
        assert_eq!(printf("%s", &[]), "%!s(MISSING)");
        assert_eq!(sprint(&[Val::str("a"), Val::Int(1), Val::Int(2)]), "a1 2");
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some("hello"));
    }

    #[test]
    fn version_constraints() {
        assert_eq!(semver_compare(">=1.19-0", "v1.31.0"), Some(true));
        assert_eq!(semver_compare("<1.19-0", "v1.31.0"), Some(false));
        assert_eq!(semver_compare(">=1.16-0, <1.19-0", "1.17.3"), Some(true));
        assert_eq!(semver_compare(">= 1.19-0", "v1.31.0"), Some(true));
        assert_eq!(semver_compare("nonsense", "1.0"), None);
    }
}
