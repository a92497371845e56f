#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Write the privacy-policy fixtures in fixtures/policy/ (texts written for hegui's tests).

    python3 scripts/make-policy-fixtures.py          # write
    python3 scripts/make-policy-fixtures.py --check  # exit 1 when a committed file differs

- complete.html  a policy with all ten GB/T 35273 elements, an SDK table (友盟, 极光推送),
                 bold-marked sensitive PI, a 15-working-day promise; UTF-8 HTML.
- gaps.gbk.txt   a short policy in GBK: no complaint channel, no storage period, sensitive
                 PI (身份证号码) never marked, cancellation in 30 working days.
- agreement.md   a user agreement with a privacy section (Markdown).
- english.md     a short English policy.
- personalised-forced.md   personalised recommendations and ads whose only way out is to stop
                           using the app (POL006 fires).
- personalised-opt-out.md  the same uses with a settings path to turn each off (POL006 silent).
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "policy"

COMPLETE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>示例应用隐私政策</title><style>b{color:red}</style></head>
<body>
<h1>示例应用隐私政策</h1>
<p>更新日期：2026年1月1日。本政策适用于示例科技有限公司（以下简称“我们”）运营的示例应用。</p>
<h2>一、我们如何收集和使用您的个人信息</h2>
<h3>1、注册、登录</h3>
<p>当您注册账号时，我们会收集您的<b>手机号码</b>，用于创建账号和验证身份。</p>
<h3>2、附近门店</h3>
<p>当您使用附近门店功能时，我们会收集您的<b>位置信息</b>，用于向您推荐附近的门店。</p>
<h3>3、安全保障</h3>
<p>为保障账号安全，我们会收集设备信息、设备标识符（IMEI、Android ID、OAID）和日志信息。</p>
<p><b>敏感个人信息包括手机号码、位置信息，我们已以粗体标识。</b></p>
<h2>二、第三方SDK</h2>
<table><tr><th>SDK名称</th><th>提供方</th><th>目的</th><th>收集的信息</th></tr>
<tr><td>友盟统计</td><td>友盟同欣（北京）科技有限公司</td><td>统计分析</td><td>设备标识符</td></tr>
<tr><td>极光推送</td><td>深圳市和讯华谷信息技术有限公司</td><td>消息推送</td><td>设备标识符、网络信息</td></tr></table>
<h2>三、存储</h2>
<p>您的个人信息存储在中华人民共和国境内。我们仅在实现目的所必需的最短时间内保留您的个人信息，账号注销后30日内删除。</p>
<h2>四、您的权利</h2>
<p>您可以在“我的-设置”中查询、更正您的个人信息，也可以删除您的个人信息或注销账号。我们将在15个工作日内完成注销。</p>
<h2>五、未成年人保护</h2>
<p>若您是未满14周岁的未成年人，请在监护人同意下使用，我们会依照法律保护未成年人的个人信息。</p>
<h2>六、本政策的更新</h2>
<p>本政策更新时，我们会通过弹窗通知您。</p>
<h2>七、联系我们</h2>
<p>如您对个人信息保护有任何投诉或举报，可发送邮件至 privacy@example.com 或拨打客服电话 400-000-0000，我们将在15个工作日内回复。</p>
<p>注册地址：北京市海淀区示例路1号。</p>
</body></html>
"""

GAPS = """示例工具隐私政策

一、收集的信息
我们会收集您的身份证号码、姓名和设备信息，用于实名认证。
我们会读取您的剪切板内容。

二、注销
您可以申请注销账号，我们将在30个工作日内完成注销。

三、更新
我们可能修订本政策。
"""

AGREEMENT = """# 示例平台用户服务协议

## 一、服务内容
本协议是您与示例网络科技有限公司之间的协议。

## 二、个人信息保护及隐私政策
我们会收集您的手机号码用于登录。如有疑问请联系客服电话 010-12345678。
"""

ENGLISH = """# Example App Privacy Policy

Example Inc. collects your email address and device identifiers to provide the service.
We use your location in order to show nearby stores.
You can access, correct or delete your personal information, and delete your account.
If you have a complaint, contact privacy@example.com.
We will notify you by email when we update this privacy policy.
"""

PERSONALISED_FORCED = """# 示例资讯隐私政策

## 一、我们如何使用您的个人信息
我们会收集您的浏览记录、搜索记录和设备标识符，用于向您进行个性化推荐，并向您展示个性化广告。
我们会基于上述信息形成用户画像，以便为您提供精准推送。

## 二、您的权利
您可以在“我的-设置”中查询、更正您的手机号码和昵称。
如您不希望接收个性化广告，请停止使用本应用或注销账号。

## 三、联系我们
如有疑问，请发送邮件至 privacy@example.com。
"""

PERSONALISED_OPT_OUT = """# 示例资讯隐私政策

## 一、我们如何使用您的个人信息
我们会收集您的浏览记录、搜索记录和设备标识符，用于向您进行个性化推荐，并向您展示个性化广告。

## 二、您的选择
您可以在“我的-设置-隐私设置-个性化推荐”中关闭个性化推荐，关闭后您看到的内容将不再基于您的个人特征。
您也可以在“我的-设置-隐私设置-广告管理”中关闭个性化广告，关闭后仍可正常使用本应用的基本功能。

## 三、联系我们
如有疑问，请发送邮件至 privacy@example.com。
"""

FILES = {
    "complete.html": COMPLETE.encode("utf-8"),
    "gaps.gbk.txt": GAPS.encode("gbk"),
    "agreement.md": AGREEMENT.encode("utf-8"),
    "english.md": ENGLISH.encode("utf-8"),
    "personalised-forced.md": PERSONALISED_FORCED.encode("utf-8"),
    "personalised-opt-out.md": PERSONALISED_OPT_OUT.encode("utf-8"),
}


def main() -> int:
    check = "--check" in sys.argv[1:]
    bad = 0
    for name, data in FILES.items():
        path = OUT / name
        if check:
            if not path.is_file() or path.read_bytes() != data:
                print(f"{path} differs from the script", file=sys.stderr)
                bad += 1
        else:
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    if check:
        print(f"{len(FILES) - bad} of {len(FILES)} files up to date", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
