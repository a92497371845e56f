//! Property lists and `.strings` files (Info.plist, privacy manifests, provisioning profiles).
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::plist::run(data));
