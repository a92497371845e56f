//! The UI's words, in zh-CN (the default) and English.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

const TEXT: &[(&str, &str, &str)] = &[
    ("dashboard", "仪表盘", "Dashboard"),
    ("scans", "检测任务", "Scans"),
    ("scan", "检测任务", "Scan"),
    ("apps", "应用", "Apps"),
    ("app", "应用", "App"),
    ("app_page", "应用页面", "app page"),
    ("logout", "退出", "Log out"),
    ("login", "登录", "Log in"),
    ("username", "用户名", "Username"),
    ("password", "密码", "Password"),
    (
        "login_failed",
        "用户名或密码不正确。",
        "Wrong username or password.",
    ),
    ("other_language", "English", "中文"),
    ("queued", "排队中", "Queued"),
    ("running", "检测中", "Running"),
    ("failed", "失败", "Failed"),
    ("scans_24h", "24 小时内提交", "Submitted in 24 h"),
    (
        "scans_per_hour",
        "每小时提交的检测任务（24 小时）",
        "Scans per hour (last 24 h)",
    ),
    ("beijing_time", "北京时间，按小时", "Beijing time, by hour"),
    (
        "by_task",
        "按 164 号文整治任务统计的问题",
        "Findings by notice 164 task",
    ),
    ("by_sdk", "按 SDK 统计的问题", "Findings by SDK"),
    ("task", "整治任务", "Task"),
    ("findings", "问题", "Findings"),
    ("finding", "问题", "Finding"),
    ("none", "暂无", "None yet"),
    ("upload", "上传安装包", "Upload a package"),
    ("upload_button", "上传并检测", "Upload and scan"),
    (
        "upload_hint",
        "APK、XAPK、IPA、小程序包（.wxapkg）等；同一安装包只检测一次。",
        "APK, XAPK, IPA, mini-program packages (.wxapkg) and more; a package is analysed once.",
    ),
    ("upload_failed", "上传失败", "Upload failed"),
    ("file", "文件", "File"),
    ("status", "状态", "Status"),
    ("submitted", "提交时间", "Submitted"),
    ("status_queued", "排队中", "queued"),
    ("status_running", "检测中", "running"),
    ("status_done", "已完成", "done"),
    ("status_failed", "失败", "failed"),
    ("error", "错误", "Error"),
    ("full_report", "完整检测报告", "Full report"),
    ("rule", "规则", "Rule"),
    ("severity", "严重程度", "Severity"),
    ("party", "责任方", "Responsible"),
    ("cites", "依据", "Cites"),
    ("engine", "检测引擎", "Engine"),
    ("engines", "检测引擎", "Engines"),
    ("sev_critical", "严重", "critical"),
    ("sev_high", "高", "high"),
    ("sev_medium", "中", "medium"),
    ("sev_low", "低", "low"),
    ("sev_info", "提示", "info"),
    ("search", "搜索", "Search"),
    ("platform", "平台", "Platform"),
    ("owner", "运营者", "Operator"),
    ("versions", "版本数", "Versions"),
    ("version", "版本", "Version"),
    ("signer", "签名证书", "Signing certificate"),
    ("kind_ministry", "工业和信息化部", "Ministry"),
    ("kind_bureau", "通信管理局", "Provincial bureau"),
    ("kind_lab", "检测机构", "Testing lab"),
    ("kind_enterprise", "企业", "Enterprise"),
    ("kind_store", "应用商店", "App store"),
    ("updated", "更新时间", "Updated"),
    ("cases", "整改案件", "Cases"),
    ("notices", "公开通报", "Public notices"),
    ("notice_title", "通报标题", "Title"),
    ("notice_draft", "生成通报草稿", "Draft a notice"),
    (
        "notice_hint",
        "草稿收录已进入公开通报步骤的升级案件和待通报的问题复现；须由作者以外的人员审核发布。",
        "A draft takes escalated cases at the public-notice step and recurrences waiting for notice; someone other than its author publishes it.",
    ),
    ("items", "条目", "Items"),
    ("published", "已发布", "Published"),
    ("draft", "草稿", "Draft"),
    ("public_page", "公开页面", "Public page"),
    ("publish", "审核并发布", "Review and publish"),
    (
        "publish_hint",
        "发布人须为草稿作者以外的人员。",
        "Published by someone other than the author.",
    ),
    ("triage", "投诉分拣", "Complaint triage"),
    ("all_complaints", "全部投诉", "All complaints"),
    ("duplicates", "合并的重复投诉", "Duplicates merged"),
    ("accept", "受理", "Accept"),
    ("resolve", "办结", "Resolve"),
    ("reject", "不予受理", "Reject"),
    ("merge_into", "合并到投诉 #", "Merge into #"),
    ("attach", "上传文书", "Attach"),
    ("doc_decision", "处置决定书", "Decision"),
    ("doc_statement", "整改报告", "Statement"),
    ("doc_evidence", "证据材料", "Evidence"),
    ("doc_screenshot", "截图", "Screenshot"),
    ("doc_other", "其他", "Other"),
    ("st_open", "待整改", "To rectify"),
    ("st_fixed", "已整改", "Fixed"),
    ("st_remaining", "仍存在", "Remaining"),
    ("measure", "处置措施", "Measure"),
    ("case", "案件", "Case"),
    ("clues", "违规线索", "Clues"),
    ("messages", "消息", "Messages"),
    ("state", "状态", "State"),
    ("deadline", "整改期限", "Deadline"),
    ("notified_on", "通知日期", "Notified"),
    ("overdue", "已逾期", "Overdue"),
    ("overdue_only", "只看逾期", "Overdue only"),
    ("all_cases", "全部案件", "All cases"),
    ("working_days", "个工作日", "working days"),
    (
        "open_case",
        "立案（本版本全部问题）",
        "Open a case (all findings of this version)",
    ),
    ("events", "办理记录", "History"),
    ("escalations", "升级处置", "Escalation"),
    ("next_step", "下一步处置", "Next step"),
    ("reference_no", "文号", "Document number"),
    ("detail", "说明", "Detail"),
    ("documents", "文书材料", "Documents"),
    ("submissions", "整改提交", "Rectifications"),
    (
        "rectify_title",
        "提交整改版本和整改说明",
        "Hand in the rectified version and statement",
    ),
    ("statement", "整改说明", "Rectification statement"),
    (
        "statement_file",
        "整改报告（可选）",
        "Statement document (optional)",
    ),
    ("rectified_package", "整改后的安装包", "Rectified package"),
    ("submit", "提交", "Submit"),
    ("note", "备注", "Note"),
    ("retest_version", "复测版本", "Re-tested version"),
    ("outcome", "结果", "Outcome"),
    ("no_messages", "暂无消息", "No messages"),
    ("clue_due", "本期截止日", "Due this period"),
    ("file_clue", "报送线索", "File a clue"),
    ("bureau", "通信管理局", "Bureau"),
    ("province", "省份", "Province"),
    ("on_time", "按时报送", "On time"),
    ("app_name", "应用名称", "App name"),
    ("store", "应用商店", "Store"),
    ("description", "问题描述", "Description"),
    ("filed_on", "报送日期", "Filed"),
    ("period", "期次", "Period"),
    ("open_cases", "办理中的案件", "Open cases"),
    ("overdue_cases", "逾期案件", "Overdue cases"),
    ("unread_messages", "未读消息", "Unread messages"),
    ("complaints_received", "待分拣投诉", "Complaints to triage"),
    ("complaints_total", "投诉总数", "Complaints in all"),
    (
        "complaint_title",
        "App 侵害用户权益投诉",
        "Complain about an app",
    ),
    (
        "complaint_intro",
        "无需注册。请如实填写；提交后会得到投诉编号，凭编号查询处理进度。",
        "No account needed. Describe what happened; you get a reference number to check progress with.",
    ),
    ("complaint_app", "应用名称", "App name"),
    (
        "complaint_store",
        "下载来源（应用商店）",
        "Where you got it (store)",
    ),
    ("complaint_problem", "问题类型", "Type of problem"),
    ("complaint_description", "问题描述", "What happened"),
    (
        "complaint_screenshots",
        "截图（可选，最多 3 张，每张不超过 5 MB）",
        "Screenshots (optional, up to 3, 5 MB each)",
    ),
    (
        "complaint_contact",
        "联系方式（可选）",
        "How to reach you (optional)",
    ),
    ("complaint_challenge", "验证题：", "Check question:"),
    ("complaint_submit", "提交投诉", "Submit"),
    ("complaint_received", "投诉已提交", "Complaint received"),
    ("complaint_reference", "投诉编号", "Reference number"),
    (
        "complaint_keep",
        "请妥善保存投诉编号，凭编号查询处理进度。",
        "Keep the reference number: it is how you check the progress.",
    ),
    (
        "complaint_check",
        "查询投诉处理进度",
        "Check a complaint's progress",
    ),
    (
        "complaint_unknown",
        "未找到该编号的投诉，请核对编号。",
        "No complaint has that reference number; check it.",
    ),
];

/// Every word of the UI in one language, for the templates (`{{ t.dashboard }}`).
pub fn words(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    TEXT.iter()
        .map(|(key, zh, en)| (*key, lang.pick(zh, en)))
        .collect()
}

pub fn word(lang: Lang, key: &str) -> &'static str {
    TEXT.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| lang.pick(zh, en))
        .unwrap_or("")
}
