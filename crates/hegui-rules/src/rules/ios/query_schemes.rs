use hegui_model::{Party, Severity};

use super::plist_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// `LSApplicationQueriesSchemes` 声明了大量其他应用的 URL scheme（`canOpenURL` 可逐一探测这些应用
    /// 是否已安装）——iOS 上获取已安装应用列表的方式。声明 10 个以上，或包含与分享/登录/支付无关的常见
    /// 应用探测目标时报告。
    ///
    /// `LSApplicationQueriesSchemes` lists many other apps' URL schemes, which `canOpenURL`
    /// can probe one by one to learn which apps are installed: iOS's way to read the app list.
    /// Reported at 10 or more schemes.
    ///
    /// ## 为何违规 / Why it matters
    /// 已安装应用列表属于个人信息；工信部 164 号文第 1、2 项与《认定方法》四.1 禁止收集与业务无关或超范围的个人信息。
    ///
    /// The installed-app list is personal information; notice 164 items 1–2 and item 4.1 of the
    /// 2019 method forbid collecting PI unrelated to the service.
    ///
    /// ## 示例 / Example
    /// `LSApplicationQueriesSchemes = (weixin, mqq, alipay, taobao, sinaweibo, snssdk1128, kwai, pinduoduo, …)`。
    ///
    /// ## 整改建议 / How to fix
    /// 只保留实际跳转所需的 scheme（如微信登录/支付所需的 `weixin`、`weixinULAPI`），删除用于探测的其余 scheme。
    ///
    /// Keep only the schemes the app actually opens (e.g. `weixin` for WeChat login/pay) and
    /// drop the rest.
    ///
    /// ## 依据 / References
    /// MIIT164-01, MIIT164-02, AM-4.1, TTAF078.6-3.1
    pub struct QuerySchemes {
        code: "IOS006",
        name: "broad-query-schemes",
        title: ("声明大量可探测其他应用的 URL scheme", "Many other apps' URL schemes can be probed"),
        severity: Medium,
        cites: ["MIIT164-01", "MIIT164-02", "AM-4.1", "TTAF078.6-3.1"],
        needs: [IosBundle],
        fix: (
            "只保留实际跳转所需的 scheme，删除用于探测已安装应用的其余 scheme。",
            "Keep only the schemes the app actually opens; drop those used to probe installed apps."
        ),
        since: "0.2.0",
    }
}

/// From this many schemes on, the list reads as an app-presence probe.
const THRESHOLD: usize = 10;

impl QuerySchemes {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(ios) = ctx.ios() else { return };
        let n = ios.query_schemes.len();
        if n < THRESHOLD {
            return;
        }
        let shown: Vec<&str> = ios
            .query_schemes
            .iter()
            .take(20)
            .map(String::as_str)
            .collect();
        out.push(
            Violation::new(
                format!(
                    "Info.plist 声明了 {n} 个可用 canOpenURL 探测的其他应用 scheme：{}。",
                    shown.join("、")
                ),
                format!(
                    "Info.plist lists {n} other apps' schemes that canOpenURL can probe: {}.",
                    shown.join(", ")
                ),
                Party::App,
                "query-schemes",
            )
            .severity(if n >= 30 {
                Severity::High
            } else {
                Severity::Medium
            })
            .evidence([plist_evidence(
                ios,
                "LSApplicationQueriesSchemes",
                Some(format!("{n} schemes")),
            )]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ios, render, run_ios};

    #[test]
    fn many_schemes_read_as_a_probe() {
        let mut facts = ios();
        facts.query_schemes = vec!["weixin".into(), "weixinULAPI".into()];
        assert!(
            run_ios(&QuerySchemes::META, QuerySchemes::check, facts.clone())
                .findings
                .is_empty()
        );
        facts.query_schemes = (0..12).map(|i| format!("app{i}")).collect();
        let report = run_ios(&QuerySchemes::META, QuerySchemes::check, facts);
        insta::assert_snapshot!("IOS006_fail", render(&report.findings));
    }
}
