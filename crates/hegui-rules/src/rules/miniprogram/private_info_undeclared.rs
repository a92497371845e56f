use hegui_model::Party;

use super::{
    REQUIRED_PRIVATE_INFOS_SINCE, calls_by_api, calls_evidence, calls_party, config_evidence, dated,
};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 微信小程序调用了地理位置类接口（`getLocation`、`getFuzzyLocation`、`chooseLocation`、
    /// `choosePoi`、`chooseAddress`、`onLocationChange`、`startLocationUpdate(Background)`），
    /// 但 `app.json` 的 `requiredPrivateInfos` 没有声明它；或同时声明了精确与模糊定位。
    ///
    /// A WeChat mini-program calls a location-class API that `requiredPrivateInfos` in
    /// `app.json` does not declare, or declares both precise and fuzzy location.
    ///
    /// ## 为何违规 / Why it matters
    /// 自 2022 年 7 月 14 日起，微信要求这些接口先在 `requiredPrivateInfos` 中声明，声明即向平台和用户
    /// 说明处理的信息类型；未声明的调用在新版本中直接失败，也说明隐私保护指引可能未覆盖该信息。
    /// 在此之前构建的包按现行规则评估。
    ///
    /// Since 14 July 2022 WeChat requires these APIs to be declared first; the declaration
    /// tells the platform and the user which information is processed. Undeclared calls fail
    /// in new versions, and the privacy guide probably misses the information. Packages built
    /// earlier are judged by the current rules.
    ///
    /// ## 审核标准 / Reviewer's criteria
    /// 成立须：应用自身或其 SDK 的可达代码调用了该接口（插件的调用由插件声明），且 requiredPrivateInfos
    /// 未声明。模板编译器早于 2022-07-14 的包降为提示，注明按现行规则判断。
    ///
    /// Holds when reachable code of the app or its SDKs calls the interface (a plugin
    /// declares its own) and requiredPrivateInfos lacks it. Packages whose template compiler
    /// predates 2022-07-14 are info, saying they are judged by today's rules.
    ///
    /// ## 示例 / Example
    /// `wx.getLocation({type: 'gcj02'})` in `pages/index/index.js` while `app.json` has no
    /// `requiredPrivateInfos`.
    ///
    /// ## 整改建议 / How to fix
    /// 在 `app.json` 的 `requiredPrivateInfos` 中声明用到的接口（精确与模糊定位二选一），并在
    /// 《小程序用户隐私保护指引》中说明位置信息的用途。
    ///
    /// Declare the APIs used in `requiredPrivateInfos` (precise or fuzzy, not both) and state
    /// the purpose of location in the privacy guide.
    ///
    /// ## 依据 / References
    /// WX-PRIV-02, WX-PRIV-04
    pub struct PrivateInfoUndeclared {
        code: "MP001",
        name: "private-info-undeclared",
        title: ("地理位置接口未在 requiredPrivateInfos 中声明", "Location API not declared in requiredPrivateInfos"),
        severity: Medium,
        cites: ["WX-PRIV-02", "WX-PRIV-04"],
        needs: [MiniProgram],
        fix: (
            "在 app.json 的 requiredPrivateInfos 中声明用到的地理位置接口，并在隐私保护指引中说明用途。",
            "Declare the location APIs used in requiredPrivateInfos and state their purpose in the privacy guide."
        ),
        since: "0.3.0",
    }
}

const PRECISE: &[&str] = &[
    "getLocation",
    "onLocationChange",
    "startLocationUpdate",
    "startLocationUpdateBackground",
];

impl PrivateInfoUndeclared {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        // `requiredPrivateInfos` is WeChat's; other platforms ask differently.
        if mp.platform != "wechat" {
            return;
        }
        let declared = mp
            .declared
            .required_private_infos
            .as_deref()
            .unwrap_or_default();
        let needs_declaring = |a: &hegui_knowledge::MiniProgramApi| {
            a.needs.iter().any(|n| n == "requiredPrivateInfos")
        };
        for (name, calls) in calls_by_api(mp, needs_declaring) {
            if declared.iter().any(|d| d == name) {
                continue;
            }
            out.push(dated(
                Violation::new(
                    format!(
                        "调用了 {name}（{} 处），但 requiredPrivateInfos 没有声明它。",
                        calls.len()
                    ),
                    format!(
                        "{name} is called ({} sites) but requiredPrivateInfos does not declare it.",
                        calls.len()
                    ),
                    calls_party(&calls),
                    name,
                )
                .evidence(calls_evidence(&calls)),
                mp,
                REQUIRED_PRIVATE_INFOS_SINCE,
            ));
        }
        let precise: Vec<&str> = declared
            .iter()
            .map(String::as_str)
            .filter(|d| PRECISE.contains(d))
            .collect();
        if !precise.is_empty() && declared.iter().any(|d| d == "getFuzzyLocation") {
            out.push(
                Violation::new(
                    format!(
                        "requiredPrivateInfos 同时声明了模糊定位 getFuzzyLocation 与精确定位（{}），二者只能择一。",
                        precise.join("、")
                    ),
                    format!(
                        "requiredPrivateInfos declares fuzzy location (getFuzzyLocation) and precise location ({}); only one is allowed.",
                        precise.join(", ")
                    ),
                    Party::App,
                    "fuzzy-and-precise",
                )
                .evidence([config_evidence(mp, "requiredPrivateInfos")]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{miniprogram, mp_call, render, run_mp};

    #[test]
    fn undeclared_location_calls() {
        let mut facts = miniprogram();
        facts.api_calls = vec![
            mp_call("wx.getLocation", "pages/index/index.js", 12),
            mp_call("wx.chooseAddress", "pages/addr/addr.js", 3),
            mp_call("wx.chooseImage", "pages/index/index.js", 20),
        ];
        facts.declared.required_private_infos = Some(vec!["chooseAddress".into()]);
        let report = run_mp(
            &PrivateInfoUndeclared::META,
            PrivateInfoUndeclared::check,
            facts.clone(),
        );
        assert_eq!(report.findings.len(), 1, "only getLocation is undeclared");
        insta::assert_snapshot!("MP001_fail", render(&report.findings));

        facts.declared.required_private_infos =
            Some(vec!["chooseAddress".into(), "getLocation".into()]);
        let report = run_mp(
            &PrivateInfoUndeclared::META,
            PrivateInfoUndeclared::check,
            facts.clone(),
        );
        assert!(report.findings.is_empty());

        facts.declared.required_private_infos = Some(vec![
            "getFuzzyLocation".into(),
            "getLocation".into(),
            "chooseAddress".into(),
        ]);
        let report = run_mp(
            &PrivateInfoUndeclared::META,
            PrivateInfoUndeclared::check,
            facts.clone(),
        );
        assert_eq!(report.findings.len(), 1, "fuzzy and precise together");

        facts.platform = "alipay".into();
        facts.declared.required_private_infos = None;
        let report = run_mp(
            &PrivateInfoUndeclared::META,
            PrivateInfoUndeclared::check,
            facts,
        );
        assert!(report.findings.is_empty(), "a WeChat-only declaration");
    }
}
