use hegui_model::{Confidence, Evidence, Party, SdkEvidenceKind, SdkMatch, Severity};

use super::{MAX_EVIDENCE, manifest_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 安装包中嵌入的、其 SDK 隐私政策声明会收集个人信息的第三方 SDK：名称、运营方、收集的个人信息类别、版本、
    /// 隐私政策地址，以及识别依据（包名前缀与类数、已知类、原生库、清单组件和 meta-data 键）。这是隐私政策中
    /// “第三方 SDK 清单”必须覆盖的内容；含敏感个人信息（位置、生物识别、支付等）的 SDK 级别更高。
    ///
    /// Third-party SDKs in the package whose own privacy policy says they collect personal
    /// information: name, operator, PI categories, version, policy URL and what identified them
    /// (package prefixes with class counts, well-known classes, native libraries, manifest
    /// components and meta-data keys). This is what the policy's third-party SDK list must
    /// cover; SDKs collecting sensitive PI (location, biometrics, payment…) rank higher.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文将 SDK 列为整治对象；《认定方法》二.1 要求逐一列出嵌入的 SDK 收集个人信息的目的、方式和范围；
    /// GB/T 35273 9.7 要求对接入的第三方（含 SDK）进行管理；个人信息保护法第 23 条要求向第三方提供个人信息时告知接收方。
    /// 本项是清单而非违规结论：与隐私政策的 SDK 清单比对后才能判断是否“未见明示 SDK”。
    ///
    /// Notice 164 makes SDK providers rectification targets; the 2019 method (item 2.1) requires
    /// listing every embedded SDK's collection; GB/T 35273 9.7 requires managing third parties
    /// (SDKs included); PIPL art. 23 requires naming recipients. This is an inventory, not a
    /// verdict: compare it with the policy's SDK list.
    ///
    /// ## 示例 / Example
    /// `com.umeng.commonsdk.UMConfigure`（友盟+，`UMENG_APPKEY`）收集设备标识、位置信息等。
    ///
    /// ## 整改建议 / How to fix
    /// 在隐私政策的第三方 SDK 清单中逐一列出：SDK 名称、运营方、收集的个人信息、目的、方式及其隐私政策链接；
    /// 删除不再使用的 SDK，并使用其合规配置（延迟初始化、关闭非必要采集）。
    ///
    /// List every SDK in the policy's third-party list with its operator, the PI it collects,
    /// why and how, and a link to its policy; remove SDKs no longer used and turn on their
    /// compliance options (deferred init, optional collection off).
    ///
    /// ## 依据 / References
    /// AM-2.1, GBT-9.7, PIPL-23, PG20204-3.2k-l
    pub struct SdkInventory {
        code: "AND010",
        name: "sdk-collects-pi",
        title: ("嵌入收集个人信息的第三方 SDK", "Embedded third-party SDK collects personal information"),
        severity: Info,
        cites: ["AM-2.1", "GBT-9.7", "PIPL-23", "PG20204-3.2k-l"],
        needs: [AndroidManifest],
        fix: (
            "在隐私政策的第三方 SDK 清单中逐一列出 SDK 名称、运营方、收集的个人信息、目的、方式及其隐私政策链接；删除不再使用的 SDK。",
            "List each SDK in the policy's third-party SDK list (operator, PI, purpose, method, policy link); remove SDKs no longer used."
        ),
        since: "0.2.0",
    }
}

/// How an SDK was recognised, as finding evidence.
pub(crate) fn sdk_evidence(sdk: &SdkMatch) -> Vec<Evidence> {
    sdk.evidence
        .iter()
        .take(MAX_EVIDENCE)
        .map(|e| match e.kind {
            SdkEvidenceKind::Prefix => Evidence::Note {
                text: format!("{} classes under {}", e.count, e.value),
            },
            SdkEvidenceKind::Class => Evidence::Note {
                text: format!("class {}", e.value),
            },
            SdkEvidenceKind::NativeLib => Evidence::Entry {
                path: e.value.clone(),
                detail: Some("native library".into()),
            },
            SdkEvidenceKind::Component => {
                manifest_evidence("application/component", &e.value, None)
            }
            SdkEvidenceKind::MetaData => manifest_evidence("application/meta-data", &e.value, None),
            SdkEvidenceKind::Framework => Evidence::Entry {
                path: e.value.clone(),
                detail: Some("framework".into()),
            },
        })
        .collect()
}

impl SdkInventory {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        for sdk in ctx.sdks.iter().filter(|s| !s.is_framework()) {
            if sdk.collects.is_empty() {
                continue;
            }
            let sensitive = sdk.collects.iter().any(|c| c.is_sensitive());
            let labels: Vec<_> = sdk.collects.iter().map(|c| c.label()).collect();
            let join = |zh: bool| {
                labels
                    .iter()
                    .map(|l| if zh { l.zh.as_str() } else { l.en.as_str() })
                    .collect::<Vec<_>>()
                    .join(if zh { "、" } else { ", " })
            };
            let version = sdk
                .version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default();
            let policy = sdk.policy_url.as_deref().unwrap_or("-");
            let v = Violation::new(
                format!(
                    "嵌入{}{}（运营方：{}，{} 个类）。其隐私政策声明收集：{}。隐私政策：{}",
                    sdk.name,
                    version,
                    sdk.vendor,
                    sdk.classes,
                    join(true),
                    policy
                ),
                format!(
                    "Embeds {}{} (operator: {}, {} classes). Its policy says it collects: {}. Policy: {}",
                    sdk.name_en,
                    version,
                    sdk.vendor,
                    sdk.classes,
                    join(false),
                    policy
                ),
                Party::Sdk(sdk.id.clone()),
                "inventory",
            )
            .evidence(sdk_evidence(sdk))
            .confidence(if sdk.classes > 0 {
                Confidence::High
            } else {
                Confidence::Medium
            });
            out.push(if sensitive {
                v.severity(Severity::Low)
            } else {
                v
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, render, run_with_sdks, sdk};

    #[test]
    fn lists_third_party_sdks_that_collect() {
        let sdks = [sdk("umeng", 120), sdk("amap", 40), sdk("androidx", 900)];
        let report = run_with_sdks(&SdkInventory::META, SdkInventory::check, android(), &sdks);
        assert_eq!(report.findings.len(), 2, "frameworks are not listed");
        insta::assert_snapshot!("AND010_fail", render(&report.findings));
    }

    #[test]
    fn quiet_without_sdks() {
        let report = run_with_sdks(&SdkInventory::META, SdkInventory::check, android(), &[]);
        assert!(report.findings.is_empty());
    }
}
