//! The order files are read in, and which are read together, so that a scan holds only the
//! parsed documents evaluation needs at that moment, whatever the size of the tree.
//!
//! Most files are checked in *batches* of a few: read, parsed, resolved, given their facts
//! and evaluated together by one worker, then dropped; only the text of files with findings
//! stays, for the report. These things shape the batches:
//!
//! - a batch is bounded by its files' total size as well as by their number, because what
//!   a worker holds is the parsed batch, many times the size of its text: a large
//!   Salesforce org's half-megabyte profiles come one to a batch, small manifests
//!   [`BATCH_FILES`] to a batch (a file larger than the bound is a batch alone);
//! - a batch whose facts go over many first-read documents (see
//!   [`crate::facts::FirstReadPasses`]) holds more files, in proportion to them, and is
//!   filled apart from the batches whose facts go over none;
//! - files of the kinds a fact provider reads first (sites, networks, Apex, CODEOWNERS, CMS
//!   configs: [`crate::facts::Provider::read_first`]) are read before any batch and kept to
//!   the end, so every batch's facts see them;
//! - files the resolver reads together (a Terraform folder) are never split between batches.
//!
//! A scan of part of a repository also reads, without reporting on them, the files of the
//! rest that facts may take from ([`context`]), scheduled like the others.

use std::collections::{HashMap, HashSet};

use crate::facts::{FirstReadPasses, Readers};
use crate::read::Input;
use crate::resolve::TerraformFolders;

/// Files per batch whose facts look again at few first-read documents (most batches):
/// small, so that a worker builds each batch in the memory of the one it dropped while
/// that memory is still in the processor's cache (docs/benchmarks.md measures it).
const BATCH_FILES: usize = 8;

/// At most about this many visits of first-read documents per file of a batch: a batch
/// whose facts look again at N of them ([`crate::facts::Provider::revisits`]: permission
/// sets, at the scripts that may assign them to a guest) holds at least N / this many
/// files, so the scan's time stays linear in the tree.
const VISITS_PER_FILE: usize = 4;

/// Bytes of text per batch. Parsed, a document takes many times its text (the value tree
/// and a span per node, more for XML's many small elements), so this keeps what each
/// worker holds to a few tens of megabytes at most, whatever the files' sizes (a large
/// Salesforce org's profiles come a batch each), and its memory as warm as the number of
/// files does.
const BATCH_BYTES: u64 = 512 << 10;

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

/// Files read together (a Terraform folder, or one file), with the providers that may read
/// their documents.
struct Unit {
    inputs: Vec<Input>,
    readers: Readers,
}

/// A batch being filled.
#[derive(Default)]
struct Open {
    inputs: Vec<Input>,
    bytes: u64,
    readers: Readers,
}

