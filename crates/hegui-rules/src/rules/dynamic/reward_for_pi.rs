use std::collections::BTreeMap;

use hegui_model::{Confidence, Party, PiCategory, RewardRequest, RewardScreen};

use super::trace_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 以奖励诱导提供个人信息：
    /// - 点击写有奖励字样（红包、领取、奖励、抽奖、提现、现金、优惠券、积分…）的元素后
    ///   `reward_request_window_seconds`（默认 10 秒）内申请摄像头、通讯录、位置、生物识别等权限或收集这些信息
    ///   （高置信度）；
    /// - 同一屏（`ui_snapshot`，或导入的 `uiautomator dump`）上奖励字样与身份证号、人脸、指纹、通讯录、位置等请求写在
    ///   同一个元素里（中），或并列出现（低）。
    ///
    /// 只有实名认证、没有奖励字样的页面不报告。
    ///
    /// Rewards offered for personal information: a camera, contacts, location or biometric
    /// permission request (or collection) within `reward_request_window_seconds` (default
    /// 10 s) of a tap on an element offering a reward (high confidence); a screen
    /// (`ui_snapshot`, or an imported `uiautomator dump`) whose labels put a reward next to a
    /// request for an ID number, face, fingerprint, contacts or location, in one label (medium)
    /// or side by side (low). An identity-verification screen that offers no reward is not
    /// reported.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 8 项、T/TAF 078.3 §3：不得以积分、奖励、优惠等方式诱导用户提供身份证号码、人脸、指纹等个人信息；
    /// 个人信息保护法第 28、29 条要求处理敏感个人信息有特定目的和充分必要性并取得单独同意，GB/T 35273 5.4 c 要求收集
    /// 生物识别信息前单独告知。
    ///
    /// Notice 164 item 8 and T/TAF 078.3 §3 forbid using points, rewards or discounts to
    /// induce users to hand over ID numbers, faces or fingerprints; PIPL arts. 28–29 require a
    /// specific purpose, necessity and separate consent for sensitive PI, and GB/T 35273 5.4 c a
    /// separate notice before collecting biometrics.
    ///
    /// ## 示例 / Example
    /// 用户点击“刷脸领 88 元红包”（seq 20），2 秒后应用申请 `android.permission.CAMERA`（seq 21）。
    ///
    /// ## 整改建议 / How to fix
    /// 去掉与提供身份证号、人脸、指纹等挂钩的奖励；确需实名或人脸核验时单独说明目的并取得单独同意，不以奖励换取。
    ///
    /// Drop rewards tied to handing over ID numbers, faces or fingerprints; where identity or
    /// face verification is needed, explain why and ask separately, with nothing offered for it.
    ///
    /// ## 依据 / References
    /// MIIT164-08, TTAF078.3-3, GBT-5.4c, PIPL-28, PIPL-29
    pub struct RewardForPi {
        code: "DYN011",
        name: "reward-for-pi",
        title: ("以奖励诱导提供个人信息", "Rewards offered for personal information"),
        severity: Medium,
        cites: ["MIIT164-08", "TTAF078.3-3", "GBT-5.4c", "PIPL-28", "PIPL-29"],
        needs: [Trace],
        fix: (
            "去掉与提供身份证号、人脸、指纹等挂钩的奖励；确需核验时单独说明目的并取得单独同意，不以奖励换取。",
            "Drop rewards tied to ID numbers, faces or fingerprints; ask separately, with nothing offered, where verification is needed."
        ),
        since: "0.9.0",
    }
}

fn pi_labels(pis: &[PiCategory]) -> (String, String) {
    let zh: Vec<String> = pis.iter().map(|p| p.label().zh).collect();
    let en: Vec<String> = pis.iter().map(|p| p.label().en).collect();
    (zh.join("、"), en.join(", "))
}

