use std::collections::{BTreeMap, BTreeSet};

use hegui_model::{Confidence, IosApiUse, IosFacts, Party, Severity};

use super::binary_evidence;
use crate::rules::android::MAX_EVIDENCE;
use crate::{Context, Evidence, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 二进制使用了苹果“需声明理由的 API”（文件时间戳 `stat`、系统启动时间 `mach_absolute_time`、磁盘空间
    /// `statfs`、`NSUserDefaults`、活动键盘），但该代码所在的包（应用本身或 SDK 框架）的隐私清单
    /// `PrivacyInfo.xcprivacy` 没有声明对应类别；反之，清单声明了却未发现使用的类别作为提示列出。
    ///
    /// A binary uses one of Apple's required-reason APIs (file timestamps, system boot time,
    /// disk space, user defaults, active keyboards) but the privacy manifest of its bundle (the
    /// app, or the SDK framework that holds the code) does not declare that category. Declared
    /// categories with no use found are listed as a hint.
    ///
    /// ## 为何违规 / Why it matters
    /// 这些 API 常被用于设备指纹。《认定方法》二.1 要求逐一说明（含 SDK）收集使用个人信息的目的，
    /// GB/T 35273 5.4 a 要求收集前告知目的；自 2024 年起 App Store 拒收未声明理由的应用与 SDK。
    ///
    /// These APIs are the usual device-fingerprinting inputs. Item 2.1 of the 2019 method asks
    /// for every purpose (SDKs included) and GB/T 35273 5.4 a for notice before collection; the
    /// App Store has rejected undeclared uses since 2024.
    ///
    /// ## 示例 / Example
    /// `Bugly.framework` 导入 `statfs`，但框架内没有 `PrivacyInfo.xcprivacy`。
    ///
    /// ## 整改建议 / How to fix
    /// 在对应包的 `PrivacyInfo.xcprivacy` 中声明 `NSPrivacyAccessedAPITypes` 及合规理由代码；
    /// SDK 的声明由 SDK 提供方随框架提供，升级到带隐私清单的 SDK 版本。
    ///
    /// Declare the category and an approved reason code in the bundle's privacy manifest; for
    /// SDKs, upgrade to a version that ships its own manifest.
    ///
    /// ## 依据 / References
    /// AM-2.1, GBT-5.4a
    pub struct RequiredReasonUndeclared {
        code: "IOS003",
        name: "required-reason-api-undeclared",
        title: ("使用需声明理由的 API 但隐私清单未声明", "Required-reason API not declared in a privacy manifest"),
        severity: Medium,
        cites: ["AM-2.1", "GBT-5.4a"],
        needs: [IosBundle],
        fix: (
            "在对应包的 PrivacyInfo.xcprivacy 中声明 NSPrivacyAccessedAPITypes 及理由代码；SDK 升级到自带隐私清单的版本。",
            "Declare the category and reason in the bundle's PrivacyInfo.xcprivacy; upgrade SDKs to versions that ship a manifest."
        ),
        since: "0.2.0",
    }
}

/// The bundle (as privacy manifests name it) that holds a binary.
fn bundle_of(ios: &IosFacts, binary: &str) -> String {
    ios.frameworks
        .iter()
        .find(|f| binary.starts_with(&f.path))
        .map_or_else(|| "app".to_string(), |f| f.name.clone())
}

