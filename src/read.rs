//! Reads one candidate file into typed documents: decode, sniff, parse, name the kind.
//! Whatever cannot be read or parsed becomes a finding here, so nothing is skipped silently.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::detect::{self, Candidate};
use crate::document::{Document, SourceFile, Span};
use crate::filter::suppress::{self, FileSuppressions};
use crate::finding::{Finding, PARSE_ERROR, Related, TEMPLATE, fingerprint};
use crate::parse;
use crate::resolve;

/// Files larger than this are reported, not parsed (the default of `limits.max-file-size`).
pub const MAX_FILE_BYTES: usize = crate::config::DEFAULT_MAX_FILE_SIZE as usize;

/// A file to check: where it is shown, how to read it, and where its bytes are.
pub struct Input {
    pub shown: String,
    pub candidate: Candidate,
    pub content: Content,
    /// Read only for the facts other files take from it: a file of the repository outside
    /// the paths a scan reports on. It is never evaluated, and nothing of it is reported.
    pub context: bool,
    /// The folder of the Helm chart (with its subcharts) the file belongs to, when it is
    /// one of a chart's files: they are read together.
    pub chart: Option<String>,
}

/// Files read because a configuration names them by path (Terraform's
/// `file("policy.json")`), from the same side as the scan's own files: the work tree, the
/// files given in memory, or a git revision's objects.
pub trait NamedFiles: Sync {
    /// The file's bytes; `None` when it does not exist, may not be read (excluded, a link
    /// out of the scanned tree, not a regular file) or is over the size limit: what names it
    /// then stays unknown.
    fn read(&self, shown: &str) -> Option<Vec<u8>>;
}

impl Input {
    /// The bytes reading it will take, without reading it: its length on disk (as the walk
    /// listed it) or in memory. A file judged by its name alone counts for nothing.
    pub fn bytes(&self) -> u64 {
        match &self.content {
            _ if self.candidate.format() == parse::Format::FILE_NAME => 0,
            Content::Disk { len: Some(len), .. } => *len,
            Content::Disk { path, len: None } => std::fs::metadata(path).map_or(0, |m| m.len()),
            Content::Memory(text) => text.len() as u64,
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::Refused(_) => 0,
        }
    }

    /// What the file is read together with (see [`resolve::read_together`]), among a scan
    /// whose Terraform configuration is in `terraform`.
    pub fn read_together(&self, terraform: &resolve::TerraformFolders) -> Option<&str> {
        (self.chart.as_deref())
            .or_else(|| resolve::read_together(&self.candidate, &self.shown, terraform))
    }
}

pub enum Content {
    /// Read when its turn comes, so a scan never holds every file's bytes at once. `len` is
    /// its size when the walk listed it (the schedule bounds batches by it); `None` when
    /// it was not listed, and the schedule asks the system.
    Disk {
        path: PathBuf,
        len: Option<u64>,
    },
    Memory(String),
    /// Bytes already read (a file of a git revision, which may not be UTF-8).
    Bytes(Vec<u8>),
    /// Must not be read (a link out of the tree, a FIFO): why.
    Refused(String),
}

/// Gives the templates and values files of the Helm charts among `inputs` (beside a
/// `Chart.yaml`) the chart rows, so templates are read as templates, not as YAML, and drops
/// the text templates that belong to no chart.
pub fn claim_chart_templates(inputs: &mut Vec<Input>) {
    let roots = detect::ChartRoots::new(inputs.iter().map(|input| input.shown.as_str()));
    claim_chart_files(&roots, inputs);
}

