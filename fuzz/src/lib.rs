//! What the fuzz targets share: turning fuzz bytes into the inputs doublecheck reads.

use std::sync::{Arc, OnceLock};

use doublecheck::document::SourceFile;
use doublecheck::parse::{self, Format};
use doublecheck::policy::{PolicySet, load_builtin};

/// Parses `data` (lossily decoded, as the reader only parses UTF-8) as `format`, and checks
/// that every span the parser returns lies inside the text, on character boundaries.
pub fn parse(format: Format, data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let source = SourceFile::new("fuzz", text);
    match parse::parse(format, &source) {
        Ok(documents) => {
            for document in documents {
                for (_, spans) in document.spans.iter() {
                    for span in std::iter::once(spans.value).chain(spans.key) {
                        check_span(&source, span);
                    }
                }
            }
        }
        Err(error) => check_span(&source, error.span),
    }
}

fn check_span(source: &SourceFile, span: doublecheck::document::Span) {
    assert!(span.start <= source.text.len(), "span starts past the end");
    assert!(span.end <= source.text.len(), "span ends past the end");
    assert!(source.text.is_char_boundary(span.start), "span starts inside a character");
    assert!(source.text.is_char_boundary(span.end), "span ends inside a character");
    // Positions must resolve without panicking (snippets and SARIF regions use them).
    let _ = source.position(span.start);
    let _ = source.position(span.end.max(span.start));
}

/// The built-in policies, loaded once per fuzzing process.
pub fn builtin_policies() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| {
        let policies = load_builtin().expect("the built-in policies load");
        PolicySet::from_policies(policies).expect("the built-in ids are unique")
    })
}

/// Loads one policy file from arbitrary text.
pub fn policy(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = doublecheck::policy::load_source(Arc::new(SourceFile::new("fuzz.yaml", text)), false);
}

/// Paths of every known kind: the first byte of a scan input picks one, so the fuzzer
/// reaches every detector without having to guess a file name.
pub const KNOWN_PATHS: &[&str] = &[
    "force-app/main/default/profiles/Guest.profile-meta.xml",
    "src/profiles/Shop Profile.profile",
    "src/permissionsets/Guest.permissionset",
    "src/sites/Shop.site",
    "src/sharingRules/Case.sharingRules",
    "src/settings/Sharing.settings",
    "src/classes/Shop.cls",
    "scripts/setup.apex",
    "cumulusci.yml",
    ".github/settings.yml",
    ".github/rulesets/main.json",
    "protection/main.json",
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "static/admin/config.yml",
    "k8s/deploy.yaml",
    "infra/main.tf",
    "infra/main.tf.json",
    "infra/terraform.tfvars",
    "infra/prod.tfvars.json",
    "plan.json",
    "exports/customers.csv",
    "cfn/stack.template",
    "cfn/stack.yaml",
    "force-app/main/default/experiences/Shop1/config/shop.json",
    "digitalExperiences/site/Shop1/sfdc_cms__site/Shop1/content.json",
    "firestore.rules",
    "rules/storage.dev.rules",
];

/// Splits a scan input into (path, content): a first byte below [`KNOWN_PATHS`]`.len()`
/// picks a known path; otherwise the first line is the path.
pub fn scan_input(data: &[u8]) -> (String, String) {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    match data.split_first() {
        Some((&pick, rest)) if usize::from(pick) < KNOWN_PATHS.len() => {
            (KNOWN_PATHS[usize::from(pick)].to_owned(), text(rest))
        }
        _ => {
            let at = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
            let rest = data.get(at + 1..).unwrap_or_default();
            (text(&data[..at]), text(rest))
        }
    }
}

/// Scans a one-file tree in memory with the built-in policies and renders the report in
/// every format: nothing may panic, and the output must not depend on the run.
pub fn scan(data: &[u8]) {
    use doublecheck::render::{OutputFormat, TextStyle, render};
    let (path, content) = scan_input(data);
    let report = doublecheck::scan::scan_memory(&[(path, content)], builtin_policies());
    for format in [
        OutputFormat::Text,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Github,
        OutputFormat::Gitlab,
        OutputFormat::Junit,
    ] {
        let mut out = Vec::new();
        render(format, &report, TextStyle::Plain, &mut out).expect("rendering into memory");
    }
}

/// Values a fuzzed chart template is rendered with: nested maps, lists and every scalar kind.
const CHART_VALUES: &str = "image: {repository: web, tag: \"1.0\"}\nenabled: true\nreplicas: 2\n\
    ports: [80, 443]\nlabels: {a: b}\nsecurityContext: {privileged: true}\nname: \"\"\n";

/// Renders `data` as a Helm chart's template (beside a helpers file holding the same text,
/// so `define`s and `include`s meet) and checks the whole report: nothing may panic or hang,
/// and every finding must point inside the template.
pub fn chart_template(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let files = [
        ("c/Chart.yaml".to_owned(), "apiVersion: v2\nname: c\nversion: 1.0.0\n".to_owned()),
        ("c/values.yaml".to_owned(), CHART_VALUES.to_owned()),
        ("c/templates/_helpers.tpl".to_owned(), text.clone()),
        ("c/templates/t.yaml".to_owned(), text.clone()),
    ];
    let report = doublecheck::scan::scan_memory(&files, builtin_policies());
    for finding in &report.findings {
        let location = &finding.location;
        if location.path == "c/templates/t.yaml" {
            let end = location.end.byte;
            assert!(end <= text.len(), "a finding ends past the template");
            assert!(location.start.byte <= end, "a finding ends before it starts");
        }
    }
}

