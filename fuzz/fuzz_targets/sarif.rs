//! Other engines' SARIF logs, as the platform imports them.
#![no_main]

#[path = "../harness_platform.rs"]
mod harness_platform;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness_platform::sarif::run(data));
