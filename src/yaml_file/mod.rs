//! The files users write to steer doublecheck — policies, `.doublecheck.yml`, baselines — are
//! read the same way: one YAML document with spans, validated against the JSON Schema shipped
//! for it, every mistake located at its own line and column with a "did you mean" drawn from
//! the schema's own keys, and every other schema error said in plain words ([`plain`]).

mod plain;

use std::sync::{Arc, OnceLock};

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

pub use plain::{Plain, explain};

use crate::document::{SourceFile, Span, child_pointer};
use crate::parse::{self, Format, ParsedDocument};

/// A mistake in a file doublecheck was given to steer it (a policy, the configuration, a
/// baseline), located in that file.
#[derive(Debug, Clone)]
pub struct FileError {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl FileError {
    pub fn new(source: &Arc<SourceFile>, span: Span, message: impl Into<String>) -> Self {
        FileError {
            source: Arc::clone(source),
            span,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A kind of file and the schema it must satisfy.
pub struct FileSchema {
    /// What the file is, in errors: "policy", "config".
    pub what: &'static str,
    /// The schema's path in the repository, for "see … for the keys allowed here".
    pub path: &'static str,
    /// The schema's text.
    pub text: &'static str,
    /// Whether a key with no value where the schema wants a mapping or a list means an
    /// empty one (`rules:` with every line under it commented out).
    pub empty_sections: bool,
    compiled: OnceLock<(Value, Validator)>,
}

impl FileSchema {
    pub const fn new(what: &'static str, path: &'static str, text: &'static str) -> Self {
        FileSchema {
            what,
            path,
            text,
            empty_sections: false,
            compiled: OnceLock::new(),
        }
    }

    /// Reads a key with no value as an empty mapping or list where the schema wants one.
    pub const fn with_empty_sections(mut self) -> Self {
        self.empty_sections = true;
        self
    }

    fn compiled(&self) -> &(Value, Validator) {
        self.compiled.get_or_init(|| {
            let schema: Value = serde_json::from_str(self.text).expect("a shipped schema is JSON");
            let validator = jsonschema::validator_for(&schema).expect("a shipped schema is valid");
            (schema, validator)
        })
    }

    pub fn validator(&self) -> &Validator {
        &self.compiled().1
    }

    /// The schema itself.
    pub fn schema(&self) -> &Value {
        &self.compiled().0
    }

    /// The keys the schema allows in the object at `pointer` of a file, when it names them.
    pub fn keys_at(&self, pointer: &str) -> Vec<&str> {
        let root = self.schema();
        plain::nodes_at(root, pointer)
            .and_then(|nodes| nodes.last().copied())
            .and_then(|at| at.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Replaces the keys with no value where the schema wants a mapping or a list with an
    /// empty one, at every level.
    fn fill_empty_sections(&self, value: &mut Value, pointer: &str) {
        let Value::Object(map) = value else {
            return;
        };
        let root = self.schema();
        for (key, child) in map.iter_mut() {
            let at = child_pointer(pointer, key);
            if child.is_null() {
                let wanted = plain::nodes_at(root, &at)
                    .and_then(|nodes| nodes.last().and_then(|n| n.get("type")).cloned());
                match wanted.as_ref().and_then(Value::as_str) {
                    Some("object") => *child = Value::Object(serde_json::Map::new()),
                    Some("array") => *child = Value::Array(Vec::new()),
                    _ => {}
                }
            } else {
                self.fill_empty_sections(child, &at);
            }
        }
    }
}

/// The front half of reading a policy, config or baseline file: parse its one YAML
/// document, validate it against its schema (every error located) and deserialize it.
/// `Ok(None)` for a file with no document at all.
pub fn read<T: serde::de::DeserializeOwned>(
    source: &Arc<SourceFile>,
    file: &FileSchema,
) -> Result<Option<(T, ParsedDocument)>, Vec<FileError>> {
    let Some((document, errors)) = read_document(source, file)? else {
        return Ok(None);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let value = deserialize(source, &document, file)?;
    Ok(Some((value, document)))
}

/// Parses a file's one YAML document and validates it against its schema: the document
/// and every schema error, located, so a caller can go on checking what the schema does
/// not reject. `Err` when there is no document to check (invalid YAML, several documents);
/// `Ok(None)` for a file with no document at all.
pub fn read_document(
    source: &Arc<SourceFile>,
    file: &FileSchema,
) -> Result<Option<(ParsedDocument, Vec<FileError>)>, Vec<FileError>> {
    let mut documents = parse::parse(Format::YAML, source).map_err(|e| {
        vec![
            FileError::new(source, e.span, format!("invalid YAML: {}", e.message)).with_help(
                "check the indentation and the quoting here; a value holding `: ` or starting \
                 with `*`, `&`, `!`, `{`, `[` or `@` needs quotes",
            ),
        ]
    })?;
    let mut document = match documents.len() {
        0 => return Ok(None),
        1 => documents.remove(0),
        n => {
            return Err(vec![
                FileError::new(
                    source,
                    Span::default(),
                    format!(
                        "a {} file holds exactly one YAML document, this one holds {n}",
                        file.what
                    ),
                )
                .with_help(
                    "remove the `---` lines, or split the documents into files of their own",
                ),
            ]);
        }
    };
    if file.empty_sections {
        file.fill_empty_sections(&mut document.value, "");
    }
    let errors: Vec<FileError> = file
        .validator()
        .iter_errors(&document.value)
        .map(|error| schema_error(source, &document, &error, file))
        .collect();
    Ok(Some((document, errors)))
}

/// A schema-valid document as `T`.
pub fn deserialize<T: serde::de::DeserializeOwned>(
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
    file: &FileSchema,
) -> Result<T, Vec<FileError>> {
    T::deserialize(&document.value).map_err(|e| {
        vec![
            FileError::new(
                source,
                Span::default(),
                format!("invalid {}: {e}", file.what),
            )
            .with_help(format!("see {} for what the file holds", file.path)),
        ]
    })
}

/// Locates a schema error in a file: an unknown key at the key, a missing
/// key at the object that lacks it, anything else at the offending value.
pub fn schema_error(
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
    error: &jsonschema::ValidationError,
    file: &FileSchema,
) -> FileError {
    let pointer = error.instance_path().as_str().to_owned();
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let key = unexpected.first().cloned().unwrap_or_default();
            let span = key_span(document, &child_pointer(&pointer, &key));
            let error = FileError::new(source, span, format!("unknown key `{key}`"));
            match suggestion(&key, &pointer, file) {
                Some(known) => error.with_help(format!("did you mean `{known}`?")),
                None => error.with_help(format!(
                    "see {} for the keys allowed here{}",
                    file.path,
                    if pointer.is_empty() {
                        ""
                    } else {
                        " (at this level)"
                    }
                )),
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let place = if pointer.is_empty() {
                "at the top level of the file"
            } else {
                "to this mapping"
            };
            FileError::new(
                source,
                key_span(document, &pointer),
                format!("missing required key `{name}`"),
            )
            .with_help(format!("add `{name}` {place}; {} describes it", file.path))
        }
        _ => {
            let plain = explain(error, Some(file.schema()));
            let span = if plain.at_key {
                key_span(document, &plain.pointer)
            } else {
                value_span(document, &plain.pointer)
            };
            let help = plain.help.unwrap_or_else(|| {
                format!(
                    "see {} for what {} takes",
                    file.path,
                    plain::name(&plain.pointer)
                )
            });
            FileError::new(source, span, plain.message).with_help(help)
        }
    }
}

/// The span of the value at `pointer`, or of the nearest node holding it.
pub fn value_span(document: &ParsedDocument, pointer: &str) -> Span {
    document
        .spans
        .nearest(pointer)
        .map(|(_, s)| s.value)
        .unwrap_or_default()
}

pub fn key_span(document: &ParsedDocument, pointer: &str) -> Span {
    match document.spans.nearest(pointer) {
        Some((_, spans)) => spans
            .key
            .unwrap_or(Span::new(spans.value.start, spans.value.start)),
        None => Span::default(),
    }
}

/// The closest allowed key, for typos in a file's own keys.
fn suggestion<'a>(key: &str, pointer: &str, file: &'a FileSchema) -> Option<&'a str> {
    file.keys_at(pointer)
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), k))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    static POLICY: FileSchema = FileSchema::new(
        "policy",
        "schemas/policy.schema.json",
        include_str!("../../schemas/policy.schema.json"),
    );
    static CONFIG: FileSchema = FileSchema::new(
        "config",
        "schemas/config.schema.json",
        include_str!("../../schemas/config.schema.json"),
    );

    #[test]
    fn the_keys_allowed_come_from_the_schema_through_refs_and_arrays() {
        assert!(CONFIG.keys_at("").contains(&"salesforce"));
        assert!(
            CONFIG
                .keys_at("/salesforce")
                .contains(&"extend-personal-objects")
        );
        assert!(CONFIG.keys_at("/limits").contains(&"allow-unchecked"));
        assert!(POLICY.keys_at("").contains(&"applies-to"));
        assert!(POLICY.keys_at("/examples/3").contains(&"expect"));
        assert!(POLICY.keys_at("/group").contains(&"by"));
        assert!(POLICY.keys_at("/nothing/here").is_empty());
    }

    #[test]
    fn a_typo_gets_the_nearest_key_at_its_level() {
        let source = Arc::new(SourceFile::new(
            ".doublecheck.yml",
            "salesforce:\n  extend-personal-object: [Loan__c]\n".to_owned(),
        ));
        let errors = read::<Value>(&source, &CONFIG).expect_err("an unknown key");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "unknown key `extend-personal-object`");
        assert_eq!(
            errors[0].help.as_deref(),
            Some("did you mean `extend-personal-objects`?")
        );
        assert_eq!(source.position(errors[0].span.start).line, 2);
    }
}
