//! The pipeline: artifact bytes → kind → facts → rules → report.
//!
//! [`scan_path`] never panics and never fails: whatever goes wrong is an entry in the
//! report's `errors`, so a batch always gets one report per input.

mod bundle;
mod detect;
mod listing;
mod sandbox;
mod trace;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use std::sync::Arc;

use hegui_android::{Extraction, FormatLimits, extract_apk, identify_sdks};
use hegui_archive::{Budget, Limits, Source, ZipArchive};
use hegui_knowledge::{SdkCatalog, Thresholds, sdk_catalog};
use hegui_model::{
    AppInfo, ArtifactInfo, ArtifactKind, Facts, PolicyOrigin, REPORT_SCHEMA, Report, ScanError,
    ToolInfo,
};
use hegui_report::RuleDescriptor;
use hegui_rules::{Context, RULES, run_all};
use sha2::{Digest, Sha256};

pub use detect::detect_kind;
pub use hegui_miniprogram::is_app_dir;
/// Parse one mini-program script and look at nothing: `hegui bench`'s parser reference.
pub use hegui_miniprogram::parse_file_scripts as parse_miniprogram_file;
pub use hegui_miniprogram::parse_only as parse_miniprogram_script;
/// The mini-program reader's file scheduling (biggest first) and text decoding, for the
/// benchmark's reference.
pub use hegui_miniprogram::{decode_text as decode_miniprogram_text, par_map_largest_first};
pub use hegui_mpsandbox::Limits as RunLimits;
/// The kind of trace, capture or export a file is, from its first bytes.
pub use hegui_trace::sniff_path as trace_kind;
pub use listing::{Listing, ListingError, MAX_LISTING_LINE, parse_listing, read_feed};

/// How to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub limits: Limits,
    pub formats: FormatLimits,
    /// Also run rules in preview.
    pub preview: bool,
    /// SDK catalogue with the user's extra entries (`--sdk-db`); `None` = the built-in one.
    pub sdk_catalog: Option<Arc<SdkCatalog>>,
    /// Appid to decrypt PC-encrypted mini-program packages (`--appid`), when the path does
    /// not carry it.
    pub appid: Option<String>,
    /// The app's published privacy policy (`--policy`), analysed with the package.
    pub policy: Option<std::path::PathBuf>,
    /// Read every input as a privacy policy (`--kind policy`), whatever it looks like.
    pub force_policy: bool,
    /// The app type of the necessary-PI rules (`--app-type`), its Chinese name.
    pub app_type: Option<String>,
    /// Runtime traces of the app (`--trace`), read with the artifact.
    pub traces: Vec<std::path::PathBuf>,
    /// Network captures (`--har`: HAR or mitmproxy flow files), read with the artifact.
    pub captures: Vec<std::path::PathBuf>,
    /// Limits of the dynamic rules (`--thresholds`); `None` = the built-in ones.
    pub thresholds: Option<Arc<Thresholds>>,
    /// What imported exports do not say themselves (time zone, year).
    pub import: hegui_trace::ImportOptions,
    /// `--run`: run a mini-program in the sandbox and judge its run like a trace.
    pub run: Option<hegui_mpsandbox::Limits>,
    /// Store listings (`--listing`, or the platform's feed): each package is judged with the
    /// listing of its package name.
    pub listings: Arc<[Listing]>,
}

impl ScanOptions {
    pub fn catalog(&self) -> &SdkCatalog {
        self.sdk_catalog.as_deref().unwrap_or_else(|| sdk_catalog())
    }

    pub fn thresholds(&self) -> &Thresholds {
        static DEFAULT: std::sync::OnceLock<Thresholds> = std::sync::OnceLock::new();
        self.thresholds
            .as_deref()
            .unwrap_or_else(|| DEFAULT.get_or_init(Thresholds::default))
    }
}

