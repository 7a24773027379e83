use serde_json::json;

use super::*;
use crate::document::SourceFile;
use crate::parse::{Format, parse};

/// A YAML file's documents, read as CloudFormation templates.
fn docs(text: &str) -> (SourceFile, Vec<ParsedDocument>) {
    let source = SourceFile::new("t.yaml", text.to_owned());
    let parsed = parse(Format::YAML, &source).expect("parses");
    let lowered = parsed.into_iter().map(|d| lower(d, text)).collect();
    (source, lowered)
}

fn at(source: &SourceFile, span: Span) -> (usize, usize) {
    let p = source.position(span.start);
    (p.line, p.column)
}

fn text_at(source: &SourceFile, span: Span) -> &str {
    &source.text[span.start..span.end]
}

#[test]
fn cloudformation_short_forms_lower_to_long_forms() {
    let (_, d) = docs(concat!(
        "a: !Ref Bucket\n",
        "b: !GetAtt Role.Arn\n",
        "c: !GetAtt [Role, Arn]\n",
        "d: !If [IsProd, !Ref A, !Ref \"AWS::NoValue\"]\n",
        "e: !Sub\n  - 'arn:${Id}'\n  - {Id: !Ref X}\n",
        "f: !Base64\n  Fn::Sub: x\n",
        "g: !GetAZs ''\n",
        "h: !Condition IsProd\n",
        "i: !Ref 123\n",
        "j: !Select [0, !GetAZs '']\n",
    ));
    assert_eq!(
        d[0].value,
        json!({
            "a": {"Ref": "Bucket"},
            "b": {"Fn::GetAtt": ["Role", "Arn"]},
            "c": {"Fn::GetAtt": ["Role", "Arn"]},
            "d": {"Fn::If": ["IsProd", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]},
            "e": {"Fn::Sub": ["arn:${Id}", {"Id": {"Ref": "X"}}]},
            "f": {"Fn::Base64": {"Fn::Sub": "x"}},
            "g": {"Fn::GetAZs": ""},
            "h": {"Condition": "IsProd"},
            "i": {"Ref": "123"},
            "j": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        })
    );
}

#[test]
fn intrinsic_spans_tag_value_and_whole() {
    let (source, d) = docs(
        "a: !Ref Bucket\nd: !If [IsProd, !Ref A, !Ref \"AWS::NoValue\"]\nb: !GetAtt 'Role.Arn'\n",
    );
    let spans = &d[0].spans;
    let a = spans.get("/a").expect("span");
    assert_eq!(text_at(&source, a.value), "!Ref Bucket");
    assert_eq!(text_at(&source, a.key.expect("key")), "a");
    let inner = spans.get("/a/Ref").expect("span");
    assert_eq!(text_at(&source, inner.key.expect("key")), "!Ref");
    assert_eq!(text_at(&source, inner.value), "Bucket");
    // A nested `!Ref` inside a flow sequence of `!If`.
    let nested = spans.get("/d/Fn::If/2/Ref").expect("span");
    assert_eq!(at(&source, nested.value), (2, 30));
    assert_eq!(text_at(&source, nested.value), "\"AWS::NoValue\"");
    assert_eq!(at(&source, nested.key.expect("key")), (2, 25));
    let wrapper = spans.get("/d/Fn::If/2").expect("span");
    assert_eq!(text_at(&source, wrapper.value), "!Ref \"AWS::NoValue\"");
    let if_inner = spans.get("/d/Fn::If").expect("span");
    assert_eq!(text_at(&source, if_inner.key.expect("key")), "!If");
    assert!(text_at(&source, if_inner.value).starts_with("[IsProd"));
    let d_whole = spans.get("/d").expect("span");
    assert!(text_at(&source, d_whole.value).starts_with("!If ["));
    // The string form of `!GetAtt` splits into two located parts.
    assert_eq!(
        text_at(&source, spans.get("/b/Fn::GetAtt/0").expect("span").value),
        "Role"
    );
    assert_eq!(
        text_at(&source, spans.get("/b/Fn::GetAtt/1").expect("span").value),
        "Arn"
    );
}

#[test]
fn block_collections_with_tags_and_comments() {
    let (source, d) = docs("e: !Join # joined\n  - ','\n  - [a, b]\nf: !Base64\n  Fn::Sub: x\n");
    assert_eq!(d[0].value["e"], json!({"Fn::Join": [",", ["a", "b"]]}));
    let join = d[0].spans.get("/e/Fn::Join").expect("span");
    assert_eq!(text_at(&source, join.key.expect("key")), "!Join");
    assert_eq!(at(&source, join.value), (2, 3));
    let item = d[0].spans.get("/e/Fn::Join/1/0").expect("span");
    assert_eq!(at(&source, item.value), (3, 6));
    let sub = d[0].spans.get("/f/Fn::Base64/Fn::Sub").expect("span");
    assert_eq!(at(&source, sub.value), (5, 12));
}

