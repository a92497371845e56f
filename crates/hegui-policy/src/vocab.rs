//! hegui's PI vocabulary for policy text, written by us from GB/T 35273-2020 Annex A/B, the
//! 2021 necessary-PI rules and how Chinese and English policies name PI. Each fine type
//! belongs to one catalogue category (what package facts are compared with) and says whether
//! it is sensitive PI (Annex B / PIPL art. 28).

use hegui_model::PiCategory;
use hegui_model::PiCategory::*;

pub struct PiType {
    /// Stable snake_case id, reported as `pi_type`.
    pub id: &'static str,
    pub category: PiCategory,
    pub sensitive: bool,
    /// How texts name it; longer terms win at the same place. ASCII terms match whole words.
    pub terms: &'static [&'static str],
}

const fn t(
    id: &'static str,
    category: PiCategory,
    sensitive: bool,
    terms: &'static [&'static str],
) -> PiType {
    PiType {
        id,
        category,
        sensitive,
        terms,
    }
}

const S: bool = true;
const G: bool = false;

#[rustfmt::skip]
pub const PI_TYPES: &[PiType] = &[
    // Device identifiers.
    t("imei", DeviceId, G, &["IMEI", "国际移动设备识别码", "国际移动设备身份码", "国际移动设备身份识别码", "移动设备识别码", "移动设备身份码"]),
    t("meid", DeviceId, G, &["MEID", "ESN"]),
    t("imsi", DeviceId, G, &["IMSI", "国际移动用户识别码", "ICCID", "SIM卡", "SIM 卡", "SIM卡序列号", "SIM卡信息", "SIM信息", "SIM 卡信息", "用户识别卡"]),
    t("serial_number", DeviceId, G, &["设备序列号", "硬件序列号", "序列号", "serial number", "SN码"]),
    t("device_identifier", DeviceId, G, &[
        "设备标识符", "设备标识", "设备识别码", "设备识别信息", "设备唯一标识", "唯一设备识别码", "唯一设备标识", "设备ID", "设备 ID",
        "唯一标志", "唯一标识", "网络身份标识", "网络身份识别", "设备码", "手机唯一标识", "独立设备标识", "设备唯一识别码",
        "UDID", "OPENUDID", "GUID", "UUID", "device identifier", "device ID", "unique device", "unique identifier",
        "电话状态", "硬件标识", "设备指纹",
    ]),
    t("android_id", AndroidId, G, &["Android ID", "AndroidID", "安卓ID", "安卓 ID", "android_id", "SSAID"]),
    t("mac_address", MacAddress, G, &["MAC地址", "MAC 地址", "Mac地址", "MAC", "网卡地址", "网络设备硬件地址", "硬件地址", "MAC address", "网卡(MAC)地址", "网卡"]),
    t("advertising_id", AdvertisingId, G, &[
        "OAID", "IDFA", "GAID", "AAID", "VAID", "广告标识符", "广告标识", "广告主标识符", "安卓广告主标识符", "广告ID",
        "匿名设备标识符", "匿名设备标识", "开放匿名设备标识符", "advertising identifier", "advertising ID", "ad ID",
    ]),
    t("idfv", DeviceId, G, &["IDFV", "供应商标识符"]),
    // Phone numbers and verification.
    t("phone_number", PhoneNumber, G, &["手机号码", "手机号", "电话号码", "联系电话", "本机号码", "本机电话号码", "移动电话", "phone number", "mobile number", "telephone number", "手机号码信息"]),
    t("verification_code", Accounts, G, &["验证码", "短信验证码", "手机验证码", "verification code"]),
    // Location.
    t("precise_location", Location, S, &["精确位置", "精准定位", "精准位置", "精确定位", "精确地理位置", "GPS", "经纬度", "北斗", "GNSS", "precise location"]),
    t("location", Location, S, &[
        "位置信息", "地理位置", "定位信息", "位置", "位置数据", "地理标记", "地点", "location", "geolocation", "geo-location",
        "所在位置", "位置相关", "坐标", "GPS位置", "设备位置",
    ]),
    t("trajectory", Location, S, &["行踪轨迹", "行动轨迹", "运动轨迹", "轨迹", "行程信息", "行程", "出行记录", "出发地", "到达地", "目的地", "途经地点", "路线", "里程", "住宿信息", "酒店入住"]),
    t("coarse_location", Location, G, &["所在地区", "所在城市", "所在地", "常驻城市", "国家和地区"]),
    t("base_station", Location, G, &["基站", "基站信息", "小区信息", "蜂窝", "cell ID", "cell tower", "cell location"]),
    // Apps and processes.
    t("installed_apps", InstalledApps, G, &[
        "应用列表", "软件列表", "应用安装列表", "已安装应用", "已安装的应用", "安装的应用", "应用程序列表", "安装列表", "应用安装信息",
        "曾使用的移动应用", "已安装软件", "installed applications", "installed apps", "app list",
    ]),
    t("running_processes", InstalledApps, G, &["运行中的进程", "正在运行的进程", "进程信息", "进程列表", "运行进程", "后台进程", "进程", "running processes"]),
    t("clipboard", Clipboard, G, &["剪切板", "剪贴板", "粘贴板", "clipboard"]),
    // Social graph and communications (Annex B: contacts, friend and group lists, records and
    // contents of communication are sensitive).
    t("contacts", Contacts, S, &["通讯录", "联系人", "通信录", "手机联系人", "contacts", "address book"]),
    t("friend_list", Contacts, S, &["好友列表", "好友关系", "好友信息", "关注列表", "粉丝列表", "群组列表", "群组信息", "社交关系", "关系链", "friend list"]),
    t("call_log", CallLog, S, &["通话记录", "通话信息", "通话内容", "通话时长", "通讯记录", "通信记录", "通讯时间", "曾通讯的账号", "call log", "call history"]),
    t("sms", Sms, S, &["短信", "短消息", "短信内容", "彩信", "SMS", "text message"]),
    t("communication_content", Usage, S, &["聊天记录", "聊天内容", "聊天信息", "通信内容", "通讯内容", "私信", "消息记录", "消息内容", "交友记录"]),
    t("calendar", Calendar, G, &["日历", "日程", "calendar"]),
    // Device capabilities.
    t("camera", Camera, G, &["摄像头", "相机", "拍摄", "拍照", "录像", "扫码", "camera"]),
    t("microphone", Microphone, G, &["麦克风", "录音", "语音信息", "语音内容", "语音指令", "语音输入", "语音数据", "音频", "声音", "microphone", "voice recording"]),
    t("wifi", WifiInfo, G, &["WLAN", "WiFi", "Wi-Fi", "WIFI", "无线网络", "无线局域网", "SSID", "BSSID", "无线接入点", "接入点", "wireless network"]),
    t("bluetooth", Bluetooth, G, &["蓝牙", "bluetooth"]),
    t("sensors", Sensors, G, &["传感器", "加速度", "加速器", "陀螺仪", "重力感应", "方向感应", "光线感应", "距离感应", "sensor", "accelerometer", "gyroscope"]),
    t("media", Media, G, &["相册", "照片", "相片", "图片", "视频内容", "视频文件", "图像", "媒体文件", "存储权限", "外部存储", "存储空间", "外置存储", "SD卡", "photo", "album", "storage"]),
    t("screen", Screen, G, &["截屏", "截图", "录屏", "屏幕内容", "screenshot", "screen recording"]),
    // Health (Annex B: medical records are sensitive; height, weight, steps are not).
    t("health", Health, S, &["健康信息", "健康状况", "病历", "病史", "病症", "就诊", "体检", "诊疗", "用药", "过敏", "health"]),
    t("fitness", Health, G, &["运动步数", "步数", "心率", "体重", "身高", "睡眠", "运动数据", "运动记录", "血压", "血糖", "体脂", "fitness", "step count", "heart rate"]),
    // Device and software.
    t("device_info", DeviceInfo, G, &[
        "设备信息", "设备型号", "设备名称", "设备类型", "设备属性", "设备设置", "设备配置", "设备环境", "设备状态", "设备参数", "设备厂商",
        "设备品牌", "设备平台", "设备制造商", "终端型号", "终端设备", "终端信息", "终端制造厂商", "手机型号", "手机品牌", "移动设备型号",
        "硬件型号", "硬件信息", "软硬件特征", "分辨率", "屏幕尺寸", "屏幕分辨率", "CPU", "处理器", "硬盘", "内存", "存储内存",
        "机型", "device information", "device model", "hardware model", "device type",
    ]),
    t("os_info", DeviceInfo, G, &["操作系统", "系统版本", "系统类型", "系统信息", "系统语言", "语言设置", "使用的语言", "使用语言", "时区", "OS version", "operating system", "系统设置"]),
    t("software_info", DeviceInfo, G, &[
        "软件版本", "软件信息", "应用版本", "应用程序版本", "版本号", "应用信息", "应用ID", "应用标识符", "SDK版本", "浏览器类型",
        "browser type", "app version",
    ]),
    t("battery", DeviceInfo, G, &["电池使用情况", "电池状态", "电池", "电量", "充电状态", "battery"]),
    t("app_source", Usage, G, &["应用来源", "应用程序的来源", "应用分发渠道", "安装来源", "下载渠道", "渠道来源", "渠道号", "渠道信息"]),
    // Network.
    t("ip_address", NetworkInfo, G, &["IP地址", "IP 地址", "IP", "IP信息", "IP 信息", "网络地址", "IP address"]),
    t("network_info", NetworkInfo, G, &[
        "网络类型", "网络状态", "网络信息", "接入网络", "网络接入方式", "网络质量", "网络环境", "网络连接", "信号强度", "移动网络",
        "运营商", "电信运营商", "运营商信息", "互联网服务提供商", "PLMN", "network type", "mobile carrier", "network information",
    ]),
    // Behaviour.
    t("log", Usage, G, &[
        "日志信息", "日志", "日志记录", "网络日志", "服务日志", "操作日志", "登录日志", "崩溃日志", "错误日志", "诊断信息",
        "崩溃数据", "崩溃记录", "性能数据", "访问日期", "访问时间", "cookie", "Cookies", "log information", "log data", "元数据", "会话启动",
        "URL", "网页记录", "IP访问记录",
    ]),
    t("browsing_history", Usage, S, &["浏览记录", "浏览信息", "浏览历史", "网页浏览记录", "上网记录", "浏览内容", "browsing history"]),
    t("search_terms", Usage, G, &["搜索记录", "搜索关键字", "搜索关键词", "搜索词", "搜索词语", "网页搜索词语", "搜索查询", "查询记录", "搜索内容", "search history", "search terms"]),
    t("usage", Usage, G, &[
        "使用记录", "使用情况", "使用时长", "使用频率", "使用习惯", "使用信息", "行为信息", "行为数据", "操作信息", "操作记录",
        "点击记录", "访问记录", "观看记录", "播放记录", "收听记录", "阅读记录", "游戏记录", "游戏日志", "游戏数据",
        "对局", "违规行为", "usage data", "usage information",
    ]),
    t("preferences", Usage, G, &["偏好", "兴趣爱好", "用户画像", "画像标签", "画像", "个性化标签", "喜好", "interests"]),
    t("user_content", Usage, G, &["发布的信息", "发布内容", "发布信息", "分享信息", "上传的内容", "弹幕", "留言", "反馈内容", "帖子"]),
    // Identity (Annex B: identity documents are sensitive; a name is not).
    t("id_document", Identity, S, &[
        "身份证号码", "身份证号", "身份证", "身份证件", "证件号码", "证件号", "证件信息", "证件类型", "证件照", "有效证件", "有效身份证件",
        "护照", "驾驶证", "驾照", "行驶证", "军官证", "社保卡", "居住证", "工作证", "港澳通行证", "台胞证", "户口本", "身份证明",
        "实名信息", "实名身份", "身份信息", "身份识别", "真实身份", "identity card", "ID card", "passport", "driver's license",
    ]),
    t("name", Identity, G, &["姓名", "真实姓名", "名字", "持卡人姓名", "收货人姓名", "联系人姓名", "real name", "full name", "your name"]),
    t("criminal_record", Identity, S, &["犯罪记录", "违法犯罪记录", "无犯罪记录"]),
    t("vehicle", Identity, G, &["车牌号", "车牌", "车辆信息", "车架号", "发动机号"]),
    t("face", Biometrics, S, &["人脸", "面部", "面容", "脸部", "刷脸", "facial", "face recognition", "Face ID"]),
    t("biometrics", Biometrics, S, &[
        "指纹", "声纹", "生物识别", "生物特征", "虹膜", "掌纹", "步态", "耳廓", "fingerprint", "biometric", "voiceprint",
        "Touch ID",
    ]),
    // Money (Annex B: accounts, deposits, credit, transaction and consumption records).
    t("bank_account", Payment, S, &["银行卡", "银行账号", "银行账户", "银行卡号", "卡号", "信用卡", "借记卡", "开户行", "CVV", "bank account", "bank card", "credit card"]),
    t("payment", Payment, S, &[
        "支付信息", "支付账号", "支付账户", "支付记录", "支付方式", "付款方式", "支付状态", "支付宝账号", "支付相关",
        "账单", "余额", "提现", "充值记录", "消费记录", "消费信息", "收入", "存款", "财产信息", "资产", "虚拟财产",
        "虚拟货币", "payment information", "transaction", "purchase history",
    ]),
    t("transaction", Payment, S, &["交易记录", "交易信息", "交易金额", "交易商品", "交易明细", "交易流水", "交易状态", "订单信息", "订单号", "订单编号", "订单状态", "订单金额", "订单详情", "订购记录", "购买记录", "购物记录", "购买信息", "发票"]),
    t("credit", Payment, S, &["信用信息", "信用状况", "信用分", "信用报告", "征信", "芝麻信用", "信贷", "借贷"]),
    // Accounts (Annex B: credentials are sensitive).
    t("account", Accounts, G, &[
        "用户名", "账号信息", "账户信息", "帐号信息", "帐户信息", "登录信息", "登录名", "登录账号",
        "用户ID", "用户 ID", "UID", "微信号", "QQ号", "微博账号", "OpenID", "UnionID",
        "username", "account information", "user ID",
    ]),
    t("credential", Accounts, S, &["密码", "口令", "密保问题", "数字证书", "password", "credentials"]),
    // Profile.
    t("nickname_avatar", Profile, G, &["昵称", "头像", "个性签名", "用户昵称", "微信昵称", "微信头像", "nickname", "avatar", "profile picture"]),
    t("demographics", Profile, G, &["性别", "生日", "出生日期", "出生年月", "年龄", "民族", "国籍", "籍贯", "婚姻状况", "gender", "birthday", "date of birth"]),
    t("email", Profile, G, &["电子邮件", "电子邮箱", "邮箱地址", "邮箱", "电子邮件地址", "email address", "e-mail address"]),
    t("address", Profile, G, &["联系方式", "联系地址", "通讯地址", "通信地址", "家庭住址", "家庭地址", "住址", "地址", "收货地址", "收件地址", "邮政编码", "邮编", "postal address", "mailing address"]),
    t("education_work", Profile, G, &["职业", "学历", "学校", "年级", "班级", "学号", "所在行业", "工作单位", "单位名称", "职务", "职位", "教育经历", "工作经历", "简历", "occupation", "employer"]),
    t("profile", Profile, G, &["个人资料", "注册资料", "基本资料", "个人简介", "个人主页", "社交媒体"]),
    t("special_category", Profile, S, &["宗教信仰", "宗教", "性取向", "政治观点", "婚史"]),
];

