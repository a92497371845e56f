//! Bundled web pages (a privacy policy shipped in assets is a fact) and code hidden in assets.

use hegui_archive::{Budget, Limits, ZipArchive};
use hegui_model::{NestedCode, WebAsset};

const MAX_PAGES: usize = 400;
const MAX_PAGE_BYTES: u64 = 2 << 20;
const POLICY_WORDS: &[&str] = &[
    "隐私政策",
    "隐私协议",
    "隐私权政策",
    "个人信息保护",
    "隐私保护指引",
    "privacy policy",
    "privacy notice",
];
const POLICY_NAME_HINTS: &[&str] = &[
    "privacy",
    "policy",
    "yinsi",
    "agreement",
    "protocol",
    "隐私",
];

fn is_page(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("assets/") || lower.starts_with("res/raw/"))
        && [".html", ".htm", ".txt", ".md"]
            .iter()
            .any(|s| lower.ends_with(s))
}

/// HTML/text pages under assets/ and res/raw/: title and whether they present a privacy policy.
/// Pages whose names hint at a policy are read first so that a hybrid app with thousands of
/// pages cannot push the policy past the cap.
pub fn web_assets(zip: &ZipArchive<'_>, limits: &Limits, budget: &Budget) -> Vec<WebAsset> {
    let mut pages: Vec<_> = zip
        .entries()
        .iter()
        .filter(|e| is_page(&e.name) && e.uncompressed_size <= MAX_PAGE_BYTES)
        .collect();
    let hinted = |n: &str| {
        POLICY_NAME_HINTS
            .iter()
            .any(|h| n.to_lowercase().contains(h))
    };
    pages.sort_by_key(|e| !hinted(&e.name));
    pages
        .into_iter()
        .take(MAX_PAGES)
        .filter_map(|entry| {
            let bytes = zip.read(entry, limits, budget).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let lower = text.to_lowercase();
            Some(WebAsset {
                path: entry.name.clone(),
                size: bytes.len() as u64,
                title: html_title(&text),
                mentions_privacy_policy: POLICY_WORDS.iter().any(|w| lower.contains(w)),
            })
        })
        .collect()
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower.get(start..)?.find('>')? + 1;
    let close = open_end + lower.get(open_end..)?.find("</title")?;
    let title = text.get(open_end..close)?.trim();
    (!title.is_empty()).then(|| title.chars().take(200).collect())
}

/// DEX, JAR, APK and zip files outside the places the runtime loads code from.
pub fn nested_code(zip: &ZipArchive<'_>) -> Vec<NestedCode> {
    zip.entries()
        .iter()
        .filter(|e| !e.is_dir() && e.name.contains('/'))
        .filter_map(|e| {
            let lower = e.name.to_ascii_lowercase();
            let kind = [".dex", ".jar", ".apk", ".zip", ".odex", ".vdex"]
                .iter()
                .find(|s| lower.ends_with(*s))?
                .trim_start_matches('.');
            Some(NestedCode {
                path: e.name.clone(),
                kind: kind.to_string(),
                size: e.uncompressed_size,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_titles() {
        assert_eq!(
            html_title("<html><head><TITLE> 隐私政策 </title>").as_deref(),
            Some("隐私政策")
        );
        assert_eq!(html_title("<p>no title</p>"), None);
    }
}
