//! Walks the paths to scan, honouring `.gitignore` (also outside a git checkout), entering
//! hidden folders such as `.github/` but never `.git/`, and never following symbolic links.

use std::path::{Path, PathBuf};

/// A file to consider, with the path every output shows (relative to the scan root).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkedFile {
    pub shown: String,
    pub path: PathBuf,
}

/// A path that could not be listed or does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub shown: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<WalkedFile>,
    pub errors: Vec<WalkError>,
}

/// Walks `paths`, keeping the files `wanted` accepts (by shown path). Paths given
/// explicitly as files are kept even when ignored, like other linters do.
pub fn walk(paths: &[PathBuf], root: &Path, wanted: impl Fn(&str) -> bool) -> Walked {
    let mut walked = Walked::default();
    for path in paths {
        if path.is_file() || (path.is_symlink() && !path.is_dir()) {
            let shown = shown_path(path, root);
            if wanted(&shown) {
                walked.files.push(WalkedFile {
                    shown,
                    path: path.clone(),
                });
            }
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|entry| entry.file_name() != ".git")
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if !entry.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let shown = shown_path(entry.path(), root);
                    if wanted(&shown) {
                        walked.files.push(WalkedFile {
                            shown,
                            path: entry.into_path(),
                        });
                    }
                }
                Err(error) => walked.errors.push(walk_error(&error, root)),
            }
        }
    }
    walked.files.sort();
    walked.files.dedup();
    walked
}

fn walk_error(error: &ignore::Error, root: &Path) -> WalkError {
    let mut path = None;
    let mut inner = error;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err;
            }
            _ => break,
        }
    }
    WalkError {
        shown: path.map_or_else(|| ".".to_owned(), |p| shown_path(&p, root)),
        message: inner.to_string(),
    }
}

/// `path` relative to `root` with `/` separators, or as given when it is outside the root.
pub fn shown_path(path: &Path, root: &Path) -> String {
    let Ok(relative) = path.strip_prefix(root) else {
        return path.to_string_lossy().replace('\\', "/");
    };
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        path.to_string_lossy().into_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_are_relative_with_slashes() {
        let root = Path::new("/repo");
        assert_eq!(shown_path(Path::new("/repo/a/b.yml"), root), "a/b.yml");
        assert_eq!(shown_path(Path::new("/else/c.yml"), root), "/else/c.yml");
        assert_eq!(
            shown_path(Path::new("./x/y.json"), Path::new(".")),
            "x/y.json"
        );
    }
}
