//! The SQL reader (statement splitter, DO blocks, sqlparser, lowering) on arbitrary text: it
//! must return a document with every span inside the text, never panic, overflow the stack
//! or hang.
#![no_main]

use doublecheck::parse::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    doublecheck_fuzz::parse(Format::SQL, data);
});
