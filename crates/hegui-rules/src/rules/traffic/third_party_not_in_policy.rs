use hegui_model::Party;

use super::{confidence, flow_evidence, group, kinds};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 含个人信息的请求发往某第三方 SDK 的服务器，而隐私政策的第三方（SDK）清单没有列出该 SDK 或其
    /// 运营方的其他 SDK。
    ///
    /// Requests carrying PI went to a third-party SDK's servers, and the privacy policy's
    /// third-party list names neither that SDK nor another SDK of its operator.
    ///
    /// ## 为何违规 / Why it matters
    /// T/TAF 078.5 §3.1 与《认定方法》五.1：未明示即共享；个人信息保护法第 23 条要求告知接收方的
    /// 名称、联系方式、处理目的和方式。
    ///
    /// T/TAF 078.5 §3.1 and the 2019 method 5.1: sharing without disclosure; PIPL art. 23
    /// requires naming the recipient, its contact, purpose and method.
    ///
    /// ## 示例 / Example
    /// `POST https://t.gdt.qq.com/conv` 携带 IMEI 的 MD5，政策只列出了友盟。
    ///
    /// ## 整改建议 / How to fix
    /// 在第三方共享清单中列出该 SDK 的名称、运营方、目的、收集的信息和隐私政策链接，或移除该 SDK。
    ///
    /// List the SDK (name, operator, purpose, PI, policy link) in the sharing list, or remove
    /// it.
    ///
    /// ## 依据 / References
    /// TTAF078.5-3.1, AM-5.1, PIPL-23, GBT-9.2
    pub struct ThirdPartyNotInPolicy {
        code: "NET003",
        name: "pi-to-unlisted-third-party",
        title: ("向隐私政策未列明的第三方发送个人信息", "PI sent to a third party the policy does not list"),
        severity: Medium,
        cites: ["TTAF078.5-3.1", "AM-5.1", "PIPL-23", "GBT-9.2"],
        needs: [Traffic, Policy],
        fix: (
            "在隐私政策第三方共享清单中列明该 SDK，或停止向其发送个人信息。",
            "List the SDK in the policy's sharing list, or stop sending it PI."
        ),
        since: "0.5.0",
    }
}

impl ThirdPartyNotInPolicy {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let (Some(t), Some(policy)) = (ctx.trace(), ctx.policy()) else {
            return;
        };
        let named = |id: &str| {
            policy
                .third_parties
                .iter()
                .any(|p| p.sdks.iter().any(|s| s == id))
        };
        let vendor = |id: &str| ctx.catalog.get(id).map(|s| s.vendor.clone());
        // An operator named through any of its SDKs covers the others (JPush ships JCore).
        let vendor_named = |id: &str| {
            vendor(id).is_some_and(|v| {
                policy
                    .third_parties
                    .iter()
                    .flat_map(|p| &p.sdks)
                    .any(|s| vendor(s).as_deref() == Some(v.as_str()))
            })
        };
        let unlisted = t.network.pi_flows.iter().filter(|f| {
            f.owner.as_deref().is_some_and(|o| {
                !ctx.is_framework(&Party::Sdk(o.to_string())) && !named(o) && !vendor_named(o)
            })
        });
        for (owner, flows) in group(unlisted, |f| f.owner.clone().unwrap_or_default()) {
            let party = Party::Sdk(owner.clone());
            let who = ctx.party_label(&party);
            let what = kinds(&flows);
            let mut hosts: Vec<&str> = flows.iter().map(|f| f.host.as_str()).collect();
            hosts.sort_unstable();
            hosts.dedup();
            out.push(
                Violation::new(
                    format!(
                        "{}的服务器（{}）收到了个人信息（{what}），隐私政策没有列出它。",
                        who.zh,
                        hosts.join("、")
                    ),
                    format!(
                        "The servers of {} ({}) received PI ({what}); the policy does not list it.",
                        who.en,
                        hosts.join(", ")
                    ),
                    party,
                    owner,
                )
                .evidence(flow_evidence(&flows))
                .confidence(confidence(&flows)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{NamedParty, TextSpan};

    use super::*;
    use crate::testing::{policy, render, run_trace, trace};

    #[test]
    fn recipients_against_the_policy_list() {
        let facts = trace(&[
            r#"{"type":"network_request","method":"POST","url":"https://t.gdt.qq.com/conv","req":{"body_text":"muid=9774d56d682e549c"}}"#,
            r#"{"type":"network_request","method":"POST","url":"https://alog.umeng.com/app_logs","req":{"body_text":"aid=9774d56d682e549c"}}"#,
        ]);
        let mut p = policy();
        p.third_parties = vec![NamedParty {
            name: "友盟".into(),
            sdks: vec!["umeng".into()],
            span: TextSpan {
                start: 0,
                end: 2,
                quote: "友盟".into(),
                source: None,
            },
        }];
        let report = run_trace(
            &ThirdPartyNotInPolicy::META,
            ThirdPartyNotInPolicy::check,
            facts,
            Some(p),
        );
        insta::assert_snapshot!("NET003_gdt", render(&report.findings));
    }
}
