use std::collections::BTreeSet;

use hegui_model::{Party, PiCategory};

use super::listing_evidence;
use crate::rules::policy::observed_collection;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 上架信息没有说明应用收集哪些个人信息；或安装包（含其 SDK）收集的某类个人信息，上架信息
    /// 既未在个人信息说明中提到，也没有列出能打开它的权限。
    ///
    /// The listing does not describe the personal information the app collects, or the
    /// package (its SDKs included) collects a kind of PI that the listing neither describes nor
    /// covers with a listed permission.
    ///
    /// ## 为何违规 / Why it matters
    /// 164 号文第 9 项要求分发平台明示应用收集使用个人信息的内容、目的、方式和范围（T/TAF 078.6 §3.1）；
    /// 与安装包行为不符的说明让用户在下载前无从知情（PIPL 第 17 条）。
    ///
    /// Notice 164 item 9 (T/TAF 078.6 §3.1) requires the listing to show what PI the app
    /// collects; a description that omits what the package does denies users the notice PIPL
    /// article 17 requires before they install.
    ///
    /// ## 示例 / Example
    /// 代码调用 `TelephonyManager.getDeviceId`（友盟 SDK），上架信息的个人信息说明只有“手机号”。
    ///
    /// The code calls `TelephonyManager.getDeviceId` (in the Umeng SDK); the listing only
    /// mentions the phone number.
    ///
    /// ## 整改建议 / How to fix
    /// 按安装包及其 SDK 的实际收集，更新上架页面的个人信息收集说明。
    ///
    /// Describe on the listing every kind of PI the package and its SDKs collect.
    ///
    /// ## 依据 / References
    /// MIIT164-09, TTAF078.6-3.1, PIPL-17
    pub struct PiDiffers {
        code: "STO004",
        name: "listing-pi-differs",
        title: ("上架信息的个人信息说明与安装包不符", "Listed PI collection differs from the package's"),
        severity: Medium,
        cites: ["MIIT164-09", "TTAF078.6-3.1", "PIPL-17"],
        needs: [Listing],
        fix: (
            "按安装包及其 SDK 的实际收集更新上架页面的个人信息说明。",
            "Describe on the listing every kind of PI the package and its SDKs collect."
        ),
        since: "0.6.0",
    }
}

impl PiDiffers {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(listing) = ctx.listing() else { return };
        if !listing.pi_shown {
            out.push(
                Violation::new(
                    format!("{}的上架信息没有说明应用收集的个人信息。", listing.store),
                    format!(
                        "The listing on {} does not describe the PI the app collects.",
                        listing.store
                    ),
                    Party::App,
                    "pi",
                )
                .evidence([listing_evidence(listing, "pi", None)]),
            );
        }
        let Some(observed) = observed_collection(ctx) else {
            out.not_assessed(
                "没有可比对的安装包",
                "no package to compare the listing with",
            );
            return;
        };
        if !listing.pi_shown {
            return;
        }
        let described: BTreeSet<PiCategory> = listing
            .pi
            .iter()
            .flat_map(|p| p.categories.iter().copied())
            .chain(
                listing
                    .permissions
                    .iter()
                    .flat_map(|p| p.categories.iter().copied()),
            )
            .collect();
        let mut reported = BTreeSet::new();
        for ((category, party), evidence) in &observed {
            if described.contains(category) || ctx.is_framework(party) {
                continue;
            }
            // One finding per category: the listing describes the app as a whole.
            if !reported.insert(*category) {
                continue;
            }
            let who = ctx.party_label(party);
            let name = category.label();
            out.push(
                Violation::new(
                    format!(
                        "{}收集{}，上架信息的个人信息说明没有提到。",
                        who.zh, name.zh
                    ),
                    format!(
                        "{} collects {}; the listing's PI description does not mention it.",
                        who.en, name.en
                    ),
                    Party::App,
                    category.id(),
                )
                .pi(*category)
                .evidence(
                    evidence
                        .iter()
                        .take(3)
                        .cloned()
                        .chain([listing_evidence(listing, "pi", None)]),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{ApiUse, Facts, ListedPi};

    use super::*;
    use crate::testing::{android, listing, run_facts_pub};

    fn api_use(category: PiCategory, party: Party) -> ApiUse {
        ApiUse {
            api: "android.telephony.TelephonyManager.getDeviceId".into(),
            category,
            caller_class: "com.umeng.Device".into(),
            caller_method: "imei".into(),
            dex: "classes.dex".into(),
            offset: 16,
            party,
            access: hegui_model::ApiAccess::Invoke,
            string_args: Vec::new(),
            via: hegui_model::ApiVia::Direct,
            flow: None,
            reachable: None,
            entry_path: Vec::new(),
        }
    }

    #[test]
    fn observed_but_not_described() {
        let mut a = android();
        a.api_uses = vec![
            api_use(PiCategory::DeviceId, Party::Sdk("umeng".into())),
            api_use(PiCategory::PhoneNumber, Party::App),
        ];
        let mut l = listing();
        l.pi = vec![ListedPi {
            text: "手机号".into(),
            categories: vec![PiCategory::PhoneNumber],
        }];
        let facts = Facts {
            android: Some(a),
            listing: Some(l),
            ..Facts::default()
        };
        let report = run_facts_pub(&PiDiffers::META, PiDiffers::check, &facts);
        assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
        assert_eq!(report.findings[0].pi, Some(PiCategory::DeviceId));
    }

    #[test]
    fn no_description_and_no_package() {
        let mut l = listing();
        l.pi_shown = false;
        l.pi.clear();
        let facts = Facts {
            listing: Some(l),
            ..Facts::default()
        };
        let report = run_facts_pub(&PiDiffers::META, PiDiffers::check, &facts);
        assert_eq!(report.findings.len(), 1);
        assert!(!report.not_assessed.is_empty(), "no package: not assessed");
    }
}
