//! Inline suppressions: `doublecheck:ignore RULE-ID[,RULE-ID…] reason="…" until=YYYY-MM-DD`
//! in a comment on a finding's line, or on a line of its own directly above it.
//!
//! The read workers find the comments ([`collect`]); after evaluation [`apply`] marks the
//! findings they accept and reports the comments that are invalid, forbidden, expired or
//! unused as findings of the engine's own rules.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::civil::Date;

use super::comments::{Comment, MARKER, marked_comments};
use crate::document::Location;
use crate::document::{SourceFile, Span};
use crate::finding::{
    EngineRule, Finding, SUPPRESSION, SUPPRESSION_EXPIRED, SUPPRESSION_UNUSED, Suppression,
    SuppressionKind, fingerprint, is_engine_rule,
};
use crate::parse::{Format, ParsedDocument};

/// The environment variable that sets today's date (`YYYY-MM-DD`) for `until=`, for tests
/// and reproducible runs; without it today is the UTC date of the system clock.
pub const TODAY_VAR: &str = "DOUBLECHECK_TODAY";

/// One `doublecheck:ignore` comment, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// From the marker to the end of what was read.
    pub span: Span,
    pub rules: Vec<(String, Span)>,
    pub reason: Option<String>,
    /// As written, with its span.
    pub until: Option<(String, Span)>,
    /// What could not be read, where.
    pub problem: Option<(Span, String)>,
    /// The 1-based line whose findings it applies to.
    pub line: usize,
}

/// The suppression comments of one file.
#[derive(Debug)]
pub struct FileSuppressions {
    pub source: Arc<SourceFile>,
    pub directives: Vec<Directive>,
    /// Whether a directive that suppresses nothing is reported: not in a template, whose
    /// lines render only with some values (a suppression in a branch today's values leave
    /// out is not stale).
    pub report_unused: bool,
}

/// The suppression comments of a parsed file, if it has any.
pub fn collect(
    format: Format,
    source: &Arc<SourceFile>,
    parsed: &[ParsedDocument],
) -> Option<FileSuppressions> {
    let comments = marked_comments(format, &source.text, parsed);
    if comments.is_empty() {
        return None;
    }
    let mut directives: Vec<Directive> =
        comments.iter().map(|c| read_directive(source, c)).collect();
    // A comment on a line of its own applies to the next line; a run of them stacked above
    // one line all apply to that line.
    let own_lines: BTreeMap<usize, usize> = comments
        .iter()
        .zip(&directives)
        .filter(|(c, _)| c.own_line)
        .map(|(c, d)| (source.position(c.span.start).line, d.line))
        .collect();
    for directive in directives.iter_mut().rev() {
        let mut line = directive.line;
        let mut guard = 0;
        while let Some(next) = own_lines.get(&line)
            && guard < own_lines.len()
        {
            line = *next;
            guard += 1;
        }
        directive.line = line;
    }
    Some(FileSuppressions {
        source: Arc::clone(source),
        directives,
        report_unused: format != Format::TEMPLATE_TEXT,
    })
}

