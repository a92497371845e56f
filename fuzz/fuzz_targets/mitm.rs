//! mitmproxy flow files: tnetstrings and flows.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::mitm::run(data));
