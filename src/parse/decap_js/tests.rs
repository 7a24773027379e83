use serde_json::json;

use super::*;

fn documents(text: &str) -> Vec<ParsedDocument> {
    parse(&SourceFile::new("cms.js", text.to_owned())).expect("reads")
}

fn spot(text: &str, document: &ParsedDocument, pointer: &str) -> String {
    let span = document.spans.get(pointer).expect("located").value;
    text[span.start..span.end].to_owned()
}

#[test]
fn the_config_object_of_the_call_with_its_spans() {
    let text = r#"import CMS from 'decap-cms-app';
// CMS.init({ config: { publish_mode: 'editorial_workflow' } })
CMS.init({
  config: {
    load_config_file: false,
    backend: { name: "github", repo: 'acme/site', branch: `main` },
    publish_mode: 'simple', // comment
    media_folder: 'static/img',
    collections: [...pages, { name: 'posts', fields: [{ name: 'title', widget: "string" }] }],
    preview() { return h('div', {}, 'it\'s') },
  },
});
"#;
    let docs = documents(text);
    assert_eq!(docs.len(), 1, "the commented call is not read");
    let doc = &docs[0];
    assert_eq!(doc.value["load_config_file"], json!(false));
    assert_eq!(
        doc.value["backend"],
        json!({"name": "github", "repo": "acme/site", "branch": "main"})
    );
    assert_eq!(doc.value["collections"][0], json!("${...pages}"));
    assert_eq!(
        doc.value["collections"][1]["fields"][0]["widget"],
        json!("string")
    );
    assert!(doc.value.get("preview").is_none());
    assert_eq!(spot(text, doc, "/publish_mode"), "'simple'");
    assert_eq!(spot(text, doc, "/backend/branch"), "`main`");
    let key = doc
        .spans
        .get("/publish_mode")
        .and_then(|s| s.key)
        .expect("a key span");
    assert_eq!(&text[key.start..key.end], "publish_mode");
    assert!(spot(text, doc, "").starts_with("{\n    load_config_file"));
}

#[test]
fn a_config_named_by_a_variable_of_the_file() {
    let text = "const config: CmsConfig = {\n  backend: { name: 'git-gateway' },\n  publish_mode: 'editorial_workflow',\n};\n\nwindow.CMS.init({ config });\n";
    let docs = documents(text);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].value["publish_mode"], json!("editorial_workflow"));
    assert_eq!(spot(text, &docs[0], "/backend/name"), "'git-gateway'");
}

#[test]
fn options_named_by_a_variable_of_the_file() {
    let text = "const options = {\n  config: { load_config_file: false, backend: { name: 'git-gateway' } },\n};\nCMS.registerWidget(Uuid);\nCMS.init(options)\n";
    let docs = documents(text);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].value["load_config_file"], json!(false));
    assert_eq!(spot(text, &docs[0], "/backend/name"), "'git-gateway'");
}

#[test]
fn the_module_under_another_name() {
    let text = "const CMS = dynamic(() => import('decap-cms-app').then((cms) => {\n  cms.init({ config: { backend: { name: 'github' }, publish_mode: 'simple' } });\n}));\n";
    let docs = documents(text);
    assert_eq!(docs.len(), 1);
    assert_eq!(spot(text, &docs[0], "/publish_mode"), "'simple'");
}

#[test]
fn configs_that_cannot_be_read_here_give_no_document() {
    for text in [
        "import config from './config';\nCMS.init({ config });",
        "CMS.init();",
        "CMS.registerPreviewTemplate('home', Home);",
        "const s = 'CMS.init({ config: { backend: {} } })';",
        "CMS.init({ config: loadConfig() });",
    ] {
        assert!(documents(text).is_empty(), "{text}");
    }
}

#[test]
fn expressions_are_kept_as_text_and_unclosed_objects_are_errors() {
    let docs = documents(
        "CMS.init({ config: { backend: { branch: process.env.BRANCH || 'main', repo: `${org}/site` } } })",
    );
    assert_eq!(
        docs[0].value["backend"],
        json!({"branch": "${process.env.BRANCH || 'main'}", "repo": "${`${org}/site`}"})
    );
    let error = parse(&SourceFile::new(
        "cms.js",
        "CMS.init({ config: { backend: {".to_owned(),
    ))
    .expect_err("unclosed");
    assert!(error.message.contains("not closed"), "{}", error.message);
}

/// Found by the fuzzer: a list closed by `}` made an empty item at the same place, again and
/// again, until memory ran out.
#[test]
fn a_list_closed_by_the_wrong_bracket_is_an_error() {
    for text in [
        "const config = { collections: [a, b: 'c' }] };\nCMS.init({ config });",
        "CMS.init({ config: { collections: [ ) ] } })",
    ] {
        let error = parse(&SourceFile::new("cms.js", text.to_owned())).expect_err(text);
        assert!(
            error.message.contains("wrong bracket"),
            "{text}: {}",
            error.message
        );
    }
}

/// Found by the fuzzer: a string left open at the end of a line whose last character is
/// longer than a byte was cut inside that character.
#[test]
fn a_string_left_open_keeps_its_last_character() {
    let text = "CMS.init({ config: { load_config_file: false, backend: { name: 'git-é\n} } });";
    assert_eq!(documents(text)[0].value["backend"]["name"], json!("git-é"));
    // A key, and a template literal never closed: read or refused, never a panic.
    for text in [
        "CMS.init({ config: { 'nameé\n: 1 } });",
        "CMS.init({ config: { a: `é",
    ] {
        let result = parse(&SourceFile::new("cms.js", text.to_owned()));
        assert!(
            result.is_ok() || result.is_err_and(|e| !e.message.is_empty()),
            "{text}"
        );
    }
}

/// Found by the fuzzer: an item of blanks the trivia skipper does not skip (a vertical tab)
/// was read as an empty expression without moving, again and again.
#[test]
fn an_item_of_unusual_blanks_is_passed_over() {
    let text = "CMS.init({ config: { load_config_file: false, collections: [\u{b}, 'a'] } })";
    let docs = documents(text);
    assert_eq!(docs[0].value["collections"], json!(["${}", "a"]));
}
