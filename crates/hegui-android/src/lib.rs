//! Android extractor: APK bytes → neutral [`AndroidFacts`]. Parsers here never judge.
//!
//! One entry point, [`extract_apk`], reads the manifest and resources, walks every DEX (in
//! parallel), reads the signing block, native libraries, bundled web pages and packer stubs,
//! and returns the facts plus every problem met on the way. A broken part never hides the
//! rest: a malformed DEX is an error entry in the result, and the manifest facts still come.

mod assets;
mod classes;
mod code;
#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod fixture_tests;
mod flow;
mod graph;
mod indirect;
mod manifest;
mod native;
mod netconfig;
mod own;
mod packers;
mod reach;
mod sdks;
mod signing;
mod startup;
mod texts;

use hegui_archive::{ArchiveError, Budget, Limits, ZipArchive};
use hegui_model::{AndroidFacts, DexInfo, NestedCode, ScanError, SdkMatch};
use rayon::prelude::*;

pub use classes::VersionConstant;
pub use code::{CodeScan, scan_dex};
pub use sdks::identify_sdks;
pub use signing::fuzz_signing;
pub use startup::AppScope;

/// The result of reading one APK.
#[derive(Debug, Default)]
pub struct Extraction {
    pub facts: AndroidFacts,
    /// Filled by [`identify_sdks`], once the whole package (all splits) is read.
    pub sdks: Vec<SdkMatch>,
    pub errors: Vec<ScanError>,
    /// Dotted names of every class defined (input of SDK detection, not a reported fact).
    pub classes: Vec<String>,
    /// Version-like static string constants (input of SDK version detection).
    pub version_constants: Vec<VersionConstant>,
    /// Each DEX's call graph with the index of its first API use and code load, until
    /// reachability is computed (see [`Extraction::mark_reachable`]).
    graphs: Vec<(Starts, graph::DexGraph)>,
}

/// Limits for the formats inside an APK (the zip limits come with the archive).
#[derive(Debug, Clone, Default)]
pub struct FormatLimits {
    pub dex: hegui_dex::Limits,
    pub xml: hegui_axml::Limits,
}

impl Extraction {
    fn error(&mut self, code: &str, message: impl Into<String>, entry: Option<&str>) {
        self.errors.push(ScanError::new(code, message, entry));
    }

    fn archive_error(&mut self, e: &ArchiveError) {
        self.error(e.code(), e.to_string(), e.entry());
    }
}

/// Read everything we know how to read from an APK, reachability of the code included.
pub fn extract_apk(
    zip: &ZipArchive<'_>,
    limits: &Limits,
    budget: &Budget,
    formats: &FormatLimits,
) -> Extraction {
    let mut ex = extract_bundle_part(zip, limits, budget, formats);
    ex.mark_reachable();
    ex
}

/// Read one APK of a bundle (base or split): like [`extract_apk`], but reachability waits
/// until every part is merged ([`Extraction::absorb_split`], then
/// [`Extraction::mark_reachable`]): a feature split's code is entered through the base's
/// manifest, and its classes may extend the base's.
pub fn extract_bundle_part(
    zip: &ZipArchive<'_>,
    limits: &Limits,
    budget: &Budget,
    formats: &FormatLimits,
) -> Extraction {
    let mut ex = Extraction::default();
    for anomaly in zip.anomalies() {
        ex.error("zip-anomaly", anomaly.clone(), None);
    }
    // Names that would escape a folder if extracted: nothing here extracts, but a tool
    // downstream might, and such names are a sign of a crafted package.
    for entry in zip.entries() {
        if let Err(e) = hegui_archive::sanitize_path(&entry.name) {
            ex.archive_error(&e);
        }
    }
    read_manifest_and_resources(zip, limits, budget, formats, &mut ex);
    read_code(zip, limits, budget, formats, &mut ex);
    read_signatures(zip, limits, budget, &mut ex);
    ex.facts.native_libs = native_libs(zip, limits, budget, &mut ex);
    ex.facts.web_assets = assets::web_assets(zip, limits, budget);
    ex.facts.nested_code.extend(assets::nested_code(zip));
    ex.facts.packers = packers::detect(&ex.facts, zip, &ex.classes);
    ex
}

