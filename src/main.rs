//! The `doublecheck` binary: everything happens in the library.

fn main() {
    std::process::exit(doublecheck::cli::run());
}
