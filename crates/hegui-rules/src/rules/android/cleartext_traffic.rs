use hegui_model::{Confidence, Evidence, Party, StringKind};

use super::{MAX_EVIDENCE, manifest_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 应用允许明文 HTTP 通信：`android:usesCleartextTraffic="true"`、网络安全配置允许明文，
    /// 或 targetSdkVersion < 28 且未显式关闭（系统默认允许明文）；代码中的 `http://` 地址作为补充证据。
    ///
    /// The app allows cleartext HTTP: `usesCleartextTraffic="true"`, a network security config
    /// that permits cleartext, or targetSdk < 28 without opting out (then cleartext is the
    /// default). `http://` URLs in code are added as evidence.
    ///
    /// ## 为何违规 / Why it matters
    /// GB/T 35273-2020 6.3 要求传输敏感个人信息时加密，个人信息保护法第 51 条要求采取加密等安全措施；
    /// 明文通道上的个人信息可被同一网络中的任何人读取或篡改。
    ///
    /// GB/T 35273 6.3 requires encrypting sensitive PI in transit and PIPL art. 51 requires
    /// security measures such as encryption; PI on a cleartext channel can be read or altered
    /// by anyone on the network.
    ///
    /// ## 示例 / Example
    /// ```xml
    /// <application android:usesCleartextTraffic="true">
    /// ```
    ///
    /// ## 整改建议 / How to fix
    /// 所有接口改用 HTTPS，设置 `usesCleartextTraffic="false"`，确需明文的域名在网络安全配置中单独列出。
    ///
    /// Serve every endpoint over HTTPS, set `usesCleartextTraffic="false"`, and list any domain
    /// that truly needs cleartext in the network security config.
    ///
    /// ## 依据 / References
    /// GBT-6.3, PIPL-51
    pub struct CleartextTraffic {
        code: "AND007",
        name: "cleartext-traffic",
        title: ("允许明文传输", "Cleartext traffic allowed"),
        severity: Medium,
        cites: ["GBT-6.3", "PIPL-51"],
        needs: [AndroidManifest],
        fix: (
            "所有接口改用 HTTPS；设置 usesCleartextTraffic=\"false\"，确需明文的域名在网络安全配置中单独声明。",
            "Use HTTPS everywhere; set usesCleartextTraffic=\"false\" and list domains that truly need cleartext in the network security config."
        ),
        since: "0.1.0",
    }
}

impl CleartextTraffic {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        let app = &android.application;
        let nsc = app.network_security_config.as_ref();
        let mut evidence = Vec::new();
        let mut reasons_zh = Vec::new();
        let mut reasons_en = Vec::new();
        let mut confidence = Confidence::High;
        // The network security config, when present, overrides the manifest attribute.
        let base = nsc.and_then(|c| c.base_cleartext_permitted);
        match (base, app.uses_cleartext_traffic) {
            (Some(true), _) => {
                reasons_zh.push("网络安全配置的 base-config 允许明文".to_string());
                reasons_en.push(
                    "the network security config's base-config permits cleartext".to_string(),
                );
            }
            (None, Some(true)) => {
                reasons_zh.push("usesCleartextTraffic=\"true\"".to_string());
                reasons_en.push("usesCleartextTraffic=\"true\"".to_string());
            }
            (None, None) if android.target_sdk.unwrap_or(0) < 28 => {
                reasons_zh.push(format!(
                    "targetSdkVersion={} (<28) 时系统默认允许明文",
                    android.target_sdk.unwrap_or(0)
                ));
                reasons_en.push(format!(
                    "targetSdkVersion {} (<28) allows cleartext by default",
                    android.target_sdk.unwrap_or(0)
                ));
                confidence = Confidence::Medium;
            }
            _ => {}
        }
        if let Some(c) = nsc.filter(|c| !c.cleartext_domains.is_empty()) {
            reasons_zh.push(format!(
                "网络安全配置允许以下域名明文：{}",
                c.cleartext_domains.join("、")
            ));
            reasons_en.push(format!(
                "the network security config permits cleartext for {}",
                c.cleartext_domains.join(", ")
            ));
        }
        if reasons_zh.is_empty() {
            return;
        }
        evidence.push(manifest_evidence(
            "manifest/application",
            "usesCleartextTraffic",
            app.uses_cleartext_traffic.map(|v| v.to_string()),
        ));
        if let Some(c) = nsc {
            evidence.push(Evidence::Entry {
                path: c.path.clone(),
                detail: Some("network security config".into()),
            });
        }
        evidence.extend(
            android
                .strings
                .iter()
                .filter(|s| s.kind == StringKind::HttpUrl)
                .filter(|s| !is_namespace_uri(&s.value))
                .take(MAX_EVIDENCE)
                .map(|s| Evidence::Code {
                    file: s.dex.clone(),
                    class: s.caller_class.clone(),
                    method: s.caller_method.clone(),
                    offset: s.offset,
                    api: Some(s.value.clone()),
                }),
        );
        out.push(
            Violation::new(
                format!("应用允许明文 HTTP 通信：{}。", reasons_zh.join("；")),
                format!("The app allows cleartext HTTP: {}.", reasons_en.join("; ")),
                Party::App,
                "cleartext",
            )
            .confidence(confidence)
            .evidence(evidence),
        );
    }
}

/// XML namespace and schema URIs are identifiers, not endpoints.
fn is_namespace_uri(url: &str) -> bool {
    [
        "http://schemas.android.com/",
        "http://www.w3.org/",
        "http://xml.org/",
        "http://ns.adobe.com/",
    ]
    .iter()
    .any(|p| url.starts_with(p))
}

#[cfg(test)]
mod tests {
    use hegui_model::{NetworkSecurityConfig, StringRef};

    use super::*;
    use crate::testing::{android, render, run};

    #[test]
    fn flags_attribute_config_and_urls() {
        let mut facts = android();
        facts.application.uses_cleartext_traffic = Some(true);
        facts.application.network_security_config = Some(NetworkSecurityConfig {
            path: "res/xml/network_security_config.xml".into(),
            base_cleartext_permitted: Some(true),
            cleartext_domains: vec!["example.com".into()],
            ..Default::default()
        });
        facts.strings = vec![
            StringRef {
                value: "http://api.example.com/collect".into(),
                kind: StringKind::HttpUrl,
                caller_class: "com.example.app.Api".into(),
                caller_method: "endpoint".into(),
                dex: "classes.dex".into(),
                offset: 0x10,
            },
            StringRef {
                value: "http://schemas.android.com/apk/res/android".into(),
                kind: StringKind::HttpUrl,
                caller_class: "com.example.app.X".into(),
                caller_method: "y".into(),
                dex: "classes.dex".into(),
                offset: 0x20,
            },
        ];
        let report = run(&CleartextTraffic::META, CleartextTraffic::check, facts);
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.findings[0].evidence.len(), 3);
        insta::assert_snapshot!("AND007_fail", render(&report.findings));
    }

    #[test]
    fn quiet_when_disabled_on_modern_target() {
        let count = |facts: &hegui_model::AndroidFacts| {
            run(
                &CleartextTraffic::META,
                CleartextTraffic::check,
                facts.clone(),
            )
            .findings
            .len()
        };
        let mut facts = android();
        facts.target_sdk = Some(33);
        assert_eq!(count(&facts), 0);
        facts.target_sdk = Some(26);
        facts.application.uses_cleartext_traffic = Some(false);
        assert_eq!(count(&facts), 0);
        facts.application.uses_cleartext_traffic = None;
        assert_eq!(count(&facts), 1);
    }
}