/// [`claim_chart_templates`] with the charts already known (from more paths than these).
pub fn claim_chart_files(roots: &detect::ChartRoots, inputs: &mut Vec<Input>) {
    // A `templates/*.tpl` or `*.txt` outside a chart is not read at all.
    inputs.retain(|input| {
        input.candidate.format() != crate::parse::Format::TEMPLATE_TEXT
            || detect::chart_of_template(&input.shown).is_some_and(|root| roots.is_chart(root))
    });
    for input in inputs {
        if let Some(candidate) = roots.candidate(&input.shown) {
            input.candidate = candidate;
        }
        let Some(chart) = detect::expected_kind(&input.shown, input.candidate)
            .and_then(|kind| roots.chart_of(&input.shown, kind))
        else {
            continue;
        };
        input.chart = Some(resolve::helm::unit(chart).to_owned());
    }
}

/// What one file contributed to the scan.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
    /// Whether the file was parsed and its documents handed to evaluation.
    pub checked: bool,
    /// Whether the file is of a known kind but was not fully checked (it could not be read
    /// or parsed, or is over the size limit): its finding says why. A file dropped unread
    /// as of no known kind is neither checked nor unchecked.
    pub unchecked: bool,
    /// The file's text when it could not be parsed, so the report can show the error line.
    pub unparsed: Option<Arc<SourceFile>>,
    /// The file's `doublecheck:ignore` comments, applied after evaluation.
    pub suppressions: Option<FileSuppressions>,
}

/// Why a file's bytes were not read.
#[derive(Debug)]
pub enum ReadFailure {
    /// Larger than the limit: reported like a file that does not parse.
    TooLarge(u64),
    /// Not a regular file (a FIFO, a device, a folder), or an I/O error.
    Unreadable(String),
}

