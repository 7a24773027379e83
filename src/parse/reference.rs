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
    /// For a format our parser reads piece by piece, keeping the pieces it cannot read (SQL's
    /// statements), the pieces of a text: what the reference reads one at a time when it
    /// refuses the whole text, since it stops at the first piece it cannot read.
    pieces: Option<fn(&str) -> Vec<&str>>,
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

    /// The pieces of `text` to read one at a time when [`Reference::parse`] refuses it whole,
    /// for a format our parser reads piece by piece; `None` for the others.
    pub fn pieces<'t>(&self, text: &'t str) -> Option<Vec<&'t str>> {
        self.pieces.map(|pieces| pieces(text))
    }
}

const REFERENCES: &[(Format, Reference)] = &[
    (
        Format::JSON,
        Reference {
            name: "serde_json::from_str::<Value>",
            pass: json,
            pieces: None,
        },
    ),
    (
        Format::YAML,
        Reference {
            name: "saphyr_parser::Parser events",
            pass: yaml_events,
            pieces: None,
        },
    ),
    (
        Format::XML,
        Reference {
            name: "roxmltree::Document::parse",
            pass: xml,
            pieces: None,
        },
    ),
    (
        Format::HCL,
        Reference {
            name: "hcl_edit::parser::parse_body",
            pass: hcl,
            pieces: None,
        },
    ),
    (
        Format::SQL,
        Reference {
            name: "sqlparser, PostgreSQL dialect",
            pass: sql,
            pieces: Some(sql_statements),
        },
    ),
    // Without the crate's `serde` feature, the spanned table is the one parse `toml` offers.
    (
        Format::TOML,
        Reference {
            name: "toml::de::DeTable::parse",
            pass: toml,
            pieces: None,
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

/// The whole text at once, with the nesting limit our SQL parser gives each statement.
fn sql(text: &str) -> Result<(), String> {
    let statements = sqlparser::parser::Parser::new(&PostgreSqlDialect {})
        .with_recursion_limit(super::sql::RECURSION_LIMIT)
        .try_with_sql(text)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|e| e.to_string())?;
    black_box(statements);
    Ok(())
}

/// The statements our SQL parser hands `sqlparser` one by one.
fn sql_statements(text: &str) -> Vec<&str> {
    let split = super::sql::split::split(text);
    (split.statements.iter())
        .map(|span| &text[span.start..span.end])
        .collect()
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

    /// `sqlparser` stops at a `DO` block; statement by statement, it reads the others.
    #[test]
    fn sql_refused_whole_is_read_statement_by_statement() {
        let text = "create table t (id int);\ndo $$ begin perform 1; end $$;\ngrant select on t to anon;\n";
        let reference = Reference::of(Format::SQL).expect("a reference");
        assert!(reference.parse(text).is_err());
        let pieces = reference.pieces(text).expect("statements");
        let read: Vec<bool> = pieces.iter().map(|p| reference.parse(p).is_ok()).collect();
        assert_eq!(read, [true, false, true], "{pieces:?}");
        assert!(
            Reference::of(Format::JSON)
                .expect("a reference")
                .pieces("{}")
                .is_none()
        );
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
