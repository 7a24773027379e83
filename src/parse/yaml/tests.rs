use super::*;
use crate::parse::LocalTag;
use serde_json::json;

fn docs(text: &str) -> (SourceFile, Vec<ParsedDocument>) {
    let source = SourceFile::new("t.yaml", text.to_owned());
    let parsed = parse(&source).expect("parses");
    (source, parsed)
}

fn at(source: &SourceFile, span: Span) -> (usize, usize) {
    let p = source.position(span.start);
    (p.line, p.column)
}

#[test]
fn keys_values_and_nested_sequences() {
    let (source, d) = docs("a:\n  b:\n    - x: 1\n    - [2, 'three']\non: yes\n");
    assert_eq!(
        d[0].value,
        json!({"a": {"b": [{"x": 1}, [2, "three"]]}, "on": "yes"})
    );
    let x = d[0].spans.get("/a/b/0/x").expect("span");
    assert_eq!(at(&source, x.key.expect("key")), (3, 7));
    assert_eq!(at(&source, x.value), (3, 10));
    let three = d[0].spans.get("/a/b/1/1").expect("span");
    // A quoted scalar's span starts at its opening quote.
    assert_eq!(at(&source, three.value), (4, 11));
    let b = d[0].spans.get("/a/b").expect("span");
    assert_eq!(at(&source, b.key.expect("key")), (2, 3));
}

#[test]
fn multi_document_streams() {
    let (source, d) = docs("kind: A\n---\nkind: B\n---\n");
    assert_eq!(d.len(), 2);
    assert_eq!(d[1].value, json!({"kind": "B"}));
    let kind = d[1].spans.get("/kind").expect("span");
    assert_eq!(at(&source, kind.value), (3, 7));
}

#[test]
fn crlf_bom_and_multibyte() {
    let (source, d) = docs("\u{feff}名前: 値\r\nk: true\r\n");
    let k = d[0].spans.get("/k").expect("span");
    assert_eq!(at(&source, k.value), (2, 4));
    let name = d[0].spans.get("/名前").expect("span");
    assert_eq!(at(&source, name.value), (1, 5));
}

#[test]
fn aliases_are_located_at_their_anchor() {
    let (source, d) = docs("base: &b\n  port: 22\nuse: *b\n");
    assert_eq!(d[0].value["use"], json!({"port": 22}));
    let port = d[0].spans.get("/use/port").expect("span");
    assert_eq!(at(&source, port.value), (2, 9));
    let used = d[0].spans.get("/use").expect("span");
    assert_eq!(at(&source, used.value), (3, 6));
}

#[test]
fn merge_keys_explicit_wins() {
    let (source, d) = docs("a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  y: 3\n");
    assert_eq!(d[0].value["b"], json!({"y": 3, "x": 1}));
    let x = d[0].spans.get("/b/x").expect("span");
    assert_eq!(at(&source, x.value), (1, 11));
    assert!(d[0].spans.get("/b/<<").is_none());
}

#[test]
fn duplicate_keys_are_errors() {
    let source = SourceFile::new("t.yaml", "a: 1\nb: 2\na: 3\n".to_owned());
    let err = parse(&source).expect_err("duplicate");
    assert!(err.message.contains("duplicate key `a`"));
    assert_eq!(source.position(err.span.start).line, 3);
}

#[test]
fn alias_bomb_is_bounded() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let source = SourceFile::new("t.yaml", text);
    let err = parse(&source).expect_err("bomb");
    assert!(err.message.contains("aliases expand"));
}

#[test]
fn syntax_errors_are_located() {
    let source = SourceFile::new("t.yaml", "a: 1\nb: [1, 2\nc: 3\n".to_owned());
    let err = parse(&source).expect_err("malformed");
    assert!(source.position(err.span.start).line >= 2);
}

fn text_at(source: &SourceFile, span: Span) -> &str {
    &source.text[span.start..span.end]
}

#[test]
fn other_tags_keep_the_plain_value() {
    let (_, d) = docs("a: !!str 123\nb: !Custom 5\nc: !Custom [1]\nd: !!int 7\n");
    assert_eq!(d[0].value, json!({"a": "123", "b": 5, "c": [1], "d": 7}));
}

