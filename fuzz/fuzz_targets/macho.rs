//! Mach-O executables and frameworks, thin and fat.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::macho::run(data));
