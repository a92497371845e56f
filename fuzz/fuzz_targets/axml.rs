//! Android binary XML (AndroidManifest.xml, res/xml/*.xml) and every accessor of the tree.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::axml::run(data));
