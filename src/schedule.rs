//! The order files are read in, and which are read together, so that a scan holds only the
//! parsed documents evaluation needs at that moment, whatever the size of the tree.
//!
//! Most files are checked in *batches* of a few dozen: read, parsed, resolved, given their
//! facts and evaluated together by one worker, then dropped; only the text of files with
//! findings stays, for the report. Two things shape the batches:
//!
//! - a batch is bounded by its files' total size as well as by their number, because what
//!   a worker holds is the parsed batch, many times the size of its text: a batch of the
//!   megabyte-sized profiles of a large Salesforce org closes after a few of them, a batch
//!   of small manifests after [`BATCH_FILES`] (a file larger than the bound is a batch alone);
//! - files of the kinds a fact provider reads first (sites, networks, Apex, CODEOWNERS, CMS
//!   configs: [`crate::facts::Provider::read_first`]) are read before any batch and kept to
//!   the end, so every batch's facts see them;
//! - files the resolver reads together (a Terraform folder) are never split between batches.
//!
//! A scan of part of a repository also reads, without reporting on them, the files of the
//! rest that facts may take from ([`context`]), scheduled like the others.

use std::collections::{HashMap, HashSet};

use crate::read::Content;
use crate::read::Input;
use crate::resolve::TerraformFolders;

/// Files per batch: small enough that the batches two workers hold, even of the largest
/// Salesforce profiles, stay within tens of megabytes; large enough that running the fact
/// providers once per batch over the first-read documents costs little.
const BATCH_FILES: usize = 64;

/// Bytes of text per batch. Parsed, a document takes many times its text (the value tree
/// and a span per node, more for XML's many small elements), so this keeps what each
/// worker holds to tens of megabytes, whatever the files' sizes.
const BATCH_BYTES: u64 = 2 << 20;

/// Overrides [`BATCH_FILES`], for tests only: with batches of one file, tests/batches.rs
/// checks that no fact depends on two files of different batches (the contract in
/// [`crate::facts`]), which small fixture trees, each one batch, would never show.
const BATCH_FILES_VARIABLE: &str = "DOUBLECHECK_BATCH_FILES";

/// Overrides [`BATCH_BYTES`], for tests only: tests/batches.rs checks that batches cut by
/// size give the same report too.
const BATCH_BYTES_VARIABLE: &str = "DOUBLECHECK_BATCH_BYTES";

fn positive_variable<T: std::str::FromStr + PartialOrd + Default>(name: &str) -> Option<T> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > T::default())
}

/// The size a batch's file counts for: its length on disk (or in memory), not read.
fn input_bytes(input: &Input) -> u64 {
    match &input.content {
        Content::Disk { len: Some(len), .. } => *len,
        Content::Disk { path, len: None } => std::fs::metadata(path).map_or(0, |m| m.len()),
        Content::Memory(text) => text.len() as u64,
        Content::Bytes(bytes) => bytes.len() as u64,
        Content::Refused(_) => 0,
    }
}

/// The folders holding Terraform configuration among `inputs`.
fn terraform_folders<'a>(inputs: impl Iterator<Item = &'a Input>) -> TerraformFolders {
    TerraformFolders::of(inputs.map(|input| (&input.candidate, input.shown.as_str())))
}

pub(crate) struct Schedule {
    /// Read first and kept to the end.
    pub first: Vec<Input>,
    /// Read, checked and dropped together, in order.
    pub batches: Vec<Vec<Input>>,
}

