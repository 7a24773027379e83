//! The markdown step summary (`$GITHUB_STEP_SUMMARY`): counts, then a table per standing
//! (new, existing, fixed, suppressed) listing **every** finding, each linked to its line.
//!
//! Cells hold paths and messages from the pull request under review: every markdown and
//! HTML character in them is escaped, so a value can neither break the table nor add a
//! link, an image or markup.

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{Counts, Standing, standing};
use crate::finding::{BaseFinding, Finding};
use crate::report::Report;
use crate::words::count;

/// GitHub refuses a step summary over 1 MiB; stay clear of it with what other steps wrote.
pub const MAX_SUMMARY_BYTES: usize = 1_000_000;

/// Characters kept as they are in a link's path: unreserved ones and `/`.
const URL_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Where lines are on the web: `{server}/{repository}/blob/{sha}/`, from the runner's
/// `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    pub server: String,
    pub repository: String,
    pub sha: String,
}

impl Links {
    /// From the environment, when all three variables are set.
    pub fn from_env() -> Option<Self> {
        let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        Some(Links {
            server: var("GITHUB_SERVER_URL")?,
            repository: var("GITHUB_REPOSITORY")?,
            sha: var("GITHUB_SHA")?,
        })
    }

    fn url(&self, path: &str, line: usize) -> String {
        // The server URL is the runner's; its path-safe characters are kept, anything that
        // could end a markdown link is encoded.
        let server = utf8_percent_encode(self.server.trim_end_matches('/'), &URL_SERVER);
        format!(
            "{server}/{}/blob/{}/{}#L{line}",
            utf8_percent_encode(&self.repository, URL_PATH),
            utf8_percent_encode(&self.sha, URL_PATH),
            utf8_percent_encode(path, URL_PATH),
        )
    }
}

/// A server URL keeps `:` and `/` (scheme and host), nothing that ends a link.
const URL_SERVER: AsciiSet = URL_PATH.remove(b':');

