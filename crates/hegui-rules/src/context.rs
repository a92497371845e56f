//! What rules read (the [`Context`]) and what they write ([`Findings`] into a [`Report`]).

use std::collections::BTreeSet;

use hegui_knowledge::{SdkCatalog, Thresholds, catalogue};
pub use hegui_model::Evidence;
use hegui_model::{
    AndroidFacts, Confidence, Facts, Finding, Localized, NotAssessed, Party, SdkMatch, Severity,
};
use sha2::{Digest, Sha256};

use crate::RuleMeta;

/// A kind of fact a rule may need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// The Android manifest was read.
    AndroidManifest,
    /// The app's code was readable: DEX parsed and no packer hiding the real code.
    AndroidCode,
    /// An iOS app's Info.plist was read.
    IosBundle,
    /// A mini-program's configuration and code were read.
    MiniProgram,
    /// A runtime trace of the app (a run with lifecycle or API events).
    Trace,
    /// Captured network traffic (a HAR, flow file or the trace's own requests).
    Traffic,
    /// The privacy-policy text.
    Policy,
    /// The store listing.
    Listing,
}

impl Source {
    /// The platform a source belongs to, for the sources that belong to one.
    pub fn platform(self) -> Option<&'static str> {
        match self {
            Self::AndroidManifest | Self::AndroidCode => Some("android"),
            Self::IosBundle => Some("ios"),
            Self::MiniProgram => Some("miniprogram"),
            _ => None,
        }
    }

    pub fn label(self) -> Localized {
        let (zh, en) = match self {
            Self::AndroidManifest => ("Android 清单文件", "the Android manifest"),
            Self::AndroidCode => ("可读的应用代码（未加固）", "readable app code (not packed)"),
            Self::IosBundle => ("iOS 应用的 Info.plist", "the iOS app's Info.plist"),
            Self::MiniProgram => (
                "小程序的配置与代码",
                "the mini-program's configuration and code",
            ),
            Self::Trace => (
                "运行时行为记录（动态检测）",
                "a runtime trace (dynamic testing)",
            ),
            Self::Traffic => (
                "网络流量抓包（HAR 等）",
                "a network capture (HAR or similar)",
            ),
            Self::Policy => ("隐私政策文本", "the privacy-policy text"),
            Self::Listing => ("应用商店上架信息", "the store listing"),
        };
        Localized::new(zh, en)
    }
}

/// Everything a rule may read.
pub struct Context<'a> {
    pub facts: &'a Facts,
    pub sdks: &'a [SdkMatch],
    /// The catalogue the SDKs were found with (built-in plus `--sdk-db`).
    pub catalog: &'a SdkCatalog,
    pub sources: BTreeSet<Source>,
    /// Limits the dynamic rules judge with (built-in defaults or `--thresholds`).
    pub thresholds: &'a Thresholds,
}

impl<'a> Context<'a> {
    /// Build a context, deriving which sources are present from the facts.
    pub fn new(facts: &'a Facts, sdks: &'a [SdkMatch], catalog: &'a SdkCatalog) -> Self {
        let mut sources = BTreeSet::new();
        if let Some(a) = &facts.android {
            if !a.package.is_empty() {
                sources.insert(Source::AndroidManifest);
            }
            if !a.dex_files.is_empty() && a.packers.is_empty() {
                sources.insert(Source::AndroidCode);
            }
        }
        if let Some(ios) = &facts.ios
            && !ios.bundle_id.is_empty()
        {
            sources.insert(Source::IosBundle);
        }
        if facts.miniprogram.as_ref().is_some_and(|m| m.files > 0) {
            sources.insert(Source::MiniProgram);
        }
        if facts.policy.is_some() {
            sources.insert(Source::Policy);
        }
        if facts.listing.is_some() {
            sources.insert(Source::Listing);
        }
        if let Some(t) = &facts.trace {
            if !t.runs.is_empty() {
                sources.insert(Source::Trace);
            }
            if t.network.requests > 0 {
                sources.insert(Source::Traffic);
            }
        }
        Self {
            facts,
            sdks,
            catalog,
            sources,
            thresholds: default_thresholds(),
        }
    }

    /// Judge with these thresholds instead of the built-in ones.
    pub fn with_thresholds(mut self, thresholds: &'a Thresholds) -> Self {
        self.thresholds = thresholds;
        self
    }

