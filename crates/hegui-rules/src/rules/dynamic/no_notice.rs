use hegui_model::{Party, Severity};

use super::trace_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 一次运行（冷启动到退出）中收集了个人信息，却从未出现隐私政策提示（`consent_shown`），且此前
    /// 没有哪次运行已获得同意。隐私政策弹窗预先勾选“同意”时同样报告。
    ///
    /// A run collected PI but no privacy notice was ever shown, and no earlier run of the
    /// trace had consent. A notice whose "agree" box came ticked is reported too.
    ///
    /// ## 为何违规 / Why it matters
    /// 《认定方法》一.2 要求首次运行时以弹窗等明显方式提示用户阅读隐私政策；三.4 禁止以默认勾选等
    /// 非明示方式征求同意。
    ///
    /// The 2019 method 1.2 requires a conspicuous prompt to read the policy at first run;
    /// 3.4 forbids consent by default ticks.
    ///
    /// ## 示例 / Example
    /// 运行 r1：seq 1 启动，seq 4 读取 IMEI，全程没有隐私政策弹窗。
    ///
    /// ## 整改建议 / How to fix
    /// 首次启动先弹出隐私政策摘要与链接，提供“同意”“不同意”按钮，勾选框默认不勾选。
    ///
    /// Show the policy summary and link at first start with agree / disagree buttons and
    /// no pre-ticked box.
    ///
    /// ## 依据 / References
    /// AM-1.2, AM-3.4, MIIT164-01, TTAF078.6-3.1, TTAF078.6-3.8
    pub struct NoNotice {
        code: "DYN003",
        name: "no-privacy-notice",
        title: ("收集个人信息前未提示隐私政策", "No privacy notice before collection"),
        severity: High,
        cites: ["AM-1.2", "AM-3.4", "MIIT164-01", "TTAF078.6-3.1", "TTAF078.6-3.8"],
        needs: [Trace],
        fix: (
            "首次运行以弹窗提示隐私政策并取得用户主动同意，不得默认勾选。",
            "Prompt the policy at first run and get an active, unticked agreement."
        ),
        since: "0.5.0",
    }
}

impl NoNotice {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        let silent: Vec<_> = t
            .runs
            .iter()
            .filter(|r| !r.consent_inherited && r.consent_shown.is_none() && r.collected > 0)
            .collect();
        if !silent.is_empty() {
            let ids: Vec<&str> = silent.iter().map(|r| r.run_id.as_str()).collect();
            let evidence = silent.iter().take(5).map(|r| {
                let seqs: Vec<u64> = r
                    .marks
                    .iter()
                    .filter(|m| m.kind == "collect")
                    .map(|m| m.seq)
                    .take(5)
                    .collect();
                trace_evidence(
                    t,
                    &seqs,
                    format!(
                        "run {}: {} collecting calls, no consent_shown",
                        r.run_id, r.collected
                    ),
                )
            });
            out.push(
                Violation::new(
                    format!(
                        "运行 {} 收集了个人信息，但从未出现隐私政策提示。",
                        ids.join("、")
                    ),
                    format!(
                        "Run {} collected PI but never showed a privacy notice.",
                        ids.join(", ")
                    ),
                    Party::App,
                    "no-notice",
                )
                .evidence(evidence),
            );
        }
        let preticked: Vec<_> = t.runs.iter().filter(|r| r.preticked).collect();
        if let Some(first) = preticked.first() {
            let seqs: Vec<u64> = first.consent_shown.iter().map(|s| s.seq).collect();
            out.push(
                Violation::new(
                    "隐私政策弹窗的“同意”勾选框默认已勾选。",
                    "The privacy notice came with its agree box ticked in advance.",
                    Party::App,
                    "preticked",
                )
                .severity(Severity::Medium)
                .evidence([trace_evidence(
                    t,
                    &seqs,
                    format!("run {}: preticked_checkbox", first.run_id),
                )]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{call, render, run_trace, trace};

    #[test]
    fn silent_runs_and_preticked_boxes() {
        let facts = trace(&[
            r#"{"type":"app_start","kind":"cold","trigger":"automation"}"#,
            &call("device_id.imei", "com.example.app.Main"),
        ]);
        let report = run_trace(&NoNotice::META, NoNotice::check, facts, None);
        insta::assert_snapshot!("DYN003_silent", render(&report.findings));
        // Consent given in r1 carries to r2, which shows nothing and is fine.
        let facts = trace(&[
            r#"{"type":"consent_shown","dialog_id":"d1","kind":"privacy_policy","preticked_checkbox":true}"#,
            r#"{"type":"consent_accepted","dialog_id":"d1"}"#,
            &call("device_id.imei", "com.example.app.Main")
                .replace(r#""type""#, r#""run_id":"r2","type""#),
        ]);
        let report = run_trace(&NoNotice::META, NoNotice::check, facts, None);
        assert_eq!(report.findings.len(), 1);
        assert!(report.findings[0].message.en.contains("ticked"));
    }
}
