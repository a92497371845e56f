use super::*;

fn owner(class: &str) -> Option<&'static str> {
    let c = sdk_catalog();
    c.owner_of(class)
        .and_then(|(i, _)| c.by_index(i))
        .map(|s| s.id.as_str())
}

#[test]
fn every_builtin_entry_is_well_formed() {
    for (name, text) in BUILTIN_FILES {
        let parsed: Result<SdkFile, _> = serde_json::from_str(text);
        assert!(parsed.is_ok(), "data/sdks/{name}.json: {:?}", parsed.err());
    }
    let all = builtin_entries();
    let catalog = SdkCatalog::new(all.clone());
    assert_eq!(
        catalog.len(),
        all.len(),
        "duplicate ids in the built-in catalogue"
    );
    let issues = catalog.check();
    assert!(issues.is_empty(), "{issues:#?}");
    for sdk in catalog.iter().filter(|s| !s.is_framework()) {
        let url = sdk.policy_url.as_deref().unwrap_or("");
        assert!(url.starts_with("https://"), "{}: https policy_url", sdk.id);
    }
}

#[test]
fn catalogue_covers_at_least_150_third_party_sdks() {
    let third_party = sdk_catalog().iter().filter(|s| !s.is_framework()).count();
    assert!(third_party >= 150, "only {third_party} third-party SDKs");
}

#[test]
fn chinese_sdks_named_by_the_regulators_are_covered() {
    for class in [
        "com.umeng.commonsdk.UMConfigure",
        "cn.jpush.android.api.JPushInterface",
        "com.igexin.sdk.PushManager",
        "com.qq.e.ads.banner2.UnifiedBannerView",
        "com.tencent.bugly.crashreport.CrashReport",
        "com.tencent.smtt.sdk.WebView",
        "com.tencent.mm.opensdk.openapi.WXAPIFactory",
        "com.alipay.sdk.app.PayTask",
        "com.amap.api.location.AMapLocationClient",
        "com.baidu.location.LocationClient",
        "com.bytedance.sdk.openadsdk.TTAdSdk",
        "com.kwad.sdk.api.KsAdSDK",
        "cn.sharesdk.framework.ShareSDK",
        "com.bun.miitmdid.core.MdidSdkHelper",
        "com.xiaomi.mipush.sdk.MiPushClient",
        "com.sensorsdata.analytics.android.sdk.SensorsDataAPI",
        "com.ishumei.smantifraud.SmAntiFraud",
        "com.google.firebase.analytics.FirebaseAnalytics",
    ] {
        assert!(
            owner(class).is_some(),
            "{class} is not attributed to any SDK"
        );
    }
}

#[test]
fn longest_prefix_wins_and_boundaries_are_respected() {
    assert_eq!(
        owner("com.google.android.gms.ads.AdView"),
        Some("google-ads")
    );
    assert_eq!(
        owner("com.google.android.gms.common.GoogleApiAvailability"),
        Some("google-play-services")
    );
    assert_eq!(owner("com.example.app.Main"), None);
    // A prefix is a package: `com.umengx` is not Umeng's.
    assert_eq!(owner("com.umengx.Foo"), None);
}

#[test]
fn attribution_prefers_the_apps_own_package() {
    let c = sdk_catalog();
    // A vendor's demo app lives under the SDK's prefix: its own classes are the app's.
    assert_eq!(
        c.attribute(
            "com.tencent.bugly.hotfix",
            "com.tencent.bugly.hotfix.MainActivity"
        ),
        Party::App
    );
    assert_eq!(
        c.attribute(
            "com.tencent.bugly.hotfix",
            "com.tencent.bugly.crashreport.CrashReport"
        ),
        Party::Sdk("bugly".into())
    );
    assert_eq!(
        c.attribute("com.shop.app", "com.shop.common.Util"),
        Party::App
    );
    assert_eq!(c.attribute("com.shop.app", "a.b.c"), Party::Unknown);
    assert_eq!(
        c.attribute("com.shop.app", "org.thirdparty.lib.sub.Foo"),
        Party::Sdk("org.thirdparty.lib".into())
    );
}

