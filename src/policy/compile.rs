//! Turns a validated [`PolicySpec`] into a [`Policy`]: kind globs, a JSONPath, JSON Schema
//! validators. Every compile error points at the key or value that caused it.

use std::ops::Range;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use globset::Glob;
use jsonschema::{PatternOptions, Validator};
use serde_json::Value;
use serde_json_path::JsonPath;

use super::builtin::EmbeddedJson;
use super::costs::{CostCounters, PolicyCost};
use super::kind_patterns::KindPatterns;
use super::message::{TemplateUse, check_template};
use super::select::{Selected, Selections, Selector};
use super::{PolicyOrigin, PolicySpec};
use crate::detect;
use crate::document::Kind;
use crate::document::{SourceFile, Span, child_pointer, index_pointer, last_key};
use crate::facts;
use crate::parse::ParsedDocument;
use crate::yaml_file::{self, FileError, key_span};

/// A compiled policy, ready to evaluate. It knows nothing of formats: it sees JSON values
/// and answers with JSON Pointers.
#[derive(Debug)]
pub struct Policy {
    id: String,
    /// What the file says. A built-in policy's is read from its JSON on first use (a scan
    /// reads only those of the kinds it meets, and the rest on a spare core while it reads
    /// the files, see [`PolicySet::prepare_in_background`]).
    spec: OnceLock<PolicySpec>,
    /// The JSON a built-in policy's spec is read from.
    embedded_json: Option<&'static str>,
    pub origin: PolicyOrigin,
    /// Where the policy's `id` is written, for errors about the policy as a whole (the
    /// default span for a built-in policy read from its JSON, which has no errors).
    pub id_span: Span,
    applies_to: KindPatterns,
    /// `when`, `select` and `require`, compiled. A user's policy is compiled as it loads, so
    /// every mistake is reported at its place before anything is scanned. A built-in policy
    /// is compiled on first use: a scan only compiles the policies of the kinds it meets,
    /// and compiling all 67 (JSON Schemas with their regular expressions) took ~3 ms of a
    /// 16 ms one-file scan. Built-in policies cannot fail to compile: `cargo test` compiles
    /// every one (`load_builtin_checked`).
    matcher: OnceLock<Matcher>,
    /// What checking documents against it has cost (see [`PolicySet::measure_costs`]).
    cost: CostCounters,
}

#[derive(Debug)]
struct Matcher {
    when: Option<Validator>,
    select: Selector,
    require: Validator,
}

impl Matcher {
    /// Compiles the matcher of a policy already known to be valid (a built-in policy).
    fn of_valid(spec: &PolicySpec) -> Result<Matcher, String> {
        let text = spec.select.as_deref().unwrap_or("$");
        let path = JsonPath::parse(text).map_err(|e| format!("invalid JSONPath: {e}"))?;
        let select = Selector::new(text, path);
        let when = match &spec.when {
            Some(schema) => Some(build_validator(schema).map_err(|e| format!("when: {e}"))?),
            None => None,
        };
        let require = build_validator(&spec.require).map_err(|e| format!("require: {e}"))?;
        Ok(Matcher {
            when,
            select,
            require,
        })
    }
}

/// One way a selected node fails `require`: where (relative to the node) and what.
#[derive(Debug, Clone)]
pub struct Violation {
    /// JSON Pointer of the failing value, relative to the selected node.
    pub pointer: String,
    pub detail: String,
    /// The property a `required` keyword misses (the pointer is then the object's).
    pub missing: Option<String>,
}

