//! The lines of a file a report shows: enough for every snippet, not the whole file, so a
//! scan with findings in thousands of large files does not keep them all in memory.

use std::collections::BTreeSet;

use super::SourceFile;
use crate::document::Location;

/// Lines a snippet shows at most, from the start of its location (the text renderer's
/// limit, so a multi-line span does not print a whole block).
pub const SNIPPET_LINES: usize = 6;

/// Runs of consecutive lines of one file, with where they start.
#[derive(Debug, Clone, Default)]
pub struct Excerpt {
    runs: Vec<Run>,
}

#[derive(Debug, Clone)]
struct Run {
    /// 1-based number of the first line.
    first_line: usize,
    last_line: usize,
    /// Byte offset of the first line in the file.
    start: usize,
    /// The lines, with the line breaks between them (not after the last).
    text: String,
}

impl Excerpt {
    /// The lines of `source` that snippets of `locations` (in this file) show.
    pub fn of<'a>(source: &SourceFile, locations: impl IntoIterator<Item = &'a Location>) -> Self {
        let line_count = source.lines.line_count();
        let mut lines = BTreeSet::new();
        for location in locations {
            let last = snippet_last_line(location).min(line_count);
            lines.extend(location.start.line.max(1)..=last);
        }
        let mut runs: Vec<Run> = Vec::new();
        let mut lines = lines.into_iter().peekable();
        while let Some(first) = lines.next() {
            let mut last = first;
            while lines.peek() == Some(&(last + 1)) {
                last += 1;
                lines.next();
            }
            let start = source.lines.line_range(&source.text, first).start;
            let end = source.lines.line_range(&source.text, last).end;
            runs.push(Run {
                first_line: first,
                last_line: last,
                start,
                text: source.text[start..end].to_owned(),
            });
        }
        Excerpt { runs }
    }

    /// The text of lines `first..=last` and the byte offset it starts at in the file, when
    /// the excerpt holds all of them.
    pub fn lines(&self, first: usize, last: usize) -> Option<(usize, &str)> {
        let run = self
            .runs
            .iter()
            .find(|r| r.first_line <= first && last <= r.last_line)?;
        let mut offset = 0;
        for _ in run.first_line..first {
            offset += run.text[offset..].find('\n')? + 1;
        }
        let mut end = offset;
        for line in first..=last {
            end += run.text[end..]
                .find(['\r', '\n'])
                .unwrap_or(run.text.len() - end);
            if line < last {
                end += run.text[end..].find('\n')? + 1;
            }
        }
        Some((run.start + offset, &run.text[offset..end]))
    }

    /// Adds the lines of `other`, an excerpt of the same file made for other findings (a
    /// file two batches both read: one that configurations in both name by path). Every
    /// line either holds is held after; a run the other holds whole is not kept twice.
    pub fn merge(&mut self, other: Excerpt) {
        let within = |inner: &Run, outer: &Run| {
            outer.first_line <= inner.first_line && inner.last_line <= outer.last_line
        };
        for run in other.runs {
            if self.runs.iter().any(|kept| within(&run, kept)) {
                continue;
            }
            self.runs.retain(|kept| !within(kept, &run));
            self.runs.push(run);
        }
        self.runs.sort_by_key(|run| run.first_line);
    }

    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(|r| r.text.is_empty())
    }
}

/// The last line a snippet of `location` shows.
pub fn snippet_last_line(location: &Location) -> usize {
    location
        .end
        .line
        .max(location.start.line)
        .min(location.start.line + SNIPPET_LINES - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(source: &SourceFile, start: usize, end: usize) -> Location {
        Location {
            path: source.path.clone(),
            start: source.position(start),
            end: source.position(end),
        }
    }

    #[test]
    fn keeps_only_the_lines_snippets_show() {
        let text: String = (1..=30).map(|n| format!("line {n}\r\n")).collect();
        let source = SourceFile::new("f.yml", text.clone());
        let at = |line: usize| text.find(&format!("line {line}\r")).expect("line exists");
        // One span on line 3, one from line 10 to line 20 (shown up to line 15).
        let excerpt = Excerpt::of(
            &source,
            &[
                location(&source, at(3), at(3) + 6),
                location(&source, at(10) + 2, at(20) + 4),
            ],
        );
        assert_eq!(excerpt.lines(3, 3), Some((at(3), "line 3")));
        assert_eq!(
            excerpt.lines(10, 12),
            Some((at(10), "line 10\r\nline 11\r\nline 12"))
        );
        assert_eq!(excerpt.lines(15, 15), Some((at(15), "line 15")));
        assert_eq!(excerpt.lines(16, 16), None);
        assert_eq!(excerpt.lines(2, 3), None);
        let kept: usize = excerpt.runs.iter().map(|r| r.text.len()).sum();
        assert!(kept < text.len() / 3, "{kept} of {} bytes kept", text.len());
    }

    #[test]
    fn two_excerpts_of_one_file_hold_the_lines_of_both() {
        let text: String = (1..=30).map(|n| format!("line {n}\n")).collect();
        let source = SourceFile::new("f.yml", text.clone());
        let at = |line: usize| text.find(&format!("line {line}\n")).expect("line exists");
        let of = |first: usize, last: usize| {
            Excerpt::of(&source, &[location(&source, at(first), at(last) + 4)])
        };
        let mut merged = of(3, 3);
        merged.merge(of(10, 12));
        assert_eq!(merged.lines(3, 3), Some((at(3), "line 3")));
        assert_eq!(
            merged.lines(10, 12),
            Some((at(10), "line 10\nline 11\nline 12"))
        );
        // A run inside another is not kept twice; one that holds another replaces it.
        merged.merge(of(11, 11));
        merged.merge(of(2, 4));
        assert_eq!(merged.runs.len(), 2);
        assert_eq!(merged.lines(2, 4), Some((at(2), "line 2\nline 3\nline 4")));
        assert_eq!(merged.lines(11, 11), Some((at(11), "line 11")));
        assert_eq!(merged.lines(5, 5), None);
    }

    #[test]
    fn a_last_line_without_a_break_and_an_empty_file() {
        let source = SourceFile::new("f", "a\nbé".to_owned());
        let excerpt = Excerpt::of(&source, &[location(&source, 2, 5)]);
        assert_eq!(excerpt.lines(2, 2), Some((2, "bé")));
        let empty = SourceFile::new("e", String::new());
        let excerpt = Excerpt::of(&empty, &[location(&empty, 0, 0)]);
        assert!(excerpt.is_empty());
    }
}
