use std::collections::BTreeMap;

use hegui_knowledge::{label_has, ui_vocabulary};
use hegui_model::{Confidence, DownloadKind, DownloadStart, Party};

use super::trace_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 运行记录中应用开始下载、安装或打开应用商店页面（`DownloadManager.enqueue`、提交 `PackageInstaller`
    /// 会话、打开安装器、`market://` 或应用商店包名的 `ipc_start`、请求 `.apk` 文件），而此前
    /// `download_after_tap_seconds`（默认 5 秒）内用户点击的元素并未写明“下载/安装”：
    /// 点的是“关闭、跳过、×、返回”或“领取、红包”等（高置信度），点的是其他文字（中），点的元素没有文字（低），
    /// 或者根本没有点击（中）。被点元素的文字取自点击事件的 `target`，或点击前最近一次 `ui_snapshot`
    /// （按 resource-id 或坐标匹配）。点击“下载”“安装”“更新”后的下载不报告。
    ///
    /// A download, install or app-store page the app started (`DownloadManager.enqueue`, a
    /// committed `PackageInstaller` session, the package installer or a store opened by
    /// `ipc_start`, `market://`, an `.apk` fetched) where the element tapped in the
    /// `download_after_tap_seconds` (default 5 s) before it does not say download or install:
    /// a close, skip, × or back button, or a reward ("领取", "红包") (high confidence); other
    /// words (medium); no words (low); or no tap at all (medium). The tapped element's label
    /// comes from the tap's `target` or from the last `ui_snapshot` before it (matched by
    /// resource id or bounds). A download after a tap on "下载", "安装" or "更新" is not reported.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 7 项整治“欺骗误导用户下载 APP”：以“关闭”“跳过”等按钮或奖励为幌子、未经用户主动选择
    /// 即下载或跳转应用商店。
    ///
    /// Notice 164 item 7 targets deceiving users into downloading apps: a close or skip button
    /// or a reward used as cover, or a download started without the user choosing it.
    ///
    /// ## 示例 / Example
    /// seq 12 用户点击开屏广告上的“跳过”（`com.example:id/skip`），seq 13 即调用
    /// `android.app.DownloadManager#enqueue`。
    ///
    /// ## 整改建议 / How to fix
    /// 下载和跳转应用商店只能由写明“下载/安装”的按钮触发；关闭、跳过按钮只关闭页面；检查广告 SDK 的下载类广告设置
    /// （下载前二次确认）。
    ///
    /// Start downloads and store pages only from a button that says so; let close and skip
    /// only close; turn on the ad SDK's confirm-before-download setting.
    ///
    /// ## 依据 / References
    /// MIIT164-07
    pub struct DisguisedDownload {
        code: "DYN010",
        name: "disguised-download",
        title: ("欺骗误导用户下载应用", "Download started by a disguised tap"),
        severity: Medium,
        cites: ["MIIT164-07"],
        needs: [Trace],
        fix: (
            "下载和跳转应用商店只能由写明“下载/安装”的按钮触发，关闭、跳过按钮只关闭页面，开启广告 SDK 的下载前二次确认。",
            "Start downloads only from a button that says so, let close and skip only close, and turn on the ad SDK's download confirmation."
        ),
        since: "0.9.0",
    }
}

/// What the user tapped before a download, as far as its label tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cue {
    /// A close/skip/back button or a reward.
    Disguised,
    /// Words that do not say download.
    Other,
    /// An element with no words.
    Unlabelled,
    /// No tap at all in the window.
    NoTap,
}

impl Cue {
    fn confidence(self) -> Confidence {
        match self {
            Cue::Disguised => Confidence::High,
            Cue::Other | Cue::NoTap => Confidence::Medium,
            Cue::Unlabelled => Confidence::Low,
        }
    }
}

fn kind_label(kind: DownloadKind) -> (&'static str, &'static str) {
    match kind {
        DownloadKind::Download => ("下载", "download"),
        DownloadKind::Install => ("安装", "install"),
        DownloadKind::Store => ("跳转应用商店", "store page"),
    }
}