impl Policy {
    /// A built-in policy from its JSON, which `cargo test` checks: no validation; the JSON
    /// is read and the matcher compiled on first use.
    pub(super) fn prevalidated(
        embedded: EmbeddedJson,
        origin: PolicyOrigin,
    ) -> Result<Self, String> {
        let (applies_to, errors) =
            KindPatterns::new(embedded.applies_to.iter().copied().enumerate());
        if let Some((_, error)) = errors.first() {
            return Err(error.clone());
        }
        Ok(Policy {
            id: embedded.id.to_owned(),
            spec: OnceLock::new(),
            embedded_json: Some(embedded.json),
            origin,
            id_span: Span::default(),
            applies_to,
            matcher: OnceLock::new(),
            cost: CostCounters::default(),
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Adds one check on one document to what the policy has cost.
    pub fn add_cost(&self, time: Duration, findings: usize) {
        self.cost.add(time, findings);
    }

    /// What checking documents against it has cost so far.
    pub fn cost(&self) -> PolicyCost {
        self.cost.total(&self.id)
    }

    /// What the policy file says (less the examples of a built-in policy: see
    /// [`Policy::examples`]).
    pub fn spec(&self) -> &PolicySpec {
        self.spec.get_or_init(|| {
            let json = self.embedded_json.unwrap_or_default();
            serde_json::from_str(json).unwrap_or_else(|error| {
                // Only a built-in policy gets here, and the tests read each of them.
                panic!("built-in policy {} does not read: {error}", self.id)
            })
        })
    }

    fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| {
            Matcher::of_valid(self.spec()).unwrap_or_else(|error| {
                // Only a built-in policy gets here, and the tests compile each of them.
                panic!("built-in policy {} does not compile: {error}", self.id())
            })
        })
    }

    /// Compiles the matcher now if it is not yet (tests of the built-in policies).
    pub fn compile_now(&self) -> Result<(), String> {
        if self.matcher.get().is_none() {
            let matcher = Matcher::of_valid(self.spec())?;
            let _ = self.matcher.set(matcher);
        }
        Ok(())
    }

    pub fn applies_to(&self, kind: &Kind) -> bool {
        self.applies_to.is_match(kind.as_str())
    }

    pub fn when_matches(&self, document: &Value) -> bool {
        self.matcher()
            .when
            .as_ref()
            .is_none_or(|v| v.is_valid(document))
    }

    /// The selected nodes, as (JSON Pointer, node), made once per document for all the
    /// policies that select them (see [`Selections`]).
    pub fn select<'p, 'd, 's>(
        &'p self,
        document: &'d Value,
        selections: &'s mut Selections<'p, 'd>,
    ) -> &'s Selected<'d> {
        self.matcher().select.select(document, selections)
    }

    /// Every failing keyword of `require` on one node, deduplicated by location — but for
    /// a grouped policy, whose one finding names every failing property, each property a
    /// `required` keyword misses is its own.
    pub fn violations(&self, node: &Value) -> Vec<Violation> {
        let mut out: Vec<Violation> = Vec::new();
        for error in self.matcher().require.iter_errors(node) {
            let mut pointer = error.instance_path().as_str().to_owned();
            // A forbidden extra key is located at that key, not at the object holding it.
            if let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } =
                error.kind()
                && let Some(first) = unexpected.first()
            {
                pointer = child_pointer(&pointer, first);
            }
            let missing = match error.kind() {
                jsonschema::error::ValidationErrorKind::Required { property } => {
                    property.as_str().map(str::to_owned)
                }
                _ => None,
            };
            let grouped = self.spec().group.is_some();
            if out
                .iter()
                .any(|v| v.pointer == pointer && (!grouped || v.missing == missing))
            {
                continue;
            }
            out.push(Violation {
                pointer,
                detail: describe(&error),
                missing,
            });
        }
        out
    }
}

/// What is wrong, in the policy's terms: JSON Schema's own words for `not` and `required`
/// ("{\"const\":false} is not allowed for false") mean little to the reader of a finding.
fn describe(error: &jsonschema::ValidationError<'_>) -> String {
    use jsonschema::error::ValidationErrorKind as Kind;
    match (error.kind(), last_key(error.instance_path().as_str())) {
        (Kind::Not { .. }, Some(key)) => format!("`{key}` is {}", error.instance()),
        (Kind::Not { .. }, None) => format!("{} is not allowed", error.instance()),
        (Kind::Minimum { limit }, Some(key)) => {
            format!(
                "`{key}` is {}, below the minimum of {limit}",
                error.instance()
            )
        }
        (Kind::Required { property }, _) => match property.as_str() {
            Some(name) => format!("`{name}` is not set"),
            None => error.to_string(),
        },
        _ => error.to_string(),
    }
}

