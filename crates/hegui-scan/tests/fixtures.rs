//! The project's own fixtures (fixtures/apk, made by scripts/make-fixtures.sh), read end to
//! end, plus hostile variants generated here.

use std::collections::BTreeSet;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use hegui_model::{ArtifactKind, ComponentKind, Party, Report, SdkEvidenceKind, TlsOverrideKind};
use hegui_scan::{ScanOptions, scan_bytes, scan_path};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/apk")
        .join(name)
}

fn scan(name: &str) -> Report {
    scan_path(&fixture(name), &ScanOptions::default())
}

fn codes(r: &Report) -> BTreeSet<&str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn privacy_basic_manifest_facts() {
    let r = scan("privacy-basic.apk");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.artifact.kind, ArtifactKind::Apk);
    assert_eq!(r.app.id, "com.hegui.fixture.basic");
    assert_eq!(r.app.name.as_deref(), Some("合规样例"));
    assert_eq!(r.app.version.as_deref(), Some("1.2.3"));
    let a = r.facts.android.as_ref().expect("android facts");
    assert_eq!(
        (a.version_code, a.min_sdk, a.target_sdk),
        (Some(7), Some(21), Some(30))
    );
    let perms: Vec<&str> = a
        .permissions
        .iter()
        .map(|p| p.rsplit('.').next().unwrap_or(p))
        .collect();
    assert_eq!(
        perms,
        [
            "INTERNET",
            "READ_PHONE_STATE",
            "ACCESS_FINE_LOCATION",
            "ACCESS_COARSE_LOCATION",
            "CAMERA",
            "READ_CONTACTS",
            "RECEIVE_BOOT_COMPLETED",
            "QUERY_ALL_PACKAGES",
            "READ_CALENDAR",
            "WRITE_EXTERNAL_STORAGE",
            "READ_SMS"
        ]
    );
    let sms = a
        .permission_uses
        .iter()
        .find(|p| p.name.ends_with("READ_SMS"))
        .expect("READ_SMS");
    assert!(sms.sdk23);
    let storage = a
        .permission_uses
        .iter()
        .find(|p| p.name.ends_with("WRITE_EXTERNAL_STORAGE"))
        .expect("storage");
    assert_eq!(storage.max_sdk, Some(28));
    assert_eq!(
        a.custom_permissions[0].protection_level.as_deref(),
        Some("signature")
    );
    assert_eq!(
        a.application.class_name.as_deref(),
        Some("com.hegui.fixture.basic.App")
    );
    assert_eq!(a.application.uses_cleartext_traffic, Some(true));
    let nsc = a.application.network_security_config.as_ref().expect("nsc");
    assert_eq!(nsc.base_cleartext_permitted, Some(true));
    assert!(nsc.trusts_user_certs);
    let boot = a
        .components
        .iter()
        .find(|c| c.name.ends_with("BootReceiver"))
        .expect("boot receiver");
    assert_eq!(boot.kind, ComponentKind::Receiver);
    assert!(boot.exported);
    assert!(
        boot.intent_filters[0]
            .actions
            .iter()
            .any(|x| x == "android.intent.action.BOOT_COMPLETED")
    );
    assert!(
        a.components
            .iter()
            .any(|c| c.kind == ComponentKind::ActivityAlias)
    );
    let provider = a
        .components
        .iter()
        .find(|c| c.kind == ComponentKind::Provider)
        .expect("provider");
    assert_eq!(
        provider.target.as_deref(),
        Some("com.hegui.fixture.basic.init")
    );
    assert_eq!(a.queries.packages, ["com.tencent.mm"]);
    assert_eq!(a.queries.intent_actions, ["android.intent.action.MAIN"]);
    assert!(a.meta_data.iter().any(
        |m| m.name == "UMENG_APPKEY" && m.value.as_deref() == Some("5f0000000000000000000000")
    ));
    assert!(a.signing.v1 && a.signing.v2 && a.signing.v3);
    assert_eq!(
        a.certificates[0].sha256,
        "b59c6e0dd471c8613dc640d42df4e8287763a4bc5e38054d5d20276f4b990e2b"
    );
    assert!(a.certificates[0].subject.contains("hegui fixture"));
}

