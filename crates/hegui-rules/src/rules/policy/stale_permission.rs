use std::collections::BTreeSet;

use hegui_knowledge::permission_info;
use hegui_model::{Party, PiCategory, Severity};

use super::span_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 隐私政策说应用会申请某项权限（如“相机权限”“android.permission.READ_CONTACTS”），但 Android
    /// 安装包并未声明能打开这类信息的权限：政策可能已过时，或对应另一个版本。提示级。
    ///
    /// The policy says the app asks for a permission (a camera permission,
    /// `android.permission.READ_CONTACTS`) that the Android package does not request: the
    /// policy may be stale or written for another version. Info.
    ///
    /// ## 为何违规 / Why it matters
    /// GB/T 35273 5.5b-c 要求政策真实、准确、完整；与实际不符的政策让用户无法判断应用真正收集了什么，
    /// 也常意味着政策没有随版本更新。
    ///
    /// GB/T 35273 5.5b-c asks for a true, accurate policy; one that lists permissions the
    /// app does not use misleads the user and often means it was not updated with the app.
    ///
    /// ## 示例 / Example
    /// The policy lists 通讯录权限; the manifest has no `READ_CONTACTS`.
    ///
    /// ## 整改建议 / How to fix
    /// 按当前版本更新政策中的权限清单。
    ///
    /// Update the policy's permission list to the current version.
    ///
    /// ## 依据 / References
    /// GBT-5.5b-c
    pub struct StalePermission {
        code: "XC003",
        name: "policy-permission-not-requested",
        title: ("政策声明的权限未被申请", "Permission in the policy not requested by the app"),
        severity: Info,
        cites: ["GBT-5.5b-c"],
        needs: [Policy, AndroidManifest],
        fix: (
            "按当前版本更新隐私政策中的权限清单。",
            "Update the policy's permission list to the current version."
        ),
        since: "0.4.0",
    }
}

impl StalePermission {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let (Some(policy), Some(android)) = (ctx.policy(), ctx.android()) else {
            return;
        };
        let requested: BTreeSet<PiCategory> = android
            .permissions
            .iter()
            .filter_map(|p| permission_info(p))
            .flat_map(|info| info.categories.iter().copied())
            .collect();
        for declared in &policy.permissions {
            if requested.contains(&declared.category) {
                continue;
            }
            let name = declared.category.label();
            out.push(
                Violation::new(
                    format!("隐私政策提到“{}”（{}），但安装包没有申请能获取这类信息的权限。", declared.term, name.zh),
                    format!("The policy mentions \"{}\" ({}), but the package requests no permission that opens it.", declared.term, name.en),
                    Party::App,
                    declared.category.id(),
                )
                .severity(Severity::Info)
                .evidence([span_evidence(policy, &declared.span)]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{DeclaredPermission, Facts, TextSpan};

    use super::*;
    use crate::testing::{android, policy, run_facts_pub};

    #[test]
    fn permission_in_policy_not_in_manifest() {
        let mut a = android();
        a.permissions = vec!["android.permission.CAMERA".into()];
        let mut p = policy();
        let declared = |category, term: &str| DeclaredPermission {
            category,
            term: term.into(),
            span: TextSpan {
                start: 0,
                end: 2,
                quote: term.into(),
                source: None,
            },
        };
        p.permissions = vec![
            declared(PiCategory::Camera, "相机"),
            declared(PiCategory::Contacts, "通讯录"),
        ];
        let facts = Facts {
            android: Some(a),
            policy: Some(p),
            ..Facts::default()
        };
        let report = run_facts_pub(&StalePermission::META, StalePermission::check, &facts);
        assert_eq!(report.findings.len(), 1);
        assert!(report.findings[0].message.en.contains("通讯录"));
    }
}
