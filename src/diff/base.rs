//! The base revision of `--diff-base`: the git repository holding the scan, a revision
//! resolved in it, and the files of that revision's tree under the scanned paths. Everything
//! is read from git objects: no checkout, no write to the repository or the work tree, no
//! `git` process.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;

use crate::walk::{anchor, shown_path};

/// Why the base could not be read. Each is a usage error (exit 2): without the base there is
/// nothing to compare with.
#[derive(Debug, thiserror::Error)]
pub enum BaseError {
    #[error("--diff-base: `{path}` is not inside a git repository ({detail})")]
    NotARepository { path: String, detail: String },
    #[error(
        "--diff-base: the git repository `{git_dir}` has no work tree to compare with the base"
    )]
    NoWorkTree { git_dir: String },
    #[error("--diff-base: `{path}` is outside the work tree of the git repository at `{workdir}`")]
    OutsideWorkTree { path: String, workdir: String },
    /// `why` says what is known beyond "no such commit" (too few commits before one).
    #[error(
        "--diff-base: `{reference}` is not a commit in the git repository at `{workdir}`{why}{}",
        shallow_hint(*.shallow)
    )]
    UnknownRevision {
        reference: String,
        workdir: String,
        why: String,
        shallow: bool,
    },
    #[error("--diff-base: cannot read `{what}` at `{reference}` ({detail}){}", shallow_hint(*.shallow))]
    Unreadable {
        reference: String,
        what: String,
        detail: String,
        shallow: bool,
    },
}

/// What is known of a revision that does not resolve: for `REV~N` where `REV` resolves,
/// that it has fewer than `N` commits before it. gix's own error text
/// (`delegate.traverse(NthAncestor(5)) failed`) is not for users.
fn why_unknown(repo: &gix::Repository, reference: &str) -> String {
    let Some((start, count)) = reference.rsplit_once('~') else {
        return String::new();
    };
    let Ok(count) = count.parse::<usize>() else {
        return String::new();
    };
    if count == 0 || repo.rev_parse_single(start).is_err() {
        return String::new();
    }
    format!(
        " (`{start}` has fewer than {count} {} before it)",
        if count == 1 { "commit" } else { "commits" }
    )
}

fn shallow_hint(shallow: bool) -> &'static str {
    if shallow {
        "; this is a shallow clone, which may not hold the base revision: fetch the history \
         (with actions/checkout, set `fetch-depth: 0`)"
    } else {
        ""
    }
}

/// A file of the base tree.
#[derive(Debug, Clone)]
pub struct BaseFile {
    /// Where the file is (or was) in the work tree, named as a walk of the scanned paths
    /// names it, so its shown path is the head's.
    pub path: PathBuf,
    id: ObjectId,
}

impl BaseFile {
    /// Whether this file's content is the blob `id`.
    pub fn is(&self, id: ObjectId) -> bool {
        self.id == id
    }
}

/// The tree of the base revision, limited to the scanned paths and to the files `wanted`
/// accepts, by shown path.
pub struct BaseTree {
    repo: gix::Repository,
    reference: String,
    shallow: bool,
    files: BTreeMap<String, BaseFile>,
}

impl BaseTree {
    /// Finds the repository holding `root`, resolves `reference` in it (a branch, a tag,
    /// `origin/main`, a commit id, `HEAD~1`, anything `git rev-parse` takes) and lists the
    /// files of its tree under `paths`, shown relative to `root` as a scan shows them.
    pub fn open(
        paths: &[PathBuf],
        root: &Path,
        reference: &str,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Self, BaseError> {
        let root = &anchor(root);
        let paths: Vec<PathBuf> = paths.iter().map(|path| anchor(path)).collect();
        let not_a_repository = |detail: String| BaseError::NotARepository {
            path: root.display().to_string(),
            detail,
        };
        let absolute_root = root
            .canonicalize()
            .map_err(|e| not_a_repository(e.to_string()))?;
        let repo = gix::discover(&absolute_root).map_err(|e| not_a_repository(e.to_string()))?;
        let Some(workdir) = repo.workdir() else {
            return Err(BaseError::NoWorkTree {
                git_dir: repo.git_dir().display().to_string(),
            });
        };
        let workdir = workdir
            .canonicalize()
            .map_err(|e| not_a_repository(e.to_string()))?;
        let shallow = repo.is_shallow().unwrap_or(false);
        let unreadable = |what: &str, detail: String| BaseError::Unreadable {
            reference: reference.to_owned(),
            what: what.to_owned(),
            detail,
            shallow,
        };
        let id = repo
            .rev_parse_single(reference)
            .map_err(|_| BaseError::UnknownRevision {
                reference: reference.to_owned(),
                workdir: workdir.display().to_string(),
                why: why_unknown(&repo, reference),
                shallow,
            })?
            .detach();
        let scanned = paths
            .iter()
            .map(|path| Ok((path.clone(), inside_workdir(path, &workdir)?)))
            .collect::<Result<Vec<_>, BaseError>>()?;
        let files = list_files(&repo, id, &scanned, root, &wanted)
            .map_err(|(what, detail)| unreadable(&what, detail))?;
        Ok(BaseTree {
            repo,
            reference: reference.to_owned(),
            shallow,
            files,
        })
    }

    /// The base's files by shown path, sorted.
    pub fn files(&self) -> impl Iterator<Item = (&str, &BaseFile)> {
        self.files
            .iter()
            .map(|(shown, file)| (shown.as_str(), file))
    }

    pub fn get(&self, shown: &str) -> Option<&BaseFile> {
        self.files.get(shown)
    }

    /// The object id `bytes` have as a blob in this repository: equal ids are equal
    /// contents, so a file is compared with the base without reading the base's blob.
    pub fn blob_id(&self, bytes: &[u8]) -> Option<ObjectId> {
        gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, bytes).ok()
    }

