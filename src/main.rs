//! The `doublecheck` binary: everything happens in the library.

// A scan allocates and frees millions of small nodes from several threads at once; glibc's
// allocator spent a third of a 100,000-file scan consolidating and returning memory
// (bench/run.sh), mimalloc does not. The library leaves the choice to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    keep_freed_memory();
    std::process::exit(doublecheck::cli::run());
}

/// mimalloc's `purge_delay` option (`mi_option_purge_delay` in `mimalloc.h`, which
/// libmimalloc-sys does not name).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps the memory a thread frees for the process instead of returning it to the system
/// once it has been unused for a second (mimalloc's default). A scan drops each batch of
/// documents and builds the next: returning the pages and faulting them back in cost a
/// 100,000-file scan tens of thousands of page faults and about a tenth of its time, for
/// a tenth less peak memory (docs/benchmarks.md). A `MIMALLOC_PURGE_DELAY` in the
/// environment still wins.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets an integer option; no pointers, allowed at any time on any thread.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(unsafe_code)]
    fn the_option_set_is_the_purge_delay() {
        // SAFETY: reads an integer option.
        let get = || unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // mimalloc 3's default purge delay, in milliseconds; the options next to it
            // (eager commit delay, NUMA nodes) default to 1 and 0.
            assert_eq!(get(), 1000, "option {PURGE_DELAY} is not the purge delay");
        }
        keep_freed_memory();
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), -1);
        }
    }
}
