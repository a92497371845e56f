//! HTML report: one self-contained page, zh-CN by default. The template is embedded and can
//! be replaced at run time (labs put their own letterhead on reports).

use std::collections::BTreeMap;

use hegui_model::{Lang, Report, Severity};
use minijinja::{Environment, context};

use crate::{RenderError, RuleDescriptor, findings_by_party, sdk_rows, severity_counts};

const TEMPLATE: &str = include_str!("../templates/report.html");

fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let zh = lang == Lang::Zh;
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e };
    BTreeMap::from([
        (
            "title",
            pick(
                "个人信息合规检测报告",
                "Personal-information compliance report",
            ),
        ),
        // Chinese titles take the full-width colon, English ones a colon and a space.
        ("colon", pick("：", ": ")),
        ("version", pick("版本", "version")),
        ("summary", pick("概览", "Summary")),
        ("file", pick("文件", "File")),
        ("findings", pick("发现的问题", "Findings")),
        ("no_findings", pick("未发现问题。", "No findings.")),
        ("party", pick("责任方", "Responsible")),
        ("confidence", pick("置信度", "Confidence")),
        ("cites", pick("依据", "Cites")),
        ("evidence", pick("证据", "Evidence")),
        ("not_shown", pick("未展示", "not shown")),
        (
            "confirmed",
            pick("动态检测已证实", "confirmed by the trace"),
        ),
        ("fix", pick("整改建议", "How to fix")),
        ("sdks", pick("第三方 SDK", "Third-party SDKs")),
        ("name", pick("名称", "Name")),
        ("vendor", pick("提供方", "Vendor")),
        ("category", pick("类别", "Category")),
        ("classes", pick("类数量", "Classes")),
        ("sdk_version", pick("版本", "Version")),
        (
            "collects",
            pick("声明收集的个人信息", "PI it says it collects"),
        ),
        ("matched", pick("识别依据", "Matched on")),
        ("policy", pick("隐私政策", "Policy")),
        ("policy_title", pick("隐私政策", "Privacy policy")),
        ("element", pick("要素", "Element")),
        ("value", pick("结论", "Value")),
        ("by_party", pick("按责任方", "by responsible party")),
        ("frameworks", pick("平台支持库", "Platform libraries")),
        ("permissions", pick("申请的权限", "Requested permissions")),
        (
            "usage",
            pick(
                "权限用途说明（Info.plist）",
                "Usage descriptions (Info.plist)",
            ),
        ),
        (
            "frameworks_ios",
            pick("嵌入的框架与扩展", "Embedded frameworks and extensions"),
        ),
        ("not_assessed", pick("未评估的条款", "Clauses not assessed")),
        (
            "not_assessed_hint",
            pick(
                "以下条款需要动态检测、隐私政策文本或人工核验，本次静态检测未能判断。",
                "These clauses need a runtime trace, the policy text or manual review; this scan could not judge them.",
            ),
        ),
        ("clause", pick("条款", "Clause")),
        ("reason", pick("原因", "Reason")),
        ("errors", pick("读取问题", "Problems reading the artifact")),
        ("timeline", pick("运行时间线", "Run time line")),
        ("run", pick("运行", "Run")),
        (
            "timeline_hint",
            pick(
                "每次运行一条时间轴：隐私政策弹窗与同意、前后台、各责任方的个人信息收集（圆点）与网络请求（方块），以及权限申请、拒绝、退出与启动。悬停查看事件序号。",
                "One axis per run: the privacy notice and consent, foreground and background, each party's PI collection (dots) and requests (squares), and permission prompts, denials, exits and starts. Hover for event numbers.",
            ),
        ),
        ("trace_title", pick("运行时行为记录", "Runtime trace")),
    ])
}

fn confidence_labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let zh = lang == Lang::Zh;
    BTreeMap::from([
        ("high", if zh { "高" } else { "high" }),
        ("medium", if zh { "中" } else { "medium" }),
        ("low", if zh { "低" } else { "low" }),
    ])
}

/// Render with the embedded template.
pub fn render_html(
    report: &Report,
    lang: Lang,
    rules: &[RuleDescriptor],
) -> Result<String, RenderError> {
    render_html_with(TEMPLATE, report, lang, rules)
}

/// Render with a caller-supplied template (same context variables as the embedded one).
pub fn render_html_with(
    template: &str,
    report: &Report,
    lang: Lang,
    _rules: &[RuleDescriptor],
) -> Result<String, RenderError> {
    let mut env = Environment::new();
    env.add_template("report.html", template)
        .map_err(|e| RenderError(e.to_string()))?;
    let lang_id = if lang == Lang::Zh { "zh" } else { "en" };
    let sev_labels: BTreeMap<&str, String> = Severity::ALL
        .iter()
        .map(|s| (s.id(), s.label().get(lang).to_string()))
        .collect();
    let counts: Vec<BTreeMap<&str, String>> = severity_counts(report)
        .into_iter()
        .map(|(s, n)| {
            BTreeMap::from([
                ("id", s.id().to_string()),
                ("label", s.label().get(lang).to_string()),
                ("count", n.to_string()),
            ])
        })
        .collect();
    env.get_template("report.html")
        .and_then(|t| {
            t.render(context! {
                report => report,
                lang => lang_id,
                html_lang => if lang == Lang::Zh { "zh-CN" } else { "en" },
                t => labels(lang),
                sev_labels => sev_labels,
                counts => counts,
                conf_labels => confidence_labels(lang),
                groups => findings_by_party(report, lang),
                sdk_rows => sdk_rows(report, lang),
                policy_rows => policy_rows(report, lang),
                timeline => report.facts.trace.as_ref().map(|t| crate::timeline::runs(t, lang)).unwrap_or_default(),
            })
        })
        .map_err(|e| RenderError(e.to_string()))
}

/// One row of the policy table: the element's label, its value and up to three quotes.
#[derive(serde::Serialize)]
struct PolicyRow {
    label: String,
    value: &'static str,
    quotes: Vec<String>,
}

fn policy_rows(report: &Report, lang: Lang) -> Vec<PolicyRow> {
    let Some(policy) = &report.facts.policy else {
        return Vec::new();
    };
    hegui_model::POLICY_ELEMENTS
        .iter()
        .filter_map(|name| {
            let e = policy.elements.get(*name)?;
            Some(PolicyRow {
                label: hegui_model::element_label(name).get(lang).to_string(),
                value: e.value.id(),
                quotes: e.evidence.iter().take(3).map(|q| q.quote.clone()).collect(),
            })
        })
        .collect()
}