fn tag<'a>(document: &'a ParsedDocument, pointer: &str) -> &'a LocalTag {
    let mut found = document.tags.iter().filter(|t| t.pointer == pointer);
    let tag = found.next().expect("a tag");
    assert!(found.next().is_none(), "one tag at {pointer}");
    tag
}

#[test]
fn local_tags_are_noted_not_interpreted() {
    let (source, d) = docs(concat!(
        "a: !Ref Bucket\n",
        "b: !If [x, !Ref \"y\"]\n",
        "c: &n !Custom 5\n",
        "d: !!str x\n",
        "e: !Join # joined\n  - ','\n  - [p, q]\n",
    ));
    let d = &d[0];
    assert_eq!(
        d.value,
        json!({"a": "Bucket", "b": ["x", "y"], "c": 5, "d": "x", "e": [",", ["p", "q"]]})
    );
    assert_eq!(d.tags.len(), 5, "{:?}", d.tags);
    let a = tag(d, "/a");
    assert_eq!((a.name.as_str(), text_at(&source, a.span)), ("Ref", "!Ref"));
    assert_eq!(text_at(&source, a.content), "Bucket");
    assert_eq!(a.text.as_deref(), Some("Bucket"));
    // The node's own span covers its tag.
    let spans = d.spans.get("/a").expect("span");
    assert_eq!(text_at(&source, spans.value), "!Ref Bucket");
    let quoted = tag(d, "/b/1");
    assert_eq!(text_at(&source, quoted.content), "\"y\"");
    assert_eq!(quoted.text.as_deref(), Some("y"));
    let collection = tag(d, "/b");
    assert_eq!(text_at(&source, collection.span), "!If");
    assert_eq!(text_at(&source, collection.content), "[x, !Ref \"y\"]");
    assert_eq!(collection.text, None);
    // A tagged scalar's text is kept as written, whatever its value.
    let custom = tag(d, "/c");
    assert_eq!(text_at(&source, custom.span), "!Custom");
    assert_eq!(text_at(&source, custom.content), "5");
    assert_eq!(custom.text.as_deref(), Some("5"));
    let block = tag(d, "/e");
    assert_eq!(at(&source, block.content), (6, 3));
    assert_eq!(text_at(&source, block.span), "!Join");
}

#[test]
fn aliases_and_merges_carry_the_tags() {
    let (source, d) = docs(concat!(
        "a: &a !Ref X\n",
        "b: *a\n",
        "m: &m {k: !Ref Y}\n",
        "n: {<<: *m}\n",
        "o: &o !Sub [s, {v: !Ref Z}]\n",
        "p: [*o]\n",
    ));
    let d = &d[0];
    let b = tag(d, "/b");
    assert_eq!(at(&source, b.span), (1, 7));
    assert_eq!(text_at(&source, b.content), "X");
    assert_eq!(
        text_at(&source, d.spans.get("/b").expect("span").value),
        "*a"
    );
    assert_eq!(at(&source, tag(d, "/n/k").span), (3, 11));
    assert!(d.tags.iter().all(|t| !t.pointer.contains("<<")));
    assert_eq!(text_at(&source, tag(d, "/p/0").span), "!Sub");
    assert_eq!(at(&source, tag(d, "/p/0/1/v").content), (5, 25));
}

#[test]
fn untagged_documents_note_nothing() {
    let (_, d) = docs("a: !!int 1\nb: [x]\n---\nc: d\n");
    assert!(d.iter().all(|d| d.tags.is_empty()));
}

#[test]
fn comments_after_tagged_quoted_scalars_are_seen() {
    let text = "a: !Ref \"x\" # one\nb: !secret 'y' # two\nc: !If [\"z\"] # three\n";
    let (_, d) = docs(text);
    let found: Vec<&str> = Format::YAML
        .comments(text, &d)
        .iter()
        .map(|c| &text[c.body.start..c.body.end])
        .collect();
    assert_eq!(found, [" one", " two", " three"]);
}

