use hegui_model::{Evidence, PiCategory};

use super::whole_policy;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 应用或其 SDK 在代码中收集某类个人信息（Android/iOS 的隐私接口调用点、小程序的隐私接口；
    /// 没有调用点时，Android 申请的危险权限），隐私政策却从未声明这一类。每类信息、每个责任方一条，附位置。
    ///
    /// The app or an SDK collects a kind of PI in its code (Android/iOS privacy-API call
    /// sites, mini-program privacy APIs; where no call site shows it, the dangerous Android
    /// permissions requested) that the policy never declares. One finding per kind and
    /// responsible party, with the sites.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 1 项“违规收集个人信息”、认定方法 2.1 与 3.9：收集政策未告知的信息即未告知目的方式范围；
    /// 个人信息保护法第 17 条要求处理前告知种类。
    ///
    /// Notice 164 item 1, method items 2.1 and 3.9, and PIPL article 17: collecting PI the
    /// policy does not name is collecting without notice.
    ///
    /// ## 示例 / Example
    /// The code reads `ClipboardManager.getPrimaryClip` while the policy never mentions 剪切板.
    ///
    /// ## 整改建议 / How to fix
    /// 在隐私政策中按业务功能写明该类信息及其目的；不需要的，删除相应代码或 SDK 功能。
    ///
    /// Declare the PI with its purpose per function, or remove the code or SDK feature.
    ///
    /// ## 依据 / References
    /// MIIT164-01, AM-2.1, AM-3.9, PIPL-17
    pub struct PiNotDeclared {
        code: "XC001",
        name: "pi-not-declared",
        title: ("收集的个人信息未在隐私政策中声明", "PI collected but not declared in the policy"),
        severity: Medium,
        cites: ["MIIT164-01", "AM-2.1", "AM-3.9", "PIPL-17"],
        needs: [Policy],
        fix: (
            "在隐私政策中写明该类个人信息及其目的，或删除相应代码与 SDK 功能。",
            "Declare the PI and its purpose in the policy, or remove the code or SDK feature."
        ),
        since: "0.4.0",
    }
}

/// Identifier kinds a policy covers with one word (`设备标识符`).
fn covered(declared: &[PiCategory], c: PiCategory) -> bool {
    use PiCategory::*;
    declared.contains(&c)
        || (matches!(c, AndroidId | AdvertisingId) && declared.contains(&DeviceId))
        || (c == DeviceId
            && declared
                .iter()
                .any(|d| matches!(d, AndroidId | AdvertisingId)))
}

impl PiNotDeclared {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(policy) = ctx.policy() else { return };
        let Some(observed) = super::observed_collection(ctx) else {
            out.not_assessed(
                "需要应用包（与 --policy 一起扫描）",
                "needs the app's package (scan it with --policy)",
            );
            return;
        };
        let declared: Vec<PiCategory> = policy.pi_types.iter().map(|d| d.category).collect();
        for ((category, party), evidence) in observed {
            if covered(&declared, category) {
                continue;
            }
            let name = category.label();
            let who = ctx.party_label(&party);
            let mut ev: Vec<Evidence> = evidence.into_iter().take(8).collect();
            ev.push(whole_policy(policy));
            out.push(
                Violation::new(
                    format!("{}收集{}，隐私政策没有声明这类信息。", who.zh, name.zh),
                    format!(
                        "{} collects {}, which the policy never declares.",
                        who.en, name.en
                    ),
                    party,
                    category.id(),
                )
                .evidence(ev),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{Facts, Party};

    use super::*;
    use crate::testing::{android, api, declared_pi, policy, render, run_facts_pub};

    #[test]
    fn collected_but_not_declared() {
        let mut a = android();
        a.api_uses = vec![
            api(
                "ClipboardManager.getPrimaryClip",
                PiCategory::Clipboard,
                "com.example.app.Main",
                "onResume",
            ),
            api(
                "Settings.Secure.ANDROID_ID",
                PiCategory::AndroidId,
                "com.example.app.Main",
                "id",
            ),
        ];
        a.api_uses[0].party = Party::App;
        a.api_uses[1].party = Party::App;
        let mut p = policy();
        p.pi_types = vec![declared_pi(PiCategory::DeviceId, "设备标识符")];
        let facts = Facts {
            android: Some(a),
            policy: Some(p.clone()),
            ..Facts::default()
        };
        let report = run_facts_pub(&PiNotDeclared::META, PiNotDeclared::check, &facts);
        assert_eq!(
            report.findings.len(),
            1,
            "device identifiers are covered, the clipboard is not"
        );
        insta::assert_snapshot!("XC001_fail", render(&report.findings));
        // A dangerous permission with no call site of its kind counts too.
        let mut with_permission = facts.clone();
        if let Some(a) = with_permission.android.as_mut() {
            a.permissions = vec!["android.permission.READ_CONTACTS".into()];
        }
        let report = run_facts_pub(&PiNotDeclared::META, PiNotDeclared::check, &with_permission);
        assert_eq!(report.findings.len(), 2);
        assert!(report.findings.iter().any(|f| f.evidence.iter().any(|e| matches!(e, Evidence::Manifest { name, .. } if name == "android.permission.READ_CONTACTS"))));
        // A policy on its own: not assessed, no finding.
        let alone = Facts {
            policy: Some(p),
            ..Facts::default()
        };
        let report = run_facts_pub(&PiNotDeclared::META, PiNotDeclared::check, &alone);
        assert!(report.findings.is_empty() && !report.not_assessed.is_empty());
    }
}
