//! `scan --parse-rates`: how fast each of our parsers reads the scan's own files, beside a
//! reference parser of the same format that builds no spans (see
//! [`crate::parse::reference`]). Our parsers' figures are the parse floor a scan is measured
//! against (`--parse-only`); the reference's say how much of that floor is our spans and
//! lowering.
//!
//! Files are walked and read as [`super::parse_only`] reads them, but everything runs on the
//! calling thread, so that no parse shares a core with another of ours.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::reading::input_content;
use super::{ScanRequest, Walked, walk_inputs};
use crate::document::SourceFile;
use crate::parse::{self, Format, reference::Reference};
use crate::read::{Prepared, ReadFailure, prepare};

/// How many times each parser reads each file; its fastest time counts. One pass over a
/// tree, on a machine shared with other work, moved a parser's rate markedly from one
/// run to the next, mostly ours (which allocates more); the fastest of a few rounds of the
/// same file leaves out what preemption and the first touch of fresh memory add, and
/// steadies the ratios. Repeating whole passes instead would mean holding every text, or
/// reading it again.
const ROUNDS: usize = 3;

/// What one format's files came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatRates {
    /// The format's name, as messages give it ("YAML").
    pub format: &'static str,
    /// Files our parser read, their bytes, and the time it took over them.
    pub files: usize,
    pub bytes: u64,
    pub ours: Duration,
    /// Files of the format our parser refused: left out of every figure.
    pub refused: usize,
    /// The reference parser's figures, when a dependency reads the format.
    pub reference: Option<ReferenceRates>,
}

impl FormatRates {
    fn new(format: Format, reference: Option<Reference>) -> Self {
        FormatRates {
            format: format.name(),
            files: 0,
            bytes: 0,
            ours: Duration::ZERO,
            refused: 0,
            reference: reference.map(|reference| ReferenceRates {
                name: reference.name,
                ..ReferenceRates::default()
            }),
        }
    }

    /// Counts a file of `size` bytes that took us `ours`, and what the reference made of it.
    fn add(&mut self, size: u64, ours: Duration, read: Option<ReferenceRead>) {
        self.files += 1;
        self.bytes += size;
        self.ours += ours;
        let (Some(read), Some(figures)) = (read, self.reference.as_mut()) else {
            return;
        };
        match read {
            ReferenceRead { bytes: 0, .. } => figures.refused += 1,
            ReferenceRead { whole: true, .. } => figures.whole += 1,
            ReferenceRead { whole: false, .. } => figures.in_part += 1,
        }
        if read.bytes > 0 {
            figures.bytes += read.bytes;
            figures.time += read.time;
            figures.ours_bytes += size;
            figures.ours += ours;
        }
    }
}

/// A reference parser's figures, over the files our parser read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceRates {
    pub name: &'static str,
    /// Files the reference read whole.
    pub whole: usize,
    /// Files it refused whole and read in part, piece by piece (see [`Reference::pieces`]).
    pub in_part: usize,
    /// Files it read nothing of: out of every figure of its.
    pub refused: usize,
    /// The bytes it read and its time over them.
    pub bytes: u64,
    pub time: Duration,
    /// The bytes of the files it read, whole or in part, and our time over them.
    pub ours_bytes: u64,
    pub ours: Duration,
}

impl ReferenceRates {
    /// Our time per byte over the reference's, on the files both read: a file the reference
    /// read in part counts the bytes it read for it, the whole file for us.
    pub fn ratio(&self) -> Option<f64> {
        let ours = self.ours.as_secs_f64() / self.ours_bytes as f64;
        let reference = self.time.as_secs_f64() / self.bytes as f64;
        (reference > 0.0 && ours.is_finite()).then(|| ours / reference)
    }
}

/// What a reference parser made of one file.
struct ReferenceRead {
    /// The bytes it read (all of them, some pieces' or none), and its time over them.
    bytes: u64,
    time: Duration,
    whole: bool,
}

/// The rates of a scan's files, one entry a format met, most bytes first; and the files that
/// could not be read.
#[derive(Debug, Default)]
pub struct ParseRates {
    pub formats: Vec<FormatRates>,
    pub unreadable: usize,
    /// How many times each parser read each file, its fastest time counting.
    pub rounds: usize,
}

