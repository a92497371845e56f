use std::collections::BTreeMap;

use hegui_model::{ApiAccess, ApiUse, Confidence, Party, PiCategory, Severity};

/// Call sites that read nothing: an SMS send, a write into a provider, a media query for the one file being shared,
/// a capture intent (the user takes the photo in the camera app; it shows CAMERA is used), an
/// audio-output `Visualizer` (it needs RECORD_AUDIO but hears what the app plays).
fn reads_nothing(u: &ApiUse) -> bool {
    matches!(u.access, ApiAccess::Send | ApiAccess::Write)
        || (u.category == PiCategory::Media && u.flow.as_ref().is_some_and(|f| f.selects_one_row))
        || (u.category == PiCategory::Camera && u.api.starts_with("Landroid/content/Intent;->"))
        || u.api.starts_with("Landroid/media/audiofx/Visualizer;->")
}

use super::{MAX_EVIDENCE, code_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 代码中调用可获取个人信息的系统接口（设备标识、位置、剪切板、通讯录、短信、账户等），按个人信息类别和责任方（应用或具名 SDK）汇总，
    /// 证据精确到 DEX 文件、类、方法和指令偏移。已安装应用列表由 AND004 单独检测。
    ///
    /// Call sites of APIs that read personal information (device identifiers, location,
    /// clipboard, contacts, SMS, accounts, …), grouped by category and by who is responsible
    /// (the app or a named SDK), with DEX file, class, method and instruction offset.
    /// The installed-app list has its own rule, AND004.
    ///
    /// Not reported: SMS sends (they need `SEND_SMS`, which AND001/AND002 judge, but read no
    /// message) and a media-store query that selects one row by `_id`/`_data` or an appended
    /// id (the one file being shared or opened, not the photo library), and capture intents
    /// (`ACTION_IMAGE_CAPTURE`: the user takes the photo in the camera app) and audio-output
    /// `Visualizer`s (they need `RECORD_AUDIO` but hear what the app plays). A reviewer counts a
    /// finding as true when a listed call site reads the stated PI.
    ///
    /// Besides direct calls, the facts carry the indirect roads to the same PI (`via`), each
    /// from constants in the calling method only (a name, command or URI computed at run time
    /// is not reported), and each reported with the confidence of a direct call, since the
    /// constant names exactly what is read: `reflection` (`Class.forName("…TelephonyManager")`
    /// with `getMethod("getDeviceId")`), `shell` (`Runtime.exec` /
    /// `ProcessBuilder` running `getprop ro.serialno`, `ip link`, `cat
    /// /sys/class/net/wlan0/address`), `file` (`/sys/class/net/*/address`, `/proc/net/arp`,
    /// the eMMC `cid`/`serial` opened directly), `content-uri` (`ContentResolver.query`,
    /// `CursorLoader`, `managedQuery` whose URI argument the method's data flow ties to a PI
    /// provider: `ContactsContract…CONTENT_URI`, `Uri.parse("content://sms/inbox")`, a URI
    /// built from one, or an app field set to one; as sure as the call. A URI from a parameter
    /// or a returned intent is not judged, and `insert`/`update`/`delete` write rather than
    /// read). Their API is shown with the road taken:
    /// `Ljava/lang/Runtime;->exec (shell: getprop ro.serialno)`. A shell listing of packages
    /// (`pm list packages`) is judged by AND004 with the other app-list reads. Call sites read
    /// and not reported are listed with why in `dismissed_calls`.
    ///
    /// Native libraries (`lib/<abi>/*.so`, one ABI) are reported apart, per category and per
    /// SDK that ships the library, with medium confidence: their constant strings show an
    /// identifier file or command, a serial-number property read with
    /// `__system_property_get`, or a Java privacy API called back through JNI (class and
    /// method names both present), which says what the code can read, not that a call runs.
    ///
    /// Call sites that no entry point reaches (the call graph from manifest components, the
    /// Application, inflated views and fragments, classes the reachable code constructs or
    /// names) are grouped apart and reported at info level with low confidence: library code
    /// the app never calls (compat wrappers, an unused utility class). Each reachable finding's
    /// evidence carries the shortest entry path in the facts (`api_uses[].entry_path`).
    ///
    /// ## 为何违规 / Why it matters
    /// 个人信息保护法第 17 条要求处理前告知收集的个人信息种类；工信部 164 号文第 1 项整治未经同意（含 SDK）收集个人信息；
    /// TC260 权限指南 3.2 g 要求除安全风控外不收集 IMEI、MAC 等不可变更的设备标识。
    /// 静态调用点说明应用具备收集能力：须确认收集发生在用户同意之后，并在隐私政策（含 SDK 清单）中说明。
    ///
    /// PIPL art. 17 requires telling users which PI is processed; notice 164 item 1 targets
    /// collection (by the app or its SDKs) without consent; TC260 3.2 g bars non-resettable
    /// device IDs except for risk control. A call site shows the capability: collection must
    /// follow consent and be disclosed, SDKs included.
    ///
    /// ## 示例 / Example
    /// `com.umeng.analytics.pro.UMDevice.mac()` 调用 `Landroid/net/wifi/WifiInfo;->getMacAddress`。
    ///
    /// ## 整改建议 / How to fix
    /// 删除不必要的收集；必要的收集在用户同意隐私政策后再执行，并在隐私政策和 SDK 清单中逐项说明；设备标识改用 OAID 等可重置标识。
    ///
    /// Drop unnecessary collection; run the rest only after consent and disclose it, per SDK;
    /// use resettable identifiers (OAID) instead of IMEI/MAC.
    ///
    /// ## 依据 / References
    /// MIIT164-01, PIPL-17, AM-2.1, PG20204-3.2g
    pub struct PrivacyApiCall {
        code: "AND003",
        name: "privacy-api-call",
        title: ("调用可获取个人信息的接口", "Code reads personal information"),
        severity: Medium,
        cites: ["MIIT164-01", "PIPL-17", "AM-2.1", "PG20204-3.2g"],
        needs: [AndroidManifest, AndroidCode],
        fix: (
            "删除不必要的收集；必要收集须在用户同意后进行，并在隐私政策及第三方 SDK 清单中逐项说明；设备标识改用 OAID 等可重置标识。",
            "Drop unnecessary collection; collect the rest only after consent and disclose it per SDK; prefer resettable identifiers such as OAID."
        ),
        since: "0.1.0",
    }
}

