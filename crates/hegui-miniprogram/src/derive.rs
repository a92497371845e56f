//! Facts derived from what the readers collected: the privacy-authorization flow and the
//! references to a privacy policy. Still facts, not judgements: rules decide what they mean.

use hegui_knowledge::miniprogram_apis;
use hegui_model::{MiniProgramFacts, PolicyRef, PrivacyFlow, PrivacyFlowStep};

/// Words in a page path or URL that name a privacy policy (as pinyin initials too). A user
/// agreement (`xieyi`, `agreement`) is not one, and `policy` alone is often an insurance
/// policy (保单).
const POLICY_WORDS: &[&str] = &["privacy", "yinsi", "ysxy", "ystk", "yszc", "隐私"];

pub(crate) fn finish(facts: &mut MiniProgramFacts) {
    facts.privacy_flow = privacy_flow(facts);
    facts.policy_refs = policy_refs(facts);
}

fn privacy_flow(facts: &MiniProgramFacts) -> PrivacyFlow {
    let mut evidence: Vec<PrivacyFlowStep> = facts
        .api_calls
        .iter()
        .filter(|c| {
            miniprogram_apis()
                .get(c.name())
                .is_some_and(|a| a.kind == "privacy-flow")
        })
        .map(|c| PrivacyFlowStep {
            what: c.api.clone(),
            site: Some(c.site()),
        })
        .chain(
            facts
                .open_types
                .iter()
                .filter(|o| o.value == "agreePrivacyAuthorization")
                .map(|o| PrivacyFlowStep {
                    what: "open-type=agreePrivacyAuthorization".into(),
                    site: Some(o.site.clone()),
                }),
        )
        .collect();
    let present = !evidence.is_empty();
    if facts.declared.use_privacy_check == Some(true) {
        let what = if facts.platform == "bytedance" {
            "usePrivacyCheck"
        } else {
            "__usePrivacyCheck__"
        };
        evidence.push(PrivacyFlowStep {
            what: what.into(),
            site: None,
        });
    }
    PrivacyFlow { present, evidence }
}

fn names_policy(text: &str) -> bool {
    let lower = text.to_lowercase();
    POLICY_WORDS.iter().any(|w| lower.contains(w))
}

fn policy_refs(facts: &MiniProgramFacts) -> Vec<PolicyRef> {
    let pages = facts
        .pages
        .iter()
        .filter(|p| names_policy(p))
        .map(|p| PolicyRef {
            kind: "page".into(),
            value: p.clone(),
            site: None,
        });
    let urls = facts
        .http_endpoints
        .iter()
        .filter(|e| e.usage != "resource" && names_policy(&e.url))
        .map(|e| PolicyRef {
            kind: "url".into(),
            value: e.url.clone(),
            site: Some(e.site.clone()),
        });
    let contract = facts
        .api_calls
        .iter()
        .filter(|c| c.name() == "openPrivacyContract")
        .map(|c| PolicyRef {
            kind: "contract-api".into(),
            value: c.api.clone(),
            site: Some(c.site()),
        });
    pages.chain(urls).chain(contract).collect()
}

#[cfg(test)]
mod tests {
    use hegui_model::{Endpoint, MiniProgramApiCall, OpenTypeUse, SourceSite};

    use super::*;

    #[test]
    fn flow_needs_an_api_or_button_and_policy_refs_come_from_three_places() {
        let mut facts = MiniProgramFacts {
            platform: "wechat".into(),
            pages: vec!["pages/index/index".into(), "pages/mine/privacy".into()],
            ..Default::default()
        };
        facts.declared.use_privacy_check = Some(true);
        finish(&mut facts);
        assert!(
            !facts.privacy_flow.present,
            "the switch alone is not a flow"
        );
        assert_eq!(facts.privacy_flow.evidence[0].what, "__usePrivacyCheck__");
        assert_eq!(facts.policy_refs.len(), 1);

        let site = SourceSite {
            file: "app.js".into(),
            line: 3,
            col: 1,
        };
        facts.api_calls.push(MiniProgramApiCall {
            api: "wx.openPrivacyContract".into(),
            file: "app.js".into(),
            line: 3,
            col: 1,
        });
        facts.open_types.push(OpenTypeUse {
            value: "agreePrivacyAuthorization".into(),
            site: site.clone(),
            compiled: false,
        });
        facts.http_endpoints.push(Endpoint {
            url: "https://example.com/yinsi.html".into(),
            scheme: "https".into(),
            host: "example.com".into(),
            cleartext: false,
            local: false,
            usage: "url".into(),
            site,
            count: 1,
        });
        finish(&mut facts);
        assert!(facts.privacy_flow.present);
        assert_eq!(facts.privacy_flow.evidence.len(), 3);
        let kinds: Vec<&str> = facts.policy_refs.iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(kinds, ["page", "url", "contract-api"]);
    }
}
