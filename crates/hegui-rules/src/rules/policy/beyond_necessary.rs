use hegui_model::{Confidence, Evidence};

use super::observed_collection;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 应用或其 SDK 收集的个人信息超出《常见类型移动互联网应用程序必要个人信息范围规定》为该类型
    /// 基本功能列出的必要个人信息。应用类型由用户用 `--app-type` 给出，不猜测；没有给出时本项列为未评估。
    /// 每类信息、每个责任方一条。
    ///
    /// The app or an SDK collects PI beyond what the 2021 rules on necessary PI list for its
    /// type's basic function. The type comes from `--app-type` and is never guessed; without
    /// it this check is listed as not assessed. One finding per kind and party.
    ///
    /// ## 为何违规 / Why it matters
    /// 非必要个人信息不得作为使用基本功能的条件；认定方法 4.1、4.2 与 GB/T 35273 5.2（最小必要）；
    /// 小程序合规指引第 5 项。超出必要范围本身不一定违规，但须在用户拒绝时不影响基本功能，并单独征得同意，
    /// 因此置信度为中。
    ///
    /// Non-necessary PI must not be a condition of the basic function (method items 4.1 and
    /// 4.2, GB/T 35273 5.2, guide item 5). Collecting it is allowed with separate consent and
    /// without blocking the basic function, hence medium confidence.
    ///
    /// ## 示例 / Example
    /// A shopping app (`--app-type 6`) reading the contact list: 网上购物类 needs the phone
    /// number, consignee and payment details only.
    ///
    /// ## 整改建议 / How to fix
    /// 确认该信息只用于扩展功能、用户拒绝时基本功能照常可用并单独征得同意；否则停止收集。
    ///
    /// Use it only for extended features, keep the basic function working when the user
    /// refuses, and ask separately; otherwise stop collecting it.
    ///
    /// ## 依据 / References
    /// AM-4.1, AM-4.2, GBT-5.2, MP-05
    pub struct BeyondNecessary {
        code: "XC004",
        name: "beyond-necessary-pi",
        title: ("收集超出应用类型必要范围的个人信息", "PI beyond what the app type needs"),
        severity: Low,
        cites: ["AM-4.1", "AM-4.2", "GBT-5.2", "MP-05"],
        needs: [],
        fix: (
            "仅在扩展功能中使用并单独征得同意，拒绝时不影响基本功能；否则停止收集。",
            "Use it only for extended features with separate consent, or stop collecting it."
        ),
        since: "0.4.0",
    }
}

impl BeyondNecessary {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(kind) = ctx
            .facts
            .app_type
            .as_deref()
            .and_then(hegui_knowledge::app_type)
        else {
            out.not_assessed(
                "需要应用类型（--app-type），本工具不猜测",
                "needs the app type (--app-type); hegui does not guess it",
            );
            return;
        };
        let Some(observed) = observed_collection(ctx) else {
            out.not_assessed("需要应用包", "needs the app's package");
            return;
        };
        let necessary = kind.necessary_categories();
        for ((category, party), evidence) in observed {
            if necessary.contains(&category) {
                continue;
            }
            let name = category.label();
            let who = ctx.party_label(&party);
            let need = if kind.no_pi_needed {
                (
                    "其基本功能无需任何个人信息",
                    "its basic function needs no PI at all",
                )
            } else {
                (
                    "不在其基本功能的必要个人信息之列",
                    "not among the PI its basic function needs",
                )
            };
            let mut ev: Vec<Evidence> = evidence.into_iter().take(8).collect();
            ev.push(Evidence::Note {
                text: format!(
                    "{}（{}）: {}",
                    kind.app_type,
                    kind.basic_function,
                    kind.necessary_pi.join("；")
                ),
            });
            out.push(
                Violation::new(
                    format!(
                        "{}收集{}；对{}而言，{}。",
                        who.zh, name.zh, kind.app_type, need.0
                    ),
                    format!(
                        "{} collects {}; for {} apps it is {}.",
                        who.en, name.en, kind.app_type_en, need.1
                    ),
                    party,
                    format!("{}:{}", kind.no, category.id()),
                )
                .confidence(Confidence::Medium)
                .evidence(ev),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{Facts, Party, PiCategory};

    use super::*;
    use crate::testing::{android, api, render, run_facts_pub};

    #[test]
    fn shopping_app_reading_contacts() {
        let mut a = android();
        a.api_uses = vec![
            api(
                "ContactsContract.Contacts.CONTENT_URI",
                PiCategory::Contacts,
                "com.example.app.Invite",
                "load",
            ),
            api(
                "TelephonyManager.getLine1Number",
                PiCategory::PhoneNumber,
                "com.example.app.Login",
                "fill",
            ),
        ];
        for u in &mut a.api_uses {
            u.party = Party::App;
        }
        let mut facts = Facts {
            android: Some(a),
            ..Facts::default()
        };
        let report = run_facts_pub(&BeyondNecessary::META, BeyondNecessary::check, &facts);
        assert!(
            report.findings.is_empty() && !report.not_assessed.is_empty(),
            "no type, no guess"
        );
        facts.app_type = Some("网上购物类".into());
        let report = run_facts_pub(&BeyondNecessary::META, BeyondNecessary::check, &facts);
        assert_eq!(
            report.findings.len(),
            1,
            "the phone number is necessary, contacts are not"
        );
        insta::assert_snapshot!("XC004_fail", render(&report.findings));
    }
}
