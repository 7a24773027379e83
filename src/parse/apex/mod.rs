//! Apex (Salesforce's Java-like language), lowered only as far as policies need it:
//! - a class file (`*.cls`) becomes `{"classes": [{name, sharing, outer, test, entry}]}`, so
//!   doublecheck knows which classes bypass record sharing (`without sharing`), inner classes
//!   included, which are test classes (`@isTest`) that only tests can run, and which can be
//!   called from outside Apex (`entry`: the first `@AuraEnabled`, `webservice`, … in it);
//! - an anonymous script (`*.apex`) is lowered by [`script`] from the same tokens.
//!
//! Both read the tokens of a small linear-time lexer that drops comments and whitespace,
//! so braces and keywords inside comments and string literals never count. A string literal
//! is one token wherever it is, SOQL inside `[...]` included (`WHERE Name = 'X'`).

mod script;

use serde_json::json;

use super::{ParseError, ParsedDocument};
use crate::document::{NodeSpans, SourceFile, Span, SpanTable, child_pointer, index_pointer};
use crate::parse::comments::{Comment, c_like_comments};
use crate::parse::{FileFormat, Format};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    Ident,
    Number,
    /// A string literal's unescaped content; the token's span is inside the quotes.
    Str(String),
    Punct(char),
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) span: Span,
}

impl Token {
    pub(super) fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }

    /// Apex keywords are case-insensitive: `Class`, `WITHOUT SHARING`.
    pub(super) fn is_word(&self, text: &str, word: &str) -> bool {
        self.kind == Kind::Ident && slice(text, self.span).eq_ignore_ascii_case(word)
    }
}

pub(super) fn slice(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or("")
}

pub(super) fn lex(text: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Every branch advances by whole characters, so `i` stays on a char boundary.
    while i < bytes.len() {
        let start = i;
        let next = bytes.get(i + 1).copied();
        match bytes[i] {
            b'/' if next == Some(b'/') => {
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .map_or(bytes.len(), |at| i + at);
            }
            b'/' if next == Some(b'*') => i = block_comment_end(text, i)?,
            b'\'' => {
                let (content, close) = string_literal(text, i)?;
                tokens.push(Token {
                    kind: Kind::Str(content),
                    span: Span::new(i + 1, close),
                });
                i = close + 1;
            }
            b if b.is_ascii_alphanumeric() || b == b'_' => {
                i += bytes[i..]
                    .iter()
                    .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
                    .unwrap_or(bytes.len() - i);
                let kind = if b.is_ascii_digit() {
                    Kind::Number
                } else {
                    Kind::Ident
                };
                tokens.push(Token {
                    kind,
                    span: Span::new(start, i),
                });
            }
            _ => {
                let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                i += c.len_utf8();
                if !c.is_whitespace() {
                    tokens.push(Token {
                        kind: Kind::Punct(c),
                        span: Span::new(start, i),
                    });
                }
            }
        }
    }
    Ok(tokens)
}

/// The byte after the `*/` closing the comment opened at `open` (Apex does not nest them).
fn block_comment_end(text: &str, open: usize) -> Result<usize, ParseError> {
    text.get(open + 2..)
        .and_then(|rest| rest.find("*/"))
        .map(|at| open + 2 + at + 2)
        .ok_or_else(|| {
            ParseError::new(
                "unterminated block comment: this `/*` has no closing `*/`",
                Span::new(open, open + 2),
            )
        })
}

/// The unescaped content of the literal opened at `open`, and the byte of its closing quote.
/// Apex strings cannot span lines, so a line break ends an unterminated one.
fn string_literal(text: &str, open: usize) -> Result<(String, usize), ParseError> {
    let unterminated = || {
        ParseError::new(
            "unterminated string literal: this `'` is not closed on the same line",
            Span::new(open, open + 1),
        )
    };
    let mut content = String::new();
    let mut chars = text.get(open + 1..).unwrap_or("").char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\'' => return Ok((content, open + 1 + at)),
            '\n' | '\r' => return Err(unterminated()),
            '\\' => match chars.next() {
                None | Some((_, '\n' | '\r')) => return Err(unterminated()),
                Some((_, 'u')) => match unicode_escape(chars.as_str()) {
                    Some(c) => {
                        content.push(c);
                        chars.nth(3);
                    }
                    None => content.push_str("\\u"),
                },
                Some((_, escaped)) => content.push(match escaped {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    other => other,
                }),
            },
            c => content.push(c),
        }
    }
    Err(unterminated())
}

