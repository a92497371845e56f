use std::collections::BTreeMap;

use hegui_model::{ComponentKind, Confidence, Evidence, Party, StartupCall};

use super::{MAX_EVIDENCE, manifest_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 在 `Application.onCreate` / `attachBaseContext` 中（直接或经应用自身方法最多三层调用）调用第三方 SDK，
    /// 以及第三方 SDK 在清单中声明、随进程启动自动运行的 ContentProvider。两者都在任何隐私政策弹窗之前执行，
    /// 是“同意前初始化 SDK、收集个人信息”的静态特征。置信度为“候选”：须以动态检测（运行时行为记录）确认。
    ///
    /// Third-party SDK calls made from `Application.onCreate` / `attachBaseContext` (directly
    /// or through up to three of the app's own methods), and SDK content providers declared in
    /// the manifest, which Android starts with the process. Both run before any privacy dialog:
    /// the static signature of initialising SDKs (and collecting) before consent. A candidate:
    /// confirm with a runtime trace.
    ///
    /// A call counts when it reaches one of the SDK's catalogued init entry points
    /// (`UMConfigure.init`, `XGPushManager.registerPush`, `JPushInterface.init`, …; any call
    /// for SDKs without listed entry points), so `UMConfigure.preInit` and configuration
    /// setters do not. The path is followed through the app's own code wherever it lives
    /// (helper modules in other packages, AspectJ-woven bodies, `Runnable`s it constructs).
    /// Only SDKs the catalogue says collect PI count, and a provider only when its own
    /// `onCreate` does work: one that returns a constant (Tencent MID, HMS `UpdateProvider`) or
    /// inherits `FileProvider`'s initialises nothing. A reviewer counts a finding as true when
    /// a listed call or provider initialises the SDK (its init entry point or code that starts
    /// its collection) at process start.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 1 项整治 APP、SDK 未经同意收集个人信息；《认定方法》三.1 将“征得同意前就开始收集”列为违法情形。
    /// 多数 SDK 在初始化时即读取设备标识、网络和位置信息，因此须在用户同意隐私政策后再初始化。
    ///
    /// Notice 164 item 1 targets apps and SDKs collecting without consent; item 3.1 of the
    /// 2019 method names collecting before consent. Most SDKs read device IDs, network and
    /// location data when initialised, so they must be initialised after consent.
    ///
    /// ## 示例 / Example
    /// ```java
    /// public void onCreate() { super.onCreate(); UMConfigure.init(this, KEY, "ch", 1, null); }
    /// ```
    ///
    /// ## 整改建议 / How to fix
    /// 首次启动只做预初始化（如友盟 `UMConfigure.preInit`、极光 `JCollectionAuth.setAuth(false)`），
    /// 用户同意隐私政策后再正式初始化；禁用 SDK 自动初始化的 ContentProvider（`tools:node="remove"`）并在同意后手动初始化。
    ///
    /// Only pre-initialise at first launch (e.g. Umeng `preInit`) and initialise after the user
    /// agrees; remove auto-init providers (`tools:node="remove"`) and start the SDK by hand
    /// after consent.
    ///
    /// ## 依据 / References
    /// MIIT164-01, AM-3.1, TTAF078.6-3.5
    pub struct SdkInitAtStartup {
        code: "AND011",
        name: "sdk-init-at-startup",
        title: ("应用启动时即初始化第三方 SDK（同意前收集风险）", "Third-party SDK initialised at app start (collection before consent)"),
        severity: Medium,
        cites: ["MIIT164-01", "AM-3.1", "TTAF078.6-3.5"],
        needs: [AndroidManifest, AndroidCode],
        fix: (
            "首次启动只做预初始化，用户同意隐私政策后再初始化 SDK；移除 SDK 自动初始化的 ContentProvider 并在同意后手动初始化。",
            "Pre-initialise only; initialise SDKs after the user agrees to the policy; remove auto-init providers and start them after consent."
        ),
        since: "0.2.0",
    }
}

/// A catalogued, non-platform SDK whose vendor says it collects PI: initialising anything
/// else early collects nothing (AspectJ's runtime, a crash-screen library).
fn collects_pi(ctx: &Context<'_>, party: &Party) -> bool {
    matches!(party, Party::Sdk(id) if ctx.catalog.get(id).is_some_and(|s| {
        !s.is_framework() && !s.collects.is_empty()
    }))
}

/// The call is one of the SDK's catalogued init entry points (any call when none are listed):
/// `UMConfigure.preInit` or a setter starts nothing.
fn is_init(ctx: &Context<'_>, party: &Party, call: &StartupCall) -> bool {
    matches!(party, Party::Sdk(id) if ctx.catalog.get(id).is_some_and(|s| {
        s.is_init(&call.callee_class, &call.callee_method)
    }))
}

/// The provider's own `onCreate` does work; one that only returns a constant (or inherits
/// `FileProvider`'s) initialises nothing.
fn initialises(android: &hegui_model::AndroidFacts, class: &str) -> bool {
    android
        .provider_creates
        .iter()
        .any(|p| p.class == class && p.does_work)
}

/// Evidence at the invoke itself: the method holding it is the last one on the path.
fn call_evidence(c: &StartupCall) -> Evidence {
    let holder = c.via.last().unwrap_or(&c.entry);
    let (class, method) = holder.rsplit_once('.').unwrap_or((holder.as_str(), ""));
    let path: Vec<&str> = std::iter::once(c.entry.as_str())
        .chain(c.via.iter().map(String::as_str))
        .collect();
    Evidence::Code {
        file: c.dex.clone(),
        class: class.to_string(),
        method: method.to_string(),
        offset: c.offset,
        api: Some(format!(
            "{} → {}.{}",
            path.join(" → "),
            c.callee_class,
            c.callee_method
        )),
    }
}