/// Walks and reads the scan's files and times, file by file, our parser and the reference
/// parser of its format over the same text.
///
/// Each call is timed alone with [`Instant`], dropping what it built inside the timing for
/// both, since the scan frees it too: the clock costs tens of nanoseconds against parses of
/// tens of microseconds and more. Each parser reads each file [`ROUNDS`] times, the two
/// taking turns, and its fastest round counts (see there). Ours goes first, and the
/// reference reads only text ours read.
pub fn parse_rates(request: &ScanRequest) -> ParseRates {
    let Walked {
        mut inputs, errors, ..
    } = walk_inputs(request);
    inputs.retain(|input| !input.context);
    request.progress.set_total(inputs.len() as u64);
    let max = request.config.limits.max_file_size;
    let mut by_format: BTreeMap<&'static str, FormatRates> = BTreeMap::new();
    let mut unreadable = errors.len();
    for input in inputs {
        request.progress.inc(1);
        // Data files are judged by name: there is no text to parse.
        if input.candidate.format() == Format::FILE_NAME {
            continue;
        }
        let bytes = match input_content(input.candidate, input.content, max) {
            Ok(bytes) => bytes,
            Err(ReadFailure::Unreadable(_) | ReadFailure::TooLarge(_)) => {
                unreadable += 1;
                continue;
            }
        };
        let Prepared::Parse(format, source) = prepare(&input.shown, input.candidate, bytes, max)
        else {
            continue;
        };
        let reference = Reference::of(format);
        let rates =
            (by_format.entry(format.name())).or_insert_with(|| FormatRates::new(format, reference));
        match time_file(format, reference, &source) {
            Some((ours, read)) => rates.add(source.text.len() as u64, ours, read),
            None => rates.refused += 1,
        }
    }
    request.progress.finish();
    let mut formats: Vec<FormatRates> = by_format.into_values().collect();
    formats.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.format.cmp(b.format)));
    ParseRates {
        formats,
        unreadable,
        rounds: ROUNDS,
    }
}

/// Our parser's time over `source` and what the reference made of it, each the fastest of
/// [`ROUNDS`]; `None` when ours refuses the file, which is then never given to the
/// reference: `hcl-edit` backtracks for ages on some broken files our HCL parser gives up on
/// within its budget.
fn time_file(
    format: Format,
    reference: Option<Reference>,
    source: &SourceFile,
) -> Option<(Duration, Option<ReferenceRead>)> {
    let ours_once = || timed(|| parse::parse(format, source).is_ok());
    let (accepted, mut ours) = ours_once();
    if !accepted {
        return None;
    }
    let mut read = reference.map(|reference| read_by(reference, &source.text));
    for _ in 1..ROUNDS {
        ours = ours.min(ours_once().1);
        if let (Some(reference), Some(read)) = (reference, read.as_mut()) {
            read.time = read.time.min(read_by(reference, &source.text).time);
        }
    }
    Some((ours, read))
}

/// The reference's pass over `text`: whole, or, when it refuses the whole text of a format
/// our parser reads piece by piece, each piece alone, those it refuses left out of its time
/// and bytes (as is the refused attempt at the whole).
fn read_by(reference: Reference, text: &str) -> ReferenceRead {
    let (whole, time) = timed(|| reference.parse(text).is_ok());
    if whole {
        let bytes = text.len() as u64;
        return ReferenceRead { bytes, time, whole };
    }
    let mut read = ReferenceRead {
        bytes: 0,
        time: Duration::ZERO,
        whole,
    };
    for piece in reference.pieces(text).unwrap_or_default() {
        if let (true, time) = timed(|| reference.parse(piece).is_ok()) {
            read.bytes += piece.len() as u64;
            read.time += time;
        }
    }
    read
}

/// What `run` returned and how long it took, what it built dropped inside the timing.
fn timed(run: impl FnOnce() -> bool) -> (bool, Duration) {
    let start = Instant::now();
    let result = run();
    (result, start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file the reference read in part counts what it read for it and the whole for us.
    #[test]
    fn our_time_is_compared_per_byte() {
        let mut rates = FormatRates::new(Format::SQL, Reference::of(Format::SQL));
        let read = |bytes, millis, whole| ReferenceRead {
            bytes,
            time: Duration::from_millis(millis),
            whole,
        };
        rates.add(100, Duration::from_millis(40), Some(read(100, 10, true)));
        rates.add(300, Duration::from_millis(120), Some(read(200, 20, false)));
        rates.add(50, Duration::from_millis(5), Some(read(0, 1, false)));
        let figures = rates.reference.clone().expect("a reference");
        assert_eq!((rates.files, rates.bytes), (3, 450));
        assert_eq!((figures.whole, figures.in_part, figures.refused), (1, 1, 1));
        assert_eq!((figures.bytes, figures.ours_bytes), (300, 400));
        // Ours: 160 ms over 400 bytes; the reference's: 30 ms over 300.
        let ratio = figures.ratio().expect("a ratio");
        assert!((ratio - 4.0).abs() < 1e-9, "{ratio}");
        assert_eq!(ReferenceRates::default().ratio(), None);
    }
}
