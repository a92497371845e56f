//! The IPA layout: `Payload/X.app/` with Info.plist, `*.lproj/`, `Frameworks/*.framework/`,
//! `PlugIns/*.appex/`, privacy manifests and the executables they name.

use std::borrow::Cow;
use std::collections::BTreeMap;

use hegui_archive::{Budget, Limits, ZipArchive};
use hegui_knowledge::{IosApiKind, ios_apis};
use hegui_model::{AtsSettings, IosApiUse, IosBundle, MachOInfo, Party, Provisioning};
use plist::Value;
use rayon::prelude::*;

use crate::{Extraction, macho, plists, privacy};

/// The app bundle folder, `Payload/X.app/`: the shallowest `.app` holding an Info.plist.
pub fn app_path(zip: &ZipArchive<'_>) -> Option<String> {
    zip.entries()
        .iter()
        .filter_map(|e| {
            let rest = e.name.strip_prefix("Payload/")?;
            let (app, file) = rest.split_once('/')?;
            (app.ends_with(".app") && file == "Info.plist").then(|| format!("Payload/{app}/"))
        })
        .min()
}

/// An IPA: a zip with `Payload/*.app/Info.plist`.
pub fn is_ipa(zip: &ZipArchive<'_>) -> bool {
    app_path(zip).is_some()
}

/// An entry's bytes: borrowed from the input for stored entries, inflated otherwise.
fn read_entry<'a>(
    zip: &ZipArchive<'a>,
    name: &str,
    limits: &Limits,
    budget: &Budget,
    ex: &mut Extraction,
) -> Option<Cow<'a, [u8]>> {
    match zip.read_by_name(name, limits, budget)? {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            ex.archive_error(&e);
            None
        }
    }
}

/// Every fact of the app at `app` (`Payload/X.app/`).
pub fn read(
    zip: &ZipArchive<'_>,
    app: &str,
    limits: &Limits,
    budget: &Budget,
    ex: &mut Extraction,
) {
    ex.facts.app_path = app.to_string();
    let info_name = format!("{app}Info.plist");
    let executable =
        match read_entry(zip, &info_name, limits, budget, ex).map(|b| plists::parse_dict(&b)) {
            Some(Ok(info)) => read_info(&info, ex),
            Some(Err(e)) => {
                ex.error("bad-plist", e, Some(&info_name));
                None
            }
            None => None,
        };
    read_localized(zip, app, limits, budget, ex);
    read_privacy_manifests(zip, app, limits, budget, ex);
    read_provisioning(zip, app, limits, budget, ex);

    // Binaries: the main executable, then each framework and extension.
    let main_exe = executable.unwrap_or_else(|| {
        app.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".app")
            .to_string()
    });
    let mut binaries = vec![(format!("{app}{main_exe}"), "main".to_string(), Party::App)];
    for bundle in nested_bundles(zip, app, limits, budget, ex) {
        let role = if bundle.info.name.ends_with(".appex") {
            "extension"
        } else {
            "framework"
        };
        let party = if role == "extension" {
            Party::App
        } else {
            Party::Sdk(
                bundle
                    .info
                    .name
                    .trim_end_matches(".framework")
                    .to_lowercase(),
            )
        };
        let exe = bundle
            .executable
            .clone()
            .unwrap_or_else(|| stem(&bundle.info.name).to_string());
        binaries.push((
            format!("{}{exe}", bundle.info.path),
            role.to_string(),
            party,
        ));
        ex.facts.frameworks.push(bundle.info);
    }
    // Binaries inflate and parse in parallel, each into its own partial result, merged in order.
    let parts: Vec<Extraction> = binaries
        .into_par_iter()
        .map(|(path, role, party)| {
            let mut part = Extraction::default();
            read_binary(zip, &path, &role, party, limits, budget, &mut part);
            part
        })
        .collect();
    for part in parts {
        ex.errors.extend(part.errors);
        ex.facts.api_uses.extend(part.facts.api_uses);
        ex.facts.binaries.extend(part.facts.binaries);
        if !part.facts.urls.is_empty() {
            ex.facts.urls = part.facts.urls;
        }
        ex.defined_classes.extend(part.defined_classes);
    }
}