/// The character of a `\uXXXX` escape, given the text after the `u`.
fn unicode_escape(rest: &str) -> Option<char> {
    let hex = rest.get(..4)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(hex, 16).ok()?)
}

/// One class declaration, with the spans its lowering needs.
struct ClassDecl<'a> {
    name: &'a str,
    name_span: Span,
    keyword: Span,
    /// From the first modifier (or `class`) to the end of the name.
    declaration: Span,
    /// `with`, `without` or `inherited`, and the span of the two keywords.
    sharing: Option<(&'static str, Span)>,
    /// Index of the class whose body holds this one.
    outer: Option<usize>,
    /// Annotated `@isTest`, or inside a class that is.
    test: bool,
    /// The first thing in the class that lets code outside Apex call it: an `@AuraEnabled`,
    /// `@RemoteAction`, `@InvocableMethod` or `@Http…` method, a `webservice` method, or
    /// the class's own `@RestResource`.
    entry: Option<(&'a str, Span)>,
}

/// Annotations that make a method (or, `RestResource`, a class) callable from outside Apex:
/// Lightning components, Visualforce JavaScript remoting, flows, REST.
const ENTRY_ANNOTATIONS: &[&str] = &[
    "AuraEnabled",
    "RemoteAction",
    "InvocableMethod",
    "RestResource",
    "HttpGet",
    "HttpPost",
    "HttpPut",
    "HttpPatch",
    "HttpDelete",
];

/// The entry-point marker starting at token `i`, if one does: an annotation of
/// [`ENTRY_ANNOTATIONS`] (`@` and its name) or the `webservice` keyword.
fn entry_at<'a>(text: &'a str, tokens: &[Token], i: usize) -> Option<(&'a str, Span)> {
    let token = &tokens[i];
    if token.is_word(text, "webservice") {
        return Some(("webservice", token.span));
    }
    let name = tokens.get(i + 1).filter(|_| token.is_punct('@'))?;
    ENTRY_ANNOTATIONS.iter().find(|a| name.is_word(text, a))?;
    Some((
        slice(text, name.span),
        Span::new(token.span.start, name.span.end),
    ))
}

/// `class Name` where `class` is not a class literal (`Foo.class`).
fn is_declaration(text: &str, tokens: &[Token], i: usize) -> bool {
    tokens[i].is_word(text, "class")
        && tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Ident)
        && !(i > 0 && tokens[i - 1].is_punct('.'))
}

fn find_classes<'a>(text: &'a str, tokens: &[Token]) -> Vec<ClassDecl<'a>> {
    let mut classes: Vec<ClassDecl<'a>> = Vec::new();
    // Per open brace, the innermost class whose body it lies in.
    let mut enclosing: Vec<Option<usize>> = Vec::new();
    // A class declared but whose body's `{` has not been seen yet.
    let mut pending: Option<usize> = None;
    // The first token that may be a modifier of the next declaration: modifiers run back
    // to the last `;`, `{`, `}` or the previous declaration, so each token is read once.
    let mut segment = 0;
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        if token.is_punct('{') {
            let owner = pending.take().or(enclosing.last().copied().flatten());
            enclosing.push(owner);
            segment = i + 1;
        } else if token.is_punct('}') {
            enclosing.pop();
            segment = i + 1;
        } else if token.is_punct(';') {
            segment = i + 1;
        } else if let Some(found) = entry_at(text, tokens, i)
            && let Some(Some(owner)) = enclosing.last().copied()
            && classes[owner].entry.is_none()
        {
            // A method's annotation or `webservice`, in the body of the class that owns it.
            classes[owner].entry = Some(found);
        } else if is_declaration(text, tokens, i) {
            let name = &tokens[i + 1];
            let modifiers = tokens.get(segment..i).unwrap_or_default();
            let first = modifiers.first().map_or(token.span, |t| t.span);
            let outer = enclosing.last().copied().flatten();
            let test = is_test(text, modifiers) || outer.is_some_and(|o| classes[o].test);
            // `@RestResource(urlMapping=…)` marks the class itself.
            let entry = (segment..i).find_map(|m| entry_at(text, tokens, m));
            classes.push(ClassDecl {
                name: slice(text, name.span),
                name_span: name.span,
                keyword: token.span,
                declaration: Span::new(first.start, name.span.end),
                sharing: sharing(text, modifiers),
                outer,
                test,
                entry,
            });
            pending = Some(classes.len() - 1);
            i += 2;
            segment = i;
            continue;
        }
        i += 1;
    }
    classes
}

