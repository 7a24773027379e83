//! The table `scan --parse-rates` prints: one row a format, most bytes first, then what the
//! figures leave out.

use std::time::Duration;

use crate::scan::{FormatRates, ParseRates};
use crate::words::count;

/// What a cell shows when there is nothing to show.
const NONE: &str = "—";

const HEADERS: [&str; 8] = [
    "format",
    "files",
    "bytes",
    "MB",
    "ours MB/s",
    "reference",
    "ref MB/s",
    "our time",
];

/// Columns whose cells are numbers, aligned right.
const NUMERIC: [bool; 8] = [false, true, true, true, true, false, true, false];

pub(super) fn table(rates: &ParseRates) -> String {
    let mut text = format!(
        "parse rates on one thread: each parser's fastest of {} reads of each file, timed \
         alone;\nMB = 1,000,000 bytes; our time is per byte, against the reference's over the \
         files both read\n\n",
        rates.rounds
    );
    if rates.formats.is_empty() {
        text.push_str("no file of a known format was read\n");
    } else {
        let rows: Vec<[String; 8]> = rates.formats.iter().map(row).collect();
        let widths: Vec<usize> = (0..HEADERS.len())
            .map(|column| {
                rows.iter()
                    .map(|row| row[column].chars().count())
                    .chain([HEADERS[column].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let headers = HEADERS.map(str::to_owned);
        for cells in std::iter::once(&headers).chain(&rows) {
            text.push_str(&line(cells, &widths));
        }
    }
    let notes = notes(rates);
    if !notes.is_empty() {
        text.push('\n');
        for note in notes {
            text.push_str(&note);
            text.push('\n');
        }
    }
    text
}

fn row(rates: &FormatRates) -> [String; 8] {
    let figures = rates.reference.as_ref();
    let read = figures.filter(|figures| figures.bytes > 0);
    [
        rates.format.to_owned(),
        rates.files.to_string(),
        rates.bytes.to_string(),
        format!("{:.2}", rates.bytes as f64 / 1e6),
        rate(rates.bytes, rates.ours),
        figures.map_or(NONE.to_owned(), |figures| figures.name.to_owned()),
        read.map_or(NONE.to_owned(), |read| rate(read.bytes, read.time)),
        read.and_then(|read| read.ratio())
            .map_or(NONE.to_owned(), |ratio| {
                format!("{ratio:.1}× the reference")
            }),
    ]
}

/// Megabytes a second, or a dash for no time at all.
fn rate(bytes: u64, time: Duration) -> String {
    let seconds = time.as_secs_f64();
    if seconds > 0.0 {
        format!("{:.1}", bytes as f64 / 1e6 / seconds)
    } else {
        NONE.to_owned()
    }
}

/// The cells padded to their columns' widths, two spaces apart, no space at the end.
fn line(cells: &[String; 8], widths: &[usize]) -> String {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .zip(NUMERIC)
        .map(|((cell, width), numeric)| {
            let pad = " ".repeat(width.saturating_sub(cell.chars().count()));
            if numeric {
                format!("{pad}{cell}")
            } else {
                format!("{cell}{pad}")
            }
        })
        .collect();
    format!("{}\n", padded.join("  ").trim_end())
}

/// What the rows leave out: files a parser refused, files that could not be read.
fn notes(rates: &ParseRates) -> Vec<String> {
    let mut notes = Vec::new();
    for format in &rates.formats {
        if format.refused > 0 {
            notes.push(format!(
                "{}: our parser refused {}, left out of every figure",
                format.format,
                count(format.refused, "file", "files")
            ));
        }
        let Some(reference) = &format.reference else {
            continue;
        };
        if reference.refused > 0 {
            notes.push(format!(
                "{}: the reference refused {} of the {} ours read, left out of its rate and \
                 of our time beside it",
                format.format,
                reference.refused,
                count(format.files, "file", "files"),
            ));
        }
        if reference.in_part > 0 {
            notes.push(format!(
                "{}: the reference refused {} of the {} ours read whole, and read those piece \
                 by piece as our parser splits them; it read {} of the {} bytes of the files \
                 in its figures",
                format.format,
                reference.in_part,
                count(format.files, "file", "files"),
                reference.bytes,
                reference.ours_bytes,
            ));
        }
    }
    if rates.unreadable > 0 {
        notes.push(format!(
            "{} could not be read",
            count(rates.unreadable, "file", "files")
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::ReferenceRates;

    #[test]
    fn rows_line_up_and_notes_say_what_is_left_out() {
        let rates = ParseRates {
            formats: vec![
                FormatRates {
                    format: "SQL",
                    files: 4,
                    bytes: 4_000_000,
                    ours: Duration::from_secs(2),
                    refused: 0,
                    reference: Some(ReferenceRates {
                        name: "sqlparser",
                        whole: 1,
                        in_part: 1,
                        refused: 2,
                        bytes: 1_500_000,
                        time: Duration::from_millis(150),
                        ours_bytes: 2_000_000,
                        ours: Duration::from_millis(500),
                    }),
                },
                FormatRates {
                    format: "Apex",
                    files: 1,
                    bytes: 500_000,
                    ours: Duration::from_millis(50),
                    refused: 1,
                    reference: None,
                },
            ],
            unreadable: 1,
            rounds: 3,
        };
        let text = table(&rates);
        let expected = "\
format  files    bytes    MB  ours MB/s  reference  ref MB/s  our time
SQL         4  4000000  4.00        2.0  sqlparser      10.0  2.5× the reference
Apex        1   500000  0.50       10.0  —                 —  —

SQL: the reference refused 2 of the 4 files ours read, left out of its rate and of our time beside it
SQL: the reference refused 1 of the 4 files ours read whole, and read those piece by piece as our parser splits them; it read 1500000 of the 2000000 bytes of the files in its figures
Apex: our parser refused 1 file, left out of every figure
1 file could not be read
";
        assert!(text.ends_with(expected), "{text}");
    }
}
