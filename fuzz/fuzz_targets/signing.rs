//! APK Signing Block, PKCS#7 (v1 .RSA/.DSA/.EC) and v2/v3 scheme walkers.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::signing::run(data));
