//! Folders: a mini-program project (source tree) or one app's packages side by side
//! (`__APP__.wxapkg` with its `_sub_.wxapkg` subpackages and `__PLUGINCODE__.wxapkg`).

use std::path::Path;

use crate::{Extraction, config, files, read_package, templates};

/// Files walked at most in a project folder, and folder depth.
const MAX_FILES: u32 = 200_000;
const MAX_DEPTH: usize = 32;
/// Largest package or configuration file read.
pub(crate) const MAX_FILE_BYTES: u64 = 512 << 20;

/// A folder that is one mini-program: a project (`app.json` or `project.config.json`) or a
/// folder of one app's packages (`__APP__.wxapkg`).
pub fn is_app_dir(dir: &Path) -> bool {
    [
        "app.json",
        "project.config.json",
        "__APP__.wxapkg",
        "mini.project.json",
        "project.swan.json",
    ]
    .iter()
    .any(|f| dir.join(f).is_file())
        || uniapp_root(dir).is_some()
}

/// The source root of a uni-app project: the folder (or its `src/`) holding `pages.json` and
/// `manifest.json`.
fn uniapp_root(dir: &Path) -> Option<std::path::PathBuf> {
    [dir.to_path_buf(), dir.join("src")]
        .into_iter()
        .find(|d| d.join("pages.json").is_file() && d.join("manifest.json").is_file())
}

/// A source project's code root (its `miniprogramRoot`, else the folder) and appid, from
/// `project.config.json`.
pub(crate) fn project_root(dir: &Path) -> (std::path::PathBuf, Option<String>) {
    let project: Option<serde_json::Value> = std::fs::read(dir.join("project.config.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let root = project
        .as_ref()
        .and_then(|p| p.get("miniprogramRoot"))
        .and_then(serde_json::Value::as_str)
        .map_or_else(
            || dir.to_path_buf(),
            |r| dir.join(r.trim_start_matches("./")),
        );
    let appid = project
        .as_ref()
        .and_then(|p| p.get("appid"))
        .and_then(serde_json::Value::as_str)
        .filter(|a| !a.is_empty() && *a != "touristappid")
        .map(str::to_string);
    (root, appid)
}

/// The `.wxapkg` files of a folder of one app's packages, `__APP__.wxapkg` first.
pub(crate) fn package_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|it| {
            it.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".wxapkg"))
                .collect()
        })
        .unwrap_or_default();
    names.sort_by_key(|n| (n != "__APP__.wxapkg", n.clone()));
    names
}

/// Read a folder as one app. `appid` decrypts PC packages when the path does not carry it.
pub fn extract_dir(dir: &Path, appid: Option<&str>) -> Extraction {
    if dir.join("__APP__.wxapkg").is_file() {
        return packages_dir(dir, appid);
    }
    let mut ex = Extraction::default();
    let (root, project_appid) = project_root(dir);
    ex.facts.container = "source".into();
    ex.facts.platform = platform_of(dir, &root).into();
    ex.facts.appid = project_appid;
    let app_json = root.join("app.json");
    let uniapp = (!app_json.is_file()).then(|| uniapp_root(dir)).flatten();
    if let Some(uni) = &uniapp {
        read_uniapp_config(uni, &mut ex);
    } else {
        read_app_json(&app_json, &mut ex);
    }
    let root = uniapp.unwrap_or(root);
    let mut code = Vec::new();
    ex.facts.files = walk_files(&root, &root, 0, &mut code);
    code.sort();
    if ex.facts.platform == "wechat" && !dir.join("project.config.json").is_file() {
        // No project file says which platform: the template language does.
        if let Some(p) = platform_from_templates(&code) {
            ex.facts.platform = p.into();
        }
    }
    // Read in parallel, merged in path order.
    let host = crate::modules::host_namespace(&ex.facts.platform);
    let sized: Vec<_> = code
        .iter()
        .map(|c| (c, std::fs::metadata(&c.1).map_or(0, |m| m.len() as usize)))
        .collect();
    let found = files::par_map_largest_first(
        &sized,
        |(_, size)| *size,
        |((rel, path), _)| std::fs::read(path).map(|bytes| files::read_file(rel, &bytes, host)),
    );
    for ((rel, _), f) in code.iter().zip(found) {
        match f {
            Ok(f) => ex.merge(f),
            Err(e) => ex.error("io-error", e.to_string(), Some(rel)),
        }
    }
    ex.finish();
    ex.policy_page = policy_page(&root, &ex.facts);
    ex
}

/// The template of the first page that names itself a privacy policy.
fn policy_page(root: &Path, facts: &hegui_model::MiniProgramFacts) -> Option<(String, Vec<u8>)> {
    facts
        .policy_refs
        .iter()
        .filter(|r| r.kind == "page")
        .flat_map(|r| {
            templates::TEMPLATE_EXTENSIONS
                .iter()
                .map(move |ext| format!("{}.{ext}", r.value))
        })
        .find_map(|rel| {
            let path = root.join(&rel);
            let small =
                std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_CODE_BYTES);
            small
                .then(|| std::fs::read(&path).ok().map(|b| (rel, b)))
                .flatten()
        })
}

