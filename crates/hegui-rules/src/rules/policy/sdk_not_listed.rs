use hegui_model::Party;

use super::whole_policy;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 包内检测到的第三方 SDK 没有出现在隐私政策中：既没有它的名称或品牌，也没有同一提供方在包内的
    /// 其他 SDK（如“极光推送”涵盖随其分发的 JCore）。每个 SDK 一条，责任方为该 SDK。
    ///
    /// A third-party SDK found in the package is not named in the policy: not by product or
    /// brand, nor through another SDK of the same operator in the package ("极光推送" covers
    /// the JCore it ships with). One finding per SDK, attributed to it.
    ///
    /// ## 为何违规 / Why it matters
    /// 认定方法 2.1 要求逐一列出嵌入的第三方代码、插件收集使用个人信息的目的、方式、范围；
    /// GB/T 35273 9.7 要求管理第三方接入；个人信息保护法第 23 条要求告知接收方名称与联系方式。
    ///
    /// Method item 2.1 asks for every embedded SDK to be listed with what it collects;
    /// GB/T 35273 9.7 and PIPL article 23 ask for recipients to be named.
    ///
    /// ## 示例 / Example
    /// The APK embeds JPush (`cn.jpush.android`) and the policy's SDK list has only Umeng.
    ///
    /// ## 整改建议 / How to fix
    /// 在第三方 SDK 清单中列出该 SDK：名称、提供方、目的、收集的信息、隐私政策链接。
    ///
    /// List the SDK: name, operator, purpose, PI collected, link to its policy.
    ///
    /// ## 依据 / References
    /// AM-2.1, GBT-9.7, PIPL-23
    pub struct SdkNotListed {
        code: "XC002",
        name: "sdk-not-listed",
        title: ("检测到的 SDK 未在隐私政策中列明", "SDK in the package not listed in the policy"),
        severity: Medium,
        cites: ["AM-2.1", "GBT-9.7", "PIPL-23"],
        needs: [Policy],
        fix: (
            "在第三方 SDK 清单中列出该 SDK 的名称、提供方、目的、收集的信息与隐私政策链接。",
            "List the SDK with operator, purpose, PI collected and its policy link."
        ),
        since: "0.4.0",
    }
}

impl SdkNotListed {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(policy) = ctx.policy() else { return };
        if ctx.android().is_none() && ctx.ios().is_none() && ctx.miniprogram().is_none() {
            out.not_assessed(
                "需要应用包（与 --policy 一起扫描）",
                "needs the app's package (scan it with --policy)",
            );
            return;
        }
        for sdk in ctx.sdks {
            let party = Party::Sdk(sdk.id.clone());
            if ctx.is_framework(&party) {
                continue;
            }
            // Named itself, or through another SDK of the same operator found here ("极光推送"
            // covers JCore, which ships inside it).
            let named = |id: &String| policy.third_parties.iter().any(|p| p.sdks.contains(id));
            let same_operator = ctx
                .sdks
                .iter()
                .any(|other| other.vendor == sdk.vendor && named(&other.id));
            if named(&sdk.id) || same_operator {
                continue;
            }
            let found_by: Vec<String> = sdk
                .evidence
                .iter()
                .take(3)
                .map(|e| e.value.clone())
                .collect();
            out.push(
                Violation::new(
                    format!(
                        "包内有 {}（{}），隐私政策没有列出它。",
                        sdk.name, sdk.vendor
                    ),
                    format!(
                        "The package embeds {} ({}), which the policy does not list.",
                        sdk.name_en, sdk.vendor
                    ),
                    party,
                    "not-listed",
                )
                .evidence([
                    hegui_model::Evidence::Note {
                        text: format!("found by {}", found_by.join(", ")),
                    },
                    whole_policy(policy),
                ]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{Facts, NamedParty, TextSpan};

    use super::*;
    use crate::testing::{android, policy, render, run_facts_with_sdks, sdk};

    #[test]
    fn detected_sdks_against_the_list() {
        let mut p = policy();
        p.third_parties = vec![NamedParty {
            name: "友盟".into(),
            sdks: vec!["umeng".into(), "umeng-push".into()],
            span: TextSpan {
                start: 3,
                end: 5,
                quote: "友盟".into(),
                source: None,
            },
        }];
        let facts = Facts {
            android: Some(android()),
            policy: Some(p),
            ..Facts::default()
        };
        let sdks = [sdk("umeng", 40), sdk("bugly", 12)];
        let report = run_facts_with_sdks(&SdkNotListed::META, SdkNotListed::check, &facts, &sdks);
        assert_eq!(report.findings.len(), 1, "Umeng is listed, Bugly is not");
        insta::assert_snapshot!("XC002_fail", render(&report.findings));
    }
}
