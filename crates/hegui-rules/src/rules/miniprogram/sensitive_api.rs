use std::collections::BTreeMap;

use hegui_model::{Evidence, Party};

use super::{MAX_SITES, call_evidence, site_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 小程序使用了可获取敏感个人信息的接口：手机号（`getPhoneNumber` / `getRealtimePhoneNumber`
    /// 按钮、支付宝 `getAuthorize(phoneNumber)`）、通讯录、收货地址、剪切板读取、微信运动步数、
    /// 人脸核验与生物认证、VisionKit 会话（`createVKSession`，可做人脸与人体追踪）。每类一条，列出位置。
    ///
    /// The mini-program uses interfaces that reach sensitive PI: phone number buttons,
    /// contacts, postal address, clipboard reads, WeRun steps, face verification and
    /// biometric authentication, VisionKit sessions (face and body tracking). One finding per
    /// kind, with the sites.
    ///
    /// ## 为何违规 / Why it matters
    /// 个人信息保护法第 28、29 条：处理敏感个人信息须有特定目的和充分必要性，并取得单独同意；
    /// GB/T 35273 5.4b 要求明示同意。使用本身不一定违规，本项是清单（提示级），用于核对隐私政策与授权弹窗。
    ///
    /// PIPL articles 28–29 require a specific purpose, necessity and separate consent for
    /// sensitive PI; GB/T 35273 5.4b asks for explicit consent. Use is not itself a violation:
    /// this is an inventory (info) to check the policy and consent against.
    ///
    /// ## 示例 / Example
    /// `<button open-type="getPhoneNumber" bindgetphonenumber="onPhone">` and
    /// `wx.getClipboardData()` on the home page.
    ///
    /// ## 整改建议 / How to fix
    /// 确认每项都为具体功能所必需，在隐私政策与指引中逐项说明目的，并在使用前取得单独同意；
    /// 不必要的（如启动时读取剪切板）删除。
    ///
    /// Make sure each serves a concrete feature, state each purpose in the policy and guide,
    /// take separate consent before use, and remove the unnecessary ones (e.g. reading the
    /// clipboard at start-up).
    ///
    /// ## 依据 / References
    /// PIPL-28, PIPL-29, GBT-5.4b, GBT-5.4c
    pub struct SensitiveApi {
        code: "MP006",
        name: "sensitive-api",
        title: ("使用可获取敏感个人信息的接口", "Interfaces that reach sensitive PI"),
        severity: Info,
        cites: ["PIPL-28", "PIPL-29", "GBT-5.4b", "GBT-5.4c"],
        needs: [MiniProgram],
        fix: (
            "确认每项为功能所必需，在隐私政策中逐项说明目的，使用前取得单独同意；删除不必要的。",
            "Keep only what a feature needs, state each purpose in the policy, and take separate consent before use."
        ),
        since: "0.3.0",
    }
}

/// Kinds of sensitive PI: (key, zh, en, API categories from the table).
const KINDS: &[(&str, &str, &str, &[&str])] = &[
    ("phone-number", "手机号", "phone number", &["phone_number"]),
    ("contacts", "通讯录", "contacts", &["contacts_read"]),
    (
        "address",
        "收货地址",
        "postal address",
        &["address_contact"],
    ),
    (
        "clipboard",
        "剪切板内容",
        "clipboard contents",
        &["clipboard_read"],
    ),
    ("health", "运动步数", "step counts", &["health_steps"]),
    (
        "biometric",
        "人脸或生物认证",
        "face or biometric authentication",
        &["biometric_face", "biometric_local"],
    ),
];

/// Button open-types that hand over a phone number.
const PHONE_OPEN_TYPES: &[&str] = &[
    "getPhoneNumber",
    "getRealtimePhoneNumber",
    "getAuthorize(phoneNumber)",
];

/// The interface names, evidence and party of one kind of data.
type KindUse = (Vec<String>, Vec<Evidence>, Option<Party>);

impl SensitiveApi {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        // Per kind: the names, the evidence, and who made the calls (the app when any is its
        // own, else the first SDK).
        let mut found: BTreeMap<&str, KindUse> = BTreeMap::new();
        let mut add = |kind: &'static str, name: String, evidence: Evidence, party: Party| {
            let (names, sites, who) = found.entry(kind).or_default();
            if !names.contains(&name) {
                names.push(name);
            }
            if who.is_none() || party == Party::App {
                *who = Some(party);
            }
            if sites.len() < MAX_SITES {
                sites.push(evidence);
            }
        };
        for call in super::app_side_calls(mp) {
            let name = call.name();
            let Some(api) = hegui_knowledge::miniprogram_apis().get(name) else {
                continue;
            };
            let kind = KINDS
                .iter()
                .find(|k| k.3.contains(&api.category.as_str()))
                .map(|k| k.0)
                .or((name == "createVKSession").then_some("vision-kit"));
            if let Some(kind) = kind {
                add(
                    kind,
                    call.api.clone(),
                    call_evidence(call),
                    Party::parse(&call.party),
                );
            }
        }
        for o in &mp.open_types {
            if PHONE_OPEN_TYPES.contains(&o.value.as_str()) {
                let name = format!("open-type={}", o.value);
                add(
                    "phone-number",
                    name.clone(),
                    site_evidence(&o.site, name),
                    Party::App,
                );
            }
        }
        for (kind, (names, evidence, who)) in found {
            let (zh, en) = match KINDS.iter().find(|k| k.0 == kind) {
                Some(k) => (k.1, k.2),
                None => (
                    "人脸/人体追踪（VisionKit）",
                    "face or body tracking (VisionKit)",
                ),
            };
            out.push(
                Violation::new(
                    format!("使用了可获取{zh}的接口：{}。", names.join("、")),
                    format!("Interfaces that reach {en} are used: {}.", names.join(", ")),
                    who.unwrap_or(Party::App),
                    kind,
                )
                .evidence(evidence),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::OpenTypeUse;

    use super::*;
    use crate::testing::{miniprogram, mp_call, mp_site, render, run_mp};

    #[test]
    fn one_finding_per_kind() {
        let mut facts = miniprogram();
        facts.api_calls = vec![
            mp_call("wx.getClipboardData", "app.js", 5),
            mp_call("wx.getClipboardData", "pages/a/a.js", 9),
            mp_call("wx.chooseContact", "pages/b/b.js", 2),
            mp_call("wx.createVKSession", "pages/ar/ar.js", 30),
            mp_call("wx.chooseImage", "pages/b/b.js", 4),
        ];
        facts.open_types = vec![OpenTypeUse {
            value: "getPhoneNumber".into(),
            site: mp_site("pages/me/me.wxml", 8),
            compiled: false,
        }];
        let report = run_mp(&SensitiveApi::META, SensitiveApi::check, facts);
        assert_eq!(
            report.findings.len(),
            4,
            "clipboard, contacts, phone, vision kit"
        );
        insta::assert_snapshot!("MP006_fail", render(&report.findings));
        assert!(
            run_mp(&SensitiveApi::META, SensitiveApi::check, miniprogram())
                .findings
                .is_empty()
        );
    }
}