#[test]
fn privacy_basic_code_facts_are_attributed() {
    let r = scan("privacy-basic.apk");
    let a = r.facts.android.as_ref().expect("android facts");
    assert_eq!(a.dex_files.len(), 2);
    let has = |api: &str, class: &str, method: &str| {
        a.api_uses
            .iter()
            .any(|u| u.api == api && u.caller_class == class && u.caller_method == method)
    };
    let p = "com.hegui.fixture.basic";
    assert!(has(
        "Landroid/telephony/TelephonyManager;->getDeviceId",
        &format!("{p}.DeviceInfo"),
        "collectImei"
    ));
    assert!(has(
        "Landroid/provider/Settings$Secure;->getString",
        &format!("{p}.DeviceInfo"),
        "androidId"
    ));
    assert!(has(
        "Landroid/os/Build;->SERIAL",
        &format!("{p}.DeviceInfo"),
        "serial"
    ));
    assert!(has(
        "Landroid/location/LocationManager;->getLastKnownLocation",
        &format!("{p}.LocationHelper"),
        "lastLocation"
    ));
    assert!(has(
        "Landroid/content/pm/PackageManager;->getInstalledPackages",
        &format!("{p}.AppList"),
        "scan"
    ));
    assert!(has(
        "Landroid/content/ClipboardManager;->getPrimaryClip",
        &format!("{p}.Clip"),
        "read"
    ));
    // The provider query that reads through the URI field, not the bare field read.
    assert!(a.api_uses.iter().any(|u| {
        u.api == "Landroid/content/ContentResolver;->query"
            && u.caller_class == format!("{p}.Contacts")
            && u.via == hegui_model::ApiVia::ContentUri
            && u.string_args == ["android.provider.ContactsContract$Contacts.CONTENT_URI"]
    }));
    assert!(has(
        "Landroid/net/wifi/WifiInfo;->getMacAddress",
        "com.umeng.analytics.pro.UMDevice",
        "mac"
    ));
    let mac = a
        .api_uses
        .iter()
        .find(|u| u.api.ends_with("getMacAddress"))
        .expect("mac");
    assert_eq!(mac.dex, "classes2.dex");
    let android_id = a
        .api_uses
        .iter()
        .find(|u| u.api.ends_with("Secure;->getString"))
        .expect("android id");
    assert_eq!(android_id.string_args, ["android_id"]);
    let kinds: BTreeSet<_> = a
        .tls_overrides
        .iter()
        .filter(|t| t.accepts_all)
        .map(|t| format!("{:?}", t.kind))
        .collect();
    assert_eq!(kinds.len(), 3, "{:?}", a.tls_overrides);
    assert!(
        a.tls_overrides
            .iter()
            .any(|t| t.kind == TlsOverrideKind::WebViewSslError && t.accepts_all)
    );
    assert!(
        a.launches
            .iter()
            .any(|l| l.api.ends_with("getLaunchIntentForPackage")
                && l.packages == ["com.tencent.mm"])
    );
    assert!(
        a.strings
            .iter()
            .any(|s| s.value == "http://api.hegui-fixture.example/collect")
    );
    // SDKs by code (umeng, getui, jpush), by manifest provider (firebase) and by meta-data
    // key (jcore): each with what matched.
    let ids: BTreeSet<&str> = r.sdks.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        BTreeSet::from(["umeng", "getui", "jpush", "firebase", "jcore"])
    );
    let umeng = r.sdks.iter().find(|s| s.id == "umeng").expect("umeng");
    assert_eq!(
        umeng.version.as_deref(),
        Some("9.6.3"),
        "SDK_VERSION constant"
    );
    assert_eq!(umeng.classes, 2);
    let kinds: BTreeSet<SdkEvidenceKind> = umeng.evidence.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            SdkEvidenceKind::Prefix,
            SdkEvidenceKind::Class,
            SdkEvidenceKind::MetaData
        ])
    );
    let firebase = r
        .sdks
        .iter()
        .find(|s| s.id == "firebase")
        .expect("firebase");
    assert_eq!(firebase.evidence[0].kind, SdkEvidenceKind::Component);
    // Every call site carries its party; the app's own code is `app`.
    let mac = a
        .api_uses
        .iter()
        .find(|u| u.api.ends_with("getMacAddress"))
        .expect("mac");
    assert_eq!(mac.party, Party::Sdk("umeng".into()));
    assert!(
        a.api_uses
            .iter()
            .filter(|u| u.caller_class.starts_with("com.hegui.fixture.basic."))
            .all(|u| u.party == Party::App)
    );
    // SDK start-up: directly in attachBaseContext, and through the app's own helper.
    let startup: Vec<(&str, &[String], &str)> = a
        .startup_calls
        .iter()
        .map(|c| (c.entry.as_str(), c.via.as_slice(), c.callee_class.as_str()))
        .collect();
    assert!(startup.contains(&(
        "com.hegui.fixture.basic.App.attachBaseContext",
        &[][..],
        "cn.jpush.android.api.JPushInterface"
    )));
    assert!(
        a.startup_calls
            .iter()
            .any(|c| c.entry == "com.hegui.fixture.basic.App.onCreate"
                && c.via == ["com.hegui.fixture.basic.SdkInit.initAll"]
                && c.callee_class == "com.umeng.commonsdk.UMConfigure"
                && c.party == Party::Sdk("umeng".into()))
    );
    // The app's own helpers are followed, not reported.
    assert!(
        a.startup_calls
            .iter()
            .all(|c| !c.callee_class.starts_with("com.hegui.fixture.basic."))
    );
}

