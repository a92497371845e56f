use std::collections::BTreeMap;

use hegui_model::{MiniProgramApiCall, Party};

use super::{calls_by_api, calls_evidence, config_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 调用了需要位置授权（`scope.userLocation`、`scope.userFuzzyLocation`、
    /// `scope.userLocationBackground`）的接口，但 `permission` 中没有该 scope 的用途说明 `desc`，
    /// 或 `desc` 为空、过短、是模板原文（如“你的位置信息将用于小程序位置接口的效果展示”）等泛泛之词。
    ///
    /// An API needing a location scope is called, but `permission` has no purpose `desc` for
    /// that scope, or the text is empty, too short, or stock template wording.
    ///
    /// ## 为何违规 / Why it matters
    /// 授权弹窗展示的就是 `desc`：它是申请位置时同步告知目的的唯一位置。认定方法 2.3 将申请敏感信息
    /// 时未同步告知目的或目的不明确认定为违规；小程序合规指引第 4 项同此。
    ///
    /// The authorisation dialog shows this text: it is where the purpose is stated when
    /// location is requested. Method item 2.3 and the mini-program guide's item 4 call a
    /// missing or vague purpose a violation.
    ///
    /// ## 示例 / Example
    /// `"permission": {"scope.userLocation": {"desc": "你的位置信息将用于小程序位置接口的效果展示"}}`。
    ///
    /// ## 整改建议 / How to fix
    /// 写明具体用途，例如“用于查找您附近的门店并计算配送距离”。
    ///
    /// State the concrete purpose, e.g. "to find the shops near you and compute the delivery
    /// distance".
    ///
    /// ## 依据 / References
    /// WX-PRIV-03, MP-04, AM-2.3
    pub struct LocationPurpose {
        code: "MP002",
        name: "location-purpose",
        title: ("位置授权未说明用途或用途泛泛", "Location permission without a specific purpose"),
        severity: Medium,
        cites: ["WX-PRIV-03", "MP-04", "AM-2.3"],
        needs: [MiniProgram],
        fix: (
            "在 permission.<scope>.desc 中写明具体用途，例如“用于查找您附近的门店”。",
            "Write the concrete purpose in permission.<scope>.desc, e.g. \"to find the shops near you\"."
        ),
        since: "0.3.0",
    }
}

/// Purpose texts that say nothing: the official template's own wording and one-word answers.
const BOILERPLATE: &[&str] = &[
    "你的位置信息将用于小程序位置接口的效果展示",
    "您的位置信息将用于小程序位置接口的效果展示",
    "请点击确定",
    "点击确定",
    "获取你的位置信息",
    "获取您的位置信息",
    "获取位置信息",
    "获取位置",
    "位置信息",
    "用于定位",
];

/// Shortest purpose that can name both what and why.
const MIN_CHARS: usize = 6;

fn is_generic(desc: &str) -> bool {
    let t = desc.trim().trim_end_matches(['。', '.', '!', '！', '~']);
    t.chars().count() < MIN_CHARS || BOILERPLATE.contains(&t) || t.contains("效果展示")
}

impl LocationPurpose {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        if !matches!(mp.platform.as_str(), "wechat" | "bytedance" | "qq") {
            return;
        }
        let mut by_scope: BTreeMap<&str, Vec<&MiniProgramApiCall>> = BTreeMap::new();
        // APIs whose scope the platform asks for with the `desc` text (not `chooseLocation`,
        // where the user picks a place).
        let location_scope = |a: &hegui_knowledge::MiniProgramApi| {
            a.needs.iter().any(|n| n == "permission")
                && a.scope.as_deref().is_some_and(|s| {
                    s.starts_with("scope.userLocation") || s == "scope.userFuzzyLocation"
                })
        };
        for (name, calls) in calls_by_api(mp, location_scope) {
            let scope = hegui_knowledge::miniprogram_apis()
                .get(name)
                .and_then(|a| a.scope.as_deref())
                .unwrap_or("scope.userLocation");
            by_scope.entry(scope).or_default().extend(calls);
        }
        for (scope, calls) in by_scope {
            let desc = mp
                .declared
                .permission
                .as_ref()
                .and_then(|p| p.get(scope))
                .and_then(|p| p.desc.as_deref());
            let (zh, en) = match desc {
                None => (
                    format!("调用了需要 {scope} 授权的接口，但 permission 中没有它的用途说明。"),
                    format!(
                        "APIs needing {scope} are called, but permission gives no purpose for it."
                    ),
                ),
                Some(d) if is_generic(d) => (
                    format!("{scope} 的用途说明“{d}”过于笼统，没有说明具体用途。"),
                    format!(
                        "The purpose given for {scope}, \"{d}\", is too vague to state a purpose."
                    ),
                ),
                Some(_) => continue,
            };
            let mut evidence = vec![config_evidence(
                mp,
                format!("permission.{scope}.desc = {}", desc.unwrap_or("(none)")),
            )];
            evidence.extend(calls_evidence(&calls));
            out.push(Violation::new(zh, en, Party::App, scope).evidence(evidence));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use hegui_model::PermissionDeclaration;

    use super::*;
    use crate::testing::{miniprogram, mp_call, render, run_mp};

    fn with_desc(desc: Option<&str>) -> hegui_model::MiniProgramFacts {
        let mut facts = miniprogram();
        facts.api_calls = vec![mp_call("wx.getLocation", "pages/index/index.js", 12)];
        facts.declared.permission = desc.map(|d| {
            BTreeMap::from([(
                "scope.userLocation".to_string(),
                PermissionDeclaration {
                    desc: Some(d.to_string()),
                },
            )])
        });
        facts
    }

    #[test]
    fn missing_generic_and_specific_purposes() {
        let report = run_mp(
            &LocationPurpose::META,
            LocationPurpose::check,
            with_desc(None),
        );
        insta::assert_snapshot!("MP002_missing", render(&report.findings));
        let stock = with_desc(Some("你的位置信息将用于小程序位置接口的效果展示"));
        let report = run_mp(&LocationPurpose::META, LocationPurpose::check, stock);
        insta::assert_snapshot!("MP002_generic", render(&report.findings));
        let short = with_desc(Some("定位。"));
        assert_eq!(
            run_mp(&LocationPurpose::META, LocationPurpose::check, short)
                .findings
                .len(),
            1
        );
        let good = with_desc(Some("用于查找您附近的门店并计算配送距离"));
        assert!(
            run_mp(&LocationPurpose::META, LocationPurpose::check, good)
                .findings
                .is_empty()
        );
        let mut unused = with_desc(None);
        unused.api_calls.clear();
        assert!(
            run_mp(&LocationPurpose::META, LocationPurpose::check, unused)
                .findings
                .is_empty()
        );
    }
}
