//! Categories of personal information (PI) that privacy-relevant APIs expose.

use serde::{Deserialize, Serialize};

/// What kind of personal information an API, permission or SDK touches.
///
/// Serialised in snake_case; the names are part of the report contract.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PiCategory {
    /// IMEI, MEID, IMSI, ICCID, hardware serial: non-resettable device identifiers.
    DeviceId,
    /// Settings.Secure.ANDROID_ID.
    AndroidId,
    /// Wi-Fi / Bluetooth / network-interface MAC addresses.
    MacAddress,
    /// Resettable advertising identifiers (OAID, GAID, VAID, AAID).
    AdvertisingId,
    /// The device's own phone number.
    PhoneNumber,
    /// Precise or coarse location, cell location, GNSS.
    Location,
    /// The list of installed or running applications.
    InstalledApps,
    Clipboard,
    Contacts,
    CallLog,
    Sms,
    Calendar,
    Camera,
    Microphone,
    Accounts,
    /// SSID, BSSID, scan results: network environment that reveals location.
    WifiInfo,
    /// Bluetooth scanning and bonded devices.
    Bluetooth,
    Sensors,
    /// Photos, videos and files in shared storage.
    Media,
    /// Body sensors, activity recognition, health data.
    Health,
    /// Screen capture.
    Screen,
    /// Device model, OS version, screen, CPU: not identifying alone, PI in combination.
    DeviceInfo,
    /// IP address, carrier, network type.
    NetworkInfo,
    /// In-app behaviour and event logs.
    Usage,
    /// Real name, ID-card number.
    Identity,
    /// Face, voiceprint, fingerprint templates.
    Biometrics,
    /// Orders, payment accounts and transactions.
    Payment,
    /// Nickname, avatar, gender, birthday, e-mail and postal address: what a profile holds.
    Profile,
}

impl PiCategory {
    pub const ALL: &'static [PiCategory] = &[
        Self::DeviceId,
        Self::AndroidId,
        Self::MacAddress,
        Self::AdvertisingId,
        Self::PhoneNumber,
        Self::Location,
        Self::InstalledApps,
        Self::Clipboard,
        Self::Contacts,
        Self::CallLog,
        Self::Sms,
        Self::Calendar,
        Self::Camera,
        Self::Microphone,
        Self::Accounts,
        Self::WifiInfo,
        Self::Bluetooth,
        Self::Sensors,
        Self::Media,
        Self::Health,
        Self::Screen,
        Self::DeviceInfo,
        Self::NetworkInfo,
        Self::Usage,
        Self::Identity,
        Self::Biometrics,
        Self::Payment,
        Self::Profile,
    ];

    /// The stable snake_case id used in JSON and data tables.
    pub fn id(self) -> &'static str {
        match self {
            Self::DeviceId => "device_id",
            Self::AndroidId => "android_id",
            Self::MacAddress => "mac_address",
            Self::AdvertisingId => "advertising_id",
            Self::PhoneNumber => "phone_number",
            Self::Location => "location",
            Self::InstalledApps => "installed_apps",
            Self::Clipboard => "clipboard",
            Self::Contacts => "contacts",
            Self::CallLog => "call_log",
            Self::Sms => "sms",
            Self::Calendar => "calendar",
            Self::Camera => "camera",
            Self::Microphone => "microphone",
            Self::Accounts => "accounts",
            Self::WifiInfo => "wifi_info",
            Self::Bluetooth => "bluetooth",
            Self::Sensors => "sensors",
            Self::Media => "media",
            Self::Health => "health",
            Self::Screen => "screen",
            Self::DeviceInfo => "device_info",
            Self::NetworkInfo => "network_info",
            Self::Usage => "usage",
            Self::Identity => "identity",
            Self::Biometrics => "biometrics",
            Self::Payment => "payment",
            Self::Profile => "profile",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.id() == id)
    }

    /// Human name in zh-CN and English.
    pub fn label(self) -> crate::Localized {
        let (zh, en) = match self {
            Self::DeviceId => (
                "设备标识符（IMEI/IMSI/序列号等）",
                "device identifiers (IMEI/IMSI/serial)",
            ),
            Self::AndroidId => ("Android ID", "Android ID"),
            Self::MacAddress => ("MAC 地址", "MAC address"),
            Self::AdvertisingId => (
                "广告标识符（OAID 等）",
                "advertising identifier (OAID etc.)",
            ),
            Self::PhoneNumber => ("本机电话号码", "own phone number"),
            Self::Location => ("位置信息", "location"),
            Self::InstalledApps => ("已安装应用列表", "installed-app list"),
            Self::Clipboard => ("剪切板", "clipboard"),
            Self::Contacts => ("通讯录", "contacts"),
            Self::CallLog => ("通话记录", "call log"),
            Self::Sms => ("短信", "SMS"),
            Self::Calendar => ("日历", "calendar"),
            Self::Camera => ("摄像头", "camera"),
            Self::Microphone => ("麦克风/录音", "microphone"),
            Self::Accounts => ("账户信息", "accounts"),
            Self::WifiInfo => ("WLAN 信息（SSID/BSSID）", "Wi-Fi information (SSID/BSSID)"),
            Self::Bluetooth => ("蓝牙设备信息", "Bluetooth devices"),
            Self::Sensors => ("传感器", "sensors"),
            Self::Media => ("照片/媒体文件", "photos and media"),
            Self::Health => ("健康/身体传感器", "health and body sensors"),
            Self::Screen => ("屏幕内容", "screen content"),
            Self::DeviceInfo => (
                "设备信息（型号/系统版本等）",
                "device information (model, OS)",
            ),
            Self::NetworkInfo => (
                "网络信息（IP/运营商/网络类型）",
                "network information (IP, carrier)",
            ),
            Self::Usage => ("使用行为记录", "in-app usage and events"),
            Self::Identity => ("身份信息（姓名/身份证号）", "identity (name, ID number)"),
            Self::Biometrics => ("生物识别信息", "biometric data"),
            Self::Payment => ("支付与交易信息", "payment and transaction data"),
            Self::Profile => (
                "个人资料（昵称/头像/性别/生日/邮箱/地址）",
                "profile (nickname, avatar, gender, birthday, e-mail, address)",
            ),
        };
        crate::Localized::new(zh, en)
    }

    /// Sensitive PI in the sense of PIPL art. 28 / GB/T 35273 Annex B.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            Self::Location
                | Self::Contacts
                | Self::CallLog
                | Self::Sms
                | Self::Health
                | Self::Media
                | Self::Identity
                | Self::Biometrics
                | Self::Payment
        )
    }
}
