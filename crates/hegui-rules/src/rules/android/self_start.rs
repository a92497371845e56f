use hegui_model::{ComponentKind, Confidence, Evidence, Severity};

use super::{MAX_EVIDENCE, launch_evidence, manifest_evidence};
use crate::{Context, Findings, Violation, declare_rule};

/// System broadcasts that wake an app without the user: boot, network changes, package
/// events, unlocking, power.
const WAKE_ACTIONS: &[&str] = &[
    "android.intent.action.BOOT_COMPLETED",
    "android.intent.action.LOCKED_BOOT_COMPLETED",
    "android.intent.action.QUICKBOOT_POWERON",
    "com.htc.intent.action.QUICKBOOT_POWERON",
    "android.intent.action.REBOOT",
    "android.net.conn.CONNECTIVITY_CHANGE",
    "android.net.wifi.STATE_CHANGE",
    "android.net.wifi.WIFI_STATE_CHANGED",
    "android.intent.action.PACKAGE_ADDED",
    "android.intent.action.PACKAGE_REMOVED",
    "android.intent.action.PACKAGE_REPLACED",
    "android.intent.action.USER_PRESENT",
    "android.intent.action.ACTION_POWER_CONNECTED",
    "android.intent.action.ACTION_POWER_DISCONNECTED",
    "android.intent.action.MEDIA_MOUNTED",
];

/// Broadcasts Android delivers only to apps holding `RECEIVE_BOOT_COMPLETED`.
const NEEDS_BOOT_PERMISSION: &[&str] = &[
    "android.intent.action.BOOT_COMPLETED",
    "android.intent.action.LOCKED_BOOT_COMPLETED",
];
const BOOT_PERMISSION: &str = "android.permission.RECEIVE_BOOT_COMPLETED";

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 注册了开机、网络变化、应用安装卸载、解锁、充电等系统广播的接收器（自启动入口），以及这些接收器中启动服务的代码；
    /// 另报告 `onStartCommand` 返回 `START_STICKY`/`START_REDELIVER_INTENT`、被结束后由系统自动重启的服务（保活）。
    /// 责任方按接收器类名归属到应用或具名 SDK（推送 SDK 常见）。
    ///
    /// Receivers registered for boot, connectivity, package, unlock or power broadcasts (ways to
    /// start without the user), and service starts inside those receivers. The receiver's
    /// class attributes it to the app or a named SDK (push SDKs often do this). Services whose
    /// `onStartCommand` returns `START_STICKY`/`START_REDELIVER_INTENT` (restarted by the system
    /// whenever killed: keep-alive) are reported too, at low severity.
    ///
    /// A boot receiver (`BOOT_COMPLETED`, `LOCKED_BOOT_COMPLETED`) counts only when the app
    /// requests `RECEIVE_BOOT_COMPLETED`: without it Android never delivers the broadcast. A
    /// reviewer counts a finding as true when the receiver is enabled and the system delivers
    /// at least one of the listed broadcasts to it.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 6 项整治“APP 频繁自启动和关联启动”，T/TAF 078.10 §3 要求未经告知同意、无合理场景不得自启动，SDK 同样适用。
    ///
    /// Notice 164 item 6 and T/TAF 078.10 §3 forbid self-starting without notice, consent and a
    /// reasonable scenario, SDKs included.
    ///
    /// ## 示例 / Example
    /// ```xml
    /// <receiver android:name=".BootReceiver" android:exported="true">
    ///   <intent-filter><action android:name="android.intent.action.BOOT_COMPLETED"/></intent-filter>
    /// </receiver>
    /// ```
    ///
    /// ## 整改建议 / How to fix
    /// 删除无必要的自启动接收器；确有需要（如闹钟、日程提醒）时向用户说明并提供关闭选项，并关闭 SDK 的自启动/保活配置。
    ///
    /// Remove wake-up receivers no feature needs; where one is needed (alarms, reminders) tell
    /// the user and offer a switch; turn off SDKs' keep-alive options.
    ///
    /// ## 依据 / References
    /// MIIT164-06, TTAF078.10-3
    pub struct SelfStart {
        code: "AND005",
        name: "self-start",
        title: ("应用自启动", "App starts itself"),
        severity: Medium,
        cites: ["MIIT164-06", "TTAF078.10-3"],
        needs: [AndroidManifest],
        fix: (
            "删除无必要的自启动广播接收器；确需时告知用户并提供关闭选项，同时关闭 SDK 的自启动与保活配置。",
            "Remove wake-up receivers no feature needs; tell users and offer a switch where one is needed; disable SDK keep-alive options."
        ),
        since: "0.1.0",
    }
}

