//! Term tables, written by us: how policies name each kind of PI (Chinese and English), and
//! how they name SDKs (derived from the SDK catalogue's names). Matched with Aho-Corasick over
//! the normalised text, so the cost is one pass however many terms there are.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use hegui_knowledge::SdkCatalog;
use hegui_model::PiCategory;

use PiCategory::*;

/// (category, terms). Longer terms win over shorter ones at the same place.
#[rustfmt::skip]
const PI_TERMS: &[(PiCategory, &[&str])] = &[
    (DeviceId, &[
        "设备标识符", "设备标识", "设备识别码", "设备唯一标识", "唯一设备识别码", "IMEI", "MEID", "IMSI", "ICCID", "设备序列号",
        "硬件序列号", "IDFV", "UDID", "device identifier", "device ID", "serial number",
        "unique device", "OPENUDID", "GUID", "设备ID", "设备 ID",
        "唯一标志", "唯一标识", "电话状态", "国际移动用户识别码", "网络身份标识", "SIM卡", "SIM 卡",
    ]),
    (AndroidId, &[
        "Android ID", "AndroidID", "安卓ID",
        "android_id",
    ]),
    (MacAddress, &[
        "MAC地址", "MAC 地址", "MAC address", "Mac地址",
    ]),
    (AdvertisingId, &[
        "OAID", "IDFA", "GAID", "广告标识符", "广告标识", "advertising identifier", "advertising ID",
        "AAID", "VAID",
    ]),
    (PhoneNumber, &[
        "手机号码", "手机号", "电话号码", "phone number", "mobile number", "telephone number",
    ]),
    (Location, &[
        "位置信息", "地理位置", "定位信息", "精确位置", "精准定位", "行踪轨迹", "GPS", "经纬度", "location", "geolocation",
        "geo-location", "位置相关", "所在位置", "出发地", "到达地", "目的地", "途经地点", "路线", "行程信息", "里程",
        "定位", "经纬度",
    ]),
    (InstalledApps, &[
        "应用列表", "软件列表", "应用安装列表", "已安装应用", "已安装的应用", "安装的应用", "应用程序列表", "installed applications",
        "installed apps", "app list",
    ]),
    (Clipboard, &[
        "剪切板", "剪贴板", "粘贴板", "clipboard",
    ]),
    (Contacts, &[
        "通讯录", "联系人", "contacts", "address book",
    ]),
    (CallLog, &[
        "通话记录", "通话信息", "通话内容", "通话时长", "call log",
    ]),
    (Sms, &[
        "短信", "短消息", "SMS", "text message",
    ]),
    (Calendar, &[
        "日历", "calendar",
    ]),
    (Camera, &[
        "摄像头", "相机", "拍摄", "camera",
    ]),
    (Microphone, &[
        "麦克风", "录音", "语音信息", "microphone", "voice recording", "语音指令", "语音内容",
    ]),
    (WifiInfo, &[
        "WLAN", "WiFi", "Wi-Fi", "无线网络", "SSID", "BSSID", "wireless network",
    ]),
    (Bluetooth, &[
        "蓝牙", "bluetooth",
    ]),
    (Sensors, &[
        "传感器", "加速度", "陀螺仪", "sensor", "accelerometer", "gyroscope",
    ]),
    (Media, &[
        "相册", "照片", "相片", "图片", "视频", "存储权限", "外部存储", "SD卡", "photo", "album", "storage",
    ]),
    (Health, &[
        "健康信息", "运动步数", "步数", "心率", "health", "fitness", "step count",
    ]),
    (Screen, &[
        "截屏", "截图", "录屏", "screenshot", "screen recording",
    ]),
    (DeviceInfo, &[
        "设备信息", "设备型号", "设备名称", "操作系统", "系统版本", "硬件型号", "设备属性", "分辨率", "device information",
        "device model", "operating system", "OS version", "hardware model", "设备厂商", "设备品牌",
        "设备平台", "终端型号", "软件版本",
        "设备制造商", "手机型号", "系统类型", "系统信息",
    ]),
    (NetworkInfo, &[
        "IP地址", "IP 地址", "网络类型", "运营商", "网络状态", "网络信息", "接入网络", "IP address", "network type",
        "mobile carrier", "network information",
        "网络地址", "IP信息", "IP 信息", "运营商信息",
    ]),
    (Usage, &[
        "日志信息", "浏览记录", "使用记录", "操作日志", "搜索记录", "点击记录", "访问记录", "观看记录", "使用情况",
        "log information", "log data", "usage data", "browsing history", "search history",
        "cookie", "行为信息", "操作信息", "偏好", "收藏", "发布的信息", "发布内容", "诊断信息", "日志", "用户画像", "搜索关键字",
        "违规行为",
    ]),
    (Identity, &[
        "身份证号码", "身份证号", "身份证", "真实姓名", "证件号码", "证件信息", "实名认证", "护照", "姓名", "real name", "full name",
        "identity card", "ID card", "passport", "身份信息", "身份识别", "身份证明", "驾驶证", "行驶证", "车辆信息",
    ]),
    (Biometrics, &[
        "人脸", "面部识别", "面部特征", "面容", "指纹", "声纹", "生物识别", "虹膜", "facial", "face recognition",
        "fingerprint", "biometric", "voiceprint", "生物特征",
    ]),
    (Payment, &[
        "支付信息", "银行卡", "银行账号", "银行账户", "交易记录", "交易信息", "订单信息", "支付账号", "支付记录",
        "payment information", "bank account", "bank card", "credit card", "transaction",
        "purchase history", "支付账户", "消费记录", "订购记录", "信用信息", "信用状况", "信用分", "信用报告", "支付相关", "提现",
    ]),
    (Accounts, &[
        "用户名", "账号信息", "账户信息", "密码", "登录信息", "微信号", "username", "password",
        "account information",
    ]),
    (Profile, &[
        "昵称", "头像", "性别", "生日", "出生日期", "年龄", "电子邮件", "电子邮箱", "邮箱地址", "联系方式", "联系地址", "家庭住址",
        "收货地址", "个性签名", "职业", "学历", "nickname", "avatar", "gender", "birthday", "date of birth",
        "email address", "postal address",
    ]),
];

