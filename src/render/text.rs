//! Human output through `annotate-snippets`: the finding, its source line with a marker
//! under the offending value, related locations, and the remediation.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::{Counts, RELATED_SHOWN, Standing, fixed_line, help_line, standing};
use crate::document::Location;
use crate::document::{Excerpt, SNIPPET_LINES, SourceFile, Span, snippet_last_line};
use crate::finding::Finding;
use crate::finding::Severity;
use crate::report::Report;
use crate::words::count;
use crate::yaml_file::FileError;

/// Colour or not: decided once by the caller (terminal, `NO_COLOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    Plain,
    Color,
}

fn renderer(style: TextStyle) -> Renderer {
    match style {
        TextStyle::Plain => Renderer::plain(),
        TextStyle::Color => Renderer::styled(),
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

pub fn render(report: &Report, style: TextStyle, out: &mut dyn Write) -> io::Result<()> {
    render_findings(report, style, out)?;
    let counts = Counts::of(report);
    if let Some(base) = &report.base {
        if counts.existing > 0 {
            writeln!(
                out,
                "{} not shown: they are in {base} too\n",
                count(counts.existing, "existing finding", "existing findings")
            )?;
        }
        for fixed in &report.fixed {
            writeln!(out, "{}", fixed_line(fixed))?;
        }
        if !report.fixed.is_empty() {
            writeln!(out)?;
        }
    }
    // With a base only new findings fail the run, so they are the ones counted by severity.
    let (error, warning, note) = match report.base {
        Some(_) => ("new error", "new warning", "new note"),
        None => ("error", "warning", "note"),
    };
    let of = |s: Severity| {
        report
            .findings
            .iter()
            .filter(|f| f.severity == s && standing(f) == Standing::New)
            .count()
    };
    let mut extra = String::new();
    if let Some(base) = &report.base {
        extra.push_str(&format!(
            "; compared with {base}: {} existing, {} fixed",
            counts.existing, counts.fixed
        ));
    }
    if counts.suppressed > 0 {
        extra.push_str(&format!("; {} suppressed", counts.suppressed));
    }
    if report.unreadable > 0 {
        extra.push_str(&format!(
            "; {} could not be read",
            count(report.unreadable, "path", "paths")
        ));
    }
    writeln!(
        out,
        "{}, {}, {} in {} checked{} ({}{extra})",
        count(of(Severity::Error), error, &format!("{error}s")),
        count(of(Severity::Warning), warning, &format!("{warning}s")),
        count(of(Severity::Note), note, &format!("{note}s")),
        count(report.files_checked, "file", "files"),
        match report.files_unchecked {
            0 => String::new(),
            n => format!(", {n} not checked"),
        },
        count(report.documents, "document", "documents"),
    )
}

/// The findings alone, each with its source lines and help (`scan --quiet`): suppressed
/// findings are only counted by [`render`], and with a base existing ones too.
pub fn render_findings(report: &Report, style: TextStyle, out: &mut dyn Write) -> io::Result<()> {
    let renderer = renderer(style);
    for finding in report
        .findings
        .iter()
        .filter(|f| standing(f) == Standing::New)
    {
        let groups = finding_groups(report, finding);
        writeln!(out, "{}\n", renderer.render(&groups))?;
    }
    Ok(())
}

fn finding_groups<'a>(report: &'a Report, finding: &'a Finding) -> Vec<Group<'a>> {
    let title = level(finding.severity)
        .primary_title(finding.message.as_str())
        .id(finding.rule.as_str());
    let mut first = title.element(located(
        report,
        &finding.location,
        AnnotationKind::Primary,
        None,
    ));
    for related in finding.related.iter().take(RELATED_SHOWN) {
        first = first.element(located(
            report,
            &related.location,
            AnnotationKind::Context,
            Some(related.message.as_str()),
        ));
    }
    let mut groups = vec![first];
    let hidden = finding.related.len().saturating_sub(RELATED_SHOWN);
    if hidden > 0 {
        groups.push(Group::with_title(Level::NOTE.secondary_title(format!(
            "and {}: `--format json` or `--format sarif` lists them all",
            count(hidden, "more related location", "more related locations")
        ))));
    }
    if let Some(rule) = report.rule(&finding.rule) {
        // The first paragraph of the remediation, on one line; `explain` has the rest.
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help_line(rule)),
        ));
    }
    groups
}

/// A snippet of the lines the location covers, or just its path when there is no text.
fn located<'a>(
    report: &'a Report,
    location: &'a Location,
    kind: AnnotationKind,
    label: Option<&'a str>,
) -> annotate_snippets::Element<'a> {
    let excerpt = report.sources.get(&location.path).filter(|e| !e.is_empty());
    match excerpt.and_then(|e| excerpt_snippet(&location.path, e, location, kind, label)) {
        Some(snippet) => snippet.into(),
        None => Origin::path(location.path.as_str())
            .line(location.start.line)
            .char_column(location.start.column)
            .into(),
    }
}

/// The lines of the location (at most a few) from the report's excerpt of its file.
fn excerpt_snippet<'a>(
    path: &'a str,
    excerpt: &'a Excerpt,
    location: &Location,
    kind: AnnotationKind,
    label: Option<&'a str>,
) -> Option<Snippet<'a, annotate_snippets::Annotation<'a>>> {
    let (start, text) = excerpt.lines(location.start.line, snippet_last_line(location))?;
    let local_start = location.start.byte.saturating_sub(start).min(text.len());
    let local_end = location
        .end
        .byte
        .saturating_sub(start)
        .min(text.len())
        .max(local_start);
    let mut annotation = kind.span(local_start..local_end);
    if let Some(label) = label {
        annotation = annotation.label(label);
    }
    Some(
        Snippet::source(text)
            .line_start(location.start.line)
            .path(path)
            .annotation(annotation),
    )
}

/// Cuts the source down to the lines of the span (at most a few), so rendering cost does
/// not grow with the file.
fn snippet<'a>(
    source: &'a SourceFile,
    span: Span,
    kind: AnnotationKind,
    label: Option<&'a str>,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let start = source.position(span.start);
    let end = source.position(span.end);
    let last_line = end.line.min(start.line + SNIPPET_LINES - 1);
    let first = source.lines.line_range(&source.text, start.line);
    let last = source.lines.line_range(&source.text, last_line);
    let text = &source.text[first.start..last.end];
    let local_start = span.start - first.start;
    let local_end = (span.end.min(last.end) - first.start).max(local_start);
    let mut annotation = kind.span(local_start..local_end);
    if let Some(label) = label {
        annotation = annotation.label(label);
    }
    Snippet::source(text)
        .line_start(start.line)
        .path(source.path.as_str())
        .annotation(annotation)
}

/// Policy-file mistakes, rendered like findings so users see exactly where they are.
pub fn render_policy_errors(
    errors: &[FileError],
    style: TextStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    let renderer = renderer(style);
    for error in errors {
        let element: annotate_snippets::Element = if error.source.text.is_empty() {
            Origin::path(error.source.path.as_str()).into()
        } else {
            snippet(&error.source, error.span, AnnotationKind::Primary, None).into()
        };
        let mut groups = vec![
            Level::ERROR
                .primary_title(error.message.as_str())
                .element(element),
        ];
        if let Some(help) = &error.help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        writeln!(out, "{}\n", renderer.render(&groups))?;
    }
    Ok(())
}
