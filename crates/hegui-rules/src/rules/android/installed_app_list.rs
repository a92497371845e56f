use std::collections::BTreeMap;

use hegui_model::{ApiUse, Party, PiCategory, Severity};

use super::{MAX_EVIDENCE, code_evidence, manifest_evidence};
use crate::{Context, Findings, Violation, declare_rule};

/// Lists of running processes and tasks: read to find the app's own process, they collect
/// nothing about other apps.
const RUNNING_LISTS: &[&str] = &[
    "getRunningAppProcesses",
    "getRunningTasks",
    "getRunningServices",
    "getRecentTasks",
];

/// A running-process or task list the method only looks things up in: it reads the top
/// entry only (`getRunningTasks(1).get(0)`), or it walks the list but keeps, sends and returns
/// nothing of it (or returns only what it found for its own pid or package); and it compares
/// it with no other app's package (`for (p : getRunningAppProcesses()) if (p.pid ==
/// myPid()) return p.processName;`).
fn own_process_lookup(u: &ApiUse) -> bool {
    let method = u.api.rsplit("->").next().unwrap_or(&u.api);
    RUNNING_LISTS.contains(&method)
        && u.flow.as_ref().is_some_and(|f| {
            !f.compared_with_constant
                && (!f.iterated || !f.escapes && (!f.returned || f.compared_with_own))
        })
}

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 读取已安装应用列表或正在运行的应用：`getInstalledPackages`、`getInstalledApplications`、`getRunningAppProcesses`、
    /// `queryUsageStats` 等调用点，以及清单中的 `QUERY_ALL_PACKAGES` 权限或可看到所有启动器应用的 `<queries>` 声明。
    ///
    /// Reading the list of installed or running apps (call sites of `getInstalledPackages`,
    /// `getInstalledApplications`, `getRunningAppProcesses`, `queryUsageStats`, …), and the
    /// manifest's `QUERY_ALL_PACKAGES` or a `<queries>` intent that sees every launcher app.
    ///
    /// Also the indirect ways to the same list: an intent query (`queryIntentActivities`,
    /// `queryIntentServices`, `queryBroadcastReceivers`) in a method that builds the launcher
    /// intent (`ACTION_MAIN`, `CATEGORY_LAUNCHER`: every app with an icon; a query for one
    /// explicit package or a share target is not reported; those sites are listed with why in
    /// `dismissed_calls`), and a shell listing (`Runtime.exec("pm list packages")`, shown as
    /// `exec (shell: pm list packages)`). A native library holding the same command is
    /// reported apart, with medium confidence (a string shows the capability, not a call).
    ///
    /// ## 为何违规 / Why it matters
    /// 已安装应用列表是 T/TAF 078.6 §3.1 点名的个人信息；工信部 164 号文第 1、2 项整治未经同意或超范围收集，
    /// 认定方法四.1 认定与业务功能无关的收集违规。多数应用的基本功能并不需要完整的应用列表。
    ///
    /// The installed-app list is PI named by T/TAF 078.6 §3.1; notice 164 items 1–2 and
    /// AM-2019 4.1 target collecting it without consent or beyond what a function needs.
    ///
    /// ## 示例 / Example
    /// `com.example.AppList.scan()` 调用 `Landroid/content/pm/PackageManager;->getInstalledPackages`，且清单声明 `QUERY_ALL_PACKAGES`。
    ///
    /// ## 整改建议 / How to fix
    /// 只查询业务需要的具体包名（`<queries><package>`），删除 `QUERY_ALL_PACKAGES`；确需读取时先征得同意并在隐私政策中说明。
    ///
    /// Query only the packages a feature needs (`<queries><package>`), drop
    /// `QUERY_ALL_PACKAGES`, and where a list is truly needed ask first and disclose it.
    ///
    /// ## 依据 / References
    /// MIIT164-01, MIIT164-02, AM-4.1, TTAF078.6-3.1
    pub struct InstalledAppList {
        code: "AND004",
        name: "installed-app-list",
        title: ("读取已安装应用列表", "Reads the installed-app list"),
        severity: High,
        cites: ["MIIT164-01", "MIIT164-02", "AM-4.1", "TTAF078.6-3.1"],
        needs: [AndroidManifest],
        fix: (
            "仅查询业务需要的具体应用包名，删除 QUERY_ALL_PACKAGES；确需读取应用列表时先征得用户同意并在隐私政策中说明。",
            "Query only the specific packages a feature needs, drop QUERY_ALL_PACKAGES, and ask and disclose where a list is truly needed."
        ),
        since: "0.1.0",
    }
}