/// `Bugly.framework` → `Bugly`.
fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// Fill the facts from Info.plist; returns `CFBundleExecutable`.
fn read_info(info: &plist::Dictionary, ex: &mut Extraction) -> Option<String> {
    let f = &mut ex.facts;
    f.bundle_id = plists::string(info, "CFBundleIdentifier").unwrap_or_default();
    f.name = plists::string(info, "CFBundleDisplayName")
        .or_else(|| plists::string(info, "CFBundleName"));
    f.version = plists::string(info, "CFBundleShortVersionString");
    f.build = plists::string(info, "CFBundleVersion");
    f.minimum_os = plists::string(info, "MinimumOSVersion");
    for (key, value) in info.iter() {
        if key.starts_with("NS") && key.ends_with("UsageDescription")
            || key == "NFCReaderUsageDescription"
        {
            let text = value.as_string().unwrap_or("").to_string();
            f.usage_descriptions.insert(key.clone(), text);
        }
    }
    f.query_schemes = plists::strings(info, "LSApplicationQueriesSchemes");
    f.background_modes = plists::strings(info, "UIBackgroundModes");
    f.url_schemes = info
        .get("CFBundleURLTypes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_dictionary)
        .flat_map(|t| plists::strings(t, "CFBundleURLSchemes"))
        .collect();
    if let Some(ats) = info
        .get("NSAppTransportSecurity")
        .and_then(Value::as_dictionary)
    {
        f.ats = AtsSettings {
            allows_arbitrary_loads: plists::bool_of(ats, "NSAllowsArbitraryLoads"),
            allows_arbitrary_loads_in_web_content: plists::bool_of(
                ats,
                "NSAllowsArbitraryLoadsInWebContent",
            ),
            insecure_http_domains: ats
                .get("NSExceptionDomains")
                .and_then(Value::as_dictionary)
                .map(|domains| {
                    domains
                        .iter()
                        .filter(|(_, d)| {
                            d.as_dictionary().is_some_and(|d| {
                                plists::bool_of(d, "NSExceptionAllowsInsecureHTTPLoads")
                                    || plists::bool_of(
                                        d,
                                        "NSTemporaryExceptionAllowsInsecureHTTPLoads",
                                    )
                            })
                        })
                        .map(|(name, _)| name.clone())
                        .collect()
                })
                .unwrap_or_default(),
        };
    }
    plists::string(info, "CFBundleExecutable")
}

/// `X.app/<lang>.lproj/InfoPlist.strings`: the usage descriptions users actually see.
fn read_localized(
    zip: &ZipArchive<'_>,
    app: &str,
    limits: &Limits,
    budget: &Budget,
    ex: &mut Extraction,
) {
    let names: Vec<(String, String)> = zip
        .entries()
        .iter()
        .filter_map(|e| {
            let rest = e.name.strip_prefix(app)?;
            let lang = rest.strip_suffix(".lproj/InfoPlist.strings")?;
            (!lang.contains('/')).then(|| (lang.to_string(), e.name.clone()))
        })
        .collect();
    for (lang, name) in names {
        let Some(bytes) = read_entry(zip, &name, limits, budget, ex) else {
            continue;
        };
        if bytes.len() > plists::MAX_PLIST_BYTES {
            ex.error("bad-plist", "strings file over the size limit", Some(&name));
            continue;
        }
        let usage: BTreeMap<String, String> = plists::parse_strings(&bytes)
            .into_iter()
            .filter(|(k, _)| k.ends_with("UsageDescription"))
            .collect();
        if !usage.is_empty() {
            ex.facts.localized_usage_descriptions.insert(lang, usage);
        }
    }
}

/// The bundle a path belongs to: the innermost `.framework`, `.appex` or `.bundle`, else `app`.
fn owning_bundle(app: &str, path: &str) -> String {
    let rest = path.strip_prefix(app).unwrap_or(path);
    rest.split('/')
        .rfind(|seg| {
            seg.ends_with(".framework") || seg.ends_with(".appex") || seg.ends_with(".bundle")
        })
        .unwrap_or("app")
        .to_string()
}

fn read_privacy_manifests(
    zip: &ZipArchive<'_>,
    app: &str,
    limits: &Limits,
    budget: &Budget,
    ex: &mut Extraction,
) {
    let names: Vec<String> = zip
        .entries()
        .iter()
        .filter(|e| e.name.starts_with(app) && e.name.ends_with("PrivacyInfo.xcprivacy"))
        .map(|e| e.name.clone())
        .take(1_000)
        .collect();
    for name in names {
        let Some(bytes) = read_entry(zip, &name, limits, budget, ex) else {
            continue;
        };
        match privacy::read(&bytes, &name, &owning_bundle(app, &name)) {
            Ok(m) => ex.facts.privacy_manifests.push(m),
            Err(e) => ex.error("bad-privacy-manifest", e, Some(&name)),
        }
    }
}

fn read_provisioning(
    zip: &ZipArchive<'_>,
    app: &str,
    limits: &Limits,
    budget: &Budget,
    ex: &mut Extraction,
) {
    let name = format!("{app}embedded.mobileprovision");
    let Some(bytes) = read_entry(zip, &name, limits, budget, ex) else {
        return;
    };
    let Some(xml) = plists::embedded_xml(&bytes) else {
        ex.error(
            "bad-provisioning-profile",
            "no plist inside the profile",
            Some(&name),
        );
        return;
    };
    match plists::parse_dict(xml) {
        Ok(d) => {
            ex.facts.provisioning = Some(Provisioning {
                team_id: plists::strings(&d, "TeamIdentifier").into_iter().next(),
                team_name: plists::string(&d, "TeamName"),
                entitlements: d
                    .get("Entitlements")
                    .and_then(Value::as_dictionary)
                    .map(|e| e.keys().cloned().collect())
                    .unwrap_or_default(),
            })
        }
        Err(e) => ex.error("bad-provisioning-profile", e, Some(&name)),
    }
}

struct Nested {
    info: IosBundle,
    executable: Option<String>,
}

/// `Frameworks/*.framework` and `PlugIns/*.appex` directly inside the app.
fn nested_bundles(
    zip: &ZipArchive<'_>,
    app: &str,
    limits: &Limits,
    budget: &Budget,
    ex: &mut Extraction,
) -> Vec<Nested> {
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for e in zip.entries() {
        let Some(rest) = e.name.strip_prefix(app) else {
            continue;
        };
        let mut parts = rest.splitn(3, '/');
        let (Some(dir), Some(bundle), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let wanted = (dir == "Frameworks" && bundle.ends_with(".framework"))
            || (dir == "PlugIns" && bundle.ends_with(".appex"));
        if wanted {
            found
                .entry(bundle.to_string())
                .or_insert_with(|| format!("{app}{dir}/{bundle}/"));
        }
    }
    let manifests: Vec<String> = ex
        .facts
        .privacy_manifests
        .iter()
        .map(|m| m.path.clone())
        .collect();
    found
        .into_iter()
        .take(1_000)
        .map(|(name, path)| {
            let info_name = format!("{path}Info.plist");
            let info = read_entry(zip, &info_name, limits, budget, ex).and_then(|b| {
                plists::parse_dict(&b)
                    .map_err(|e| ex.error("bad-plist", e, Some(&info_name)))
                    .ok()
            });
            let get = |k: &str| info.as_ref().and_then(|d| plists::string(d, k));
            Nested {
                info: IosBundle {
                    has_privacy_manifest: manifests.iter().any(|m| m.starts_with(&path)),
                    bundle_id: get("CFBundleIdentifier"),
                    version: get("CFBundleShortVersionString"),
                    name,
                    path,
                    sdk: None,
                },
                executable: get("CFBundleExecutable"),
            }
        })
        .collect()
}

/// Read one Mach-O and record what it references.
fn read_binary(
    zip: &ZipArchive<'_>,
    path: &str,
    role: &str,
    party: Party,
    limits: &Limits,
    budget: &Budget,
    ex: &mut Extraction,
) {
    let Some(bytes) = read_entry(zip, path, limits, budget, ex) else {
        if role == "main" {
            ex.error(
                "missing-executable",
                "the main executable is not in the archive",
                Some(path),
            );
        }
        return;
    };
    let scan = match macho::scan(&bytes) {
        Ok(scan) => scan,
        Err(e) => {
            ex.error("bad-macho", e, Some(path));
            return;
        }
    };
    // An App Store (FairPlay) binary is a fact, not an error: `binaries[].encrypted` says so
    // and rules that need its Objective-C names list their clauses as not assessed.
    let table = ios_apis();
    let references = scan
        .imported_classes
        .iter()
        .map(|n| (IosApiKind::Class, n.as_str(), n.clone()))
        .chain(
            scan.selectors
                .iter()
                .map(|n| (IosApiKind::Selector, n.as_str(), format!("-{n}"))),
        )
        .chain(
            scan.imported_functions
                .iter()
                .map(|n| (IosApiKind::Function, n.as_str(), format!("{n}()"))),
        );
    for (kind, name, shown) in references {
        let Some(api) = table.find(kind, name) else {
            continue;
        };
        ex.facts.api_uses.push(IosApiUse {
            api: shown,
            category: api.category,
            via: match kind {
                IosApiKind::Class => "class",
                IosApiKind::Selector => "selector",
                IosApiKind::Function => "function",
            }
            .to_string(),
            binary: path.to_string(),
            party: party.clone(),
            plist_keys: api.plist_keys.clone(),
            required_reason: api.required_reason.clone(),
        });
    }
    if role == "main" {
        ex.facts.urls = scan.urls.clone();
    }
    ex.defined_classes
        .push((path.to_string(), scan.defined_classes.clone()));
    ex.facts.binaries.push(MachOInfo {
        path: path.to_string(),
        role: role.to_string(),
        archs: scan.archs,
        encrypted: scan.encrypted,
        linked_libraries: scan.linked_libraries,
        entitlements: scan.entitlements,
        defined_classes: scan.defined_classes.len() as u32,
    });
}
