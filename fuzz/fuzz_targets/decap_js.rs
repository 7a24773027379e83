//! The reader of `CMS.init` configs in JavaScript on arbitrary text: it must return documents or a located error,
//! never panic, overflow the stack or hang.
#![no_main]

use doublecheck::parse::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    doublecheck_fuzz::parse(Format::DECAP_JS, data);
});
