use std::collections::BTreeMap;

use hegui_model::{Evidence, Party, TlsOverride, TlsOverrideKind};

use super::MAX_EVIDENCE;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 关闭 TLS 证书校验的代码：`X509TrustManager.checkServerTrusted` 为空实现（信任所有证书）、
    /// `HostnameVerifier.verify` 恒返回 true、`WebViewClient.onReceivedSslError` 中调用 `SslErrorHandler.proceed()`。
    ///
    /// Code that switches TLS verification off: a `checkServerTrusted` that returns without
    /// checking (trust-all), a `HostnameVerifier.verify` that always returns true, a
    /// `WebViewClient.onReceivedSslError` that calls `SslErrorHandler.proceed()`.
    ///
    /// ## 为何违规 / Why it matters
    /// 证书校验被关闭后，HTTPS 形同明文：中间人可读取和篡改传输中的个人信息，违反 GB/T 35273-2020 6.3 的传输加密要求和个人信息保护法第 51 条。
    ///
    /// With verification off, HTTPS is as good as cleartext: a man in the middle reads and
    /// alters PI in transit (GB/T 35273 6.3, PIPL art. 51).
    ///
    /// ## 示例 / Example
    /// ```java
    /// public void checkServerTrusted(X509Certificate[] chain, String authType) { }
    /// ```
    ///
    /// ## 整改建议 / How to fix
    /// 使用系统默认的 TrustManager 与 HostnameVerifier；自签证书用网络安全配置固定；`onReceivedSslError` 中调用 `handler.cancel()`。
    ///
    /// Use the platform's default TrustManager and HostnameVerifier; pin private CAs in the
    /// network security config; call `handler.cancel()` in `onReceivedSslError`.
    ///
    /// ## 依据 / References
    /// GBT-6.3, PIPL-51
    pub struct InsecureTls {
        code: "AND008",
        name: "insecure-tls",
        title: ("关闭 TLS 证书校验，个人信息可能以非加密方式被读取", "TLS verification disabled: personal information may travel unprotected"),
        severity: High,
        cites: ["GBT-6.3", "PIPL-51"],
        needs: [AndroidCode],
        fix: (
            "使用系统默认的证书与主机名校验；私有 CA 通过网络安全配置固定；onReceivedSslError 中调用 handler.cancel()。",
            "Use the platform's default certificate and hostname checks; pin private CAs in the network security config; cancel in onReceivedSslError."
        ),
        since: "0.1.0",
    }
}

fn describe(kind: TlsOverrideKind) -> (&'static str, &'static str) {
    match kind {
        TlsOverrideKind::TrustManager => {
            ("信任所有证书的 TrustManager", "a trust-all TrustManager")
        }
        TlsOverrideKind::HostnameVerifier => (
            "不校验主机名的 HostnameVerifier",
            "an allow-all HostnameVerifier",
        ),
        TlsOverrideKind::WebViewSslError => (
            "忽略 WebView 证书错误（proceed）",
            "a WebView that proceeds on certificate errors",
        ),
    }
}

impl InsecureTls {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        let mut groups: BTreeMap<(Party, &'static str), Vec<&TlsOverride>> = BTreeMap::new();
        for o in android.tls_overrides.iter().filter(|o| o.accepts_all) {
            groups
                .entry((ctx.party_of(&o.class), describe(o.kind).1))
                .or_default()
                .push(o);
        }
        for ((party, _), overrides) in groups {
            let Some(first) = overrides.first() else {
                continue;
            };
            let (zh, en) = describe(first.kind);
            let classes: Vec<&str> = overrides.iter().map(|o| o.class.as_str()).collect();
            out.push(
                Violation::new(
                    format!(
                        "{}包含{zh}：{}。",
                        ctx.party_label(&party).zh,
                        classes.join("、")
                    ),
                    format!(
                        "{} contains {en}: {}.",
                        ctx.party_label(&party).en,
                        classes.join(", ")
                    ),
                    party.clone(),
                    en,
                )
                .evidence(overrides.iter().take(MAX_EVIDENCE).map(|o| {
                    Evidence::Code {
                        file: o.dex.clone(),
                        class: o.class.clone(),
                        method: o.method.clone(),
                        offset: o.offset,
                        api: None,
                    }
                })),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, render, run};

    fn tls(kind: TlsOverrideKind, class: &str, accepts_all: bool) -> TlsOverride {
        TlsOverride {
            kind,
            class: class.into(),
            method: "m".into(),
            accepts_all,
            dex: "classes.dex".into(),
            offset: 0x99,
            party: hegui_model::Party::Unknown,
        }
    }

    #[test]
    fn flags_accept_all_overrides() {
        let mut facts = android();
        facts.tls_overrides = vec![
            tls(
                TlsOverrideKind::TrustManager,
                "com.example.app.net.TrustAll",
                true,
            ),
            tls(
                TlsOverrideKind::HostnameVerifier,
                "com.example.app.net.AllowAll",
                true,
            ),
            tls(
                TlsOverrideKind::WebViewSslError,
                "com.example.app.web.Lax",
                true,
            ),
            tls(
                TlsOverrideKind::TrustManager,
                "com.example.app.net.Pinning",
                false,
            ),
        ];
        let report = run(&InsecureTls::META, InsecureTls::check, facts);
        assert_eq!(report.findings.len(), 3);
        insta::assert_snapshot!("AND008_fail", render(&report.findings));
    }

    #[test]
    fn quiet_for_real_checks() {
        let mut facts = android();
        facts.tls_overrides = vec![tls(
            TlsOverrideKind::TrustManager,
            "com.example.app.net.Pinning",
            false,
        )];
        assert!(
            run(&InsecureTls::META, InsecureTls::check, facts)
                .findings
                .is_empty()
        );
    }
}