#[test]
fn anchors_and_aliases_with_tags() {
    let (source, d) = docs(concat!(
        "a: &r !Ref Bucket\n",
        "b: !Ref &s Other\n",
        "c: &j !Join [',', [x, y]]\n",
        "d: [*r, *s, *j]\n",
    ));
    assert_eq!(
        d[0].value["d"],
        json!([{"Ref": "Bucket"}, {"Ref": "Other"}, {"Fn::Join": [",", ["x", "y"]]}])
    );
    // Inside an alias, nodes are located where the anchor writes them.
    let r = d[0].spans.get("/d/0/Ref").expect("span");
    assert_eq!(at(&source, r.value), (1, 12));
    assert_eq!(text_at(&source, r.key.expect("key")), "!Ref");
    let s = d[0].spans.get("/d/1/Ref").expect("span");
    assert_eq!(text_at(&source, s.value), "Other");
    assert_eq!(text_at(&source, s.key.expect("key")), "!Ref");
    let y = d[0].spans.get("/d/2/Fn::Join/1/1").expect("span");
    assert_eq!(at(&source, y.value), (3, 23));
    let alias = d[0].spans.get("/d/2").expect("span");
    assert_eq!(text_at(&source, alias.value), "*j");
}

#[test]
fn other_tags_keep_the_plain_value() {
    let (_, d) = docs("a: !!str 123\nb: !Custom 5\nc: !Custom [1]\nd: !!int 7\ne: !Ref\n");
    assert_eq!(
        d[0].value,
        json!({"a": "123", "b": 5, "c": [1], "d": 7, "e": {"Ref": ""}})
    );
}

#[test]
fn tagged_root_merges_and_pointers_that_need_escaping() {
    let (source, d) = docs(concat!(
        "!If\n",
        "- c\n",
        "- {a/b: !Sub [x, {v: !Ref \"y\"}], <<: {m: !Ref M}}\n",
        "- z\n",
    ));
    assert_eq!(
        d[0].value,
        json!({"Fn::If": ["c", {"a/b": {"Fn::Sub": ["x", {"v": {"Ref": "y"}}]}, "m": {"Ref": "M"}}, "z"]})
    );
    let spans = &d[0].spans;
    assert_eq!(
        text_at(&source, spans.get("").expect("span").value)
            .lines()
            .count(),
        4
    );
    let inner = spans.get("/Fn::If").expect("span");
    assert_eq!(text_at(&source, inner.key.expect("key")), "!If");
    assert_eq!(at(&source, inner.value), (2, 1));
    let v = spans.get("/Fn::If/1/a~1b/Fn::Sub/1/v/Ref").expect("span");
    assert_eq!(text_at(&source, v.value), "\"y\"");
    let m = spans.get("/Fn::If/1/m/Ref").expect("span");
    assert_eq!(text_at(&source, m.value), "M");
    assert_eq!(
        text_at(&source, spans.get("/Fn::If/2").expect("span").value),
        "z"
    );
    assert!(spans.iter().all(|(p, _)| !p.contains("<<")));
}

#[test]
fn json_and_untagged_templates_are_unchanged() {
    let source = SourceFile::new("t.json", r#"{"a": {"Ref": "X"}}"#.to_owned());
    let parsed = parse(Format::JSON, &source).expect("parses").remove(0);
    let pointers = |d: &ParsedDocument| {
        let mut all: Vec<String> = d.spans.iter().map(|(p, _)| p.to_owned()).collect();
        all.sort();
        all
    };
    let before = pointers(&parsed);
    let lowered = lower(parsed, &source.text);
    assert_eq!(lowered.value, json!({"a": {"Ref": "X"}}));
    assert_eq!(pointers(&lowered), before);
}

#[test]
fn pointers_move_below_tagged_collections_only() {
    let wrapped: HashMap<&str, &str> = [("", "Fn::If"), ("/a/0", "Fn::Sub")].into_iter().collect();
    assert_eq!(moved("", &wrapped), "");
    assert_eq!(moved("/a", &wrapped), "/Fn::If/a");
    assert_eq!(moved("/a/0", &wrapped), "/Fn::If/a/0");
    assert_eq!(moved("/a/0/1", &wrapped), "/Fn::If/a/0/Fn::Sub/1");
    assert_eq!(moved("/a/00/1", &wrapped), "/Fn::If/a/00/1");
}

#[test]
fn a_pointer_with_no_wrapped_ancestor_is_not_copied() {
    let wrapped: HashMap<&str, &str> = [("", "Fn::If"), ("/b", "Ref")].into_iter().collect();
    assert_eq!(moved("", &wrapped), "");
    assert_eq!(moved("/b/c", &wrapped), "/Fn::If/b/Ref/c");
    let none: HashMap<&str, &str> = [("/b", "Ref")].into_iter().collect();
    assert!(matches!(moved("/a/b/c", &none), Cow::Borrowed("/a/b/c")));
    assert!(matches!(moved("/bc/d", &none), Cow::Borrowed("/bc/d")));
}
