use hegui_model::{Confidence, Party};

use super::{MAX_SITES, call_evidence, calls_by_api, site_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 小程序调用了隐私接口（需在《小程序用户隐私保护指引》中说明的接口，或手机号、头像等按钮
    /// `open-type`），但代码中没有隐私授权流程：没有 `onNeedPrivacyAuthorization`、
    /// `requirePrivacyAuthorize`、`getPrivacySetting`、`openPrivacyContract`，也没有
    /// `open-type="agreePrivacyAuthorization"` 的同意按钮。
    ///
    /// The mini-program uses privacy interfaces (APIs the privacy guide must cover, or phone
    /// number / avatar buttons) but runs no privacy-authorization flow of its own. The list
    /// is the platform's current one (microphone, camera and sensors included; the withdrawn
    /// `getUserInfo` left out), and calls made through framework wrappers (Taro, uni-app)
    /// count like direct ones; a plugin's calls are the plugin's.
    ///
    /// ## 为何违规 / Why it matters
    /// 平台规则要求在用户同意隐私保护指引后才能调用隐私接口；自行实现的流程让用户在收集前看到并同意。
    /// 微信基础库 2.32.3 起，开发者未处理时平台会弹出官方隐私弹窗，因此本项只说明“代码中看不到流程”，
    /// 需确认管理后台已配置指引且覆盖这些接口（置信度中）。
    ///
    /// The platform lets privacy interfaces run only after the user agreed to the privacy
    /// guide. Since WeChat base library 2.32.3 an official pop-up appears when the developer
    /// does not handle it, so this finding says only that no flow is visible in the code:
    /// confirm the guide is configured and covers these interfaces (medium confidence).
    ///
    /// ## 审核标准 / Reviewer's criteria
    /// 成立须：包内确有（应用自身或其 SDK 的、可达的）隐私接口调用或按钮，且代码中无任何授权流程
    /// （框架封装的调用与 JS 设置的 `openType` 也算流程）。模板编译器早于 2023-10-17 的包，降为提示并注明按现行规则判断。
    ///
    /// Holds when the package really uses a privacy interface (its own or its SDKs' reachable
    /// code) and no flow exists anywhere (calls through framework wrappers and JS-set
    /// `openType` count). Packages whose template compiler predates 2023-10-17 are info,
    /// saying they are judged by today's rules.
    ///
    /// ## 示例 / Example
    /// `wx.chooseAddress()` and `<button open-type="getPhoneNumber">` with no
    /// `wx.onNeedPrivacyAuthorization` anywhere.
    ///
    /// ## 整改建议 / How to fix
    /// 在管理后台配置隐私保护指引；用 `wx.onNeedPrivacyAuthorization` 或 `requirePrivacyAuthorize`
    /// 在首次调用前弹出说明，并以 `agreePrivacyAuthorization` 按钮取得同意。
    ///
    /// Configure the privacy guide; show it before the first use with
    /// `wx.onNeedPrivacyAuthorization` or `requirePrivacyAuthorize` and take consent with an
    /// `agreePrivacyAuthorization` button.
    ///
    /// ## 依据 / References
    /// WX-PRIV-01, MP-02, AM-1.2
    pub struct NoPrivacyFlow {
        code: "MP004",
        name: "no-privacy-flow",
        title: ("调用隐私接口但代码中无隐私授权流程", "Privacy interfaces used with no privacy-authorization flow"),
        severity: Low,
        cites: ["WX-PRIV-01", "MP-02", "AM-1.2"],
        needs: [MiniProgram],
        fix: (
            "配置隐私保护指引，并在首次调用隐私接口前通过 onNeedPrivacyAuthorization / agreePrivacyAuthorization 取得同意。",
            "Configure the privacy guide and take consent through onNeedPrivacyAuthorization / agreePrivacyAuthorization before the first use."
        ),
        since: "0.3.0",
    }
}

