//! Reading policy files: YAML with spans, validated against `schemas/policy.schema.json`, so
//! every mistake in a policy is reported at its own line and column.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::builtin::builtin_files;
use super::by_kind::KindIndex;
use super::compile::{Policy, compile};
use super::costs::{PolicyCost, costliest};
use super::{Example, PolicyOrigin, PolicySpec, builtin_sources};
use crate::document::{Kind, SourceFile, Span};
use crate::finding::Severity;
use crate::yaml_file::{self, FileError, FileSchema};

/// The JSON Schema every policy file must satisfy, shipped in the repository for editors.
pub const POLICY_SCHEMA: &str = include_str!("../../schemas/policy.schema.json");

/// The policies of one run, sorted by id, ids unique.
#[derive(Debug, Default)]
pub struct PolicySet {
    /// Not changed once the set is made: [`PolicySet::applying_to`] keeps positions in it.
    pub policies: Vec<Arc<Policy>>,
    /// Severities the run's configuration sets (see [`PolicySet::registry`]), by id.
    pub(super) severities: BTreeMap<String, Severity>,
    /// Whether checks measure what each policy costs (`scan --policy-costs`).
    pub(super) measures_costs: bool,
    /// The policies of each document kind (see [`PolicySet::applying_to`]).
    pub(super) by_kind: KindIndex,
}

impl PolicySet {
    /// Off the scan's path, on a core that is idle while the files are read and parsed:
    /// builds the JSON Schema meta-schema validator (which compiling any policy's schemas
    /// needs; the `jsonschema` crate builds it once a run, on first use), then reads every
    /// built-in policy's JSON (which the report's rule list needs). Whatever the scan needs
    /// before the thread has made it, the scan makes itself (each is made once, by
    /// whichever thread asks first).
    pub fn prepare_in_background(&self) {
        let policies = self.policies.clone();
        std::thread::spawn(move || {
            super::build_meta_validator();
            for policy in &policies {
                policy.spec();
            }
        });
    }

