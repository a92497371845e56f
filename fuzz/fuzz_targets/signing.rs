//! APK Signing Block, PKCS#7 (v1 .RSA/.DSA/.EC) and v2/v3 scheme walkers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hegui_android::fuzz_signing(data);
});