/// Whether a declaration's modifiers hold the `@isTest` annotation (any case, with or
/// without arguments such as `SeeAllData=true`).
fn is_test(text: &str, modifiers: &[Token]) -> bool {
    modifiers
        .windows(2)
        .any(|pair| pair[0].is_punct('@') && pair[1].is_word(text, "isTest"))
}

/// The sharing keywords among a declaration's modifiers, outside annotation arguments.
fn sharing(text: &str, modifiers: &[Token]) -> Option<(&'static str, Span)> {
    let mut depth = 0usize;
    for (i, token) in modifiers.iter().enumerate() {
        if token.is_punct('(') {
            depth += 1;
        } else if token.is_punct(')') {
            depth = depth.saturating_sub(1);
        }
        let Some(next) = modifiers.get(i + 1) else {
            break;
        };
        if depth > 0 || !next.is_word(text, "sharing") {
            continue;
        }
        for mode in ["with", "without", "inherited"] {
            if token.is_word(text, mode) {
                return Some((mode, Span::new(token.span.start, next.span.end)));
            }
        }
    }
    None
}

pub(super) fn record(spans: &mut SpanTable, pointer: String, value: Span) {
    spans.insert(pointer, NodeSpans { key: None, value });
}

/// Lowers a class file (`*.cls`) to `{"classes": [{"name", "sharing", "outer", "test"}]}`.
pub fn parse_class(source: &SourceFile) -> Result<ParsedDocument, ParseError> {
    let text = source.text.as_str();
    let tokens = lex(text)?;
    let classes = find_classes(text, &tokens);
    let whole = Span::new(0, text.len());
    let mut spans = SpanTable::default();
    record(&mut spans, String::new(), whole);
    record(&mut spans, "/classes".to_owned(), whole);
    let mut items = Vec::with_capacity(classes.len());
    for (i, class) in classes.iter().enumerate() {
        let pointer = index_pointer("/classes", i);
        let outer = class.outer.and_then(|o| classes.get(o));
        items.push(json!({
            "name": class.name,
            "sharing": class.sharing.map(|(mode, _)| mode),
            "outer": outer.map(|o| o.name),
            "test": class.test,
            "entry": class.entry.map(|(name, _)| name),
        }));
        let sharing_span = class.sharing.map_or(class.keyword, |(_, span)| span);
        let outer_span = outer.map_or(class.keyword, |o| o.name_span);
        record(&mut spans, child_pointer(&pointer, "name"), class.name_span);
        record(&mut spans, child_pointer(&pointer, "sharing"), sharing_span);
        record(&mut spans, child_pointer(&pointer, "outer"), outer_span);
        record(
            &mut spans,
            child_pointer(&pointer, "test"),
            class.declaration,
        );
        let entry_span = class.entry.map_or(class.declaration, |(_, span)| span);
        record(&mut spans, child_pointer(&pointer, "entry"), entry_span);
        record(&mut spans, pointer, class.declaration);
    }
    Ok(ParsedDocument::new(json!({ "classes": items }), spans))
}

/// An Apex class file (`*.cls`). Comments are `//` and `/* */` outside `'…'` literals.
struct ApexClass;

impl Format {
    pub const APEX_CLASS: Format = Format::new(&ApexClass);
}

