//! The test device the sandbox pretends to be: what privacy APIs answer, so the values can be
//! found again in requests (the trace's `fixtures`). Values are made up for hegui.

/// The phone number, coordinates and device the sandbox answers with.
pub const PHONE: &str = "13800138000";
pub const LATITUDE: f64 = 39.908_722;
pub const LONGITUDE: f64 = 116.397_499;

/// APIs whose answers the profile fixes (others answer `{errMsg: "<name>:ok"}`).
const ANSWERED: &[&str] = &[
    "getLocation",
    "getFuzzyLocation",
    "chooseLocation",
    "getSystemInfo",
    "getSystemInfoSync",
    "getDeviceInfo",
    "getWindowInfo",
    "getAppBaseInfo",
    "getClipboardData",
    "getNetworkType",
    "getConnectedWifi",
    "getUserProfile",
    "getUserInfo",
    "login",
    "getPrivacySetting",
    "getSetting",
    "authorize",
    "getWeRunData",
    "chooseAddress",
    "startSoterAuthentication",
];

/// APIs the prelude simulates itself (storage in memory, requests recorded).
const SIMULATED: &[&str] = &[
    "setStorageSync",
    "getStorageSync",
    "removeStorageSync",
    "clearStorageSync",
    "getStorageInfoSync",
    "setStorage",
    "getStorage",
    "removeStorage",
    "request",
    "uploadFile",
    "downloadFile",
    "connectSocket",
];

/// Whether the sandbox answers `name` with more than a bare stub.
pub fn answers_for(name: &str) -> bool {
    ANSWERED.contains(&name) || SIMULATED.contains(&name)
}

/// Everyday APIs (UI, navigation, files) present on the platform object from the start.
const COMMON: &[&str] = &[
    "showToast",
    "hideToast",
    "showModal",
    "showLoading",
    "hideLoading",
    "showActionSheet",
    "navigateTo",
    "redirectTo",
    "switchTab",
    "navigateBack",
    "reLaunch",
    "setNavigationBarTitle",
    "setNavigationBarColor",
    "stopPullDownRefresh",
    "startPullDownRefresh",
    "pageScrollTo",
    "createSelectorQuery",
    "previewImage",
    "nextTick",
    "vibrateShort",
    "vibrateLong",
    "checkSession",
    "requestPayment",
    "setClipboardData",
    "makePhoneCall",
    "scanCode",
    "chooseImage",
    "chooseMedia",
    "getImageInfo",
    "saveImageToPhotosAlbum",
    "openDocument",
    "getFileSystemManager",
    "getUpdateManager",
    "createAnimation",
    "canIUse",
    "getLaunchOptionsSync",
    "getEnterOptionsSync",
    "showShareMenu",
    "hideShareMenu",
    "updateShareMenu",
    "setTabBarBadge",
    "removeTabBarBadge",
    "showTabBarRedDot",
    "hideTabBarRedDot",
    "setTabBarItem",
    "setTabBarStyle",
    "showTabBar",
    "hideTabBar",
    "getAccountInfoSync",
    "reportAnalytics",
    "reportMonitor",
    "getRealtimeLogManager",
    "getLogManager",
    "requestSubscribeMessage",
    "navigateToMiniProgram",
    "openSetting",
    "getSetting",
    "createInnerAudioContext",
    "createVideoContext",
    "createMapContext",
    "createCanvasContext",
    "loadFontFace",
    "arrayBufferToBase64",
    "base64ToArrayBuffer",
];

/// Network APIs whose URL, method and data the prelude records.
const NETWORK: &[&str] = &["request", "uploadFile", "downloadFile", "connectSocket"];

/// The profile as the prelude reads it.
pub fn json() -> String {
    let location = serde_json::json!({
        "latitude": LATITUDE, "longitude": LONGITUDE, "speed": 0, "accuracy": 65,
        "altitude": 44, "verticalAccuracy": 10, "horizontalAccuracy": 65,
    });
    let system = serde_json::json!({
        "brand": "hegui", "model": "hegui-sandbox", "system": "Android 13", "platform": "android",
        "version": "8.0.50", "SDKVersion": "3.5.0", "language": "zh_CN", "pixelRatio": 3,
        "screenWidth": 393, "screenHeight": 851, "windowWidth": 393, "windowHeight": 851,
        "statusBarHeight": 24, "safeArea": {"top": 24, "bottom": 851, "left": 0, "right": 393,
        "width": 393, "height": 827},
    });
    let user = serde_json::json!({
        "userInfo": {"nickName": "hegui", "avatarUrl": "", "gender": 0, "country": "",
        "province": "", "city": "", "language": "zh_CN"},
        "rawData": "{}", "signature": "", "encryptedData": "", "iv": "",
    });
    let answers = serde_json::json!({
        "getLocation": location,
        "getFuzzyLocation": {"latitude": 39.91, "longitude": 116.40},
        "chooseLocation": {"name": "hegui", "address": "", "latitude": LATITUDE, "longitude": LONGITUDE},
        "getSystemInfo": system,
        "getSystemInfoSync": system,
        "getDeviceInfo": system,
        "getWindowInfo": system,
        "getAppBaseInfo": system,
        "getClipboardData": {"data": "hegui-clipboard"},
        "getNetworkType": {"networkType": "wifi"},
        "getConnectedWifi": {"wifi": {"SSID": "hegui-wifi", "BSSID": "02:00:00:00:00:01"}},
        "getUserProfile": user,
        "getUserInfo": user,
        "login": {"code": "hegui-login-code"},
        "getPrivacySetting": {"needAuthorization": true, "privacyContractName": "《隐私保护指引》"},
        "getSetting": {"authSetting": {}},
        "authorize": {},
        "getWeRunData": {"encryptedData": "", "iv": ""},
        "chooseAddress": {"userName": "hegui", "telNumber": PHONE, "provinceName": "北京市",
        "cityName": "北京市", "countyName": "东城区", "detailInfo": "hegui"},
        "startSoterAuthentication": {"authMode": "fingerPrint", "resultJSON": "", "resultJSONSignature": ""},
    });
    let mut known: Vec<&str> = COMMON.to_vec();
    known.extend(ANSWERED);
    known.extend(SIMULATED);
    known.extend(
        hegui_knowledge::miniprogram_apis()
            .apis
            .iter()
            .map(|a| a.name.as_str()),
    );
    known.sort_unstable();
    known.dedup();
    // What the platform fails after a refusal: the catalogue's privacy interfaces.
    let privacy: Vec<&str> = hegui_knowledge::miniprogram_apis()
        .apis
        .iter()
        .filter(|a| a.kind == "api" && a.category != "none")
        .map(|a| a.name.as_str())
        .collect();
    serde_json::json!({"answers": answers, "network": NETWORK, "known": known, "privacy": privacy})
        .to_string()
}

/// The values a request may carry, for the trace's `fixtures` block.
pub fn fixtures() -> serde_json::Value {
    serde_json::json!({
        "phone_number": PHONE,
        "latitude": LATITUDE.to_string(),
        "longitude": LONGITUDE.to_string(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_answered_api_has_an_answer() {
        let profile: serde_json::Value =
            serde_json::from_str(&super::json()).expect("profile is JSON");
        for name in super::ANSWERED {
            assert!(profile["answers"].get(name).is_some(), "{name}");
        }
    }
}
