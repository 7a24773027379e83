//! Walks the paths to scan, honouring `.gitignore` (also outside a git checkout), entering
//! hidden folders such as `.github/` but never `.git/`, and never following symbolic links
//! out of the tree.
//!
//! Nothing of a known kind is dropped in silence: a symbolic link whose name is of a known
//! kind is read when it points to a regular file inside the scanned folder, and otherwise
//! (outside the folder, a loop, broken, a folder) comes back with a [`WalkedFile::refused`]
//! reason, as does a FIFO, socket or device of a known name, which is never opened. A folder
//! whose `.gitignore` or `.ignore` is not a regular file is not entered (reading a link to
//! `/dev/zero` or a FIFO would never end) and is reported instead.

pub mod root;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use root::anchor;

/// Ignore files the walker reads in every folder it enters.
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore"];

/// A file to consider, with the path every output shows (relative to the scan root).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkedFile {
    pub shown: String,
    /// Where to read it: the file, or the regular file inside the tree a link points to.
    pub path: PathBuf,
    /// Why the file must not be read (a link out of the tree, a FIFO…); it is reported as
    /// unreadable instead.
    pub refused: Option<String>,
    /// Its size in bytes as listed (0 when refused or when the system would not say): the
    /// schedule bounds batches by it. Asked here, on the walk's threads, rather than by the
    /// schedule, which runs on one thread before any file is read.
    pub len: u64,
}

/// A path that could not be listed or does not exist.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkError {
    pub shown: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<WalkedFile>,
    pub errors: Vec<WalkError>,
}

/// Entries a walk lists on the calling thread before it starts over on several threads.
/// Threads pay on a large tree (listing one is mostly waiting on the system) but cost more
/// than they save on a small one: each must start and fault in memory of its own. Starting
/// over lists these entries again, a few milliseconds against the seconds a large tree takes.
const ONE_THREAD_ENTRIES: usize = 1000;

/// Walks `paths`, keeping the files `wanted` accepts (by shown path: relative to `root`).
/// Paths given explicitly as files are kept even when ignored, like other linters do.
/// Paths and root are compared once [`anchor`]ed, however they are given. A folder of more
/// than [`ONE_THREAD_ENTRIES`] entries is listed on `threads` threads (the walk comes before
/// any file is read); files and errors come back sorted.
pub fn walk(
    paths: &[PathBuf],
    root: &Path,
    wanted: impl Fn(&str) -> bool + Sync,
    threads: usize,
) -> Walked {
    let mut walked = Walked::default();
    let root = &anchor(root);
    for path in paths {
        let path = &anchor(path);
        if path.is_file() || (path.is_symlink() && !path.is_dir()) {
            let shown = shown_path(path, root);
            if wanted(&shown) {
                walked.files.push(WalkedFile {
                    shown,
                    path: path.clone(),
                    refused: None,
                    len: file_len(path),
                });
            }
            continue;
        }
        // The boundary links may point into: the folder scanned, as the system resolves it.
        let top = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if let Some(problem) = unsafe_ignore_file(path, &top) {
            walked.errors.push(WalkError {
                shown: shown_path(&problem.0, root),
                message: problem.1,
            });
            continue;
        }
        let refused_folders: Arc<Mutex<Vec<(PathBuf, String)>>> = Arc::default();
        let refused = Arc::clone(&refused_folders);
        let boundary = top.clone();
        let mut walker = ignore::WalkBuilder::new(path);
        walker
            .hidden(false)
            .require_git(false)
            .follow_links(false)
            .threads(threads)
            .filter_entry(move |entry| {
                if entry.file_name() == ".git" {
                    return false;
                }
                if entry.file_type().is_some_and(|t| t.is_dir())
                    && let Some(problem) = unsafe_ignore_file(entry.path(), &boundary)
                {
                    refused
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(problem);
                    return false;
                }
                true
            });
        let mut listed = Walked::default();
        let mut whole = true;
        for (n, entry) in walker.build().enumerate() {
            if n == ONE_THREAD_ENTRIES && threads > 1 {
                whole = false;
                break;
            }
            match entry {
                Ok(entry) => listed.files.extend(walked_file(entry, root, &top, &wanted)),
                Err(error) => listed.errors.push(walk_error(&error, root)),
            }
        }
        if whole {
            walked.files.append(&mut listed.files);
            walked.errors.append(&mut listed.errors);
        } else {
            // Started over: the folders refused so far would be refused twice.
            refused_folders
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clear();
            walk_in_parallel(&walker, &mut walked, root, &top, &wanted);
        }
        let refused =
            std::mem::take(&mut *refused_folders.lock().unwrap_or_else(|e| e.into_inner()));
        walked
            .errors
            .extend(refused.into_iter().map(|(file, message)| WalkError {
                shown: shown_path(&file, root),
                message,
            }));
    }
    walked.files.sort();
    walked.files.dedup();
    walked.errors.sort();
    walked
}

