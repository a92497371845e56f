//! What the public types into the complaint page: challenge answers, periods, addresses.
#![no_main]

#[path = "../harness_platform.rs"]
mod harness_platform;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness_platform::challenge::run(data));
