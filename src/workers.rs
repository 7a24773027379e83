//! Where a scan does its work: on a pool of worker threads, or all on the thread that runs
//! it. Threads pay only for work that takes a while: each costs its start and faults in
//! memory of its own, which on a scan of one small file (a pre-commit hook, an editor)
//! costs more than the file. A scan of few small files, or one run with `--jobs 1`,
//! therefore starts no worker thread.

use rayon::prelude::*;

/// A scan of at most this many files…
const SMALL_FILES: usize = 16;
/// …holding at most this many bytes in all runs on the calling thread. Parsing and
/// checking this much takes a few milliseconds on one core, about what starting a pool and
/// faulting in its threads' memory costs.
const SMALL_BYTES: u64 = 128 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workers {
    /// rayon's global pool, of `--jobs` threads (by default one per core this process may
    /// use).
    Pool,
    /// The calling thread alone.
    Caller,
}

impl Workers {
    /// The workers for a scan of `files` files, whose sizes `sizes` gives (asked only when
    /// the files are few). With `jobs` set (`--jobs`), a pool of that many threads is made
    /// now, before anything else starts the global pool with its default size.
    pub fn for_files(jobs: Option<usize>, files: usize, sizes: impl FnOnce() -> u64) -> Workers {
        let small = files <= SMALL_FILES && sizes() <= SMALL_BYTES;
        if jobs == Some(1) || small {
            return Workers::Caller;
        }
        if let Some(jobs) = jobs {
            // Fails only when the pool exists already: a second scan in the same process
            // (tests, the baseline command), which keeps the first one's.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build_global();
        }
        Workers::Pool
    }

    /// `f` applied to every item, in order.
    pub fn map<T, R, F>(self, items: Vec<T>, f: F) -> Vec<R>
    where
        T: Send,
        R: Send,
        F: Fn(T) -> R + Sync + Send,
    {
        match self {
            Workers::Pool => items.into_par_iter().map(f).collect(),
            Workers::Caller => items.into_iter().map(f).collect(),
        }
    }

    /// The items `f` returns for each of `items` (with its index), in order.
    pub fn flat_map<'a, T, R, F>(self, items: &'a [T], f: F) -> Vec<R>
    where
        T: Sync,
        R: Send,
        F: Fn((usize, &'a T)) -> Vec<R> + Sync + Send,
    {
        match self {
            Workers::Pool => items.par_iter().enumerate().flat_map_iter(f).collect(),
            Workers::Caller => items.iter().enumerate().flat_map(f).collect(),
        }
    }
}

/// Threads for work that happens before the scan knows its files (the walk): `--jobs`, or
/// one per core this process may use (CPU affinity and cgroup quotas counted, as rayon's
/// default pool counts them).
pub fn threads(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_small_files_and_one_job_run_on_the_calling_thread() {
        assert_eq!(Workers::for_files(None, 1, || 84_000), Workers::Caller);
        assert_eq!(
            Workers::for_files(None, SMALL_FILES, || SMALL_BYTES),
            Workers::Caller
        );
        assert_eq!(
            Workers::for_files(Some(1), 100_000, || unreachable!()),
            Workers::Caller
        );
    }

    #[test]
    fn many_or_large_files_run_on_the_pool_and_sizes_are_asked_only_for_few() {
        assert_eq!(
            Workers::for_files(None, SMALL_FILES + 1, || unreachable!()),
            Workers::Pool
        );
        assert_eq!(
            Workers::for_files(None, 2, || SMALL_BYTES + 1),
            Workers::Pool
        );
    }

    #[test]
    fn both_ways_give_the_same_items_in_the_same_order() {
        let items: Vec<u32> = (0..1000).collect();
        let pool = Workers::Pool.map(items.clone(), |i| i * 2);
        assert_eq!(pool, Workers::Caller.map(items.clone(), |i| i * 2));
        let pairs = |(i, v): (usize, &u32)| vec![(i, *v), (i, v + 1)];
        assert_eq!(
            Workers::Pool.flat_map(&items, pairs),
            Workers::Caller.flat_map(&items, pairs)
        );
    }
}