impl SelfStart {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        let may_boot = android.permissions.iter().any(|p| p == BOOT_PERMISSION);
        for receiver in android
            .components
            .iter()
            .filter(|c| c.kind == ComponentKind::Receiver)
        {
            if receiver.enabled == Some(false) {
                continue;
            }
            let mut actions: Vec<&str> = receiver
                .intent_filters
                .iter()
                .flat_map(|f| f.actions.iter().map(String::as_str))
                .filter(|a| WAKE_ACTIONS.contains(a))
                .filter(|a| may_boot || !NEEDS_BOOT_PERMISSION.contains(a))
                .collect();
            actions.sort_unstable();
            actions.dedup();
            if actions.is_empty() {
                continue;
            }
            let mut evidence = vec![manifest_evidence(
                "application/receiver",
                &receiver.name,
                Some(format!("actions: {}", actions.join(", "))),
            )];
            let starts = android.launches.iter().filter(|l| {
                l.caller_class == receiver.name
                    && ["startService", "startForegroundService", "startActivity"]
                        .iter()
                        .any(|m| l.api.ends_with(&format!("->{m}")))
            });
            evidence.extend(starts.take(MAX_EVIDENCE).map(launch_evidence));
            let party = ctx.party_of(&receiver.name);
            out.push(
                Violation::new(
                    format!(
                        "接收器 {} 监听系统广播 {}，可在用户未操作时启动应用。",
                        receiver.name,
                        actions.join("、")
                    ),
                    format!(
                        "Receiver {} listens for {}, so the app can start without the user.",
                        receiver.name,
                        actions.join(", ")
                    ),
                    party,
                    receiver.name.clone(),
                )
                .evidence(evidence),
            );
        }
        // Keep-alive: a declared service that asks to be restarted whenever it is killed.
        for sticky in &android.sticky_services {
            if !android
                .components
                .iter()
                .any(|c| c.kind == ComponentKind::Service && c.name == sticky.class)
            {
                continue;
            }
            let mode = if sticky.start_mode == 3 {
                "START_REDELIVER_INTENT"
            } else {
                "START_STICKY"
            };
            out.push(
                Violation::new(
                    format!("服务 {} 的 onStartCommand 返回 {mode}，被系统结束后会自动重新启动（保活）。", sticky.class),
                    format!("Service {} returns {mode} from onStartCommand, so the system restarts it whenever it is killed (keep-alive).", sticky.class),
                    ctx.party_of(&sticky.class),
                    format!("sticky:{}", sticky.class),
                )
                .severity(Severity::Low)
                .confidence(Confidence::Medium)
                .evidence([Evidence::Code {
                    file: sticky.dex.clone(),
                    class: sticky.class.clone(),
                    method: "onStartCommand".into(),
                    offset: sticky.offset,
                    api: Some(mode.into()),
                }]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::LaunchSite;

    use super::*;
    use crate::testing::{android, receiver, render, run};

    #[test]
    fn flags_boot_receivers_with_service_start() {
        let mut facts = android();
        facts.components = vec![
            receiver(
                "com.example.app.Boot",
                &[
                    "android.intent.action.BOOT_COMPLETED",
                    "android.net.conn.CONNECTIVITY_CHANGE",
                ],
            ),
            receiver(
                "cn.jpush.android.service.PushReceiver",
                &["android.intent.action.USER_PRESENT"],
            ),
            receiver("com.example.app.Share", &["android.intent.action.SEND"]),
        ];
        facts.launches = vec![LaunchSite {
            target: None,
            api: "Landroid/content/Context;->startService".into(),
            packages: vec![],
            caller_class: "com.example.app.Boot".into(),
            caller_method: "onReceive".into(),
            dex: "classes.dex".into(),
            offset: 0x200,
            party: hegui_model::Party::Unknown,
        }];
        facts.components.push(hegui_model::Component {
            kind: ComponentKind::Service,
            intent_filters: vec![],
            ..receiver("com.example.app.KeepAlive", &[])
        });
        facts.sticky_services = vec![
            hegui_model::StickyService {
                class: "com.example.app.KeepAlive".into(),
                start_mode: 1,
                dex: "classes.dex".into(),
                offset: 0x300,
                party: hegui_model::Party::Unknown,
            },
            // Not declared in the manifest: never started as a service, not reported.
            hegui_model::StickyService {
                class: "com.example.app.Unused".into(),
                start_mode: 1,
                dex: "classes.dex".into(),
                offset: 0x400,
                party: hegui_model::Party::Unknown,
            },
        ];
        facts.permissions = vec![BOOT_PERMISSION.into()];
        let report = run(&SelfStart::META, SelfStart::check, facts);
        assert_eq!(report.findings.len(), 3);
        insta::assert_snapshot!("AND005_fail", render(&report.findings));
    }

    #[test]
    fn boot_receiver_without_the_permission_never_fires() {
        let mut facts = android();
        facts.components = vec![
            receiver(
                "com.example.app.Boot",
                &["android.intent.action.BOOT_COMPLETED"],
            ),
            receiver(
                "com.example.app.Net",
                &[
                    "android.intent.action.BOOT_COMPLETED",
                    "android.net.conn.CONNECTIVITY_CHANGE",
                ],
            ),
        ];
        let report = run(&SelfStart::META, SelfStart::check, facts);
        assert_eq!(report.findings.len(), 1);
        assert!(!report.findings[0].message.en.contains("BOOT_COMPLETED"));
    }

    #[test]
    fn quiet_for_ordinary_receivers() {
        let mut facts = android();
        facts.components = vec![receiver(
            "com.example.app.Share",
            &["android.intent.action.SEND"],
        )];
        assert!(
            run(&SelfStart::META, SelfStart::check, facts)
                .findings
                .is_empty()
        );
    }
}