#[test]
fn deep_nesting_is_refused() {
    let source = SourceFile::new("t.yaml", "[".repeat(100_000));
    assert!(parse(&source).is_err());
}

/// Every pointer of a document that uses anchors, aliases, merges (one and several), tags
/// and keys that need escaping, with the text each value span covers: what the builder
/// writes into the span table, node by node.
#[test]
fn every_node_of_anchors_aliases_and_merges_is_located() {
    let text = "\
base: &base {a/b: 1, c~d: [x, y]}
list:
  - &item !Tag {name: one, deep: {k: v}}
  - *item
  - [*base, plain]
merged:
  <<: [*base, {e: 2}]
  c~d: mine
single:
  <<: *item
  extra: 3
---
second: {z: last}
";
    let (source, d) = docs(text);
    let mut rows: Vec<String> = Vec::new();
    for (n, document) in d.iter().enumerate() {
        let mut located: Vec<(&str, &crate::document::NodeSpans)> = document.spans.iter().collect();
        located.sort_by_key(|(pointer, _)| *pointer);
        for (pointer, spans) in located {
            let key = spans.key.map(|k| text_at(&source, k).to_owned());
            rows.push(format!(
                "{n} {pointer:?} key={key:?} value={:?}",
                text_at(&source, spans.value)
            ));
        }
    }
    let rows = rows.join("\n");
    assert_eq!(rows, EXPECTED_LOCATED.trim());
}

const EXPECTED_LOCATED: &str = r#"
0 "" key=None value="base: &base {a/b: 1, c~d: [x, y]}\nlist:\n  - &item !Tag {name: one, deep: {k: v}}\n  - *item\n  - [*base, plain]\nmerged:\n  <<: [*base, {e: 2}]\n  c~d: mine\nsingle:\n  <<: *item\n  extra: 3\n"
0 "/base" key=Some("base") value="&base {a/b: 1, c~d: [x, y]}"
0 "/base/a~1b" key=Some("a/b") value="1"
0 "/base/c~0d" key=Some("c~d") value="[x, y]"
0 "/base/c~0d/0" key=None value="x"
0 "/base/c~0d/1" key=None value="y"
0 "/list" key=Some("list") value="- &item !Tag {name: one, deep: {k: v}}\n  - *item\n  - [*base, plain]\n"
0 "/list/0" key=None value="&item !Tag {name: one, deep: {k: v}}"
0 "/list/0/deep" key=Some("deep") value="{k: v}"
0 "/list/0/deep/k" key=Some("k") value="v"
0 "/list/0/name" key=Some("name") value="one"
0 "/list/1" key=None value="*item"
0 "/list/1/deep" key=Some("deep") value="{k: v}"
0 "/list/1/deep/k" key=Some("k") value="v"
0 "/list/1/name" key=Some("name") value="one"
0 "/list/2" key=None value="[*base, plain]"
0 "/list/2/0" key=None value="*base"
0 "/list/2/0/a~1b" key=Some("a/b") value="1"
0 "/list/2/0/c~0d" key=Some("c~d") value="[x, y]"
0 "/list/2/0/c~0d/0" key=None value="x"
0 "/list/2/0/c~0d/1" key=None value="y"
0 "/list/2/1" key=None value="plain"
0 "/merged" key=Some("merged") value="<<: [*base, {e: 2}]\n  c~d: mine\n"
0 "/merged/a~1b" key=Some("a/b") value="1"
0 "/merged/c~0d" key=Some("c~d") value="mine"
0 "/merged/e" key=Some("e") value="2"
0 "/single" key=Some("single") value="<<: *item\n  extra: 3\n"
0 "/single/deep" key=Some("deep") value="{k: v}"
0 "/single/deep/k" key=Some("k") value="v"
0 "/single/extra" key=Some("extra") value="3"
0 "/single/name" key=Some("name") value="one"
1 "" key=None value="second: {z: last}\n"
1 "/second" key=Some("second") value="{z: last}"
1 "/second/z" key=Some("z") value="last"
"#;
