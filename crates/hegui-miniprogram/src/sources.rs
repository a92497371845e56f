//! A mini-program's scripts and app configuration, read for running it (the sandbox), not
//! for judging: the same containers and limits as the readers.

use std::path::Path;

use hegui_archive::miniapp::{
    appid_from_path, decrypt_v1mmwx, is_tpkg, is_v1mmwx, parse_tpkg, parse_wxapkg,
};

use crate::files::text;

/// Script bytes read per app; past this the rest is left out (and the run says so by what
/// it could not boot).
const MAX_SCRIPT_BYTES: usize = 64 << 20;

/// What a run needs.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub appid: Option<String>,
    /// Scripts by package path.
    pub scripts: Vec<(String, String)>,
    /// `app.json`, or a compiled package's `app-config.json`.
    pub app_config: Option<serde_json::Value>,
}

fn is_script(name: &str) -> bool {
    name.ends_with(".js") && !name.ends_with(".min.js.map")
}

/// The scripts and configuration of one package (plain, PC-encrypted or TPKG).
pub fn package_sources(path: &str, bytes: &[u8], appid: Option<&str>) -> Result<Sources, String> {
    let mut sources = Sources {
        appid: appid.map(str::to_string).or_else(|| appid_from_path(path)),
        ..Sources::default()
    };
    let decrypted;
    let plain: &[u8] = if is_v1mmwx(bytes) {
        decrypted = decrypt_v1mmwx(bytes, sources.appid.as_deref().unwrap_or(""))
            .map_err(|e| e.to_string())?;
        &decrypted
    } else {
        bytes
    };
    let pkg = if is_tpkg(plain) {
        parse_tpkg(plain)
    } else {
        parse_wxapkg(plain)
    }
    .map_err(|e| e.to_string())?;
    let mut budget = MAX_SCRIPT_BYTES;
    for entry in &pkg.entries {
        let data = pkg.read(entry);
        if entry.name.ends_with("app-config.json") || entry.name == "app.json" {
            sources.app_config = serde_json::from_slice(data).ok();
        } else if is_script(&entry.name) && data.len() <= budget {
            budget -= data.len();
            sources
                .scripts
                .push((entry.name.clone(), text(data).into_owned()));
        }
    }
    Ok(sources)
}

/// The scripts and `app.json` of a source tree (the `miniprogramRoot` of its project file).
/// A folder of one app's packages (`__APP__.wxapkg` and its subpackages) is read package by
/// package, the main package's configuration kept.
pub fn dir_sources(dir: &Path, appid: Option<&str>) -> Result<Sources, String> {
    if dir.join("__APP__.wxapkg").is_file() {
        return packages_sources(dir, appid);
    }
    let (root, project_appid) = crate::project::project_root(dir);
    let mut sources = Sources {
        appid: appid.map(str::to_string).or(project_appid),
        ..Sources::default()
    };
    sources.app_config = std::fs::read(root.join("app.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    if sources.app_config.is_none() {
        return Err(format!("{}: no app.json", root.display()));
    }
    let mut code = Vec::new();
    crate::project::walk_files(&root, &root, 0, &mut code);
    code.sort();
    let mut budget = MAX_SCRIPT_BYTES;
    for (rel, path) in code {
        if !is_script(&rel) {
            continue;
        }
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        if data.len() > budget {
            break;
        }
        budget -= data.len();
        sources.scripts.push((rel, text(&data).into_owned()));
    }
    Ok(sources)
}

fn packages_sources(dir: &Path, appid: Option<&str>) -> Result<Sources, String> {
    let mut all = Sources::default();
    let path_text = dir.display().to_string();
    for name in crate::project::package_names(dir) {
        let path = dir.join(&name);
        // The same bound as the reader's; the folder path carries the appid of PC packages.
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > crate::project::MAX_FILE_BYTES) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let one = package_sources(&format!("{path_text}/{name}"), &bytes, appid)
            .map_err(|e| format!("{name}: {e}"))?;
        all.appid = all.appid.or(one.appid);
        all.app_config = all.app_config.or(one.app_config);
        all.scripts.extend(one.scripts);
    }
    Ok(all)
}
