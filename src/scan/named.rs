//! The files a batch's configurations read by path (Terraform's `file` and `templatefile`,
//! see `resolve::terraform::files`), read from the side the scan reads: the work tree, or
//! the files given in memory.

use std::path::{Path, PathBuf};

use crate::config::Excludes;
use crate::document::Document;
use crate::read::{NamedFiles, read_file};

/// Adds to `documents` the files their configurations name that `files` can read; returns
/// the paths of those read.
pub(crate) fn add(documents: &mut Vec<Document>, files: &dyn NamedFiles) -> Vec<String> {
    let mut read = Vec::new();
    for shown in crate::resolve::named_paths(documents) {
        let named = files.read(&shown);
        if let Some(document) = named.and_then(|bytes| crate::resolve::named_file(&shown, bytes)) {
            documents.push(document);
            read.push(shown);
        }
    }
    read
}

/// Files under a scan's root on disk, but for excluded ones and anything outside the root
/// (through a link) or not a regular file.
pub(crate) struct DiskFiles<'a> {
    root: PathBuf,
    excludes: &'a Excludes,
    max_bytes: u64,
}

impl<'a> DiskFiles<'a> {
    pub(crate) fn new(root: &Path, excludes: &'a Excludes, max_bytes: u64) -> Self {
        DiskFiles {
            // A root that cannot be resolved reads nothing.
            root: root.canonicalize().unwrap_or_default(),
            excludes,
            max_bytes,
        }
    }
}

impl NamedFiles for DiskFiles<'_> {
    fn read(&self, shown: &str) -> Option<Vec<u8>> {
        if self.excludes.excludes(shown) || self.root.as_os_str().is_empty() {
            return None;
        }
        let real = self.root.join(shown).canonicalize().ok()?;
        if !real.starts_with(&self.root) {
            return None;
        }
        read_file(&real, self.max_bytes).ok()
    }
}

/// Files given in memory (policy examples, the fuzz targets), by shown path.
pub(crate) struct MemoryFiles<'a>(pub &'a [(String, String)]);

impl NamedFiles for MemoryFiles<'_> {
    fn read(&self, shown: &str) -> Option<Vec<u8>> {
        let (_, text) = self.0.iter().find(|(path, _)| path == shown)?;
        Some(text.clone().into_bytes())
    }
}