impl InstalledAppList {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        let mut by_party: BTreeMap<Party, Vec<&ApiUse>> = BTreeMap::new();
        for u in android.api_uses.iter().filter(|u| {
            u.category == PiCategory::InstalledApps
                && !own_process_lookup(u)
                && u.reachable != Some(false)
        }) {
            by_party
                .entry(ctx.party_of(&u.caller_class))
                .or_default()
                .push(u);
        }
        for (party, uses) in by_party {
            let mut apis: Vec<String> = uses
                .iter()
                .map(|u| match u.via {
                    hegui_model::ApiVia::Direct => {
                        u.api.rsplit("->").next().unwrap_or(&u.api).to_string()
                    }
                    _ => super::api_label(u),
                })
                .collect();
            apis.sort_unstable();
            apis.dedup();
            out.push(
                Violation::new(
                    format!(
                        "{}在 {} 处读取已安装/运行中的应用信息（{}）。",
                        ctx.party_label(&party).zh,
                        uses.len(),
                        apis.join("、")
                    ),
                    format!(
                        "{} reads installed or running apps at {} call site(s) ({}).",
                        ctx.party_label(&party).en,
                        uses.len(),
                        apis.join(", ")
                    ),
                    party.clone(),
                    "api",
                )
                .pi(hegui_model::PiCategory::InstalledApps)
                .evidence(uses.iter().take(MAX_EVIDENCE).map(|u| code_evidence(u))),
            );
        }
        // Native code that runs `pm list packages` (strings of the library).
        for ((category, party), reads) in super::native_reads(android) {
            if category != PiCategory::InstalledApps {
                continue;
            }
            let shown = super::native_labels(&reads, MAX_EVIDENCE);
            out.push(
                Violation::new(
                    format!(
                        "原生库 {}（{}）含读取已安装应用列表的命令（{}）。",
                        super::native_lib_names(&reads),
                        ctx.party_label(&party).zh,
                        shown.join("、")
                    ),
                    format!(
                        "Native library {} ({}) holds a command that lists installed apps ({}).",
                        super::native_lib_names(&reads),
                        ctx.party_label(&party).en,
                        shown.join(", ")
                    ),
                    party.clone(),
                    "native",
                )
                .pi(PiCategory::InstalledApps)
                .confidence(hegui_model::Confidence::Medium)
                .evidence(
                    reads
                        .iter()
                        .take(MAX_EVIDENCE)
                        .map(|(lib, read)| super::native_evidence(lib, read)),
                ),
            );
        }
        let mut manifest = Vec::new();
        if android
            .permissions
            .iter()
            .any(|p| p == "android.permission.QUERY_ALL_PACKAGES")
        {
            manifest.push(manifest_evidence(
                "manifest/uses-permission",
                "android.permission.QUERY_ALL_PACKAGES",
                None,
            ));
        }
        if android
            .queries
            .intent_actions
            .iter()
            .any(|a| a == "android.intent.action.MAIN")
        {
            manifest.push(manifest_evidence(
                "manifest/queries/intent",
                "android.intent.action.MAIN",
                Some("sees every launcher app".into()),
            ));
        }
        if !manifest.is_empty() {
            out.push(
                Violation::new(
                    "清单声明可查看设备上所有（或所有启动器）应用的软件包可见性。",
                    "The manifest asks to see all (or all launcher) apps on the device.",
                    Party::App,
                    "manifest",
                )
                .severity(Severity::Medium)
                .evidence(manifest),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, api, render, run};

    #[test]
    fn flags_api_and_manifest() {
        let mut facts = android();
        facts.permissions = vec!["android.permission.QUERY_ALL_PACKAGES".into()];
        facts.queries.intent_actions = vec!["android.intent.action.MAIN".into()];
        facts.api_uses = vec![
            api(
                "Landroid/content/pm/PackageManager;->getInstalledPackages",
                PiCategory::InstalledApps,
                "com.example.app.AppList",
                "scan",
            ),
            api(
                "Landroid/app/ActivityManager;->getRunningTasks",
                PiCategory::InstalledApps,
                "com.tencent.bugly.proguard.ap",
                "b",
            ),
        ];
        let report = run(&InstalledAppList::META, InstalledAppList::check, facts);
        assert_eq!(report.findings.len(), 3);
        insta::assert_snapshot!("AND004_fail", render(&report.findings));
    }

    #[test]
    fn own_process_lookups_and_unreachable_sites_are_quiet() {
        let mut facts = android();
        let running = |flow: hegui_model::ValueFlow| {
            let mut u = api(
                "Landroid/app/ActivityManager;->getRunningAppProcesses",
                PiCategory::InstalledApps,
                "com.umeng.commonsdk.utils.UMUtils",
                "getCurrentProcessName",
            );
            u.flow = Some(flow);
            u
        };
        // for (p : list) if (p.pid == myPid()) return p.processName;
        let own = running(hegui_model::ValueFlow {
            compared_with_own: true,
            returned: true,
            iterated: true,
            ..Default::default()
        });
        // The list handed on: a collection.
        let kept = running(hegui_model::ValueFlow {
            escapes: true,
            iterated: true,
            ..Default::default()
        });
        let mut unreachable = api(
            "Landroid/content/pm/PackageManager;->getInstalledPackages",
            PiCategory::InstalledApps,
            "com.example.app.Unused",
            "all",
        );
        unreachable.reachable = Some(false);
        facts.api_uses = vec![own.clone(), unreachable];
        assert!(
            run(
                &InstalledAppList::META,
                InstalledAppList::check,
                facts.clone()
            )
            .findings
            .is_empty()
        );
        facts.api_uses = vec![own, kept];
        let report = run(&InstalledAppList::META, InstalledAppList::check, facts);
        assert_eq!(report.findings.len(), 1);
        assert!(report.findings[0].message.en.contains("1 call site"));
    }

    #[test]
    fn quiet_for_specific_queries() {
        let mut facts = android();
        facts.queries.packages = vec!["com.tencent.mm".into()];
        assert!(
            run(&InstalledAppList::META, InstalledAppList::check, facts)
                .findings
                .is_empty()
        );
    }
}
