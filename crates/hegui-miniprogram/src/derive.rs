//! Facts derived from what the readers collected: the privacy-authorization flow and the
//! references to a privacy policy. Still facts, not judgements: rules decide what they mean.

use hegui_knowledge::miniprogram_apis;
use hegui_model::{MiniProgramFacts, PolicyRef, PrivacyFlow, PrivacyFlowStep, SourceSite};

/// Words in a page path or URL that name a privacy policy (as pinyin initials too). A user
/// agreement (`xieyi`, `agreement`) is not one, and `policy` alone is often an insurance
/// policy (保单).
const POLICY_WORDS: &[&str] = &["privacy", "yinsi", "ysxy", "ystk", "yszc", "隐私"];

/// Titles of a privacy policy as link text shows them (`《隐私政策》`, `隐私保护指引`).
const POLICY_TITLES: &[&str] = &[
    "隐私政策",
    "隐私协议",
    "隐私保护指引",
    "隐私保护政策",
    "隐私权政策",
    "隐私条款",
    "隐私声明",
    "个人信息保护政策",
    "privacy policy",
];
/// References of one kind kept from texts: enough evidence, never a flood.
const MAX_TEXT_REFS: usize = 5;

/// `finish` with the texts the readers found (link text, navigation targets).
pub(crate) fn finish(facts: &mut MiniProgramFacts, texts: &[(String, String, SourceSite)]) {
    facts.privacy_flow = privacy_flow(facts);
    facts.policy_refs = policy_refs(facts);
    for kind in ["text", "navigation", "component"] {
        facts.policy_refs.extend(
            texts
                .iter()
                .filter(|(k, _, _)| k == kind)
                .take(MAX_TEXT_REFS)
                .map(|(k, text, site)| PolicyRef {
                    kind: k.clone(),
                    value: text.chars().take(120).collect(),
                    site: Some(site.clone()),
                }),
        );
    }
}

/// Whether a text names a privacy policy: `text` for a title (`请阅读《隐私政策》`),
/// `navigation` for a page path that is one (`/pages/about/index?key=ysxy`), `component` for a
/// consent component (`privacy-popup`). Run on many strings, so it allocates nothing.
pub(crate) fn policy_text_kind(text: &str) -> Option<String> {
    let titled = if text.is_ascii() {
        contains_ignore_case(text, "privacy policy")
    } else {
        POLICY_TITLES.iter().any(|t| text.contains(t))
    };
    if titled {
        return Some("text".into());
    }
    let text = text.trim();
    // A consent component (`privacy-popup`, `components/privacy/index`).
    let name_like = (3..=60).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/'))
        && text.contains(['-', '/']);
    if name_like && (contains_ignore_case(text, "privacy") || contains_ignore_case(text, "yinsi")) {
        return Some("component".into());
    }
    let path = text.trim_start_matches('/');
    let page = ["pages/", "packages/", "sub", "package"]
        .iter()
        .any(|p| path.starts_with(p))
        && !path.contains("://");
    (page && names_policy(path)).then(|| "navigation".into())
}

/// ASCII case-insensitive substring test, without allocating.
fn contains_ignore_case(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

fn names_policy(text: &str) -> bool {
    POLICY_WORDS.iter().any(|w| {
        if w.is_ascii() {
            contains_ignore_case(text, w)
        } else {
            text.contains(w)
        }
    })
}

fn privacy_flow(facts: &MiniProgramFacts) -> PrivacyFlow {
    // A framework runtime or plugin naming a flow API is not the app running one.
    let mut evidence: Vec<PrivacyFlowStep> = facts
        .api_calls
        .iter()
        .filter(|c| !c.party.starts_with("framework:") && !c.party.starts_with("plugin:"))
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
        finish(&mut facts, &[]);
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
        facts.api_calls.push(MiniProgramApiCall::new(
            "wx.openPrivacyContract",
            site.clone(),
        ));
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
            party: "app".into(),
            unreachable: false,
            with_data: false,
        });
        finish(&mut facts, &[]);
        assert!(facts.privacy_flow.present);
        assert_eq!(facts.privacy_flow.evidence.len(), 3);
        let kinds: Vec<&str> = facts.policy_refs.iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(kinds, ["page", "url", "contract-api"]);
    }
}
