//! DEX files and DEX 041 containers: tables, class data, code items and the instruction walker,
//! resolving every index the walker hands out.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::dex::run(data));
