//! Power Pages records in one shape whatever the data model: the standard data model writes
//! `webrole.yml` and `sitesetting.yml` as lists of records and prefixes every field with
//! `adx_` (`adx_entitylogicalname`); the enhanced data model writes a file per record and
//! mostly leaves the prefix off (`entitylogicalname`, but still `adx_entitypermission_webrole`).
//! Every Power Pages document becomes a list of records, each field without its prefix, every
//! node still located where the file writes it.

use serde_json::{Map, Value};

use crate::document::{SpanTable, escape_token};
use crate::parse::ParsedDocument;

const PREFIX: &str = "adx_";

/// `document` as a list of records with unprefixed fields.
pub fn lower(document: ParsedDocument) -> ParsedDocument {
    let wrapped = !document.value.is_array();
    let records = match document.value {
        Value::Array(records) => records,
        record => vec![record],
    };
    let mut renamed: Vec<Vec<(String, String)>> = Vec::with_capacity(records.len());
    let records: Vec<Value> = records
        .into_iter()
        .map(|record| {
            let (record, names) = unprefixed(record);
            // As pointer tokens, once, for every pointer below to compare with.
            let tokens = names
                .iter()
                .map(|(from, to)| {
                    (
                        escape_token(from).into_owned(),
                        escape_token(to).into_owned(),
                    )
                })
                .collect();
            renamed.push(tokens);
            record
        })
        .collect();
    let mut spans = SpanTable::with_capacity(document.spans.iter().count() + 1);
    for (pointer, at) in document.spans.iter() {
        if wrapped && pointer.is_empty() {
            spans.insert(String::new(), *at);
        }
        spans.insert(moved(pointer, wrapped, &renamed), *at);
    }
    ParsedDocument::new(Value::Array(records), spans)
}

/// A record with `adx_` taken off its fields' names (unless the record also has the name
/// without it), and the names changed.
fn unprefixed(record: Value) -> (Value, Vec<(String, String)>) {
    let Value::Object(fields) = record else {
        return (record, Vec::new());
    };
    let names: Vec<(String, String)> = fields
        .keys()
        .filter_map(|key| {
            let bare = key.strip_prefix(PREFIX)?;
            (!bare.is_empty() && !fields.keys().any(|k| k == bare))
                .then(|| (key.clone(), bare.to_owned()))
        })
        .collect();
    if names.is_empty() {
        return (Value::Object(fields), names);
    }
    let mut out = Map::with_capacity(fields.len());
    for (key, value) in fields {
        match names.iter().find(|(from, _)| *from == key) {
            Some((_, bare)) => out.insert(bare.clone(), value),
            None => out.insert(key, value),
        };
    }
    (Value::Object(out), names)
}

/// Where the node at `pointer` is after [`lower`]: under record 0 when the file held one
/// record, under its field's new name. Only the first two tokens can change, so the rest
/// of the pointer is copied as it is (splitting every pointer of every file into tokens
/// was a fifth of a large site's scan).
/// `renamed` holds each record's renamed fields as pointer tokens.
fn moved(pointer: &str, wrapped: bool, renamed: &[Vec<(String, String)>]) -> String {
    // Built by hand, not with `format!`: this runs for every node of every file.
    let mut full = String::with_capacity(pointer.len() + 2);
    if wrapped {
        full.push_str("/0");
    }
    full.push_str(pointer);
    let Some((record, after)) = full.strip_prefix('/').and_then(|rest| rest.split_once('/')) else {
        return full;
    };
    let (field, tail) = after.find('/').map_or((after, ""), |i| after.split_at(i));
    let new_name = record
        .parse::<usize>()
        .ok()
        .and_then(|i| renamed.get(i))
        .and_then(|names| names.iter().find(|(from, _)| from == field))
        .map(|(_, to)| to);
    let Some(name) = new_name else {
        return full;
    };
    let mut out = String::with_capacity(full.len());
    out.push('/');
    out.push_str(record);
    out.push('/');
    out.push_str(name);
    out.push_str(tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Format;

    fn text_at<'a>(document: &ParsedDocument, text: &'a str, pointer: &str) -> &'a str {
        let at = document.spans.get(pointer).expect("located").value;
        &text[at.start..at.end]
    }

    fn lowered(text: &str) -> ParsedDocument {
        let source = crate::document::SourceFile::new("site.yml", text.to_owned());
        let mut documents = crate::parse::parse(Format::YAML, &source).expect("valid YAML");
        lower(documents.remove(0))
    }

    #[test]
    fn a_record_of_the_enhanced_model_becomes_a_list_of_one() {
        let text = "adx_entitypermission_webrole:\n- r1\nread: true\nscope: 756150000\n";
        let document = lowered(text);
        assert_eq!(
            document.value,
            serde_json::json!([{"entitypermission_webrole": ["r1"], "read": true, "scope": 756150000}])
        );
        assert_eq!(
            text_at(&document, text, "/0/entitypermission_webrole/0"),
            "r1"
        );
        assert_eq!(text_at(&document, text, "/0/read"), "true");
    }

    #[test]
    fn the_standard_models_list_keeps_its_records_without_prefix() {
        let text = "- adx_name: Anonymous Users\n  adx_anonymoususersrole: true\n  name: x\n";
        let document = lowered(text);
        assert_eq!(
            document.value,
            serde_json::json!([{"adx_name": "Anonymous Users", "anonymoususersrole": true, "name": "x"}])
        );
        assert_eq!(text_at(&document, text, "/0/anonymoususersrole"), "true");
    }
}
