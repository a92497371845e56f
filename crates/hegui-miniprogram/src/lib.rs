//! Mini-program extractor: a package (`.wxapkg`, PC-encrypted `V1MMWX`, ByteDance `TPKG`) or a
//! project folder → neutral [`MiniProgramFacts`]. Parsers here never judge.
//!
//! This first layer reads the containers and the configuration (declared privacy settings,
//! pages, subpackages); the JavaScript call extraction builds on the files it collects.

mod calls;
mod config;
mod project;

use hegui_archive::miniapp::{
    Package, PackageError, appid_from_path, decrypt_v1mmwx, is_tpkg, is_v1mmwx, is_wxapkg,
    parse_tpkg, parse_wxapkg,
};
use hegui_model::{ArtifactKind, MiniProgramFacts, ScanError};

pub use calls::find_calls;
pub use project::{extract_dir, is_app_dir};

/// The result of reading one mini-program.
#[derive(Debug, Default)]
pub struct Extraction {
    pub facts: MiniProgramFacts,
    pub errors: Vec<ScanError>,
}

impl Extraction {
    fn error(&mut self, code: &str, message: impl Into<String>, entry: Option<&str>) {
        self.errors.push(ScanError::new(code, message, entry));
    }

    fn package_error(&mut self, e: &PackageError, package: &str) {
        let entry = match e.entry() {
            Some(inner) => format!("{package}!/{inner}"),
            None => package.to_string(),
        };
        self.error(e.code(), e.to_string(), Some(&entry));
    }
}

/// The kind of a mini-program package, from its first bytes.
pub fn package_kind(bytes: &[u8]) -> Option<ArtifactKind> {
    if is_wxapkg(bytes) || is_v1mmwx(bytes) {
        Some(ArtifactKind::Wxapkg)
    } else if is_tpkg(bytes) {
        Some(ArtifactKind::Tpkg)
    } else {
        None
    }
}

/// Read one package. `path` names it in errors and may carry the appid of a PC-encrypted
/// package (`Applet/<appid>/…`, `<appid>-pc.wxapkg`); `appid` overrides it.
pub fn extract_package(path: &str, bytes: &[u8], appid: Option<&str>) -> Extraction {
    let mut ex = Extraction::default();
    let mut packages = Vec::new();
    read_package(path, bytes, appid, &mut ex, &mut packages);
    ex.facts.packages = packages;
    ex
}

/// Read one package into `ex` (several packages of one app accumulate).
pub(crate) fn read_package(
    path: &str,
    bytes: &[u8],
    appid: Option<&str>,
    ex: &mut Extraction,
    packages: &mut Vec<String>,
) {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_string();
    let decrypted;
    let (plain, container): (&[u8], &str) = if is_v1mmwx(bytes) {
        let key = appid.map(str::to_string).or_else(|| appid_from_path(path));
        match decrypt_v1mmwx(bytes, key.as_deref().unwrap_or("")) {
            Ok(p) => {
                decrypted = p;
                if ex.facts.appid.is_none() {
                    ex.facts.appid = key;
                }
                (&decrypted, "wxapkg-pc")
            }
            Err(e) => {
                ex.package_error(&e, &name);
                return;
            }
        }
    } else if is_tpkg(bytes) {
        (bytes, "tpkg")
    } else {
        (bytes, "wxapkg")
    };
    let parsed = if container == "tpkg" {
        parse_tpkg(plain)
    } else {
        parse_wxapkg(plain)
    };
    let pkg = match parsed {
        Ok(pkg) => pkg,
        Err(e) => {
            ex.package_error(&e, &name);
            return;
        }
    };
    for e in &pkg.errors {
        ex.package_error(e, &name);
    }
    for a in &pkg.anomalies {
        ex.error("package-anomaly", a.clone(), Some(&name));
    }
    if ex.facts.container.is_empty() {
        ex.facts.container = container.to_string();
        ex.facts.platform = if container == "tpkg" {
            "bytedance"
        } else {
            "wechat"
        }
        .to_string();
    }
    ex.facts.files += pkg.entries.len() as u32;
    packages.push(name.clone());
    read_package_config(&pkg, &name, ex);
    for entry in pkg.entries.iter().filter(|e| e.name.ends_with(".js")) {
        add_js(ex, &entry.name, pkg.read(entry));
    }
}

/// Parse one JavaScript file's API references into the facts.
pub(crate) fn add_js(ex: &mut Extraction, file: &str, bytes: &[u8]) {
    let source = String::from_utf8_lossy(bytes);
    ex.facts.js_files += 1;
    ex.facts.js_bytes += bytes.len() as u64;
    ex.facts.api_calls.extend(calls::find_calls(file, &source));
}

fn read_package_config(pkg: &Package<'_>, name: &str, ex: &mut Extraction) {
    let Some(entry) = pkg.by_name("app-config.json") else {
        return;
    };
    match config::parse(pkg.read(entry)) {
        Ok(c) => {
            ex.facts.declared = c.declared;
            ex.facts.pages = c.pages;
            ex.facts.subpackages = c.subpackages;
            if c.appid.is_some() {
                ex.facts.appid = c.appid;
            }
        }
        Err(e) => ex.error(
            "bad-app-config",
            e,
            Some(&format!("{name}!/app-config.json")),
        ),
    }
}
