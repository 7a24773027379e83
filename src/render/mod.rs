//! Renderers: one per output format, each given the same sorted [`Report`]. They know
//! nothing of file formats or policies.

mod json;
mod sarif;
mod text;

use std::io::{self, Write};

pub use text::{TextStyle, render_policy_errors};

use crate::scan::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Human output: each finding with its source line and a marker under the value.
    Text,
    /// Machine output: a stable JSON object with a summary and every finding.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

pub fn render(
    format: OutputFormat,
    report: &Report,
    style: TextStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Text => text::render(report, style, out),
        OutputFormat::Json => json::render(report, out),
        OutputFormat::Sarif => sarif::render(report, out),
    }
}
