//! The whole scan of a one-file tree (path and content from the input) with the built-in
//! policies, rendered as text, JSON and SARIF.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    doublecheck_fuzz::scan(data);
});
