//! Markdown report, for tickets and merge requests.

use std::fmt::Write;

use hegui_model::{Evidence, Lang, Report};

use crate::{findings_by_party, sdk_rows, severity_counts};

pub fn render_markdown(report: &Report, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let t = |z: &'static str, e: &'static str| if zh { z } else { e };
    let mut s = String::new();
    let name = report
        .app
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .or(Some(report.app.id.as_str()).filter(|id| !id.is_empty()))
        .unwrap_or(&report.artifact.path);
    let _ = writeln!(
        s,
        "# {}{}{}\n",
        t("个人信息合规检测报告", "Compliance report"),
        t("：", ": "),
        name
    );
    let _ = writeln!(
        s,
        "- {}: `{}` {}\n- {}: `{}` ({} bytes, sha256 `{}`)\n- {}: {} {}\n",
        t("应用", "App"),
        report.app.id,
        report.app.version.as_deref().unwrap_or(""),
        t("文件", "File"),
        report.artifact.path,
        report.artifact.size,
        report.artifact.sha256,
        t("工具", "Tool"),
        report.tool.name,
        report.tool.version
    );
    // Problems first: they explain an empty or partial report.
    if !report.errors.is_empty() {
        let _ = writeln!(s, "## {}\n", t("读取问题", "Problems reading the artifact"));
        for e in &report.errors {
            let entry = e
                .entry
                .as_deref()
                .map(|x| format!(" `{x}`"))
                .unwrap_or_default();
            let _ = writeln!(s, "- `{}`{entry}: {}", e.code, e.message);
        }
        s.push('\n');
    }
    let counts: Vec<String> = severity_counts(report)
        .iter()
        .map(|(sev, n)| format!("{} {n}", sev.label().get(lang)))
        .collect();
    let _ = writeln!(
        s,
        "**{}**: {}\n",
        t("问题数", "Findings"),
        counts.join(" · ")
    );
    let _ = writeln!(s, "## {}\n", t("发现的问题", "Findings"));
    if report.findings.is_empty() {
        let _ = writeln!(s, "{}\n", t("未发现问题。", "No findings."));
    }
    for group in findings_by_party(report, lang) {
        let _ = writeln!(
            s,
            "### {} (`{}`, {})\n",
            group.label,
            group.party,
            group.findings.len()
        );
        for f in group.findings {
            finding(&mut s, f, lang);
        }
    }
    let rows = sdk_rows(report, lang);
    let third_party: Vec<_> = rows.iter().filter(|r| !r.sdk.is_framework()).collect();
    if !third_party.is_empty() {
        let _ = writeln!(
            s,
            "## {} ({})\n",
            t("第三方 SDK", "Third-party SDKs"),
            third_party.len()
        );
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---:|---|",
            t("SDK", "SDK"),
            t("运营方", "Operator"),
            t("类别", "Category"),
            t("版本", "Version"),
            t("类数量", "Classes"),
            t("声明收集的个人信息", "PI it says it collects"),
        );
        for r in third_party {
            let _ = writeln!(
                s,
                "| {} `{}` | {} | {} | {} | {} | {} |",
                cell(r.name),
                r.sdk.id,
                cell(&r.sdk.vendor),
                r.sdk.category,
                cell(r.sdk.version.as_deref().unwrap_or("")),
                r.sdk.classes,
                cell(&r.collects.join(if zh { "、" } else { ", " }))
            );
        }
        s.push('\n');
    }
    if let Some(policy) = &report.facts.policy {
        policy_section(&mut s, policy, lang);
    }
    if !report.not_assessed.is_empty() {
        let _ = writeln!(
            s,
            "## {} ({})\n",
            t("未评估的条款", "Not assessed"),
            report.not_assessed.len()
        );
        for n in &report.not_assessed {
            let _ = writeln!(s, "- `{}`: {}", n.cite, n.reason.get(lang));
        }
        s.push('\n');
    }
    s
}

