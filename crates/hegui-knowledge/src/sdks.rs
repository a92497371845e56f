//! Third-party SDK signatures and longest-prefix attribution.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Sdk {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
    pub prefixes: Vec<String>,
}

impl Sdk {
    /// Platform support libraries are attributed but are not third parties to a regulator.
    pub fn is_framework(&self) -> bool {
        self.category == "framework"
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SdkTable {
    sdks: Vec<Sdk>,
    /// (prefix, sdk index), longest prefix first.
    #[serde(skip)]
    by_prefix: Vec<(String, usize)>,
}

impl SdkTable {
    pub fn len(&self) -> usize {
        self.sdks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sdks.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Sdk> {
        self.sdks.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Sdk> {
        self.sdks.iter().find(|s| s.id == id)
    }

    /// The SDK owning a dotted class name, by longest matching package prefix.
    pub fn owner_of(&self, class: &str) -> Option<&Sdk> {
        self.by_prefix
            .iter()
            .find(|(p, _)| class.starts_with(p.as_str()))
            .and_then(|&(_, i)| self.sdks.get(i))
    }
}

pub fn sdk_table() -> &'static SdkTable {
    static T: OnceLock<SdkTable> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: SdkTable = crate::load("sdks", include_str!("../data/sdks.json"));
        let mut by_prefix: Vec<(String, usize)> = t
            .sdks
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.prefixes.iter().map(move |p| (p.clone(), i)))
            .collect();
        by_prefix.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        t.by_prefix = by_prefix;
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_wins() {
        let t = sdk_table();
        assert_eq!(
            t.owner_of("com.google.android.gms.ads.AdView")
                .map(|s| s.id.as_str()),
            Some("google-ads")
        );
        assert_eq!(
            t.owner_of("com.google.android.gms.common.X")
                .map(|s| s.id.as_str()),
            Some("google-play-services")
        );
        assert_eq!(
            t.owner_of("com.umeng.analytics.pro.UMDevice")
                .map(|s| s.id.as_str()),
            Some("umeng")
        );
        assert!(t.owner_of("com.example.app.Main").is_none());
    }
}
