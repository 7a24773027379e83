//! Power Pages records in one shape whatever the data model: the standard data model writes
//! `webrole.yml` and `sitesetting.yml` as lists of records and prefixes every field with
//! `adx_` (`adx_entitylogicalname`); the enhanced data model writes a file per record and
//! mostly leaves the prefix off (`entitylogicalname`, but still `adx_entitypermission_webrole`).
//! Every Power Pages document becomes a list of records, each field without its prefix, every
//! node still located where the file writes it.

use serde_json::{Map, Value};

use crate::document::{SpanTable, split_pointer};
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
            renamed.push(names);
            record
        })
        .collect();
    let mut spans = SpanTable::with_capacity(document.spans.iter().count() + 1);
    for (pointer, at) in document.spans.iter() {
        let mut tokens = split_pointer(pointer);
        if wrapped {
            tokens.insert(0, "0".to_owned());
            if pointer.is_empty() {
                spans.insert(String::new(), *at);
            }
        }
        if let [record, field, ..] = tokens.as_mut_slice()
            && let Some(names) = record.parse::<usize>().ok().and_then(|i| renamed.get(i))
            && let Some((_, to)) = names.iter().find(|(from, _)| from == field)
        {
            field.clone_from(to);
        }
        spans.insert(join(&tokens), *at);
    }
    ParsedDocument::new(Value::Array(records), spans)
}

/// A record with `adx_` taken off its fields' names (unless the record also has the name
/// without it), and the names changed.
fn unprefixed(record: Value) -> (Value, Vec<(String, String)>) {
    let Value::Object(fields) = record else {
        return (record, Vec::new());
    };
    let mut names = Vec::new();
    let mut out = Map::with_capacity(fields.len());
    let taken: Vec<String> = fields.keys().cloned().collect();
    for (key, value) in fields {
        match key.strip_prefix(PREFIX) {
            Some(bare) if !bare.is_empty() && !taken.iter().any(|k| k == bare) => {
                names.push((key.clone(), bare.to_owned()));
                out.insert(bare.to_owned(), value);
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    (Value::Object(out), names)
}

fn join(tokens: &[String]) -> String {
    tokens.iter().fold(String::new(), |pointer, token| {
        crate::document::child_pointer(&pointer, token)
    })
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
