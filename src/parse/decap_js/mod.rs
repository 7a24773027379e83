//! Decap CMS configured in code: the object given to `CMS.init({ config: { … } })` in a
//! JavaScript or TypeScript file, lowered to the shape of `admin/config.yml` (one document a
//! call), every key and value located.
//!
//! Not a JavaScript parser: a narrow reader of the call and of the object literal it is
//! given (or the `const config = { … }` that `{ config }` names in the same file). Literals
//! (strings, numbers, `true`, `false`, `null`, template strings without `${}`) are data;
//! anything else (a variable, a call, a spread, a function) is kept as its source text in
//! `${…}`, as Terraform's JSON syntax writes expressions, so a policy sees that the value is
//! not known. A config that is imported from another file is not followed. Why not a full
//! parser: docs/dependencies.md.

mod reader;
mod scan;

use serde_json::Value;

use super::comments::{Comment, c_like_comments};
use super::{FileFormat, Format, ParseError, ParsedDocument};
use crate::document::SourceFile;
use reader::{Located, Reader};

/// The object given to each `CMS.init(…)` of the file as `config`, one document each.
pub fn parse(source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
    let text = source.text.as_str();
    let mut documents = Vec::new();
    let mut calls = scan::calls(text, "CMS.init");
    // `import('decap-cms-app').then((cms) => cms.init({ config }))`.
    calls.extend(scan::calls(text, "cms.init"));
    calls.sort_unstable();
    for call in calls {
        let mut argument = Reader::new(text, call).read_value()?;
        // `CMS.init(options)`: the options a `const` of the file holds.
        if let Some(options) = named_object(text, argument.value())? {
            argument = options;
        }
        let document = match argument.get("config") {
            Some(Value::Object(_)) => argument.below("/config"),
            Some(expression) => match named_object(text, expression)? {
                Some(config) => config.below(""),
                None => continue,
            },
            None => continue,
        };
        documents.push(document);
    }
    Ok(documents)
}

/// The object literal a `const NAME = { … }` (or `let`, `var`, with a type) of the file
/// gives the variable an expression `${NAME}` names.
fn named_object(text: &str, expression: &Value) -> Result<Option<Located>, ParseError> {
    let Some(name) = expression
        .as_str()
        .and_then(|e| e.strip_prefix("${"))
        .and_then(|e| e.strip_suffix('}'))
        .filter(|n| scan::is_identifier(n))
    else {
        return Ok(None);
    };
    let Some(start) = scan::declaration(text, name) else {
        return Ok(None);
    };
    let located = Reader::new(text, start).read_value()?;
    Ok(located.value().is_object().then_some(located))
}

/// JavaScript or TypeScript holding `CMS.init`.
struct DecapJs;

impl Format {
    pub const DECAP_JS: Format = Format::new(&DecapJs);
}

impl FileFormat for DecapJs {
    fn name(&self) -> &'static str {
        "JavaScript (CMS.init)"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse(source)
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        c_like_comments(text, '\'', true)
    }
}

#[cfg(test)]
mod tests;
