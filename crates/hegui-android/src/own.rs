//! Which packages hold the app's own code. The applicationId is one; an app built from
//! modules often keeps its Application class or launcher activity elsewhere (a renamed
//! applicationId, a vendor's demo app under the vendor's namespace), and code there is the
//! app's too.

use hegui_knowledge::SdkCatalog;
use hegui_model::{AndroidFacts, ComponentKind};

/// Namespaces that are never the app's own.
const PLATFORM: &[&str] = &[
    "android.",
    "androidx.",
    "java.",
    "javax.",
    "kotlin.",
    "kotlinx.",
    "dalvik.",
    "com.android.",
];

/// The applicationId first, then the packages of the Application class and of launcher
/// activities when no SDK claims them. Under an SDK's prefix, only a package named like the
/// app (same last segment as the applicationId: a vendor's demo app, `cn.jiguang.jmlinkdemo`
/// for `com.jiguang.jmlinkdemo`) is the app's; an SDK's own activity as launcher stays the SDK's.
pub(crate) fn own_packages(facts: &AndroidFacts, catalog: &SdkCatalog) -> Vec<String> {
    let mut out = Vec::new();
    if !facts.package.is_empty() {
        out.push(facts.package.clone());
    }
    let launchers = facts.components.iter().filter(|c| {
        matches!(
            c.kind,
            ComponentKind::Activity | ComponentKind::ActivityAlias
        ) && c.intent_filters.iter().any(|f| {
            f.actions.iter().any(|a| a == "android.intent.action.MAIN")
                && f.categories
                    .iter()
                    .any(|k| k == "android.intent.category.LAUNCHER")
        })
    });
    let classes = facts
        .application
        .class_name
        .iter()
        .map(String::as_str)
        .chain(launchers.map(|c| match (c.kind, &c.target) {
            (ComponentKind::ActivityAlias, Some(t)) => t.as_str(),
            _ => c.name.as_str(),
        }));
    for class in classes {
        let Some((package, _)) = class.rsplit_once('.') else {
            continue;
        };
        if PLATFORM.iter().any(|p| class.starts_with(p)) || !package.contains('.') {
            continue;
        }
        let claimed = match catalog.owner_of(class) {
            None => false,
            // A catalogued class (an SDK's own Application or activity) is the SDK's.
            Some((_, None)) => true,
            Some((_, Some(_))) => package.rsplit('.').next() != facts.package.rsplit('.').next(),
        };
        let covered = out
            .iter()
            .any(|o| package == o || package.starts_with(&format!("{o}.")));
        if !claimed && !covered {
            out.push(package.to_string());
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use hegui_model::{Component, IntentFilter};

    /// A launcher activity (shared with the in-test DEX fixtures).
    pub(crate) fn launcher(name: &str) -> Component {
        Component {
            kind: ComponentKind::Activity,
            name: name.into(),
            exported_attr: Some(true),
            exported: true,
            permission: None,
            enabled: None,
            process: None,
            foreground_service_type: None,
            target: None,
            intent_filters: vec![IntentFilter {
                actions: vec!["android.intent.action.MAIN".into()],
                categories: vec!["android.intent.category.LAUNCHER".into()],
                ..IntentFilter::default()
            }],
        }
    }

    #[test]
    fn application_and_launcher_packages() {
        let catalog = hegui_knowledge::sdk_catalog();
        let mut facts = AndroidFacts {
            package: "com.jiguang.jmlinkdemo".into(),
            ..AndroidFacts::default()
        };
        facts.components = vec![
            launcher("cn.jiguang.jmlinkdemo.MainActivity"),
            // An SDK's own activity as launcher stays the SDK's.
            launcher("com.tencent.bugly.beta.ui.BetaActivity"),
        ];
        facts.application.class_name = Some("com.hjq.demo.app.AppApplication".into());
        assert_eq!(
            own_packages(&facts, catalog),
            vec![
                "com.jiguang.jmlinkdemo".to_string(),
                "com.hjq.demo.app".to_string(),
                "cn.jiguang.jmlinkdemo".to_string(),
            ]
        );
    }
}
