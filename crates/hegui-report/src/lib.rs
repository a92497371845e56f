//! Renderers for [`Report`]s. Every format is produced from the same report value; none of
//! them computes anything a rule did not already conclude.

mod html;
mod markdown;
mod parties;
mod sarif;
mod timeline;

use hegui_model::{Lang, Report, Severity};

pub use html::render_html;
pub use markdown::render_markdown;
pub use parties::{PartyGroup, SdkRow, findings_by_party, party_label, sdk_rows};
pub use sarif::{render_sarif, sarif_log};

/// What a rule is, as reports describe it (SARIF rule descriptors, HTML help links).
#[derive(Debug, Clone)]
pub struct RuleDescriptor {
    pub code: String,
    pub name: String,
    pub title_zh: String,
    pub title_en: String,
    pub severity: Severity,
    pub cites: Vec<String>,
    /// Markdown documentation of the rule.
    pub help: String,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Sarif,
    Html,
    Markdown,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Sarif => "sarif",
            Self::Html => "html",
            Self::Markdown => "md",
        }
    }
}

/// Render one report.
pub fn render(
    report: &Report,
    format: Format,
    lang: Lang,
    rules: &[RuleDescriptor],
) -> Result<String, RenderError> {
    match format {
        Format::Json => render_json(report),
        Format::Sarif => render_sarif(report, rules),
        Format::Html => render_html(report, lang, rules),
        Format::Markdown => Ok(render_markdown(report, lang)),
    }
}

/// Pretty JSON following `schema/hegui-report-1.json`.
pub fn render_json(report: &Report) -> Result<String, RenderError> {
    serde_json::to_string_pretty(report).map_err(|e| RenderError(e.to_string()))
}

/// One line of JSON Lines output.
pub fn render_json_line(report: &Report) -> Result<String, RenderError> {
    serde_json::to_string(report).map_err(|e| RenderError(e.to_string()))
}

/// The JSON Schema of the report, generated from the types.
pub fn report_schema() -> String {
    let schema = schemars::schema_for!(Report);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot render report: {}", self.0)
    }
}

impl std::error::Error for RenderError {}

/// Count findings per severity, highest first.
pub(crate) fn severity_counts(report: &Report) -> Vec<(Severity, usize)> {
    Severity::ALL
        .iter()
        .rev()
        .map(|s| {
            (
                *s,
                report.findings.iter().filter(|f| f.severity == *s).count(),
            )
        })
        .collect()
}
