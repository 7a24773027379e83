use serde_json::json;

use super::*;

fn lower(text: &str) -> (SourceFile, ParsedDocument) {
    let source = SourceFile::new("firestore.rules", text.to_owned());
    let document = parse(&source).expect("parses");
    (source, document)
}

/// The (line, column) where the node at `pointer` starts, and its text.
fn at<'a>(
    source: &'a SourceFile,
    document: &ParsedDocument,
    pointer: &str,
) -> (usize, usize, &'a str) {
    let span = document.spans.get(pointer).expect(pointer).value;
    let position = source.position(span.start);
    (
        position.line,
        position.column,
        &source.text[span.start..span.end],
    )
}

fn error(text: &str) -> (usize, usize, String) {
    let source = SourceFile::new("firestore.rules", text.to_owned());
    let error = parse(&source).expect_err("fails");
    let position = source.position(error.span.start);
    (position.line, position.column, error.message)
}

fn folded(condition: &str) -> String {
    let text = format!(
        "service cloud.firestore {{\n  function signedIn() {{ return request.auth != null; }}\n  function open() {{ let x = 1; return true; }}\n  function viaOpen() {{ return open(); }}\n  function loop() {{ return loop(); }}\n  match /a/{{b}} {{ allow read: if {condition}; }}\n}}\n"
    );
    let (_, document) = lower(&text);
    document.value["services"][0]["matches"][0]["allows"][0]["condition"]["folded"]
        .as_str()
        .expect("folded")
        .to_owned()
}

const FIRESTORE: &str = "rules_version = '2';
// The console's default.
service cloud.firestore {
  match /databases/{database}/documents {
    match /users/{userId} {
      allow read, write: if request.auth != null && request.auth.uid == userId;
      match /posts/{post} {
        allow read;
      }
    }
    match /{document=**} {
      allow read, write: if request.time < timestamp.date(2030, 1, 1);
    }
  }
}
";

#[test]
fn nested_matches_have_their_full_path() {
    let (source, document) = lower(FIRESTORE);
    let matches = &document.value["services"][0]["matches"];
    assert_eq!(document.value["rules_version"], json!("2"));
    assert_eq!(
        document.value["services"][0]["name"],
        json!("cloud.firestore")
    );
    let paths: Vec<&str> = matches
        .as_array()
        .expect("matches")
        .iter()
        .map(|m| m["path"].as_str().expect("path"))
        .collect();
    assert_eq!(
        paths,
        [
            "/databases/{database}/documents",
            "/databases/{database}/documents/users/{userId}",
            "/databases/{database}/documents/users/{userId}/posts/{post}",
            "/databases/{database}/documents/{document=**}",
        ]
    );
    let roots: Vec<bool> = (0..4)
        .map(|i| matches[i]["root"].as_bool().expect("bool"))
        .collect();
    assert_eq!(roots, [false, false, false, true]);
    assert_eq!(matches[3]["recursive"], json!(true));
    assert_eq!(matches[1]["recursive"], json!(false));
    assert_eq!(
        at(&source, &document, "/services/0/matches/3"),
        (11, 5, "match /{document=**}")
    );
}

#[test]
fn allows_methods_and_conditions_are_located() {
    let (source, document) = lower(FIRESTORE);
    let allow = "/services/0/matches/1/allows/0";
    assert_eq!(
        document.value.pointer(allow).expect("allow"),
        &json!({
            "match": "/databases/{database}/documents/users/{userId}",
            "methods": ["read", "write"],
            "condition": {
                "text": "request.auth != null && request.auth.uid == userId",
                "folded": "restricted",
            },
        })
    );
    assert_eq!(
        at(&source, &document, allow),
        (
            6,
            7,
            "allow read, write: if request.auth != null && request.auth.uid == userId;"
        )
    );
    assert_eq!(
        at(&source, &document, &format!("{allow}/methods/1")),
        (6, 19, "write")
    );
    assert_eq!(
        at(&source, &document, &format!("{allow}/condition/folded")),
        (6, 29, "request.auth != null && request.auth.uid == userId")
    );
    assert_eq!(
        at(&source, &document, &format!("{allow}/match")),
        (5, 11, "/users/{userId}")
    );
}

