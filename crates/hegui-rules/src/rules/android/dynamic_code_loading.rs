use std::collections::BTreeMap;

use hegui_model::{CodeLoad, Confidence, Evidence, Party, Severity};

use super::MAX_EVIDENCE;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 运行时加载安装包之外的代码：构造 `DexClassLoader`、`InMemoryDexClassLoader`、`PathClassLoader`、
    /// `DelegateLastClassLoader` 或调用 `DexFile.loadDex` 的调用点，按责任方（应用或具名 SDK）汇总，并列出方法中出现的
    /// `.dex`/`.jar`/`.apk` 路径常量。
    ///
    /// Code loaded at run time from outside the package: call sites that construct a
    /// `DexClassLoader`, `InMemoryDexClassLoader`, `PathClassLoader` or
    /// `DelegateLastClassLoader`, or call `DexFile.loadDex`, grouped by who is responsible
    /// (the app or a named SDK), with the `.dex`/`.jar`/`.apk` paths the method names.
    ///
    /// Sites no entry point reaches, and those inside a development framework, are reported at
    /// info level with low confidence. A reviewer counts a finding as true when a listed site
    /// loads code that is not in the package (a downloaded plug-in, a hot fix, a decrypted
    /// payload), which the reviewer can confirm from the path or the code around the call.
    ///
    /// ## 为何违规 / Why it matters
    /// 动态加载的代码不在送检的安装包中，静态检测和应用商店审核都看不到它的收集行为，可在审核后改变应用功能。
    /// 工信部 164 号文第 1 项整治应用和 SDK 私自收集个人信息；GB/T 35273-2020 第 9.7 条要求对接入的第三方（含 SDK）
    /// 进行技术检测，确保其收集行为符合约定——加载的代码须同样可审查。
    ///
    /// Loaded code is not in the package that was tested: neither a static scan nor a store
    /// review sees what it collects, and it can change the app after review. Notice 164 item 1
    /// targets hidden collection by apps and SDKs; GB/T 35273-2020 §9.7 requires testing what
    /// embedded third parties do, which loaded code escapes.
    ///
    /// ## 示例 / Example
    /// `com.example.plugin.Loader.load()` 构造 `Ldalvik/system/DexClassLoader;-><init>`，加载 `/data/data/…/plugin.dex`。
    ///
    /// ## 整改建议 / How to fix
    /// 去除运行时下载和加载代码的功能；确需热修复或插件时，仅加载经签名校验、与送检版本一同备案的代码，
    /// 并在隐私政策中说明插件收集的个人信息。
    ///
    /// Drop downloading and loading code at run time; where a hot fix or plug-in is needed,
    /// load only signed code filed with the tested version, and disclose what it collects.
    ///
    /// ## 依据 / References
    /// MIIT164-01, GBT-9.7
    pub struct DynamicCodeLoading {
        code: "AND014",
        name: "dynamic-code-loading",
        title: ("运行时加载安装包外的代码", "Loads code at run time"),
        severity: Low,
        cites: ["MIIT164-01", "GBT-9.7"],
        needs: [AndroidManifest, AndroidCode],
        fix: (
            "去除运行时下载和加载代码的功能；确需热修复或插件时仅加载经签名校验、随送检版本备案的代码，并在隐私政策中说明其收集的个人信息。",
            "Drop loading code at run time; if a hot fix or plug-in is needed, load only signed code filed with the tested version and disclose what it collects."
        ),
        since: "0.9.0",
    }
}

fn evidence(l: &CodeLoad) -> Evidence {
    super::site_evidence(&l.dex, &l.caller_class, &l.caller_method, l.offset, &l.api)
}

impl DynamicCodeLoading {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        let mut groups: BTreeMap<(Party, bool), Vec<&CodeLoad>> = BTreeMap::new();
        for l in &android.code_loads {
            let unreachable = l.reachable == Some(false);
            groups
                .entry((ctx.party_of(&l.caller_class), unreachable))
                .or_default()
                .push(l);
        }
        for ((party, unreachable), loads) in groups {
            let who = ctx.party_label(&party);
            let mut loaders: Vec<&str> = loads
                .iter()
                .map(|l| l.api.split("->").next().unwrap_or(&l.api))
                .map(|class| {
                    class
                        .rsplit('/')
                        .next()
                        .unwrap_or(class)
                        .trim_end_matches(';')
                })
                .collect();
            loaders.sort_unstable();
            loaders.dedup();
            let mut paths: Vec<&str> = loads
                .iter()
                .flat_map(|l| l.paths.iter().map(String::as_str))
                .collect();
            paths.sort_unstable();
            paths.dedup();
            paths.truncate(5);
            let (paths_zh, paths_en) = if paths.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!("，路径：{}", paths.join("、")),
                    format!("; paths: {}", paths.join(", ")),
                )
            };
            let (note_zh, note_en, key) = if unreachable {
                (
                    "（均无法从任何入口点到达）",
                    " (none reachable from an entry point)",
                    "unreachable",
                )
            } else {
                ("", "", "reachable")
            };
            let mut v = Violation::new(
                format!(
                    "{}在 {} 处运行时加载代码（{}）{paths_zh}{note_zh}。",
                    who.zh,
                    loads.len(),
                    loaders.join("、")
                ),
                format!(
                    "{} loads code at run time at {} site(s) ({}){paths_en}{note_en}.",
                    who.en,
                    loads.len(),
                    loaders.join(", ")
                ),
                party.clone(),
                key,
            )
            .confidence(Confidence::Medium)
            .evidence(loads.iter().take(MAX_EVIDENCE).map(|l| evidence(l)));
            if ctx.is_framework(&party) || unreachable {
                v = v.severity(Severity::Info).confidence(Confidence::Low);
            }
            out.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, render, run};

    fn load(class: &str, api: &str, reachable: Option<bool>) -> CodeLoad {
        CodeLoad {
            api: api.into(),
            caller_class: class.into(),
            caller_method: "load".into(),
            dex: "classes.dex".into(),
            offset: 0x1234,
            paths: vec!["/sdcard/plugin.dex".into()],
            party: Party::Unknown,
            reachable,
        }
    }

    #[test]
    fn groups_loads_by_party_and_reachability() {
        let mut facts = android();
        facts.code_loads = vec![
            load(
                "com.example.app.Plugin",
                "Ldalvik/system/DexClassLoader;-><init>",
                Some(true),
            ),
            load(
                "com.example.app.Old",
                "Ldalvik/system/PathClassLoader;-><init>",
                Some(false),
            ),
        ];
        let report = run(&DynamicCodeLoading::META, DynamicCodeLoading::check, facts);
        assert_eq!(report.findings.len(), 2);
        let reached = report
            .findings
            .iter()
            .find(|f| f.severity == Severity::Low)
            .expect("reachable load reported at the rule's severity");
        assert!(reached.message.en.contains("DexClassLoader"));
        assert!(reached.message.en.contains("/sdcard/plugin.dex"));
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.severity == Severity::Info && f.message.en.contains("none reachable"))
        );
        insta::assert_snapshot!("AND014_fail", render(&report.findings));
    }

    #[test]
    fn no_loads_no_finding() {
        let report = run(
            &DynamicCodeLoading::META,
            DynamicCodeLoading::check,
            android(),
        );
        assert!(report.findings.is_empty());
    }
}
