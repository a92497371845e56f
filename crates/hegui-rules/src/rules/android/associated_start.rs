use std::collections::BTreeMap;

use hegui_model::{Evidence, LaunchSite, LaunchTarget, Party};

use super::{MAX_EVIDENCE, launch_evidence, manifest_evidence};
use crate::{Context, Findings, Violation, declare_rule};

/// Framework, store and platform-service packages that apps legitimately address (settings
/// screens, the installer, Google Play services and its store on GMS devices). AOSP's own
/// apps (`com.android.*`: phone, dialer, contacts) are system apps too.
const SYSTEM_PACKAGES: &[&str] = &[
    "android",
    "com.android.settings",
    "com.android.packageinstaller",
    "com.google.android.packageinstaller",
    "com.google.android.gms",
    "com.android.vending",
];

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 代码以其他应用的包名或组件名构造显式 Intent、调用 `getLaunchIntentForPackage` 获取其他应用的启动入口，
    /// 即可以“关联启动”其他应用的调用点；责任方按调用类归属到应用或具名 SDK。
    ///
    /// Code that builds explicit intents naming another app's package or component, or asks
    /// for another app's launch intent (`getLaunchIntentForPackage`): the means to start other
    /// apps ("associated start"). The calling class attributes it to the app or an SDK.
    ///
    /// Only what flows into the package or class argument counts (a local data-flow read of
    /// the calling method): a string constant naming another app, or a package read from the
    /// package manager's answer about installed apps (`PackageInfo.packageName`: waking every
    /// app that carries a push service). Not reported: the app's own package
    /// (`setPackage(getPackageName())`, `new ComponentName(ctx, X.class)`), intent actions and
    /// extras loaded nearby, the system settings and installer packages, and launches by share,
    /// login and payment SDKs (they open their platform's app when the user taps share, log in
    /// or pay) and by platform libraries (Play services' and AndroidX's resolution dialogs and
    /// choosers). A reviewer counts a finding as true when a listed target is another installed
    /// app the code can start or wake.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 6 项整治关联启动，T/TAF 078.10 §3 要求未经告知同意、无合理场景不得唤醒或启动其他应用，
    /// 推送 SDK 的“联盟唤醒”是典型来源。
    ///
    /// Notice 164 item 6 and T/TAF 078.10 §3 forbid starting other apps without notice, consent
    /// and a reasonable scenario; push SDKs' mutual wake-up is the classic source.
    ///
    /// ## 示例 / Example
    /// `Launcher.wakeWeChat()`：`getLaunchIntentForPackage("com.tencent.mm")` 后 `startActivity`。
    ///
    /// ## 整改建议 / How to fix
    /// 只在用户主动操作（如点击“分享到微信”）时启动其他应用，并关闭 SDK 的相互唤醒功能。
    ///
    /// Start other apps only on an explicit user action (e.g. tapping "share to WeChat") and
    /// switch off SDKs' mutual wake-up.
    ///
    /// ## 依据 / References
    /// MIIT164-06, TTAF078.10-3
    pub struct AssociatedStart {
        code: "AND006",
        name: "associated-start",
        title: ("关联启动其他应用", "Starts other apps"),
        severity: Medium,
        cites: ["MIIT164-06", "TTAF078.10-3"],
        needs: [AndroidManifest, AndroidCode],
        fix: (
            "仅在用户主动操作时启动其他应用，并关闭第三方 SDK 的相互唤醒（关联启动）功能。",
            "Start other apps only on an explicit user action and switch off SDKs' mutual wake-up."
        ),
        since: "0.1.0",
    }
}

/// Package names among the strings, minus the app's own, system ones, and component class
/// names of a package already listed (`com.x.app.Login` next to `com.x.app`).
fn foreign_packages<'a>(site: &'a LaunchSite, own: &str) -> Vec<&'a str> {
    let candidates: Vec<&str> = site
        .packages
        .iter()
        .map(String::as_str)
        .filter(|p| {
            !std::iter::once(own)
                .chain(SYSTEM_PACKAGES.iter().copied())
                .any(|q| *p == q || p.starts_with(q) && p.as_bytes().get(q.len()) == Some(&b'.'))
        })
        .filter(|p| {
            !p.starts_with("android.")
                && !p.starts_with("java.")
                && !p.starts_with("com.android.")
                && !p.contains("intent.action")
        })
        .collect();
    candidates
        .iter()
        .copied()
        .filter(|p| {
            !candidates
                .iter()
                .any(|q| q != p && p.starts_with(q) && p.as_bytes().get(q.len()) == Some(&b'.'))
        })
        .collect()
}

/// How a target read from the package manager is listed.
const QUERIED: &str = "<packages found on the device>";

