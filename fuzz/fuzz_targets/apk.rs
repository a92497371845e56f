//! The whole pipeline: detect, unzip, manifest, resources, DEX, signing, native, rules.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::apk::run(data));
