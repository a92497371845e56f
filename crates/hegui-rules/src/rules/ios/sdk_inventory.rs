use crate::rules::android::sdk_inventory::SdkInventory;
use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// iOS 应用中嵌入的、其 SDK 隐私政策声明会收集个人信息的第三方 SDK：以框架（`Frameworks/*.framework`）
    /// 或静态链接的 Objective-C 类名识别，列出运营方、收集的个人信息类别、版本与隐私政策地址。
    /// 这是隐私政策中“第三方 SDK 清单”必须覆盖的内容。与 AND010 相同，但针对 iOS。
    ///
    /// Third-party SDKs in an iOS app whose own policy says they collect PI, identified by
    /// embedded framework or statically linked Objective-C class names, with operator, PI,
    /// version and policy URL: what the policy's SDK list must cover. AND010's iOS twin.
    ///
    /// ## 为何违规 / Why it matters
    /// 《认定方法》二.1 要求逐一列出嵌入 SDK 收集个人信息的目的、方式和范围；GB/T 35273 9.7 要求管理接入的第三方；
    /// 个人信息保护法第 23 条要求告知接收方。本项是清单，与隐私政策比对后才能判断是否“未见明示 SDK”。
    ///
    /// Item 2.1 of the 2019 method, GB/T 35273 9.7 and PIPL art. 23. An inventory, not a
    /// verdict: compare it with the policy's SDK list.
    ///
    /// ## 示例 / Example
    /// `Frameworks/Bugly.framework`（腾讯 Bugly）收集设备信息与崩溃日志。
    ///
    /// ## 整改建议 / How to fix
    /// 在隐私政策的第三方 SDK 清单中逐一列出 SDK 名称、运营方、收集的个人信息、目的、方式及其隐私政策链接。
    ///
    /// List each SDK in the policy's third-party list with its operator, PI, purpose, method
    /// and policy link.
    ///
    /// ## 依据 / References
    /// AM-2.1, GBT-9.7, PIPL-23
    pub struct IosSdkInventory {
        code: "IOS008",
        name: "ios-sdk-collects-pi",
        title: ("嵌入收集个人信息的第三方 SDK（iOS）", "Embedded third-party SDK collects personal information (iOS)"),
        severity: Info,
        cites: ["AM-2.1", "GBT-9.7", "PIPL-23"],
        needs: [IosBundle],
        fix: (
            "在隐私政策的第三方 SDK 清单中逐一列出 SDK 名称、运营方、收集的个人信息、目的、方式及其隐私政策链接。",
            "List each SDK in the policy's third-party SDK list (operator, PI, purpose, method, policy link)."
        ),
        since: "0.2.0",
    }
}

impl IosSdkInventory {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        SdkInventory::check(ctx, out);
    }
}