/// Version of the rule set, recorded in every report.
pub const RULESET: &str = concat!("hegui-rules/", env!("CARGO_PKG_VERSION"));

/// Scan one file. Problems become report errors; this function does not fail.
pub fn scan_path(path: &Path, opts: &ScanOptions) -> Report {
    let started = Instant::now();
    let display = path.display().to_string();
    if path.is_dir() {
        // A folder of `uiautomator dump` files is a record of screens, not a source tree.
        if let Some(kind @ hegui_trace::InputKind::UiDumps) = hegui_trace::sniff_path(path) {
            return trace::scan_trace(path, &display, kind, opts, started);
        }
        return scan_dir(path, &display, opts, started);
    }
    // Traces can be larger than memory: recognised first and streamed.
    if !opts.force_policy
        && let Some(kind) = hegui_trace::sniff_path(path)
    {
        return trace::scan_trace(path, &display, kind, opts, started);
    }
    match Source::open(path, &opts.limits) {
        Ok(source) => scan_bytes(&display, &source, opts, started),
        Err(e) => {
            let mut report = empty_report(&display, "", 0, ArtifactKind::Unknown);
            report.errors.push(ScanError {
                code: e.code().into(),
                message: e.to_string(),
                entry: None,
            });
            report.elapsed_ms = started.elapsed().as_millis() as u64;
            report
        }
    }
}