/// Mentions of personal information in general: data-type mentions without a category.
pub const GENERIC_PI_TERMS: &[&str] = &[
    "个人信息",
    "个人数据",
    "用户信息",
    "个人敏感信息",
    "敏感个人信息",
    "前述信息",
    "上述信息",
    "personal information",
    "personal data",
];

pub struct PiLexicon {
    matcher: Option<AhoCorasick>,
    categories: Vec<PiCategory>,
}

pub fn pi_lexicon() -> &'static PiLexicon {
    static L: OnceLock<PiLexicon> = OnceLock::new();
    L.get_or_init(|| {
        let mut terms = Vec::new();
        let mut categories = Vec::new();
        for (category, list) in PI_TERMS {
            for term in *list {
                terms.push(*term);
                categories.push(*category);
            }
        }
        PiLexicon {
            matcher: matcher(&terms),
            categories,
        }
    })
}

/// An automaton over the terms, or none when they cannot make one (only a pathological
/// `--sdk-db` could do that): nothing is then found, nothing fails.
fn matcher(terms: &[&str]) -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(terms)
        .ok()
}

/// Matches of an optional automaton.
fn find_all<'t>(
    matcher: &'t Option<AhoCorasick>,
    text: &'t str,
) -> impl Iterator<Item = aho_corasick::Match> + 't {
    matcher.iter().flat_map(move |m| m.find_iter(text))
}

/// An ASCII term must stand alone: `location` is not inside `allocation`.
fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let term = &text[start..end];
    if !term.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return true;
    }
    !alnum(text[..start].chars().next_back()) && !alnum(text[end..].chars().next())
}

impl PiLexicon {
    /// (byte range, category) of every term in the text.
    pub fn find(&self, text: &str) -> Vec<(std::ops::Range<usize>, PiCategory)> {
        find_all(&self.matcher, text)
            .filter(|m| at_word_boundary(text, m.start(), m.end()))
            .filter_map(|m| {
                let category = *self.categories.get(m.pattern().as_usize())?;
                Some((m.start()..m.end(), category))
            })
            .collect()
    }
}