fn severity_for(category: PiCategory) -> Severity {
    match category {
        PiCategory::DeviceId | PiCategory::MacAddress | PiCategory::PhoneNumber => Severity::High,
        c if c.is_sensitive() => Severity::Medium,
        PiCategory::Clipboard
        | PiCategory::AndroidId
        | PiCategory::Accounts
        | PiCategory::Camera
        | PiCategory::Microphone => Severity::Medium,
        _ => Severity::Low,
    }
}

impl PrivacyApiCall {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        // Unreachable call sites form their own group, reported at info level.
        let mut groups: BTreeMap<(PiCategory, Party, bool), Vec<&ApiUse>> = BTreeMap::new();
        for u in android
            .api_uses
            .iter()
            .filter(|u| u.category != PiCategory::InstalledApps && !reads_nothing(u))
        {
            let unreachable = u.reachable == Some(false);
            groups
                .entry((u.category, ctx.party_of(&u.caller_class), unreachable))
                .or_default()
                .push(u);
        }
        for ((category, party, unreachable), uses) in groups {
            let label = category.label();
            let who = ctx.party_label(&party);
            let mut apis: Vec<String> = uses.iter().map(|u| super::api_label(u)).collect();
            apis.sort_unstable();
            apis.dedup();
            let shown: Vec<&str> = apis.iter().take(5).map(String::as_str).collect();
            let (note_zh, note_en, key) = if unreachable {
                (
                    "（均无法从任何入口点到达：未被调用的代码）",
                    " (none reachable from an entry point: code nothing calls)",
                    format!("{}:unreachable", category.id()),
                )
            } else {
                ("", "", category.id().to_string())
            };
            let mut v = Violation::new(
                format!(
                    "{}在 {} 处调用读取{}的接口：{}{note_zh}。",
                    who.zh,
                    uses.len(),
                    label.zh,
                    shown.join("、")
                ),
                format!(
                    "{} reads {} at {} call site(s): {}{note_en}.",
                    who.en,
                    label.en,
                    uses.len(),
                    shown.join(", ")
                ),
                party.clone(),
                key,
            )
            .pi(category)
            .severity(severity_for(category))
            .evidence(uses.iter().take(MAX_EVIDENCE).map(|u| code_evidence(u)));
            if ctx.is_framework(&party) || unreachable {
                v = v.severity(Severity::Info).confidence(Confidence::Low);
            }
            out.push(v);
        }
        for ((category, party), reads) in super::native_reads(android) {
            if category == PiCategory::InstalledApps {
                continue;
            }
            let label = category.label();
            let who = ctx.party_label(&party);
            let shown = super::native_labels(&reads, 5);
            let libs = super::native_lib_names(&reads);
            let mut v = Violation::new(
                format!(
                    "原生库 {libs}（{}）含 {} 处读取{}的常量：{}。",
                    who.zh,
                    reads.len(),
                    label.zh,
                    shown.join("、")
                ),
                format!(
                    "Native library {libs} ({}) holds {} constant(s) that read {}: {}.",
                    who.en,
                    reads.len(),
                    label.en,
                    shown.join(", ")
                ),
                party.clone(),
                format!("native:{}", category.id()),
            )
            .pi(category)
            .severity(severity_for(category))
            .confidence(Confidence::Medium)
            .evidence(
                reads
                    .iter()
                    .take(MAX_EVIDENCE)
                    .map(|(lib, read)| super::native_evidence(lib, read)),
            );
            if ctx.is_framework(&party) {
                v = v.severity(Severity::Info).confidence(Confidence::Low);
            }
            out.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, api, render, run};