fn read_manifest_and_resources(
    zip: &ZipArchive<'_>,
    limits: &Limits,
    budget: &Budget,
    formats: &FormatLimits,
    ex: &mut Extraction,
) {
    let resources = match zip.read_by_name("resources.arsc", limits, budget) {
        Some(Ok(bytes)) => match hegui_axml::parse_arsc(&bytes, &formats.xml) {
            Ok(table) => Some(table),
            Err(e) => {
                ex.error(e.code(), e.to_string(), Some("resources.arsc"));
                None
            }
        },
        Some(Err(e)) => {
            ex.archive_error(&e);
            None
        }
        None => None,
    };
    const MANIFEST: &str = "AndroidManifest.xml";
    let doc = match zip.read_by_name(MANIFEST, limits, budget) {
        None => {
            ex.error(
                "missing-manifest",
                "the package has no AndroidManifest.xml",
                Some(MANIFEST),
            );
            return;
        }
        Some(Err(e)) => {
            ex.archive_error(&e);
            return;
        }
        Some(Ok(bytes)) => match hegui_axml::parse_xml(&bytes, &formats.xml) {
            Ok(doc) => doc,
            Err(e) => {
                ex.error(e.code(), e.to_string(), Some(MANIFEST));
                return;
            }
        },
    };
    for anomaly in &doc.anomalies {
        ex.error("axml-anomaly", anomaly.clone(), Some(MANIFEST));
    }
    manifest::read_manifest(&doc.root, resources.as_ref(), &mut ex.facts);
    if let Some(table) = &resources {
        ex.facts.reward_texts = texts::reward_texts(table, hegui_knowledge::ui_vocabulary());
    }
    if let Some(app) = doc.root.children_named("application").next() {
        ex.facts.application.network_security_config =
            netconfig::read(app, resources.as_ref(), zip, limits, budget, formats);
    }
}

/// `classes.dex`, `classes2.dex`, …: the DEX files the runtime loads.
fn is_primary_dex(name: &str) -> bool {
    name.strip_prefix("classes")
        .and_then(|r| r.strip_suffix(".dex"))
        .is_some_and(|n| n.is_empty() || n.bytes().all(|b| b.is_ascii_digit()))
}

/// Walk every DEX (after the manifest: the app's package and Application class scope the
/// start-up call search).
fn read_code(
    zip: &ZipArchive<'_>,
    limits: &Limits,
    budget: &Budget,
    formats: &FormatLimits,
    ex: &mut Extraction,
) {
    ex.facts.own_packages = own::own_packages(&ex.facts, hegui_knowledge::sdk_catalog());
    let scope = AppScope::new(
        &ex.facts.own_packages,
        ex.facts.application.class_name.as_deref(),
    );
    let dex_entries: Vec<_> = zip
        .entries()
        .iter()
        .filter(|e| is_primary_dex(&e.name))
        .collect();
    let results: Vec<(String, DexResult)> = dex_entries
        .par_iter()
        .map(|entry| {
            let result = zip
                .read(entry, limits, budget)
                .map_err(|e| ScanError {
                    code: e.code().into(),
                    message: e.to_string(),
                    entry: e.entry().map(Into::into),
                })
                .and_then(|bytes| scan_dex_file(&entry.name, &bytes, formats, &scope));
            (entry.name.clone(), result)
        })
        .collect();
    // Janus: a DEX before the zip data is what the runtime executes on vulnerable devices.
    let leading = usize::try_from(zip.leading_len()).unwrap_or(0);
    let mut all = results;
    if leading > 0 {
        let head = zip.bytes().get(..leading).unwrap_or(&[]);
        if hegui_dex::is_dex(head) {
            ex.error(
                "prepended-dex",
                format!("a {leading}-byte DEX precedes the zip data (Janus, CVE-2017-13156): old Android versions run it instead of the package's code"),
                None,
            );
            ex.facts.nested_code.push(NestedCode {
                path: "<prepended>".into(),
                kind: "prepended-dex".into(),
                size: leading as u64,
            });
            // Janus DEX headers claim the whole file (their file_size covers the zip too).
            all.push((
                "<prepended>".to_string(),
                scan_dex_file("<prepended>", zip.bytes(), formats, &scope),
            ));
        }
    }
    for (name, result) in all {
        match result {
            Ok((infos, scans)) => {
                ex.facts.dex_files.extend(infos);
                for scan in scans {
                    if scan.bad_methods > 0 {
                        ex.error(
                            "malformed-dex-method",
                            format!(
                                "{} methods could not be walked to their end",
                                scan.bad_methods
                            ),
                            Some(&name),
                        );
                    }
                    ex.graphs.push((
                        Starts {
                            api_uses: ex.facts.api_uses.len(),
                            code_loads: ex.facts.code_loads.len(),
                        },
                        scan.graph,
                    ));
                    ex.facts.api_uses.extend(scan.api_uses);
                    ex.facts.dismissed_calls.extend(scan.dismissed_calls);
                    ex.facts.code_loads.extend(scan.code_loads);
                    ex.facts
                        .personalisation_switches
                        .extend(scan.personalisation_switches);
                    ex.facts.strings.extend(scan.strings);
                    ex.facts.launches.extend(scan.launches);
                    ex.facts.tls_overrides.extend(scan.tls_overrides);
                    ex.facts.sticky_services.extend(scan.sticky_services);
                    ex.facts.startup_calls.extend(scan.startup_calls);
                    ex.facts.provider_creates.extend(scan.provider_creates);
                    ex.classes.extend(scan.classes);
                    ex.version_constants.extend(scan.version_constants);
                }
            }
            Err(mut e) => {
                e.entry.get_or_insert(name);
                ex.errors.push(e);
            }
        }
    }
}

