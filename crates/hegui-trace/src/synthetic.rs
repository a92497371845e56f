//! Synthetic traces for benchmarks and fuzz seeds: a realistic mix of events (mostly API
//! calls with SDK and app stacks, some lifecycle, permission and network events), built
//! deterministically from a seed. Nothing here is used to judge anything.

use std::fmt::Write;

const STACKS: &[&[(&str, &str)]] = &[
    &[
        ("android.provider.Settings$Secure", "getString"),
        (
            "com.umeng.commonsdk.statistics.common.DeviceConfig",
            "getAndroidId",
        ),
        ("com.umeng.commonsdk.UMConfigure", "init"),
        ("com.example.shop.App", "onCreate"),
        ("android.app.Instrumentation", "callApplicationOnCreate"),
    ],
    &[
        ("android.telephony.TelephonyManager", "getImei"),
        ("com.qq.e.comm.managers.status.DeviceStatus", "getDid"),
        ("com.qq.e.comm.managers.GDTADManager", "initWith"),
        ("java.util.concurrent.ThreadPoolExecutor", "runWorker"),
    ],
    &[
        ("android.content.ClipboardManager", "getPrimaryClip"),
        ("com.example.shop.ui.SearchActivity", "onResume"),
        ("android.app.Activity", "performResume"),
        ("android.app.ActivityThread", "handleResumeActivity"),
    ],
    &[
        ("android.location.LocationManager", "getLastKnownLocation"),
        ("com.amap.api.location.AMapLocationClient", "startLocation"),
        ("com.example.shop.store.NearbyStores", "locate"),
        ("android.os.Handler", "dispatchMessage"),
    ],
    &[
        ("android.content.pm.PackageManager", "getInstalledPackages"),
        (
            "com.tencent.bugly.crashreport.common.info.AppInfo",
            "getInstalled",
        ),
        (
            "com.tencent.bugly.crashreport.CrashReport",
            "initCrashReport",
        ),
        ("com.example.shop.App", "onCreate"),
    ],
];

const CATEGORIES: &[&str] = &[
    "device_id.android_id",
    "device_id.imei",
    "clipboard.read",
    "location.precise",
    "app_list.full",
];

/// A trace of about `events` events as JSON Lines.
pub fn trace(events: usize, seed: u64) -> Vec<u8> {
    let mut out = String::with_capacity(events * 420);
    let mut rng = seed | 1;
    let mut next = || {
        // xorshift64*: enough spread for a benchmark mix.
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        rng.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let base_ms: i64 = 1_795_312_800_000; // 2026-11-22T10:00:00+08:00
    let src = r#""src":{"tool":"hegui-synthetic","version":"1","layer":"java"}"#;
    let mut t_ms = base_ms;
    let ts = |t: i64| crate::time::format_ms(t, 480);
    let _ = writeln!(
        out,
        r#"{{"v":1,"seq":0,"type":"trace_start","ts":"{}","run_id":"r1",{src},"trace_id":"synthetic","schema":"hegui-trace/1","app":{{"package":"com.example.shop","version_name":"1.0","platform":"android"}},"fixtures":{{"android_id":"9774d56d682e549c","imei":"860000000000017","phone_number":"13812345678"}}}}"#,
        ts(t_ms)
    );
    for seq in 1..events as u64 {
        t_ms += (next() % 40) as i64;
        let mono = (t_ms - base_ms) * 1_000_000 + 81_234_000_000;
        let head = format!(
            r#""v":1,"seq":{seq},"ts":"{}","ts_mono_ns":{mono},"run_id":"r{}","pid":4242,"tid":{},{src}"#,
            ts(t_ms),
            1 + seq / 200_000,
            4300 + next() % 8
        );
        let r = next() % 1000;
        let line = match seq {
            1 => format!(r#"{{{head},"type":"app_start","kind":"cold","trigger":"automation"}}"#),
            2 => format!(
                r#"{{{head},"type":"consent_shown","dialog_id":"d1","kind":"privacy_policy","text_sha256":"ab12","text_excerpt":"欢迎使用，请阅读《隐私政策》","buttons":[{{"label":"同意","role":"accept"}},{{"label":"不同意","role":"reject"}}],"detect":"ui_tree","confidence":0.95}}"#
            ),
            _ if seq == 200 => format!(
                r#"{{{head},"type":"consent_accepted","dialog_id":"d1","detect":"ui_tree","confidence":0.95}}"#
            ),
            _ if r < 5 => format!(
                r#"{{{head},"type":"app_background","activity":"com.example.shop.MainActivity"}}"#
            ),
            _ if r < 10 => format!(
                r#"{{{head},"type":"app_foreground","activity":"com.example.shop.MainActivity"}}"#
            ),
            _ if r < 14 => format!(
                r#"{{{head},"type":"permission_request","permissions":["android.permission.ACCESS_FINE_LOCATION"],"api":"android.app.Activity#requestPermissions","stack":[{{"cls":"android.app.Activity","method":"requestPermissions"}},{{"cls":"com.example.shop.store.NearbyActivity","method":"ask"}}]}}"#
            ),
            _ if r < 18 => format!(
                r#"{{{head},"type":"permission_result","results":[{{"permission":"android.permission.ACCESS_FINE_LOCATION","granted":false}}],"via":"callback"}}"#
            ),
            _ if r < 60 => format!(
                r#"{{{head},"type":"network_request","flow_id":"f{seq}","method":"POST","url":"https://alog.umeng.com/app_logs?t={seq}","host":"alog.umeng.com","port":443,"scheme":"https","req":{{"headers":[{{"n":"Content-Type","v":"application/json"}},{{"n":"User-Agent","v":"okhttp/4.12.0"}}],"query":[{{"n":"t","v":"{seq}"}}],"body_size":64,"body_sha256":"77aa","body_text":"{{\"aid\":\"OTc3NGQ1NmQ2ODJlNTQ5Yw\",\"ev\":\"launch\",\"n\":{seq}}}"}},"resp":{{"status":200}},"capture":"ssl_hook"}}"#
            ),
            _ => {
                let i = (next() % STACKS.len() as u64) as usize;
                let (api_cls, api_method) = STACKS[i][0];
                let mut frames = String::new();
                for (j, (cls, method)) in STACKS[i].iter().enumerate() {
                    if j > 0 {
                        frames.push(',');
                    }
                    let _ = write!(
                        frames,
                        r#"{{"cls":"{cls}","method":"{method}","line":{}}}"#,
                        40 + j * 7
                    );
                }
                format!(
                    r#"{{{head},"thread":"pool-3-thread-1","fg":true,"type":"api_call","api":{{"cls":"{api_cls}","method":"{api_method}"}},"category":"{}","args":[{{"i":0,"type":"int","summary":"0"}}],"ret":{{"type":"java.lang.String","null":false,"value_sha256":"9f2c5d"}},"outcome":"returned","stack":[{frames}]}}"#,
                    CATEGORIES[i]
                )
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.into_bytes()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing fixture should stop the test
mod tests {
    #[test]
    fn every_line_is_a_valid_event() {
        let bytes = super::trace(2000, 7);
        let catalog = hegui_knowledge::sdk_catalog();
        let mut a = crate::Analyzer::new(catalog, crate::TraceOptions::default());
        crate::read_jsonl(&mut a, "synthetic", &bytes[..]).unwrap();
        let (facts, errors) = a.finish();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(facts.events, 2000);
        assert!(facts.collections.len() > 5);
    }
}
