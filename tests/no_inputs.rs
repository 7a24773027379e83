//! Runs that check nothing do not pass in silence: a folder with no file doublecheck reads,
//! a named file it does not read, a policy folder with no policy. Each says why and exits 2,
//! as ESLint and zizmor do when they find no input.

mod common;

use common::run as doublecheck;

#[test]
fn a_folder_with_nothing_to_check_says_so_and_exits_2() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("notes.txt"), "hello\n").expect("write");
    let run = doublecheck([std::path::Path::new("scan"), dir.path()]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stdout,
        "0 errors, 0 warnings, 0 notes in 0 files checked (0 documents)\n"
    );
    assert_eq!(
        run.stderr,
        format!(
            "doublecheck: nothing was checked: no file under `{}` is of a kind doublecheck \
             reads, or every one is excluded (`exclude`, .gitignore); see \"What it reads\" in \
             the README\n",
            dir.path().display()
        )
    );
}

#[test]
fn a_named_file_doublecheck_does_not_read_is_a_usage_error_that_says_why() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "hello\n").expect("write");
    let run = doublecheck([std::path::Path::new("scan"), &notes]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert_eq!(
        run.stderr,
        format!(
            "doublecheck: `{}` is not a file doublecheck reads: its name matches none of the \
             kinds it checks (see \"What it reads\" in the README)\n",
            notes.display()
        )
    );

    // Of a kind that is read by its content, but holding no document of a known kind.
    let package = dir.path().join("package.json");
    std::fs::write(&package, "{\"name\": \"x\"}\n").expect("write");
    let run = doublecheck([std::path::Path::new("scan"), &package]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "doublecheck: nothing was checked: `{}` holds no document of a kind doublecheck \
             reads (see \"What it reads\" in the README)\n",
            package.display()
        )
    );
}

#[test]
fn a_named_file_the_config_excludes_says_so() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("vendor")).expect("mkdir");
    let pod = dir.path().join("vendor/pod.yaml");
    std::fs::write(&pod, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n").expect("write");
    std::fs::write(dir.path().join(".doublecheck.yml"), "exclude: [vendor/]\n").expect("write");
    let run = doublecheck([
        "scan".as_ref(),
        pod.as_os_str(),
        "--root".as_ref(),
        dir.path().as_os_str(),
    ]);
    // Excluded on purpose: a note, and a run asked to check nothing else passes.
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        format!(
            "doublecheck: note: `{}` is not read: `exclude` in {} excludes it\n",
            pod.display(),
            dir.path().join(".doublecheck.yml").display(),
        )
    );
    // Beside a file that is read, the excluded one is left out and the scan goes on.
    let other = dir.path().join("pod.yaml");
    std::fs::write(&other, "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\n").expect("write");
    let run = doublecheck([
        "scan".as_ref(),
        pod.as_os_str(),
        other.as_os_str(),
        "--root".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn testing_a_folder_with_no_policy_fails() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let run = doublecheck([std::path::Path::new("test"), dir.path()]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    let shown = dir.path().display();
    assert_eq!(
        run.stderr,
        format!(
            "error: no policy file (*.yaml, *.yml) in `{shown}`\n--> {shown}\n |\n\
             help: give a folder of policy files (*.yaml, *.yml, one policy each) or one such \
             file\n\ndoublecheck: 1 error in policy files; no example was run\n"
        )
    );
}
