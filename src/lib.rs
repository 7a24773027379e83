//! doublecheck: a policy linter for the configuration that leaks data.
//!
//! The pipeline, one module a stage:
//! [`config`] (settings) · [`walk`] → [`detect`] → [`read`] (with [`parse`] per format, into [`document`]s) →
//! [`resolve`] (cross-file substitution) → [`facts`] → [`evaluate`] against [`policy`] → [`finding`]s → [`render`]. [`scan`] runs
//! it end to end; [`cli`] is the command line.

pub mod cli;
pub mod config;
pub(crate) mod detect;
pub mod diff;
pub mod document;
pub(crate) mod evaluate;
pub(crate) mod facts;
pub mod filter;
pub mod finding;
pub mod parse;
pub mod policy;
pub mod progress;
pub(crate) mod read;
pub mod render;
pub mod report;
pub(crate) mod resolve;
pub mod scan;
pub(crate) mod schedule;
pub(crate) mod walk;
pub mod words;
pub(crate) mod workers;
pub mod yaml_file;
