//! Mutation tests: no input may panic, hang or allocate wildly.

use super::{Recorder, sample};
use crate::{Dex, Limits};

/// Reads everything a caller could read.
fn exercise(data: &[u8]) {
    let limits = Limits::default();
    let _ = Dex::parse(data, &limits);
    let Ok(dexes) = Dex::parse_container(data, &limits) else {
        return;
    };
    for dex in &dexes {
        let _ = dex.checksum_ok();
        for i in 0..dex.string_count().min(100) {
            let _ = dex.string(i);
        }
        for i in 0..dex.type_count().min(100) {
            let _ = dex.type_descriptor(i);
        }
        for i in 0..dex.proto_count().min(100) {
            let _ = dex.proto_signature(i as u16);
            let _ = dex.proto_shorty(i as u16);
            let _ = dex.proto_parameters(i as u16);
        }
        for i in 0..dex.field_count().min(100) {
            let _ = dex.field_ref(i);
        }
        for i in 0..dex.method_count().min(100) {
            let _ = dex.method_ref(i);
        }
        for class in dex.class_defs().flatten() {
            let _ = dex.class_fields(&class);
            if let Ok(methods) = dex.class_methods(&class) {
                for m in methods {
                    if let Ok(Some(code)) = dex.code_item(m.code_off) {
                        let _ = dex.walk_method(
                            class.class_idx,
                            m.method_idx,
                            &code,
                            &mut Recorder::default(),
                        );
                    }
                }
            }
        }
        let _ = dex.walk_code(&mut Recorder::default());
    }
}

fn samples() -> Vec<Vec<u8>> {
    let (a, _) = sample(35);
    let (b, _) = sample(41);
    vec![a.bytes, b.bytes]
}

#[test]
fn every_truncation() {
    for bytes in samples() {
        for len in 0..=bytes.len() {
            exercise(&bytes[..len]);
        }
    }
}

#[test]
fn every_byte_mutated() {
    for bytes in samples() {
        let mut m = bytes.clone();
        for i in 0..bytes.len() {
            let orig = bytes[i];
            for v in [
                0x00,
                0xff,
                0x80,
                0x7f,
                orig ^ 0x01,
                orig ^ 0x80,
                orig.wrapping_add(1),
            ] {
                m[i] = v;
                exercise(&m);
            }
            m[i] = orig;
        }
    }
}

#[test]
fn random_multi_byte_mutations() {
    // xorshift64*: deterministic.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    for bytes in samples() {
        for _ in 0..3000 {
            let mut m = bytes.clone();
            let n = 1 + next() % 8;
            for _ in 0..n {
                let i = (next() % m.len() as u64) as usize;
                let r = next();
                m[i] = match r % 4 {
                    0 => r as u8,
                    1 => 0xff,
                    2 => 0,
                    _ => m[i] ^ (1 << (r % 8)),
                };
                // Sometimes write a whole little-endian word.
                if r % 5 == 0 && i + 4 <= m.len() {
                    m[i..i + 4].copy_from_slice(&((r >> 8) as u32).to_le_bytes());
                }
            }
            exercise(&m);
        }
    }
}