/// One finding: message, party, cites, up to ten pieces of evidence, the fix.
/// The policy's ten elements, each with its value and the quotes that decided it.
fn policy_section(s: &mut String, policy: &hegui_model::PolicyFacts, lang: Lang) {
    let zh = matches!(lang, Lang::Zh);
    let t = |z: &'static str, e: &'static str| if zh { z } else { e };
    let _ = writeln!(
        s,
        "## {}: {} ({}, {}, {})\n",
        t("隐私政策", "Privacy policy"),
        policy.source,
        policy.doc_type,
        policy.language,
        policy.encoding
    );
    let _ = writeln!(
        s,
        "| {} | {} | {} |\n|---|---|---|",
        t("要素", "Element"),
        t("结论", "Value"),
        t("依据原文", "Evidence")
    );
    for name in hegui_model::POLICY_ELEMENTS {
        let Some(e) = policy.elements.get(*name) else {
            continue;
        };
        let quotes: Vec<String> = e
            .evidence
            .iter()
            .take(3)
            .map(|q| format!("“{}”", cell(&q.quote)))
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            hegui_model::element_label(name).get(lang),
            e.value.id(),
            quotes.join(" ")
        );
    }
    s.push('\n');
}

fn finding(s: &mut String, f: &hegui_model::Finding, lang: Lang) {
    let zh = lang == Lang::Zh;
    let t = |z: &'static str, e: &'static str| if zh { z } else { e };
    let _ = writeln!(
        s,
        "#### {} {} · {}\n",
        f.code,
        f.severity.label().get(lang),
        f.title.get(lang)
    );
    let _ = writeln!(s, "{}\n", f.message.get(lang));
    let _ = writeln!(s, "- {}: `{}`", t("责任方", "Responsible"), f.party);
    let _ = writeln!(s, "- {}: {}", t("依据", "Cites"), f.cites.join(", "));
    if !f.confirmed_by.is_empty() {
        let seqs: Vec<String> = f.confirmed_by.iter().map(u64::to_string).collect();
        let _ = writeln!(
            s,
            "- {}: seq {}",
            t("动态检测已证实", "Confirmed by the trace"),
            seqs.join(", ")
        );
    }
    for e in f.evidence.iter().take(10) {
        let line = match e {
            Evidence::Code {
                file,
                class,
                method,
                offset,
                api,
            } => {
                format!(
                    "`{class}.{method}` ({file}+0x{offset:x}) {}",
                    api.as_deref().map(|a| format!("`{a}`")).unwrap_or_default()
                )
            }
            Evidence::Manifest {
                element,
                name,
                detail,
            } => {
                format!("`{element}` `{name}` {}", detail.as_deref().unwrap_or(""))
            }
            Evidence::Entry { path, detail } => {
                format!("`{path}` {}", detail.as_deref().unwrap_or(""))
            }
            Evidence::Line {
                file,
                line,
                col,
                detail,
            } => {
                format!(
                    "`{file}:{line}:{col}` {}",
                    detail
                        .as_deref()
                        .map(|d| format!("`{d}`"))
                        .unwrap_or_default()
                )
            }
            Evidence::Span {
                file,
                start,
                end,
                quote,
            } => format!("“{quote}” ({file} {start}–{end})"),
            Evidence::Trace { file, seqs, detail } => format!(
                "{detail} ({file} seq {})",
                seqs.iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Evidence::Request {
                origin,
                method,
                url,
                detail,
            } => format!("`{method} {url}` {detail} ({origin})"),
            Evidence::Listing {
                source,
                store,
                field,
                value,
            } => match value {
                Some(v) => format!("{store} `{field}`: {v} ({source})"),
                None => format!("{store} `{field}`: {} ({source})", t("未展示", "not shown")),
            },
            Evidence::Note { text } => text.clone(),
        };
        let _ = writeln!(s, "- {}: {}", t("证据", "Evidence"), line.trim_end());
    }
    if f.evidence.len() > 10 {
        let _ = writeln!(
            s,
            "- … {} {}",
            f.evidence.len() - 10,
            t("条更多证据", "more")
        );
    }
    let _ = writeln!(
        s,
        "- {}: {}\n",
        t("整改建议", "How to fix"),
        f.remediation.get(lang)
    );
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
