//! The TOML reader on arbitrary text: documents or a located error, never a panic.
#![no_main]

use doublecheck::parse::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    doublecheck_fuzz::parse(Format::TOML, data);
});