/// Every data-type mention: categorised terms and general ones (`个人信息`, category `None`).
pub fn data_mentions(text: &str) -> Vec<(std::ops::Range<usize>, Option<PiCategory>)> {
    static GENERIC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let generic = GENERIC.get_or_init(|| matcher(GENERIC_PI_TERMS));
    let mut out: Vec<_> = pi_lexicon()
        .find(text)
        .into_iter()
        .map(|(r, c)| (r, Some(c)))
        .collect();
    out.extend(find_all(generic, text).map(|m| (m.start()..m.end(), None)));
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// Latin words of SDK names that name a vendor or a kind of SDK, not one SDK.
const NOT_AN_SDK_NAME: &[&str] = &[
    "android",
    "google",
    "tencent",
    "alibaba",
    "baidu",
    "huawei",
    "xiaomi",
    "meizu",
    "vivo",
    "oppo",
    "honor",
    "apple",
    "analytics",
    "mobile",
    "services",
    "service",
    "library",
    "libraries",
    "push",
    "share",
    "login",
    "payment",
    "maps",
    "cloud",
    "messaging",
    "platform",
    "manager",
    "open",
    "core",
    "base",
    "common",
    "action",
    "auth",
    "authentication",
    "integrity",
    "verification",
    "verify",
    "performance",
    "crash",
    "reporting",
    "location",
    "live",
    "video",
    "audio",
    "face",
    "voice",
    "speech",
    "image",
    "camera",
    "scan",
    "browser",
    "engine",
    "network",
    "security",
    "update",
    "updates",
    "reviews",
    "delivery",
    "feature",
    "features",
    "components",
    "standard",
    "support",
    "tools",
    "utils",
    "client",
    "connect",
    "account",
    "identity",
    "data",
    "device",
    "detection",
    "recognition",
    "monitor",
    "monitoring",
    "message",
    "messages",
    "notification",
    "notifications",
    "ads",
    "advertising",
    "marketing",
    "with",
    "from",
    "into",
    "oaid",
    "gaid",
    "idfa",
    "imei",
];

/// How policies name each catalogued SDK: the catalogue's `aliases` (written for this) and
/// the distinctive Latin words of its names.
pub struct SdkNames {
    matcher: Option<AhoCorasick>,
    /// For each name: the SDK ids it may mean.
    ids: Vec<Vec<String>>,
}

pub fn sdk_names(catalog: &SdkCatalog) -> SdkNames {
    let mut names: Vec<String> = Vec::new();
    let mut ids: Vec<Vec<String>> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for sdk in catalog.iter().filter(|s| !s.is_framework()) {
        let mut all = sdk.aliases.clone();
        all.extend(aliases(&sdk.name.zh, &sdk.name.en));
        for alias in all {
            let key = alias.to_ascii_lowercase();
            match index.get(&key).copied() {
                Some(i) => {
                    if let Some(v) = ids.get_mut(i)
                        && !v.contains(&sdk.id)
                    {
                        v.push(sdk.id.clone());
                    }
                }
                None => {
                    index.insert(key, names.len());
                    names.push(alias);
                    ids.push(vec![sdk.id.clone()]);
                }
            }
        }
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    SdkNames {
        matcher: matcher(&refs),
        ids,
    }
}

/// Run `f` with the SDK-name matcher of `catalog`: built once for the built-in catalogue,
/// per call for a catalogue extended with `--sdk-db`.
pub fn with_sdk_names<T>(catalog: &SdkCatalog, f: impl FnOnce(&SdkNames) -> T) -> T {
    static BUILT_IN: OnceLock<SdkNames> = OnceLock::new();
    if std::ptr::eq(catalog, hegui_knowledge::sdk_catalog()) {
        f(BUILT_IN.get_or_init(|| sdk_names(catalog)))
    } else {
        f(&sdk_names(catalog))
    }
}

/// Distinctive Latin words (four letters or more) of an SDK's names, minus vendor and
/// category words. Chinese names come from the catalogue's `aliases`: word boundaries
/// cannot tell a brand from an ordinary word there.
pub fn aliases(zh: &str, en: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in [zh, en] {
        for token in name.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '+')) {
            let token = token.trim_matches(|c: char| c == '-');
            let latin = token.chars().filter(char::is_ascii_alphabetic).count();
            let lower = token.to_ascii_lowercase();
            let generic = NOT_AN_SDK_NAME.contains(&lower.as_str()) || lower == "sdk";
            if latin >= 4 && !generic && !out.iter().any(|o| o.eq_ignore_ascii_case(token)) {
                out.push(token.to_string());
            }
        }
    }
    out
}

impl SdkNames {
    /// (byte range, name index) of every SDK name in the text.
    pub fn find(&self, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        find_all(&self.matcher, text)
            .filter(|m| at_word_boundary(text, m.start(), m.end()))
            .map(|m| (m.start()..m.end(), m.pattern().as_usize()))
            .collect()
    }

    pub fn ids(&self, name: usize) -> &[String] {
        self.ids.get(name).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pi_terms_and_word_boundaries() {
        let found =
            pi_lexicon().find("我们收集IMEI、位置信息和剪切板; allocation of the Location data");
        let cats: Vec<PiCategory> = found.iter().map(|f| f.1).collect();
        assert_eq!(cats, [DeviceId, Location, Clipboard, Location]);
    }

    #[test]
    fn sdk_aliases() {
        assert_eq!(
            aliases("友盟+ U-App 统计分析", "Umeng U-App Analytics"),
            ["U-App", "Umeng"]
        );
        assert_eq!(aliases("腾讯 Bugly", "Tencent Bugly"), ["Bugly"]);
        assert!(
            aliases(
                "腾讯广告用户行为数据上报 SDK",
                "Tencent Ads Action SDK (GDTAction)"
            )
            .contains(&"GDTAction".to_string())
        );
        let names = sdk_names(hegui_knowledge::sdk_catalog());
        let text = "我们接入了Umeng SDK与腾讯Bugly。";
        let ids: Vec<&str> = names
            .find(text)
            .iter()
            .flat_map(|(_, i)| names.ids(*i))
            .map(String::as_str)
            .collect();
        assert!(ids.contains(&"bugly") && ids.contains(&"umeng"), "{ids:?}");
    }
}