impl DisguisedDownload {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(t) = ctx.trace() else { return };
        let vocab = ui_vocabulary();
        let mut groups: BTreeMap<(Cue, String), Vec<&DownloadStart>> = BTreeMap::new();
        for d in &t.downloads {
            let (cue, label) = match &d.tap {
                None => (Cue::NoTap, String::new()),
                Some(tap) if label_has(&tap.label, &vocab.download) => continue,
                Some(tap)
                    if label_has(&tap.label, &vocab.dismiss)
                        || !vocab.rewards_in(&tap.label).is_empty() =>
                {
                    (Cue::Disguised, tap.label.clone())
                }
                Some(tap) if tap.label.is_empty() => (Cue::Unlabelled, String::new()),
                Some(tap) => (Cue::Other, tap.label.clone()),
            };
            groups.entry((cue, label)).or_default().push(d);
        }
        for ((cue, label), downloads) in groups {
            let first = downloads[0];
            let (kind_zh, kind_en) = kind_label(first.kind);
            let (zh, en) = match cue {
                Cue::NoTap => (
                    format!("没有用户点击即开始{kind_zh}（{}）", first.what),
                    format!("A {kind_en} started with no tap ({})", first.what),
                ),
                Cue::Unlabelled => (
                    format!("点击一个没有文字的元素后开始{kind_zh}（{}）", first.what),
                    format!(
                        "A tap on an element with no words started a {kind_en} ({})",
                        first.what
                    ),
                ),
                _ => (
                    format!("点击“{label}”后开始{kind_zh}（{}）", first.what),
                    format!("A tap on \"{label}\" started a {kind_en} ({})", first.what),
                ),
            };
            let count = downloads.len();
            let evidence = downloads.iter().take(8).map(|d| {
                let mut seqs = Vec::new();
                let detail = match &d.tap {
                    Some(tap) => {
                        seqs.push(tap.at.seq);
                        format!(
                            "tap on \"{}\"{}{} → {} {} {} ms later",
                            tap.label,
                            tap.resource_id
                                .as_ref()
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default(),
                            tap.screen
                                .as_ref()
                                .map(|s| format!(" on {s}"))
                                .unwrap_or_default(),
                            kind_label(d.kind).1,
                            d.what,
                            d.at.t_ms - tap.at.t_ms
                        )
                    }
                    None => format!("{} {} with no tap before it", kind_label(d.kind).1, d.what),
                };
                seqs.push(d.at.seq);
                trace_evidence(t, &seqs, detail)
            });
            out.push(
                Violation::new(
                    format!("{zh}，共 {count} 次。"),
                    format!("{en}, {}.", super::times(count as u64)),
                    Party::App,
                    format!("{cue:?}:{label}"),
                )
                .confidence(cue.confidence())
                .evidence(evidence),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{render, run_trace, trace};

    const ENQUEUE: &str = r#"{"type":"api_call","category":"download.enqueue","api":{"cls":"android.app.DownloadManager","method":"enqueue"}}"#;

    #[test]
    fn a_skip_button_that_downloads() {
        let facts = trace(&[
            r#"{"type":"ui_snapshot","screen":"SplashAdActivity","elements":[{"text":"跳过","resource_id":"com.example.app:id/skip","clickable":true,"bounds":"[900,60][1040,140]"}]}"#,
            r#"{"type":"ui_action","action":"tap","by":"automation","target":{"bounds":"[900,60][1040,140]"}}"#,
            ENQUEUE,
        ]);
        let report = run_trace(
            &DisguisedDownload::META,
            DisguisedDownload::check,
            facts,
            None,
        );
        assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
        let f = &report.findings[0];
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.message.en.contains("\"跳过\""), "{}", f.message.en);
        insta::assert_snapshot!("DYN010_skip_downloads", render(&report.findings));
    }

    #[test]
    fn an_honest_download_button_is_not_reported() {
        let facts = trace(&[
            r#"{"type":"ui_action","action":"tap","by":"operator","target":{"text":"立即下载"}}"#,
            r#"{"type":"ipc_start","kind":"activity","target_package":"com.huawei.appmarket","url":"market://details?id=com.other.game"}"#,
        ]);
        assert_eq!(facts.downloads.len(), 1);
        let report = run_trace(
            &DisguisedDownload::META,
            DisguisedDownload::check,
            facts,
            None,
        );
        assert!(report.findings.is_empty(), "{:?}", report.findings);
    }

    #[test]
    fn a_store_page_with_no_tap_and_an_apk_after_an_unlabelled_tap() {
        let facts = trace(&[
            r#"{"type":"ipc_start","kind":"activity","target_package":"com.xiaomi.market"}"#,
            r#"{"type":"ui_action","action":"tap","by":"operator","target":{"bounds":"[0,0][10,10]"}}"#,
            r#"{"type":"network_request","method":"GET","url":"https://cdn.example.com/game.apk?sig=1"}"#,
        ]);
        let report = run_trace(
            &DisguisedDownload::META,
            DisguisedDownload::check,
            facts,
            None,
        );
        let got: Vec<(Confidence, bool)> = report
            .findings
            .iter()
            .map(|f| (f.confidence, f.message.en.contains("no tap")))
            .collect();
        assert_eq!(got.len(), 2, "{:?}", report.findings);
        assert!(got.contains(&(Confidence::Medium, true)));
        assert!(got.contains(&(Confidence::Low, false)));
    }
}
