//! Reading policy files: YAML with spans, validated against `schemas/policy.schema.json`, so
//! every mistake in a policy is reported at its own line and column.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;

use super::builtin::builtin_files;
use super::compile::{Policy, compile};
use super::{PolicyOrigin, PolicySpec, builtin_sources};
use crate::document::{SourceFile, Span, child_pointer};
use crate::parse::{self, Format, ParsedDocument};

/// The JSON Schema every policy file must satisfy, shipped in the repository for editors.
pub const POLICY_SCHEMA: &str = include_str!("../../schemas/policy.schema.json");

/// A mistake in a policy file, located in that file.
#[derive(Debug, Clone)]
pub struct PolicyError {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl PolicyError {
    pub fn new(source: &Arc<SourceFile>, span: Span, message: impl Into<String>) -> Self {
        PolicyError {
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

/// The policies of one run, sorted by id, ids unique.
#[derive(Debug, Default)]
pub struct PolicySet {
    pub policies: Vec<Arc<Policy>>,
}

impl PolicySet {
    /// Joins policies from several places; a second policy with an id already taken is an
    /// error at its `id`.
    pub fn from_policies(policies: Vec<Policy>) -> Result<Self, Vec<PolicyError>> {
        let mut by_id: BTreeMap<String, Arc<Policy>> = BTreeMap::new();
        let mut errors = Vec::new();
        for policy in policies {
            if let Some(first) = by_id.get(policy.id()) {
                errors.push(
                    PolicyError::new(
                        policy.origin.source(),
                        policy.id_span,
                        format!("policy id `{}` is already used", policy.id()),
                    )
                    .with_help(if first.origin.builtin {
                        "a built-in policy has this id: give yours another one, or pass \
                         --no-builtin to replace the built-ins"
                            .to_owned()
                    } else {
                        format!(
                            "`{}` defines it first; give this policy another id",
                            first.origin.path
                        )
                    }),
                );
                continue;
            }
            by_id.insert(policy.id().to_owned(), Arc::new(policy));
        }
        if errors.is_empty() {
            Ok(PolicySet {
                policies: by_id.into_values().collect(),
            })
        } else {
            Err(errors)
        }
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Policy>> {
        self.policies.iter().find(|p| p.id() == id)
    }
}

/// The built-in policies, as every command but `doublecheck test` loads them: read from the
/// JSON `build.rs` converted each one to, not validated against the policy schema, each
/// compiled on first use. They are embedded in the binary, so they are the same at every
/// run, and `load_builtin_checked` runs in the tests; checking them again at each start cost
/// more than a small scan itself. A file `build.rs` could not convert is loaded from its
/// YAML, fully checked.
pub fn load_builtin() -> Result<Vec<Policy>, Vec<PolicyError>> {
    gather(builtin_files().map(|(path, yaml, json)| {
        let Some(json) = json else {
            return load_source(Arc::new(SourceFile::new(path, yaml.to_owned())), true);
        };
        let origin = PolicyOrigin::embedded(path, yaml);
        serde_json::from_str::<PolicySpec>(json)
            .map_err(|e| e.to_string())
            .and_then(|spec| Policy::prevalidated(spec, origin))
            .map_err(|message| {
                let source = Arc::new(SourceFile::new(path, yaml.to_owned()));
                vec![PolicyError::new(
                    &source,
                    Span::default(),
                    format!("invalid built-in policy: {message}"),
                )]
            })
    }))
}

/// The built-in policies read from their YAML, validated against the policy schema and
/// compiled, every mistake located, as a user's policies are: what `doublecheck test` and
/// the tests load.
pub fn load_builtin_checked() -> Result<Vec<Policy>, Vec<PolicyError>> {
    gather(builtin_sources().iter().map(|(path, text)| {
        load_source(Arc::new(SourceFile::new(*path, (*text).to_owned())), true)
    }))
}

/// Every policy, or every error of every policy that failed (all of them, not the first).
fn gather(
    results: impl Iterator<Item = Result<Policy, Vec<PolicyError>>>,
) -> Result<Vec<Policy>, Vec<PolicyError>> {
    let mut policies = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(policy) => policies.push(policy),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(policies)
    } else {
        Err(errors)
    }
}

/// Loads every `*.yaml` / `*.yml` file under `dir` (or the file itself).
pub fn load_dir(dir: &Path) -> Result<Vec<Policy>, Vec<PolicyError>> {
    let display = dir.display().to_string();
    let unreadable = |message: String| {
        let source = Arc::new(SourceFile::new(display.clone(), String::new()));
        vec![PolicyError::new(&source, Span::default(), message)]
    };
    if !dir.exists() {
        return Err(unreadable(format!(
            "policy path `{display}` does not exist"
        )));
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for entry in ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.append(&mut unreadable(format!("cannot read policies: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if entry.file_type().is_some_and(|t| t.is_file()) && is_yaml {
            files.push(path.to_path_buf());
        }
    }
    let unread = errors.into_iter().map(|e| Err(vec![e]));
    gather(unread.chain(files.into_iter().map(|path| {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| unreadable(format!("cannot read `{shown}`: {e}")))?;
        load_source(Arc::new(SourceFile::new(shown, text)), false)
    })))
}

fn policy_schema() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(POLICY_SCHEMA).expect("the shipped policy schema is JSON");
        jsonschema::validator_for(&schema).expect("the shipped policy schema is valid")
    })
}

/// Loads one policy file: parse, validate against the policy schema, compile. Every mistake
/// is reported, in the order of the file: a file that fails the policy schema is still
/// compiled as far as its parts allow (an unknown fact or a bad JSONPath shows with a
/// missing `examples`).
pub fn load_source(source: Arc<SourceFile>, builtin: bool) -> Result<Policy, Vec<PolicyError>> {
    let Some((document, mut errors)) = read_yaml_document(&source, policy_schema(), &POLICY_KEYS)?
    else {
        return Err(vec![PolicyError::new(
            &source,
            Span::default(),
            "the policy file is empty: a policy file holds exactly one YAML document",
        )]);
    };
    let (compiled, mut compile_errors) = compile(&source, &document);
    errors.append(&mut compile_errors);
    let compiled = match compiled {
        Some(compiled) if errors.is_empty() => compiled,
        _ => {
            // Stable: errors at one place keep the order they were found in.
            errors.sort_by_key(|e| e.span.start);
            return Err(errors);
        }
    };
    let spec = deserialize::<PolicySpec>(&source, &document, &POLICY_KEYS)?;
    let origin = PolicyOrigin::file(source, builtin);
    Ok(Policy::from_compiled(spec, origin, compiled))
}

/// The front half of reading a policy or config file: parse its one YAML document, validate
/// it against `schema` (every error located) and deserialize it. `Ok(None)` for a file with
/// no document at all.
pub(crate) fn read_yaml_file<T: serde::de::DeserializeOwned>(
    source: &Arc<SourceFile>,
    schema: &Validator,
    file: &FileKeys,
) -> Result<Option<(T, ParsedDocument)>, Vec<PolicyError>> {
    let Some((document, errors)) = read_yaml_document(source, schema, file)? else {
        return Ok(None);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let value = deserialize(source, &document, file)?;
    Ok(Some((value, document)))
}

/// Parses a file's one YAML document and validates it against `schema`: the document and
/// every schema error, located. `Err` when there is no document to check (invalid YAML,
/// several documents); `Ok(None)` for a file with no document at all.
fn read_yaml_document(
    source: &Arc<SourceFile>,
    schema: &Validator,
    file: &FileKeys,
) -> Result<Option<(ParsedDocument, Vec<PolicyError>)>, Vec<PolicyError>> {
    let mut documents = parse::parse(Format::Yaml, source).map_err(|e| {
        vec![PolicyError::new(
            source,
            e.span,
            format!("invalid YAML: {}", e.message),
        )]
    })?;
    let document = match documents.len() {
        0 => return Ok(None),
        1 => documents.remove(0),
        n => {
            return Err(vec![PolicyError::new(
                source,
                Span::default(),
                format!(
                    "a {} file holds exactly one YAML document, this one holds {n}",
                    file.what
                ),
            )]);
        }
    };
    let errors: Vec<PolicyError> = schema
        .iter_errors(&document.value)
        .map(|error| schema_error(source, &document, &error, file))
        .collect();
    Ok(Some((document, errors)))
}

/// A schema-valid document as `T`.
fn deserialize<T: serde::de::DeserializeOwned>(
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
    file: &FileKeys,
) -> Result<T, Vec<PolicyError>> {
    T::deserialize(&document.value).map_err(|e| {
        vec![PolicyError::new(
            source,
            Span::default(),
            format!("invalid {}: {e}", file.what),
        )]
    })
}

/// What a schema-validated YAML file is, for its error messages: its schema's file name and
/// the keys allowed at each level, for "did you mean" hints.
pub(crate) struct FileKeys {
    pub what: &'static str,
    pub schema: &'static str,
    pub keys_at: fn(&str) -> Option<&'static [&'static str]>,
}

const POLICY_KEYS: FileKeys = FileKeys {
    what: "policy",
    schema: "schemas/policy.schema.json",
    keys_at: policy_keys_at,
};

/// Locates a schema error in a policy or config file: an unknown key at the key, a missing
/// key at the object that lacks it, anything else at the offending value.
pub(crate) fn schema_error(
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
    error: &jsonschema::ValidationError,
    file: &FileKeys,
) -> PolicyError {
    let pointer = error.instance_path().as_str().to_owned();
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let key = unexpected.first().cloned().unwrap_or_default();
            let span = key_span(document, &child_pointer(&pointer, &key));
            let error = PolicyError::new(source, span, format!("unknown key `{key}`"));
            match suggestion(&key, &pointer, file) {
                Some(known) => error.with_help(format!("did you mean `{known}`?")),
                None => error.with_help(format!(
                    "see {} for the keys allowed here{}",
                    file.schema,
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
            PolicyError::new(
                source,
                key_span(document, &pointer),
                format!("missing required key `{name}`"),
            )
            .with_help(format!(
                "add `{name}` {place}; {} describes it",
                file.schema
            ))
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
            PolicyError::new(source, span, format!("invalid {}{at}: {error}", file.what))
        }
    }
}

pub(super) fn key_span(document: &ParsedDocument, pointer: &str) -> Span {
    match document.spans.nearest(pointer) {
        Some((_, spans)) => spans
            .key
            .unwrap_or(Span::new(spans.value.start, spans.value.start)),
        None => Span::default(),
    }
}

/// The closest allowed key, for typos in a file's own keys.
fn suggestion(key: &str, pointer: &str, file: &FileKeys) -> Option<&'static str> {
    (file.keys_at)(pointer)?
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, k)| k)
}