#[test]
fn privacy_basic_findings() {
    let r = scan("privacy-basic.apk");
    let got = codes(&r);
    for code in [
        "AND001", "AND002", "AND003", "AND004", "AND005", "AND006", "AND007", "AND008", "AND009",
        "AND010", "AND011", "AND012", "AND016",
    ] {
        assert!(got.contains(code), "{code} missing: {got:?}");
    }
    let unused: BTreeSet<&str> = r
        .findings
        .iter()
        .filter(|f| f.code == "AND002")
        .filter_map(|f| f.evidence.first())
        .filter_map(|e| match e {
            hegui_model::Evidence::Manifest { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    // CAMERA and READ_CALENDAR have no code; READ_SMS neither.
    assert_eq!(
        unused,
        BTreeSet::from([
            "android.permission.CAMERA",
            "android.permission.READ_CALENDAR",
            "android.permission.READ_SMS"
        ])
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "AND003" && f.party == Party::Sdk("umeng".into()))
    );
    let assoc = r
        .findings
        .iter()
        .find(|f| f.code == "AND006")
        .expect("AND006");
    assert!(
        assoc.message.en.contains("com.tencent.mm")
            && assoc.message.en.contains("com.eg.android.AlipayGphone")
    );
    // The reward label is a candidate; the plain identity check and the prose are not.
    let rewards: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.code == "AND016")
        .flat_map(|f| &f.evidence)
        .filter_map(|e| match e {
            hegui_model::Evidence::Entry { detail, .. } => detail.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(rewards, ["@string/face_bonus: 刷脸认证领 88 元红包"]);
    // Fingerprints are stable: the same scan twice gives the same set.
    let again: BTreeSet<String> = scan("privacy-basic.apk")
        .findings
        .into_iter()
        .map(|f| f.fingerprint)
        .collect();
    assert_eq!(
        again,
        r.findings.iter().map(|f| f.fingerprint.clone()).collect()
    );
}

#[test]
fn clean_app_has_no_findings() {
    let r = scan("clean.apk");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    // The policy it ships is found and read with the package; its one-paragraph text is
    // judged by the policy rules (their own tests cover them), the package has no findings.
    let policy = r.facts.policy.as_ref().expect("bundled policy");
    assert!(
        policy.source.ends_with("!/assets/privacy.html"),
        "{}",
        policy.source
    );
    let package_findings: Vec<_> = r
        .findings
        .iter()
        .filter(|f| !f.code.starts_with("POL"))
        .collect();
    assert!(package_findings.is_empty(), "{package_findings:#?}");
    let a = r.facts.android.as_ref().expect("facts");
    assert!(
        a.web_assets
            .iter()
            .any(|w| w.mentions_privacy_policy && w.title.as_deref() == Some("隐私政策"))
    );
    assert!(
        !r.not_assessed.is_empty(),
        "dynamic and policy clauses must be listed as not assessed"
    );
    assert!(r.not_assessed.iter().any(|n| n.cite == "AM-1.2"));
}

/// `--policy`: the package still neither bundles nor links a policy, but AND009 no longer
/// says there is none: it says the package does not carry the one given, at low severity.
/// fixtures/apk/indirect.apk: every indirect road to PI with a known answer, and a negative
/// twin of each that must not be reported (see make_indirect in scripts/make-fixtures.sh).
#[test]
fn indirect_roads_are_found_with_their_callers() {
    use hegui_model::{ApiAccess, ApiVia, DismissReason, PiCategory};
    let r = scan("indirect.apk");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let a = r.facts.android.as_ref().expect("android facts");
    let site = |method: &str| {
        a.api_uses
            .iter()
            .filter(|u| u.caller_method == method)
            .map(|u| (u.category, u.via, u.access, u.string_args.join(" ")))
            .collect::<Vec<_>>()
    };
    let road = |category, via, access, arg: &str| vec![(category, via, access, arg.to_string())];
    let invoke = ApiAccess::Invoke;
    assert_eq!(
        site("imei"),
        road(
            PiCategory::DeviceId,
            ApiVia::Reflection,
            invoke,
            "android.telephony.TelephonyManager getDeviceId"
        )
    );
    assert_eq!(
        site("serial"),
        road(
            PiCategory::DeviceId,
            ApiVia::Shell,
            invoke,
            "getprop ro.serialno"
        )
    );
    assert_eq!(
        site("apps"),
        road(
            PiCategory::InstalledApps,
            ApiVia::Shell,
            invoke,
            "pm list packages -3"
        )
    );
    assert_eq!(
        site("mac"),
        road(
            PiCategory::MacAddress,
            ApiVia::File,
            invoke,
            "/sys/class/net/wlan0/address"
        )
    );
    assert_eq!(
        site("sms"),
        road(
            PiCategory::Sms,
            ApiVia::ContentUri,
            invoke,
            "content://sms/inbox"
        )
    );
    // The URI an app field got in <clinit>: the call reads it, the bare reference is gone.
    assert_eq!(
        site("calls"),
        road(
            PiCategory::CallLog,
            ApiVia::ContentUri,
            invoke,
            "android.provider.CallLog$Calls.CONTENT_URI"
        )
    );
    assert!(site("<clinit>").is_empty(), "{:?}", site("<clinit>"));
    assert_eq!(
        site("contacts"),
        road(
            PiCategory::Contacts,
            ApiVia::ContentUri,
            invoke,
            "android.provider.ContactsContract$CommonDataKinds$Phone.CONTENT_URI"
        )
    );
    assert_eq!(
        site("addContact"),
        road(
            PiCategory::Contacts,
            ApiVia::ContentUri,
            ApiAccess::Write,
            "android.provider.ContactsContract$RawContacts.CONTENT_URI"
        )
    );
    assert_eq!(
        site("launcher"),
        road(
            PiCategory::InstalledApps,
            ApiVia::Direct,
            invoke,
            "android.intent.action.MAIN android.intent.category.LAUNCHER"
        )
    );
    assert_eq!(site("mic").len(), 1);
    assert_eq!(site("camera").len(), 1);
    // The negative twins: read, not reported, each with its reason.
    for method in ["named", "list", "fonts", "picked", "browsers"] {
        assert!(site(method).is_empty(), "{method}: {:?}", site(method));
    }
    let dismissed: Vec<(&str, DismissReason)> = a
        .dismissed_calls
        .iter()
        .map(|d| (d.caller_method.as_str(), d.reason))
        .collect();
    assert_eq!(
        dismissed,
        [
            ("browsers", DismissReason::IntentNotLauncher),
            ("list", DismissReason::CommandNotPi),
            ("fonts", DismissReason::UriNotPi),
            ("picked", DismissReason::UriUnknown),
        ]
    );
    assert!(a.api_uses.iter().all(|u| u.reachable == Some(true)));
    assert!(a.api_uses.iter().all(|u| u.party == Party::App));

    let [load] = a.code_loads.as_slice() else {
        panic!("one code load: {:?}", a.code_loads)
    };
    assert_eq!(load.api, "Ldalvik/system/DexClassLoader;-><init>");
    assert_eq!(
        (load.caller_method.as_str(), load.reachable),
        ("load", Some(true))
    );
    assert!(load.paths.iter().any(|p| p.ends_with("/files/plugin.dex")));

    let [lib] = a.native_libs.as_slice() else {
        panic!("one native library: {:?}", a.native_libs)
    };
    assert_eq!(lib.party, Party::App, "JNI exports name the app's class");
    let mut reads: Vec<(&str, PiCategory, &str)> = lib
        .reads
        .iter()
        .map(|n| (n.via.as_str(), n.category, n.text.as_str()))
        .collect();
    reads.sort();
    assert_eq!(
        reads,
        [
            (
                "file",
                PiCategory::MacAddress,
                "/sys/class/net/wlan0/address"
            ),
            (
                "jni",
                PiCategory::DeviceId,
                "android.telephony.TelephonyManager.getDeviceId"
            ),
            ("property", PiCategory::DeviceId, "ro.serialno"),
            ("shell", PiCategory::InstalledApps, "pm list packages"),
        ]
    );

    // Findings: the write is not a read; the native strings and the loader have their own.
    let messages: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.code == "AND003")
        .map(|f| f.message.en.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .all(|m| !m.contains("RawContacts") && !m.contains("->insert")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("Native library libcollect.so"))
    );
    let found = codes(&r);
    assert!(
        found.contains("AND004") && found.contains("AND014"),
        "{found:?}"
    );
}

#[test]
fn a_policy_given_with_the_package_is_not_called_missing() {
    let and009 = |r: &Report| {
        r.findings
            .iter()
            .filter(|f| f.code == "AND009")
            .map(|f| (f.severity, f.message.en.clone()))
            .collect::<Vec<_>>()
    };
    let alone = scan("privacy-basic.apk");
    assert_eq!(alone.facts.policy_origin, None);
    let [(severity, message)] = &and009(&alone)[..] else {
        panic!("{:?}", and009(&alone))
    };
    assert_eq!(*severity, hegui_model::Severity::High);
    assert!(message.starts_with("No privacy-policy page"), "{message}");

    let opts = ScanOptions {
        policy: Some(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/policy/complete.html"),
        ),
        ..ScanOptions::default()
    };
    let paired = scan_path(&fixture("privacy-basic.apk"), &opts);
    assert!(paired.facts.policy.is_some(), "{:?}", paired.errors);
    assert_eq!(
        paired.facts.policy_origin,
        Some(hegui_model::PolicyOrigin::Supplied)
    );
    let [(severity, message)] = &and009(&paired)[..] else {
        panic!("{:?}", and009(&paired))
    };
    assert_eq!(*severity, hegui_model::Severity::Low);
    assert!(
        message.contains("neither bundles nor links it"),
        "{message}"
    );
    let title = &paired
        .findings
        .iter()
        .find(|f| f.code == "AND009")
        .expect("AND009")
        .title;
    assert_eq!(title.en, "No privacy policy in the package");
}

/// An input nothing reads is named as such, with everything hegui does read.
#[test]
fn unknown_input_lists_what_is_accepted() {
    for bytes in [&b""[..], b"\x00\x01random bytes\xff\xfe"] {
        let r = scan_bytes("x.apk", bytes, &ScanOptions::default(), Instant::now());
        let e = hegui_scan::unreadable(&r).expect("unreadable");
        assert_eq!(e.code, "unknown-artifact");
        for accepted in [
            "APK",
            "IPA",
            "wxapkg",
            "TPKG",
            "project folders",
            "privacy policies",
            "traces",
        ] {
            assert!(e.message.contains(accepted), "{accepted}: {}", e.message);
        }
    }
    assert!(hegui_scan::unreadable(&scan("clean.apk")).is_none());
}

#[test]
fn packed_app_is_recognised_and_code_rules_not_assessed() {
    let r = scan("packed.apk");
    let a = r.facts.android.as_ref().expect("facts");
    assert_eq!(a.packers.len(), 1);
    assert_eq!(a.packers[0].id, "qihoo360-jiagu");
    let lib = a
        .native_libs
        .iter()
        .find(|l| l.name == "libhegui.so")
        .expect("native lib");
    assert!(lib.error.is_none(), "{:?}", lib.error);
    assert_eq!(lib.notable_imports, ["getifaddrs"]);
    assert!(lib.exports >= 1);
    assert!(r.findings.iter().all(|f| f.code != "AND009"));
    assert!(
        r.not_assessed
            .iter()
            .any(|n| n.cite == "AM-1.1" && n.reason.en.contains("AND009"))
    );
}

fn build_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

#[test]
fn xapk_bundle_merges_base_and_split() {
    let base = std::fs::read(fixture("privacy-basic.apk")).expect("fixture");
    let split = std::fs::read(fixture("packed.apk")).expect("fixture");
    let xapk = build_zip(&[
        (
            "manifest.json",
            br#"{"package_name":"com.hegui.fixture.basic"}"#,
        ),
        ("com.hegui.fixture.basic.apk", &base),
        ("config.x86_64.apk", &split),
    ]);
    let r = scan_bytes(
        "bundle.xapk",
        &xapk,
        &ScanOptions::default(),
        Instant::now(),
    );
    assert_eq!(r.artifact.kind, ArtifactKind::ApkBundle);
    assert_eq!(r.app.id, "com.hegui.fixture.basic");
    let a = r.facts.android.as_ref().expect("facts");
    assert!(
        a.native_libs
            .iter()
            .any(|l| l.path == "config.x86_64.apk!/lib/x86_64/libhegui.so")
    );
    assert!(
        a.api_uses
            .iter()
            .any(|u| u.dex == "com.hegui.fixture.basic.apk!/classes2.dex")
    );
}

#[test]
fn badpack_local_headers_do_not_change_facts() {
    let mut bytes = std::fs::read(fixture("privacy-basic.apk")).expect("fixture");
    let honest = scan_bytes("a.apk", &bytes, &ScanOptions::default(), Instant::now());
    // Corrupt every local header's method, flags and sizes, as BadPack does.
    let mut i = 0;
    while let Some(pos) = bytes[i..].windows(4).position(|w| w == b"PK\x03\x04") {
        let at = i + pos;
        bytes[at + 6] |= 1; // "encrypted"
        bytes[at + 8] = 0x2a; // bogus method
        bytes[at + 18..at + 26].copy_from_slice(&[0xee; 8]);
        i = at + 4;
    }
    let lying = scan_bytes("a.apk", &bytes, &ScanOptions::default(), Instant::now());
    assert_eq!(
        lying.facts.android.as_ref().map(|a| &a.permissions),
        honest.facts.android.as_ref().map(|a| &a.permissions)
    );
    assert_eq!(codes(&lying), codes(&honest));
}

#[test]
fn hostile_inputs_give_typed_errors() {
    let opts = ScanOptions::default();
    let check = |name: &str, bytes: &[u8], code: &str| {
        let r = scan_bytes(name, bytes, &opts, Instant::now());
        assert!(
            r.errors.iter().any(|e| e.code == code),
            "{name}: expected {code}, got {:?}",
            r.errors
        );
    };
    check("garbage", &[0x42; 1000], "unknown-artifact");
    let no_manifest = build_zip(&[("classes.txt", b"x"), ("inner.apk", b"not a zip")]);
    check("bundle-of-junk", &no_manifest, "not-a-zip");
    // A bomb: 600 MiB of zeros would deflate to ~600 KiB; a smaller ratio limit shows the cut.
    let zeros = vec![0u8; 8 << 20];
    let bomb = build_zip(&[("AndroidManifest.xml", b""), ("classes.dex", &zeros)]);
    check("bomb", &bomb, "zip-bomb");
    let traversal = build_zip(&[
        ("AndroidManifest.xml", b"junk"),
        ("../../evil.dex", b"dex\n035\0"),
    ]);
    check("traversal", &traversal, "path-traversal");
    let r = scan_bytes("traversal", &traversal, &opts, Instant::now());
    let bad = r
        .errors
        .iter()
        .find(|e| e.code == "path-traversal")
        .expect("path-traversal");
    assert_eq!(bad.entry.as_deref(), Some("../../evil.dex"));
}

#[test]
fn truncated_packages_never_panic() {
    let bytes = std::fs::read(fixture("privacy-basic.apk")).expect("fixture");
    let opts = ScanOptions::default();
    let step = (bytes.len() / 300).max(1);
    for cut in (0..bytes.len()).step_by(step) {
        let r = scan_bytes("cut.apk", &bytes[..cut], &opts, Instant::now());
        assert!(
            r.errors.iter().all(|e| e.code != "internal-error"),
            "panic at cut {cut}: {:?}",
            r.errors
        );
    }
}
