use hegui_model::Party;

use super::site_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 小程序客户端代码中写死的凭据：赋给 `secret`、`appSecret` 等名字的 32 位十六进制串（微信
    /// AppSecret 的形态）或其他密钥样的值，以及阿里云 AccessKey、腾讯云 SecretId、AWS Access Key、
    /// 私钥。报告中只显示前四位与长度。
    ///
    /// Credentials written into the client code: 32-hex values (the shape of a WeChat
    /// AppSecret) or other key-like values under names such as `secret` / `appSecret`, and
    /// cloud keys by their prefix. Reports show only the first four characters and the length.
    ///
    /// ## 为何违规 / Why it matters
    /// 小程序包可被任何人下载解包。拿到 AppSecret 即可换取 access_token，调用该小程序的服务端接口、
    /// 读取用户数据；云密钥可直接访问存储的个人信息。个人信息保护法第 51 条与 GB/T 35273 6.3 要求相应的安全措施。
    ///
    /// Anyone can download and unpack a mini-program. An AppSecret yields access tokens to
    /// the app's server APIs and its users' data; cloud keys open the stored PI directly.
    /// PIPL article 51 and GB/T 35273 6.3 require matching security measures.
    ///
    /// ## 示例 / Example
    /// `App({globalData: {appid: 'wx…', secret: '9670…'}})` in `app.js`.
    ///
    /// ## 整改建议 / How to fix
    /// 立即在管理后台重置该密钥；凭据只放在服务器端，由服务器调用 `code2Session` 等接口。
    ///
    /// Reset the secret now in the admin console; keep credentials on the server, which calls
    /// `code2Session` and the like.
    ///
    /// ## 依据 / References
    /// PIPL-51, GBT-6.3
    pub struct EmbeddedSecret {
        code: "MP008",
        name: "embedded-secret",
        title: ("客户端代码中写死密钥", "Secret embedded in the client"),
        severity: High,
        cites: ["PIPL-51", "GBT-6.3"],
        needs: [MiniProgram],
        fix: (
            "立即重置该密钥，并把凭据移到服务器端。",
            "Reset the secret now and move credentials to the server."
        ),
        since: "0.3.0",
    }
}

impl EmbeddedSecret {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        for s in &mp.secrets {
            let name = s.name.as_deref().unwrap_or("-");
            out.push(
                Violation::new(
                    format!(
                        "{}:{} 写死了凭据（{}，名为 {name}，值 {}）。",
                        s.site.file, s.site.line, s.kind, s.masked
                    ),
                    format!(
                        "{}:{} holds a credential ({}, named {name}, value {}).",
                        s.site.file, s.site.line, s.kind, s.masked
                    ),
                    Party::App,
                    format!("{}:{name}:{}", s.kind, s.site.file),
                )
                .evidence([site_evidence(
                    &s.site,
                    format!("{} {name} = {}", s.kind, s.masked),
                )]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{miniprogram, mp_site, render, run_mp};

    #[test]
    fn masked_in_the_finding() {
        let mut facts = miniprogram();
        assert!(
            run_mp(&EmbeddedSecret::META, EmbeddedSecret::check, facts.clone())
                .findings
                .is_empty()
        );
        facts.secrets = vec![hegui_model::EmbeddedSecret {
            kind: "appsecret".into(),
            name: Some("secret".into()),
            masked: "9670…(32)".into(),
            site: mp_site("app.js", 2),
        }];
        let report = run_mp(&EmbeddedSecret::META, EmbeddedSecret::check, facts);
        insta::assert_snapshot!("MP008_fail", render(&report.findings));
    }
}
