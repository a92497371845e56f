use std::collections::BTreeMap;

use hegui_model::{IosApiUse, Party};

use super::binary_evidence;
use crate::rules::android::MAX_EVIDENCE;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 代码引用了受保护资源的接口（定位 `CLLocationManager`、通讯录 `CNContactStore`、相册、相机、麦克风、
    /// 日历、健康、蓝牙、Face ID 等），但 Info.plist 中没有对应的 `NS*UsageDescription` 用途说明。
    ///
    /// The code references a protected-resource API (location, contacts, photos, camera,
    /// microphone, calendar, health, Bluetooth, Face ID…) but Info.plist has none of the
    /// `NS*UsageDescription` keys that API needs.
    ///
    /// ## 为何违规 / Why it matters
    /// 《认定方法》二.3 与 TC260 权限指南 3.2 b 要求申请权限时同步告知目的；缺少用途说明时 iOS 不会弹出授权框
    /// （调用即崩溃），若由 SDK 调用，说明该 SDK 的收集未经告知。
    ///
    /// Item 2.3 of the 2019 method and TC260 3.2 b require stating the purpose when asking
    /// for a permission. Without the key iOS shows no prompt (the call crashes the app); when
    /// an SDK makes the call, its collection was never disclosed.
    ///
    /// ## 示例 / Example
    /// 主程序导入 `_OBJC_CLASS_$_CNContactStore`，Info.plist 没有 `NSContactsUsageDescription`。
    ///
    /// ## 整改建议 / How to fix
    /// 不需要该能力时删除相关代码或 SDK；需要时在 Info.plist（及 zh-Hans.lproj/InfoPlist.strings）中加入
    /// 说明具体业务场景的用途说明。
    ///
    /// Remove the code (or SDK) if the feature is not needed; otherwise add the key with a
    /// purpose tied to the feature, in Info.plist and its zh-Hans localisation.
    ///
    /// ## 依据 / References
    /// AM-2.3, PG20204-3.1b, PG20204-3.2b, PIPL-17
    pub struct UsageDescriptionMissing {
        code: "IOS001",
        name: "usage-description-missing",
        title: ("调用受保护资源但缺少用途说明", "Protected resource used without a usage description"),
        severity: High,
        cites: ["AM-2.3", "PG20204-3.1b", "PG20204-3.2b", "PIPL-17"],
        needs: [IosBundle],
        fix: (
            "删除不需要的调用或 SDK；需要时在 Info.plist 及其中文本地化中加入说明具体业务场景的 NS*UsageDescription。",
            "Remove the call or SDK if not needed; otherwise add an NS*UsageDescription naming the feature, localised in Chinese."
        ),
        since: "0.2.0",
    }
}

impl UsageDescriptionMissing {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(ios) = ctx.ios() else { return };
        let mut groups: BTreeMap<(String, Party), Vec<&IosApiUse>> = BTreeMap::new();
        for u in &ios.api_uses {
            if u.plist_keys.is_empty()
                || u.plist_keys
                    .iter()
                    .any(|k| ios.usage_descriptions.contains_key(k))
            {
                continue;
            }
            groups
                .entry((u.plist_keys.join(" / "), u.party.clone()))
                .or_default()
                .push(u);
        }
        for ((keys, party), uses) in groups {
            let who = ctx.party_label(&party);
            let label = uses[0].category.label();
            let mut apis: Vec<&str> = uses.iter().map(|u| u.api.as_str()).collect();
            apis.dedup();
            out.push(
                Violation::new(
                    format!(
                        "{}引用了读取{}的接口（{}），但 Info.plist 缺少用途说明（{}）。",
                        who.zh,
                        label.zh,
                        apis.join("、"),
                        keys
                    ),
                    format!(
                        "{} references {} APIs ({}) but Info.plist has no usage description ({}).",
                        who.en,
                        label.en,
                        apis.join(", "),
                        keys
                    ),
                    party.clone(),
                    keys.clone(),
                )
                .evidence(uses.iter().take(MAX_EVIDENCE).map(|u| binary_evidence(u))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ios, ios_api, render, run_ios};
    use hegui_model::PiCategory;

    #[test]
    fn flags_apis_without_their_key() {
        let mut facts = ios();
        facts
            .usage_descriptions
            .insert("NSCameraUsageDescription".into(), "扫码".into());
        facts.api_uses = vec![
            ios_api(
                "CNContactStore",
                PiCategory::Contacts,
                &["NSContactsUsageDescription"],
                Party::App,
            ),
            ios_api(
                "AVCaptureDevice",
                PiCategory::Camera,
                &["NSCameraUsageDescription"],
                Party::App,
            ),
            ios_api(
                "CLLocationManager",
                PiCategory::Location,
                &["NSLocationWhenInUseUsageDescription"],
                Party::Sdk("amap".into()),
            ),
        ];
        let report = run_ios(
            &UsageDescriptionMissing::META,
            UsageDescriptionMissing::check,
            facts,
        );
        assert_eq!(report.findings.len(), 2, "camera has its key");
        insta::assert_snapshot!("IOS001_fail", render(&report.findings));
    }
}