/// Splits a scan's files into what is read first and the batches, keeping the walk's order.
pub(crate) fn schedule(inputs: Vec<Input>) -> Schedule {
    let terraform = terraform_folders(inputs.iter());
    let mut first = Vec::new();
    let mut units: Vec<Vec<Input>> = Vec::new();
    let mut folders: HashMap<String, usize> = HashMap::new();
    for input in inputs {
        let kind = crate::detect::expected_kind(&input.shown, input.candidate);
        if kind.is_some_and(crate::facts::read_first) {
            first.push(input);
            continue;
        }
        match input.read_together(&terraform).map(str::to_owned) {
            Some(folder) => match folders.get(&folder) {
                Some(&unit) => units[unit].push(input),
                None => {
                    folders.insert(folder, units.len());
                    units.push(vec![input]);
                }
            },
            None => units.push(vec![input]),
        }
    }
    // Every batch's facts pass over the first-read documents once: with batches of at
    // least a quarter of their number, that costs at most about four visits per file, and
    // the scan's time stays linear in the tree (a Salesforce org with thousands of Apex
    // classes gets batches of hundreds of files instead of 64).
    let size = positive_variable(BATCH_FILES_VARIABLE).unwrap_or(BATCH_FILES.max(first.len() / 4));
    let max_bytes = positive_variable(BATCH_BYTES_VARIABLE).unwrap_or(BATCH_BYTES);
    let mut batches = Vec::new();
    let mut batch: Vec<Input> = Vec::new();
    let mut batch_bytes = 0;
    for unit in units {
        let unit_bytes: u64 = unit.iter().map(input_bytes).sum();
        let full = batch.len() + unit.len() > size || batch_bytes + unit_bytes > max_bytes;
        if !batch.is_empty() && full {
            batches.push(std::mem::take(&mut batch));
            batch_bytes = 0;
        }
        batch.extend(unit);
        batch_bytes += unit_bytes;
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    Schedule { first, batches }
}

/// Of the files of a repository outside the paths a scan reports on (`others`), those whose
/// documents can change what is found in the files it reports on (`reported`), following
/// the contract in [`crate::facts`]: a document's facts come from itself, the files read
/// together with it and the first-read documents; a first-read document's from the other
/// first-read documents and the documents kept for it. So these are read, for their facts
/// only:
///
/// - every file of a kind read first (sites, Apex classes, CODEOWNERS, CMS configs);
/// - the files read together with a reported file (the rest of its Terraform folder);
/// - when a reported file is of a kind read first, the files that may be kept for it
///   ([`crate::facts::kept_kinds`]: a CMS config's branch protections), of such a kind by
///   their path or of a kind only their content tells.
///
/// A reported file whose path does not say it is of a kind read first (a Salesforce
/// `*.site-meta.xml` that turns out to be a site) gets no kept documents from the rest.
pub(crate) fn context(reported: &[Input], others: Vec<Input>) -> Vec<Input> {
    let expected = |input: &Input| crate::detect::expected_kind(&input.shown, input.candidate);
    let terraform = terraform_folders(reported.iter().chain(&others));
    let together = |input: &'_ Input| input.read_together(&terraform).map(str::to_owned);
    let folders: HashSet<String> = reported.iter().filter_map(together).collect();
    let kept: HashSet<&str> = reported
        .iter()
        .filter_map(expected)
        .filter(|kind| crate::facts::read_first(kind))
        .flat_map(crate::facts::kept_kinds)
        .collect();
    others
        .into_iter()
        .filter(|input| {
            let kind = expected(input);
            kind.is_some_and(crate::facts::read_first)
                || together(input).is_some_and(|folder| folders.contains(&folder))
                || (!kept.is_empty() && kind.is_none_or(|kind| kept.contains(kind)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(shown: &str) -> Input {
        sized(shown, 0)
    }

    fn sized(shown: &str, bytes: usize) -> Input {
        Input {
            shown: shown.to_owned(),
            candidate: crate::detect::candidate(shown).expect("a candidate path"),
            content: Content::Memory(" ".repeat(bytes)),
            context: false,
            chart: None,
        }
    }

    fn shown(batch: &[Input]) -> Vec<&str> {
        batch.iter().map(|i| i.shown.as_str()).collect()
    }

    #[test]
    fn what_other_files_take_facts_from_is_read_first() {
        let plan = schedule(vec![
            input("force-app/profiles/Guest.profile-meta.xml"),
            input("force-app/sites/Shop.site-meta.xml"),
            input("src/networks/Portal.network"),
            input("force-app/classes/Ctl.cls"),
            input(".github/CODEOWNERS"),
            input("k8s/app.yaml"),
        ]);
        assert_eq!(
            shown(&plan.first),
            [
                "force-app/sites/Shop.site-meta.xml",
                "src/networks/Portal.network",
                "force-app/classes/Ctl.cls",
                ".github/CODEOWNERS"
            ]
        );
        assert_eq!(plan.batches.len(), 1);
        assert_eq!(
            shown(&plan.batches[0]),
            ["force-app/profiles/Guest.profile-meta.xml", "k8s/app.yaml"]
        );
    }

    #[test]
    fn batches_are_bounded_and_a_terraform_folder_is_never_split() {
        let mut inputs: Vec<Input> = (0..100).map(|i| input(&format!("k8s/{i}.yaml"))).collect();
        inputs.extend((0..80).map(|i| input(&format!("infra/big/{i}.tf"))));
        inputs.push(input("infra/small/main.tf"));
        inputs.push(input("infra/big/terraform.tfvars"));
        let plan = schedule(inputs);
        let sizes: Vec<usize> = plan.batches.iter().map(Vec::len).collect();
        // 64 manifests, then 36 (the folder of 81 does not fit beside them), the folder
        // alone, then the small folder.
        assert_eq!(sizes, [64, 36, 81, 1]);
        assert!(
            plan.batches[2]
                .iter()
                .all(|i| i.shown.starts_with("infra/big/"))
        );
        assert_eq!(plan.batches.iter().map(Vec::len).sum::<usize>(), 182);
    }

    #[test]
    fn module_folders_are_read_with_a_folder_above_only_when_it_holds_configuration() {
        let modules = |top: &str| -> Vec<Input> {
            (0..70)
                .map(|i| input(&format!("{top}/modules/m{i}/main.tf")))
                .collect()
        };
        // `lib` holds no configuration: its seventy modules are units of one file, in
        // batches of the usual size.
        let plan = schedule(modules("lib"));
        let sizes: Vec<usize> = plan.batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [64, 6]);
        // `infra/main.tf` may call them: the folder and its modules are one unit, never
        // split, in a batch of its own size.
        let mut inputs = modules("infra");
        inputs.push(input("infra/main.tf"));
        let plan = schedule(inputs);
        let sizes: Vec<usize> = plan.batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [71]);
    }

    #[test]
    fn batches_are_bounded_by_size_too() {
        let half = (BATCH_BYTES / 2) as usize;
        let mut inputs = vec![
            sized("a/profiles/A.profile", half),
            sized("a/profiles/B.profile", half),
            sized("a/profiles/C.profile", 1),
            // Larger than the bound: a batch of its own.
            sized("a/profiles/Huge.profile", 3 * half),
        ];
        inputs.extend((0..10).map(|i| sized(&format!("k8s/{i}.yaml"), 1)));
        let plan = schedule(inputs);
        let sizes: Vec<usize> = plan.batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 1, 1, 10]);
        assert_eq!(shown(&plan.batches[2]), ["a/profiles/Huge.profile"]);
    }
}
