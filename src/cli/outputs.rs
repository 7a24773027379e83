//! Where a scan's reports go: `--format` on standard output, each `--output FORMAT=PATH` to
//! its file (`-`: standard output, instead of `--format`'s), `--sarif-file PATH` as
//! `--output sarif=PATH`; and, with the github format on standard output, the step summary
//! and step outputs in the files the runner names.
//!
//! Mistakes are found before anything is scanned: two outputs on standard output or in one
//! file, a file in a folder that does not exist or a path that is a folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::render::{
    Links, MAX_SUMMARY_BYTES, OutputFormat, TextStyle, github_outputs, render, step_summary,
};
use crate::report::Report;

/// Where one `--output` goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Destination {
    Stdout,
    File(PathBuf),
}

/// One `--output FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OutputTarget {
    pub format: OutputFormat,
    pub destination: Destination,
}

fn format_names() -> String {
    OutputFormat::value_variants()
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses `FORMAT=PATH` (clap's value parser for `--output`).
pub(super) fn parse_target(value: &str) -> Result<OutputTarget, String> {
    let Some((name, path)) = value.split_once('=') else {
        return Err(format!(
            "write it as FORMAT=PATH, such as `sarif=results.sarif`, or `json=-` for standard \
             output; FORMAT is one of {}",
            format_names()
        ));
    };
    let Ok(format) = OutputFormat::from_str(name, true) else {
        return Err(format!(
            "`{name}` is not an output format; use one of {}",
            format_names()
        ));
    };
    let destination = match path {
        "" => {
            return Err(format!(
                "give a file after `{name}=`, such as `{name}=report.{}`, or `-` for standard \
                 output",
                extension(format)
            ));
        }
        "-" => Destination::Stdout,
        path => Destination::File(PathBuf::from(path)),
    };
    Ok(OutputTarget {
        format,
        destination,
    })
}

/// The usual file extension of a format, for examples in messages.
fn extension(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Text | OutputFormat::Github => "txt",
        OutputFormat::Json | OutputFormat::Gitlab => "json",
        OutputFormat::Sarif => "sarif",
        OutputFormat::Junit => "xml",
    }
}

/// What one scan writes where.
#[derive(Debug)]
pub(super) struct Outputs {
    /// The format printed on standard output.
    pub stdout: OutputFormat,
    /// The reports written to files, in the order given.
    pub files: Vec<(OutputFormat, PathBuf)>,
}

impl Outputs {
    /// Decides what goes where, or says in plain words why it cannot be done.
    /// `default` is the format printed when neither `--format` nor an `--output …=-` says.
    pub fn plan(
        format: Option<OutputFormat>,
        targets: &[OutputTarget],
        sarif_file: Option<&Path>,
        default: OutputFormat,
    ) -> Result<Outputs, String> {
        let on_stdout: Vec<OutputFormat> = targets
            .iter()
            .filter(|t| t.destination == Destination::Stdout)
            .map(|t| t.format)
            .collect();
        let stdout = match (format, on_stdout.as_slice()) {
            (_, [first, second, ..]) => {
                return Err(format!(
                    "`--output {}=-` and `--output {}=-` both write to standard output; write \
                     one of them to a file (`--output {}=report.{}`)",
                    first.name(),
                    second.name(),
                    second.name(),
                    extension(*second)
                ));
            }
            (Some(format), [other]) => {
                return Err(format!(
                    "`--format {}` and `--output {}=-` both write to standard output; leave out \
                     one of them, or write one to a file (`--output {}=report.{}`)",
                    format.name(),
                    other.name(),
                    format.name(),
                    extension(format)
                ));
            }
            (_, [only]) => *only,
            (Some(format), []) => format,
            (None, []) => default,
        };
        let mut files: Vec<(OutputFormat, PathBuf)> = targets
            .iter()
            .filter_map(|t| match &t.destination {
                Destination::File(path) => Some((t.format, path.clone())),
                Destination::Stdout => None,
            })
            .collect();
        if let Some(path) = sarif_file {
            files.push((OutputFormat::Sarif, path.to_path_buf()));
        }
        for (i, (format, path)) in files.iter().enumerate() {
            if let Some((other, _)) = files[..i]
                .iter()
                .find(|(_, earlier)| same_file(earlier, path))
            {
                return Err(format!(
                    "the {} report and the {} report would both be written to `{}`; give each \
                     output a file of its own",
                    other.title(),
                    format.title(),
                    path.display()
                ));
            }
            check_writable(*format, path)?;
        }
        Ok(Outputs { stdout, files })
    }

    /// The first SARIF file, for the `sarif-file` step output.
    pub fn sarif_file(&self) -> Option<&Path> {
        self.files
            .iter()
            .find(|(format, _)| *format == OutputFormat::Sarif)
            .map(|(_, path)| path.as_path())
    }

    /// Writes every file output, then the github format's side outputs; returns the
    /// messages of those that could not be written (the others are written all the same).
    pub fn write_files(&self, report: &Report) -> Vec<String> {
        let mut errors = Vec::new();
        for (format, path) in &self.files {
            let mut bytes = Vec::new();
            let written = render(*format, report, TextStyle::Plain, &mut bytes)
                .and_then(|()| std::fs::write(path, bytes));
            if let Err(error) = written {
                errors.push(format!(
                    "cannot write the {} report to `{}`: {}",
                    format.title(),
                    path.display(),
                    plain_reason(&error)
                ));
            }
        }
        if self.stdout == OutputFormat::Github
            && let Err(message) = github_side_outputs(report, self.sarif_file())
        {
            errors.push(message);
        }
        errors
    }
}

/// Whether two paths name one file, as far as can be told before either exists.
fn same_file(a: &Path, b: &Path) -> bool {
    let full = |p: &Path| {
        std::fs::canonicalize(p)
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    a == b || full(a) == full(b)
}

/// What can be known before the scan: the path is not a folder, and its folder exists.
fn check_writable(format: OutputFormat, path: &Path) -> Result<(), String> {
    let cannot = |why: String| {
        format!(
            "cannot write the {} report to `{}`: {why}",
            format.title(),
            path.display()
        )
    };
    if path.is_dir() {
        return Err(cannot(format!(
            "it is a folder; give a file path, such as `{}`",
            path.join(format!("doublecheck.{}", extension(format)))
                .display()
        )));
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder {
        if !folder.exists() {
            return Err(cannot(format!(
                "the folder `{}` does not exist; create it first, or choose another path",
                folder.display()
            )));
        }
        if !folder.is_dir() {
            return Err(cannot(format!(
                "`{}` is not a folder; choose another path",
                folder.display()
            )));
        }
    }
    Ok(())
}

/// An I/O error in plain words, with what to do about it.
fn plain_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => {
            "its folder does not exist; create it first, or choose another path".to_owned()
        }
        ErrorKind::PermissionDenied => {
            "permission denied; choose a path you are allowed to write to".to_owned()
        }
        ErrorKind::IsADirectory => "it is a folder; give a file path".to_owned(),
        ErrorKind::ReadOnlyFilesystem => {
            "the file system is read-only; choose a path on another one".to_owned()
        }
        ErrorKind::StorageFull => "the disk is full; free some space and run again".to_owned(),
        _ => format!("{error}; check the path, or choose another one"),
    }
}

/// With `--format github`, the step summary and step outputs in the files the runner names.
fn github_side_outputs(report: &Report, sarif_file: Option<&Path>) -> Result<(), String> {
    if let Some(path) = runner_file("GITHUB_STEP_SUMMARY") {
        let written = std::fs::metadata(&path).map_or(0, |m| m.len());
        let budget =
            MAX_SUMMARY_BYTES.saturating_sub(usize::try_from(written).unwrap_or(usize::MAX));
        let summary = step_summary(report, Links::from_env().as_ref(), budget);
        append(&path, &summary).map_err(|e| {
            format!(
                "cannot write the step summary to `{}`: {}",
                path.display(),
                plain_reason(&e)
            )
        })?;
    }
    if let Some(path) = runner_file("GITHUB_OUTPUT") {
        let sarif = sarif_file.map(|p| p.to_string_lossy().into_owned());
        let outputs = github_outputs(report, sarif.as_deref());
        append(&path, &outputs).map_err(|e| {
            format!(
                "cannot write the step outputs to `{}`: {}",
                path.display(),
                plain_reason(&e)
            )
        })?;
    }
    Ok(())
}

/// A file the runner names in an environment variable, when it names one.
fn runner_file(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(format: OutputFormat, path: &str) -> OutputTarget {
        OutputTarget {
            format,
            destination: match path {
                "-" => Destination::Stdout,
                path => Destination::File(PathBuf::from(path)),
            },
        }
    }

    #[test]
    fn targets_parse_or_say_what_is_expected() {
        assert_eq!(
            parse_target("SARIF=out/a=b.sarif"),
            Ok(target(OutputFormat::Sarif, "out/a=b.sarif"))
        );
        assert_eq!(parse_target("json=-"), Ok(target(OutputFormat::Json, "-")));
        assert_eq!(
            parse_target("results.sarif"),
            Err(
                "write it as FORMAT=PATH, such as `sarif=results.sarif`, or `json=-` for \
                 standard output; FORMAT is one of text, json, sarif, github, gitlab, junit"
                    .to_owned()
            )
        );
        assert_eq!(
            parse_target("xml=a.xml"),
            Err(
                "`xml` is not an output format; use one of text, json, sarif, github, gitlab, \
                 junit"
                    .to_owned()
            )
        );
        assert_eq!(
            parse_target("junit="),
            Err(
                "give a file after `junit=`, such as `junit=report.xml`, or `-` for standard \
                 output"
                    .to_owned()
            )
        );
    }

    #[test]
    fn standard_output_carries_one_report() {
        let plan = |format, targets: &[OutputTarget]| {
            Outputs::plan(format, targets, None, OutputFormat::Text).map(|o| o.stdout)
        };
        assert_eq!(plan(None, &[]), Ok(OutputFormat::Text));
        assert_eq!(
            plan(
                Some(OutputFormat::Json),
                &[target(OutputFormat::Sarif, "a")]
            ),
            Ok(OutputFormat::Json)
        );
        assert_eq!(
            plan(None, &[target(OutputFormat::Junit, "-")]),
            Ok(OutputFormat::Junit)
        );
        assert!(
            plan(
                Some(OutputFormat::Json),
                &[target(OutputFormat::Junit, "-")]
            )
            .is_err()
        );
        assert!(
            plan(
                None,
                &[
                    target(OutputFormat::Junit, "-"),
                    target(OutputFormat::Gitlab, "-")
                ]
            )
            .is_err()
        );
    }

    #[test]
    fn sarif_file_is_a_sarif_output() {
        let outputs = Outputs::plan(
            None,
            &[target(OutputFormat::Junit, "junit.xml")],
            Some(Path::new("results.sarif")),
            OutputFormat::Text,
        )
        .expect("a plan");
        assert_eq!(
            outputs.files,
            [
                (OutputFormat::Junit, PathBuf::from("junit.xml")),
                (OutputFormat::Sarif, PathBuf::from("results.sarif"))
            ]
        );
        assert_eq!(outputs.sarif_file(), Some(Path::new("results.sarif")));
        let twice = Outputs::plan(
            None,
            &[target(OutputFormat::Sarif, "./results.sarif")],
            Some(Path::new("results.sarif")),
            OutputFormat::Text,
        );
        assert_eq!(
            twice.map(|_| ()),
            Err(
                "the SARIF report and the SARIF report would both be written to \
                 `results.sarif`; give each output a file of its own"
                    .to_owned()
            )
        );
    }
}