/// The rest of [`walk`] for a large folder: the walker's threads push into `walked`.
fn walk_in_parallel(
    walker: &ignore::WalkBuilder,
    walked: &mut Walked,
    root: &Path,
    top: &Path,
    wanted: &(impl Fn(&str) -> bool + Sync),
) {
    let found = Mutex::new(std::mem::take(walked));
    walker.build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            let lock = || found.lock().unwrap_or_else(|e| e.into_inner());
            match entry {
                Ok(entry) => {
                    if let Some(file) = walked_file(entry, root, top, wanted) {
                        lock().files.push(file);
                    }
                }
                Err(error) => lock().errors.push(walk_error(&error, root)),
            }
            ignore::WalkState::Continue
        })
    });
    *walked = found.into_inner().unwrap_or_else(|e| e.into_inner());
}

/// The file an entry of the walk stands for, if it is one `wanted` accepts.
fn walked_file(
    entry: ignore::DirEntry,
    root: &Path,
    top: &Path,
    wanted: &impl Fn(&str) -> bool,
) -> Option<WalkedFile> {
    let file_type = entry.file_type()?;
    if file_type.is_dir() {
        return None;
    }
    let shown = shown_path(entry.path(), root);
    if !wanted(&shown) {
        return None;
    }
    let (path, refused, len) = if file_type.is_file() {
        let len = entry.metadata().map_or(0, |m| m.len());
        (entry.into_path(), None, len)
    } else if file_type.is_symlink() {
        let (path, refused) = resolve_link(entry.into_path(), top);
        let len = if refused.is_none() {
            file_len(&path)
        } else {
            0
        };
        (path, refused, len)
    } else {
        let what = special_file_kind(&file_type);
        let reason = format!("{what}, not a regular file: it was not read");
        (entry.into_path(), Some(reason), 0)
    };
    Some(WalkedFile {
        shown,
        path,
        refused,
        len,
    })
}

/// A file's size as the system reports it, following links; 0 when it will not say
/// (reading the file then reports why).
fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// A link of a known name is read only when it resolves to a regular file inside `top`.
fn resolve_link(link: PathBuf, top: &Path) -> (PathBuf, Option<String>) {
    let target = match std::fs::canonicalize(&link) {
        Ok(target) => target,
        Err(error) => {
            let why = if std::fs::read_link(&link).is_ok() && error.raw_os_error() == Some(40) {
                "a symbolic link loop".to_owned()
            } else {
                format!("a symbolic link that does not resolve ({error})")
            };
            return (link, Some(format!("{why}: it was not followed")));
        }
    };
    if !target.starts_with(top) {
        let reason = format!(
            "a symbolic link to `{}`, outside the scanned folder: it was not followed",
            target.display()
        );
        return (link, Some(reason));
    }
    if !target.is_file() {
        let reason = "a symbolic link to something that is not a regular file: it was not followed";
        return (link, Some(reason.to_owned()));
    }
    (target, None)
}

