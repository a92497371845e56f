use std::collections::BTreeSet;

use hegui_model::{AndroidFacts, Component, ComponentKind, PiCategory};

use super::{MAX_EVIDENCE, code_evidence, launch_evidence, manifest_evidence};
use crate::{Context, Findings, Violation, declare_rule};

/// PI that another app must not be able to take from this one without a permission.
const GUARDED: &[PiCategory] = &[
    PiCategory::Sms,
    PiCategory::Clipboard,
    PiCategory::Location,
    PiCategory::Contacts,
    PiCategory::CallLog,
    PiCategory::PhoneNumber,
    PiCategory::DeviceId,
    PiCategory::Accounts,
];

/// APIs by which a service or receiver hands data to whoever listens.
const BROADCASTS: &[&str] = &[
    "->sendBroadcast",
    "->sendOrderedBroadcast",
    "->sendStickyBroadcast",
];

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 导出（`exported`）且未用权限保护的组件，其代码读取短信、剪切板、位置、通讯录、通话记录、本机号码、设备标识或账户，
    /// 并把结果交给任意应用：ContentProvider（任何应用都可查询），或发出广播的 Service / BroadcastReceiver。
    ///
    /// Exported components without a permission whose own code reads SMS, the clipboard,
    /// location, contacts, the call log, the phone number, device identifiers or accounts, and
    /// hands the result to any app: a content provider (any app may query it), or a service or
    /// receiver that sends broadcasts.
    ///
    /// A component counts as protected by a `signature`/`dangerous` permission (or one this app
    /// does not define); a permission this app defines at `normal` level protects nothing. For
    /// providers `readPermission` counts. Activities are not judged (what they return cannot be
    /// seen statically). A reviewer counts a finding as true when another app, holding no
    /// permission, can obtain the listed PI through the component.
    ///
    /// ## 为何违规 / Why it matters
    /// 个人信息保护法第 51 条要求采取相应的技术措施防止个人信息泄露；GB/T 35273-2020 11.5 要求落实技术措施防止个人信息泄漏。
    /// 未受保护的导出组件让设备上任何应用绕过权限取得这些信息。
    ///
    /// PIPL art. 51 and GB/T 35273-2020 11.5 require technical measures against leaking PI; an
    /// unprotected exported component lets any app on the device take it without asking.
    ///
    /// ## 示例 / Example
    /// ```xml
    /// <service android:name=".ClipWatcher" android:exported="true"/>
    /// ```
    /// `ClipWatcher` 读取 `ClipboardManager.getPrimaryClip()` 并 `sendBroadcast` 其内容。
    ///
    /// ## 整改建议 / How to fix
    /// 不需要被其他应用调用的组件设置 `android:exported="false"`；需要时用 `signature` 级权限保护，广播指定接收方包名或权限。
    ///
    /// Set `android:exported="false"` on components no other app needs; otherwise protect them
    /// with a `signature` permission and send broadcasts to a package or with a permission.
    ///
    /// ## 依据 / References
    /// PIPL-51, GBT-11.5
    pub struct ExportedPiComponent {
        code: "AND013",
        name: "exported-pi-component",
        title: ("导出组件未受保护地提供个人信息", "Exported component hands out personal information"),
        severity: High,
        cites: ["PIPL-51", "GBT-11.5"],
        needs: [AndroidManifest, AndroidCode],
        fix: (
            "无需被其他应用调用的组件设置 exported=\"false\"；需要时以 signature 级权限保护，广播指定接收方或权限。",
            "Set exported=\"false\" where no other app needs the component; otherwise protect it with a signature permission and target broadcasts."
        ),
        since: "0.8.0",
    }
}

/// No permission, or one this app defines at `normal` level (any app may request it).
fn unprotected(android: &AndroidFacts, c: &Component) -> bool {
    match &c.permission {
        None => true,
        Some(p) => android.custom_permissions.iter().any(|cp| {
            cp.name == *p
                && cp
                    .protection_level
                    .as_deref()
                    .is_none_or(|l| l == "normal" || l == "0" || l == "0x0")
        }),
    }
}

/// The component's class or one of its nested classes.
fn in_class(component: &str, class: &str) -> bool {
    class == component
        || class
            .strip_prefix(component)
            .is_some_and(|rest| rest.starts_with('$'))
}

