//! Progress of a long scan, for people watching a terminal.
//!
//! The scan reports how many files it will read ([`Progress::set_total`]) and how many it has
//! finished ([`Progress::inc`]); what is drawn, and when, is decided here.

/// A handle the scan reports to; cheap to clone and shared by the worker threads.
/// [`Progress::hidden`] (the default) draws nothing.
#[derive(Debug, Clone, Default)]
pub struct Progress {}

impl Progress {
    /// Reports nowhere: library use, tests, and output that is not a terminal.
    pub fn hidden() -> Self {
        Progress {}
    }

    /// The number of files the scan will read.
    pub fn set_total(&self, _files: u64) {}

    /// `files` more files are done.
    pub fn inc(&self, _files: u64) {}

    /// The scan is over: whatever was drawn is cleared.
    pub fn finish(&self) {}
}