/// Splits a scan's files into what is read first and the batches, keeping the walk's order
/// within each batch.
pub(crate) fn schedule(inputs: Vec<Input>) -> Schedule {
    let terraform = terraform_folders(inputs.iter());
    let mut first = Vec::new();
    let mut units: Vec<Unit> = Vec::new();
    let mut folders: HashMap<String, usize> = HashMap::new();
    let mut readers_of_kind: HashMap<&'static str, Readers> = HashMap::new();
    for input in inputs {
        let kind = crate::detect::expected_kind(&input.shown, input.candidate);
        if kind.is_some_and(crate::facts::read_first) {
            first.push(input);
            continue;
        }
        let readers = crate::detect::possible_kinds(&input.shown, input.candidate)
            .map(|kind| {
                *readers_of_kind
                    .entry(kind)
                    .or_insert_with(|| Readers::of(kind))
            })
            .fold(Readers::default(), Readers::with);
        match input.read_together(&terraform).map(str::to_owned) {
            Some(folder) => match folders.get(&folder) {
                Some(&unit) => {
                    units[unit].inputs.push(input);
                    units[unit].readers = units[unit].readers.with(readers);
                }
                None => {
                    folders.insert(folder, units.len());
                    units.push(Unit {
                        inputs: vec![input],
                        readers,
                    });
                }
            },
            None => units.push(Unit {
                inputs: vec![input],
                readers,
            }),
        }
    }
    let passes = FirstReadPasses::new(
        (first.iter()).filter_map(|i| crate::detect::expected_kind(&i.shown, i.candidate)),
    );
    let fixed_files = positive_variable(BATCH_FILES_VARIABLE);
    let max_bytes = positive_variable(BATCH_BYTES_VARIABLE).unwrap_or(BATCH_BYTES);
    let files_for = |readers: Readers| {
        fixed_files.unwrap_or_else(|| BATCH_FILES.max(passes.visits(readers) / VISITS_PER_FILE))
    };
    // Units whose facts go over many first-read documents fill one batch, the others
    // another, so neither waits on the other's size.
    let mut open: [Open; 2] = Default::default();
    let mut batches = Vec::new();
    for unit in units {
        let unit_bytes: u64 = unit.inputs.iter().map(Input::bytes).sum();
        let filling = &mut open[usize::from(files_for(unit.readers) > BATCH_FILES)];
        let readers = filling.readers.with(unit.readers);
        let full = filling.inputs.len() + unit.inputs.len() > files_for(readers)
            || filling.bytes + unit_bytes > max_bytes;
        if !filling.inputs.is_empty() && full {
            batches.push(std::mem::take(filling).inputs);
        }
        filling.inputs.extend(unit.inputs);
        filling.bytes += unit_bytes;
        filling.readers = filling.readers.with(unit.readers);
    }
    batches.extend(
        (open.into_iter())
            .map(|open| open.inputs)
            .filter(|inputs| !inputs.is_empty()),
    );
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
    use crate::read::Content;

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
        // The manifests in batches of the usual size, the folder of 81 alone (it does not
        // fit beside the last few), then the small folder.
        let mut expected = vec![BATCH_FILES; 100 / BATCH_FILES];
        expected.extend([100 % BATCH_FILES, 81, 1]);
        assert_eq!(sizes, expected);
        let folder = &plan.batches[expected.len() - 2];
        assert!(folder.iter().all(|i| i.shown.starts_with("infra/big/")));
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
        let mut expected = vec![BATCH_FILES; 70 / BATCH_FILES];
        expected.push(70 % BATCH_FILES);
        assert_eq!(sizes, expected);
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
        assert_eq!(sizes, [2, 1, 1, BATCH_FILES, 10 - BATCH_FILES]);
        assert_eq!(shown(&plan.batches[2]), ["a/profiles/Huge.profile"]);
    }

    /// Permission sets, whose facts look at the first-read scripts again, come in batches
    /// of a quarter of those scripts' number; the manifests between them, whose facts look
    /// at none, in batches of the usual size, apart.
    #[test]
    fn batches_whose_facts_revisit_first_read_documents_are_larger_and_apart() {
        let scripts = 40 * BATCH_FILES;
        let mut inputs: Vec<Input> = (0..scripts)
            .map(|i| input(&format!("scripts/s{i}.apex")))
            .collect();
        for i in 0..30 {
            inputs.push(input(&format!("a/{i}.permissionset-meta.xml")));
            inputs.push(input(&format!("a/{i}.yaml")));
        }
        let plan = schedule(inputs);
        assert_eq!(plan.first.len(), scripts);
        let large = scripts / VISITS_PER_FILE;
        assert!(large > 30);
        let sizes: Vec<usize> = plan.batches.iter().map(Vec::len).collect();
        let mut expected = vec![BATCH_FILES; 30 / BATCH_FILES];
        expected.extend([30 % BATCH_FILES, 30]);
        assert_eq!(sizes, expected);
        let sets = plan.batches.last().expect("the permission sets' batch");
        assert!(
            sets.iter()
                .all(|i| i.shown.ends_with(".permissionset-meta.xml"))
        );
        assert!(
            (plan.batches[..expected.len() - 1].iter().flatten())
                .all(|i| i.shown.ends_with(".yaml"))
        );
    }
}