/// What compiling a policy makes of it, before it is joined with its [`PolicySpec`].
pub(super) struct Compiled {
    applies_to: KindPatterns,
    matcher: Matcher,
    id_span: Span,
}

impl Policy {
    /// A policy whose file passed the policy schema and compiled.
    pub(super) fn from_compiled(
        spec: PolicySpec,
        origin: PolicyOrigin,
        compiled: Compiled,
    ) -> Self {
        Policy {
            id: spec.id.clone(),
            spec: OnceLock::from(spec),
            embedded_json: None,
            origin,
            id_span: compiled.id_span,
            applies_to: compiled.applies_to,
            matcher: OnceLock::from(compiled.matcher),
            cost: CostCounters::default(),
        }
    }
}

/// Compiles a policy file's parts: kind patterns, facts, `select`, `when`, `require` and
/// the message templates, each checked on its own, so that every mistake is reported, not
/// only the first. It reads the parsed document, not a [`PolicySpec`]: the file may also
/// have failed the policy schema, and the parts the schema does not reject are still checked
/// (a part of the wrong type, which the schema reports, is left out). The compiled policy
/// when nothing is wrong, and every mistake found.
pub(super) fn compile(
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
) -> (Option<Compiled>, Vec<FileError>) {
    let value = &document.value;
    let value_span = |pointer: &str| {
        document
            .spans
            .nearest(pointer)
            .map(|(_, s)| s.value)
            .unwrap_or_default()
    };
    let strings = |key: &str| -> Vec<(usize, &str)> {
        value
            .get(key)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| Some((i, item.as_str()?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let schema_at = |key: &str| value.get(key).filter(|v| v.is_object() || v.is_boolean());
    let mut errors = Vec::new();

    let (applies_to, glob_errors) = KindPatterns::new(strings("applies-to"));
    for (i, message) in &glob_errors {
        errors.push(
            FileError::new(source, value_span(&format!("/applies-to/{i}")), message).with_help(
                "a kind (`github/settings`) or a glob over kinds (`salesforce/*`): `*` stays \
                 between slashes, and every `[` and `{` must be closed",
            ),
        );
    }
    for (i, pattern) in strings("applies-to") {
        if glob_errors.iter().any(|(bad, _)| *bad == i) || kind_is_known(pattern) {
            continue;
        }
        let help = match closest_kind(pattern) {
            Some(kind) => format!("did you mean `{kind}`?"),
            None => format!(
                "the kinds are {} (see \"What it reads\" in the README)",
                detect::known_kinds().join(", ")
            ),
        };
        errors.push(
            FileError::new(
                source,
                value_span(&format!("/applies-to/{i}")),
                format!("unknown kind `{pattern}`: no file doublecheck reads is of this kind"),
            )
            .with_help(help),
        );
    }

    for (i, fact) in strings("facts") {
        if facts::info(fact).is_none() {
            let closest = facts::all()
                .map(|f| (strsim::damerau_levenshtein(fact, f.name), f.name))
                .filter(|(distance, _)| *distance <= 3)
                .min();
            let help = match closest {
                Some((_, name)) => format!("did you mean `{name}`?"),
                None => "`doublecheck policies --facts` lists the known facts".to_owned(),
            };
            errors.push(
                FileError::new(
                    source,
                    value_span(&format!("/facts/{i}")),
                    format!("unknown fact `{fact}`"),
                )
                .with_help(help),
            );
        }
    }

    let select = match value.get("select") {
        None => Some("$"),
        Some(select) => select.as_str(),
    }
    .and_then(|text| {
        JsonPath::parse(text)
            .map_err(|e| {
                let span = error_in_scalar(source, value_span("/select"), text, e.position());
                errors.push(
                    FileError::new(source, span, format!("invalid JSONPath: {e}")).with_help(
                        "`select` is an RFC 9535 JSONPath, e.g. `$.Profile.objectPermissions[*]`",
                    ),
                );
            })
            .ok()
            .map(|path| Selector::new(text, path))
    });

    let when = match schema_at("when") {
        None => Some(None),
        Some(schema) => schema_validator(schema, "/when", source, document)
            .map_err(|e| errors.push(e))
            .ok()
            .map(Some),
    };
    let require = schema_at("require").and_then(|schema| {
        schema_validator(schema, "/require", source, document)
            .map_err(|e| errors.push(e))
            .ok()
    });

    let text = |pointer: &str| value.pointer(pointer).and_then(Value::as_str);
    let select_depth = match value.get("select") {
        None => Some(0),
        Some(select) => select.as_str().and_then(select_depth),
    };
    let grouped = value.get("group").is_some_and(Value::is_object);
    let templates = [
        ("/message", "`message`", grouped),
        ("/group/by", "`group.by`", false),
        ("/group/item", "`group.item`", false),
    ];
    for (pointer, what, grouped_message) in templates {
        let Some(template) = text(pointer) else {
            continue;
        };
        let usage = TemplateUse {
            grouped_message,
            select_depth,
        };
        for error in check_template(template, usage) {
            let span = template_span(source, value_span(pointer), template, error.range);
            errors.push(
                FileError::new(source, span, format!("{} in {what}", error.message))
                    .with_help(error.help),
            );
        }
    }

    let compiled = match (select, when, require) {
        (Some(select), Some(when), Some(require)) if errors.is_empty() => Some(Compiled {
            applies_to,
            matcher: Matcher {
                when,
                select,
                require,
            },
            id_span: value_span("/id"),
        }),
        _ => None,
    };
    (compiled, errors)
}

/// Whether a document can have a kind `pattern` matches: one of the detector's fixed kinds,
/// or a kind of an open family (`salesforce/<root element>`, `kubernetes/<kind>`), whose
/// type can be anything: `family/…` is known when its family part matches the family; a
/// pattern without `/` (`*`, `sales*`, `*Profile`) when it matches the family and the text
/// after its last wildcard.
fn kind_is_known(pattern: &str) -> bool {
    let Ok(glob) = Glob::new(pattern) else {
        return true;
    };
    let glob = glob.compile_matcher();
    detect::known_kinds()
        .iter()
        .any(|known| match known.strip_suffix("/*") {
            None => glob.is_match(known),
            Some(family) => match pattern.split_once('/') {
                Some((family_part, _)) => {
                    Glob::new(family_part).is_ok_and(|g| g.compile_matcher().is_match(family))
                }
                None => {
                    let tail = pattern.rsplit(['*', '?', ']']).next().unwrap_or_default();
                    glob.is_match(format!("{family}/{tail}"))
                }
            },
        })
}

/// The known kind closest to a pattern no kind matches: a fixed kind, the pattern's type in
/// an open family (`kubernets/Pod`: `kubernetes/Pod`), or for a bare family name
/// (`terraform`) its kind or `family/*`.
fn closest_kind(pattern: &str) -> Option<String> {
    let known = detect::known_kinds();
    if !pattern.contains('/') {
        let prefix = format!("{pattern}/");
        let in_family: Vec<&str> = known
            .iter()
            .copied()
            .filter(|k| k.starts_with(&prefix))
            .collect();
        match in_family.as_slice() {
            [] => {}
            [only] => return Some((*only).to_owned()),
            _ => return Some(format!("{pattern}/*")),
        }
    }
    let type_part = pattern.split_once('/').map(|(_, t)| t);
    known
        .iter()
        .map(|known| match (known.strip_suffix("/*"), type_part) {
            (Some(family), Some(type_part)) => format!("{family}/{type_part}"),
            _ => (*known).to_owned(),
        })
        .map(|candidate| (strsim::damerau_levenshtein(pattern, &candidate), candidate))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, candidate)| candidate)
}

/// The depth of the nodes a JSONPath selects when it is `$` (0) or one child segment
/// (`$.backend`, `$['a']`, `$.*`, `$[?@.x == 'y']`: 1); `None` for any other path, whose
/// depth this does not work out.
fn select_depth(path: &str) -> Option<usize> {
    let rest = path.trim().strip_prefix('$')?;
    if rest.is_empty() {
        return Some(0);
    }
    let one_segment = if let Some(name) = rest.strip_prefix('.') {
        name == "*"
            || name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    } else {
        rest.starts_with('[')
            && rest.ends_with(']')
            && !rest[1..rest.len() - 1].contains(['[', ']'])
    };
    one_segment.then_some(1)
}

/// The span of `range` (bytes of `value`) in the scalar at `span`, found as the same
/// occurrence of the same text in what is written there: exact as long as the text has no
/// escapes (a placeholder never has), whatever the scalar's style; the whole scalar when the
/// occurrences do not correspond (a folded line).
fn template_span(source: &SourceFile, span: Span, value: &str, range: Range<usize>) -> Span {
    let written = source.text.get(span.start..span.end).unwrap_or_default();
    let needle = &value[range.clone()];
    if needle.is_empty() || written.matches(needle).count() != value.matches(needle).count() {
        return span;
    }
    let nth = value[..range.start].matches(needle).count();
    match written.match_indices(needle).nth(nth) {
        Some((at, _)) => Span::new(span.start + at, span.start + at + needle.len()),
        None => span,
    }
}

/// The span of character `position` of `value` when the scalar is written as is (plain or
/// quoted without escapes); otherwise the whole scalar.
fn error_in_scalar(source: &SourceFile, span: Span, value: &str, position: usize) -> Span {
    let written = source.text.get(span.start..span.end).unwrap_or_default();
    let offset = if written == value {
        0
    } else if written.len() == value.len() + 2 && written.get(1..written.len() - 1) == Some(value) {
        1
    } else {
        return span;
    };
    let Some((at, c)) = value.char_indices().nth(position) else {
        // Past the end: the error is that the path stops too early.
        let end = span.start + offset + value.len();
        return Span::new(end, end);
    };
    let start = span.start + offset + at;
    Span::new(start, start + c.len_utf8())
}

/// Size bounds of every regular expression a policy schema compiles.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const REGEX_DFA_SIZE_LIMIT: usize = 2 << 20;

fn schema_validator(
    schema: &Value,
    at: &str,
    source: &Arc<SourceFile>,
    document: &ParsedDocument,
) -> Result<Validator, FileError> {
    let locate = |relative: &str| {
        let pointer = format!("{at}{relative}");
        document
            .spans
            .nearest(&pointer)
            .map(|(_, s)| s.value)
            .unwrap_or_else(|| key_span(document, at))
    };
    if let Some(reference) = external_reference(schema, "") {
        return Err(FileError::new(
            source,
            locate(&reference),
            "a policy schema may only `$ref` its own definitions (`#/...`)",
        )
        .with_help("doublecheck never fetches schemas: copy the definition under `$defs`"));
    }
    let invalid = |error: &jsonschema::ValidationError| {
        let plain = yaml_file::explain(error, None);
        let span = if plain.at_key {
            key_span(document, &format!("{at}{}", plain.pointer))
        } else {
            locate(&plain.pointer)
        };
        FileError::new(
            source,
            span,
            format!("invalid JSON Schema in `{}`: {}", &at[1..], plain.message),
        )
        .with_help(plain.help.unwrap_or_else(|| {
            format!(
                "`{}` is a JSON Schema (draft 2020-12): see docs/writing-policies.md",
                &at[1..]
            )
        }))
    };
    if let Err(error) = jsonschema::meta::validate(schema) {
        return Err(invalid(&error));
    }
    build_validator(schema).map_err(|error| invalid(&error))
}

/// Builds the JSON Schema meta-schema validator, which compiling any schema needs and the
/// `jsonschema` crate builds once a run, on first use (see
/// [`super::PolicySet::prepare_in_background`]).
pub(super) fn build_meta_validator() {
    let _ = jsonschema::meta::is_valid(&serde_json::json!({"type": "object"}));
}

/// Compiles a policy's JSON Schema. `pattern` and `patternProperties` run on the `regex`
/// crate (linear time in the text, no backtracking); a compiled pattern over 1 MiB, or whose
/// lazy DFA wants more than 2 MiB, is an error at the pattern instead of a memory or time
/// sink.
fn build_validator(schema: &Value) -> Result<Validator, jsonschema::ValidationError<'_>> {
    jsonschema::options()
        .with_pattern_options(
            PatternOptions::regex()
                .size_limit(REGEX_SIZE_LIMIT)
                .dfa_size_limit(REGEX_DFA_SIZE_LIMIT),
        )
        .build(schema)
}

