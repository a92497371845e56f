use hegui_model::Party;

use super::trace_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 应用被非用户操作启动：进程因广播、推送、服务或内容提供者被拉起（`process_start.reason`），
    /// 或被系统、其他应用启动（`app_start.trigger` 为 `system` / `other_app`）。
    ///
    /// The app was started without the user: its process came up for a broadcast, a push, a
    /// service or a content provider, or the system or another app launched it.
    ///
    /// ## 为何违规 / Why it matters
    /// 164 号文第 6 项与 T/TAF 078.10：未告知、未同意或无合理场景的自启动属于频繁自启动；自启动后
    /// 常伴随后台收集与耗电。
    ///
    /// Notice 164 item 6 and T/TAF 078.10: self-starts without notice, consent or a
    /// reasonable scenario are targeted; they usually come with background collection.
    ///
    /// ## 示例 / Example
    /// 运行 r2：seq 6 进程因 `BOOT_COMPLETED` 广播启动，之前没有用户启动。
    ///
    /// ## 整改建议 / How to fix
    /// 去掉开机、网络变化等唤醒广播接收器与推送 SDK 的拉活配置；确需时在隐私政策中说明并提供关闭入口。
    ///
    /// Remove boot / connectivity wake-up receivers and push-SDK keep-alive settings; where
    /// needed, say so in the policy and offer a switch.
    ///
    /// ## 依据 / References
    /// MIIT164-06, TTAF078.10-3
    pub struct SelfStart {
        code: "DYN008",
        name: "self-start",
        title: ("应用自启动", "App started itself"),
        severity: Medium,
        cites: ["MIIT164-06", "TTAF078.10-3"],
        needs: [Trace],
        fix: (
            "去掉唤醒类广播接收器与拉活配置；确需自启动时告知用户并提供关闭选项。",
            "Remove wake-up receivers and keep-alive settings, or disclose them with a switch."
        ),
        since: "0.5.0",
    }
}

impl SelfStart {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        if t.self_starts.is_empty() {
            return;
        }
        let mut causes: Vec<&str> = t.self_starts.iter().map(|s| s.cause.as_str()).collect();
        causes.sort_unstable();
        causes.dedup();
        let n = t.self_starts.len();
        let evidence = t.self_starts.iter().take(5).map(|s| {
            trace_evidence(
                t,
                &[s.at.seq],
                format!(
                    "run {}: {} ({}){}",
                    s.run_id,
                    s.event,
                    s.cause,
                    s.process
                        .as_ref()
                        .map(|p| format!(" {p}"))
                        .unwrap_or_default()
                ),
            )
        });
        out.push(
            Violation::new(
                format!(
                    "应用 {n} 次在没有用户操作的情况下被启动（{}）。",
                    causes.join("、")
                ),
                format!(
                    "The app was started {} without the user ({}).",
                    super::times(n as u64),
                    causes.join(", ")
                ),
                Party::App,
                "self-start",
            )
            .evidence(evidence),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, run_trace, trace};

    #[test]
    fn starts_not_caused_by_the_user() {
        let facts = trace(&[
            r#"{"type":"process_start","pid":7,"process":"com.example.app:push","reason":"broadcast","cold":true}"#,
        ]);
        let report = run_trace(&SelfStart::META, SelfStart::check, facts, None);
        insta::assert_snapshot!("DYN008_broadcast", render(&report.findings));
        let user = trace(&[
            r#"{"type":"process_start","pid":7,"process":"com.example.app","reason":"launcher","cold":true}"#,
            r#"{"type":"app_start","kind":"cold","trigger":"user"}"#,
        ]);
        assert!(
            run_trace(&SelfStart::META, SelfStart::check, user, None)
                .findings
                .is_empty()
        );
    }
}
