//! The evaluator on small templates: Go's semantics, Helm's functions, unknowns never guessed,
//! and every output piece traced back to the template.

use std::rc::Rc;

use super::chart;
use super::render::{Defines, Renderer, Source};
use super::value::Val;
use crate::parse::gotemplate;

/// The named templates `helpers` defines.
fn defines_of(helpers: &str) -> Defines {
    let mut defines = Defines::default();
    let text: Rc<str> = Rc::from(helpers);
    for (name, body) in gotemplate::parse(helpers).expect("helpers parse").defines {
        defines
            .named
            .insert(name, (Rc::clone(&text), Rc::new(body)));
    }
    defines
}

/// `template`, parsed, to render.
fn source_of(template: &str) -> Source {
    Source {
        text: Rc::from(template),
        nodes: Rc::new(gotemplate::parse(template).expect("template parses").nodes),
    }
}

/// Renders `template` (with `helpers` defining named templates) with `values` as `.Values`.
fn render_with(template: &str, helpers: &str, values: serde_json::Value) -> (String, Vec<String>) {
    let defines = defines_of(helpers);
    let source = source_of(template);
    let chart = chart::chart_object(&serde_json::json!({"name": "web", "appVersion": "2.1"}));
    let dot = chart::root(
        Val::from_json(&values),
        chart,
        "web/templates/t.yaml",
        "web/templates",
    );
    let mut renderer = Renderer::new(&defines);
    let output = renderer.render(&source, &dot).expect("renders");
    (output.text, renderer.unknowns.into_iter().collect())
}

fn render(template: &str, values: serde_json::Value) -> String {
    render_with(template, "", values).0
}

#[test]
fn conditions_loops_and_scopes() {
    let values = serde_json::json!({"on": true, "off": false, "ports": [80, 443], "labels": {"b": 2, "a": 1}, "empty": ""});
    assert_eq!(
        render("{{ if .Values.on }}y{{ else }}n{{ end }}", values.clone()),
        "y"
    );
    assert_eq!(
        render(
            "{{ if .Values.off }}y{{ else if .Values.on }}z{{ end }}",
            values.clone()
        ),
        "z"
    );
    assert_eq!(
        render(
            "{{ range $i, $p := .Values.ports }}{{ $i }}={{ $p }},{{ end }}",
            values.clone()
        ),
        "0=80,1=443,"
    );
    // Maps range in key order, as Go's do.
    assert_eq!(
        render(
            "{{ range $k, $v := .Values.labels }}{{ $k }}{{ $v }}{{ end }}",
            values.clone()
        ),
        "a1b2"
    );
    assert_eq!(
        render(
            "{{ with .Values.labels }}{{ .a }}{{ end }}{{ with .Values.empty }}x{{ else }}none{{ end }}",
            values.clone()
        ),
        "1none"
    );
    assert_eq!(
        render(
            "{{ range .Values.ports }}{{ if eq . 443 }}{{ break }}{{ end }}{{ . }}{{ end }}",
            values.clone()
        ),
        "80"
    );
    assert_eq!(
        render(
            "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
            values.clone()
        ),
        "2"
    );
    assert_eq!(render("a  {{- \" b \" -}}  c", values), "a b c");
}

#[test]
fn helm_functions_and_objects() {
    let values = serde_json::json!({"image": {"tag": ""}, "sc": {"privileged": true, "runAsUser": 0}, "name": "x"});
    assert_eq!(
        render(
            "{{ .Values.image.tag | default .Chart.AppVersion }}",
            values.clone()
        ),
        "2.1"
    );
    assert_eq!(
        render("c:{{ toYaml .Values.sc | nindent 2 }}", values.clone()),
        "c:\n  privileged: true\n  runAsUser: 0"
    );
    assert_eq!(
        render(
            "{{ printf \"%s-%s\" .Release.Name .Chart.Name | trunc 8 | trimSuffix \"-\" }}",
            values.clone()
        ),
        "release"
    );
    assert_eq!(
        render(
            "{{ .Values.name | quote }} {{ upper \"a\" }} {{ len (list 1 2) }}",
            values.clone()
        ),
        "\"x\" A 2"
    );
    assert_eq!(
        render(
            "{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ toJson $d }}",
            values.clone()
        ),
        "{\"a\":1,\"b\":2}"
    );
    assert_eq!(
        render(
            "{{ if .Capabilities.APIVersions.Has \"policy/v1\" }}v1{{ end }}",
            values.clone()
        ),
        "v1"
    );
    assert_eq!(
        render(
            "{{ if semverCompare \">=1.19-0\" .Capabilities.KubeVersion.GitVersion }}new{{ end }}",
            values.clone()
        ),
        "new"
    );
    assert_eq!(
        render("{{ tpl \"{{ .Values.name }}-y\" . }}", values.clone()),
        "x-y"
    );
    assert_eq!(
        render("{{ include (print $.Template.BasePath \"/x\") . }}", values),
        ""
    );
}

#[test]
fn named_templates_are_included_with_their_dot() {
    let helpers = "{{- define \"web.name\" -}}{{ .Chart.Name }}-{{ .Values.suffix }}{{- end -}}";
    let (text, unknowns) = render_with(
        "n: {{ include \"web.name\" . }}",
        helpers,
        serde_json::json!({"suffix": "a"}),
    );
    assert_eq!(text, "n: web-a");
    assert!(unknowns.is_empty());
}

#[test]
fn unknowns_are_never_guessed() {
    let template = "{{ if (lookup \"v1\" \"Secret\" \"ns\" \"s\") }}a: 1{{ else }}b: 2{{ end }}\nc: {{ include \"missing\" . }}\nd: {{ required \"set d\" .Values.d }}";
    let (text, unknowns) = render_with(template, "", serde_json::json!({}));
    // Neither branch, an empty value for what is not known.
    assert_eq!(text, "\nc: \nd: ");
    assert_eq!(
        unknowns,
        [
            "`lookup` (what the cluster already holds)",
            "a required value with no default (set d)",
            "the named template \"missing\", which no file of the chart defines",
        ]
    );
}

#[test]
fn runaway_templates_stop() {
    let defines = defines_of("{{- define \"loop\" -}}{{ include \"loop\" . }}{{- end -}}");
    let source = source_of("{{ include \"loop\" . }}");
    let mut renderer = Renderer::new(&defines);
    assert!(renderer.render(&source, &Val::Nil).is_err());
}

#[test]
fn maps_that_hold_themselves_neither_panic_nor_hang() {
    // Found by the chart_template fuzz target: the key of `set` was shown while its map was
    // borrowed for writing.
    let shown = render(
        "{{ $m := dict }}{{ $_ := set $m $m 1 }}{{ $_ := set $m \"a\" $m }}\
         {{ $_ := unset $m $m }}{{ $_ := merge $m (dict \"a\" (dict \"x\" 1)) }}{{ len $m }}",
        serde_json::json!({}),
    );
    assert_eq!(shown, "2");
}
