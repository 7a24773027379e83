//! Duplicate keys inside an HCL object expression, which Terraform accepts (the last value
//! wins: `tags = { Service = "a", Service = "b" }` is `{Service = "b"}`) and `hcl-edit`
//! refuses ("expected unique object key"). Duplicate *attributes* of a block are another
//! error of `hcl-edit`'s, which Terraform refuses too, and stay one.
//!
//! `hcl-edit` has no option to accept them, so the refused key is renamed in a copy of the
//! text to a placeholder of the same length (ASCII, so every byte offset stays where it
//! was), the copy is parsed again, and the lowering gives each renamed key its name back
//! (see [`Renamed`]). A key is renamed only when its name can be read from the text alone:
//! an identifier, or a quoted string with no escape or template sequence.

use hcl_edit::structure::Body;

/// What `hcl-edit` says about a key an object expression already has.
const REDEFINED_OBJECT_KEY: &str = "expected unique object key";

/// Repairs tried on one file before its error stands.
const MAX_REPAIRS: usize = 1_000;

/// Text parsed again, over all repairs of one file, before its error stands: a large file
/// with many repeated keys is not parsed a thousand times.
const MAX_REPARSED_BYTES: usize = 256 << 20;

/// Placeholders tried for one key before its error stands.
const MAX_PLACEHOLDERS: usize = 200;

/// Keys renamed in the parsed copy: the byte offset where each key starts (its opening
/// quote for a quoted key) and the name the file gives it.
#[derive(Debug, Default)]
pub struct Renamed(Vec<(usize, String)>);

impl Renamed {
    /// The name the file gives the object key starting at `offset`, when it was renamed.
    pub(super) fn name_at(&self, offset: usize) -> Option<&str> {
        self.0
            .iter()
            .find(|(at, _)| *at == offset)
            .map(|(_, name)| name.as_str())
    }
}

/// Parses `text`, renaming repeated object keys as `hcl-edit` reports them. A key that
/// cannot be renamed leaves the first error `hcl-edit` gave; another error found once the
/// keys are renamed is the file's own (an unclosed brace), at the same place in `text`.
pub(super) fn parse_body(text: &str) -> Result<(Body, Renamed), hcl_edit::parser::Error> {
    let first = match hcl_edit::parser::parse_body(text) {
        Ok(body) => return Ok((body, Renamed::default())),
        Err(error) => error,
    };
    let mut repaired = text.to_owned();
    let mut renamed = Renamed::default();
    // Placeholders tried at each offset: one that collides with another key of the object
    // is refused at the same place again, and the next one is tried.
    let mut attempts: Vec<(usize, usize)> = Vec::new();
    let mut error = first.clone();
    let repairs = MAX_REPAIRS.min(MAX_REPARSED_BYTES / text.len().max(1));
    for _ in 0..repairs {
        if !error.message().contains(REDEFINED_OBJECT_KEY) {
            return Err(error);
        }
        let at = error.location().offset();
        let Some(key) = key_at(text, at) else {
            return Err(first);
        };
        let attempt = match attempts.iter_mut().find(|(offset, _)| *offset == at) {
            Some((_, tried)) => {
                *tried += 1;
                *tried
            }
            None => {
                attempts.push((at, 0));
                renamed.0.push((at, key.name.to_owned()));
                0
            }
        };
        let placeholder = (attempt < MAX_PLACEHOLDERS)
            .then(|| placeholder(key.name.len(), key.quoted, attempt))
            .flatten();
        let Some(placeholder) = placeholder else {
            return Err(first);
        };
        repaired.replace_range(
            key.name_start..key.name_start + key.name.len(),
            &placeholder,
        );
        match hcl_edit::parser::parse_body(&repaired) {
            Ok(body) => return Ok((body, renamed)),
            Err(next) => error = next,
        }
    }
    Err(first)
}

/// An object key as the file writes it.
struct Key<'t> {
    /// Where its name starts (past the opening quote of a quoted key).
    name_start: usize,
    name: &'t str,
    quoted: bool,
}

/// The identifier or plain quoted string starting at byte `at` of `text`.
fn key_at(text: &str, at: usize) -> Option<Key<'_>> {
    let rest = text.get(at..)?;
    if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted.find(['"', '\n'])?;
        let name = &quoted[..end];
        let plain = quoted[end..].starts_with('"')
            && !name.contains('\\')
            && !name.contains("${")
            && !name.contains("%{");
        return (plain && !name.is_empty()).then_some(Key {
            name_start: at + 1,
            name,
            quoted: true,
        });
    }
    let first = rest.chars().next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    Some(Key {
        name_start: at,
        name: &rest[..end],
        quoted: false,
    })
}

