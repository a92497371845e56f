//! Zip container parsing (central directory, ZIP64, local headers) and bounded inflation.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::zip::run(data));
