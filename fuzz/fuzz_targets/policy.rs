//! Privacy-policy texts: decoding, markup, structure, facts.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::policy::run(data));