/// Words that make a noun phrase a PI type when they stand before a head noun
/// (`游戏对局信息`, `网络质量数据`): the type such a phrase gets.
#[rustfmt::skip]
pub const STEMS: &[(&str, &str)] = &[
    ("设备", "device_info"), ("硬件", "device_info"), ("终端", "device_info"), ("手机", "device_info"), ("屏幕", "device_info"),
    ("系统", "os_info"), ("软件", "software_info"), ("应用", "software_info"), ("版本", "software_info"), ("APP", "software_info"),
    ("网络", "network_info"), ("信号", "network_info"), ("运营商", "network_info"),
    ("账号", "account"), ("帐号", "account"), ("账户", "account"), ("帐户", "account"), ("登录", "account"), ("注册", "profile"),
    ("订单", "transaction"), ("交易", "transaction"), ("购买", "transaction"), ("支付", "payment"), ("消费", "payment"),
    ("充值", "payment"), ("账单", "payment"), ("金额", "payment"), ("银行", "bank_account"), ("财产", "payment"),
    ("游戏", "usage"), ("浏览", "browsing_history"), ("搜索", "search_terms"), ("点击", "usage"), ("访问", "log"), ("使用", "usage"),
    ("操作", "usage"), ("行为", "usage"), ("日志", "log"), ("崩溃", "log"), ("播放", "usage"), ("观看", "usage"), ("阅读", "usage"),
    ("学习", "usage"), ("运动", "fitness"), ("健康", "health"), ("医疗", "health"), ("身体", "health"),
    ("身份", "id_document"), ("证件", "id_document"), ("实名", "id_document"),
    ("位置", "location"), ("地理", "location"), ("定位", "location"), ("地区", "coarse_location"), ("行程", "trajectory"),
    ("照片", "media"), ("图片", "media"), ("视频", "media"), ("音频", "microphone"), ("语音", "microphone"), ("文件", "media"),
    ("好友", "friend_list"), ("联系人", "contacts"), ("通讯", "call_log"), ("聊天", "communication_content"), ("社交", "friend_list"),
    ("兴趣", "preferences"), ("偏好", "preferences"), ("画像", "preferences"), ("会员", "account"), ("个人资料", "profile"),
    ("车辆", "vehicle"), ("教育", "education_work"), ("工作", "education_work"), ("收货", "address"), ("联系", "address"),
    ("技术", "device_info"), ("配置", "device_info"), ("设置", "device_info"), ("安装", "software_info"), ("统计", "usage"),
    ("故障", "log"), ("错误", "log"), ("会话", "log"), ("页面", "log"), ("链接", "log"), ("订阅", "usage"), ("频道", "usage"),
    ("物流", "address"), ("配送", "address"), ("群聊", "communication_content"), ("沟通", "communication_content"),
    ("问卷", "user_content"), ("红包", "payment"), ("额度", "payment"), ("套餐", "transaction"), ("办理", "transaction"),
];