/// The `attempt`th placeholder of `len` bytes, letters only; an identifier is never a
/// keyword.
fn placeholder(len: usize, quoted: bool, attempt: usize) -> Option<String> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut digits = Vec::with_capacity(len);
    let mut n = attempt;
    for _ in 0..len {
        digits.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
    }
    if n > 0 {
        return None;
    }
    let name = String::from_utf8(digits).ok()?;
    let keyword = matches!(
        name.as_str(),
        "null" | "true" | "false" | "for" | "in" | "if"
    );
    if keyword && !quoted {
        // Another name of the same length, past every attempt that is counted.
        return placeholder(len, quoted, attempt + MAX_PLACEHOLDERS);
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SourceFile;
    use serde_json::json;

    fn lower(text: &str) -> Result<crate::parse::ParsedDocument, crate::parse::ParseError> {
        super::super::parse(&SourceFile::new("main.tf", text.to_owned()))
    }

    /// The source text of the value at `pointer`.
    fn located<'t>(doc: &crate::parse::ParsedDocument, text: &'t str, pointer: &str) -> &'t str {
        let spans = doc.spans.get(pointer).expect("located");
        &text[spans.value.start..spans.value.end]
    }

    #[test]
    fn the_last_of_repeated_object_keys_wins_where_it_is_written() {
        let text = "resource \"aws_instance\" \"web\" {\n  tags = { Service = \"a\", Service = \"b\" }\n  labels = {\n    \"team\" = { x = 1 }\n    team = \"ops\"\n    \"team\" = { y = 2 }\n  }\n}\n";
        let doc = lower(text).expect("parses");
        assert_eq!(
            doc.value,
            json!({"resource": {"aws_instance": {"web": {
                "tags": {"Service": "b"},
                "labels": {"team": {"y": 2}},
            }}}})
        );
        let tags = "/resource/aws_instance/web/tags";
        assert_eq!(located(&doc, text, &format!("{tags}/Service")), "\"b\"");
        let key = doc
            .spans
            .get(&format!("{tags}/Service"))
            .and_then(|s| s.key);
        assert_eq!(key.map(|k| k.start), text.find("Service = \"b\""));
        let team = "/resource/aws_instance/web/labels/team";
        assert_eq!(located(&doc, text, &format!("{team}/y")), "2");
        assert!(doc.spans.get(&format!("{team}/x")).is_none());
    }

    #[test]
    fn a_placeholder_that_collides_with_another_key_is_replaced() {
        // `aaa` is the first placeholder of three letters: it must not swallow the real one.
        let text = "x = { abc = 1, aaa = 2, abc = 3, aaa = 4 }\n";
        let doc = lower(text).expect("parses");
        assert_eq!(doc.value, json!({"x": {"abc": 3, "aaa": 4}}));
        assert_eq!(located(&doc, text, "/x/abc"), "3");
        assert_eq!(located(&doc, text, "/x/aaa"), "4");
        let text = "x = { a = 1, a = 2, a = 3 }\n";
        let doc = lower(text).expect("parses");
        assert_eq!(doc.value, json!({"x": {"a": 3}}));
        assert_eq!(located(&doc, text, "/x/a"), "3");
    }

    #[test]
    fn repeated_block_attributes_stay_an_error() {
        let error = lower("resource \"a\" \"b\" {\n  name = 1\n  name = 2\n}\n")
            .expect_err("Terraform refuses it too");
        assert!(
            error.message.contains("redefined attribute"),
            "{}",
            error.message
        );
        let error = lower("x = { \"${var.k}\" = 1, \"${var.k}\" = 2 }\n").expect_err("not renamed");
        assert!(
            error.message.contains("unique object key"),
            "{}",
            error.message
        );
        // Past the repeated key, the file's own error, as without one.
        let unclosed = |text: &str| lower(text).expect_err("unclosed").message;
        assert_eq!(
            unclosed("x = { a = 1, a = 2\n"),
            unclosed("x = { a = 1, b = 2\n")
        );
    }

    #[test]
    fn keys_are_read_from_the_text() {
        let key = key_at("{ Service = 1 }", 2).expect("an identifier");
        assert_eq!(
            (key.name, key.name_start, key.quoted),
            ("Service", 2, false)
        );
        let key = key_at(r#"{ "a b" = 1 }"#, 2).expect("a quoted key");
        assert_eq!((key.name, key.name_start, key.quoted), ("a b", 3, true));
        assert!(key_at(r#"{ "a\"b" = 1 }"#, 2).is_none());
        assert!(key_at(r#"{ "${var.x}" = 1 }"#, 2).is_none());
        assert!(key_at(r#"{ "" = 1 }"#, 2).is_none());
        assert!(key_at("{ (var.x) = 1 }", 2).is_none());
    }

    #[test]
    fn placeholders_keep_the_length_and_avoid_keywords() {
        assert_eq!(placeholder(3, false, 0).as_deref(), Some("aaa"));
        assert_eq!(placeholder(1, false, 51).as_deref(), Some("Z"));
        assert_eq!(placeholder(1, false, 52), None);
        let in_attempt = 8 + 13 * 52;
        assert_eq!(placeholder(2, true, in_attempt).as_deref(), Some("in"));
        let other = placeholder(2, false, in_attempt).expect("another name");
        assert_eq!(other.len(), 2);
        assert_ne!(other, "in");
    }
}