/// An ignore file of `folder` that exists but is neither a regular file nor a link to one
/// inside `top`: the walker would open it (and a FIFO or `/dev/zero` never ends), so the
/// folder is refused instead.
fn unsafe_ignore_file(folder: &Path, top: &Path) -> Option<(PathBuf, String)> {
    IGNORE_FILES.iter().find_map(|name| {
        let file = folder.join(name);
        let metadata = std::fs::symlink_metadata(&file).ok()?;
        let safe = metadata.file_type().is_file()
            || (metadata.file_type().is_symlink() && resolve_link(file.clone(), top).1.is_none());
        (!safe).then(|| {
            let message = format!(
                "`{name}` is not a regular file inside the scanned folder (a link out of it, or \
                 a special file), so the folder holding it was not scanned"
            );
            (file, message)
        })
    })
}

#[cfg(unix)]
fn special_file_kind(file_type: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
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

    /// A tree past [`ONE_THREAD_ENTRIES`] is walked again on several threads: the same files
    /// and errors come back, in the same order, as from one thread, and a refused folder
    /// listed before the walk started over is reported once.
    #[cfg(unix)]
    #[test]
    fn a_large_tree_walked_on_threads_gives_what_one_thread_gives() -> std::io::Result<()> {
        const GROUPS: usize = ONE_THREAD_ENTRIES / 100 + 2;
        let dir = tempfile::tempdir()?;
        let top = dir.path();
        std::fs::write(top.join(".gitignore"), "ignored/\n")?;
        // A folder whose `.gitignore` is a link out of the tree: refused, listed early.
        std::fs::create_dir(top.join("a-refused"))?;
        std::os::unix::fs::symlink("/etc/hostname", top.join("a-refused/.gitignore"))?;
        for folder in ["ignored", "kept"] {
            for group in 0..GROUPS {
                let path = top.join(folder).join(group.to_string());
                std::fs::create_dir_all(&path)?;
                for file in 0..100 {
                    std::fs::write(path.join(format!("{file}.yaml")), "a: 1\n")?;
                }
            }
        }
        let wanted = |shown: &str| shown.ends_with(".yaml");
        let one = walk(&[top.to_path_buf()], top, wanted, 1);
        let many = walk(&[top.to_path_buf()], top, wanted, 2);
        assert_eq!(one.files.len(), GROUPS * 100);
        assert!(one.files.iter().all(|f| f.shown.starts_with("kept/")));
        assert_eq!(one.errors.len(), 1, "{:?}", one.errors);
        assert_eq!(one.errors[0].shown, "a-refused/.gitignore");
        assert_eq!(one.files, many.files);
        assert_eq!(one.errors, many.errors);
        Ok(())
    }

    /// The walk lists each file's size, so the schedule need not ask for it on one thread: a
    /// link inside the tree counts its target's size, a refused link nothing, and a file
    /// given by path its own.
    #[cfg(unix)]
    #[test]
    fn files_are_listed_with_their_sizes() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let top = dir.path();
        std::fs::write(top.join("a.yaml"), "a: 1\n")?;
        std::fs::write(top.join("target.txt"), "b: 22\n")?;
        std::os::unix::fs::symlink(top.join("target.txt"), top.join("b.yaml"))?;
        std::os::unix::fs::symlink("/etc/hostname", top.join("c.yaml"))?;
        let wanted = |shown: &str| shown.ends_with(".yaml");
        let walked = walk(&[top.to_path_buf()], top, wanted, 1);
        let sizes: Vec<(&str, u64, bool)> = (walked.files.iter())
            .map(|f| (f.shown.as_str(), f.len, f.refused.is_some()))
            .collect();
        let expected = [
            ("a.yaml", 5, false),
            ("b.yaml", 6, false),
            ("c.yaml", 0, true),
        ];
        assert_eq!(sizes, expected);
        let one = walk(&[top.join("a.yaml")], top, wanted, 1);
        assert_eq!(one.files[0].len, 5);
        Ok(())
    }
}
