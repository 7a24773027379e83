//! The files users write to steer doublecheck — policies, `.doublecheck.yml`, baselines — are
//! read the same way: one YAML document with spans, validated against the JSON Schema shipped
//! for it, every mistake located at its own line and column with a "did you mean" drawn from
//! the schema's own keys.

use std::sync::{Arc, OnceLock};

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::document::{SourceFile, Span, child_pointer, split_pointer};
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
    compiled: OnceLock<(Value, Validator)>,
}

impl FileSchema {
    pub const fn new(what: &'static str, path: &'static str, text: &'static str) -> Self {
        FileSchema {
            what,
            path,
            text,
            compiled: OnceLock::new(),
        }
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

    /// The keys the schema allows in the object at `pointer` of a file, when it names them.
    pub fn keys_at(&self, pointer: &str) -> Vec<&str> {
        let root = &self.compiled().0;
        let mut at = resolve(root, root);
        for token in split_pointer(pointer) {
            let next = if token.parse::<usize>().is_ok() {
                at.get("items")
            } else {
                at.get("properties")
                    .and_then(|p| p.get(token.as_str()))
                    .or_else(|| at.get("additionalProperties").filter(|a| a.is_object()))
            };
            match next {
                Some(next) => at = resolve(root, next),
                None => return Vec::new(),
            }
        }
        at.get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }
}

/// Follows a local `$ref` (`#/$defs/name`).
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer))
            .unwrap_or(schema),
        None => schema,
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
        vec![FileError::new(
            source,
            e.span,
            format!("invalid YAML: {}", e.message),
        )]
    })?;
    let document = match documents.len() {
        0 => return Ok(None),
        1 => documents.remove(0),
        n => {
            return Err(vec![FileError::new(
                source,
                Span::default(),
                format!(
                    "a {} file holds exactly one YAML document, this one holds {n}",
                    file.what
                ),
            )]);
        }
    };
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
        vec![FileError::new(
            source,
            Span::default(),
            format!("invalid {}: {e}", file.what),
        )]
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
            let span = document
                .spans
                .nearest(&pointer)
                .map(|(_, s)| s.value)
                .unwrap_or_default();
            let at = if pointer.is_empty() {
                String::new()
            } else {
                format!(" at `{pointer}`")
            };
            FileError::new(source, span, format!("invalid {}{at}: {error}", file.what))
        }
    }
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
        include_str!("../schemas/policy.schema.json"),
    );
    static CONFIG: FileSchema = FileSchema::new(
        "config",
        "schemas/config.schema.json",
        include_str!("../schemas/config.schema.json"),
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
