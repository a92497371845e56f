//! `uiautomator dump` XML: the screen reader of notice 164 tasks 7 and 8, alone and inside a trace.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::uiautomator::run(data));
