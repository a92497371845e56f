use std::collections::BTreeMap;

use hegui_model::{IpcStart, Party};

use super::trace_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 应用或其中的 SDK 启动、绑定或唤醒了其他应用的组件（`ipc_start` 指向其他包名），且之前 2 秒内
    /// 没有用户点击。按（责任方，目标应用）报告。
    ///
    /// The app or an SDK in it started, bound or woke another app's component
    /// (`ipc_start` to another package) with no user tap just before, per party and target.
    ///
    /// ## 为何违规 / Why it matters
    /// 164 号文第 6 项与 T/TAF 078.10：未经告知与同意关联启动其他应用属于违规；推送 SDK 的“联盟唤醒”
    /// 是典型来源。
    ///
    /// Notice 164 item 6 and T/TAF 078.10: starting other apps without notice and consent is
    /// targeted; push SDKs' "alliance wake-up" is the usual source.
    ///
    /// ## 示例 / Example
    /// seq 7 友盟推送以 `service` 方式启动 `com.other.app`。
    ///
    /// ## 整改建议 / How to fix
    /// 关闭推送 SDK 的关联唤醒（各 SDK 控制台或初始化参数提供开关），删除主动拉起其他应用的代码。
    ///
    /// Turn off push SDKs' mutual wake-up (a console or init switch) and remove code that
    /// starts other apps unprompted.
    ///
    /// ## 依据 / References
    /// MIIT164-06, TTAF078.10-3
    pub struct AssociatedStart {
        code: "DYN009",
        name: "associated-start",
        title: ("关联启动其他应用", "Other apps started without the user"),
        severity: Medium,
        cites: ["MIIT164-06", "TTAF078.10-3"],
        needs: [Trace],
        fix: (
            "关闭 SDK 的关联唤醒功能，删除未经用户操作拉起其他应用的代码。",
            "Disable SDK mutual wake-up and stop starting other apps unprompted."
        ),
        since: "0.5.0",
    }
}

impl AssociatedStart {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        let mut groups: BTreeMap<(&Party, &str), Vec<&IpcStart>> = BTreeMap::new();
        for s in t.ipc_starts.iter().filter(|s| !s.user_initiated) {
            groups
                .entry((&s.party, s.target_package.as_str()))
                .or_default()
                .push(s);
        }
        for ((party, target), starts) in groups {
            let who = ctx.party_label(party);
            let mut kinds: Vec<&str> = starts.iter().map(|s| s.kind.as_str()).collect();
            kinds.sort_unstable();
            kinds.dedup();
            let seqs: Vec<u64> = starts.iter().map(|s| s.at.seq).collect();
            out.push(
                Violation::new(
                    format!(
                        "{}在没有用户操作时启动了 {target} 的组件 {} 次（{}）。",
                        who.zh,
                        starts.len(),
                        kinds.join("、")
                    ),
                    format!(
                        "{} started components of {target} {} with no user action ({}).",
                        who.en,
                        super::times(starts.len() as u64),
                        kinds.join(", ")
                    ),
                    party.clone(),
                    target.to_string(),
                )
                .evidence([trace_evidence(
                    t,
                    &seqs,
                    format!(
                        "ipc_start → {target}{}",
                        starts[0]
                            .component
                            .as_ref()
                            .map(|c| format!(" {c}"))
                            .unwrap_or_default()
                    ),
                )]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, run_trace, trace};

    #[test]
    fn starts_of_other_packages_unless_tapped() {
        let start = r#"{"type":"ipc_start","kind":"service","target_package":"com.other.app","component":"com.other.app/.PushService","stack":[{"cls":"android.content.ContextWrapper","method":"startService"},{"cls":"com.umeng.message.PushAgent","method":"wake"}]}"#;
        let report = run_trace(
            &AssociatedStart::META,
            AssociatedStart::check,
            trace(&[start]),
            None,
        );
        insta::assert_snapshot!("DYN009_umeng_push", render(&report.findings));
        let tapped = trace(&[
            r#"{"type":"ui_action","action":"tap","by":"operator"}"#,
            start,
        ]);
        assert!(
            run_trace(&AssociatedStart::META, AssociatedStart::check, tapped, None)
                .findings
                .is_empty()
        );
        let own = trace(&[&start.replace("com.other.app", "com.example.app")]);
        assert!(
            run_trace(&AssociatedStart::META, AssociatedStart::check, own, None)
                .findings
                .is_empty()
        );
    }
}