    pub fn trace(&self) -> Option<&'a hegui_model::TraceFacts> {
        self.facts.trace.as_ref()
    }

    pub fn has(&self, source: Source) -> bool {
        self.sources.contains(&source)
    }

    pub fn listing(&self) -> Option<&'a hegui_model::ListingFacts> {
        self.facts.listing.as_ref()
    }

    pub fn android(&self) -> Option<&'a AndroidFacts> {
        self.facts.android.as_ref()
    }

    pub fn ios(&self) -> Option<&'a hegui_model::IosFacts> {
        self.facts.ios.as_ref()
    }

    pub fn policy(&self) -> Option<&'a hegui_model::PolicyFacts> {
        self.facts.policy.as_ref()
    }

    pub fn miniprogram(&self) -> Option<&'a hegui_model::MiniProgramFacts> {
        self.facts.miniprogram.as_ref()
    }

    /// `android`, `ios` or `miniprogram`: the kind of artifact.
    pub fn platform(&self) -> Option<&'static str> {
        if self.facts.android.is_some() {
            Some("android")
        } else if self.facts.ios.is_some() {
            Some("ios")
        } else if self.facts.miniprogram.is_some() {
            Some("miniprogram")
        } else if let Some(t) = &self.facts.trace {
            // A trace on its own speaks for the platform it was recorded on.
            Some(match t.platform.as_deref() {
                Some("android") => "android",
                Some("ios") => "ios",
                Some(p) if p.contains("miniprogram") => "miniprogram",
                _ => "trace",
            })
        } else if self.facts.policy.is_some() {
            // A policy on its own: only the policy rules speak.
            Some("policy")
        } else {
            None
        }
    }

    /// Who is responsible for code in `class` (dotted name).
    pub fn party_of(&self, class: &str) -> Party {
        match self.android() {
            Some(a) if !a.own_packages.is_empty() => {
                self.catalog.attribute_own(&a.own_packages, class)
            }
            Some(a) => self.catalog.attribute(&a.package, class),
            None => self.catalog.attribute("", class),
        }
    }

    /// How a party is named in messages.
    pub fn party_label(&self, party: &Party) -> Localized {
        party_label_in(self.catalog, party)
    }

    /// The SDK found in this package, by id.
    pub fn sdk(&self, id: &str) -> Option<&'a SdkMatch> {
        self.sdks.iter().find(|s| s.id == id)
    }

    /// Whether `party` is a platform library (attributed, but not a third party).
    pub fn is_framework(&self, party: &Party) -> bool {
        matches!(party, Party::Sdk(id) if self.catalog.get(id).is_some_and(|s| s.is_framework()))
    }
}

fn default_thresholds() -> &'static Thresholds {
    static DEFAULT: std::sync::OnceLock<Thresholds> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(Thresholds::default)
}

fn party_label_in(catalog: &SdkCatalog, party: &Party) -> Localized {
    match party {
        Party::App => Localized::new("应用自身代码", "The app's own code"),
        Party::Sdk(id) => match catalog.get(id) {
            Some(sdk) if sdk.is_framework() => Localized::new(
                format!("平台支持库「{}」", sdk.name.zh),
                format!("Platform library \"{}\"", sdk.name.en),
            ),
            Some(sdk) => Localized::new(
                format!("第三方 SDK「{}」（{}）", sdk.name.zh, sdk.vendor),
                format!("Third-party SDK \"{}\" ({})", sdk.name.en, sdk.vendor),
            ),
            None => Localized::new(format!("第三方代码 {id}"), format!("Third-party code {id}")),
        },
        Party::Unknown => {
            Localized::new("无法归属的（混淆）代码", "Unattributed (obfuscated) code")
        }
    }
}

/// The findings and gaps rules produce for one artifact.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub not_assessed: Vec<NotAssessed>,
    /// Codes of the rules that ran.
    pub ran: Vec<&'static str>,
    cited_by_ran: BTreeSet<&'static str>,
}

impl Report {
    pub(crate) fn skip_rule(&mut self, meta: &RuleMeta, missing: &[Source]) {
        let names: Vec<Localized> = missing.iter().map(|s| s.label()).collect();
        let join = |f: fn(&Localized) -> &str, sep: &str| {
            names.iter().map(f).collect::<Vec<_>>().join(sep)
        };
        let zh = join(|l| &l.zh, "、");
        // A space between Chinese and a Latin word ("需要 Android 清单文件"), none before Chinese.
        let gap = if zh.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            " "
        } else {
            ""
        };
        let reason = Localized::new(
            format!("规则 {} 需要{gap}{zh}", meta.code),
            format!("rule {} needs {}", meta.code, join(|l| &l.en, ", ")),
        );
        for cite in meta.cites {
            self.add_not_assessed(cite, reason.clone());
        }
    }

    fn add_not_assessed(&mut self, cite: &str, reason: Localized) {
        if !self.not_assessed.iter().any(|n| n.cite == cite) {
            self.not_assessed.push(NotAssessed {
                cite: cite.to_string(),
                reason,
            });
        }
    }

    /// Sort findings, and list every catalogue clause that applies to `target` (`app`,
    /// `mini_program`) and no rule could check.
    pub(crate) fn finish(&mut self, target: &str) {
        self.findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.code.cmp(&b.code))
                .then_with(|| a.fingerprint.cmp(&b.fingerprint))
        });
        let cited: BTreeSet<&str> = self.cited_by_ran.iter().copied().collect();
        for clause in catalogue() {
            if !clause.applies_to(target) || cited.contains(clause.id.as_str()) {
                continue;
            }
            self.add_not_assessed(&clause.id, reason_for_channels(&clause.channels));
        }
        // Clauses a rule cites are assessed once any rule citing them ran.
        self.not_assessed
            .retain(|n| !cited.contains(n.cite.as_str()));
    }
}

