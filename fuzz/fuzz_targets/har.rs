//! HAR captures: the streaming entry reader and the traffic PI scanner.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::har::run(data));