/// Stems that are verbs as well (`使用`, `登录`): they make a phrase with a head noun
/// (`使用记录`) but do not join a term they stand before (`使用GPS` is an act, not a PI).
pub const VERBAL_STEMS: &[&str] = &[
    "使用", "操作", "访问", "点击", "注册", "登录", "购买", "支付", "消费", "充值", "浏览", "搜索",
    "播放", "观看", "阅读", "学习", "安装", "设置", "配置", "办理", "订阅", "联系", "沟通", "配送",
];

/// Nouns that close a PI noun phrase (`…信息`, `…记录`).
pub const HEADS: &[&str] = &[
    "信息",
    "数据",
    "记录",
    "日志",
    "内容",
    "号码",
    "编号",
    "列表",
    "状态",
    "类型",
    "名称",
    "特征",
    "特征值",
    "标识",
    "标识符",
    "详情",
    "明细",
    "历史",
    "资料",
    "情况",
    "版本",
    "品牌",
    "型号",
    "配置",
    "时间",
    "时长",
    "次数",
    "频率",
    "日期",
    "方式",
    "链接",
    "名单",
];

/// The type with this id (the tables above name only ids that exist).
pub fn by_id(id: &str) -> Option<usize> {
    PI_TYPES.iter().position(|t| t.id == id)
}

