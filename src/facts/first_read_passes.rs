//! What the facts of one batch of files cost over the first-read documents, for the
//! schedule to size batches by (see [`crate::schedule`]).
//!
//! A provider that reads one of a batch's documents may look at some first-read documents
//! again for it ([`super::Provider::revisits`]): a batch of Salesforce permission sets at
//! the scripts that may assign them to a guest. A batch that pays such visits must be large,
//! so that they cost a few per file; any other is best small, so that a worker builds the
//! next batch in the memory of the one it dropped while that memory is still in the
//! processor's cache.

use super::PROVIDERS;

/// A set of providers, one bit each in [`PROVIDERS`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Readers(u32);

const _: () = assert!(PROVIDERS.len() <= u32::BITS as usize);

impl Readers {
    /// The providers that read documents of `kind`: a kind, or a family's pattern
    /// (`kubernetes/*`), which a provider reading any kind of the family reads.
    pub fn of(kind: &str) -> Readers {
        let family = kind.strip_suffix('*');
        let reads = |k: &&str| match family {
            Some(prefix) => k.starts_with(prefix),
            None => *k == kind,
        };
        let bits = (PROVIDERS.iter().enumerate())
            .filter(|(_, provider)| provider.kinds.iter().any(reads))
            .fold(0, |bits, (p, _)| bits | 1 << p);
        Readers(bits)
    }

    pub fn with(self, other: Readers) -> Readers {
        Readers(self.0 | other.0)
    }

    fn contains(self, provider: usize) -> bool {
        self.0 & (1 << provider) != 0
    }
}

/// For each provider, how many of a scan's first-read documents its facts for a batch look
/// at again ([`super::Provider::revisits`]).
#[derive(Debug, Clone)]
pub struct FirstReadPasses(Vec<usize>);

impl FirstReadPasses {
    /// From the kinds of the first-read files.
    pub fn new<'a>(first: impl IntoIterator<Item = &'a str>) -> Self {
        let mut counts = vec![0; PROVIDERS.len()];
        for kind in first {
            for (p, provider) in PROVIDERS.iter().enumerate() {
                counts[p] += usize::from(provider.revisits.contains(&kind));
            }
        }
        FirstReadPasses(counts)
    }

    /// The first-read documents the facts of a batch read by `readers` go over.
    pub fn visits(&self, readers: Readers) -> usize {
        (self.0.iter().enumerate())
            .filter(|(p, _)| readers.contains(*p))
            .map(|(_, count)| count)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::kinds;

    #[test]
    fn a_batch_looks_again_at_the_first_read_documents_its_readers_revisit() {
        let passes = FirstReadPasses::new([
            kinds::APEX_ANONYMOUS,
            kinds::APEX_ANONYMOUS,
            kinds::CUMULUSCI_CONFIG,
            // Prepared once: not looked at again.
            kinds::APEX_CLASS,
            kinds::SALESFORCE_CUSTOM_SITE,
            kinds::GITHUB_CODEOWNERS,
        ]);
        let profiles = Readers::of(kinds::SALESFORCE_PROFILE);
        assert_eq!(passes.visits(profiles), 3);
        assert_eq!(passes.visits(Readers::of(kinds::TERRAFORM_CONFIG)), 0);
        assert_eq!(passes.visits(Readers::of(kinds::GITHUB_SETTINGS)), 0);
        assert_eq!(passes.visits(Readers::default()), 0);
        // A family's pattern is read by whoever reads one of its kinds.
        assert_eq!(Readers::of(kinds::SALESFORCE_ANY), profiles);
        assert_ne!(Readers::of(kinds::KUBERNETES_ANY), Readers::default());
        let terraform = Readers::of(kinds::TERRAFORM_CONFIG);
        assert_eq!(passes.visits(terraform.with(profiles)), 3);
    }
}