/// The keys a policy allows at `pointer` (its top level and an example's).
fn policy_keys_at(pointer: &str) -> Option<&'static [&'static str]> {
    const TOP: &[&str] = &[
        "id",
        "title",
        "severity",
        "incident",
        "description",
        "remediation",
        "help-uri",
        "tags",
        "applies-to",
        "facts",
        "when",
        "select",
        "require",
        "message",
        "group",
        "examples",
    ];
    const EXAMPLE: &[&str] = &["name", "files", "expect"];
    const EXPECT: &[&str] = &["path", "line", "column", "message"];
    const GROUP: &[&str] = &["by", "item"];
    let in_examples = pointer.starts_with("/examples/");
    if pointer.is_empty() {
        Some(TOP)
    } else if pointer == "/group" {
        Some(GROUP)
    } else if in_examples && pointer.matches('/').count() == 2 {
        Some(EXAMPLE)
    } else if in_examples && pointer.contains("/expect/") && pointer.matches('/').count() == 4 {
        Some(EXPECT)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(line, column, message)` of every error loading `text` gives.
    fn errors(text: &str) -> Vec<(usize, usize, String)> {
        let source = Arc::new(SourceFile::new("p.yaml", text.to_owned()));
        let errors = load_source(Arc::clone(&source), false).expect_err("mistakes");
        errors
            .iter()
            .map(|e| {
                let at = source.position(e.span.start);
                (at.line, at.column, e.message.clone())
            })
            .collect()
    }

    #[test]
    fn a_schema_error_does_not_hide_the_other_mistakes() {
        let text = "id: ACME-X-001\n\
                    title: t\n\
                    severity: error\n\
                    description: d\n\
                    remediation: r\n\
                    applies-to: [kubernets/Pod]\n\
                    facts: [salesforce/guest-profil]\n\
                    require: {type: strin}\n\
                    message: \"{node-key} of {name|upper}\"\n";
        assert_eq!(
            errors(text),
            vec![
                (1, 1, "missing required key `examples`".to_owned()),
                (
                    6,
                    14,
                    "unknown kind `kubernets/Pod`: no file doublecheck reads is of this kind"
                        .to_owned()
                ),
                (7, 9, "unknown fact `salesforce/guest-profil`".to_owned()),
                (
                    8,
                    17,
                    "invalid JSON Schema in `require`: \"strin\" is not valid under any of the \
                     schemas listed in the 'anyOf' keyword"
                        .to_owned()
                ),
                (9, 11, "`{node-key}` names nothing in `message`".to_owned()),
                (9, 31, "unknown filter `|upper` in `message`".to_owned()),
            ]
        );
    }

    #[test]
    fn parts_of_the_wrong_type_are_left_to_the_schema() {
        let text = "id: ACME-X-001\n\
                    title: t\n\
                    severity: error\n\
                    description: d\n\
                    remediation: r\n\
                    applies-to: [42]\n\
                    select: [$]\n\
                    require: 7\n\
                    message: {a: b}\n\
                    examples: []\n";
        let found = errors(text);
        let lines: Vec<usize> = found.iter().map(|(line, _, _)| *line).collect();
        // One error each, from the schema (`examples` also has too few items).
        assert_eq!(lines, vec![6, 7, 8, 9, 10], "{found:?}");
    }

    /// What every command loads without checking is what `doublecheck test` checks: the
    /// same policies, each of which compiles (a built-in policy compiles on first use, where
    /// a mistake could only panic).
    #[test]
    fn builtin_policies_load_the_same_checked_or_not() {
        let checked = load_builtin_checked().expect("the built-in policies are valid");
        let trusted = load_builtin().expect("the built-in policies load");
        assert_eq!(checked.len(), trusted.len());
        for (checked, trusted) in checked.iter().zip(&trusted) {
            assert_eq!(checked.origin.path, trusted.origin.path);
            assert_eq!(checked.origin.source().text, trusted.origin.source().text);
            assert_eq!(
                format!("{:?}", checked.spec),
                format!("{:?}", trusted.spec),
                "{}",
                checked.id()
            );
            assert!(trusted.origin.builtin);
            trusted
                .compile_now()
                .unwrap_or_else(|e| panic!("{}: {e}", trusted.id()));
        }
    }
}