/// The Android permission group a PI type is read through, as policies and the APPCH
/// annotators use them: identifiers and device/carrier details through `PHONE`
/// (READ_PHONE_STATE), IP addresses, Wi-Fi and cells through `LOCATION`, face data through
/// `CAMERA`. Accounts in the app are not the device's accounts (GET_ACCOUNTS).
pub fn permission_group(type_id: &str) -> Option<&'static str> {
    Some(match type_id {
        "imei" | "meid" | "imsi" | "serial_number" | "device_identifier" | "android_id"
        | "mac_address" | "advertising_id" | "idfv" | "device_info" | "os_info"
        | "network_info" | "call_log" => "PHONE",
        "precise_location" | "location" | "trajectory" | "coarse_location" | "base_station"
        | "wifi" | "ip_address" => "LOCATION",
        "media" => "STORAGE",
        "camera" | "face" => "CAMERA",
        "microphone" => "MICROPHONE",
        "contacts" => "CONTACTS",
        "calendar" => "CALENDAR",
        "sms" => "SMS",
        "sensors" | "fitness" => "SENSORS",
        _ => return None,
    })
}

/// Types that name what the device can do (a camera, messages, sensors) more than data: a
/// list that starts from one is a list of permissions or channels ("短信、邮件、站内信"), not
/// of PI.
pub fn names_a_capability(type_id: &str) -> bool {
    matches!(
        type_id,
        "sms" | "camera" | "calendar" | "wifi" | "bluetooth" | "sensors"
    )
}

/// Groups that policies name in passing (`通过短信通知您`, `拍照上传`): they count when
/// the text collects through them or names them as a permission.
pub fn group_needs_collection(group: &str) -> bool {
    !matches!(group, "PHONE" | "LOCATION")
}
