use hegui_model::{ConsentPhase, Party};

use super::{confidence, flow_evidence, group, kinds, requests};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 用户同意隐私政策之前（或拒绝之后），含个人信息的请求已发往第三方 SDK 的服务器（按 SDK 目录中
    /// 的域名识别接收方；有 SSL 钩子堆栈时按堆栈归属发送方）。
    ///
    /// Before the user accepted the policy (or after a refusal), requests carrying PI went to
    /// a third-party SDK's servers (recipients known by the SDK catalogue's domains; with an
    /// SSL-hook stack the sender is attributed by it).
    ///
    /// ## 为何违规 / Why it matters
    /// 164 号文第 3 项与《认定方法》五.1：未经同意、未经匿名化，通过嵌入的第三方代码向第三方提供个人
    /// 信息；个人信息保护法第 23 条要求向其他处理者提供须单独同意。
    ///
    /// Notice 164 item 3 and the 2019 method 5.1: giving PI to a third party through embedded
    /// code without consent or anonymisation; PIPL art. 23 requires separate consent.
    ///
    /// ## 示例 / Example
    /// 同意前 `POST https://alog.umeng.com/app_logs`，请求体含 Base64 编码的 Android ID。
    ///
    /// ## 整改建议 / How to fix
    /// 第三方 SDK 在用户同意后再初始化；向第三方提供信息前告知接收方并取得单独同意。
    ///
    /// Initialise third-party SDKs after consent; name the recipient and get separate
    /// consent before sharing.
    ///
    /// ## 依据 / References
    /// MIIT164-03, AM-5.1, TTAF078.5-3.2, PIPL-23, GBT-9.2
    pub struct ThirdPartyBeforeConsent {
        code: "NET002",
        name: "pi-to-third-party-before-consent",
        title: ("同意前向第三方发送个人信息", "PI sent to a third party before consent"),
        severity: High,
        cites: ["MIIT164-03", "AM-5.1", "TTAF078.5-3.2", "PIPL-23", "GBT-9.2"],
        needs: [Traffic, Trace],
        fix: (
            "第三方 SDK 在用户同意后再初始化和上报；向第三方提供信息须取得单独同意。",
            "Start third-party SDKs and their uploads only after consent."
        ),
        since: "0.5.0",
    }
}

impl ThirdPartyBeforeConsent {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        let early = t.network.pi_flows.iter().filter(|f| {
            matches!(
                f.phase,
                ConsentPhase::BeforeConsent | ConsentPhase::AfterRejection
            ) && f
                .owner
                .as_ref()
                .is_some_and(|o| !ctx.is_framework(&Party::Sdk(o.clone())))
        });
        for ((owner, host), flows) in group(early, |f| {
            (f.owner.clone().unwrap_or_default(), f.host.as_str())
        }) {
            let party = Party::Sdk(owner);
            let who = ctx.party_label(&party);
            let what = kinds(&flows);
            let rejected = flows
                .iter()
                .any(|f| f.phase == ConsentPhase::AfterRejection);
            let (when_zh, when_en) = if rejected {
                ("拒绝隐私政策后", "after the policy was rejected")
            } else {
                ("同意隐私政策前", "before consent")
            };
            out.push(
                Violation::new(
                    format!(
                        "{when_zh}，{} 个含个人信息（{what}）的请求发往{}的服务器 {host}。",
                        flows.len(),
                        who.zh
                    ),
                    format!(
                        "{} with PI ({what}) went to the server {host} of {} {when_en}.",
                        requests(flows.len()),
                        who.en
                    ),
                    party,
                    host.to_string(),
                )
                .evidence(flow_evidence(&flows))
                .confidence(confidence(&flows)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, run_trace, trace};

    #[test]
    fn umeng_upload_before_acceptance() {
        let upload = r#"{"type":"network_request","method":"POST","url":"https://alog.umeng.com/app_logs","req":{"headers":[{"n":"Content-Type","v":"application/json"}],"body_text":"{\"aid\":\"OTc3NGQ1NmQ2ODJlNTQ5Yw==\"}"}}"#;
        let facts = trace(&[
            r#"{"type":"app_start","kind":"cold","trigger":"automation"}"#,
            upload,
            r#"{"type":"consent_shown","dialog_id":"d1","kind":"privacy_policy"}"#,
            r#"{"type":"consent_accepted","dialog_id":"d1"}"#,
            upload,
        ]);
        let report = run_trace(
            &ThirdPartyBeforeConsent::META,
            ThirdPartyBeforeConsent::check,
            facts,
            None,
        );
        insta::assert_snapshot!("NET002_umeng", render(&report.findings));
    }
}
