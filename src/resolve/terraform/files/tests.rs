use super::*;
use serde_json::json;
use std::collections::HashMap;

#[test]
fn paths_are_the_module_folders() {
    let at = in_repository;
    assert_eq!(
        at("infra/app", "./policies/site.json").as_deref(),
        Some("infra/app/policies/site.json")
    );
    assert_eq!(
        at("infra/app", "../shared/trust.json").as_deref(),
        Some("infra/shared/trust.json")
    );
    assert_eq!(at("", "policy.json").as_deref(), Some("policy.json"));
    assert_eq!(at("", "./a/b.yaml").as_deref(), Some("a/b.yaml"));
}

#[test]
fn paths_outside_the_root_or_absolute_have_no_repository_path() {
    let at = in_repository;
    assert_eq!(at("infra", "../../etc/passwd"), None);
    assert_eq!(at("", "../x.json"), None);
    assert_eq!(at("infra", "/etc/passwd"), None);
    assert_eq!(at("infra", "C:\\policy.json"), None);
    assert_eq!(at("infra", "~/policy.json"), None);
    assert_eq!(at("infra", ""), None);
    assert_eq!(at("", "."), None);
    assert_eq!(at("infra", "${var.dir}/p.json"), None);
}

#[test]
fn templates_render_with_their_variables_only() {
    let names = HashMap::new();
    let scope = Scope::new(&names);
    let vars = json!({"account": "123456789012", "principals": ["a", "b"]});
    // Rendered JSON is the document it holds.
    assert_eq!(
        render(&scope, "{\"AWS\": \"arn:aws:iam::${account}:root\"}", &vars),
        Some(json!({"AWS": "arn:aws:iam::123456789012:root"}))
    );
    assert_eq!(
        render(&scope, "${jsonencode(principals)}", &vars),
        Some(json!(["a", "b"]))
    );
    assert_eq!(
        render(&scope, "no interpolation", &vars),
        Some(json!("no interpolation"))
    );
    // A name not passed, a directive, vars that are not an object: unknown.
    assert_eq!(render(&scope, "${missing}", &vars), None);
    assert_eq!(render(&scope, "%{ if true }x%{ endif }", &vars), None);
    assert_eq!(render(&scope, "${account}", &json!(["x"])), None);
}

#[test]
fn paths_are_from_the_folder_terraform_runs_in() {
    assert_eq!(root_module("infra/app"), "infra/app");
    assert_eq!(root_module("infra/modules/bucket"), "infra");
    assert_eq!(root_module("modules/bucket"), "");
    assert_eq!(root_module(""), "");
    assert_eq!(module_path("infra/app"), ".");
    assert_eq!(module_path("infra/modules/bucket"), "modules/bucket");
    assert_eq!(module_path("modules/bucket"), "modules/bucket");
    // As the scan finds them in a module's text: `path.module` is the module's folder,
    // anything else the root module's.
    assert_eq!(
        path_in("infra/modules/bucket", "${path.module}/policy.json").as_deref(),
        Some("infra/modules/bucket/policy.json")
    );
    assert_eq!(
        path_in("infra/modules/bucket", "policies/p.json").as_deref(),
        Some("infra/policies/p.json")
    );
    assert_eq!(
        path_in("infra/app", "${path.root}/p.yaml").as_deref(),
        Some("infra/app/p.yaml")
    );
    assert_eq!(path_in("infra/app", "${var.dir}/p.json"), None);
}

#[test]
fn the_scan_reads_the_literal_paths_worth_reading() {
    let config = |path: &str, text: &str| {
        let source = SourceFile::new(path, text.to_owned());
        Document {
            source: Arc::new(source),
            index_in_file: 0,
            kind: Kind::new(TERRAFORM_CONFIG),
            value: Value::Null,
            spans: SpanTable::default(),
            resolved: None,
        }
    };
    let documents = [
        config(
            "infra/main.tf",
            "policy = file(\"${path.module}/p.json\")\n\
             user_data = file(\"boot.sh\")\n\
             a = templatefile( \"t/q.json.tpl\", {})\n\
             b = file(\"${var.dir}/x.json\")\n\
             c = yamldecode(file(\"../shared/net.yml\"))\n\
             d = profile(\"not.json\")\n",
        ),
        config("infra/p.json", ""),
    ];
    assert_eq!(
        named_paths(&documents).into_iter().collect::<Vec<_>>(),
        // p.json is among the documents already; a script is not read; an unknown folder
        // is not a path.
        ["infra/t/q.json.tpl", "shared/net.yml"]
    );
}

#[test]
fn a_named_file_is_its_json_or_yaml_document_or_its_text() {
    let json = document("p.json", b"{\"a\": [1]}".to_vec()).expect("text");
    assert_eq!(json.value, json!({"a": [1]}));
    assert_eq!(json.kind.as_str(), TERRAFORM_FILE);
    assert!(json.spans.get("/a/0").is_some());
    let yaml = document("n.yaml", b"cidrs:\n  - 0.0.0.0/0\n".to_vec()).expect("text");
    assert_eq!(yaml.value, json!({"cidrs": ["0.0.0.0/0"]}));
    // A template, JSON that does not parse, several YAML documents: the text.
    for (path, text) in [
        ("t.tpl", "{\"a\": \"${x}\"}"),
        ("bad.json", "{\"a\": "),
        ("two.yaml", "a: 1\n---\nb: 2\n"),
    ] {
        let read = document(path, text.as_bytes().to_vec()).expect("text");
        assert_eq!(read.value, json!(text), "{path}");
        assert!(read.spans.get("").is_some(), "{path}");
    }
    assert!(document("bin.json", vec![0xff, 0xfe]).is_none());
}

#[test]
fn whole_file_reads_and_calls_in_messages() {
    assert!(reads_whole("${file(\"p.json\")}"));
    assert!(reads_whole(
        "${jsondecode(file(\"${path.module}/p.json\"))}"
    ));
    assert!(reads_whole("${ yamldecode( file(\"n.yaml\") ) }"));
    assert!(!reads_whole("${yamldecode(file(\"n.yaml\")).cidrs}"));
    assert!(!reads_whole("${templatefile(\"t.tpl\", {})}"));
    assert!(!reads_whole("file(\"p.json\")"));
    assert_eq!(shown_call("${file(\"p.json\")}"), "file(\"p.json\")");
    assert_eq!(shown_call("${f(\n  a,\n  b\n)}"), "f( a, b )");
    let long = format!("${{file(\"{}.json\")}}", "x".repeat(100));
    assert_eq!(shown_call(&long).chars().count(), 81);
}
