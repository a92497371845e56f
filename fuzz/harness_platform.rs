//! The bodies of the platform's fuzz targets, shared by `fuzz/fuzz_targets/{sarif,challenge}.rs`
//! (cargo-fuzz) and `crates/hegui-platform/tests/fuzz_replay.rs` (replays the corpora on
//! stable). Apart from `harness.rs`, so the engine's replay test never links the platform.
#![allow(dead_code)]

/// A SARIF 2.1.0 log posted to `POST /api/v1/versions/{id}/results`: parsed, then turned
/// into finding rows or refused with a reason.
pub mod sarif {
    pub fn run(data: &[u8]) {
        let Ok(log) = serde_json::from_slice::<serde_json::Value>(data) else {
            return;
        };
        if let Ok(rows) = hegui_platform::domain::sarif_findings(&log) {
            for row in &rows {
                assert!(
                    !row.fingerprint.is_empty(),
                    "a finding without a fingerprint"
                );
                assert!(!row.code.is_empty(), "a finding without a rule");
            }
        }
    }
}

/// What the public types into the complaint page: a challenge token and answer (split at
/// the first newline), a period, a mail address. None may panic, and a token not made
/// with the key never passes.
pub mod challenge {
    pub fn run(data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        let (token, answer) = text.split_once('\n').unwrap_or((&text, ""));
        let key = b"fuzzing key, not the platform's";
        if let Ok(nonce) = hegui_platform::complaints::verify(key, token, answer) {
            panic!("a token not made with the key passed: {token:?} -> {nonce}");
        }
        let _ = hegui_platform::clues::parse_period(&text);
        if hegui_platform::mail::check_address(&text).is_ok() {
            assert!(!text.contains(['\r', '\n', '<', '>']));
            let _ = hegui_platform::mail::message("a@b.cn", &text, &text, &text);
        }
    }
}
