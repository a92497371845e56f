//! Mini-program scripts, templates and HTML pages: the oxc-based extractor and the template
//! scanner.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::minijs::run(data));
