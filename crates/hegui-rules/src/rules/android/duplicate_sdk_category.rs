use std::collections::BTreeMap;

use hegui_model::{Confidence, Evidence, Party, SdkMatch};

use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 同一用途的第三方 SDK 来自多个运营方：例如同时集成两家以上的统计、推送（不含手机厂商推送通道）、崩溃监控、
    /// 地图/定位或 OAID SDK，或三家以上的广告 SDK。同一运营方的多个组件（如极光推送与 JCore）不计为重复。
    ///
    /// Several operators' SDKs for the same purpose: two or more analytics, push (phone-vendor
    /// channels excluded), crash, APM, map/location or OAID SDKs, or three or more ad SDKs.
    /// Several components of one operator (JPush and JCore) do not count.
    ///
    /// ## 为何违规 / Why it matters
    /// GB/T 35273 5.2 要求收集个人信息最小必要；每多一家同类 SDK，就多一个收集同类个人信息（设备标识、位置等）
    /// 的第三方，也多一方需要在隐私政策中告知并取得同意。这是最小化提示，不是违规结论。
    ///
    /// GB/T 35273 5.2 requires collecting no more than needed: every extra SDK of a kind is
    /// one more third party collecting the same PI, to be disclosed and consented to. A
    /// minimisation hint, not a verdict.
    ///
    /// ## 示例 / Example
    /// 同时集成个推、极光推送和友盟推送三家推送 SDK。
    ///
    /// ## 整改建议 / How to fix
    /// 每类用途保留一家 SDK，删除其余 SDK 及其清单配置；确需多家时在隐私政策中分别说明目的。
    ///
    /// Keep one SDK per purpose and remove the others with their manifest entries; where
    /// several are needed, state each one's purpose in the policy.
    ///
    /// ## 依据 / References
    /// GBT-5.2, GBT-9.7
    pub struct DuplicateSdkCategory {
        code: "AND012",
        name: "duplicate-sdk-category",
        title: ("同类第三方 SDK 重复集成", "Several SDKs for the same purpose"),
        severity: Low,
        cites: ["GBT-5.2", "GBT-9.7"],
        needs: [AndroidManifest],
        fix: (
            "每类用途保留一家 SDK，删除其余 SDK 及其清单配置；确需多家时在隐私政策中分别说明目的。",
            "Keep one SDK per purpose and remove the others; where several are needed, state each one's purpose in the policy."
        ),
        since: "0.2.0",
    }
}

/// Categories where one SDK normally does the job, with how many operators make a finding.
/// Phone-vendor push, payment, social and login are left out: several are the norm there.
const THRESHOLDS: &[(&str, usize, &str, &str)] = &[
    ("analytics", 2, "统计分析", "analytics"),
    ("push", 2, "消息推送", "push"),
    ("crash", 2, "崩溃监控", "crash reporting"),
    ("apm", 2, "性能监控", "performance monitoring"),
    ("map", 2, "地图", "maps"),
    ("location", 2, "定位", "location"),
    ("oaid", 2, "OAID 设备标识", "OAID"),
    ("attribution", 2, "广告归因", "install attribution"),
    ("ads", 3, "广告", "advertising"),
];

impl DuplicateSdkCategory {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let mut by_category: BTreeMap<&str, Vec<&SdkMatch>> = BTreeMap::new();
        for sdk in ctx.sdks.iter().filter(|s| !s.is_framework()) {
            by_category
                .entry(sdk.category.as_str())
                .or_default()
                .push(sdk);
        }
        for &(category, threshold, zh, en) in THRESHOLDS {
            let Some(sdks) = by_category.get(category) else {
                continue;
            };
            let mut vendors: Vec<&str> = sdks.iter().map(|s| s.vendor.as_str()).collect();
            vendors.sort_unstable();
            vendors.dedup();
            if vendors.len() < threshold {
                continue;
            }
            let names_zh: Vec<&str> = sdks.iter().map(|s| s.name.as_str()).collect();
            let names_en: Vec<&str> = sdks.iter().map(|s| s.name_en.as_str()).collect();
            out.push(
                Violation::new(
                    format!(
                        "集成了 {} 家运营方的{}类 SDK：{}。",
                        vendors.len(),
                        zh,
                        names_zh.join("、")
                    ),
                    format!(
                        "{} operators' {} SDKs are embedded: {}.",
                        vendors.len(),
                        en,
                        names_en.join(", ")
                    ),
                    Party::App,
                    category,
                )
                .confidence(Confidence::Medium)
                .evidence(sdks.iter().map(|s| Evidence::Note {
                    text: format!("sdk:{} ({}, {} classes)", s.id, s.vendor, s.classes),
                })),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, render, run_with_sdks, sdk};

    #[test]
    fn flags_two_push_operators() {
        let sdks = [
            sdk("getui", 300),
            sdk("jpush", 200),
            sdk("xiaomi-push", 50),
            sdk("huawei-push", 40),
        ];
        let report = run_with_sdks(
            &DuplicateSdkCategory::META,
            DuplicateSdkCategory::check,
            android(),
            &sdks,
        );
        assert_eq!(
            report.findings.len(),
            1,
            "vendor push channels do not count"
        );
        insta::assert_snapshot!("AND012_fail", render(&report.findings));
    }

    #[test]
    fn one_operators_components_are_not_duplicates() {
        let sdks = [sdk("jpush", 200), sdk("jcore", 100)];
        let report = run_with_sdks(
            &DuplicateSdkCategory::META,
            DuplicateSdkCategory::check,
            android(),
            &sdks,
        );
        assert!(report.findings.is_empty());
    }
}
