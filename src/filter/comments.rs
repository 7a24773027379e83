//! Finds the comments of a file that hold a `doublecheck:ignore` marker, format by format, so
//! a marker inside a string value never counts.
//!
//! - XML: roxmltree's comment nodes (exact).
//! - JSON with comments, Apex: a small lexer that skips string literals (`"…"`, `'…'`).
//! - YAML, HCL: openers (`#`; HCL also `//` and `/* … */`) outside every scalar, key and
//!   label span the parser recorded, so quoted, plain, block and heredoc strings and HCL
//!   expressions kept as text never count.
//! - CODEOWNERS: `#` at the start of a line or of a token, as the parser reads it.

pub use crate::parse::Comment;
use crate::parse::{Format, ParsedDocument};

/// The text that makes a comment a suppression.
pub const MARKER: &str = "doublecheck:ignore";

/// The comments of `text` that hold [`MARKER`]; `parsed` are the file's documents (for the
/// spans of string values). Cheap when the marker is absent, as in most files.
pub fn marked_comments(format: Format, text: &str, parsed: &[ParsedDocument]) -> Vec<Comment> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let comments = format.comments(text, parsed);
    comments
        .into_iter()
        .filter(|c| text[c.body.start..c.body.end].contains(MARKER))
        .map(|c| Comment {
            own_line: own_line(text, c.span.start),
            ..c
        })
        .collect()
}

/// Whether only spaces stand between the line's start and `at`.
fn own_line(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at]
        .trim_start_matches('\u{feff}')
        .chars()
        .all(|c| c == ' ' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SourceFile;
    use crate::parse::parse;

    /// The bodies of the marked comments of `text` read as `format`, with their own-line flag.
    fn bodies(format: Format, text: &str) -> Vec<(String, bool)> {
        let source = SourceFile::new("t", text.to_owned());
        let parsed = parse(format, &source).expect("the sample parses");
        marked_comments(format, text, &parsed)
            .into_iter()
            .map(|c| (text[c.body.start..c.body.end].trim().to_owned(), c.own_line))
            .collect()
    }

    fn one(body: &str, own_line: bool) -> Vec<(String, bool)> {
        vec![(body.to_owned(), own_line)]
    }

    #[test]
    fn files_without_the_marker_cost_nothing() {
        assert!(marked_comments(Format::YAML, "a: 1 # hi\n", &[]).is_empty());
    }

    /// A quoted scalar with an anchor or a tag ends at its closing quote too: the comment
    /// after it counts.
    #[test]
    fn yaml_comments_after_anchored_and_tagged_quoted_scalars() {
        let text = "a: &x \"v\" # doublecheck:ignore A reason=\"r\"\n\
                    b: !secret \"w # x\" # doublecheck:ignore B reason=\"r\"\n\
                    c: &y !z 'it''s' # doublecheck:ignore C reason=\"r\"\n";
        assert_eq!(
            bodies(Format::YAML, text),
            [
                ("doublecheck:ignore A reason=\"r\"".to_owned(), false),
                ("doublecheck:ignore B reason=\"r\"".to_owned(), false),
                ("doublecheck:ignore C reason=\"r\"".to_owned(), false),
            ]
        );
    }

    #[test]
    fn yaml_comments_but_not_strings() {
        let text = "a: \"doublecheck:ignore X\"  # doublecheck:ignore A reason=\"r # s\"\n\
                    # doublecheck:ignore B\n\
                    b: 'x # doublecheck:ignore C'\n\
                    c: plain#doublecheck:ignore D\n\
                    d: |\n  # doublecheck:ignore E\n  more\n\
                    e: [\"# doublecheck:ignore F\"]\n";
        assert_eq!(
            bodies(Format::YAML, text),
            [
                ("doublecheck:ignore A reason=\"r # s\"".to_owned(), false),
                ("doublecheck:ignore B".to_owned(), true),
            ]
        );
    }

    #[test]
    fn hcl_hash_slashes_and_blocks_but_not_strings_or_heredocs() {
        let text = "resource \"a\" \"b\" {\n\
                    \x20 source = \"git::https://x/#doublecheck:ignore S\" // doublecheck:ignore A\n\
                    \x20 # doublecheck:ignore B\n\
                    \x20 acl = \"x\" /* doublecheck:ignore C */\n\
                    \x20 policy = <<EOT\n# doublecheck:ignore H\nEOT\n\
                    \x20 expr = format(\"// doublecheck:ignore F\", var.x)\n\
                    }\n";
        assert_eq!(
            bodies(Format::HCL, text),
            [
                ("doublecheck:ignore A".to_owned(), false),
                ("doublecheck:ignore B".to_owned(), true),
                ("doublecheck:ignore C".to_owned(), false),
            ]
        );
    }

    #[test]
    fn xml_comment_nodes_only() {
        let text = "<Profile>\n  <!-- doublecheck:ignore A reason=\"r\" -->\n  <description>&lt;!-- doublecheck:ignore B --&gt;</description>\n  <label><![CDATA[<!-- doublecheck:ignore C -->]]></label>\n</Profile>\n";
        assert_eq!(
            bodies(Format::XML, text),
            one("doublecheck:ignore A reason=\"r\"", true)
        );
    }

    #[test]
    fn json_and_apex_comments_skip_strings() {
        let json = "{\n  \"a\": \"// doublecheck:ignore S\", // doublecheck:ignore A\n  /* doublecheck:ignore B */ \"b\": 1\n}\n";
        assert_eq!(
            bodies(Format::JSON, json),
            [
                ("doublecheck:ignore A".to_owned(), false),
                ("doublecheck:ignore B".to_owned(), true),
            ]
        );
        let apex = "public class A {\n  String s = '// doublecheck:ignore S \\' x';\n  // doublecheck:ignore B\n}\n";
        assert_eq!(
            bodies(Format::APEX_CLASS, apex),
            one("doublecheck:ignore B", true)
        );
    }

    #[test]
    fn codeowners_comments_start_a_token() {
        let text = "docs/\\#doublecheck:ignore @a\n* @b # doublecheck:ignore A\n";
        assert_eq!(
            bodies(Format::CODEOWNERS, text),
            one("doublecheck:ignore A", false)
        );
    }
}