    /// Joins policies from several places; a second policy with an id already taken is an
    /// error at its `id`.
    pub fn from_policies(policies: Vec<Policy>) -> Result<Self, Vec<FileError>> {
        let mut by_id: BTreeMap<String, Arc<Policy>> = BTreeMap::new();
        let mut errors = Vec::new();
        for policy in policies {
            if let Some(first) = by_id.get(policy.id()) {
                errors.push(
                    FileError::new(
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
            Ok(PolicySet::of(by_id.into_values().collect()))
        } else {
            Err(errors)
        }
    }

    /// These policies, at the severities they are written with.
    pub fn of(policies: Vec<Arc<Policy>>) -> Self {
        PolicySet {
            policies,
            severities: BTreeMap::new(),
            measures_costs: false,
            by_kind: KindIndex::default(),
        }
    }

    /// The positions in `policies` of the policies that apply to documents of `kind`, in
    /// order; worked out once per kind.
    pub fn applying_to(&self, kind: &Kind) -> Arc<[usize]> {
        self.by_kind.applying_to(&self.policies, kind)
    }

    /// Makes the checks of these policies measure their time (see [`PolicySet::costliest`]).
    pub fn measure_costs(&mut self) {
        self.measures_costs = true;
    }

    /// Whether checks measure what each policy costs.
    pub fn measures_costs(&self) -> bool {
        self.measures_costs
    }

    /// Every policy checked so far in a run that measures costs, the costliest first.
    pub fn costliest(&self) -> Vec<PolicyCost> {
        costliest(self.policies.iter().map(|p| p.cost()))
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
pub fn load_builtin() -> Result<Vec<Policy>, Vec<FileError>> {
    gather(builtin_files().map(|(path, yaml, json)| {
        let Some(json) = json else {
            return load_source(Arc::new(SourceFile::new(path, yaml.to_owned())), true);
        };
        let origin = PolicyOrigin::embedded(path, yaml);
        Policy::prevalidated(json, origin).map_err(|message| {
            let source = Arc::new(SourceFile::new(path, yaml.to_owned()));
            vec![
                FileError::new(
                    &source,
                    Span::default(),
                    format!("invalid built-in policy: {message}"),
                )
                .with_help("this is a mistake in doublecheck itself: please report it"),
            ]
        })
    }))
}

impl Policy {
    /// The policy's examples. A built-in policy read from its JSON does not hold them (a
    /// scan never needs them): they are read from its YAML when asked for.
    pub fn examples(&self) -> Cow<'_, [Example]> {
        if !self.spec().examples.is_empty() || self.origin.embedded.is_none() {
            return Cow::Borrowed(&self.spec().examples);
        }
        match load_source(Arc::clone(self.origin.source()), true) {
            Ok(policy) => Cow::Owned(policy.spec().examples.clone()),
            Err(_) => Cow::Borrowed(&[]),
        }
    }
}

/// The built-in policies read from their YAML, validated against the policy schema and
/// compiled, every mistake located, as a user's policies are: what `doublecheck test` and
/// the tests load.
pub fn load_builtin_checked() -> Result<Vec<Policy>, Vec<FileError>> {
    gather(builtin_sources().iter().map(|(path, text)| {
        load_source(Arc::new(SourceFile::new(*path, (*text).to_owned())), true)
    }))
}

/// Every policy, or every error of every policy that failed (all of them, not the first).
fn gather(
    results: impl Iterator<Item = Result<Policy, Vec<FileError>>>,
) -> Result<Vec<Policy>, Vec<FileError>> {
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
pub fn load_dir(dir: &Path) -> Result<Vec<Policy>, Vec<FileError>> {
    let display = dir.display().to_string();
    let unreadable = |message: String| {
        let source = Arc::new(SourceFile::new(display.clone(), String::new()));
        vec![FileError::new(&source, Span::default(), message).with_help(
            "give a folder of policy files (*.yaml, *.yml, one policy each) or one such file",
        )]
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
    if files.is_empty() && errors.is_empty() {
        // A folder with no policy in it is a wrong path, never "no policies to run".
        return Err(unreadable(format!(
            "no policy file (*.yaml, *.yml) in `{display}`"
        )));
    }
    let unread = errors.into_iter().map(|e| Err(vec![e]));
    gather(unread.chain(files.into_iter().map(|path| {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| unreadable(format!("cannot read `{shown}`: {e}")))?;
        load_source(Arc::new(SourceFile::new(shown, text)), false)
    })))
}

/// Policy files and the schema they satisfy.
static POLICY_FILE: FileSchema =
    FileSchema::new("policy", "schemas/policy.schema.json", POLICY_SCHEMA);

/// Loads one policy file: parse, validate against the policy schema, compile. Every mistake
/// is reported, in the order of the file: a file that fails the policy schema is still
/// compiled as far as its parts allow (an unknown fact or a bad JSONPath shows with a
/// missing `examples`).
pub fn load_source(source: Arc<SourceFile>, builtin: bool) -> Result<Policy, Vec<FileError>> {
    let Some((document, mut errors)) = yaml_file::read_document(&source, &POLICY_FILE)? else {
        return Err(vec![
            FileError::new(
                &source,
                Span::default(),
                "the policy file is empty: a policy file holds exactly one YAML document",
            )
            .with_help(
                "docs/writing-policies.md shows a policy with every key; or delete the file",
            ),
        ]);
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
    let spec = yaml_file::deserialize::<PolicySpec>(&source, &document, &POLICY_FILE)?;
    let origin = PolicyOrigin::file(source, builtin);
    Ok(Policy::from_compiled(spec, origin, compiled))
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
                    "invalid JSON Schema in `require`: `type` must be `array`, `boolean`, \
                     `integer`, `null`, `number`, `object` or `string`, not `strin`"
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
            let mut spec = checked.spec().clone();
            spec.examples.clear();
            assert_eq!(
                format!("{spec:?}"),
                format!("{:?}", trusted.spec()),
                "{}",
                checked.id()
            );
            // The examples a scan leaves out are read from the YAML when asked for.
            assert_eq!(
                format!("{:?}", checked.spec().examples),
                format!("{:?}", trusted.examples()),
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