impl ExportedPiComponent {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        for c in &android.components {
            let judged = matches!(
                c.kind,
                ComponentKind::Provider | ComponentKind::Service | ComponentKind::Receiver
            );
            if !judged || !c.exported || c.enabled == Some(false) || !unprotected(android, c) {
                continue;
            }
            let reads: Vec<_> = android
                .api_uses
                .iter()
                .filter(|u| GUARDED.contains(&u.category) && in_class(&c.name, &u.caller_class))
                .collect();
            if reads.is_empty() {
                continue;
            }
            let sends: Vec<_> = android
                .launches
                .iter()
                .filter(|l| {
                    in_class(&c.name, &l.caller_class)
                        && BROADCASTS.iter().any(|b| l.api.ends_with(b))
                })
                .collect();
            if c.kind != ComponentKind::Provider && sends.is_empty() {
                continue;
            }
            let categories: BTreeSet<PiCategory> = reads.iter().map(|u| u.category).collect();
            let (zh, en): (Vec<String>, Vec<String>) = categories
                .iter()
                .map(|p| (p.label().zh, p.label().en))
                .unzip();
            let how = if c.kind == ComponentKind::Provider {
                ("任何应用均可查询", "any app may query it")
            } else {
                ("并以广播发出", "and broadcasts")
            };
            let mut evidence = vec![manifest_evidence(
                &format!("application/{}", c.kind.tag()),
                &c.name,
                Some("exported, no permission".into()),
            )];
            evidence.extend(
                reads
                    .iter()
                    .take(MAX_EVIDENCE / 2)
                    .map(|u| code_evidence(u)),
            );
            evidence.extend(
                sends
                    .iter()
                    .take(MAX_EVIDENCE / 2)
                    .map(|l| launch_evidence(l)),
            );
            out.push(
                Violation::new(
                    format!(
                        "导出且无权限保护的{} {} 读取{}，{}。",
                        c.kind.tag(),
                        c.name,
                        zh.join("、"),
                        how.0
                    ),
                    format!(
                        "Exported {} {} without a permission reads {} {}.",
                        c.kind.tag(),
                        c.name,
                        en.join(", "),
                        how.1
                    ),
                    ctx.party_of(&c.name),
                    c.name.clone(),
                )
                .evidence(evidence),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, api, run};
    use hegui_model::LaunchSite;

    fn component(kind: ComponentKind, name: &str, permission: Option<&str>) -> Component {
        Component {
            kind,
            name: name.into(),
            exported_attr: Some(true),
            exported: true,
            permission: permission.map(Into::into),
            enabled: None,
            process: None,
            foreground_service_type: None,
            target: None,
            intent_filters: vec![],
        }
    }

    fn broadcast(class: &str) -> LaunchSite {
        LaunchSite {
            api: "Landroid/content/Context;->sendBroadcast".into(),
            packages: vec![],
            target: None,
            caller_class: class.into(),
            caller_method: "onPrimaryClipChanged".into(),
            dex: "classes.dex".into(),
            offset: 0x90,
            party: hegui_model::Party::Unknown,
        }
    }

    #[test]
    fn flags_unprotected_clipboard_broadcaster_and_sms_provider() {
        let mut facts = android();
        facts.components = vec![
            component(ComponentKind::Service, "com.example.app.ClipWatcher", None),
            component(ComponentKind::Provider, "com.example.app.SmsProvider", None),
            // Protected by a signature permission: fine.
            component(
                ComponentKind::Provider,
                "com.example.app.Safe",
                Some("com.example.app.SIGNED"),
            ),
        ];
        facts.api_uses = vec![
            api(
                "Landroid/content/ClipboardManager;->getPrimaryClip",
                PiCategory::Clipboard,
                "com.example.app.ClipWatcher$1",
                "onPrimaryClipChanged",
            ),
            api(
                "content://sms/inbox",
                PiCategory::Sms,
                "com.example.app.SmsProvider",
                "query",
            ),
            api(
                "content://sms/inbox",
                PiCategory::Sms,
                "com.example.app.Safe",
                "query",
            ),
        ];
        facts.launches = vec![broadcast("com.example.app.ClipWatcher$1")];
        let report = run(
            &ExportedPiComponent::META,
            ExportedPiComponent::check,
            facts,
        );
        assert_eq!(report.findings.len(), 2, "{:?}", report.findings);
    }

    #[test]
    fn quiet_for_a_reader_that_sends_nothing() {
        let mut facts = android();
        facts.components = vec![component(
            ComponentKind::Service,
            "com.example.app.Locator",
            None,
        )];
        facts.api_uses = vec![api(
            "Landroid/location/LocationManager;->getLastKnownLocation",
            PiCategory::Location,
            "com.example.app.Locator",
            "onStartCommand",
        )];
        let report = run(
            &ExportedPiComponent::META,
            ExportedPiComponent::check,
            facts,
        );
        assert!(report.findings.is_empty());
    }
}