    /// The base's content of a file.
    pub fn read(&self, shown: &str, file: &BaseFile) -> Result<Vec<u8>, BaseError> {
        let mut blob = self
            .repo
            .find_blob(file.id)
            .map_err(|e| BaseError::Unreadable {
                reference: self.reference.clone(),
                what: shown.to_owned(),
                detail: e.to_string(),
                shallow: self.shallow,
            })?;
        Ok(blob.take_data())
    }
}

/// The base's files that configurations name by path (see [`crate::read::NamedFiles`]), read
/// from the revision's objects. A repository handle cannot be shared between the threads
/// batches are evaluated on, so each read opens the repository again (a configuration names
/// few files).
pub struct BaseNamedFiles<'a> {
    git_dir: PathBuf,
    files: &'a BTreeMap<String, BaseFile>,
    max_bytes: u64,
}

impl BaseTree {
    /// The base's files that configurations name by path, each up to `max_bytes`.
    pub fn named_files(&self, max_bytes: u64) -> BaseNamedFiles<'_> {
        BaseNamedFiles {
            git_dir: self.repo.git_dir().to_owned(),
            files: &self.files,
            max_bytes,
        }
    }
}

impl crate::read::NamedFiles for BaseNamedFiles<'_> {
    fn read(&self, shown: &str) -> Option<Vec<u8>> {
        let file = self.files.get(shown)?;
        let repo = gix::open(&self.git_dir).ok()?;
        let data = repo.find_blob(file.id).ok()?.take_data();
        (data.len() as u64 <= self.max_bytes).then_some(data)
    }
}

/// The blobs of `id`'s tree under the scanned paths (each as given, and relative to the work
/// tree), by shown path; an error names what could not be read.
fn list_files(
    repo: &gix::Repository,
    id: ObjectId,
    scanned: &[(PathBuf, PathBuf)],
    root: &Path,
    wanted: &impl Fn(&str) -> bool,
) -> Result<BTreeMap<String, BaseFile>, (String, String)> {
    let mut files = BTreeMap::new();
    let tree = repo
        .find_object(id)
        .and_then(|object| object.peel_to_tree())
        .map_err(|e| ("its tree".to_owned(), e.to_string()))?;
    for (path, inside) in scanned {
        let records = if inside.as_os_str().is_empty() {
            tree.traverse().breadthfirst.files()
        } else {
            match tree.lookup_entry_by_path(inside) {
                Ok(None) => continue,
                Ok(Some(entry)) if entry.mode().is_tree() => entry
                    .object()
                    .and_then(|object| object.peel_to_tree())
                    .and_then(|subtree| subtree.traverse().breadthfirst.files()),
                Ok(Some(entry)) if entry.mode().is_blob() => {
                    add(
                        &mut files,
                        path.clone(),
                        entry.oid().to_owned(),
                        root,
                        wanted,
                    );
                    continue;
                }
                Ok(Some(_)) => continue,
                Err(e) => Err(e),
            }
        };
        let records = records.map_err(|e| (path.display().to_string(), e.to_string()))?;
        for record in records {
            if !record.mode.is_blob() {
                continue;
            }
            // Only a path that cannot be a file name here (not UTF-8 on Windows) fails.
            let Ok(relative) = gix::path::from_byte_slice(&record.filepath) else {
                continue;
            };
            add(&mut files, path.join(relative), record.oid, root, wanted);
        }
    }
    Ok(files)
}

/// `path` relative to the work tree (empty for the work tree itself).
fn inside_workdir(path: &Path, workdir: &Path) -> Result<PathBuf, BaseError> {
    let outside = |detail: String| BaseError::OutsideWorkTree {
        path: format!("{}{detail}", path.display()),
        workdir: workdir.display().to_string(),
    };
    let absolute = path
        .canonicalize()
        .map_err(|e| outside(format!(" ({e})")))?;
    absolute
        .strip_prefix(workdir)
        .map(Path::to_path_buf)
        .map_err(|_| outside(String::new()))
}

fn add(
    files: &mut BTreeMap<String, BaseFile>,
    path: PathBuf,
    id: ObjectId,
    root: &Path,
    wanted: &impl Fn(&str) -> bool,
) {
    let shown = shown_path(&path, root);
    if wanted(&shown) {
        files.insert(shown, BaseFile { path, id });
    }
}