impl RewardForPi {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        let mut taps: BTreeMap<(&str, &str), Vec<&RewardRequest>> = BTreeMap::new();
        for r in &t.reward_requests {
            taps.entry((r.tap.label.as_str(), r.request.as_str()))
                .or_default()
                .push(r);
        }
        for ((label, request), requests) in taps {
            let pi = requests[0].pi.label();
            let evidence = requests.iter().take(8).map(|r| {
                trace_evidence(
                    t,
                    &[r.tap.at.seq, r.at.seq],
                    format!(
                        "tap on \"{label}\"{} → {request} {} ms later",
                        r.tap
                            .screen
                            .as_ref()
                            .map(|s| format!(" on {s}"))
                            .unwrap_or_default(),
                        r.at.t_ms - r.tap.at.t_ms
                    ),
                )
            });
            out.push(
                Violation::new(
                    format!("点击奖励“{label}”后随即请求{}（{request}）。", pi.zh),
                    format!(
                        "A tap on the reward \"{label}\" was followed by a request for {} ({request}).",
                        pi.en
                    ),
                    Party::App,
                    format!("tap:{label}:{request}"),
                )
                .pi(requests[0].pi)
                .confidence(Confidence::High)
                .evidence(evidence),
            );
        }
        for screen in &t.reward_screens {
            Self::screen(ctx, t, screen, out);
        }
    }

    fn screen(
        _ctx: &Context<'_>,
        t: &hegui_model::TraceFacts,
        s: &RewardScreen,
        out: &mut Findings<'_>,
    ) {
        let (asks_zh, asks_en) = pi_labels(&s.asks);
        let name = s.screen.as_deref().unwrap_or("");
        let name_zh = if name.is_empty() {
            String::new()
        } else {
            format!(" {name} ")
        };
        let quoted = s.labels.join(" | ");
        let (how_zh, how_en, confidence) = if s.together {
            ("在同一元素中", "in one label", Confidence::Medium)
        } else {
            ("并列", "side by side", Confidence::Low)
        };
        let mut v = Violation::new(
            format!(
                "页面{name_zh}{how_zh}以奖励（{}）换取{asks_zh}：{quoted}。",
                s.rewards.join("、")
            ),
            format!(
                "Screen {name} offers a reward ({}) for {asks_en} {how_en}: {quoted}.",
                s.rewards.join(", ")
            ),
            Party::App,
            format!("screen:{name}:{quoted}"),
        )
        .confidence(confidence)
        .evidence([trace_evidence(
            t,
            &[s.at.seq],
            format!("ui_snapshot {name}: {quoted}"),
        )]);
        if let Some(&pi) = s.asks.first() {
            v = v.pi(pi);
        }
        out.push(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, run_trace, trace};

    #[test]
    fn a_reward_tap_followed_by_a_camera_request() {
        let facts = trace(&[
            r#"{"type":"ui_snapshot","screen":"RewardActivity","elements":[{"text":"刷脸领 88 元红包","resource_id":"com.example.app:id/claim","clickable":true,"bounds":"[90,1800][990,1950]"}]}"#,
            r#"{"type":"ui_action","action":"tap","by":"operator","target":{"resource_id":"com.example.app:id/claim"}}"#,
            r#"{"type":"permission_request","permissions":["android.permission.CAMERA"]}"#,
        ]);
        let report = run_trace(&RewardForPi::META, RewardForPi::check, facts, None);
        let confidences: Vec<Confidence> = report.findings.iter().map(|f| f.confidence).collect();
        // The tap and its request (high), and the screen itself (medium: one label).
        assert_eq!(
            confidences,
            [Confidence::High, Confidence::Medium],
            "{:?}",
            report.findings
        );
        insta::assert_snapshot!("DYN011_face_for_red_packet", render(&report.findings));
    }

    #[test]
    fn identity_verification_without_a_reward_is_not_reported() {
        let facts = trace(&[
            r#"{"type":"ui_snapshot","screen":"VerifyActivity","elements":[{"text":"实名认证"},{"text":"请上传身份证正面照片"},{"text":"下一步","clickable":true}]}"#,
            r#"{"type":"ui_action","action":"tap","by":"operator","target":{"text":"下一步"}}"#,
            r#"{"type":"permission_request","permissions":["android.permission.CAMERA"]}"#,
        ]);
        let report = run_trace(&RewardForPi::META, RewardForPi::check, facts, None);
        assert!(report.findings.is_empty(), "{:?}", report.findings);
    }
}
