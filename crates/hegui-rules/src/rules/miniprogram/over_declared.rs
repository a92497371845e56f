use std::collections::BTreeSet;

use hegui_knowledge::miniprogram_apis;
use hegui_model::Party;

use super::config_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// `requiredPrivateInfos` 声明了代码从未调用的接口，或 `permission` 为代码从未使用的 scope 写了用途说明。
    ///
    /// `requiredPrivateInfos` declares an API the code never calls, or `permission` describes
    /// a scope no called API needs.
    ///
    /// ## 为何违规 / Why it matters
    /// 多声明即多告知、多申请：平台和用户会以为小程序处理这些信息，也为以后悄悄启用留下口子。
    /// 最小必要原则（GB/T 35273 5.2）要求申请范围与实际功能一致。也可能是代码通过本工具看不到的方式
    /// 调用（远程下发的代码、插件），因此置信度为中。
    ///
    /// Declaring more than is used over-states the processing and leaves room to start it
    /// silently; minimisation (GB/T 35273 5.2) asks the two to match. The code may also call
    /// it in ways a static reading cannot see (plugins, remote code), hence medium confidence.
    ///
    /// ## 示例 / Example
    /// `"requiredPrivateInfos": ["getLocation", "chooseAddress"]` with no `chooseAddress` call.
    ///
    /// ## 整改建议 / How to fix
    /// 删除未使用的声明；确需使用的，在隐私保护指引中说明用途。
    ///
    /// Remove unused declarations; where a feature needs them, state the purpose in the guide.
    ///
    /// ## 依据 / References
    /// WX-PRIV-02, GBT-5.2
    pub struct OverDeclared {
        code: "MP003",
        name: "over-declared",
        title: ("声明了未使用的隐私接口或授权", "Privacy API or scope declared but not used"),
        severity: Low,
        cites: ["WX-PRIV-02", "GBT-5.2"],
        needs: [MiniProgram],
        fix: (
            "删除未使用的 requiredPrivateInfos 与 permission 声明。",
            "Remove the requiredPrivateInfos and permission entries nothing uses."
        ),
        since: "0.3.0",
    }
}

impl OverDeclared {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(mp) = ctx.miniprogram() else { return };
        // Any call counts as a use here, even one no entry point reaches: a declaration is
        // called "over-declared" only when nothing at all uses it.
        let called: BTreeSet<&str> = mp.api_calls.iter().map(|c| c.name()).collect();
        let scopes: BTreeSet<&str> = called
            .iter()
            .filter_map(|name| miniprogram_apis().get(name)?.scope.as_deref())
            .collect();
        for name in mp.declared.required_private_infos.iter().flatten() {
            if called.contains(name.as_str()) {
                continue;
            }
            out.push(
                Violation::new(
                    format!("requiredPrivateInfos 声明了 {name}，但代码中没有调用它。"),
                    format!("requiredPrivateInfos declares {name}, but the code never calls it."),
                    Party::App,
                    format!("requiredPrivateInfos:{name}"),
                )
                .confidence(hegui_model::Confidence::Medium)
                .evidence([config_evidence(mp, format!("requiredPrivateInfos: {name}"))]),
            );
        }
        for scope in mp.declared.permission.iter().flat_map(|p| p.keys()) {
            if scopes.contains(scope.as_str()) {
                continue;
            }
            out.push(
                Violation::new(
                    format!("permission 为 {scope} 写了用途说明，但没有调用需要该授权的接口。"),
                    format!("permission describes {scope}, but no API needing it is called."),
                    Party::App,
                    format!("permission:{scope}"),
                )
                .confidence(hegui_model::Confidence::Medium)
                .evidence([config_evidence(mp, format!("permission.{scope}"))]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use hegui_model::PermissionDeclaration;

    use super::*;
    use crate::testing::{miniprogram, mp_call, render, run_mp};

    #[test]
    fn declared_but_not_called() {
        let mut facts = miniprogram();
        facts.api_calls = vec![mp_call("wx.getLocation", "pages/index/index.js", 12)];
        facts.declared.required_private_infos =
            Some(vec!["getLocation".into(), "chooseAddress".into()]);
        facts.declared.permission = Some(BTreeMap::from([
            (
                "scope.userLocation".to_string(),
                PermissionDeclaration::default(),
            ),
            ("scope.record".to_string(), PermissionDeclaration::default()),
        ]));
        let report = run_mp(&OverDeclared::META, OverDeclared::check, facts.clone());
        insta::assert_snapshot!("MP003_fail", render(&report.findings));
        assert_eq!(report.findings.len(), 2);

        facts.api_calls.push(mp_call("wx.chooseAddress", "a.js", 1));
        facts.api_calls.push(mp_call("wx.startRecord", "a.js", 2));
        assert!(
            run_mp(&OverDeclared::META, OverDeclared::check, facts)
                .findings
                .is_empty()
        );
    }
}