#[test]
fn a_bare_allow_is_unconditional() {
    let (source, document) = lower(FIRESTORE);
    let allow = "/services/0/matches/2/allows/0";
    assert_eq!(
        document.value.pointer(&format!("{allow}/condition")),
        Some(&json!({"text": "", "folded": "true"}))
    );
    assert_eq!(
        at(&source, &document, &format!("{allow}/condition/folded")),
        (8, 9, "allow read;")
    );
    let test_mode = "/services/0/matches/3/allows/0/condition/folded";
    assert_eq!(document.value.pointer(test_mode), Some(&json!("test-mode")));
}

#[test]
fn storage_rules_and_their_root() {
    let text = "service firebase.storage {\n  match /b/{bucket}/o {\n    match /{allPaths=**} {\n      allow read, write: if request.auth != null;\n    }\n    match /images/{img} { allow read: if true }\n  }\n}\n";
    let (_, document) = lower(text);
    let matches = &document.value["services"][0]["matches"];
    assert_eq!(
        document.value["services"][0]["name"],
        json!("firebase.storage")
    );
    assert_eq!(matches[1]["path"], json!("/b/{bucket}/o/{allPaths=**}"));
    assert_eq!(matches[1]["root"], json!(true));
    assert_eq!(
        matches[1]["allows"][0]["condition"]["folded"],
        json!("signed-in")
    );
    // The `;` may be left out before `}`.
    assert_eq!(
        matches[2]["allows"][0]["condition"]["folded"],
        json!("true")
    );
    assert_eq!(matches[2]["root"], json!(false));
    assert!(is_root("/{document=**}"));
    assert!(is_root("/b/my-app.appspot.com/o/{allPaths=**}"));
    assert!(!is_root(
        "/databases/{database}/documents/users/{document=**}"
    ));
    assert!(!is_root("/databases/{database}/documents"));
}

#[test]
fn conditions_fold_conservatively() {
    for (condition, expected) in [
        ("true", "true"),
        ("(true)", "true"),
        ("false", "false"),
        ("true || request.auth.uid == 'x'", "true"),
        ("request.auth.uid == 'x' || (true)", "true"),
        ("true && request.auth != null", "restricted"),
        ("request.auth != null", "signed-in"),
        ("null != request.auth", "signed-in"),
        ("request.auth.uid != null", "signed-in"),
        ("(request.auth != null)", "signed-in"),
        (
            "request.auth != null || request.auth.uid == 'x'",
            "restricted",
        ),
        ("request.auth.uid == userId", "restricted"),
        ("request.time < timestamp.date(2024, 5, 1)", "test-mode"),
        ("request.time <= timestamp.date(2024, 5, 1)", "test-mode"),
        ("timestamp.date(2024, 5, 1) > request.time", "test-mode"),
        (
            "request.time < timestamp.date(2024, 5, 1) && false",
            "restricted",
        ),
        ("signedIn()", "signed-in"),
        ("open()", "true"),
        ("viaOpen()", "true"),
        ("loop()", "restricted"),
        ("undeclared()", "restricted"),
        ("!signedIn()", "restricted"),
        (
            "signedIn() && resource.data.owner == request.auth.uid",
            "restricted",
        ),
        ("'true'", "restricted"),
        ("request.auth != null ? true : false", "restricted"),
    ] {
        assert_eq!(folded(condition), expected, "{condition}");
    }
}

#[test]
fn functions_declared_twice_fold_only_when_they_agree() {
    let text = "service cloud.firestore {\n  match /a/{b} {\n    function f() { return true; }\n    allow read: if f();\n  }\n  match /c/{d} {\n    function f() { return request.auth != null; }\n    allow read: if f();\n  }\n}\n";
    let (_, document) = lower(text);
    let matches = &document.value["services"][0]["matches"];
    assert_eq!(
        matches[0]["allows"][0]["condition"]["folded"],
        json!("restricted")
    );
}