fn reason_for_channels(channels: &[String]) -> Localized {
    let has = |c: &str| channels.iter().any(|x| x == c);
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for (channel, z, e) in [
        (
            "dynamic",
            "运行时行为记录（动态检测）",
            "a runtime trace (dynamic testing)",
        ),
        ("policy_text", "隐私政策文本", "the privacy-policy text"),
        ("listing", "应用商店上架信息", "the store listing"),
        ("manual", "人工核验", "manual review"),
    ] {
        if has(channel) {
            zh.push(z);
            en.push(e);
        }
    }
    if zh.is_empty() {
        return Localized::new(
            "尚无静态规则覆盖该条款",
            "no static rule covers this clause yet",
        );
    }
    Localized::new(
        format!("需要{}", zh.join("、")),
        format!("needs {}", en.join(", ")),
    )
}

/// A finding a rule wants to report; the framework adds title, cites, remediation, fingerprint.
pub struct Violation {
    pub message: Localized,
    pub party: Party,
    pub evidence: Vec<Evidence>,
    /// The normalised location that makes this finding unique within its rule and party
    /// (e.g. the permission name); stable across versions.
    pub key: String,
    pub severity: Option<Severity>,
    pub confidence: Confidence,
    pub pi: Option<hegui_model::PiCategory>,
}

impl Violation {
    pub fn new(
        zh: impl Into<String>,
        en: impl Into<String>,
        party: Party,
        key: impl Into<String>,
    ) -> Self {
        Self {
            message: Localized::new(zh, en),
            party,
            evidence: Vec::new(),
            key: key.into(),
            severity: None,
            confidence: Confidence::High,
            pi: None,
        }
    }

    pub fn evidence(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Self {
        self.evidence.extend(evidence);
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
    pub fn confidence(mut self, confidence: Confidence) -> Self {
        self.confidence = confidence;
        self
    }

    /// The PI category this finding is about (lets a trace confirm it).
    pub fn pi(mut self, category: hegui_model::PiCategory) -> Self {
        self.pi = Some(category);
        self
    }
}

/// The sink a rule reports into.
pub struct Findings<'r> {
    meta: &'r RuleMeta,
    report: &'r mut Report,
    gave_up: bool,
}

impl<'r> Findings<'r> {
    pub(crate) fn new(meta: &'r RuleMeta, report: &'r mut Report) -> Self {
        Self {
            meta,
            report,
            gave_up: false,
        }
    }

    /// Close the rule's run: its clauses count as assessed unless it gave up.
    pub(crate) fn close(self) {
        if !self.gave_up {
            self.report
                .cited_by_ran
                .extend(self.meta.cites.iter().copied());
        }
    }

    pub fn push(&mut self, v: Violation) {
        let fingerprint = fingerprint(self.meta.code, &v.party, &v.key);
        self.report.findings.push(Finding {
            code: self.meta.code.to_string(),
            severity: v.severity.unwrap_or(self.meta.severity),
            confidence: v.confidence,
            title: Localized::new(self.meta.title_zh, self.meta.title_en),
            message: v.message,
            party: v.party,
            cites: self.meta.cites.iter().map(|c| c.to_string()).collect(),
            evidence: v.evidence,
            remediation: Localized::new(self.meta.fix_zh, self.meta.fix_en),
            fingerprint,
            pi: v.pi,
            confirmed_by: Vec::new(),
        });
    }

    /// This rule ran but could not judge `cite` on these facts.
    pub fn not_assessed(&mut self, zh: &str, en: &str) {
        self.gave_up = true;
        for cite in self.meta.cites {
            self.report.add_not_assessed(
                cite,
                Localized::new(
                    format!("{}：{zh}", self.meta.code),
                    format!("{}: {en}", self.meta.code),
                ),
            );
        }
    }
}

/// Stable across app versions: rule code, party and the normalised key, hashed.
pub fn fingerprint(code: &str, party: &Party, key: &str) -> String {
    let digest = Sha256::digest(format!("{code}\u{1f}{party}\u{1f}{key}").as_bytes());
    hex::encode(&digest[..16])
}