/// Escapes text for a table cell: the characters of inline markdown (code, emphasis,
/// links, images, strikethrough, math, the cell separator) with a backslash, `<`, `>` and
/// `&` as entities, line breaks as `<br>`, other control characters dropped.
pub fn escape_cell(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("<br>"),
            c if c.is_control() => {}
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '~' | '|' | '$' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The summary, at most `budget` bytes: rows that do not fit are counted in a closing note.
pub fn step_summary(report: &Report, links: Option<&Links>, budget: usize) -> String {
    let counts = Counts::of(report);
    let mut head = String::from("## doublecheck\n\n");
    match &report.base {
        Some(base) => {
            let _ = writeln!(
                head,
                "Compared with {}: **{} new**, {} existing, {} fixed, {} suppressed findings \
                 in {} checked.",
                escape_cell(base),
                counts.new,
                counts.existing,
                counts.fixed,
                counts.suppressed,
                count(report.files_checked, "file", "files")
            );
        }
        None => {
            let _ = writeln!(
                head,
                "**{}**, {} suppressed, in {} checked.",
                count(counts.new, "finding", "findings"),
                counts.suppressed,
                count(report.files_checked, "file", "files")
            );
        }
    }
    let with = |s: Standing| report.findings.iter().filter(move |f| standing(f) == s);
    let mut sections: Vec<Section> = Vec::new();
    if report.base.is_some() {
        sections.push(Section::findings("New", with(Standing::New), report, links));
        sections.push(Section::findings(
            "Existing",
            with(Standing::Existing),
            report,
            links,
        ));
        sections.push(Section::fixed(&report.fixed, report));
    } else {
        sections.push(Section::findings(
            "Findings",
            with(Standing::New),
            report,
            links,
        ));
    }
    sections.push(Section::suppressed(
        with(Standing::Suppressed),
        report,
        links,
    ));

    // Reserve room for the closing note, then add whole rows while they fit.
    const NOTE_ROOM: usize = 300;
    let mut out = head;
    let mut left_out = 0;
    for section in sections.iter().filter(|s| !s.rows.is_empty()) {
        let header = format!(
            "\n### {} ({})\n\n{}\n",
            section.title,
            section.rows.len(),
            section.header
        );
        let mut rows = section.rows.iter();
        if out.len() + header.len() + NOTE_ROOM > budget {
            left_out += rows.len();
            continue;
        }
        out.push_str(&header);
        for row in rows.by_ref() {
            if out.len() + row.len() + NOTE_ROOM > budget {
                left_out += 1;
                continue;
            }
            out.push_str(row);
        }
    }
    if left_out > 0 {
        let _ = write!(
            out,
            "\n{} not listed: GitHub limits a step summary to 1 MiB. The log of this step \
             and the SARIF report have them all.\n",
            if left_out == 1 {
                "1 more finding is".to_owned()
            } else {
                format!("{left_out} more findings are")
            }
        );
    }
    out
}

struct Section {
    title: &'static str,
    header: &'static str,
    rows: Vec<String>,
}

const FINDING_HEADER: &str = "| severity | rule | message | location |\n|---|---|---|---|";
/// Fixed findings are named by their node, which a baseline and a revision both know.
const FIXED_HEADER: &str = "| severity | rule | node | path |\n|---|---|---|---|";

impl Section {
    fn findings<'a>(
        title: &'static str,
        findings: impl Iterator<Item = &'a Finding>,
        report: &Report,
        links: Option<&Links>,
    ) -> Self {
        let rows = findings
            .map(|f| {
                format!(
                    "| {} | {} | {} | {} |\n",
                    f.severity,
                    rule_cell(report, &f.rule),
                    escape_cell(&f.message),
                    location_cell(&f.location.path, f.location.start.line, links),
                )
            })
            .collect();
        Section {
            title,
            header: FINDING_HEADER,
            rows,
        }
    }

    fn suppressed<'a>(
        findings: impl Iterator<Item = &'a Finding>,
        report: &Report,
        links: Option<&Links>,
    ) -> Self {
        let rows = findings
            .map(|f| {
                let (justification, until) = f
                    .suppression
                    .as_ref()
                    .map(|s| (s.justification.as_str(), s.until.as_deref()))
                    .unwrap_or_default();
                let mut why = escape_cell(justification);
                if let Some(until) = until {
                    let _ = write!(why, " (until {})", escape_cell(until));
                }
                format!(
                    "| {} | {} | {} | {} | {} |\n",
                    f.severity,
                    rule_cell(report, &f.rule),
                    escape_cell(&f.message),
                    location_cell(&f.location.path, f.location.start.line, links),
                    why,
                )
            })
            .collect();
        Section {
            title: "Suppressed",
            header: "| severity | rule | message | location | justification |\n\
                     |---|---|---|---|---|",
            rows,
        }
    }

    /// Fixed findings were in the base: their lines are the base's, so they are not linked
    /// into the head revision.
    fn fixed(fixed: &[BaseFinding], report: &Report) -> Self {
        let rows = fixed
            .iter()
            .map(|f| {
                let severity = report
                    .rule(&f.rule)
                    .map(|r| r.severity.as_str())
                    .unwrap_or_default();
                // As in every format: the node in words at its path, the same for a
                // baseline and a revision.
                format!(
                    "| {} | {} | {} | {} |\n",
                    severity,
                    rule_cell(report, &f.rule),
                    escape_cell(&f.locator),
                    escape_cell(&f.path),
                )
            })
            .collect();
        Section {
            title: "Fixed",
            header: FIXED_HEADER,
            rows,
        }
    }
}

fn rule_cell(report: &Report, rule: &str) -> String {
    match report.rule(rule) {
        Some(info) => format!("{}: {}", escape_cell(rule), escape_cell(&info.title)),
        None => escape_cell(rule),
    }
}

fn location_cell(path: &str, line: usize, links: Option<&Links>) -> String {
    let text = escape_cell(&format!("{path}:{line}"));
    match links {
        Some(links) => format!("[{text}]({})", links.url(path, line)),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_markdown_html_and_line_breaks() {
        assert_eq!(
            escape_cell("a|b <img src=x> & `c` [l](u)\r\nd\n*e*\u{7}"),
            "a\\|b &lt;img src=x&gt; &amp; \\`c\\` \\[l\\]\\(u\\)<br>d<br>\\*e\\*"
        );
    }

    #[test]
    fn links_encode_the_path() {
        let links = Links {
            server: "https://github.com/".to_owned(),
            repository: "octo/repo".to_owned(),
            sha: "abc123".to_owned(),
        };
        assert_eq!(
            links.url("a b/(x)<y>#z.yml", 7),
            "https://github.com/octo/repo/blob/abc123/a%20b/%28x%29%3Cy%3E%23z.yml#L7"
        );
    }
}