impl SdkInitAtStartup {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(android) = ctx.android() else { return };
        let mut by_party: BTreeMap<Party, (Vec<&StartupCall>, Vec<&str>)> = BTreeMap::new();
        for call in &android.startup_calls {
            let party = ctx.party_of(&call.callee_class);
            if collects_pi(ctx, &party) && is_init(ctx, &party, call) {
                by_party.entry(party).or_default().0.push(call);
            }
        }
        for provider in android
            .components
            .iter()
            .filter(|c| c.kind == ComponentKind::Provider && c.enabled != Some(false))
        {
            let party = ctx.party_of(&provider.name);
            if collects_pi(ctx, &party) && initialises(android, &provider.name) {
                by_party.entry(party).or_default().1.push(&provider.name);
            }
        }
        for (party, (calls, providers)) in by_party {
            let who = ctx.party_label(&party);
            let mut how_zh = Vec::new();
            let mut how_en = Vec::new();
            if let Some(first) = calls.first() {
                how_zh.push(format!(
                    "在 {} 中调用 {}.{}",
                    first.entry, first.callee_class, first.callee_method
                ));
                how_en.push(format!(
                    "{} calls {}.{}",
                    first.entry, first.callee_class, first.callee_method
                ));
            }
            if !providers.is_empty() {
                how_zh.push(format!(
                    "随进程自动启动的 ContentProvider {}",
                    providers.join("、")
                ));
                how_en.push(format!(
                    "auto-started content provider {}",
                    providers.join(", ")
                ));
            }
            let evidence = calls.iter().map(|c| call_evidence(c)).chain(
                providers
                    .iter()
                    .map(|p| manifest_evidence("application/provider", p, None)),
            );
            out.push(
                Violation::new(
                    format!(
                        "{}在应用启动时即被初始化（{}），早于任何隐私政策同意。候选问题，请以动态检测确认。",
                        who.zh,
                        how_zh.join("；")
                    ),
                    format!(
                        "{} is initialised when the app starts ({}), before any consent can be given. A candidate: confirm with a runtime trace.",
                        who.en,
                        how_en.join("; ")
                    ),
                    party.clone(),
                    "startup",
                )
                .confidence(Confidence::Low)
                .evidence(evidence.take(MAX_EVIDENCE)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{android, provider, render, run};

    fn call(via: &[&str], class: &str, method: &str) -> StartupCall {
        StartupCall {
            entry: "com.example.app.App.onCreate".into(),
            via: via.iter().map(|s| s.to_string()).collect(),
            callee_class: class.into(),
            callee_method: method.into(),
            party: Party::Unknown,
            dex: "classes.dex".into(),
            offset: 0x40,
        }
    }

    #[test]
    fn flags_sdk_calls_and_auto_init_providers() {
        let mut facts = android();
        facts.startup_calls = vec![
            call(&[], "com.umeng.commonsdk.UMConfigure", "init"),
            call(
                &["com.example.app.Init.all"],
                "com.igexin.sdk.PushManager",
                "initialize",
            ),
            // Platform libraries and the app's own code are not third parties.
            call(&[], "androidx.multidex.MultiDex", "install"),
        ];
        facts.components = vec![provider(
            "com.google.firebase.provider.FirebaseInitProvider",
            "com.example.app.firebaseinitprovider",
        )];
        facts.provider_creates = vec![hegui_model::ProviderCreate {
            class: "com.google.firebase.provider.FirebaseInitProvider".into(),
            does_work: true,
            dex: "classes.dex".into(),
            offset: 0x80,
        }];
        let report = run(&SdkInitAtStartup::META, SdkInitAtStartup::check, facts);
        assert_eq!(report.findings.len(), 3);
        insta::assert_snapshot!("AND011_fail", render(&report.findings));
    }

    #[test]
    fn pre_init_empty_providers_and_non_collecting_code_are_quiet() {
        let mut facts = android();
        facts.startup_calls = vec![
            // Umeng's compliant first-launch call: not an init entry point.
            call(&[], "com.umeng.commonsdk.UMConfigure", "preInit"),
            // Uncatalogued code (AspectJ's runtime): nothing known to collect.
            call(&[], "org.aspectj.runtime.reflect.Factory", "makeJP"),
        ];
        // A provider whose onCreate only returns true, and one inheriting FileProvider's.
        facts.components = vec![
            provider(
                "com.tencent.bugly.beta.utils.BuglyFileProvider",
                "com.example.app.p",
            ),
            provider("com.umeng.commonsdk.UMProvider", "com.example.app.p"),
        ];
        facts.provider_creates = vec![hegui_model::ProviderCreate {
            class: "com.umeng.commonsdk.UMProvider".into(),
            does_work: false,
            dex: "classes.dex".into(),
            offset: 0x80,
        }];
        let report = run(&SdkInitAtStartup::META, SdkInitAtStartup::check, facts);
        assert!(report.findings.is_empty(), "{:?}", report.findings);
    }

    #[test]
    fn quiet_when_sdks_start_later() {
        let mut facts = android();
        facts.startup_calls = vec![call(&[], "androidx.multidex.MultiDex", "install")];
        let report = run(&SdkInitAtStartup::META, SdkInitAtStartup::check, facts);
        assert!(report.findings.is_empty());
    }
}
