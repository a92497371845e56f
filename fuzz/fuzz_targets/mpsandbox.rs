//! The mini-program sandbox: any script run as a mini-program, under small budgets.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::mpsandbox::run(data));
