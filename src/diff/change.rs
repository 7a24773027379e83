//! What a change is, file by file: which scanned files the head changed compared with the
//! base (added, modified, deleted), which it left as they were, and the head lines it added
//! or modified.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use gix::ObjectId;

use super::base::{BaseError, BaseTree};
use super::lines::{all_lines, changed_lines};
use crate::parse::Format;

/// A file the head scan reads: its shown path, where it is, and its format.
pub struct HeadFile {
    pub shown: String,
    pub path: PathBuf,
    pub format: Format,
}

#[derive(Debug, Default)]
pub struct Change {
    /// Files added, modified or deleted by the head (shown paths).
    pub changed: BTreeSet<String>,
    /// Files identical at the base and the head.
    pub unchanged: BTreeSet<String>,
    /// Head lines added or modified, per changed file (1-based, inclusive).
    pub lines: BTreeMap<String, Vec<(usize, usize)>>,
    /// Files moved without a change to their content: new shown path → old one.
    pub renamed: BTreeMap<String, String>,
}

impl Change {
    /// Compares the head's files with the base's. A base file that is still on disk but that
    /// the head scan does not read (ignored by `.gitignore`, now a symbolic link) is left out
    /// of the comparison on both sides; one that is gone from disk was deleted.
    pub fn between(base: &BaseTree, head: &[HeadFile]) -> Result<Change, BaseError> {
        let mut change = Change::default();
        let mut added: Vec<(&str, ObjectId)> = Vec::new();
        for file in head {
            // Data files are judged by name: their content is never read.
            let bytes = if file.format == Format::FILE_NAME {
                Some(Vec::new())
            } else {
                std::fs::read(&file.path).ok()
            };
            let Some(base_file) = base.get(&file.shown) else {
                change.changed.insert(file.shown.clone());
                let lines = match &bytes {
                    _ if file.format == Format::FILE_NAME => vec![(1, 1)],
                    Some(bytes) => {
                        added.extend(base.blob_id(bytes).map(|id| (file.shown.as_str(), id)));
                        all_lines(bytes)
                    }
                    None => Vec::new(),
                };
                change.add_lines(&file.shown, lines);
                continue;
            };
            match bytes {
                _ if file.format == Format::FILE_NAME => {
                    change.unchanged.insert(file.shown.clone());
                }
                Some(bytes) if base.blob_id(&bytes).is_some_and(|id| base_file.is(id)) => {
                    change.unchanged.insert(file.shown.clone());
                }
                Some(bytes) => {
                    change.changed.insert(file.shown.clone());
                    let old = base.read(&file.shown, base_file)?;
                    change.add_lines(&file.shown, changed_lines(&old, &bytes));
                }
                // Unreadable now: a DC-UNREADABLE finding at the head, so changed.
                None => {
                    change.changed.insert(file.shown.clone());
                }
            }
        }
        let on_disk: BTreeSet<&str> = head.iter().map(|f| f.shown.as_str()).collect();
        for (shown, base_file) in base.files() {
            if !on_disk.contains(shown) && std::fs::symlink_metadata(&base_file.path).is_err() {
                change.changed.insert(shown.to_owned());
                // A deleted file whose content was added elsewhere was moved there.
                if let Some(i) = added.iter().position(|(_, id)| base_file.is(*id)) {
                    let (new, _) = added.swap_remove(i);
                    change.lines.remove(new);
                    change.renamed.insert(new.to_owned(), shown.to_owned());
                }
            }
        }
        Ok(change)
    }

    /// The base's files the comparison covers: unchanged ones and those the head changed or
    /// deleted.
    pub fn base_files<'a>(&'a self, base: &'a BaseTree) -> impl Iterator<Item = &'a str> {
        base.files()
            .map(|(shown, _)| shown)
            .filter(|shown| self.changed.contains(*shown) || self.unchanged.contains(*shown))
    }

    fn add_lines(&mut self, shown: &str, lines: Vec<(usize, usize)>) {
        if !lines.is_empty() {
            self.lines.insert(shown.to_owned(), lines);
        }
    }
}