impl Extraction {
    /// Reachability of every API use from the manifest's entry points, over every DEX read
    /// so far; the call graphs are dropped afterwards.
    pub fn mark_reachable(&mut self) {
        let graphs = std::mem::take(&mut self.graphs);
        if graphs.is_empty() {
            return;
        }
        let facts = &mut self.facts;
        let mut entries: Vec<String> = facts.components.iter().map(|c| c.name.clone()).collect();
        entries.extend(facts.application.class_name.iter().cloned());
        // Initializers and the like are named in <meta-data> (key or value).
        for m in &facts.meta_data {
            entries.push(m.name.clone());
            entries.extend(m.value.iter().cloned());
        }
        let refs: Vec<&graph::DexGraph> = graphs.iter().map(|(_, g)| g).collect();
        let result = reach::reachability(&refs, &entries);
        for ((start, _), (per_use, per_load)) in graphs.iter().zip(result) {
            for (i, (reachable, path)) in per_use.into_iter().enumerate() {
                if let Some(u) = facts.api_uses.get_mut(start.api_uses + i) {
                    u.reachable = Some(reachable);
                    u.entry_path = path;
                }
            }
            for (i, (reachable, _)) in per_load.into_iter().enumerate() {
                if let Some(l) = facts.code_loads.get_mut(start.code_loads + i) {
                    l.reachable = Some(reachable);
                }
            }
        }
    }

    /// Add a split's code-level facts (and its call graphs) to this base APK's.
    pub fn absorb_split(&mut self, split: Extraction) {
        let offset = Starts {
            api_uses: self.facts.api_uses.len(),
            code_loads: self.facts.code_loads.len(),
        };
        self.graphs
            .extend(split.graphs.into_iter().map(|(start, g)| {
                (
                    Starts {
                        api_uses: start.api_uses + offset.api_uses,
                        code_loads: start.code_loads + offset.code_loads,
                    },
                    g,
                )
            }));
        let f = split.facts;
        let base = &mut self.facts;
        base.dex_files.extend(f.dex_files);
        base.api_uses.extend(f.api_uses);
        base.dismissed_calls.extend(f.dismissed_calls);
        base.code_loads.extend(f.code_loads);
        base.personalisation_switches
            .extend(f.personalisation_switches);
        base.reward_texts.extend(f.reward_texts);
        base.strings.extend(f.strings);
        base.launches.extend(f.launches);
        base.tls_overrides.extend(f.tls_overrides);
        base.sticky_services.extend(f.sticky_services);
        base.startup_calls.extend(f.startup_calls);
        base.native_libs.extend(f.native_libs);
        base.web_assets.extend(f.web_assets);
        base.nested_code.extend(f.nested_code);
        base.packers.extend(f.packers);
        self.errors.extend(split.errors);
        self.classes.extend(split.classes);
        self.version_constants.extend(split.version_constants);
    }
}

