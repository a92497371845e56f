use hegui_model::Party;

use super::listing_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 上架信息没有展示开发者（运营者）名称或其营业执照号（统一社会信用代码），或所给的统一社会信用代码
    /// 校验位不对（GB 32100-2015），说明身份信息未经核验。
    ///
    /// The listing does not name the developer (operator) or give its licence number (unified
    /// social credit code), or the code given fails its GB 32100-2015 check digit, so the
    /// identity was not verified.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 9、10 项要求分发平台明示真实的开发者、运营者并核验其身份；
    /// T/TAF 078.8 §3 要求核验组织的营业执照。身份不明的应用出了问题无人可追责。
    ///
    /// Notice 164 items 9 and 10 require platforms to show the real developer and verify its
    /// identity; T/TAF 078.8 §3 asks them to check an organisation's licence. An app with no
    /// identifiable operator cannot be held to account.
    ///
    /// ## 示例 / Example
    /// `"developer": {"name": "某某科技有限公司"}` 没有 `licence_id`；或 `licence_id` 为
    /// `91110000XXXXXXXXX1` 但校验位应为另一字符。
    ///
    /// The developer has a name but no `licence_id`, or a `licence_id` whose last character is
    /// not its check digit.
    ///
    /// ## 整改建议 / How to fix
    /// 核验开发者身份，在上架页面展示其真实名称和统一社会信用代码。
    ///
    /// Verify the developer and show its registered name and unified social credit code on
    /// the listing.
    ///
    /// ## 依据 / References
    /// MIIT164-09, MIIT164-10, TTAF078.8-3
    pub struct DeveloperMissing {
        code: "STO002",
        name: "listing-developer-identity-missing",
        title: ("上架信息缺少开发者身份", "Store listing lacks the developer's identity"),
        severity: Medium,
        cites: ["MIIT164-09", "MIIT164-10", "TTAF078.8-3"],
        needs: [Listing],
        fix: (
            "核验并展示开发者的真实名称和统一社会信用代码。",
            "Verify and show the developer's registered name and unified social credit code."
        ),
        since: "0.6.0",
    }
}

impl DeveloperMissing {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(listing) = ctx.listing() else { return };
        let present = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        if !present(&listing.developer) {
            out.push(
                Violation::new(
                    "上架信息没有展示开发者（运营者）名称。",
                    "The listing does not name the developer (operator).",
                    Party::App,
                    "developer",
                )
                .evidence([listing_evidence(listing, "developer", None)]),
            );
        }
        match listing.licence_id.as_deref().map(str::trim) {
            None | Some("") => out.push(
                Violation::new(
                    "上架信息没有开发者的统一社会信用代码（或营业执照号）。",
                    "The listing gives no unified social credit code (or licence number) for the developer.",
                    Party::App,
                    "licence_id",
                )
                .evidence([listing_evidence(listing, "licence_id", None)]),
            ),
            Some(id) if !plausible_licence_id(id) => out.push(
                Violation::new(
                    format!("开发者的统一社会信用代码“{id}”不合规范（GB 32100-2015 校验未通过）。"),
                    format!("The developer's unified social credit code \"{id}\" is not valid (GB 32100-2015 check fails)."),
                    Party::App,
                    "licence_id:invalid",
                )
                .evidence([listing_evidence(listing, "licence_id", Some(id))]),
            ),
            Some(_) => {}
        }
    }
}

/// A unified social credit code whose check digit is right (GB 32100-2015), or an older
/// 15-digit business registration number (which carries no check we apply).
fn plausible_licence_id(id: &str) -> bool {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let bytes = id.as_bytes();
    if bytes.len() == 15 && bytes.iter().all(u8::is_ascii_digit) {
        return true;
    }
    if bytes.len() != 18 {
        return false;
    }
    let value = |b: u8| CHARS.iter().position(|c| *c == b.to_ascii_uppercase());
    let mut sum = 0u32;
    for (b, w) in bytes.iter().zip(WEIGHTS) {
        let Some(v) = value(*b) else { return false };
        sum += v as u32 * w;
    }
    let check = (31 - sum % 31) % 31;
    value(bytes[17]) == Some(check as usize)
}

#[cfg(test)]
mod tests {
    use hegui_model::Facts;

    use super::*;
    use crate::testing::{listing, run_facts_pub};

    fn keys(l: hegui_model::ListingFacts) -> Vec<String> {
        let facts = Facts {
            listing: Some(l),
            ..Facts::default()
        };
        run_facts_pub(&DeveloperMissing::META, DeveloperMissing::check, &facts)
            .findings
            .into_iter()
            .map(|f| f.message.en)
            .collect()
    }

    #[test]
    fn check_digit() {
        // Check digits computed by hand from the GB 32100-2015 weights.
        assert!(plausible_licence_id("91350100M000100Y43"));
        assert!(!plausible_licence_id("91350100M000100Y44"));
        assert!(plausible_licence_id("110108000000016"));
        assert!(
            !plausible_licence_id("9135010OM000100Y43"),
            "O is not in the alphabet"
        );
        assert!(!plausible_licence_id("913501"));
    }

    #[test]
    fn missing_and_invalid() {
        assert!(keys(listing()).is_empty());
        let mut l = listing();
        l.developer = None;
        l.licence_id = None;
        assert_eq!(keys(l).len(), 2);
        let mut l = listing();
        l.licence_id = Some("91350100M000100Y44".into());
        let found = keys(l);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("not valid"), "{found:?}");
    }
}
