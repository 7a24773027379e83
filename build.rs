//! Embeds every `policies/**/*.yaml` file into the binary, so built-in policies are data
//! that ship with it and need no files at run time.
//!
//! Each policy is also converted to JSON here, once, so that a run reads a built-in policy
//! with `serde_json`, and only when it needs it, instead of parsing every YAML file with a
//! span for every node at every start; its id and kinds are written out beside the JSON,
//! which is all a run needs of the policies its files do not concern. The YAML stays the source
//! of truth (`doublecheck test`, `explain`, error locations); a unit test in
//! `src/policy/builtin.rs` checks that every JSON equals what the run-time YAML parser makes
//! of the file, less its `examples`, which a scan never reads.

use std::fs;
use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Value};

// The run-time YAML parser's typing of plain scalars (YAML 1.2 core schema), shared so the
// two conversions cannot drift apart.
#[allow(dead_code)]
#[path = "src/parse/scalar.rs"]
mod scalar;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let policies = root.join("policies");
    println!("cargo:rerun-if-changed={}", policies.display());
    let mut files = Vec::new();
    collect(&policies, &mut files);
    files.sort();
    let mut out = String::from("static BUILTIN_POLICIES: &[(&str, &str)] = &[\n");
    let mut json = String::from("static BUILTIN_POLICY_JSON: &[Option<EmbeddedJson>] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file
            .strip_prefix(&root)
            .expect("under the manifest dir")
            .to_string_lossy()
            .replace('\\', "/");
        out.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
        let converted = fs::read_to_string(file)
            .ok()
            .and_then(|text| yaml_to_json(&text))
            .and_then(|text| embedded_json(&text))
            .unwrap_or_else(|| "None".to_owned());
        json.push_str(&format!("    {converted},\n"));
    }
    out.push_str("];\n");
    json.push_str("];\n");
    out.push_str(&json);
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    fs::write(dest.join("builtin_policies.rs"), out).expect("OUT_DIR is writable");
}

/// The `EmbeddedJson { json, id, applies_to }` literal of a converted policy: a scan needs
/// only the id and kinds of most built-in policies, so it gets them without reading the
/// JSON. `None` when the file has no string `id` or list of string `applies-to` (the
/// run-time YAML parser then reports the mistake).
fn embedded_json(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    let id = value.get("id")?.as_str()?;
    let kinds = value
        .get("applies-to")?
        .as_array()?
        .iter()
        .map(|kind| kind.as_str().map(|kind| format!("{kind:?}")))
        .collect::<Option<Vec<_>>>()?;
    // `{:?}` of a string is a valid Rust string literal.
    Some(format!(
        "Some(EmbeddedJson {{ json: {text:?}, id: {id:?}, applies_to: &[{}] }})",
        kinds.join(", ")
    ))
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            files.push(path);
        }
    }
}

/// A collection being built: a mapping (with the key waiting for its value) or a sequence.
enum Frame {
    Mapping(Map<String, Value>, Option<String>),
    Sequence(Vec<Value>),
}

/// The JSON of a YAML file holding one document of plain mappings, sequences and scalars:
/// the subset policies are written in. Anything else (anchors, aliases, tags, merge keys,
/// collections as keys, duplicate keys, several documents, a syntax error) gives `None`, and
/// that policy is parsed from its YAML at run time, like a user's policy.
fn yaml_to_json(text: &str) -> Option<String> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, _) = event.ok()?;
        let value = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {
                continue;
            }
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Alias(_) => return None,
            Event::Scalar(_, _, anchor, tag) if anchor > 0 || tag.is_some() => return None,
            Event::Scalar(text, style, _, _) => {
                if let Some(Frame::Mapping(map, pending @ None)) = stack.last_mut() {
                    if text == "<<" || map.contains_key(text.as_ref()) {
                        return None;
                    }
                    *pending = Some(text.into_owned());
                    continue;
                }
                match style {
                    ScalarStyle::Plain => scalar::yaml_plain(&text),
                    _ => Value::String(text.into_owned()),
                }
            }
            Event::MappingStart(anchor, tag) | Event::SequenceStart(anchor, tag)
                if anchor > 0 || tag.is_some() =>
            {
                return None;
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if let Some(Frame::Mapping(_, None)) = stack.last() {
                    return None;
                }
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Mapping(Map::new(), None)
                } else {
                    Frame::Sequence(Vec::new())
                });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => match stack.pop()? {
                Frame::Mapping(map, _) => Value::Object(map),
                Frame::Sequence(items) => Value::Array(items),
            },
        };
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Sequence(items)) => items.push(value),
            Some(Frame::Mapping(map, pending)) => {
                map.insert(pending.take()?, value);
            }
        }
    }
    let mut root = root.filter(Value::is_object)?;
    // A scan never reads a policy's examples (`doublecheck test` and `explain` read the
    // YAML): deserializing them was a third of reading the built-in policies at each start.
    if let Value::Object(map) = &mut root {
        map.shift_remove("examples");
    }
    Some(root.to_string())
}