/// The pointer of the first `$ref` / `$dynamicRef` that leaves the schema, if any.
fn external_reference(schema: &Value, pointer: &str) -> Option<String> {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                let child = child_pointer(pointer, key);
                if matches!(key.as_str(), "$ref" | "$dynamicRef")
                    && value.as_str().is_some_and(|r| !r.starts_with('#'))
                {
                    return Some(child);
                }
                if let Some(found) = external_reference(value, &child) {
                    return Some(found);
                }
            }
            None
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| external_reference(v, &index_pointer(pointer, i))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_the_detector_gives_are_known() {
        for pattern in [
            "salesforce/Profile",
            "salesforce/AnyRootElement",
            "kubernetes/*",
            "kubernetes/Deployment",
            "terraform/config",
            "terraform/*",
            "github/*",
            "*",
            "*/Profile",
            "*Profile",
            "sales*",
            "data/file",
            "cloudformation/template",
        ] {
            assert!(kind_is_known(pattern), "{pattern}");
        }
        for pattern in [
            "salesfroce/Profile",
            "kubernets/*",
            "terraform/configs",
            "terraform",
            "github/branch_protection",
            "helm/release",
        ] {
            assert!(!kind_is_known(pattern), "{pattern}");
        }
    }

    #[test]
    fn the_closest_known_kind() {
        let closest = |p| closest_kind(p);
        assert_eq!(
            closest("salesfroce/Profile").as_deref(),
            Some("salesforce/Profile")
        );
        assert_eq!(closest("kubernets/*").as_deref(), Some("kubernetes/*"));
        assert_eq!(
            closest("terraform/configs").as_deref(),
            Some("terraform/config")
        );
        assert_eq!(
            closest("github/branch_protection").as_deref(),
            Some("github/branch-protection")
        );
        assert_eq!(closest("terraform").as_deref(), Some("terraform/*"));
        assert_eq!(
            closest("cloudformation").as_deref(),
            Some("cloudformation/template")
        );
        assert_eq!(closest("ansible/playbook"), None);
    }

    #[test]
    fn select_depth_of_simple_paths() {
        assert_eq!(select_depth("$"), Some(0));
        assert_eq!(select_depth("$.backend"), Some(1));
        assert_eq!(select_depth("$.*"), Some(1));
        assert_eq!(select_depth("$['a', 'b']"), Some(1));
        assert_eq!(select_depth("$[?@.object == 'Lead']"), Some(1));
        for deeper in ["$.resource.*", "$..x", "$[?@.a[0]]", "$.a[*]", "$.a-b", "x"] {
            assert_eq!(select_depth(deeper), None, "{deeper}");
        }
    }

    #[test]
    fn a_placeholder_is_located_in_any_scalar_style() {
        let at = |text: &str, value: &str, range: Range<usize>| {
            let source = SourceFile::new("p.yaml", text.to_owned());
            let start = text.find(':').expect("a key") + 2;
            let span = template_span(&source, Span::new(start, text.len()), value, range);
            (span.start, text[span.start..span.end].to_owned())
        };
        // Double-quoted with an escape before the placeholder, the second of two.
        let value = "a \"b\" {x} and {x}";
        let text = "m: \"a \\\"b\\\" {x} and {x}\"";
        assert_eq!(
            at(text, value, 14..17),
            (text.rfind("{x}").expect("two"), "{x}".into())
        );
        // A block scalar.
        let value = "one\n{y|after:.}\n";
        assert_eq!(
            at("m: |\n  one\n  {y|after:.}\n", value, 4..15).1,
            "{y|after:.}"
        );
        // Text that is not written as it reads: the whole scalar.
        assert_eq!(at("m: \"\\x7bz}\"", "{z}", 0..3).1, "\"\\x7bz}\"");
    }
}
