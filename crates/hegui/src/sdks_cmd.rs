//! `hegui sdks`, `hegui sdks show ID`, and loading `--sdk-db` files.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use hegui_knowledge::{SDK_CATEGORIES, Sdk, SdkCatalog, parse_sdk_db, sdk_catalog};
use hegui_model::Lang;

use crate::cli::{SdksAction, SdksArgs};
use crate::exit;
use crate::scan_cmd::lang_of;

/// The built-in catalogue plus `files`; `None` when there are no files. A file that cannot be
/// used stops the command (a silently ignored signature file would hide SDKs); entries skipped
/// inside a usable file are warned about on stderr.
pub fn load_catalog(files: &[PathBuf], quiet: bool) -> anyhow::Result<Option<Arc<SdkCatalog>>> {
    if files.is_empty() {
        return Ok(None);
    }
    let mut extra = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read SDK catalogue {}", file.display()))?;
        let (entries, skipped) = parse_sdk_db(&text)
            .map_err(|e| anyhow::anyhow!("SDK catalogue {}: {e}", file.display()))?;
        if !quiet {
            for issue in &skipped {
                eprintln!("hegui: warning: {}: {issue}", file.display());
            }
            eprintln!(
                "hegui: {}: {} SDK entries added ({} skipped)",
                file.display(),
                entries.len(),
                skipped.len()
            );
        }
        extra.extend(entries);
    }
    Ok(Some(Arc::new(SdkCatalog::with_extra(extra))))
}

pub fn run(args: SdksArgs) -> anyhow::Result<u8> {
    let lang = lang_of(args.lang);
    let loaded = load_catalog(&args.sdk_db, args.json)?;
    let catalog = loaded.as_deref().unwrap_or_else(|| sdk_catalog());
    match args.action {
        None => list(catalog, args.category.as_deref(), lang, args.json),
        Some(SdksAction::Show { id }) => show(catalog, &id, lang, args.json),
    }
}

fn name(sdk: &Sdk, lang: Lang) -> &str {
    if lang == Lang::Zh {
        &sdk.name.zh
    } else {
        &sdk.name.en
    }
}

fn list(
    catalog: &SdkCatalog,
    category: Option<&str>,
    lang: Lang,
    as_json: bool,
) -> anyhow::Result<u8> {
    if let Some(c) = category
        && !SDK_CATEGORIES.contains(&c)
    {
        bail!(
            "unknown category {c}; one of: {}",
            SDK_CATEGORIES.join(", ")
        );
    }
    let mut entries: Vec<&Sdk> = catalog
        .iter()
        .filter(|s| category.is_none_or(|c| s.category == c))
        .collect();
    entries.sort_by(|a, b| (&a.category, &a.id).cmp(&(&b.category, &b.id)));
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "sdks": entries }))?
        );
        return Ok(exit::OK);
    }
    for s in &entries {
        println!(
            "{:<28} {:<16} {}  ({})",
            s.id,
            s.category,
            name(s, lang),
            s.vendor
        );
    }
    let third_party = entries.iter().filter(|s| !s.is_framework()).count();
    println!(
        "\n{}",
        if lang == Lang::Zh {
            format!(
                "共 {} 项（第三方 SDK {} 项）。详情：hegui sdks show <id>",
                entries.len(),
                third_party
            )
        } else {
            format!(
                "{} entries ({} third-party SDKs). Details: hegui sdks show <id>",
                entries.len(),
                third_party
            )
        }
    );
    Ok(exit::OK)
}

fn show(catalog: &SdkCatalog, id: &str, lang: Lang, as_json: bool) -> anyhow::Result<u8> {
    let Some(sdk) = catalog.get(id) else {
        bail!("no SDK with id {id}; `hegui sdks` lists them");
    };
    if as_json {
        println!("{}", serde_json::to_string_pretty(sdk)?);
        return Ok(exit::OK);
    }
    let zh = lang == Lang::Zh;
    let t = |z: &'static str, e: &'static str| if zh { z } else { e };
    println!("{} — {} / {}\n", sdk.id, sdk.name.zh, sdk.name.en);
    println!("{}: {}", t("运营方", "operator"), sdk.vendor);
    println!("{}: {}", t("类别", "category"), sdk.category);
    let collects: Vec<String> = sdk
        .collects
        .iter()
        .map(|c| format!("{} ({})", c.label().get(lang), c.id()))
        .collect();
    println!(
        "{}: {}",
        t("声明收集的个人信息", "collects"),
        if collects.is_empty() {
            "-".to_string()
        } else {
            collects.join(if zh { "、" } else { ", " })
        }
    );
    println!(
        "{}: {}",
        t("隐私政策", "privacy policy"),
        sdk.policy_url.as_deref().unwrap_or("-")
    );
    let lists: [(&str, &str, &[String]); 7] = [
        ("包名前缀", "package prefixes", &sdk.prefixes),
        ("已知类", "classes", &sdk.classes),
        ("原生库", "native libraries", &sdk.native_libs),
        ("清单 meta-data", "manifest meta-data", &sdk.meta_data),
        ("清单组件", "manifest components", &sdk.components),
        ("网络域名", "domains", &sdk.domains),
        ("小程序插件", "mini-program plugins", &sdk.mp_plugins),
    ];
    for (z, e, values) in lists {
        if !values.is_empty() {
            println!("{}: {}", t(z, e), values.join(", "));
        }
    }
    Ok(exit::OK)
}