/// Share, login and payment SDKs start their platform's app on the user's tap; platform
/// libraries (Play services, AndroidX) address the store or a companion app from the error
/// dialogs and choosers the user acts on.
fn user_initiated(ctx: &Context<'_>, party: &Party) -> bool {
    ctx.is_framework(party)
        || matches!(party, Party::Sdk(id) if ctx.catalog.get(id).is_some_and(|s| {
            matches!(s.category.as_str(), "social" | "login" | "payment")
        }))
}

impl AssociatedStart {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        let mut by_party: BTreeMap<Party, (Vec<String>, Vec<Evidence>)> = BTreeMap::new();
        for site in &android.launches {
            let targets: Vec<&str> = match site.target {
                Some(LaunchTarget::Constant) => foreign_packages(site, &android.package),
                Some(LaunchTarget::Queried) => vec![QUERIED],
                _ => Vec::new(),
            };
            if targets.is_empty() {
                continue;
            }
            let party = ctx.party_of(&site.caller_class);
            if user_initiated(ctx, &party) {
                continue;
            }
            let entry = by_party.entry(party).or_default();
            for t in targets {
                if !entry.0.iter().any(|x| x == t) {
                    entry.0.push(t.to_string());
                }
            }
            if entry.1.len() < MAX_EVIDENCE {
                entry.1.push(launch_evidence(site));
            }
        }
        for (party, (targets, evidence)) in by_party {
            let mut evidence = evidence;
            evidence.extend(
                targets
                    .iter()
                    .filter(|t| android.queries.packages.contains(t))
                    .map(|t| manifest_evidence("manifest/queries/package", t, None)),
            );
            out.push(
                Violation::new(
                    format!(
                        "{}以包名指向其他应用并可启动它们：{}。",
                        ctx.party_label(&party).zh,
                        targets.join("、")
                    ),
                    format!(
                        "{} addresses other apps by package and can start them: {}.",
                        ctx.party_label(&party).en,
                        targets.join(", ")
                    ),
                    party.clone(),
                    targets.join(","),
                )
                .evidence(evidence),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, render, run};

    fn site(api: &str, packages: &[&str], class: &str) -> LaunchSite {
        LaunchSite {
            api: api.into(),
            packages: packages.iter().map(|p| p.to_string()).collect(),
            // As the extractor says: the naming APIs carry where their argument came from.
            target: [
                "getLaunchIntentForPackage",
                "setClassName",
                "setPackage",
                "<init>",
            ]
            .iter()
            .any(|m| api.ends_with(&format!("->{m}")))
            .then_some(LaunchTarget::Constant),
            caller_class: class.into(),
            caller_method: "go".into(),
            dex: "classes.dex".into(),
            offset: 0x40,
            party: hegui_model::Party::Unknown,
        }
    }

    #[test]
    fn flags_foreign_launch_targets() {
        let mut facts = android();
        facts.launches = vec![
            site(
                "Landroid/content/pm/PackageManager;->getLaunchIntentForPackage",
                &["com.tencent.mm"],
                "com.example.app.Launcher",
            ),
            site(
                "Landroid/content/Intent;->setClassName",
                &[
                    "com.eg.android.AlipayGphone",
                    "com.eg.android.AlipayGphone.AlipayLogin",
                ],
                "com.igexin.push.Wake",
            ),
        ];
        let report = run(&AssociatedStart::META, AssociatedStart::check, facts);
        assert_eq!(report.findings.len(), 2);
        insta::assert_snapshot!("AND006_fail", render(&report.findings));
    }

    #[test]
    fn own_package_and_settings_are_fine() {
        let mut facts = android();
        facts.launches = vec![
            site(
                "Landroid/content/Intent;->setClassName",
                &["com.example.app", "com.example.app.Main"],
                "com.example.app.A",
            ),
            site(
                "Landroid/content/Intent;->setPackage",
                &["com.android.settings"],
                "com.example.app.A",
            ),
            site(
                "Landroid/content/Context;->startActivity",
                &["com.tencent.mm"],
                "com.example.app.A",
            ),
        ];
        assert!(
            run(&AssociatedStart::META, AssociatedStart::check, facts)
                .findings
                .is_empty()
        );
    }

    #[test]
    fn own_package_argument_and_queried_packages() {
        let mut facts = android();
        // setPackage(getPackageName()) next to an action string that looks like a package.
        let mut own = site(
            "Landroid/content/Intent;->setPackage",
            &[],
            "com.tencent.android.tpush.XGPushManager",
        );
        own.target = Some(LaunchTarget::OwnPackage);
        // Xiaomi push waking every app whose PackageInfo carries its push service.
        let mut queried = site(
            "Landroid/content/Intent;->setPackage",
            &[],
            "com.xiaomi.push.service.Awake",
        );
        queried.target = Some(LaunchTarget::Queried);
        facts.launches = vec![own, queried];
        let report = run(&AssociatedStart::META, AssociatedStart::check, facts);
        assert_eq!(report.findings.len(), 1);
        assert!(
            report.findings[0]
                .message
                .en
                .contains("packages found on the device")
        );
    }
}