impl RequiredReasonUndeclared {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(ios) = ctx.ios() else { return };
        let declared = |bundle: &str| -> BTreeSet<&str> {
            ios.privacy_manifests
                .iter()
                .filter(|m| m.bundle == bundle)
                .flat_map(|m| {
                    m.data
                        .accessed_api_types
                        .iter()
                        .map(|a| a.category.as_str())
                })
                .collect()
        };
        let mut missing: BTreeMap<(String, String, Party), Vec<&IosApiUse>> = BTreeMap::new();
        let mut used: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for u in &ios.api_uses {
            let Some(reason) = &u.required_reason else {
                continue;
            };
            let bundle = bundle_of(ios, &u.binary);
            used.entry(bundle.clone()).or_default().insert(reason);
            if !declared(&bundle).contains(reason.as_str()) {
                missing
                    .entry((bundle, reason.clone(), u.party.clone()))
                    .or_default()
                    .push(u);
            }
        }
        for ((bundle, reason, party), uses) in missing {
            let has_manifest = ios.privacy_manifests.iter().any(|m| m.bundle == bundle);
            let (zh_where, en_where) = if has_manifest {
                ("其隐私清单未声明", "its privacy manifest does not declare")
            } else {
                (
                    "该包没有隐私清单，未声明",
                    "it has no privacy manifest to declare",
                )
            };
            let apis: BTreeSet<&str> = uses.iter().map(|u| u.api.as_str()).collect();
            let apis: Vec<&str> = apis.into_iter().collect();
            out.push(
                Violation::new(
                    format!("{bundle} 使用 {}，{zh_where} {reason}。", apis.join("、")),
                    format!("{bundle} uses {}; {en_where} {reason}.", apis.join(", ")),
                    party.clone(),
                    format!("{bundle}:{reason}"),
                )
                .evidence(uses.iter().take(MAX_EVIDENCE).map(|u| binary_evidence(u))),
            );
        }
        // In an App Store-encrypted binary selector names are unreadable: "unused" would be a guess.
        if ios.binaries.iter().any(|b| b.encrypted) {
            return;
        }
        for m in &ios.privacy_manifests {
            let in_use = used.get(&m.bundle);
            for a in &m.data.accessed_api_types {
                if in_use.is_some_and(|u| u.contains(a.category.as_str())) {
                    continue;
                }
                out.push(
                    Violation::new(
                        format!("{} 的隐私清单声明了 {}，但未发现相应调用（可能为动态调用或已删除的代码）。", m.bundle, a.category),
                        format!("{}'s privacy manifest declares {} but no use was found (dynamic call, or code since removed).", m.bundle, a.category),
                        Party::App,
                        format!("unused:{}:{}", m.bundle, a.category),
                    )
                    .severity(Severity::Info)
                    .confidence(Confidence::Low)
                    .evidence([Evidence::Entry {
                        path: m.path.clone(),
                        detail: Some(a.category.clone()),
                    }]),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ios, ios_api, render, run_ios};
    use hegui_model::{
        AccessedApiType, IosBundle, PiCategory, PrivacyManifest, PrivacyManifestData,
    };

    #[test]
    fn per_bundle_declarations() {
        let mut facts = ios();
        facts.frameworks = vec![IosBundle {
            name: "Bugly.framework".into(),
            path: "Payload/A.app/Frameworks/Bugly.framework/".into(),
            ..Default::default()
        }];
        facts.privacy_manifests = vec![PrivacyManifest {
            path: "Payload/A.app/PrivacyInfo.xcprivacy".into(),
            bundle: "app".into(),
            data: PrivacyManifestData {
                accessed_api_types: vec![
                    AccessedApiType {
                        category: "NSPrivacyAccessedAPICategoryUserDefaults".into(),
                        reasons: vec!["CA92.1".into()],
                    },
                    AccessedApiType {
                        category: "NSPrivacyAccessedAPICategoryActiveKeyboards".into(),
                        reasons: vec!["3EC4.1".into()],
                    },
                ],
                ..Default::default()
            },
        }];
        let mut defaults = ios_api("NSUserDefaults", PiCategory::Usage, &[], Party::App);
        defaults.required_reason = Some("NSPrivacyAccessedAPICategoryUserDefaults".into());
        let mut boot = ios_api(
            "mach_absolute_time()",
            PiCategory::DeviceInfo,
            &[],
            Party::App,
        );
        boot.required_reason = Some("NSPrivacyAccessedAPICategorySystemBootTime".into());
        let mut disk = ios_api(
            "statfs()",
            PiCategory::DeviceInfo,
            &[],
            Party::Sdk("bugly".into()),
        );
        disk.required_reason = Some("NSPrivacyAccessedAPICategoryDiskSpace".into());
        disk.binary = "Payload/A.app/Frameworks/Bugly.framework/Bugly".into();
        facts.api_uses = vec![defaults, boot, disk];
        let report = run_ios(
            &RequiredReasonUndeclared::META,
            RequiredReasonUndeclared::check,
            facts,
        );
        // boot time (app), disk space (Bugly, no manifest), unused keyboards declaration.
        assert_eq!(report.findings.len(), 3);
        insta::assert_snapshot!("IOS003_fail", render(&report.findings));
    }
}