    /// Indirect roads are reported like calls, with the road and its constant shown.
    #[test]
    fn indirect_reads_name_their_road() {
        let mut facts = android();
        let mut serial = api(
            "Ljava/lang/Runtime;->exec",
            PiCategory::DeviceId,
            "com.example.app.Ids",
            "serial",
        );
        serial.via = hegui_model::ApiVia::Shell;
        serial.string_args = vec!["getprop ro.serialno".into()];
        let mut reflected = api(
            "Landroid/telephony/TelephonyManager;->getDeviceId",
            PiCategory::DeviceId,
            "com.example.app.Ids",
            "imei",
        );
        reflected.via = hegui_model::ApiVia::Reflection;
        facts.api_uses = vec![serial, reflected];
        let report = run(&PrivacyApiCall::META, PrivacyApiCall::check, facts);
        assert_eq!(report.findings.len(), 1);
        let message = &report.findings[0].message.en;
        assert!(
            message.contains("Ljava/lang/Runtime;->exec (shell: getprop ro.serialno)"),
            "{message}"
        );
        assert!(
            message.contains("Landroid/telephony/TelephonyManager;->getDeviceId (reflection)"),
            "{message}"
        );
    }

    #[test]
    fn groups_by_category_and_party() {
        let mut facts = android();
        facts.api_uses = vec![
            api(
                "Landroid/telephony/TelephonyManager;->getDeviceId",
                PiCategory::DeviceId,
                "com.example.app.Device",
                "imei",
            ),
            api(
                "Landroid/telephony/TelephonyManager;->getSubscriberId",
                PiCategory::DeviceId,
                "com.example.app.Device",
                "imsi",
            ),
            api(
                "Landroid/net/wifi/WifiInfo;->getMacAddress",
                PiCategory::MacAddress,
                "com.umeng.analytics.pro.UMDevice",
                "mac",
            ),
            api(
                "Landroid/location/LocationManager;->getLastKnownLocation",
                PiCategory::Location,
                "androidx.core.location.LocationManagerCompat",
                "get",
            ),
            api(
                "Landroid/content/pm/PackageManager;->getInstalledPackages",
                PiCategory::InstalledApps,
                "com.example.app.A",
                "b",
            ),
        ];
        let report = run(&PrivacyApiCall::META, PrivacyApiCall::check, facts);
        assert_eq!(report.findings.len(), 3);
        insta::assert_snapshot!("AND003_fail", render(&report.findings));
    }

    #[test]
    fn unreachable_sites_are_info_and_sends_are_not_reads() {
        let mut facts = android();
        let mut reached = api(
            "Landroid/telephony/TelephonyManager;->getDeviceId",
            PiCategory::DeviceId,
            "com.example.app.Device",
            "imei",
        );
        reached.reachable = Some(true);
        let mut wrapper = api(
            "Landroid/telephony/TelephonyManager;->getImei",
            PiCategory::DeviceId,
            "com.example.app.util.Unused",
            "imei",
        );
        wrapper.reachable = Some(false);
        let mut send = api(
            "Landroid/telephony/SmsManager;->sendTextMessage",
            PiCategory::Sms,
            "com.example.app.Sms",
            "send",
        );
        send.access = ApiAccess::Send;
        facts.api_uses = vec![reached, wrapper, send];
        let report = run(&PrivacyApiCall::META, PrivacyApiCall::check, facts);
        assert_eq!(report.findings.len(), 2);
        let info: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .collect();
        assert_eq!(info.len(), 1);
        assert!(info[0].message.en.contains("none reachable"));
    }

    #[test]
    fn quiet_without_privacy_calls() {
        assert!(
            run(&PrivacyApiCall::META, PrivacyApiCall::check, android())
                .findings
                .is_empty()
        );
    }
}