impl FileFormat for ApexClass {
    fn name(&self) -> &'static str {
        "Apex"
    }

    fn parse(&self, source: &SourceFile) -> Result<Vec<ParsedDocument>, ParseError> {
        parse_class(source).map(|doc| vec![doc])
    }

    fn comments(&self, text: &str, _: &[ParsedDocument]) -> Vec<Comment> {
        c_like_comments(text, '\'', true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn source(text: &str) -> SourceFile {
        SourceFile::new("t.cls", text.to_owned())
    }

    fn classes(text: &str) -> (Value, SpanTable) {
        let parsed = parse_class(&source(text)).expect("parses");
        (parsed.value, parsed.spans)
    }

    /// The text a pointer's value span covers.
    fn at<'a>(text: &'a str, spans: &SpanTable, pointer: &str) -> &'a str {
        slice(text, spans.get(pointer).expect("span").value)
    }

    #[test]
    fn top_level_without_sharing() {
        let text = "/** doc */\npublic without sharing class Gate extends Base {\n}\n";
        let (value, spans) = classes(text);
        assert_eq!(
            value,
            json!({"classes": [{"name": "Gate", "sharing": "without", "outer": null, "test": false, "entry": null}]})
        );
        assert_eq!(at(text, &spans, ""), text);
        assert_eq!(at(text, &spans, "/classes"), text);
        assert_eq!(
            at(text, &spans, "/classes/0"),
            "public without sharing class Gate"
        );
        assert_eq!(at(text, &spans, "/classes/0/name"), "Gate");
        assert_eq!(at(text, &spans, "/classes/0/sharing"), "without sharing");
        assert_eq!(at(text, &spans, "/classes/0/outer"), "class");
    }

    #[test]
    fn inner_classes_and_their_outer() {
        let text = "public with sharing class Outer {\n  void m() { if (x) { } }\n  \
                    private without sharing class A { }\n  class B {\n    void n() {}\n  }\n  \
                    public inherited sharing class C {}\n}\nclass Next {}\n";
        let (value, spans) = classes(text);
        assert_eq!(
            value,
            json!({"classes": [
                {"name": "Outer", "sharing": "with", "outer": null, "test": false, "entry": null},
                {"name": "A", "sharing": "without", "outer": "Outer", "test": false, "entry": null},
                {"name": "B", "sharing": null, "outer": "Outer", "test": false, "entry": null},
                {"name": "C", "sharing": "inherited", "outer": "Outer", "test": false, "entry": null},
                {"name": "Next", "sharing": null, "outer": null, "test": false, "entry": null},
            ]})
        );
        assert_eq!(at(text, &spans, "/classes/0/sharing"), "with sharing");
        assert_eq!(
            at(text, &spans, "/classes/1"),
            "private without sharing class A"
        );
        assert_eq!(at(text, &spans, "/classes/1/outer"), "Outer");
        assert_eq!(spans.get("/classes/1/outer"), spans.get("/classes/0/name"));
        assert_eq!(at(text, &spans, "/classes/2"), "class B");
        assert_eq!(at(text, &spans, "/classes/2/sharing"), "class");
        assert_eq!(at(text, &spans, "/classes/3/sharing"), "inherited sharing");
        assert_eq!(at(text, &spans, "/classes/4/outer"), "class");
    }

    #[test]
    fn class_literals_comments_and_strings_are_not_declarations() {
        let text = "class A {\n  Type t = Foo.class;\n  Type u = Foo . class ;\n  \
                    // class Fake {\n  /* class Other { */\n  String s = 'class Str {';\n}\n";
        let (value, _) = classes(text);
        assert_eq!(
            value,
            json!({"classes": [{"name": "A", "sharing": null, "outer": null, "test": false, "entry": null}]})
        );
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_nest() {
        let text = "class A {\n  String s = '}}';\n  // }\n  /* } */\n  class B {}\n}\n\
                    class C { String t = '{'; /* { */ }\nclass D {}\n";
        let (value, _) = classes(text);
        let outers: Vec<&Value> = value["classes"]
            .as_array()
            .expect("array")
            .iter()
            .map(|c| &c["outer"])
            .collect();
        assert_eq!(
            outers,
            [&json!(null), &json!("A"), &json!(null), &json!(null)]
        );
    }

    #[test]
    fn annotations_are_modifiers() {
        let text = "@RestResource(urlMapping='/api/*')\nglobal without sharing class Api {\n  \
                    @IsTest(SeeAllData=true) private with sharing class T {}\n}\n";
        let (value, spans) = classes(text);
        assert_eq!(value["classes"][0]["sharing"], json!("without"));
        assert_eq!(value["classes"][1]["sharing"], json!("with"));
        assert_eq!(
            at(text, &spans, "/classes/0"),
            "@RestResource(urlMapping='/api/*')\nglobal without sharing class Api"
        );
        assert_eq!(
            at(text, &spans, "/classes/1"),
            "@IsTest(SeeAllData=true) private with sharing class T"
        );
    }

    #[test]
    fn test_classes_and_their_inner_classes() {
        let text = "@isTest\nprivate without sharing class GateTest {\n  class Helper {}\n}\n\
                    @IsTest(SeeAllData=true) public class Legacy {}\n\
                    @TestVisible class NotATest { @isTest static void m() {} class I {} }\n\
                    // @isTest\nclass Commented {}\n";
        let (value, spans) = classes(text);
        let tests: Vec<(&Value, &Value)> = value["classes"]
            .as_array()
            .expect("array")
            .iter()
            .map(|c| (&c["name"], &c["test"]))
            .collect();
        assert_eq!(
            tests,
            [
                (&json!("GateTest"), &json!(true)),
                (&json!("Helper"), &json!(true)),
                (&json!("Legacy"), &json!(true)),
                (&json!("NotATest"), &json!(false)),
                (&json!("I"), &json!(false)),
                (&json!("Commented"), &json!(false)),
            ]
        );
        assert_eq!(
            at(text, &spans, "/classes/0/test"),
            "@isTest\nprivate without sharing class GateTest"
        );
    }

    #[test]
    fn entry_points_of_each_class() {
        let text = "@RestResource(urlMapping='/x')\nglobal without sharing class Api {\n\
                    @HttpGet global static void get() {}\n}\n\
                    public class Ctl {\n  class Inner { }\n  @AuraEnabled(cacheable=true)\n\
                    public static void load() {}\n  webservice static void old() {}\n}\n\
                    public class Helper { public void run() {} }\n";
        let (value, spans) = classes(text);
        let entries: Vec<&Value> = value["classes"]
            .as_array()
            .expect("classes")
            .iter()
            .map(|c| &c["entry"])
            .collect();
        assert_eq!(
            entries,
            [
                &json!("RestResource"),
                &json!("AuraEnabled"),
                &Value::Null,
                &Value::Null
            ]
        );
        assert_eq!(at(text, &spans, "/classes/1/entry"), "@AuraEnabled");
    }

    #[test]
    fn keywords_are_case_insensitive() {
        let text = "Public WITHOUT Sharing Class Loud { CLASS Inner {} }";
        let (value, spans) = classes(text);
        assert_eq!(
            value,
            json!({"classes": [
                {"name": "Loud", "sharing": "without", "outer": null, "test": false, "entry": null},
                {"name": "Inner", "sharing": null, "outer": "Loud", "test": false, "entry": null},
            ]})
        );
        assert_eq!(at(text, &spans, "/classes/0/sharing"), "WITHOUT Sharing");
        assert_eq!(at(text, &spans, "/classes/1/sharing"), "CLASS");
    }

    #[test]
    fn interfaces_and_enums_are_not_classes() {
        let text = "public class Outer {\n  public interface Shape { void draw(); }\n  \
                    public enum Color { RED, GREEN }\n  class Inner {}\n}\n\
                    interface Top { }\nclass After {}\n";
        let (value, _) = classes(text);
        assert_eq!(
            value,
            json!({"classes": [
                {"name": "Outer", "sharing": null, "outer": null, "test": false, "entry": null},
                {"name": "Inner", "sharing": null, "outer": "Outer", "test": false, "entry": null},
                {"name": "After", "sharing": null, "outer": null, "test": false, "entry": null},
            ]})
        );
    }

    #[test]
    fn unterminated_string_and_comment_are_located() {
        let text = "class A {\n  String s = 'open;\n}\n";
        let err = parse_class(&source(text)).expect_err("unterminated");
        assert!(err.message.contains("unterminated string literal"));
        assert_eq!(slice(text, err.span), "'");
        assert_eq!(err.span.start, text.find('\'').expect("quote"));

        let text = "class A {} /* never closed";
        let err = parse_class(&source(text)).expect_err("unterminated");
        assert!(err.message.contains("unterminated block comment"));
        assert_eq!(err.span, Span::new(11, 13));

        let err = parse_class(&source("String s = 'ends \\")).expect_err("escape at end");
        assert_eq!(err.span, Span::new(11, 12));
    }

    #[test]
    fn bom_crlf_and_empty() {
        let text = "\u{feff}public without sharing class W {\r\n  class I {}\r\n}\r\n";
        let (value, spans) = classes(text);
        assert_eq!(value["classes"][1]["outer"], json!("W"));
        assert_eq!(
            at(text, &spans, "/classes/0"),
            "public without sharing class W"
        );
        assert_eq!(at(text, &spans, "/classes/1/name"), "I");

        for empty in ["", "\u{feff}", "// only a comment\r\n/* and another */"] {
            let (value, spans) = classes(empty);
            assert_eq!(value, json!({"classes": []}));
            assert_eq!(at(empty, &spans, "/classes"), empty);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "'",
            "/*",
            "/",
            "\\",
            "class",
            ". class X",
            "}}}{",
            "é'\u{feff}",
            "1abc",
        ] {
            let _ = parse_class(&source(text));
        }
        // Every truncation of a rich sample, cut on each char boundary.
        let sample = "\u{feff}@A(b='/*') Public WITHOUT Sharing Class \u{e9}X {\r\n\
                      String s = 'it\\'s \\u00e9'; /* } */ Type t = Y.class; }";
        for (cut, _) in sample.char_indices() {
            let _ = parse_class(&source(&sample[..cut]));
            let _ = parse_class(&source(&sample[cut..]));
        }
        let deep = "{".repeat(100_000) + "class X {}";
        let (value, _) = classes(&deep);
        assert_eq!(value["classes"][0]["name"], json!("X"));
    }
}