#[test]
fn inner_classes_and_well_known_classes() {
    let catalog = SdkCatalog::new(vec![Sdk {
        id: "acme".into(),
        name: SdkName {
            zh: "Acme".into(),
            en: "Acme".into(),
        },
        aliases: vec![],
        vendor: "Acme".into(),
        category: "analytics".into(),
        collects: vec![],
        policy_url: None,
        prefixes: vec!["io.acme.sdk.".into()],
        classes: vec!["org.other.AcmeEntry".into()],
        init: vec![],
        native_libs: vec!["libacme*.so".into()],
        meta_data: vec!["ACME_KEY".into()],
        components: vec![],
        domains: vec![],
        mp_plugins: vec![],
        ios_frameworks: vec![],
        ios_classes: vec![],
    }]);
    assert_eq!(
        catalog.owner_of("io.acme.sdk.a.B$C"),
        Some((0, Some("io.acme.sdk.")))
    );
    assert_eq!(catalog.owner_of("org.other.AcmeEntry$1"), Some((0, None)));
    assert_eq!(catalog.owner_of("org.other.Else"), None);
    assert_eq!(catalog.owner_of_meta_data("ACME_KEY"), Some(0));
    let sdk = catalog.by_index(0).expect("entry");
    assert!(sdk.matches_native_lib("libacme-3.2.so"));
    assert!(!sdk.matches_native_lib("libacmex.dll"));
}

#[test]
fn glob_patterns() {
    assert!(glob_match("libjcore*.so", "libjcore250.so"));
    assert!(glob_match("libjcore*.so", "libjcore.so"));
    assert!(!glob_match("libjcore*.so", "libjcore250.so.bak"));
    assert!(glob_match("libbugly.so", "libbugly.so"));
    assert!(!glob_match("libbugly.so", "libbugly2.so"));
    assert!(glob_match("lib*ad*.so", "libfooadbar.so"));
}

#[test]
fn user_catalogue_in_our_format() {
    let text = r#"{"sdks": [{"id": "in-house", "name": {"zh": "内部", "en": "In-house"},
        "vendor": "Us", "category": "analytics", "prefixes": ["com.us.track."]}]}"#;
    let (entries, skipped) = parse_sdk_db(text).expect("valid");
    assert_eq!(entries.len(), 1);
    assert!(skipped.is_empty());
    let catalog = SdkCatalog::with_extra(entries);
    assert!(catalog.get("in-house").is_some());
    assert!(catalog.get("umeng").is_some());

    let bad = r#"[{"id": "x", "name": {"zh": "x", "en": "x"}, "vendor": "x",
        "category": "analytics", "prefixes": ["com.x"]}]"#;
    let err = parse_sdk_db(bad).expect_err("prefix without its dot");
    assert!(err.to_string().contains("com.x"), "{err}");
    assert!(parse_sdk_db("{").is_err());
    assert!(parse_sdk_db(r#"{"sdks": 3}"#).is_err());
}

#[test]
fn exodus_export_is_converted_literally() {
    // Written for this test in the shape of the public ETIP export.
    let text = r#"{"trackers": {
        "7": {"id": 7, "name": "Acme Ads", "code_signature": "com.acme.ads.|^com\\.acme\\.track|com.acme.Entry|com.[a-z]+.evil|com.(x|y).z",
              "network_signature": "ads\\.acme\\.com|\\.acme-cdn\\.net", "categories": ["Advertisement"]},
        "8": {"id": 8, "name": "Empty", "code_signature": "", "network_signature": "", "categories": []}
    }}"#;
    let (entries, skipped) = parse_sdk_db(text).expect("valid");
    assert_eq!(entries.len(), 1);
    let acme = &entries[0];
    assert_eq!(acme.id, "exodus-7");
    assert_eq!(acme.category, "ads");
    assert_eq!(acme.prefixes, ["com.acme.ads.", "com.acme.track."]);
    assert_eq!(acme.classes, ["com.acme.Entry"]);
    assert_eq!(acme.domains, ["ads.acme.com", "acme-cdn.net"]);
    // `com.[a-z]+.evil` and the whole group `com.(x|y).z` (not split inside the group), plus
    // the tracker without any signature.
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(skipped.iter().any(|s| s.message.contains("com.(x|y).z")));
    let catalog = SdkCatalog::with_extra(entries);
    // Anchored at a package boundary, unlike the regex it came from.
    let id = |c: &str| {
        catalog
            .owner_of(c)
            .and_then(|(i, _)| catalog.by_index(i))
            .map(|s| s.id.clone())
    };
    assert_eq!(id("com.acme.ads.Banner").as_deref(), Some("exodus-7"));
    assert_eq!(id("com.acme.adsx.Banner"), None);
    assert_eq!(id("org.com.acme.ads.Banner"), None);
}
