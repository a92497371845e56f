use hegui_model::AppState;

use super::{category_label, collects, trace_evidence};
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 同一责任方在一个滑动窗口（默认 60 秒）内调用同一类个人信息接口的次数超过阈值（默认前台 10 次、
    /// 后台 3 次；定位、传感器等按类别另设），阈值可用 `--thresholds` 配置。
    ///
    /// One party called one category of PI API more often within a sliding window (60 s by
    /// default) than the limit (10 in the foreground and 3 in the background by default, with
    /// per-category limits for location and sensors), configurable with `--thresholds`.
    ///
    /// ## 为何违规 / Why it matters
    /// T/TAF 078.1 §3.2/§3.4/§3.6/§3.8 与《认定方法》四.4：收集频度超出业务实际需要属于超频次收集；
    /// 反复轮询剪切板、应用列表、位置是通报常见问题。
    ///
    /// T/TAF 078.1 §3.2/§3.4/§3.6/§3.8 and the 2019 method 4.4: collecting more often than the
    /// function needs is over-frequent collection; polling clipboard, app list or location
    /// is a common finding in MIIT notices.
    ///
    /// ## 示例 / Example
    /// 友盟在 37.7 秒内读取剪切板 30 次（seq 6–35）。
    ///
    /// ## 整改建议 / How to fix
    /// 缓存不变的标识，只在功能需要时读取；去掉定时轮询，改为事件触发。
    ///
    /// Cache identifiers that do not change, read only when a function needs it, and replace
    /// polling with event-driven reads.
    ///
    /// ## 依据 / References
    /// TTAF078.1-3.2, TTAF078.1-3.4, TTAF078.1-3.6, TTAF078.1-3.8, AM-4.4, MIIT164-02, GBT-5.2
    pub struct FrequentCollection {
        code: "DYN005",
        name: "frequent-collection",
        title: ("高频收集个人信息", "PI collected at a high frequency"),
        severity: Medium,
        cites: ["TTAF078.1-3.2", "TTAF078.1-3.4", "TTAF078.1-3.6", "TTAF078.1-3.8", "AM-4.4", "MIIT164-02", "GBT-5.2"],
        needs: [Trace],
        fix: (
            "缓存不变的信息，按需读取，去掉定时轮询。",
            "Cache what does not change, read on demand, stop polling."
        ),
        since: "0.5.0",
    }
}

impl FrequentCollection {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        for p in t.rate_peaks.iter().filter(|p| collects(&p.category)) {
            let background = p.state == AppState::Background;
            let limit = ctx.thresholds.max_per_window(&p.category, background);
            if p.peak <= u64::from(limit) {
                continue;
            }
            let who = ctx.party_label(&p.party);
            let cat = category_label(&p.category);
            let secs = p.window_ms / 1000;
            let span = (p.to.t_ms - p.from.t_ms) as f64 / 1000.0;
            let (state_zh, state_en) = if background {
                ("后台", "background")
            } else {
                ("前台", "foreground")
            };
            out.push(
                Violation::new(
                    format!(
                        "{}在{state_zh}于 {secs} 秒窗口内访问「{}」{} 次（阈值 {limit}），集中在 {span:.1} 秒内。",
                        who.zh, cat.zh, p.peak
                    ),
                    format!(
                        "{} accessed {} {} within a {secs} s window in the {state_en} (limit {limit}), all within {span:.1} s.", who.en, cat.en, super::times(p.peak)
                    ),
                    p.party.clone(),
                    format!("{}:{state_en}", p.category),
                )
                .evidence([trace_evidence(
                    t,
                    &[p.from.seq, p.to.seq],
                    format!("{} {} ×{} in run {} (first and last event of the busiest window)", p.party, p.category, p.peak, p.run_id),
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
    fn over_the_limit_in_one_window() {
        let mut lines = vec![
            r#"{"type":"consent_accepted","dialog_id":"d1"}"#.to_string(),
            r#"{"type":"app_start","kind":"cold","trigger":"user"}"#.to_string(),
        ];
        for i in 0..12 {
            lines.push(
                call(
                    "clipboard.read",
                    "com.umeng.commonsdk.statistics.common.DeviceConfig",
                )
                .replace(
                    r#""type""#,
                    &format!(r#""ts":"2026-11-22T10:01:{:02}.000+08:00","type""#, i * 2),
                ),
            );
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let report = run_trace(
            &FrequentCollection::META,
            FrequentCollection::check,
            trace(&refs),
            None,
        );
        insta::assert_snapshot!("DYN005_umeng", render(&report.findings));
        // Ten calls are within the default limit.
        let report = run_trace(
            &FrequentCollection::META,
            FrequentCollection::check,
            trace(&refs[..12]),
            None,
        );
        assert!(report.findings.is_empty(), "{}", render(&report.findings));
    }
}
