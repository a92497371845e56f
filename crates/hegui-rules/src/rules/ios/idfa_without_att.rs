use std::collections::BTreeMap;

use hegui_model::{IosApiUse, Party};

use super::{binary_evidence, plist_evidence};
use crate::rules::android::MAX_EVIDENCE;
use crate::{Context, Evidence, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 代码读取广告标识符 IDFA（`ASIdentifierManager.advertisingIdentifier`），或隐私清单声明了跟踪
    /// （`NSPrivacyTracking` / 跟踪域名），但应用没有 App Tracking Transparency 授权流程
    /// （未引用 `ATTrackingManager` 或缺少 `NSUserTrackingUsageDescription`）。
    ///
    /// The code reads the IDFA, or a privacy manifest declares tracking (or tracking domains),
    /// but the app has no App Tracking Transparency flow (`ATTrackingManager` is never
    /// referenced, or `NSUserTrackingUsageDescription` is missing).
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 1 项、《认定方法》三.1：未经同意收集设备标识用于广告跟踪即违规；iOS 14.5 起
    /// 未经 ATT 授权读取的 IDFA 为全零，仍读取说明收集行为未经用户同意设计。
    ///
    /// Notice 164 item 1 and item 3.1 of the 2019 method: collecting identifiers for tracking
    /// without consent is illegal. Since iOS 14.5 the IDFA is zero without ATT consent; reading
    /// it with no prompt means tracking was designed without consent.
    ///
    /// ## 示例 / Example
    /// 广告 SDK 框架引用 `advertisingIdentifier`，应用 Info.plist 没有 `NSUserTrackingUsageDescription`。
    ///
    /// ## 整改建议 / How to fix
    /// 在读取 IDFA 或跟踪前调用 `ATTrackingManager.requestTrackingAuthorization` 并提供中文用途说明；
    /// 不需要跟踪时移除 AdSupport 依赖或关闭 SDK 的 IDFA 采集。
    ///
    /// Ask with `ATTrackingManager.requestTrackingAuthorization` (with a Chinese purpose text)
    /// before reading the IDFA or tracking; otherwise drop AdSupport or turn off the SDK's IDFA
    /// collection.
    ///
    /// ## 依据 / References
    /// MIIT164-01, AM-3.1, GBT-5.4a
    pub struct IdfaWithoutAtt {
        code: "IOS004",
        name: "tracking-without-att",
        title: ("读取 IDFA 或跟踪但无 ATT 授权流程", "IDFA or tracking without App Tracking Transparency"),
        severity: High,
        cites: ["MIIT164-01", "AM-3.1", "GBT-5.4a"],
        needs: [IosBundle],
        fix: (
            "读取 IDFA 或跟踪前通过 ATTrackingManager 征得同意并提供中文用途说明；不需要时移除相关 SDK 能力。",
            "Ask through ATTrackingManager (with a Chinese purpose) before reading the IDFA or tracking; otherwise remove it."
        ),
        since: "0.2.0",
    }
}

impl IdfaWithoutAtt {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(ios) = ctx.ios() else { return };
        let table = hegui_knowledge::ios_apis();
        let is = |u: &IosApiUse, flag: fn(&hegui_knowledge::IosApi) -> bool| {
            let name = u.api.trim_start_matches('-').trim_end_matches("()");
            [
                hegui_knowledge::IosApiKind::Class,
                hegui_knowledge::IosApiKind::Selector,
                hegui_knowledge::IosApiKind::Function,
            ]
            .iter()
            .filter_map(|k| table.find(*k, name))
            .any(flag)
        };
        let has_prompt = ios.api_uses.iter().any(|u| is(u, |a| a.att));
        let has_key = ios
            .usage_descriptions
            .contains_key("NSUserTrackingUsageDescription");
        if has_prompt && has_key {
            return;
        }
        let missing_zh = match (has_prompt, has_key) {
            (false, false) => "既未调用 ATTrackingManager，也没有 NSUserTrackingUsageDescription",
            (false, true) => "未调用 ATTrackingManager 请求授权",
            _ => "缺少 NSUserTrackingUsageDescription",
        };
        let missing_en = match (has_prompt, has_key) {
            (false, false) => {
                "neither ATTrackingManager nor NSUserTrackingUsageDescription is present"
            }
            (false, true) => "ATTrackingManager is never called",
            _ => "NSUserTrackingUsageDescription is missing",
        };
        let mut by_party: BTreeMap<Party, Vec<&IosApiUse>> = BTreeMap::new();
        for u in ios.api_uses.iter().filter(|u| is(u, |a| a.idfa)) {
            by_party.entry(u.party.clone()).or_default().push(u);
        }
        for (party, uses) in by_party {
            let who = ctx.party_label(&party);
            out.push(
                Violation::new(
                    format!("{}读取广告标识符 IDFA，但{missing_zh}。", who.zh),
                    format!("{} reads the IDFA, but {missing_en}.", who.en),
                    party.clone(),
                    "idfa",
                )
                .evidence(uses.iter().take(MAX_EVIDENCE).map(|u| binary_evidence(u))),
            );
        }
        for m in ios
            .privacy_manifests
            .iter()
            .filter(|m| m.data.tracking || !m.data.tracking_domains.is_empty())
        {
            out.push(
                Violation::new(
                    format!(
                        "{} 的隐私清单声明了跟踪（域名：{}），但{missing_zh}。",
                        m.bundle,
                        m.data.tracking_domains.join("、")
                    ),
                    format!(
                        "{}'s privacy manifest declares tracking (domains: {}), but {missing_en}.",
                        m.bundle,
                        m.data.tracking_domains.join(", ")
                    ),
                    Party::App,
                    format!("manifest:{}", m.bundle),
                )
                .evidence([
                    Evidence::Entry {
                        path: m.path.clone(),
                        detail: Some("NSPrivacyTracking".into()),
                    },
                    plist_evidence(ios, "NSUserTrackingUsageDescription", Some("absent".into())),
                ]),
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
    fn idfa_needs_the_prompt_and_its_key() {
        let mut facts = ios();
        facts.api_uses = vec![
            ios_api(
                "-advertisingIdentifier",
                PiCategory::AdvertisingId,
                &[],
                Party::Sdk("pangle".into()),
            ),
            ios_api(
                "ASIdentifierManager",
                PiCategory::AdvertisingId,
                &[],
                Party::App,
            ),
        ];
        let report = run_ios(&IdfaWithoutAtt::META, IdfaWithoutAtt::check, facts.clone());
        assert_eq!(report.findings.len(), 2);
        insta::assert_snapshot!("IOS004_fail", render(&report.findings));

        facts.api_uses.push(ios_api(
            "ATTrackingManager",
            PiCategory::AdvertisingId,
            &["NSUserTrackingUsageDescription"],
            Party::App,
        ));
        facts.usage_descriptions.insert(
            "NSUserTrackingUsageDescription".into(),
            "用于向您推荐更相关的广告".into(),
        );
        assert!(
            run_ios(&IdfaWithoutAtt::META, IdfaWithoutAtt::check, facts)
                .findings
                .is_empty()
        );
    }
}