/// Reads the directive after the first marker in a comment.
fn read_directive(source: &SourceFile, comment: &Comment) -> Directive {
    let text = &source.text;
    let body = &text[comment.body.start..comment.body.end];
    let marker_at = comment.body.start + body.find(MARKER).unwrap_or(0);
    let line = if comment.own_line {
        source
            .position(comment.span.end.max(comment.span.start + 1) - 1)
            .line
            + 1
    } else {
        source.position(comment.span.start).line
    };
    let mut reader = Reader {
        text,
        at: marker_at + MARKER.len(),
        end: comment.body.end,
    };
    let mut directive = Directive {
        span: Span::new(marker_at, marker_at + MARKER.len()),
        rules: Vec::new(),
        reason: None,
        until: None,
        problem: None,
        line,
    };
    directive.problem = reader.read_into(&mut directive).err();
    directive.span.end = directive.span.end.max(reader.last_end(marker_at));
    directive
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
    end: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..self.end].chars().next()
    }

    fn skip_spaces(&mut self) -> bool {
        let start = self.at;
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
        self.at > start
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> Span {
        let start = self.at;
        while let Some(c) = self.peek().filter(|c| keep(*c)) {
            self.at += c.len_utf8();
        }
        Span::new(start, self.at)
    }

    /// The end of the meaningful text read so far (no trailing spaces).
    fn last_end(&self, floor: usize) -> usize {
        floor + self.text[floor..self.at].trim_end().len()
    }

    fn read_into(&mut self, d: &mut Directive) -> Result<(), (Span, String)> {
        let here = |r: &Self| Span::new(r.at, r.at);
        if !self.skip_spaces() || self.peek().is_none() {
            return Err((here(self), format!("expected a rule id after `{MARKER}`")));
        }
        loop {
            let id = self.take_while(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if id.start == id.end {
                return Err((here(self), "expected a rule id".to_owned()));
            }
            d.rules.push((self.text[id.start..id.end].to_owned(), id));
            d.span.end = id.end;
            let before = self.at;
            self.skip_spaces();
            if self.peek() == Some(',') {
                self.at += 1;
                self.skip_spaces();
            } else {
                self.at = before;
                break;
            }
        }
        loop {
            let spaced = self.skip_spaces();
            if self.peek().is_none() {
                return Ok(());
            }
            let key = self.take_while(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !spaced || key.start == key.end || self.peek() != Some('=') {
                let word = self.take_while(|c| !c.is_whitespace());
                let shown = &self.text[key.start..word.end.max(key.end)];
                return Err((
                    Span::new(key.start, word.end.max(key.end)),
                    format!("unexpected `{shown}`: expected reason=\"…\" or until=YYYY-MM-DD"),
                ));
            }
            self.at += 1;
            let value = if self.peek() == Some('"') {
                self.at += 1;
                let inner = self.take_while(|c| c != '"');
                if self.peek() != Some('"') {
                    return Err((inner, "the quoted value is not closed".to_owned()));
                }
                self.at += 1;
                inner
            } else {
                self.take_while(|c| !c.is_whitespace())
            };
            d.span.end = self.at;
            let text = self.text[value.start..value.end].to_owned();
            match &self.text[key.start..key.end] {
                "reason" => d.reason = Some(text),
                "until" => d.until = Some((text, value)),
                other => {
                    return Err((
                        key,
                        format!(
                            "unknown option `{other}`: expected reason=\"…\" or until=YYYY-MM-DD"
                        ),
                    ));
                }
            }
        }
    }
}

/// Today's date: [`TODAY_VAR`] when set, else the system clock's UTC date.
pub fn today() -> Result<Date, String> {
    match std::env::var(TODAY_VAR) {
        Ok(text) => parse_date(&text).map_err(|e| format!("{TODAY_VAR}=`{text}`: {e}")),
        Err(_) => Ok(system_today()),
    }
}

/// The system clock's date in UTC.
pub fn system_today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// A `YYYY-MM-DD` calendar date.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return Err("not a date in the form YYYY-MM-DD".to_owned());
    }
    text.parse::<Date>()
        .map_err(|e| format!("not a valid date: {e}"))
}

/// What decides whether a suppression applies.
pub struct Settings<'a> {
    pub today: Date,
    /// Ids of the rules that ran.
    pub known: &'a BTreeSet<String>,
    /// Rules the config disabled: suppressing them is neither an error nor unused.
    pub disabled: &'a dyn Fn(&str) -> bool,
    /// The `suppressions.forbid` pattern that forbids suppressing a rule inline, if any.
    pub forbidden: &'a dyn Fn(&str) -> Option<String>,
}

/// Marks the findings each valid, current directive accepts, and adds a finding for every
/// directive that is invalid, forbidden, expired or unused.
pub fn apply(findings: &mut Vec<Finding>, files: &[FileSuppressions], settings: &Settings) {
    let mut by_line: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
    for (i, finding) in findings.iter().enumerate() {
        by_line
            .entry((finding.location.path.as_str(), finding.location.start.line))
            .or_default()
            .push(i);
    }
    let mut marks: Vec<(usize, Suppression)> = Vec::new();
    let mut reported = Vec::new();
    for file in files {
        let report = |rule: &EngineRule, span: Span, message: String, what: &str| {
            let mut finding = rule.finding(&file.source, span, message);
            finding.locator = format!("{MARKER} {what}");
            finding.fingerprint = fingerprint(&[rule.id, &file.source.path, &finding.locator]);
            finding
        };
        for d in &file.directives {
            let all = d
                .rules
                .iter()
                .map(|(r, _)| r.as_str())
                .collect::<Vec<_>>()
                .join(",");
            if let Some((span, problem)) = &d.problem {
                let message = format!("cannot read this suppression: {problem}");
                reported.push(report(&SUPPRESSION, *span, message, &all));
                continue;
            }
            if d.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                let message = format!(
                    "this suppression of {all} gives no reason: add reason=\"…\" saying why the finding is accepted; it does not apply"
                );
                reported.push(report(&SUPPRESSION, d.span, message, &all));
                continue;
            }
            let until = match &d.until {
                None => None,
                Some((text, span)) => match parse_date(text) {
                    Ok(date) => Some((date, text, *span)),
                    Err(error) => {
                        let message = format!(
                            "`until={text}` is {error}; the suppression of {all} does not apply"
                        );
                        reported.push(report(&SUPPRESSION, *span, message, &all));
                        continue;
                    }
                },
            };
            if let Some((date, text, span)) = until
                && date < settings.today
            {
                let message = format!(
                    "this suppression of {all} expired on {text} (today is {}): its findings are reported again",
                    settings.today
                );
                reported.push(report(&SUPPRESSION_EXPIRED, span, message, &all));
                continue;
            }
            let suppression = Suppression {
                kind: SuppressionKind::InSource,
                justification: d.reason.clone().unwrap_or_default(),
                until: d.until.as_ref().map(|(t, _)| t.clone()),
                location: Some(Location::new(&file.source, d.span)),
            };
            for (rule, span) in &d.rules {
                if let Some(message) = rule_problem(rule, settings) {
                    reported.push(report(&SUPPRESSION, *span, message, rule));
                    continue;
                }
                if (settings.disabled)(rule) {
                    continue;
                }
                let matching: Vec<usize> = by_line
                    .get(&(file.source.path.as_str(), d.line))
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&i| findings[i].rule == *rule)
                    .collect();
                if matching.is_empty() && file.report_unused {
                    let message = format!(
                        "this suppression of {rule} suppresses nothing: no {rule} finding is on line {}",
                        d.line
                    );
                    reported.push(report(&SUPPRESSION_UNUSED, *span, message, rule));
                }
                marks.extend(matching.into_iter().map(|i| (i, suppression.clone())));
            }
        }
    }
    for (i, suppression) in marks {
        findings[i].suppression.get_or_insert(suppression);
    }
    findings.extend(reported);
}

