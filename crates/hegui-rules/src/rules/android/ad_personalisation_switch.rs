use hegui_knowledge::android_apis;
use hegui_model::{Confidence, Party, Severity};

use super::sdk_inventory::sdk_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 安装包中集成了提供“个性化广告”开关的广告 SDK，但应用代码（SDK 自身以外的代码）从未调用该开关：
    /// 优量汇 `GlobalSetting.setPersonalizedState`、快手 `KsAdSDK.setPersonalRecommend`、
    /// 百度 `MobadsPermissionSettings.setLimitPersonalAds`、穿山甲配置项 `personal_ads_type`
    /// （均取自各 SDK 公开文档）。报告为低置信度候选，归属到该 SDK：开关也可能经聚合平台或服务端配置设置。
    ///
    /// An ad SDK that offers a personalised-ads switch is in the package, but no code outside
    /// the SDK itself ever uses it: GDT's `GlobalSetting.setPersonalizedState`, Kuaishou's
    /// `KsAdSDK.setPersonalRecommend`, Baidu's `MobadsPermissionSettings.setLimitPersonalAds`,
    /// Pangle's `personal_ads_type` setting (each from the SDK's public documentation).
    /// Reported as a low-confidence candidate, attributed to the SDK: a mediation platform or a
    /// server-side setting may set it instead. Uses of the switch are listed in the facts
    /// (`personalisation_switches`).
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 4 项整治“强制用户使用定向推送功能”，个人信息保护法第 24 条要求个性化推送提供便捷的拒绝方式。
    /// 广告 SDK 默认开启个性化广告，应用若不把用户的选择传给 SDK，用户在应用内关闭个性化也无效。
    ///
    /// Notice 164 item 4 targets forced targeted push and PIPL art. 24 requires a convenient
    /// refusal: ad SDKs personalise by default, so unless the app passes the user's choice to
    /// the SDK, turning personalisation off in the app changes nothing.
    ///
    /// ## 示例 / Example
    /// 集成 `com.qq.e.` 优量汇 SDK，代码中没有调用 `Lcom/qq/e/comm/managers/setting/GlobalSetting;->setPersonalizedState`。
    ///
    /// ## 整改建议 / How to fix
    /// 在设置中提供“个性化广告”开关，并在用户关闭时调用 SDK 的开关接口（如 `GlobalSetting.setPersonalizedState(1)`）。
    ///
    /// Offer a personalised-ads switch in the settings and pass the user's choice to the SDK
    /// (e.g. `GlobalSetting.setPersonalizedState(1)` to turn it off).
    ///
    /// ## 依据 / References
    /// MIIT164-04, PIPL-24
    pub struct AdPersonalisationSwitch {
        code: "AND015",
        name: "ad-personalisation-switch-unused",
        title: ("未接入广告 SDK 的个性化广告开关", "Ad SDK's personalisation switch never used"),
        severity: Low,
        cites: ["MIIT164-04", "PIPL-24"],
        needs: [AndroidManifest, AndroidCode],
        fix: (
            "在设置中提供个性化广告开关，并在用户关闭时调用广告 SDK 的对应接口。",
            "Offer a personalised-ads switch and pass the user's choice to the ad SDK's switch API."
        ),
        since: "0.9.0",
    }
}

impl AdPersonalisationSwitch {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        for switch in &android_apis().personalisation_switches {
            let Some(sdk) = ctx.sdks.iter().find(|s| s.id == switch.sdk) else {
                continue;
            };
            let party = Party::Sdk(sdk.id.clone());
            let uses: Vec<_> = android
                .personalisation_switches
                .iter()
                .filter(|u| u.sdk == switch.sdk && u.party != party)
                .collect();
            if !uses.is_empty() {
                continue;
            }
            let how = match (&switch.class, &switch.method, &switch.key) {
                (Some(class), Some(method), _) => format!("{class}->{method}"),
                (_, _, Some(key)) => format!("\"{key}\""),
                _ => continue,
            };
            let who = ctx.party_label(&party);
            out.push(
                Violation::new(
                    format!(
                        "{}提供个性化广告开关（{how}），但应用代码从未使用。",
                        who.zh
                    ),
                    format!(
                        "{} has a personalised-ads switch ({how}) that no code of the app uses.",
                        who.en
                    ),
                    party.clone(),
                    switch.sdk.clone(),
                )
                .severity(Severity::Low)
                .confidence(Confidence::Low)
                .evidence(sdk_evidence(sdk).into_iter().take(3)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, run_with_sdks, sdk};
    use hegui_model::PersonalisationSwitch;

    fn switch_use(class: &str, party: Party) -> PersonalisationSwitch {
        PersonalisationSwitch {
            sdk: "gdt".into(),
            api: "Lcom/qq/e/comm/managers/setting/GlobalSetting;->setPersonalizedState".into(),
            caller_class: class.into(),
            caller_method: "init".into(),
            dex: "classes.dex".into(),
            offset: 10,
            party,
        }
    }

    #[test]
    fn an_ad_sdk_whose_switch_the_app_never_uses() {
        let report = run_with_sdks(
            &AdPersonalisationSwitch::META,
            AdPersonalisationSwitch::check,
            android(),
            &[sdk("gdt", 300)],
        );
        assert_eq!(report.findings.len(), 1);
        let f = &report.findings[0];
        assert_eq!(
            (f.confidence, f.party.to_string()),
            (Confidence::Low, "sdk:gdt".into())
        );
        assert!(
            f.message.en.contains("setPersonalizedState"),
            "{}",
            f.message.en
        );
    }

    #[test]
    fn the_app_passing_the_choice_is_not_reported() {
        let mut facts = android();
        facts.personalisation_switches = vec![switch_use("com.example.app.Ads", Party::App)];
        let report = run_with_sdks(
            &AdPersonalisationSwitch::META,
            AdPersonalisationSwitch::check,
            facts,
            &[sdk("gdt", 300)],
        );
        assert!(report.findings.is_empty());
        // The SDK reading its own setting is not the app wiring it.
        let mut facts = android();
        facts.personalisation_switches = vec![switch_use(
            "com.qq.e.comm.managers.GDTAdSdk",
            Party::Sdk("gdt".into()),
        )];
        let report = run_with_sdks(
            &AdPersonalisationSwitch::META,
            AdPersonalisationSwitch::check,
            facts,
            &[sdk("gdt", 300)],
        );
        assert_eq!(report.findings.len(), 1);
    }
}