/// Where one DEX's facts start in the package's lists (its call graph names callers by
/// position in its own lists).
#[derive(Debug, Clone, Copy)]
struct Starts {
    api_uses: usize,
    code_loads: usize,
}

/// Per DEX file: its sections' summaries and scans, or why it could not be read.
type DexResult = Result<(Vec<DexInfo>, Vec<CodeScan>), ScanError>;

fn scan_dex_file(name: &str, bytes: &[u8], formats: &FormatLimits, scope: &AppScope) -> DexResult {
    let to_error = |e: hegui_dex::DexError| ScanError {
        code: e.code().into(),
        message: e.to_string(),
        entry: Some(name.into()),
    };
    let sections = hegui_dex::Dex::parse_container(bytes, &formats.dex).map_err(to_error)?;
    let mut infos = Vec::new();
    let mut scans = Vec::new();
    for dex in &sections {
        infos.push(DexInfo {
            path: name.to_string(),
            version: dex.version(),
            size: bytes.len() as u64,
            classes: dex.class_def_count(),
            methods: dex.method_count(),
            strings: dex.string_count(),
        });
        scans.push(scan_dex(dex, name, scope).map_err(to_error)?);
    }
    Ok((infos, scans))
}

fn read_signatures(zip: &ZipArchive<'_>, limits: &Limits, budget: &Budget, ex: &mut Extraction) {
    let mut v1 = Vec::new();
    for entry in zip.entries() {
        let upper = entry.name.to_ascii_uppercase();
        let is_sig = upper.starts_with("META-INF/")
            && upper.matches('/').count() == 1
            && [".RSA", ".DSA", ".EC"].iter().any(|s| upper.ends_with(s));
        if !is_sig {
            continue;
        }
        match zip.read(entry, limits, budget) {
            Ok(bytes) => v1.push((entry.name.clone(), bytes.into_owned())),
            Err(e) => ex.archive_error(&e),
        }
    }
    let signing = signing::read_signing(zip, &v1);
    for p in signing.problems {
        ex.error("malformed-signature", p, None);
    }
    ex.facts.signing = signing.info;
    ex.facts.certificates = signing.certificates;
}

/// ABIs in the order we prefer to parse: one ABI's libraries tell what the code imports;
/// the others are listed by name only, so a fat APK is not inflated several times over.
const ABI_PREFERENCE: &[&str] = &["arm64-v8a", "armeabi-v7a", "x86_64", "armeabi", "x86"];

fn native_libs(
    zip: &ZipArchive<'_>,
    limits: &Limits,
    budget: &Budget,
    ex: &mut Extraction,
) -> Vec<hegui_model::NativeLib> {
    let libs: Vec<_> = zip
        .entries()
        .iter()
        .filter(|e| e.name.ends_with(".so") && !e.is_dir())
        .collect();
    let abi_of = |name: &str| {
        name.strip_prefix("lib/")
            .and_then(|r| r.split('/').next())
            .unwrap_or("")
            .to_string()
    };
    let parse_abi = ABI_PREFERENCE
        .iter()
        .find(|abi| libs.iter().any(|e| abi_of(&e.name) == **abi))
        .map(|s| s.to_string());
    let mut out = Vec::new();
    for entry in libs {
        let parse = parse_abi.as_deref() == Some(abi_of(&entry.name).as_str());
        if parse {
            match zip.read(entry, limits, budget) {
                Ok(bytes) => out.push(native::describe(&entry.name, &bytes)),
                Err(e) => ex.archive_error(&e),
            }
        } else {
            let mut lib = native::describe(&entry.name, &[]);
            lib.size = entry.uncompressed_size;
            lib.error = None;
            out.push(lib);
        }
    }
    out
}