/// Scan bytes already in memory (`display` names them in the report).
pub fn scan_bytes(display: &str, bytes: &[u8], opts: &ScanOptions, started: Instant) -> Report {
    let (sha, outcome) = rayon::join(
        || {
            // Parse the embedded tables (a few ms of JSON) while the other thread inflates
            // the package: each is first needed after that.
            let _ = opts.catalog().len();
            hegui_knowledge::warm_package_tables();
            hex::encode(Sha256::digest(bytes))
        },
        || catch_unwind(AssertUnwindSafe(|| extract(display, bytes, opts))),
    );
    let mut report = empty_report(display, &sha, bytes.len() as u64, ArtifactKind::Unknown);
    match outcome {
        Ok((kind, extraction)) => {
            report.artifact.kind = kind;
            let run = match (&opts.run, kind) {
                (Some(limits), ArtifactKind::Wxapkg | ArtifactKind::Tpkg) => Some(sandbox::run(
                    hegui_miniprogram::package_sources(display, bytes, opts.appid.as_deref()),
                    display,
                    limits,
                )),
                _ => None,
            };
            fill_facts(&mut report, extraction, opts, run);
            if report.facts.policy.is_none() && kind == ArtifactKind::Apk {
                bundled_policy(&mut report, bytes, opts);
            }
            judge(&mut report, opts);
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            report.errors.push(ScanError {
                code: "internal-error".into(),
                message: format!("the scanner failed on this file; please report it: {what}"),
                entry: None,
            });
        }
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report
}

/// Why nothing could be read from the scanned input itself (its first error), or `None` when
/// it gave facts. Facts from `--policy`, `--trace` or a listing do not count: they are not
/// the input. The CLI exits 3 on it; the platform fails the scan with it.
pub fn unreadable(report: &Report) -> Option<&ScanError> {
    let f = &report.facts;
    let read = match report.artifact.kind {
        ArtifactKind::Policy => f.policy.is_some(),
        ArtifactKind::Trace => f.trace.is_some(),
        _ => f.android.is_some() || f.ios.is_some() || f.miniprogram.is_some(),
    };
    if read { None } else { report.errors.first() }
}

/// Detect the kind, extract facts (parsing the container once), then find the SDKs.
/// A folder that is one mini-program (project or packages side by side): one report.
fn scan_dir(path: &Path, display: &str, opts: &ScanOptions, started: Instant) -> Report {
    let mut report = empty_report(display, "", 0, ArtifactKind::MiniProgramSource);
    if !hegui_miniprogram::is_app_dir(path) {
        report.artifact.kind = ArtifactKind::Unknown;
        report.errors.push(ScanError {
            code: "unknown-artifact".into(),
            message: "a folder that is not a mini-program project (no app.json, project.config.json or __APP__.wxapkg)".into(),
            entry: None,
        });
    } else {
        match catch_unwind(AssertUnwindSafe(|| {
            hegui_miniprogram::extract_dir(path, opts.appid.as_deref())
        })) {
            Ok(mut ex) => {
                if ex.facts.container != "source" {
                    report.artifact.kind = ArtifactKind::Wxapkg;
                }
                let page = ex.policy_page.take();
                let run = opts.run.as_ref().map(|limits| {
                    sandbox::run(
                        hegui_miniprogram::dir_sources(path, opts.appid.as_deref()),
                        display,
                        limits,
                    )
                });
                fill_facts(&mut report, Extracted::MiniProgram(Box::new(ex)), opts, run);
                // The project's own policy page, unless one was given with --policy.
                if let Some((rel, bytes)) = page
                    && report.facts.policy.is_none()
                {
                    match analyse_policy(&format!("{display}/{rel}"), &bytes, opts) {
                        Ok(facts) => {
                            report.facts.policy = Some(*facts);
                            report.facts.policy_origin = Some(PolicyOrigin::Bundled);
                        }
                        Err(e) => report.errors.push(e),
                    }
                }
                judge(&mut report, opts);
            }
            Err(_) => report.errors.push(ScanError {
                code: "internal-error".into(),
                message: "the scanner failed on this folder; please report it".into(),
                entry: None,
            }),
        }
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report
}

fn extract(display: &str, bytes: &[u8], opts: &ScanOptions) -> (ArtifactKind, Extracted) {
    let (kind, mut extracted) = extract_facts(display, bytes, opts);
    identify(&mut extracted, opts);
    (kind, extracted)
}

/// Facts of one platform, or of a policy on its own.
enum Extracted {
    Android(Box<Extraction>),
    Ios(Box<hegui_ios::Extraction>),
    MiniProgram(Box<hegui_miniprogram::Extraction>),
    Policy(Result<Box<hegui_model::PolicyFacts>, ScanError>),
}

/// Read a policy text; `source` names it in the facts and in errors.
fn analyse_policy(
    source: &str,
    bytes: &[u8],
    opts: &ScanOptions,
) -> Result<Box<hegui_model::PolicyFacts>, ScanError> {
    // Policies come from packages too (bundled pages): a bug must cost this text, not the batch.
    match catch_unwind(AssertUnwindSafe(|| {
        hegui_policy::analyse(source, bytes, opts.catalog())
    })) {
        Ok(read) => read
            .map(Box::new)
            .map_err(|e| ScanError::new(e.code(), e.to_string(), Some(source))),
        Err(_) => Err(ScanError::new(
            "internal-error",
            "the policy reader failed on this text; please report it",
            Some(source),
        )),
    }
}

fn identify(extracted: &mut Extracted, opts: &ScanOptions) {
    match extracted {
        Extracted::Android(ex) => identify_sdks(ex, opts.catalog()),
        Extracted::Ios(ex) => hegui_ios::identify_sdks(ex, opts.catalog()),
        Extracted::MiniProgram(_) | Extracted::Policy(_) => {}
    }
}

fn extract_facts(display: &str, bytes: &[u8], opts: &ScanOptions) -> (ArtifactKind, Extracted) {
    // Packages are known by their magic bytes first; only other content may be a policy text.
    let is_package = hegui_archive::is_zip(bytes)
        || hegui_dex::is_dex(bytes)
        || hegui_miniprogram::package_kind(bytes).is_some();
    if opts.force_policy || (!is_package && detect::is_policy(bytes)) {
        return (
            ArtifactKind::Policy,
            Extracted::Policy(analyse_policy(display, bytes, opts)),
        );
    }
    if let Some(kind) = hegui_miniprogram::package_kind(bytes) {
        let ex = hegui_miniprogram::extract_package(display, bytes, opts.appid.as_deref());
        return (kind, Extracted::MiniProgram(Box::new(ex)));
    }
    let budget = Budget::new(&opts.limits);
    if hegui_archive::is_zip(bytes)
        && let Ok(zip) = ZipArchive::parse(bytes, &opts.limits)
        && detect::zip_kind(&zip) == ArtifactKind::Ipa
    {
        let ex = hegui_ios::extract_ipa(&zip, &opts.limits, &budget);
        return (ArtifactKind::Ipa, Extracted::Ios(Box::new(ex)));
    }
    let (kind, ex) = extract_android(bytes, opts);
    (kind, Extracted::Android(Box::new(ex)))
}

fn extract_android(bytes: &[u8], opts: &ScanOptions) -> (ArtifactKind, Extraction) {
    let budget = Budget::new(&opts.limits);
    if hegui_archive::is_zip(bytes) {
        let zip = match ZipArchive::parse(bytes, &opts.limits) {
            Ok(zip) => zip,
            Err(e) => return (ArtifactKind::Unknown, failed(e.code(), e.to_string())),
        };
        let kind = detect::zip_kind(&zip);
        let extraction = match kind {
            ArtifactKind::Apk => extract_apk(&zip, &opts.limits, &budget, &opts.formats),
            ArtifactKind::ApkBundle => bundle::extract_bundle(&zip, opts, &budget, 1),
            _ => failed(
                "unknown-artifact",
                format!("a zip that is not an APK, APK bundle or IPA; {ACCEPTED}"),
            ),
        };
        return (kind, extraction);
    }
    if hegui_dex::is_dex(bytes) {
        return (ArtifactKind::Dex, bundle::extract_lone_dex(bytes, opts));
    }
    let message = if bytes.is_empty() {
        format!("an empty file; {ACCEPTED}")
    } else {
        format!("not a supported input; {ACCEPTED}")
    };
    (ArtifactKind::Unknown, failed("unknown-artifact", message))
}

/// What `hegui scan` reads, for the message of an input it cannot.
const ACCEPTED: &str = "hegui reads APK, APK bundles (XAPK/APKS/APKM), DEX, iOS IPA, \
    mini-program packages (wxapkg, TPKG) and project folders, privacy policies (text, HTML, \
    Markdown) and runtime traces or captures (hegui-trace/1, HAR, mitmproxy, \
    camille/PrivacySentry), judged by content, not name";

pub(crate) fn failed(code: &str, message: String) -> Extraction {
    let mut ex = Extraction::default();
    ex.errors.push(ScanError {
        code: code.into(),
        message,
        entry: None,
    });
    ex
}

pub(crate) fn empty_report(path: &str, sha: &str, size: u64, kind: ArtifactKind) -> Report {
    Report {
        schema: REPORT_SCHEMA.into(),
        tool: ToolInfo {
            name: "hegui".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            ruleset: RULESET.into(),
        },
        artifact: ArtifactInfo {
            path: path.into(),
            sha256: sha.into(),
            kind,
            size,
        },
        app: AppInfo::default(),
        facts: Facts::default(),
        sdks: Vec::new(),
        findings: Vec::new(),
        not_assessed: Vec::new(),
        errors: Vec::new(),
        elapsed_ms: 0,
    }
}

fn fill(report: &mut Report, extracted: Extracted, opts: &ScanOptions) {
    fill_facts(report, extracted, opts, None);
    judge(report, opts);
}

pub(crate) fn judge(report: &mut Report, opts: &ScanOptions) {
    report.facts.app_type = opts.app_type.clone();
    attach_listing(report, opts);
    let ctx = Context::new(&report.facts, &report.sdks, opts.catalog())
        .with_thresholds(opts.thresholds());
    let judged = run_all(&ctx, opts.preview);
    report.findings = judged.findings;
    report.not_assessed = judged.not_assessed;
}

/// The listing of the scanned package, and its policy text when no other policy was read.
fn attach_listing(report: &mut Report, opts: &ScanOptions) {
    if opts.listings.is_empty() || report.app.id.is_empty() {
        return;
    }
    let Some(listing) = opts
        .listings
        .iter()
        .find(|l| l.facts.package == report.app.id)
    else {
        // One listing given for one package: a mismatch is a mistake worth saying.
        if let [only] = &*opts.listings {
            report.errors.push(ScanError::new(
                "listing-mismatch",
                format!(
                    "{}: the listing is for {}, the package is {}",
                    only.facts.source, only.facts.package, report.app.id
                ),
                None,
            ));
        }
        return;
    };
    if report.facts.policy.is_none()
        && let Some(text) = &listing.policy_text
    {
        let source = format!("{}#policy_text", listing.facts.source);
        report.facts.policy_origin = Some(PolicyOrigin::Listing);
        match analyse_policy(&source, text.as_bytes(), opts) {
            Ok(facts) => report.facts.policy = Some(*facts),
            Err(e) => report.errors.push(e),
        }
    }
    report.facts.listing = Some(listing.facts.clone());
}

/// A privacy policy shipped in the APK's assets (the page the first-run dialog shows): the
/// largest page that names itself a policy, read within the scan's limits.
fn bundled_policy(report: &mut Report, bytes: &[u8], opts: &ScanOptions) {
    let Some(android) = &report.facts.android else {
        return;
    };
    let Some(page) = android
        .web_assets
        .iter()
        .filter(|a| a.mentions_privacy_policy && a.size <= hegui_policy::MAX_POLICY_BYTES as u64)
        .max_by_key(|a| {
            let named = a.path.to_lowercase().contains("privacy") || a.path.contains("隐私");
            (named, a.size)
        })
    else {
        return;
    };
    let Ok(zip) = ZipArchive::parse(bytes, &opts.limits) else {
        return;
    };
    let budget = Budget::new(&opts.limits);
    let source = format!("{}!/{}", report.artifact.path, page.path);
    match zip.read_by_name(&page.path, &opts.limits, &budget) {
        Some(Ok(data)) => match analyse_policy(&source, &data, opts) {
            Ok(facts) => {
                report.facts.policy = Some(*facts);
                report.facts.policy_origin = Some(PolicyOrigin::Bundled);
            }
            Err(e) => report.errors.push(e),
        },
        Some(Err(e)) => report
            .errors
            .push(ScanError::new(e.code(), e.to_string(), Some(&source))),
        None => {}
    }
}

/// The platform's facts into the report, then the traces: the `--trace`/`--har` files and,
/// with `--run`, the sandbox's run of a mini-program.
fn fill_facts(
    report: &mut Report,
    extracted: Extracted,
    opts: &ScanOptions,
    run: Option<sandbox::Run>,
) {
    match extracted {
        Extracted::Android(ex) => fill_android(report, *ex),
        Extracted::Ios(ex) => fill_ios(report, *ex),
        Extracted::MiniProgram(ex) => fill_miniprogram(report, *ex),
        Extracted::Policy(Ok(facts)) => {
            report.app = AppInfo {
                platform: "policy".into(),
                id: facts
                    .source
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                name: None,
                version: None,
            };
            report.facts.policy = Some(*facts);
            report.facts.policy_origin = Some(PolicyOrigin::Scanned);
        }
        Extracted::Policy(Err(e)) => report.errors.push(e),
    }
    if let Some(path) = &opts.policy {
        attach_policy(report, path, opts);
    }
    let run_trace = run.and_then(|r| r.attach_to(report));
    trace::attach(report, None, opts, run_trace.as_ref());
}

/// `--policy FILE`: the app's published policy, read next to its package.
pub(crate) fn attach_policy(report: &mut Report, path: &Path, opts: &ScanOptions) {
    let display = path.display().to_string();
    // Said even if the text cannot be read: rules must not conclude there is no policy.
    report.facts.policy_origin = Some(PolicyOrigin::Supplied);
    let too_big =
        std::fs::metadata(path).is_ok_and(|m| m.len() > hegui_policy::MAX_POLICY_BYTES as u64);
    let read = if too_big {
        Err(ScanError::new(
            "policy-too-large",
            format!(
                "over the {} MiB a policy may have",
                hegui_policy::MAX_POLICY_BYTES >> 20
            ),
            Some(&display),
        ))
    } else {
        std::fs::read(path).map_err(|e| ScanError::new("io-error", e.to_string(), Some(&display)))
    };
    match read.and_then(|bytes| analyse_policy(&display, &bytes, opts)) {
        Ok(facts) => report.facts.policy = Some(*facts),
        Err(e) => report.errors.push(e),
    }
}

fn fill_miniprogram(report: &mut Report, ex: hegui_miniprogram::Extraction) {
    report.errors.extend(ex.errors);
    if !ex.facts.container.is_empty() {
        report.app = AppInfo {
            platform: format!("{}_miniprogram", ex.facts.platform),
            id: ex.facts.appid.clone().unwrap_or_default(),
            name: None,
            version: None,
        };
        report.facts.miniprogram = Some(ex.facts);
    }
}

fn fill_ios(report: &mut Report, ex: hegui_ios::Extraction) {
    report.errors.extend(ex.errors);
    report.sdks = ex.sdks;
    if !ex.facts.bundle_id.is_empty() || !ex.facts.binaries.is_empty() {
        report.app = AppInfo {
            platform: "ios".into(),
            id: ex.facts.bundle_id.clone(),
            name: ex.facts.name.clone(),
            version: ex.facts.version.clone(),
        };
        report.facts.ios = Some(ex.facts);
    }
}

fn fill_android(report: &mut Report, ex: Extraction) {
    let has_android = !ex.facts.package.is_empty() || !ex.facts.dex_files.is_empty();
    report.errors.extend(ex.errors);
    report.sdks = ex.sdks;
    if has_android {
        report.app = AppInfo {
            platform: "android".into(),
            id: ex.facts.package.clone(),
            name: ex.facts.label.clone(),
            version: ex.facts.version_name.clone(),
        };
        report.facts.android = Some(ex.facts);
    }
}

/// Wall time of each pipeline stage for one input, measured in process (`hegui bench`).
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    /// Reading the artifact into facts (zip, manifest, resources, every DEX, signing…).
    pub extract: Duration,
    /// SDK detection and party attribution.
    pub sdks: Duration,
    /// Running the rules and assembling the report.
    pub rules: Duration,
}

/// Run the pipeline on `bytes` once, timing each stage.
pub fn stage_times(bytes: &[u8], opts: &ScanOptions) -> StageTimes {
    let t0 = Instant::now();
    let (kind, mut extraction) = extract_facts("", bytes, opts);
    let t1 = Instant::now();
    identify(&mut extraction, opts);
    let t2 = Instant::now();
    let mut report = empty_report("", "", bytes.len() as u64, kind);
    fill(&mut report, extraction, opts);
    StageTimes {
        extract: t1 - t0,
        sdks: t2 - t1,
        rules: t2.elapsed(),
    }
}

/// Rule descriptors for report renderers.
pub fn rule_descriptors() -> Vec<RuleDescriptor> {
    RULES
        .iter()
        .map(|r| RuleDescriptor {
            code: r.meta.code.into(),
            name: r.meta.name.into(),
            title_zh: r.meta.title_zh.into(),
            title_en: r.meta.title_en.into(),
            severity: r.meta.severity,
            cites: r.meta.cites.iter().map(|c| c.to_string()).collect(),
            help: r.meta.doc.into(),
        })
        .collect()
}
