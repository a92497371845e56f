//! Resource tables (resources.arsc) and every lookup, for ids in the table and from the input.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::arsc::run(data));
