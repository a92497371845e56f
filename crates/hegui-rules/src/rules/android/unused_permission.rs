use hegui_knowledge::permission_info;
use hegui_model::{Confidence, Party};

use super::manifest_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 申请了危险权限，但代码中没有任何可以使用该权限的调用（也没有处理相应广播的组件），即“申请无关权限”。
    ///
    /// A dangerous permission is requested but no code could use it: no call site of an API the
    /// permission guards and no component handling a broadcast it gates.
    ///
    /// A capture intent (`ACTION_IMAGE_CAPTURE`, `ACTION_VIDEO_CAPTURE`) counts as a use of
    /// `CAMERA`: an app that declares the permission must hold it to send one; an audio
    /// `Visualizer` counts as a use of `RECORD_AUDIO`, which it requires. A reviewer
    /// counts a finding as true when no code in the package (SDKs included) can use the
    /// permission.
    ///
    /// ## 为何违规 / Why it matters
    /// T/TAF 078.4 §5.3 把“申请无关权限”列为强制、过度索取权限（工信部 164 号文第 5 项）；
    /// TC260 权限指南 3.2 a 要求不在清单中声明无关权限（包括 SDK 带入的权限）；认定方法四.1。
    ///
    /// Requesting permissions with no related function is over-requesting under notice 164
    /// item 5 (T/TAF 078.4 §5.3), the TC260 guide 3.2 a and AM-2019 4.1.
    ///
    /// ## 示例 / Example
    /// 清单声明 `android.permission.CAMERA`，但 DEX 中没有 `Camera.open` 或 `CameraManager.openCamera` 调用。
    ///
    /// The manifest declares `CAMERA` but no DEX calls `Camera.open` or `CameraManager.openCamera`.
    ///
    /// ## 整改建议 / How to fix
    /// 从清单中删除该权限；若由 SDK 合并引入，使用 `tools:node="remove"` 移除或更换 SDK 配置。
    ///
    /// Remove the permission; if a library merges it in, drop it with `tools:node="remove"`.
    ///
    /// ## 依据 / References
    /// MIIT164-05, TTAF078.4-5.3, PG20204-3.2a, AM-4.1
    pub struct UnusedPermission {
        code: "AND002",
        name: "unused-permission",
        title: ("申请与代码无关的权限", "Permission requested but never used"),
        severity: Medium,
        cites: ["MIIT164-05", "TTAF078.4-5.3", "PG20204-3.2a", "AM-4.1"],
        needs: [AndroidManifest, AndroidCode],
        fix: (
            "删除清单中无对应功能的权限；SDK 合并引入的权限可用 tools:node=\"remove\" 移除。",
            "Remove permissions no code uses; drop ones merged in by libraries with tools:node=\"remove\"."
        ),
        since: "0.1.0",
    }
}

impl UnusedPermission {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        // Code loaded at run time from assets cannot be seen: say so rather than guess.
        if android
            .nested_code
            .iter()
            .any(|n| n.kind == "dex" || n.kind == "jar")
        {
            out.not_assessed(
                "应用在资源中携带额外代码，无法确认权限是否被使用",
                "the package carries extra code in its assets, so permission use cannot be ruled out",
            );
            return;
        }
        let actions: Vec<&str> = android
            .components
            .iter()
            .flat_map(|c| {
                c.intent_filters
                    .iter()
                    .flat_map(|f| f.actions.iter().map(String::as_str))
            })
            .collect();
        for name in &android.permissions {
            let Some(info) = permission_info(name) else {
                continue;
            };
            if !info.is_dangerous() || !info.assess_use || info.used_by.is_empty() {
                continue;
            }
            let used_in_code = android
                .api_uses
                .iter()
                .any(|u| info.used_by.contains(&u.category));
            let used_by_receiver = info.actions.iter().any(|a| actions.contains(&a.as_str()));
            if used_in_code || used_by_receiver {
                continue;
            }
            let apis: Vec<&str> = info.used_by.iter().map(|c| c.id()).collect();
            out.push(
                Violation::new(
                    format!(
                        "申请了{}权限 {name}，但代码中未发现使用该权限的调用（{}）。",
                        info.zh,
                        apis.join("、")
                    ),
                    format!(
                        "Requests {name} ({}) but no code uses an API it guards ({}).",
                        info.en,
                        apis.join(", ")
                    ),
                    Party::App,
                    name.clone(),
                )
                .confidence(Confidence::Medium)
                .evidence([manifest_evidence(
                    "manifest/uses-permission",
                    name,
                    None,
                )]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::PiCategory;

    use super::*;
    use crate::testing::{android, api, receiver, render, run};

    #[test]
    fn flags_permission_without_use() {
        let mut facts = android();
        facts.permissions = vec![
            "android.permission.CAMERA".into(),
            "android.permission.READ_PHONE_STATE".into(),
        ];
        facts.api_uses = vec![api(
            "Landroid/telephony/TelephonyManager;->getDeviceId",
            PiCategory::DeviceId,
            "com.example.app.A",
            "id",
        )];
        let report = run(&UnusedPermission::META, UnusedPermission::check, facts);
        assert_eq!(report.findings.len(), 1);
        insta::assert_snapshot!("AND002_fail", render(&report.findings));
    }

    /// The reviewer's missed case: `RECORD_AUDIO` declared, an ad SDK that reads device
    /// identifiers but never records, no audio API anywhere.
    #[test]
    fn unused_record_audio_beside_an_ad_sdk() {
        let mut facts = android();
        facts.permissions = vec!["android.permission.RECORD_AUDIO".into()];
        facts.api_uses = vec![api(
            "Landroid/telephony/TelephonyManager;->getDeviceId",
            PiCategory::DeviceId,
            "com.iflytek.voiceads.request.DeviceInfo",
            "collect",
        )];
        let report = run(
            &UnusedPermission::META,
            UnusedPermission::check,
            facts.clone(),
        );
        assert_eq!(report.findings.len(), 1);
        assert!(
            report.findings[0]
                .message
                .en
                .contains("android.permission.RECORD_AUDIO")
        );

        // Recording anywhere in the package (an SDK included) is a use.
        facts.api_uses.push(api(
            "Landroid/media/AudioRecord;-><init>",
            PiCategory::Microphone,
            "com.iflytek.cloud.record.PcmRecorder",
            "<init>",
        ));
        let report = run(&UnusedPermission::META, UnusedPermission::check, facts);
        assert!(report.findings.is_empty());
    }

    #[test]
    fn receiver_counts_as_use_and_packed_code_is_not_assessed() {
        let mut facts = android();
        facts.permissions = vec!["android.permission.RECEIVE_SMS".into()];
        facts.components.push(receiver(
            "com.example.app.Sms",
            &["android.provider.Telephony.SMS_RECEIVED"],
        ));
        assert!(
            run(
                &UnusedPermission::META,
                UnusedPermission::check,
                facts.clone()
            )
            .findings
            .is_empty()
        );

        facts.nested_code.push(hegui_model::NestedCode {
            path: "assets/x.dex".into(),
            kind: "dex".into(),
            size: 1,
        });
        facts.permissions.push("android.permission.CAMERA".into());
        let report = run(&UnusedPermission::META, UnusedPermission::check, facts);
        assert!(report.findings.is_empty());
        assert_eq!(report.not_assessed.len(), 4);
    }
}