/// Button open-types that hand over PI and so count as privacy interfaces (`getUserInfo`
/// returns anonymous data since April 2021 and is no longer one).
const PRIVACY_OPEN_TYPES: &[&str] = &["getPhoneNumber", "getRealtimePhoneNumber", "chooseAvatar"];

impl NoPrivacyFlow {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        // The platforms with this consent API (WeChat, and ByteDance's equivalent).
        if !matches!(mp.platform.as_str(), "wechat" | "bytedance") || mp.privacy_flow.present {
            return;
        }
        let calls = calls_by_api(mp, |a| a.needs.iter().any(|n| n == "privacy-guide"));
        let buttons: Vec<_> = mp
            .open_types
            .iter()
            .filter(|o| PRIVACY_OPEN_TYPES.contains(&o.value.as_str()))
            .collect();
        if calls.is_empty() && buttons.is_empty() {
            return;
        }
        let mut names: Vec<String> = calls.keys().map(|k| k.to_string()).collect();
        for b in &buttons {
            let name = format!("open-type={}", b.value);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        // One site per interface first, so every one shows up in the evidence.
        let mut evidence: Vec<_> = calls
            .values()
            .filter_map(|c| c.first())
            .map(|c| call_evidence(c))
            .chain(
                buttons
                    .iter()
                    .map(|b| site_evidence(&b.site, format!("open-type={}", b.value))),
            )
            .take(MAX_SITES)
            .collect();
        if let Some(step) = mp.privacy_flow.evidence.first() {
            evidence.push(hegui_model::Evidence::Note {
                text: format!("{} is set, but no consent flow is coded", step.what),
            });
        }
        out.push(super::dated(
            Violation::new(
                format!(
                    "使用了 {} 个隐私接口（{}），但代码中没有隐私授权流程（onNeedPrivacyAuthorization、requirePrivacyAuthorize、agreePrivacyAuthorization 按钮）。请确认管理后台已配置隐私保护指引并覆盖这些接口。",
                    names.len(),
                    names.join("、")
                ),
                format!(
                    "{} privacy interfaces are used ({}), but the code has no privacy-authorization flow (onNeedPrivacyAuthorization, requirePrivacyAuthorize, an agreePrivacyAuthorization button). Confirm the privacy guide is configured and covers them.",
                    names.len(),
                    names.join(", ")
                ),
                Party::App,
                "no-privacy-flow",
            )
            .confidence(Confidence::Medium)
            .evidence(evidence),
            mp,
            super::PRIVACY_GUIDE_SINCE,
        ));
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{OpenTypeUse, PrivacyFlowStep};

    use super::*;
    use crate::testing::{miniprogram, mp_call, mp_site, render, run_mp};

    #[test]
    fn privacy_interfaces_without_a_flow() {
        let mut facts = miniprogram();
        facts.api_calls = vec![
            mp_call("wx.chooseAddress", "pages/addr/addr.js", 3),
            mp_call("wx.getSystemInfoSync", "app.js", 1),
        ];
        facts.open_types = vec![OpenTypeUse {
            value: "getPhoneNumber".into(),
            site: mp_site("pages/me/me.wxml", 8),
            compiled: false,
        }];
        let report = run_mp(&NoPrivacyFlow::META, NoPrivacyFlow::check, facts.clone());
        insta::assert_snapshot!("MP004_fail", render(&report.findings));

        facts.privacy_flow.present = true;
        facts.privacy_flow.evidence = vec![PrivacyFlowStep {
            what: "wx.onNeedPrivacyAuthorization".into(),
            site: Some(mp_site("app.js", 2)),
        }];
        assert!(
            run_mp(&NoPrivacyFlow::META, NoPrivacyFlow::check, facts)
                .findings
                .is_empty()
        );

        let mut quiet = miniprogram();
        quiet.api_calls = vec![mp_call("wx.getSystemInfoSync", "app.js", 1)];
        assert!(
            run_mp(&NoPrivacyFlow::META, NoPrivacyFlow::check, quiet)
                .findings
                .is_empty(),
            "device info alone is not a privacy-guide interface"
        );
    }
}
