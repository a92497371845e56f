use hegui_model::{Party, Severity};

use super::shown_text;
use crate::{Context, Evidence, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 用户在授权弹窗中看到的用途说明（优先取简体中文本地化）为空、是占位文字、是泛泛而谈（“需要访问”
    /// “for better experience”），或面向中国用户却不含中文。
    ///
    /// The purpose text users see in the permission prompt (the Simplified Chinese localisation
    /// first) is empty, a placeholder, generic ("needs access", "for a better experience"), or
    /// has no Chinese in an app for China's stores.
    ///
    /// ## 为何违规 / Why it matters
    /// 《认定方法》二.3 把“申请权限时未同步告知目的，或目的不明确、难以理解”认定为未明示收集目的；
    /// TC260 权限指南 3.2 b 要求目的明确易懂。
    ///
    /// Item 2.3 of the 2019 method treats an absent, unclear or hard-to-understand purpose at
    /// the permission prompt as undisclosed collection; TC260 3.2 b asks for a clear purpose.
    ///
    /// ## 示例 / Example
    /// `NSContactsUsageDescription = "This app needs access"`。
    ///
    /// ## 整改建议 / How to fix
    /// 用中文写明使用该权限的具体功能和场景，例如“用于在您添加好友时从通讯录中选择联系人”。
    ///
    /// State, in Chinese, the feature and moment that need the permission, e.g. "用于在您添加
    /// 好友时从通讯录中选择联系人".
    ///
    /// ## 依据 / References
    /// AM-2.3, PG20204-3.2b
    pub struct UsageDescriptionWeak {
        code: "IOS002",
        name: "usage-description-weak",
        title: ("权限用途说明为空、笼统或非中文", "Usage description empty, generic or not in Chinese"),
        severity: Medium,
        cites: ["AM-2.3", "PG20204-3.2b"],
        needs: [IosBundle],
        fix: (
            "用中文写明使用该权限的具体功能和场景。",
            "State in Chinese the feature and moment that need the permission."
        ),
        since: "0.2.0",
    }
}

/// Phrases that say nothing about the purpose (lower-cased), in both languages.
const GENERIC: &[&str] = &[
    "需要访问",
    "需要使用",
    "需要您的",
    "请允许",
    "允许访问",
    "获取权限",
    "更好的体验",
    "更好的服务",
    "提升体验",
    "needs access",
    "need access",
    "requires access",
    "would like to access",
    "wants to access",
    "better experience",
    "better service",
    "allow access",
    "this app uses",
];
const PLACEHOLDER: &[&str] = &[
    "todo",
    "tbd",
    "xxx",
    "placeholder",
    "description",
    "usage",
    "test",
    "测试",
    "占位",
];

/// Why a purpose text is weak, if it is.
pub(crate) fn weakness(text: &str) -> Option<(&'static str, &'static str)> {
    let t = text.trim();
    let lower = t.to_lowercase();
    let has_cjk = t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let meaningful = t.chars().filter(|c| c.is_alphanumeric()).count();
    if t.is_empty() {
        Some(("为空", "empty"))
    } else if PLACEHOLDER.contains(&lower.as_str()) || meaningful < 4 {
        Some(("是占位文字", "a placeholder"))
    } else if GENERIC.iter().any(|g| lower.contains(g)) && meaningful < 24 {
        Some(("未说明具体用途", "generic, with no purpose"))
    } else if !has_cjk {
        Some(("不含中文", "not in Chinese"))
    } else {
        None
    }
}

impl UsageDescriptionWeak {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(ios) = ctx.ios() else { return };
        for key in ios.usage_descriptions.keys() {
            let Some((text, source)) = shown_text(ios, key) else {
                continue;
            };
            let Some((zh, en)) = weakness(text) else {
                continue;
            };
            let v = Violation::new(
                format!("{key} 的用途说明{zh}：“{text}”。"),
                format!("The usage description of {key} is {en}: \"{text}\"."),
                Party::App,
                key.clone(),
            )
            .evidence([Evidence::Entry {
                path: source,
                detail: Some(format!("{key} = {text:?}")),
            }]);
            out.push(if text.trim().is_empty() {
                v.severity(Severity::High)
            } else {
                v
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ios, render, run_ios};

    #[test]
    fn judges_the_text_users_see() {
        assert!(weakness("用于扫描二维码登录").is_none());
        assert_eq!(weakness(""), Some(("为空", "empty")));
        assert_eq!(weakness("TODO").map(|w| w.1), Some("a placeholder"));
        assert_eq!(
            weakness("需要访问您的相册").map(|w| w.1),
            Some("generic, with no purpose")
        );
        assert_eq!(
            weakness("To scan QR codes at checkout").map(|w| w.1),
            Some("not in Chinese")
        );

        let mut facts = ios();
        for (k, v) in [
            ("NSLocationWhenInUseUsageDescription", ""),
            ("NSContactsUsageDescription", "This app needs access"),
            ("NSCameraUsageDescription", "Camera"),
        ] {
            facts.usage_descriptions.insert(k.into(), v.into());
        }
        // The Chinese localisation is what users see: the English base text is fine then.
        facts
            .localized_usage_descriptions
            .entry("zh-Hans".into())
            .or_default()
            .insert("NSCameraUsageDescription".into(), "用于扫描商品条码".into());
        let report = run_ios(
            &UsageDescriptionWeak::META,
            UsageDescriptionWeak::check,
            facts,
        );
        assert_eq!(report.findings.len(), 2);
        insta::assert_snapshot!("IOS002_fail", render(&report.findings));
    }
}