#[test]
fn comments_and_strings_with_either_quote() {
    let text = "/* header } */\nrules_version = \"2\";\nservice cloud.firestore {\n  // match /x { allow read; }\n  match /a/{b} {\n    allow read: if resource.data.name == \"}\" /* ; */ || resource.data.x == '//';\n  }\n}\n";
    let (_, document) = lower(text);
    let condition = &document.value["services"][0]["matches"][0]["allows"][0]["condition"];
    assert_eq!(
        condition["text"],
        json!("resource.data.name == \"}\" || resource.data.x == '//'")
    );
    assert_eq!(
        document.value["services"][0]["matches"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let comments = FirebaseRules.comments(text, &[document]);
    assert_eq!(comments.len(), 3);
}

#[test]
fn errors_are_located() {
    for (text, expected) in [
        ("", (1, 1, "no `service` block")),
        (
            "service cloud.firestore {\n  match /a {\n",
            (2, 12, "unclosed `{`"),
        ),
        (
            "service cloud.firestore {\n  allow read;\n}\n",
            (2, 3, "expected `match`, `function` or `}`, found `allow`"),
        ),
        (
            "service cloud.firestore {\n  match a/b { }\n}\n",
            (2, 9, "a match path starts with `/`, found `a/b`"),
        ),
        (
            "service cloud.firestore {\n  match /a { allow read: request.auth != null; }\n}\n",
            (2, 26, "expected `if` after `:`, found `request`"),
        ),
        (
            "service cloud.firestore {\n  match /a { allow read: if ; }\n}\n",
            (2, 29, "expected a condition after `if`, found `;`"),
        ),
        (
            "service cloud.firestore {\n  match /a { allow read: if f(); ) }\n}\n",
            (
                2,
                34,
                "expected `match`, `allow`, `function` or `}`, found `)`",
            ),
        ),
        (
            "service cloud.firestore {\n  match /a { allow read: if f(]; }\n}\n",
            (2, 31, "unmatched `]`"),
        ),
        (
            "service cloud.firestore {\n  match /a { allow read: if a == 'x; }\n}\n",
            (2, 34, "unclosed string literal"),
        ),
        (
            "service cloud.firestore {\n  /* open\n",
            (2, 3, "unclosed `/*` comment"),
        ),
        (
            "service cloud.firestore {\n  function f() { let x = 1; }\n}\n",
            (2, 12, "function `f` has no `return`"),
        ),
        (
            "service cloud.firestore {\n  match /{x { }\n}\n",
            (2, 10, "unclosed `{` in a match path"),
        ),
        (
            "service { }",
            (
                1,
                9,
                "expected a service name (`cloud.firestore`), found `{`",
            ),
        ),
    ] {
        let (line, column, message) = error(text);
        assert_eq!(
            (line, column),
            (expected.0, expected.1),
            "{text:?}: {message}"
        );
        assert!(message.contains(expected.2), "{text:?}: {message}");
    }
}

#[test]
fn nesting_is_limited() {
    let deep_matches = format!(
        "service cloud.firestore {{ {} }}",
        "match /a { ".repeat(MAX_DEPTH + 1)
    );
    let (_, _, message) = error(&deep_matches);
    assert!(message.contains("nesting deeper than"), "{message}");
    let deep_condition = format!(
        "service cloud.firestore {{ match /a {{ allow read: if {}true{}; }} }}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    let (_, _, message) = error(&deep_condition);
    assert!(message.contains("nesting deeper than"), "{message}");
    // Just under the limit parses and folds.
    let fine = format!(
        "service cloud.firestore {{ match /a {{ allow read: if {}true{}; }} }}",
        "(".repeat(MAX_DEPTH - 3),
        ")".repeat(MAX_DEPTH - 3)
    );
    let (_, document) = lower(&fine);
    assert_eq!(
        document.value["services"][0]["matches"][0]["allows"][0]["condition"]["folded"],
        json!("true")
    );
}

#[test]
fn long_function_chains_do_not_overflow() {
    let mut text = String::from("service cloud.firestore {\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "  function f{i}() {{ return f{}() || f{}(); }}\n",
            i + 1,
            i + 1
        ));
    }
    text.push_str("  function f5000() { return true; }\n  match /a { allow read: if f0(); }\n}\n");
    let (_, document) = lower(&text);
    // Too deep to follow: restricted, conservatively.
    assert_eq!(
        document.value["services"][0]["matches"][0]["allows"][0]["condition"]["folded"],
        json!("restricted")
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let (source, document) = lower("\u{feff}service cloud.firestore { match /a { allow read; } }");
    assert_eq!(
        at(&source, &document, "/services/0/matches/0/allows/0"),
        (1, 38, "allow read;")
    );
}
