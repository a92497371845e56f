//! Every rule, by code.

use hegui_model::Severity;

use crate::context::{Context, Findings, Source};
use crate::rules::{android, dynamic, ios, miniprogram, policy, store, traffic};

/// Whether a rule runs by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleStatus {
    Stable {
        since: &'static str,
    },
    /// Runs only with `--preview`.
    Preview {
        since: &'static str,
    },
}

/// What a rule is, independent of any scan.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub severity: Severity,
    pub cites: &'static [&'static str],
    /// Fact sources the rule reads; without them it is not assessed.
    pub needs: &'static [Source],
    pub fix_zh: &'static str,
    pub fix_en: &'static str,
    pub status: RuleStatus,
    /// The rule's doc comment (Markdown with the fixed zh/en headings).
    pub doc: &'static str,
}

/// A rule: metadata plus a check over facts.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Context<'_>, &mut Findings<'_>),
}

macro_rules! rule {
    ($ty:path) => {
        Rule {
            meta: <$ty>::META,
            check: |ctx, out| <$ty>::check(ctx, out),
        }
    };
}

/// All rules, in code order. Add new rules at the end of their family; never reuse a code.
pub static RULES: &[Rule] = &[
    rule!(android::dangerous_permission::DangerousPermission),
    rule!(android::unused_permission::UnusedPermission),
    rule!(android::privacy_api_call::PrivacyApiCall),
    rule!(android::installed_app_list::InstalledAppList),
    rule!(android::self_start::SelfStart),
    rule!(android::associated_start::AssociatedStart),
    rule!(android::cleartext_traffic::CleartextTraffic),
    rule!(android::insecure_tls::InsecureTls),
    rule!(android::no_privacy_policy::NoPrivacyPolicy),
    rule!(android::sdk_inventory::SdkInventory),
    rule!(android::sdk_init_at_startup::SdkInitAtStartup),
    rule!(android::duplicate_sdk_category::DuplicateSdkCategory),
    rule!(android::exported_pi_component::ExportedPiComponent),
    rule!(android::dynamic_code_loading::DynamicCodeLoading),
    rule!(android::ad_personalisation_switch::AdPersonalisationSwitch),
    rule!(android::reward_text::RewardTextOffer),
    rule!(ios::usage_description_missing::UsageDescriptionMissing),
    rule!(ios::usage_description_weak::UsageDescriptionWeak),
    rule!(ios::required_reason_undeclared::RequiredReasonUndeclared),
    rule!(ios::idfa_without_att::IdfaWithoutAtt),
    rule!(ios::ats_cleartext::AtsCleartext),
    rule!(ios::query_schemes::QuerySchemes),
    rule!(ios::background_location::BackgroundLocation),
    rule!(ios::sdk_inventory::IosSdkInventory),
    rule!(miniprogram::private_info_undeclared::PrivateInfoUndeclared),
    rule!(miniprogram::location_purpose::LocationPurpose),
    rule!(miniprogram::over_declared::OverDeclared),
    rule!(miniprogram::no_privacy_flow::NoPrivacyFlow),
    rule!(miniprogram::background_location::BackgroundLocation),
    rule!(miniprogram::sensitive_api::SensitiveApi),
    rule!(miniprogram::cleartext_endpoint::CleartextEndpoint),
    rule!(miniprogram::embedded_secret::EmbeddedSecret),
    rule!(miniprogram::no_policy_reference::NoPolicyReference),
    rule!(policy::element_missing::ElementMissing),
    rule!(policy::agreement_not_policy::AgreementNotPolicy),
    rule!(policy::no_complaint_channel::NoComplaintChannel),
    rule!(policy::response_too_slow::ResponseTooSlow),
    rule!(policy::sensitive_unmarked::SensitiveUnmarked),
    rule!(policy::personalisation_opt_out::PersonalisationOptOut),
    rule!(policy::pi_not_declared::PiNotDeclared),
    rule!(policy::sdk_not_listed::SdkNotListed),
    rule!(policy::stale_permission::StalePermission),
    rule!(policy::beyond_necessary::BeyondNecessary),
    rule!(dynamic::collected_before_consent::CollectedBeforeConsent),
    rule!(dynamic::collected_after_rejection::CollectedAfterRejection),
    rule!(dynamic::no_notice::NoNotice),
    rule!(dynamic::background_collection::BackgroundCollection),
    rule!(dynamic::frequent_collection::FrequentCollection),
    rule!(dynamic::permission_rerequest::PermissionRerequest),
    rule!(dynamic::exit_after_denial::ExitAfterDenial),
    rule!(dynamic::self_start::SelfStart),
    rule!(dynamic::associated_start::AssociatedStart),
    rule!(dynamic::disguised_download::DisguisedDownload),
    rule!(dynamic::reward_for_pi::RewardForPi),
    rule!(dynamic::personalisation_without_refusal::PersonalisationWithoutRefusal),
    rule!(traffic::cleartext_pi::CleartextPi),
    rule!(traffic::third_party_before_consent::ThirdPartyBeforeConsent),
    rule!(traffic::third_party_not_in_policy::ThirdPartyNotInPolicy),
    rule!(store::permissions_not_shown::PermissionsNotShown),
    rule!(store::developer_missing::DeveloperMissing),
    rule!(store::permissions_differ::PermissionsDiffer),
    rule!(store::pi_differs::PiDiffers),
];

