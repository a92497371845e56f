//! `app.json` (project) and `app-config.json` (package): the declared privacy configuration,
//! pages and subpackages.

use std::collections::BTreeMap;

use hegui_model::{DeclaredConfig, PermissionDeclaration};
use serde_json::{Map, Value};

/// What a configuration file says.
#[derive(Debug, Default)]
pub struct Config {
    pub declared: DeclaredConfig,
    pub pages: Vec<String>,
    pub subpackages: Vec<String>,
    pub appid: Option<String>,
}

/// An array of strings; uni-app's `pages.json` writes pages as `{"path": …}` objects.
fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    v?.as_array().map(|a| {
        a.iter()
            .filter_map(|x| x.as_str().or_else(|| x.get("path")?.as_str()))
            .map(str::to_string)
            .collect()
    })
}

/// `pages/index/index.html` (package) and `pages/index/index` (project) name the same page.
fn page_name(p: &str) -> String {
    p.trim_end_matches(".html").to_string()
}

pub fn parse(bytes: &[u8]) -> Result<Config, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let obj = value
        .as_object()
        .ok_or("the configuration is not a JSON object")?;
    Ok(Config {
        declared: declared(obj),
        pages: strings(obj.get("pages"))
            .unwrap_or_default()
            .iter()
            .map(|p| page_name(p))
            .chain(subpackages(obj).into_iter().flat_map(|(root, pages)| {
                pages
                    .into_iter()
                    .map(move |p| format!("{}/{}", root.trim_end_matches('/'), page_name(&p)))
            }))
            .collect(),
        subpackages: subpackages(obj).into_iter().map(|(root, _)| root).collect(),
        appid: ["appId", "appid"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_str))
            .map(str::to_string),
    })
}

/// A uni-app project: pages from `pages.json`, the WeChat build's declarations from the
/// `mp-weixin` section of `manifest.json`. Both files are JSON with comments.
pub fn parse_uniapp(pages_json: &[u8], manifest_json: &[u8]) -> Result<Config, String> {
    let pages = parse(strip_json_comments(&String::from_utf8_lossy(pages_json)).as_bytes())
        .map_err(|e| format!("pages.json: {e}"))?;
    let manifest: Value = serde_json::from_str(&strip_json_comments(&String::from_utf8_lossy(
        manifest_json,
    )))
    .map_err(|e| format!("manifest.json: not JSON: {e}"))?;
    let weixin = manifest.get("mp-weixin").and_then(Value::as_object);
    Ok(Config {
        declared: weixin.map(declared).unwrap_or_default(),
        appid: weixin
            .and_then(|w| w.get("appid"))
            .and_then(Value::as_str)
            .filter(|a| !a.is_empty())
            .map(str::to_string),
        ..pages
    })
}

/// `//` and `/* */` comments removed outside strings (uni-app's JSON files carry them).
pub fn strip_json_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    if n == '\n' {
                        out.push('\n');
                    }
                    prev = n;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn subpackages(obj: &Map<String, Value>) -> Vec<(String, Vec<String>)> {
    ["subPackages", "subpackages"]
        .iter()
        .filter_map(|k| obj.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|s| {
            let root = s.get("root")?.as_str()?.to_string();
            Some((root, strings(s.get("pages")).unwrap_or_default()))
        })
        .collect()
}

fn declared(obj: &Map<String, Value>) -> DeclaredConfig {
    DeclaredConfig {
        permission: obj.get("permission").and_then(Value::as_object).map(|p| {
            p.iter()
                .map(|(scope, v)| {
                    (
                        scope.clone(),
                        PermissionDeclaration {
                            desc: v.get("desc").and_then(Value::as_str).map(str::to_string),
                        },
                    )
                })
                .collect()
        }),
        required_private_infos: strings(obj.get("requiredPrivateInfos")),
        required_background_modes: strings(obj.get("requiredBackgroundModes")),
        plugins: obj.get("plugins").and_then(Value::as_object).map(|p| {
            p.iter()
                .map(|(alias, v)| {
                    // Projects write {"version", "provider"}; packages may keep only the provider.
                    let provider = v
                        .as_str()
                        .or_else(|| v.get("provider").and_then(Value::as_str))
                        .unwrap_or("")
                        .to_string();
                    (alias.clone(), provider)
                })
                .collect::<BTreeMap<_, _>>()
        }),
        use_privacy_check: ["usePrivacyCheck", "__usePrivacyCheck__"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_bool)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_keys_stay_absent_when_absent() {
        let c = parse(
            br#"{"pages":["pages/a/a"],"permission":{"scope.userLocation":{"desc":"x"}},
            "plugins":{"p":{"version":"1","provider":"wx1"}},
            "subPackages":[{"root":"sub/","pages":["b/b"]}]}"#,
        )
        .expect("parse");
        let json = serde_json::to_value(&c.declared).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"permission":{"scope.userLocation":{"desc":"x"}},"plugins":{"p":"wx1"}})
        );
        assert_eq!(c.pages, ["pages/a/a", "sub/b/b"]);
        assert_eq!(c.subpackages, ["sub/"]);
        assert!(parse(b"[1]").is_err());
        let uni = parse_uniapp(
            br#"{"pages": [{"path": "pages/index/index", "style": {}}], // home
                "subPackages": [{"root": "sub", "pages": [{"path": "a/a"}]}]}"#,
            br#"{ /* uni-app */ "name": "x // not a comment",
                "mp-weixin": {"appid": "wx0123456789abcdef", "requiredPrivateInfos": ["getLocation"]}}"#,
        )
        .expect("uni-app");
        assert_eq!(uni.pages, ["pages/index/index", "sub/a/a"]);
        assert_eq!(uni.appid.as_deref(), Some("wx0123456789abcdef"));
        assert_eq!(
            uni.declared.required_private_infos,
            Some(vec!["getLocation".to_string()])
        );
        assert!(parse(b"{").is_err());
    }
}
