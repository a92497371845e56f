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

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    v?.as_array().map(|a| {
        a.iter()
            .filter_map(Value::as_str)
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
        assert!(parse(b"{").is_err());
    }
}