/// Reads a file of at most `max_bytes` bytes without ever waiting on anything but a regular
/// file (reading a FIFO blocks, a device may never end), and without reading more than
/// `max_bytes + 1` bytes even if the file grows meanwhile. The file is opened first and
/// asked what it is through its descriptor: one lookup of the path, not two (a stat by path
/// and then the open), which a scan pays once per file. On Unix it is opened non-blocking,
/// so that opening a FIFO that replaced the file since the walk returns at once.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadFailure> {
    let unreadable = |e: std::io::Error| ReadFailure::Unreadable(e.to_string());
    let not_regular =
        || ReadFailure::Unreadable("not a regular file, so it was not read".to_owned());
    let file = match open_without_blocking(path) {
        Ok(file) => file,
        // A socket cannot be opened at all: say what it is, as for a FIFO.
        Err(error) => {
            return Err(match std::fs::metadata(path) {
                Ok(metadata) if !metadata.is_file() => not_regular(),
                _ => unreadable(error),
            });
        }
    };
    let metadata = file.metadata().map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(not_regular());
    }
    if metadata.len() > max_bytes {
        return Err(ReadFailure::TooLarge(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadFailure::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// The finding for a file over the size limit, which is never read.
pub fn too_large(shown: &str, size: u64, max_bytes: u64) -> FileOutcome {
    let source = Arc::new(SourceFile::new(shown, String::new()));
    failed(
        source,
        Span::default(),
        format!(
            "the file is {}, over the {} limit (limits.max-file-size): it was not checked",
            human_size(size),
            human_size(max_bytes)
        ),
    )
}

/// `64 MiB`, `1.5 MiB`, `900 bytes`: exact enough to compare with the limit.
fn human_size(bytes: u64) -> String {
    const UNITS: &[(u64, &str)] = &[(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if bytes >= *size {
            let whole = bytes / size;
            let tenths = (bytes % size) * 10 / size;
            return if tenths == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenths} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// How every file git-crypt encrypts begins: such a file is not broken text but a secret
/// kept encrypted, and the finding says how to check it or accept it unchecked.
const GIT_CRYPT_HEADER: &[u8] = b"\0GITCRYPT\0";

/// Turns a file's bytes into documents of known kinds, with the default size limit.
pub fn read_documents(shown: &str, candidate: Candidate, bytes: Vec<u8>) -> FileOutcome {
    read_documents_within(shown, candidate, bytes, MAX_FILE_BYTES as u64)
}

/// A file's text made ready for its parser, or what reading it came to short of parsing.
pub(crate) enum Prepared {
    /// The format that reads the text, and the text.
    Parse(parse::Format, Arc<SourceFile>),
    /// Over the size limit, encrypted or not text (a finding), or of no known kind by its
    /// content (nothing).
    Done(FileOutcome),
}

/// Decodes a file's bytes and picks the format that reads them, as every scan does before
/// parsing; more than `max_bytes` bytes are a finding, not decoded.
pub(crate) fn prepare(
    shown: &str,
    candidate: Candidate,
    bytes: Vec<u8>,
    max_bytes: u64,
) -> Prepared {
    if bytes.len() as u64 > max_bytes {
        return Prepared::Done(too_large(shown, bytes.len() as u64, max_bytes));
    }
    if bytes.starts_with(GIT_CRYPT_HEADER) {
        let source = Arc::new(SourceFile::new(shown, String::new()));
        return Prepared::Done(failed(
            source,
            Span::default(),
            "the file is encrypted with git-crypt, so it was not checked: scan a work tree \
             unlocked with `git-crypt unlock`, or list the file under `limits.allow-unchecked`"
                .to_owned(),
        ));
    }
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(undecodable) => {
            let source = Arc::new(SourceFile::new(shown, undecodable.lossy));
            return Prepared::Done(failed(source, undecodable.span, undecodable.message));
        }
    };
    if !detect::worth_parsing(candidate, &text) {
        return Prepared::Done(FileOutcome::default());
    }
    let format = candidate.format().for_text(&text);
    Prepared::Parse(format, Arc::new(SourceFile::new(shown, text)))
}

/// Turns a file's bytes into documents of known kinds; more than `max_bytes` bytes are a
/// finding, not parsed.
pub fn read_documents_within(
    shown: &str,
    candidate: Candidate,
    bytes: Vec<u8>,
    max_bytes: u64,
) -> FileOutcome {
    let (format, source) = match prepare(shown, candidate, bytes, max_bytes) {
        Prepared::Parse(format, source) => (format, source),
        Prepared::Done(outcome) => return outcome,
    };
    match parse::parse(format, &source) {
        Ok(parsed) => {
            let suppressions = suppress::collect(format, &source, &parsed);
            let documents = parsed
                .into_iter()
                .enumerate()
                .filter_map(|(index_in_file, doc)| {
                    let kind = detect::kind_of(candidate, &doc.value)?;
                    let doc = resolve::reshape(&kind, doc, &source.text);
                    Some(Document {
                        source: Arc::clone(&source),
                        index_in_file,
                        kind,
                        value: doc.value,
                        spans: doc.spans,
                        resolved: None,
                    })
                })
                .collect();
            FileOutcome {
                documents,
                checked: true,
                suppressions,
                ..FileOutcome::default()
            }
        }
        Err(_) if let Some(action) = template_action(&source.text) => {
            FileOutcome {
                findings: vec![TEMPLATE.finding(
                &source,
                action,
                "a template (its actions are rendered before it is valid YAML or JSON): not \
                 checked"
                    .to_owned(),
            )],
                unchecked: true,
                unparsed: Some(source),
                ..FileOutcome::default()
            }
        }
        Err(error) => failed(
            source,
            error.span,
            format!(
                "invalid {}: {}; the file was not checked",
                format.name(),
                error.message
            ),
        ),
    }
}

/// Text that could not be decoded: as much as could, and where it went wrong.
struct Undecodable {
    lossy: String,
    span: Span,
    message: String,
}

/// The file's text: UTF-8, or UTF-16 when a byte-order mark says so (some Windows editors
/// and PowerShell's `Out-File` write it). A UTF-8 byte-order mark is left for the parsers,
/// which skip it.
fn decode(bytes: Vec<u8>) -> Result<String, Undecodable> {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(unit) = utf16 {
        let units = bytes[2..].chunks(2).map(|pair| match pair {
            [a, b] => unit([*a, *b]),
            // An odd byte at the end cannot be a code unit: decoded as a replacement.
            _ => 0xFFFD,
        });
        let mut text = String::with_capacity(bytes.len() / 2);
        for decoded in char::decode_utf16(units) {
            match decoded {
                Ok(c) => text.push(c),
                Err(_) => {
                    let at = text.len();
                    text.push(char::REPLACEMENT_CHARACTER);
                    return Err(Undecodable {
                        lossy: text,
                        span: Span::new(at, at + char::REPLACEMENT_CHARACTER.len_utf8()),
                        message: "the file is not valid UTF-16 text (a lone surrogate) although \
                                  it starts with a UTF-16 byte-order mark; save it as UTF-8"
                            .to_owned(),
                    });
                }
            }
        }
        return Ok(text);
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        // Locate the first bad byte in the lossy text, which has the same prefix.
        Undecodable {
            lossy: String::from_utf8_lossy(error.as_bytes()).into_owned(),
            span: Span::new(valid, valid + 1),
            message: format!("the file is not UTF-8 text (invalid byte at offset {valid})"),
        }
    })
}

/// The first template action (`{{ … }}` of Go templates and Helm, `{% … %}` or `{{ … }}` of
/// Jinja and Ansible) of a file that does not parse: such a file is a template, not a broken
/// file.
fn template_action(text: &str) -> Option<Span> {
    let (open, close) = [("{{", "}}"), ("{%", "%}")]
        .into_iter()
        .filter_map(|(open, close)| Some((text.find(open)?, close)))
        .min_by_key(|(at, _)| *at)?;
    let end = text[open..].find(close)? + open + close.len();
    Some(Span::new(open, end))
}

/// One note for each `templates/` folder whose files were not checked (templated YAML with
/// no `Chart.yaml` beside it, which doublecheck cannot render), instead of one per file: the
/// first file (in path order) carries it, the others are related locations.
pub(crate) fn one_note_per_template_folder(findings: &mut Vec<Finding>) {
    let folder_of = |f: &Finding| -> Option<String> {
        if f.rule != TEMPLATE.id {
            return None;
        }
        let path = &f.location.path;
        let at = if path.starts_with("templates/") {
            0
        } else {
            path.rfind("/templates/")? + 1
        };
        Some(path[..at].trim_end_matches('/').to_owned())
    };
    let mut folders: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    let mut others = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        match folder_of(&finding) {
            Some(folder) => folders.entry(folder).or_default().push(finding),
            None => others.push(finding),
        }
    }
    for (folder, mut templates) in folders {
        templates.sort_by(|a, b| a.location.cmp(&b.location));
        let count = templates.len();
        let mut note = templates.remove(0);
        let shown = if folder.is_empty() {
            "templates".to_owned()
        } else {
            format!("{folder}/templates")
        };
        let files = if count == 1 {
            "1 file".to_owned()
        } else {
            format!("{count} files")
        };
        note.message = format!(
            "the templates in `{shown}` ({files}) were not checked: they are rendered before \
             they are YAML, and with no `Chart.yaml` beside them doublecheck cannot render them"
        );
        note.fingerprint = fingerprint(&[TEMPLATE.id, &folder]);
        note.locator = format!("[templates={shown}]");
        note.related = templates
            .into_iter()
            .map(|t| Related {
                location: t.location,
                message: "another template of the folder, not checked".to_owned(),
            })
            .collect();
        others.push(note);
    }
    *findings = others;
}

fn failed(source: Arc<SourceFile>, span: Span, message: String) -> FileOutcome {
    FileOutcome {
        documents: Vec::new(),
        findings: vec![PARSE_ERROR.finding(&source, span, message)],
        checked: false,
        unchecked: true,
        unparsed: Some(source),
        suppressions: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path the walk saw as a file may be a FIFO by the time it is read: it is refused at
    /// once, not waited on (a hang here fails the test run's time limit).
    #[cfg(unix)]
    #[test]
    fn a_fifo_in_place_of_a_file_is_refused_without_waiting() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let fifo = dir.path().join("settings.yml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|status| status.success());
        assert!(made, "mkfifo is part of coreutils on every Unix CI machine");
        match read_file(&fifo, 1024) {
            Err(ReadFailure::Unreadable(why)) => {
                assert_eq!(why, "not a regular file, so it was not read");
            }
            other => panic!("a FIFO was read: {other:?}"),
        }
        let file = dir.path().join("a.yml");
        std::fs::write(&file, "a: 1\n").expect("write");
        assert_eq!(read_file(&file, 1024).expect("a regular file"), b"a: 1\n");
        assert!(matches!(read_file(&file, 3), Err(ReadFailure::TooLarge(5))));
        assert!(matches!(
            read_file(&dir.path().join("missing.yml"), 1024),
            Err(ReadFailure::Unreadable(_))
        ));
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend(pair);
        }
        bytes
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let text = "a: é😀\n";
        assert_eq!(decode(utf16(text, false)).ok().as_deref(), Some(text));
        assert_eq!(decode(utf16(text, true)).ok().as_deref(), Some(text));
        let mut lone = utf16("a", false);
        lone.extend([0x00, 0xD8]);
        let error = decode(lone).expect_err("a lone surrogate");
        assert_eq!(error.lossy, "a\u{FFFD}");
        assert_eq!(error.span, Span::new(1, 4));
        let error = decode(vec![b'a', 0xFF]).expect_err("not UTF-8");
        assert_eq!(error.span, Span::new(1, 2));
    }

    #[test]
    fn a_file_encrypted_with_git_crypt_is_named_so() {
        let candidate = detect::candidate("terraform.tfvars").expect("a Terraform file");
        let mut bytes = GIT_CRYPT_HEADER.to_vec();
        bytes.extend([0x3f, 0xd0, 0x3c, 0x06, 0x90]);
        let outcome = read_documents("env/terraform.tfvars", candidate, bytes);
        assert!(outcome.documents.is_empty() && outcome.unchecked && !outcome.checked);
        assert_eq!(outcome.findings.len(), 1);
        assert_eq!(outcome.findings[0].rule, PARSE_ERROR.id);
        assert!(
            outcome.findings[0]
                .message
                .starts_with("the file is encrypted with git-crypt"),
            "{}",
            outcome.findings[0].message
        );
    }

    #[test]
    fn sizes_read_like_the_limit_is_written() {
        assert_eq!(human_size(64 << 20), "64 MiB");
        assert_eq!(human_size(200_000_000), "190.7 MiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(900), "900 bytes");
    }

    #[test]
    fn local_tags_mean_something_in_cloudformation_templates_only() {
        let read = |path: &str, text: &str| {
            let candidate = detect::candidate(path).expect("a candidate");
            let outcome = read_documents(path, candidate, text.as_bytes().to_vec());
            outcome.documents.into_iter().next().expect("a document")
        };
        // A Kubernetes manifest (or a GitLab CI `!reference`, a Home Assistant `!secret`)
        // keeps the plain value.
        let pod = read(
            "pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: !Ref web}\n",
        );
        assert_eq!(pod.value["metadata"]["name"], "web");
        assert!(pod.spans.get("/metadata/name/Ref").is_none());
        let text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Ref Name}\n";
        let template = read("stack.yaml", text);
        assert_eq!(
            template.value["Resources"]["B"]["Properties"]["BucketName"],
            serde_json::json!({"Ref": "Name"})
        );
        let at = template
            .spans
            .get("/Resources/B/Properties/BucketName/Ref")
            .expect("located");
        assert_eq!(&text[at.value.start..at.value.end], "Name");
    }

    #[test]
    fn only_regular_files_are_opened() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        assert!(matches!(
            read_file(dir.path(), 100),
            Err(ReadFailure::Unreadable(_))
        ));
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "a: 1\n").expect("write");
        assert_eq!(read_file(&file, 100).expect("read"), b"a: 1\n");
        assert!(matches!(read_file(&file, 3), Err(ReadFailure::TooLarge(5))));
    }
}
