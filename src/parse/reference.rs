//! Reference parsers: for each format a dependency also reads, that crate's plainest pass
//! over a file's text, locating nothing for policies and lowering nothing. `scan
//! --parse-rates` times each beside our parser of the format, to see what our spans and
//! lowering cost over the parsing itself; nothing else uses them.

use std::hint::black_box;

use sqlparser::dialect::PostgreSqlDialect;

use super::Format;

/// A crate's pass over one format's text.
#[derive(Clone, Copy)]
pub struct Reference {
    /// What is run, as the crate names it.
    pub name: &'static str,
    pass: fn(&str) -> Result<(), String>,
}

impl Reference {
    /// The reference parser of `format`, when a dependency reads that format.
    pub fn of(format: Format) -> Option<Reference> {
        REFERENCES
            .iter()
            .find(|(of, _)| *of == format)
            .map(|(_, reference)| *reference)
    }

    /// Reads `text` and drops what was built; the error in the crate's words.
    pub fn parse(&self, text: &str) -> Result<(), String> {
        (self.pass)(text)
    }
}

const REFERENCES: &[(Format, Reference)] = &[
    (
        Format::JSON,
        Reference {
            name: "serde_json::from_str::<Value>",
            pass: json,
        },
    ),
    (
        Format::YAML,
        Reference {
            name: "saphyr_parser::Parser events",
            pass: yaml_events,
        },
    ),
    (
        Format::XML,
        Reference {
            name: "roxmltree::Document::parse",
            pass: xml,
        },
    ),
    (
        Format::HCL,
        Reference {
            name: "hcl_edit::parser::parse_body",
            pass: hcl,
        },
    ),
    (
        Format::SQL,
        Reference {
            name: "sqlparser, PostgreSQL, whole text",
            pass: sql,
        },
    ),
    // Without the crate's `serde` feature, the spanned table is the one parse `toml` offers.
    (
        Format::TOML,
        Reference {
            name: "toml::de::DeTable::parse",
            pass: toml,
        },
    ),
];

fn json(text: &str) -> Result<(), String> {
    // Our JSON parser skips a byte-order mark, which serde_json refuses.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    black_box(value);
    Ok(())
}

/// Every event of the stream, none of them kept: the scanning and parsing our YAML parser's
/// tree is built from.
fn yaml_events(text: &str) -> Result<(), String> {
    for event in saphyr_parser::Parser::new_from_str(text) {
        black_box(event.map_err(|e| e.to_string())?);
    }
    Ok(())
}

fn xml(text: &str) -> Result<(), String> {
    let document = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    black_box(document);
    Ok(())
}

fn hcl(text: &str) -> Result<(), String> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| e.to_string())?;
    black_box(body);
    Ok(())
}

/// The whole text at once, with the nesting limit our SQL parser gives each statement:
/// `sqlparser` stops at the text's first error, where ours splits the statements first and
/// keeps those it cannot read.
fn sql(text: &str) -> Result<(), String> {
    let statements = sqlparser::parser::Parser::new(&PostgreSqlDialect {})
        .with_recursion_limit(super::sql::RECURSION_LIMIT)
        .try_with_sql(text)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|e| e.to_string())?;
    black_box(statements);
    Ok(())
}

fn toml(text: &str) -> Result<(), String> {
    let table = ::toml::de::DeTable::parse(text).map_err(|e| e.message().to_owned())?;
    black_box(table);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each reference reads a small valid file of its format and refuses a broken one.
    #[test]
    fn each_reference_accepts_its_format_and_refuses_a_broken_file() {
        let cases = [
            (Format::JSON, "\u{feff}{\"a\": [1, 2.5, null]}", "{\"a\": }"),
            (Format::YAML, "a: [1, 2]\nb: {c: d}\n---\ne\n", "a: [1, 2\n"),
            (
                Format::XML,
                "<?xml version=\"1.0\"?><Profile><custom>true</custom></Profile>",
                "<Profile><custom>true</Profile>",
            ),
            (
                Format::HCL,
                "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"private\"\n}\n",
                "resource \"aws_s3_bucket\" \"b\" {\n  acl = \n",
            ),
            (
                Format::SQL,
                "create table t (id int);\nalter table t enable row level security;\n",
                "create tabel t (id int);\n",
            ),
            (
                Format::TOML,
                "project_id = \"x\"\n[api]\nport = 54321\n",
                "[api\n",
            ),
        ];
        for (format, valid, broken) in cases {
            let reference = Reference::of(format).expect("a reference");
            assert_eq!(reference.parse(valid), Ok(()), "{format:?}");
            let error = reference.parse(broken).expect_err("broken");
            assert!(!error.is_empty(), "{format:?}: an error in words");
        }
    }

    #[test]
    fn formats_no_crate_reads_have_none() {
        for format in [
            Format::FIREBASE_RULES,
            Format::APEX_CLASS,
            Format::VISUALFORCE,
            Format::CODEOWNERS,
            Format::DECAP_JS,
            Format::TEMPLATE_TEXT,
        ] {
            assert!(Reference::of(format).is_none(), "{format:?}");
        }
    }
}
