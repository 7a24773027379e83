//! A Helm chart template on arbitrary text, parsed and rendered with fixed values, through the
//! whole scan: it must give findings or a note, never panic, overflow the stack or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    doublecheck_fuzz::chart_template(data);
});
