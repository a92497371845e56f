//! hegui-trace JSON Lines: bounded lines, every event type, and the fast line reader checked against serde.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::trace_jsonl::run(data));