pub fn by_code(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code))
}

/// Run every applicable rule over the context and return the report part they produce.
pub fn run_all(ctx: &Context<'_>, preview: bool) -> crate::Report {
    let mut report = crate::Report::default();
    for rule in RULES {
        if matches!(rule.meta.status, RuleStatus::Preview { .. }) && !preview {
            continue;
        }
        // Another platform's rule says nothing about this app: not even "not assessed".
        let other_platform = rule
            .meta
            .needs
            .iter()
            .any(|s| matches!((s.platform(), ctx.platform()), (Some(p), Some(q)) if p != q));
        if other_platform {
            continue;
        }
        let missing: Vec<Source> = rule
            .meta
            .needs
            .iter()
            .copied()
            .filter(|s| !ctx.has(*s))
            .collect();
        if !missing.is_empty() {
            report.skip_rule(&rule.meta, &missing);
            continue;
        }
        let mut out = Findings::new(&rule.meta, &mut report);
        (rule.check)(ctx, &mut out);
        out.close();
        report.ran.push(rule.meta.code);
    }
    let target = match ctx.platform() {
        Some("miniprogram") => "mini_program",
        _ => "app",
    };
    report.finish(target);
    if let Some(trace) = ctx.trace() {
        crate::confirm(&mut report.findings, trace);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.meta.code).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate rule code");
        for r in RULES {
            let (prefix, digits) = r.meta.code.split_at(r.meta.code.len() - 3);
            assert!(
                ["AND", "IOS", "MP", "POL", "DYN", "NET", "XC", "STO"].contains(&prefix),
                "{}",
                r.meta.code
            );
            assert!(
                digits.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                r.meta.code
            );
        }
    }

    /// Chinese and a Latin word are spaced ("需要 Android 清单文件"); Chinese ones are not.
    #[test]
    fn skipped_rules_say_what_they_need_in_spaced_chinese() {
        let meta = &RULES[0].meta;
        let mut report = crate::Report::default();
        report.skip_rule(meta, &[Source::AndroidManifest, Source::AndroidCode]);
        report.skip_rule(&RULES[1].meta, &[Source::Policy]);
        let reasons: Vec<&str> = report
            .not_assessed
            .iter()
            .map(|n| n.reason.zh.as_str())
            .collect();
        let manifest = format!("规则 {} 需要 Android 清单文件、可读的应用代码", meta.code);
        assert!(
            reasons.iter().any(|r| r.starts_with(&manifest)),
            "{reasons:?}"
        );
        let policy = format!("规则 {} 需要隐私政策文本", RULES[1].meta.code);
        assert!(reasons.contains(&policy.as_str()), "{reasons:?}");
    }

    #[test]
    fn every_cite_is_in_the_catalogue() {
        for r in RULES {
            for cite in r.meta.cites {
                assert!(
                    hegui_knowledge::clause(cite).is_some(),
                    "{} cites unknown clause {cite}",
                    r.meta.code
                );
            }
        }
    }

    #[test]
    fn every_doc_has_the_fixed_headings() {
        for r in RULES {
            for heading in [
                "## 检测内容 / What it detects",
                "## 为何违规 / Why it matters",
                "## 示例 / Example",
                "## 整改建议 / How to fix",
                "## 依据 / References",
            ] {
                assert!(
                    r.meta.doc.contains(heading),
                    "{} lacks `{heading}`",
                    r.meta.code
                );
            }
        }
    }
}
