//! The root of a scan: the folder every shown path is relative to, where the configuration
//! is looked for, and, when it is a repository's, what a scan of part of it takes facts from.
//!
//! GitHub resolves annotation paths, code scanning SARIF paths and a baseline's paths from the
//! top of the repository, whatever folder was scanned: so the root is the top of the git work
//! tree holding the scanned paths, found by walking up from them to the nearest `.git` (a
//! folder, or the file of a linked work tree or submodule), as git does, honouring
//! `GIT_CEILING_DIRECTORIES`. `--root` wins over it. Outside a git work tree there is no
//! repository to find: the root is the one folder scanned, else the current folder when the
//! scanned paths are inside it, else the deepest folder holding them all.

use std::path::{Path, PathBuf};

/// How a scan's root was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootKind {
    /// Given (`--root`).
    Given,
    /// The top of the git work tree holding every scanned path.
    GitWorkTree,
    /// No repository holds the scanned paths: the folder scanned, the current folder or the
    /// folder holding them all.
    Fallback,
}

/// A scan's root, absolute and with symbolic links resolved (see [`anchor`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub path: PathBuf,
    pub kind: RootKind,
}

impl Root {
    /// Whether the root is a repository's top (a git work tree's, or one given): what is
    /// outside the scanned paths but inside it belongs to the same repository.
    pub fn is_repository(&self) -> bool {
        self.kind != RootKind::Fallback
    }
}

/// Decides the root of a scan of `paths` (which exist), or checks the one given.
pub fn find_root(paths: &[PathBuf], given: Option<&Path>) -> std::io::Result<Root> {
    find(paths, given, &std::env::current_dir()?)
}

/// `path` as typed from the current folder: relative to it when inside it (a config file
/// found at the root is shown as `.doublecheck.yml`, not by its absolute path).
pub fn relative_to_cwd(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    match cwd.as_deref().map(|cwd| path.strip_prefix(cwd)) {
        Ok(Ok(relative)) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

/// [`find_root`] from the current folder `cwd`.
fn find(paths: &[PathBuf], given: Option<&Path>, cwd: &Path) -> std::io::Result<Root> {
    if let Some(given) = given {
        return Ok(Root {
            path: std::fs::canonicalize(cwd.join(given))?,
            kind: RootKind::Given,
        });
    }
    let anchored: Vec<PathBuf> = paths.iter().map(|p| anchor(&cwd.join(p))).collect();
    let ceilings = ceiling_directories();
    let mut tops = anchored
        .iter()
        .map(|p| git_work_tree(folder_of(p), &ceilings));
    if let Some(Some(first)) = tops.next()
        && tops.all(|top| top.as_deref() == Some(first.as_path()))
    {
        return Ok(Root {
            path: first,
            kind: RootKind::GitWorkTree,
        });
    }
    let cwd = std::fs::canonicalize(cwd)?;
    let path = match anchored.as_slice() {
        [only] if only.is_dir() => only.clone(),
        _ if anchored.iter().all(|p| p.starts_with(&cwd)) => cwd,
        _ => common_folder(&anchored),
    };
    Ok(Root {
        path,
        kind: RootKind::Fallback,
    })
}

/// `path` made absolute (against the current folder) with symbolic links, `.` and `..`
/// resolved, but for the name of a file: a link to a file given by name stays that link.
pub fn anchor(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if absolute.is_dir() {
        return std::fs::canonicalize(&absolute).unwrap_or(absolute);
    }
    let resolved = match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => std::fs::canonicalize(parent).map(|parent| parent.join(name)),
        // `/`, or a path ending in `..`.
        _ => std::fs::canonicalize(&absolute),
    };
    resolved.unwrap_or(absolute)
}

/// The folder a scanned path stands for: itself, or the folder holding a file.
fn folder_of(path: &Path) -> &Path {
    if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(path)
    }
}

/// The top of the git work tree holding `folder`: the nearest folder, from it upwards, holding
/// a `.git`, never moving up into a folder of `GIT_CEILING_DIRECTORIES`.
fn git_work_tree(folder: &Path, ceilings: &[PathBuf]) -> Option<PathBuf> {
    let mut current = folder;
    loop {
        if std::fs::symlink_metadata(current.join(".git")).is_ok() {
            return Some(current.to_path_buf());
        }
        let parent = current.parent()?;
        if ceilings.iter().any(|c| c == parent) {
            return None;
        }
        current = parent;
    }
}

/// `GIT_CEILING_DIRECTORIES`: folders git does not move up into when it looks for a
/// repository. Relative entries are ignored, as git ignores them.
fn ceiling_directories() -> Vec<PathBuf> {
    let value = std::env::var_os("GIT_CEILING_DIRECTORIES").unwrap_or_default();
    std::env::split_paths(&value)
        .filter(|p| p.is_absolute())
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .collect()
}

/// The deepest folder holding every path.
fn common_folder(paths: &[PathBuf]) -> PathBuf {
    let mut common = folder_of(&paths[0]).to_path_buf();
    for path in &paths[1..] {
        while !path.starts_with(&common) && common.pop() {}
    }
    common
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_git_work_tree_is_the_nearest_folder_with_a_git_entry_below_a_ceiling() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let top = std::fs::canonicalize(dir.path()).expect("canonical");
        let deep = top.join("a/b");
        std::fs::create_dir_all(&deep).expect("folders");
        assert_eq!(git_work_tree(&deep, &[]), None);
        std::fs::create_dir(top.join("a/.git")).expect("a .git folder");
        assert_eq!(git_work_tree(&deep, &[]), Some(top.join("a")));
        assert_eq!(git_work_tree(&deep, &[top.join("a")]), None);
        assert_eq!(
            git_work_tree(&top.join("a"), &[top.join("a")]),
            Some(top.join("a"))
        );
    }

    #[test]
    fn the_common_folder_of_files_and_folders() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let top = std::fs::canonicalize(dir.path()).expect("canonical");
        std::fs::create_dir_all(top.join("a/b")).expect("folders");
        std::fs::create_dir_all(top.join("a/c")).expect("folders");
        std::fs::write(top.join("a/b/f.yml"), "").expect("a file");
        let common = |paths: &[&str]| {
            let paths: Vec<PathBuf> = paths.iter().map(|p| top.join(p)).collect();
            common_folder(&paths)
        };
        assert_eq!(common(&["a/b/f.yml"]), top.join("a/b"));
        assert_eq!(common(&["a/b/f.yml", "a/c"]), top.join("a"));
        assert_eq!(common(&["a/b", "a/b/f.yml"]), top.join("a/b"));
    }

    #[test]
    fn anchored_paths_keep_their_last_component() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let top = std::fs::canonicalize(dir.path()).expect("canonical");
        std::fs::create_dir(top.join("a")).expect("a folder");
        assert_eq!(anchor(&top.join("a/../a/./x.yml")), top.join("a/x.yml"));
        assert_eq!(anchor(&top.join("a/..")), top);
    }
}
