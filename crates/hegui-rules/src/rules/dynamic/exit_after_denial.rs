use hegui_model::Confidence;

use super::trace_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 用户拒绝一项权限后的短时间内（默认 10 秒，可配置）应用进程自行退出（`killProcess`、
    /// `System.exit`、`finishAffinity`）；拒绝后随即崩溃以较低置信度报告。
    ///
    /// The app's process ended by its own hand (`killProcess`, `System.exit`,
    /// `finishAffinity`) shortly after a permission was denied (10 s by default,
    /// configurable); a crash right after a denial is reported with lower confidence.
    ///
    /// ## 为何违规 / Why it matters
    /// 164 号文第 5 项与 T/TAF 078.4 §5.1：不给权限就退出或关闭应用属于强制索取权限；TC260 3.2 e
    /// 要求拒绝非必要权限不影响其他功能。
    ///
    /// Notice 164 item 5 and T/TAF 078.4 §5.1: exiting when a permission is refused forces
    /// the grant; TC260 3.2 e says refusing a non-essential permission must not affect other
    /// functions.
    ///
    /// ## 示例 / Example
    /// seq 7 拒绝 `READ_PHONE_STATE`，2 秒后 seq 8 `System.exit`。
    ///
    /// ## 整改建议 / How to fix
    /// 拒绝后降级提供不依赖该权限的功能，不要退出。
    ///
    /// After a denial keep the functions that do not need the permission; do not exit.
    ///
    /// ## 依据 / References
    /// TTAF078.4-5.1, PG20204-3.2e, MIIT164-05, AM-4.2
    pub struct ExitAfterDenial {
        code: "DYN007",
        name: "exit-after-denial",
        title: ("拒绝权限后应用退出", "App exits when a permission is denied"),
        severity: High,
        cites: ["TTAF078.4-5.1", "PG20204-3.2e", "MIIT164-05", "AM-4.2"],
        needs: [Trace],
        fix: (
            "拒绝权限后继续提供不依赖该权限的功能，不得退出或关闭应用。",
            "Keep working without the permission; never exit on a denial."
        ),
        since: "0.5.0",
    }
}

impl ExitAfterDenial {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        let limit_ms = i64::from(ctx.thresholds.exit_after_denial_seconds) * 1000;
        for exit in &t.exits {
            let crash = exit.how == "crash";
            if !(crash
                || matches!(
                    exit.how.as_str(),
                    "killProcess" | "System.exit" | "finishAffinity"
                ))
            {
                continue;
            }
            let denial = t
                .permissions
                .iter()
                .filter(|p| p.kind == "denied" && p.run_id == exit.run_id)
                .filter(|p| p.at.t_ms <= exit.at.t_ms && exit.at.t_ms - p.at.t_ms <= limit_ms)
                .max_by_key(|p| p.at.t_ms);
            let Some(d) = denial else { continue };
            let secs = (exit.at.t_ms - d.at.t_ms) as f64 / 1000.0;
            let v = Violation::new(
                format!(
                    "拒绝 {} 后 {secs:.1} 秒，应用以 {} 退出。",
                    d.permission, exit.how
                ),
                format!(
                    "{secs:.1} s after {} was denied the app exited ({}).",
                    d.permission, exit.how
                ),
                exit.party.clone(),
                d.permission.clone(),
            )
            .evidence([trace_evidence(
                t,
                &[d.at.seq, exit.at.seq],
                format!(
                    "run {}: {} denied, then {}",
                    exit.run_id, d.permission, exit.how
                ),
            )]);
            out.push(if crash {
                v.confidence(Confidence::Medium)
            } else {
                v
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, run_trace, trace};

    #[test]
    fn exit_within_the_window() {
        let lines = [
            r#"{"type":"permission_request","permissions":["android.permission.READ_PHONE_STATE"]}"#,
            r#"{"type":"permission_result","results":[{"permission":"android.permission.READ_PHONE_STATE","granted":false}]}"#,
            r#"{"type":"process_exit","how":"System.exit","stack":[{"cls":"java.lang.System","method":"exit"},{"cls":"com.example.app.Splash","method":"onDenied"}]}"#,
        ];
        let report = run_trace(
            &ExitAfterDenial::META,
            ExitAfterDenial::check,
            trace(&lines),
            None,
        );
        insta::assert_snapshot!("DYN007_exit", render(&report.findings));
        let late = [
            lines[0],
            lines[1],
            r#"{"type":"process_exit","how":"System.exit","ts":"2026-11-22T10:05:00.000+08:00"}"#,
        ];
        let report = run_trace(
            &ExitAfterDenial::META,
            ExitAfterDenial::check,
            trace(&late),
            None,
        );
        assert!(report.findings.is_empty());
    }
}
