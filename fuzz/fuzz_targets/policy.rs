//! The policy loader on arbitrary text: YAML, schema validation, JSONPath and JSON Schema
//! compilation. A hostile policy must give located errors, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    doublecheck_fuzz::policy(data);
});
