//! Mini-program packages: `.wxapkg` and `TPKG` indexes, `V1MMWX` decryption.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::miniapp::run(data));
