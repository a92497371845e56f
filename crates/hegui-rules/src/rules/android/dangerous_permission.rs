use hegui_knowledge::permission_info;
use hegui_model::{Party, Severity};

use super::manifest_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 应用在清单中申请的每一项可收集个人信息的危险权限或特殊权限，以及该权限可获取的个人信息类别。
    ///
    /// Every dangerous (runtime) or special permission the manifest requests, with the kinds of
    /// personal information it unlocks.
    ///
    /// All runtime permissions of the current platform count (`CALL_PHONE`, `ANSWER_PHONE_CALLS`
    /// and others that unlock no PI category too: each needs a purpose and a request-time
    /// notice), and the special permissions a user grants in system settings
    /// (`SYSTEM_ALERT_WINDOW`, `WRITE_SETTINGS`, `MANAGE_EXTERNAL_STORAGE`, …). A reviewer
    /// counts a finding as true when the manifest requests the permission (with no
    /// `maxSdkVersion` below the app's minimum).
    ///
    /// ## 为何违规 / Why it matters
    /// 《App违法违规收集使用个人信息行为认定方法》要求申请可收集个人信息的权限时同步告知目的（二.3）；
    /// 工信部 164 号文第 5 项整治强制、频繁、过度索取权限；TC260 权限指南 3.1 a 要求仅申请业务必需的权限。
    /// 每项危险权限都必须有对应的业务场景、在隐私政策中说明，并在申请时告知用途。
    ///
    /// Each such permission must have a business scenario, appear in the privacy policy and be
    /// explained when requested (AM-2019 2.3; MIIT notice 164 item 5; TC260 guide 3.1 a).
    ///
    /// ## 示例 / Example
    /// ```xml
    /// <uses-permission android:name="android.permission.READ_PHONE_STATE"/>
    /// ```
    ///
    /// ## 整改建议 / How to fix
    /// 删除业务不需要的权限；对保留的权限，在隐私政策中逐项说明用途，并在运行时申请前向用户说明目的。
    ///
    /// Remove permissions no feature needs; for the rest, state the purpose in the privacy
    /// policy and tell the user why right before the runtime request.
    ///
    /// ## 依据 / References
    /// MIIT164-05, AM-2.3, PG20204-3.1a, PG20204-3.2b
    pub struct DangerousPermission {
        code: "AND001",
        name: "dangerous-permission",
        title: ("申请可收集个人信息的权限", "Permission that exposes personal information"),
        severity: Low,
        cites: ["MIIT164-05", "AM-2.3", "PG20204-3.1a", "PG20204-3.2b"],
        needs: [AndroidManifest],
        fix: (
            "删除业务不需要的权限；保留的权限须在隐私政策中说明用途，并在申请前告知用户目的。",
            "Remove permissions no feature needs; state the purpose of the rest in the privacy policy and before each request."
        ),
        since: "0.1.0",
    }
}

impl DangerousPermission {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        for name in &android.permissions {
            let Some(info) = permission_info(name) else {
                continue;
            };
            // POST_NOTIFICATIONS is a runtime permission that neither exposes PI nor acts
            // for the user (TC260's sensitive-permission list leaves it out).
            if info.level != "dangerous" && info.level != "special"
                || name == "android.permission.POST_NOTIFICATIONS"
            {
                continue;
            }
            let (zh_pi, en_pi): (Vec<String>, Vec<String>) = info
                .categories
                .iter()
                .map(|c| (c.label().zh, c.label().en))
                .unzip();
            let severity = if info.categories.iter().any(|c| c.is_sensitive()) {
                Severity::Medium
            } else {
                Severity::Low
            };
            let (kind_zh, kind_en) = if info.level == "special" {
                (
                    "特殊权限（须在系统设置中授予）",
                    "special permission (granted in system settings)",
                )
            } else {
                ("危险权限", "runtime permission")
            };
            let (zh, en) = if zh_pi.is_empty() {
                (
                    format!("申请了{kind_zh}「{}」{name}。", info.zh),
                    format!("Requests the {kind_en} {name} ({}).", info.en),
                )
            } else {
                (
                    format!(
                        "申请了{}权限 {name}，可获取：{}。",
                        info.zh,
                        zh_pi.join("、")
                    ),
                    format!(
                        "Requests the {} permission {name}, which exposes: {}.",
                        info.en,
                        en_pi.join(", ")
                    ),
                )
            };
            out.push(
                Violation::new(zh, en, Party::App, name.clone())
                    .severity(severity)
                    .evidence([manifest_evidence(
                        "manifest/uses-permission",
                        name,
                        Some(info.level.clone()),
                    )]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, render, run};

    #[test]
    fn fires_on_pi_permissions_only() {
        let mut facts = android();
        facts.permissions = vec![
            "android.permission.INTERNET".into(),
            "android.permission.READ_CONTACTS".into(),
            "android.permission.READ_PHONE_STATE".into(),
            "android.permission.CALL_PHONE".into(),
            "android.permission.SYSTEM_ALERT_WINDOW".into(),
            "android.permission.WRITE_SETTINGS".into(),
            "com.example.app.CUSTOM".into(),
        ];
        let report = run(
            &DangerousPermission::META,
            DangerousPermission::check,
            facts,
        );
        assert_eq!(report.findings.len(), 5);
        insta::assert_snapshot!("AND001_fail", render(&report.findings));
    }

    #[test]
    fn quiet_without_dangerous_permissions() {
        let mut facts = android();
        facts.permissions = vec![
            "android.permission.INTERNET".into(),
            "android.permission.VIBRATE".into(),
        ];
        assert!(
            run(
                &DangerousPermission::META,
                DangerousPermission::check,
                facts
            )
            .findings
            .is_empty()
        );
    }
}
