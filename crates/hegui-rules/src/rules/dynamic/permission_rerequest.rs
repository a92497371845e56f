use std::collections::BTreeMap;

use hegui_model::{Party, PermissionEvent};

use super::trace_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 用户拒绝某项权限后，48 小时内（跨多次运行）同一权限又被申请超过 1 次。用户勾选“不再询问”
    /// 之后系统不再弹窗，这类申请不计入。窗口和次数可用 `--thresholds` 配置。
    ///
    /// After the user denied a permission, it was requested again more than once within 48
    /// hours (across runs). Requests after "don't ask again" show no dialog and are not
    /// counted. Window and count are configurable with `--thresholds`.
    ///
    /// ## 为何违规 / Why it matters
    /// TC260-PG-20204A 3.2 f：拒绝后单个场景 48 小时内弹窗超过 1 次即属频繁申请；164 号文第 5 项
    /// 整治频繁索取权限。
    ///
    /// TC260-PG-20204A 3.2 f: more than one prompt within 48 h of a refusal is frequent;
    /// notice 164 item 5 targets frequent permission requests.
    ///
    /// ## 示例 / Example
    /// seq 7 拒绝 `ACCESS_FINE_LOCATION`，23 小时后的运行中 seq 13、15 再次申请。
    ///
    /// ## 整改建议 / How to fix
    /// 记录拒绝时间，48 小时内不再主动弹窗；仅在用户主动使用相关功能时再次说明并申请。
    ///
    /// Remember the refusal and do not prompt again within 48 h; ask again only when the
    /// user starts the related function.
    ///
    /// ## 依据 / References
    /// PG20204-3.2f, TTAF078.4-5.5, TTAF078.4-5.2, MIIT164-05, AM-3.2, GBT-5.3
    pub struct PermissionRerequest {
        code: "DYN006",
        name: "permission-rerequest",
        title: ("拒绝后频繁申请权限", "Permission asked again too soon after a denial"),
        severity: Medium,
        cites: ["PG20204-3.2f", "TTAF078.4-5.5", "TTAF078.4-5.2", "MIIT164-05", "AM-3.2", "GBT-5.3"],
        needs: [Trace],
        fix: (
            "用户拒绝后 48 小时内不再弹窗申请同一权限，仅在用户主动使用相关功能时再申请。",
            "Do not ask again within 48 h of a denial unless the user starts the function."
        ),
        since: "0.5.0",
    }
}

impl PermissionRerequest {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        let window_ms = i64::from(ctx.thresholds.permission_rerequest_window_hours) * 3_600_000;
        let max = ctx.thresholds.max_prompts_after_denial as usize;
        let mut by_permission: BTreeMap<&str, Vec<&PermissionEvent>> = BTreeMap::new();
        for e in &t.permissions {
            by_permission
                .entry(e.permission.as_str())
                .or_default()
                .push(e);
        }
        for (permission, mut events) in by_permission {
            events.sort_by_key(|e| (e.at.t_ms, e.at.seq));
            let Some((denial, asked)) = worst_denial(&events, window_ms) else {
                continue;
            };
            if asked.len() <= max {
                continue;
            }
            let hours =
                (asked.last().map_or(0, |e| e.at.t_ms) - denial.at.t_ms) as f64 / 3_600_000.0;
            let hours_limit = ctx.thresholds.permission_rerequest_window_hours;
            let party = asked
                .iter()
                .map(|e| e.party.clone())
                .find(|p| *p != Party::Unknown)
                .unwrap_or(Party::App);
            let mut seqs = vec![denial.at.seq];
            seqs.extend(asked.iter().map(|e| e.at.seq));
            out.push(
                Violation::new(
                    format!("用户拒绝 {permission} 后，{hours:.1} 小时内又申请了 {} 次（{hours_limit} 小时内至多 {max} 次）。", asked.len()),
                    format!("After {permission} was denied it was requested {} more within {hours:.1} h (at most {max} in {hours_limit} h).", super::times(asked.len() as u64)),
                    party,
                    permission.to_string(),
                )
                .evidence([trace_evidence(
                    t,
                    &seqs,
                    format!("denied in run {}, then requested at seq {}", denial.run_id, asked.iter().map(|e| e.at.seq.to_string()).collect::<Vec<_>>().join(", ")),
                )]),
            );
        }
    }
}

/// The denial followed by the most requests within the window (stopping at "don't ask
/// again", after which the system shows nothing).
fn worst_denial<'e>(
    events: &[&'e PermissionEvent],
    window_ms: i64,
) -> Option<(&'e PermissionEvent, Vec<&'e PermissionEvent>)> {
    let mut best: Option<(&PermissionEvent, Vec<&PermissionEvent>)> = None;
    for (i, d) in events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == "denied")
    {
        if d.never_ask_again {
            continue;
        }
        let mut asked = Vec::new();
        for e in &events[i + 1..] {
            if e.at.t_ms - d.at.t_ms > window_ms || (e.kind == "denied" && e.never_ask_again) {
                break;
            }
            if e.kind == "request" {
                asked.push(*e);
            }
        }
        if best.as_ref().is_none_or(|(_, b)| asked.len() > b.len()) {
            best = Some((d, asked));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, run_trace, trace};

    fn ask(p: &str, ts: &str, run: &str) -> String {
        format!(
            r#"{{"type":"permission_request","permissions":["{p}"],"ts":"{ts}","run_id":"{run}"}}"#
        )
    }

    fn answer(p: &str, ts: &str, run: &str, never: bool) -> String {
        format!(
            r#"{{"type":"permission_result","results":[{{"permission":"{p}","granted":false,"never_ask_again":{never}}}],"ts":"{ts}","run_id":"{run}"}}"#
        )
    }

    #[test]
    fn counts_prompts_within_48_hours_across_runs() {
        let loc = "android.permission.ACCESS_FINE_LOCATION";
        let lines = [
            ask(loc, "2026-11-22T10:00:01.000+08:00", "r1"),
            answer(loc, "2026-11-22T10:00:02.000+08:00", "r1", false),
            ask(loc, "2026-11-23T09:00:00.000+08:00", "r2"),
            ask(loc, "2026-11-23T09:05:00.000+08:00", "r2"),
        ];
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let report = run_trace(
            &PermissionRerequest::META,
            PermissionRerequest::check,
            trace(&refs),
            None,
        );
        insta::assert_snapshot!("DYN006_location", render(&report.findings));
        // Once after 50 hours: fine.
        let late = [
            refs[0],
            refs[1],
            &ask(loc, "2026-11-24T12:00:03.000+08:00", "r2"),
        ];
        let report = run_trace(
            &PermissionRerequest::META,
            PermissionRerequest::check,
            trace(&late),
            None,
        );
        assert!(report.findings.is_empty());
        // "Don't ask again": the system shows nothing.
        let never = [
            refs[0].to_string(),
            answer(loc, "2026-11-22T10:00:02.000+08:00", "r1", true),
            lines[2].clone(),
            lines[3].clone(),
        ];
        let refs: Vec<&str> = never.iter().map(String::as_str).collect();
        let report = run_trace(
            &PermissionRerequest::META,
            PermissionRerequest::check,
            trace(&refs),
            None,
        );
        assert!(report.findings.is_empty());
    }
}