fn read_app_json(app_json: &Path, ex: &mut Extraction) {
    match std::fs::read(app_json) {
        Ok(bytes) => match config::parse(&bytes) {
            Ok(c) => {
                ex.facts.declared = c.declared;
                ex.facts.pages = c.pages;
                ex.facts.subpackages = c.subpackages;
            }
            Err(e) => ex.error("bad-app-config", e, Some(&app_json.display().to_string())),
        },
        Err(e) => ex.error(
            "missing-app-config",
            format!("no readable app.json: {e}"),
            Some(&app_json.display().to_string()),
        ),
    }
}

fn read_uniapp_config(root: &Path, ex: &mut Extraction) {
    ex.facts.platform = "uniapp".into();
    let read = |name: &str| std::fs::read(root.join(name)).unwrap_or_default();
    match config::parse_uniapp(&read("pages.json"), &read("manifest.json")) {
        Ok(c) => {
            ex.facts.declared = c.declared;
            ex.facts.pages = c.pages;
            ex.facts.subpackages = c.subpackages;
            if ex.facts.appid.is_none() {
                ex.facts.appid = c.appid;
            }
        }
        Err(e) => ex.error("bad-app-config", e, Some(&root.display().to_string())),
    }
}

/// Alipay (`.axml`), Baidu (`.swan`), ByteDance (`.ttml`), QQ (`.qml`) by their templates.
fn platform_from_templates(code: &[(String, std::path::PathBuf)]) -> Option<&'static str> {
    let count = |ext: &str| code.iter().filter(|(rel, _)| rel.ends_with(ext)).count();
    [
        (".axml", "alipay"),
        (".swan", "baidu"),
        (".ttml", "bytedance"),
        (".qml", "qq"),
    ]
    .into_iter()
    .map(|(ext, p)| (count(ext), p))
    .filter(|(n, _)| *n > 0)
    .max_by_key(|(n, _)| *n)
    .map(|(_, p)| p)
}

/// Largest script or template read (bundles are a few MiB; minified vendor code more rarely).
const MAX_CODE_BYTES: u64 = 16 << 20;

/// Scripts and templates: the files [`files::read_file`] reads in a source tree.
fn is_code(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|e| {
            files::is_script(&e)
                || e == "vue"
                || templates::TEMPLATE_EXTENSIONS.contains(&e.as_str())
        })
}

/// WeChat unless the project files say otherwise.
fn platform_of(dir: &Path, root: &Path) -> &'static str {
    let has = |f: &str| dir.join(f).is_file() || root.join(f).is_file();
    if has("mini.project.json") {
        "alipay"
    } else if has("project.swan.json") {
        "baidu"
    } else if has("project.tt.json") {
        "bytedance"
    } else {
        "wechat"
    }
}

/// Count regular files below `dir` (symbolic links are not followed) and collect the
/// scripts and templates as (path relative to `root`, path).
pub(crate) fn walk_files(
    root: &Path,
    dir: &Path,
    depth: usize,
    js: &mut Vec<(String, std::path::PathBuf)>,
) -> u32 {
    if depth > MAX_DEPTH {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0u32;
    for entry in entries.flatten() {
        let Ok(ft) = entry.file_type() else { continue };
        let path = entry.path();
        if ft.is_dir() {
            // Build inputs, not shipped: the platform packs `miniprogram_npm`, never these.
            let name = entry.file_name();
            if name == "node_modules" || name == ".git" {
                continue;
            }
            n = n.saturating_add(walk_files(root, &path, depth + 1, js));
        } else if ft.is_file() {
            n = n.saturating_add(1);
            let small = entry.metadata().is_ok_and(|m| m.len() <= MAX_CODE_BYTES);
            if is_code(&path) && small {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                js.push((rel, path));
            }
        }
        if n >= MAX_FILES {
            break;
        }
    }
    n
}

/// `__APP__.wxapkg` first (it holds `app-config.json`), then the other packages by name.
fn packages_dir(dir: &Path, appid: Option<&str>) -> Extraction {
    let mut ex = Extraction::default();
    let names = package_names(dir);
    let path_text = dir.display().to_string();
    let mut packages = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let too_big = std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_FILE_BYTES);
        if too_big {
            ex.error("file-too-large", "package over 512 MiB", Some(&name));
            continue;
        }
        match std::fs::read(&path) {
            // The folder path carries the appid (`Applet/<appid>/<version>/`).
            Ok(bytes) => read_package(
                &format!("{path_text}/{name}"),
                &bytes,
                appid,
                &mut ex,
                &mut packages,
            ),
            Err(e) => ex.error("io-error", e.to_string(), Some(&name)),
        }
    }
    ex.facts.packages = packages;
    ex.finish();
    ex
}