/// Why `rule` cannot be suppressed inline, if it cannot.
fn rule_problem(rule: &str, settings: &Settings) -> Option<String> {
    if is_engine_rule(rule) {
        return Some(format!(
            "{rule} is a rule of doublecheck itself and cannot be suppressed inline"
        ));
    }
    if let Some(pattern) = (settings.forbidden)(rule) {
        return Some(format!(
            "the config forbids suppressing {rule} inline (suppressions.forbid: `{pattern}`): the finding is reported"
        ));
    }
    if settings.known.contains(rule) || (settings.disabled)(rule) {
        return None;
    }
    let hint = settings
        .known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(rule, k), k))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default();
    Some(format!(
        "unknown rule `{rule}` in a suppression{hint}; it suppresses nothing"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directives(format: Format, text: &str) -> Vec<Directive> {
        let source = Arc::new(SourceFile::new("t", text.to_owned()));
        let parsed = crate::parse::parse(format, &source).expect("parses");
        collect(format, &source, &parsed)
            .map(|f| f.directives)
            .unwrap_or_default()
    }

    fn rules(d: &Directive) -> Vec<&str> {
        d.rules.iter().map(|(r, _)| r.as_str()).collect()
    }

    #[test]
    fn reads_ids_reason_and_until() {
        let text = "a: 1 # doublecheck:ignore A-1, B_2 reason=\"because, yes\" until=2030-01-31\n";
        let d = &directives(Format::YAML, text)[0];
        assert_eq!(rules(d), ["A-1", "B_2"]);
        assert_eq!(d.reason.as_deref(), Some("because, yes"));
        assert_eq!(d.until.as_ref().map(|u| u.0.as_str()), Some("2030-01-31"));
        assert_eq!(d.problem, None);
        assert_eq!(d.line, 1);
        assert_eq!(
            &text[d.span.start..d.span.end],
            "doublecheck:ignore A-1, B_2 reason=\"because, yes\" until=2030-01-31"
        );
    }

    #[test]
    fn own_line_comments_apply_to_the_next_line_and_stack() {
        let text = "# doublecheck:ignore A reason=x\n# doublecheck:ignore B reason=y\nkey: 1\nother: 2 # doublecheck:ignore C reason=z\n";
        let found = directives(Format::YAML, text);
        let lines: Vec<(Vec<&str>, usize)> = found.iter().map(|d| (rules(d), d.line)).collect();
        assert_eq!(lines, [(vec!["A"], 3), (vec!["B"], 3), (vec!["C"], 4)]);
    }

    #[test]
    fn xml_block_comment_ends_before_its_closer() {
        let text = "<P>\n  <!-- doublecheck:ignore X reason=\"r\" -->\n  <a>true</a>\n</P>\n";
        let d = &directives(Format::XML, text)[0];
        assert_eq!(rules(d), ["X"]);
        assert_eq!(d.problem, None);
        assert_eq!(d.line, 3);
    }

    #[test]
    fn problems_are_located() {
        let problem = |text: &str| {
            let d = directives(Format::YAML, text).remove(0);
            let (span, message) = d.problem.expect("a problem");
            (text[span.start..span.end].to_owned(), message)
        };
        assert_eq!(
            problem("a: 1 # doublecheck:ignore\n").1,
            "expected a rule id after `doublecheck:ignore`"
        );
        assert_eq!(
            problem("a: 1 # doublecheck:ignore X because\n"),
            (
                "because".to_owned(),
                "unexpected `because`: expected reason=\"…\" or until=YYYY-MM-DD".to_owned()
            )
        );
        assert_eq!(
            problem("a: 1 # doublecheck:ignore X reson=\"x\"\n").0,
            "reson"
        );
        assert_eq!(
            problem("a: 1 # doublecheck:ignore X reason=\"open\n").1,
            "the quoted value is not closed"
        );
    }

    #[test]
    fn dates() {
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2024-2-1").is_err());
        assert!(parse_date("tomorrow").is_err());
    }
}
