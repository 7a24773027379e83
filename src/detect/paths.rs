//! Paths the detection table claims by more than a suffix: GitHub workflows, and the files
//! of a Decap CMS whose path names it.

use super::FilePath;

/// `.github/workflows/<name>.yml` (or `.yaml`) of a repository: GitHub reads workflows only
/// there, not in subfolders.
pub(super) fn is_workflow(p: &FilePath) -> bool {
    let Some(folder) = p.path.strip_suffix(p.name) else {
        return false;
    };
    (p.name.ends_with(".yml") || p.name.ends_with(".yaml"))
        && (folder == ".github/workflows/" || folder.ends_with("/.github/workflows/"))
}

/// Script extensions a CMS page is written in.
const SCRIPT_EXTENSIONS: &[&str] = &["js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts"];

/// A script whose path names the CMS: `src/cms/cms.js`, `static/admin/init.js`,
/// `app/admin/page.tsx`, `components/DecapCMS.tsx`, `netlify-cms.js`.
pub(super) fn is_cms_script(p: &FilePath) -> bool {
    let Some((_, extension)) = p.name.rsplit_once('.') else {
        return false;
    };
    if !SCRIPT_EXTENSIONS.contains(&extension) || p.name.ends_with(".d.ts") {
        return false;
    }
    names_the_cms(p.path)
}

/// Whether a path holds `cms`, `admin`, `decap` or `netlify`, in any case.
pub(super) fn names_the_cms(path: &str) -> bool {
    let path = path.to_ascii_lowercase();
    ["cms", "admin", "decap", "netlify"]
        .iter()
        .any(|word| path.contains(word))
}
