use hegui_model::Party;

use super::span_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 隐私政策承诺的注销或投诉处理时限超过 15 个工作日（按自然日写的，超过 21 天）。
    ///
    /// The policy promises to handle account cancellation or complaints in more than 15
    /// working days (more than 21 days when it counts calendar days).
    ///
    /// ## 为何违规 / Why it matters
    /// 认定方法 6.3、6.5 与 GB/T 35273 8.5：需人工处理的注销、投诉应在承诺时限内完成，且不超过 15 个工作日。
    ///
    /// Method items 6.3 and 6.5 and GB/T 35273 8.5 cap these at 15 working days.
    ///
    /// ## 示例 / Example
    /// “我们将在 30 个工作日内完成注销”。
    ///
    /// ## 整改建议 / How to fix
    /// 将时限改为不超过 15 个工作日，并按承诺执行。
    ///
    /// Promise (and keep) at most 15 working days.
    ///
    /// ## 依据 / References
    /// AM-6.3, AM-6.5, GBT-8.5
    pub struct ResponseTooSlow {
        code: "POL004",
        name: "response-too-slow",
        title: ("注销或投诉处理时限超过 15 个工作日", "Cancellation or complaint handling beyond 15 working days"),
        severity: Medium,
        cites: ["AM-6.3", "AM-6.5", "GBT-8.5"],
        needs: [Policy],
        fix: (
            "将注销与投诉的处理时限改为不超过 15 个工作日。",
            "Promise at most 15 working days for cancellation and complaints."
        ),
        since: "0.4.0",
    }
}

/// 15 working days, and the calendar days they span at most (three weeks).
const MAX_WORKING_DAYS: u32 = 15;
const MAX_CALENDAR_DAYS: u32 = 21;

impl ResponseTooSlow {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(policy) = ctx.policy() else { return };
        for r in &policy.response_times {
            let limit = if r.working_days {
                MAX_WORKING_DAYS
            } else {
                MAX_CALENDAR_DAYS
            };
            if !matches!(r.topic.as_str(), "cancellation" | "complaint") || r.days <= limit {
                continue;
            }
            let (zh, en) = if r.topic == "cancellation" {
                ("注销", "cancellation")
            } else {
                ("投诉处理", "complaint handling")
            };
            let unit = if r.working_days {
                ("个工作日", " working days")
            } else {
                ("天", " days")
            };
            out.push(
                Violation::new(
                    format!(
                        "隐私政策承诺的{zh}时限为 {}{}，超过 15 个工作日。",
                        r.days, unit.0
                    ),
                    format!(
                        "The policy promises {en} within {}{}, beyond 15 working days.",
                        r.days, unit.1
                    ),
                    Party::App,
                    format!("{}:{}", r.topic, r.days),
                )
                .evidence([span_evidence(policy, &r.span)]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{ResponseTime, TextSpan};

    use super::*;
    use crate::testing::{policy, render, run_policy};

    #[test]
    fn beyond_fifteen_working_days() {
        let mut facts = policy();
        let time = |topic: &str, days, working_days| ResponseTime {
            topic: topic.into(),
            days,
            working_days,
            span: TextSpan {
                start: 10,
                end: 16,
                quote: format!("{days}个工作日"),
                source: None,
            },
        };
        facts.response_times = vec![
            time("cancellation", 15, true),
            time("complaint", 20, false),
            time("request", 30, true),
        ];
        assert!(
            run_policy(
                &ResponseTooSlow::META,
                ResponseTooSlow::check,
                facts.clone()
            )
            .findings
            .is_empty()
        );
        facts.response_times.push(time("cancellation", 30, true));
        let report = run_policy(&ResponseTooSlow::META, ResponseTooSlow::check, facts);
        insta::assert_snapshot!("POL004_fail", render(&report.findings));
    }
}
