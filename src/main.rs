//! The `doublecheck` binary: everything happens in the library.

// A scan allocates and frees millions of small nodes from several threads at once; glibc's
// allocator spent a third of a 100,000-file scan consolidating and returning memory
// (bench/run.sh), mimalloc does not. The library leaves the choice to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(doublecheck::cli::run());
}
