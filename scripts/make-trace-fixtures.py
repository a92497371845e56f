#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Write the dynamic-trace fixtures in fixtures/trace/ (hegui-trace v1 JSON Lines, a HAR file and
a policy text, all written for hegui's tests).

    python3 scripts/make-trace-fixtures.py          # write
    python3 scripts/make-trace-fixtures.py --check  # exit 1 when a committed file differs

Every file is built in memory from the constants below (fixed clock, no randomness), so a
rebuild is byte-identical. fixtures/trace/README.md is written by this script too: it lists what
each file must and must not trigger, with the seq numbers and fixture values computed here.

- clean.jsonl              consent first, then a little foreground collection; nothing fires.
- pre_consent.jsonl        Umeng and GDT read device ids before the notice: DYN001 x2.
- rejected.jsonl           Bugly reads android_id after 不同意: DYN002 (not DYN001).
- no_notice.jsonl          no consent events at all: DYN003 and DYN001.
- background.jsonl         location read while in background: DYN004.
- frequent.jsonl           Umeng reads the clipboard 30 times in 40 s: DYN005.
- rerequest.jsonl          a denied permission asked twice more within 48 h: DYN006.
- exit_after_denial.jsonl  System.exit 2 s after a denial: DYN007.
- self_start.jsonl         boot-broadcast start and a service start of another app: DYN008, DYN009.
- traffic.jsonl            captured requests: NET002 (umeng), NET001; NET003 (gdt) with the policy.
- traffic_policy.txt       a Chinese policy naming 友盟 but not GDT/优量汇/腾讯广告.
- capture.har              HAR 1.2, 4 entries: NET001 twice by PI pattern.
- malformed.jsonl          4 bad lines and an empty one among valid ones.
- seq_decrease.jsonl       seq goes down: the reader rejects the trace.
- ui_disguised_download.jsonl  "跳过" and "×" taps that download / open a store: DYN010 x2.
- ui_honest_download.jsonl     a tap on "立即更新" then an .apk: nothing fires.
- ui_reward_face.jsonl         a tap on "刷脸认证领 88 元红包", then CAMERA: DYN011.
- ui_id_check.jsonl            identity verification with no reward, then CAMERA: nothing fires.
- ui_dump_taps.jsonl           taps with bounds only: DYN010 (low alone, high with ui_dumps/).
- ui_dumps/                    two real-format `uiautomator dump` files named by their time.
- ui_personalisation_forced.jsonl  a personalised-ads prompt with only "开启": DYN012.
- ui_personalisation_choice.jsonl  the same with "暂不开启", refused; collection after it is fine.

Before writing, the script re-reads its own output and asserts the envelope rules (seq strictly
increasing from 0, ts format, ts_mono_ns consistent with ts, src), the check digits of the
fixture IMEI and resident ID, and which PI each captured request carries (a boundary-free scan,
so no value matches by accident inside a longer digit run or a hash).
"""
import base64
import datetime as dt
import hashlib
import json
import pathlib
import re
import sys
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "trace"
SDK_DIR = ROOT / "crates" / "hegui-knowledge" / "data" / "sdks"

TZ = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 1, 5, 10, 0, 0, tzinfo=TZ)  # every trace starts here
MONO0_NS = 81_234_000_000  # device monotonic clock at T0 (no reboot within a trace)
SRC = {"tool": "hegui-fixture", "version": "1", "layer": "java"}
PACKAGE = "com.example.shop"
APP = {"package": PACKAGE, "version_name": "3.1.0", "version_code": 310, "platform": "android"}
DEVICE = {
    "manufacturer": "Google",
    "model": "Pixel 6",
    "os_version": "13",
    "api_level": 33,
    "rooted": True,
    "abi": "arm64-v8a",
    "emulator": False,
}


# ---------------------------------------------------------------- fixture values


def luhn_digit(payload: str) -> str:
    """Check digit that makes payload + digit pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return len(number) >= 2 and luhn_digit(number[:-1]) == number[-1]


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id_digit(first17: str) -> str:
    """GB 11643 check character (ISO 7064 MOD 11-2)."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


# 15-digit IMEI, TAC-like "86" prefix, Luhn check digit. Chosen (…0001 rather than …0000) so
# that its MD5/SHA-1/SHA-256 hex never holds a run of 11+ digits (a naive phone-number scan of
# the GDT body must not hit).
IMEI = "86000000000001" + luhn_digit("86000000000001")
# Resident ID: area 110101 (东城区), birth 2000-01-01 (obviously fake), order 126, check digit.
# Not 19900101: "19900101" followed by the order digits is an 11-digit run starting "19",
# which a phone-number regex without digit boundaries would match.
RESIDENT_ID = "11010120000101" + "126" + resident_id_digit("11010120000101126")
ANDROID_ID = "9774d56d682e549c"
OAID = "a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d"
PHONE = "13812345678"
MAC = "3c:22:fb:12:34:56"
FIXTURES = {"imei": IMEI, "android_id": ANDROID_ID, "oaid": OAID, "phone_number": PHONE, "mac": MAC}

IMEI_MD5 = hashlib.md5(IMEI.encode()).hexdigest()
IMEI_SHA256 = hashlib.sha256(IMEI.encode()).hexdigest()
ANDROID_ID_B64 = base64.b64encode(ANDROID_ID.encode()).decode()

CONSENT_EXCERPT = (
    "欢迎使用示例商城！我们依据《个人信息保护法》制定了《隐私政策》，请您仔细阅读。"
    "点击“同意并继续”即表示您已阅读并同意；点击“不同意”将仅浏览基本功能。"
)

# ---------------------------------------------------------------- stacks (innermost first)


def frames(*spec):
    return [{"cls": c, "method": m, "line": n} for c, m, n in spec]


INSTR = ("android.app.Instrumentation", "callApplicationOnCreate", 1277)
STACK_UMENG_AID = frames(
    ("android.provider.Settings$Secure", "getString", 6140),
    ("com.umeng.commonsdk.statistics.common.DeviceConfig", "getAndroidID", 212),
    ("com.umeng.commonsdk.UMConfigure", "init", 355),
    ("com.example.shop.App", "onCreate", 40),
    INSTR,
)
STACK_UMENG_AID_AFTER = frames(
    ("android.provider.Settings$Secure", "getString", 6140),
    ("com.umeng.commonsdk.statistics.common.DeviceConfig", "getAndroidID", 212),
    ("com.umeng.commonsdk.UMConfigure", "init", 355),
    ("com.example.shop.privacy.PrivacyGate", "onAccept", 58),
    ("android.view.View", "performClick", 7448),
)
STACK_UMENG_CLIP = frames(
    ("android.content.ClipboardManager", "getPrimaryClip", 244),
    ("com.umeng.commonsdk.statistics.common.DeviceConfig", "getClipboardText", 731),
    ("com.umeng.commonsdk.statistics.common.DeviceConfig", "collectEnv", 690),
    ("java.util.concurrent.ThreadPoolExecutor$Worker", "run", 644),
    ("java.lang.Thread", "run", 1012),
)
STACK_GDT_IMEI = frames(
    ("android.telephony.TelephonyManager", "getImei", 2210),
    ("com.qq.e.comm.managers.status.DeviceStatus", "getDeviceId", 118),
    ("com.qq.e.comm.managers.GDTAdSdk", "init", 64),
    ("com.example.shop.App", "onCreate", 44),
    INSTR,
)
STACK_GDT_IMEI_AFTER = frames(
    ("android.telephony.TelephonyManager", "getImei", 2210),
    ("com.qq.e.comm.managers.status.DeviceStatus", "getDeviceId", 118),
    ("com.qq.e.comm.managers.GDTAdSdk", "init", 64),
    ("com.example.shop.privacy.PrivacyGate", "onAccept", 61),
    ("android.view.View", "performClick", 7448),
)
STACK_BUGLY_AID = frames(
    ("android.provider.Settings$Secure", "getString", 6140),
    ("com.tencent.bugly.crashreport.common.info.DeviceInfo", "getAndroidId", 301),
    ("com.tencent.bugly.crashreport.CrashReport", "initCrashReport", 120),
    ("com.example.shop.privacy.PrivacyGate", "onReject", 73),
    ("android.view.View", "performClick", 7448),
)
STACK_APP_IMEI = frames(
    ("android.telephony.TelephonyManager", "getImei", 2210),
    ("com.example.shop.util.DeviceHelper", "imei", 27),
    ("com.example.shop.App", "onCreate", 38),
    INSTR,
)
# No framework frame here: the producer already cut the stack at the hooked API.
STACK_APP_LOC = frames(
    ("com.example.shop.nearby.StoreLocator", "lastFix", 58),
    ("com.example.shop.nearby.NearbyFragment", "refresh", 102),
    ("androidx.fragment.app.Fragment", "performResume", 3111),
)
# "amap-style" location polling written in the app's own package (not com.amap.* / com.loc.*,
# which the catalogue would attribute to the AMap SDKs): party = app.
STACK_APP_LOC_POLL = frames(
    ("android.location.LocationManager", "getLastKnownLocation", 1390),
    ("com.example.shop.map.LocationPoller", "poll", 84),
    ("com.example.shop.map.LocationPoller$1", "run", 47),
    ("android.os.Handler", "handleCallback", 942),
    ("android.os.Looper", "loop", 288),
)
STACK_ASK_LOCATION = frames(
    ("android.app.Activity", "requestPermissions", 5236),
    ("com.example.shop.nearby.NearbyActivity", "askLocation", 77),
    ("com.example.shop.nearby.NearbyActivity", "onCreate", 41),
)
STACK_ASK_CONTACTS = frames(
    ("android.app.Activity", "requestPermissions", 5236),
    ("com.example.shop.invite.InviteActivity", "askContacts", 52),
    ("com.example.shop.invite.InviteActivity", "onCreate", 33),
)
STACK_ASK_PHONE = frames(
    ("android.app.Activity", "requestPermissions", 5236),
    ("com.example.shop.MainActivity", "askPhoneState", 96),
    ("com.example.shop.MainActivity", "onCreate", 45),
)
STACK_EXIT = frames(
    ("java.lang.System", "exit", 1890),
    ("com.example.shop.MainActivity", "onRequestPermissionsResult", 131),
    ("android.app.Activity", "dispatchRequestPermissionsResult", 8950),
)
# Umeng push waking a partner app's service from the boot receiver. com.umeng.message.* is the
# catalogue's `umeng-push` entry (a sibling of `umeng`).
STACK_UMENG_PUSH_WAKE = frames(
    ("android.content.ContextWrapper", "startService", 735),
    ("com.umeng.message.PushAgent", "onAppStart", 412),
    ("com.example.shop.push.BootReceiver", "onReceive", 21),
    ("android.app.ActivityThread", "handleReceiver", 4400),
)

# An ad SDK's download task (GDT / 优量汇 downloads the advertised app itself).
STACK_GDT_DOWNLOAD = frames(
    ("android.app.DownloadManager", "enqueue", 612),
    ("com.qq.e.comm.plugin.apkmanager.ApkDownloadTask", "start", 88),
    ("com.qq.e.comm.plugin.splash.SplashAdView", "onSkipClick", 240),
    ("android.view.View", "performClick", 7448),
)
STACK_ASK_CAMERA_REWARD = frames(
    ("android.app.Activity", "requestPermissions", 5236),
    ("com.example.shop.reward.RedPacketActivity", "startFaceScan", 64),
    ("com.example.shop.reward.RedPacketActivity", "onClaimClick", 51),
)
STACK_ASK_CAMERA_VERIFY = frames(
    ("android.app.Activity", "requestPermissions", 5236),
    ("com.example.shop.account.VerifyActivity", "startIdScan", 70),
    ("com.example.shop.account.VerifyActivity", "onNextClick", 55),
)

API_OF = {
    "device_id.android_id": ("android.provider.Settings$Secure", "getString", "java.lang.String"),
    "device_id.imei": ("android.telephony.TelephonyManager", "getImei", "java.lang.String"),
    "location.precise": (
        "android.location.LocationManager",
        "getLastKnownLocation",
        "android.location.Location",
    ),
    "clipboard.read": ("android.content.ClipboardManager", "getPrimaryClip", "android.content.ClipData"),
}

# ---------------------------------------------------------------- trace builder


def ts_of(at_ms: int) -> str:
    t = T0 + dt.timedelta(milliseconds=at_ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{t.microsecond // 1000:03d}+08:00"


def dumps(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


class Trace:
    """Events of one file; `at` is milliseconds since T0 and must strictly increase."""

    def __init__(self, trace_id: str, fixtures=None):
        self.events = []
        self.last_at = -1
        self.pid = None
        self.marks = {}  # name -> seq, for the README
        start = {"trace_id": trace_id, "schema": "hegui-trace/1", "app": APP, "device": DEVICE}
        if fixtures:
            start["fixtures"] = fixtures
        start["tz"] = "Asia/Shanghai"
        self.emit(0, "trace_start", "r1", **start)

    def emit(self, at: int, type_: str, run: str, mark: str = None, **payload) -> int:
        assert at > self.last_at, (type_, at)
        self.last_at = at
        seq = len(self.events)
        ev = {
            "v": 1,
            "seq": seq,
            "type": type_,
            "ts": ts_of(at),
            "ts_mono_ns": MONO0_NS + at * 1_000_000,
            "run_id": run,
        }
        # a proxy capture does not know the pid
        if self.pid is not None and type_ not in ("trace_start", "network_request"):
            ev["pid"] = self.pid
        ev["src"] = SRC
        ev.update(payload)
        self.events.append(ev)
        if mark:
            assert mark not in self.marks
            self.marks[mark] = seq
        return seq

    # lifecycle -------------------------------------------------------------

    def launch(self, at, run, pid, reason="launcher", trigger="automation"):
        """process_start (+ app_start and app_foreground of MainActivity unless trigger is None)."""
        self.pid = pid
        self.emit(at, "process_start", run, pid=pid, process=PACKAGE, cold=True, reason=reason)
        if trigger is not None:
            self.emit(at + 400, "app_start", run, kind="cold",
                      launcher_intent="android.intent.action.MAIN", trigger=trigger)
            self.emit(at + 900, "app_foreground", run, activity="com.example.shop.MainActivity")

    def consent_shown(self, at, run, mark=None):
        return self.emit(
            at, "consent_shown", run, mark=mark,
            dialog_id="privacy-v3",
            kind="privacy_policy",
            text_sha256=hashlib.sha256(CONSENT_EXCERPT.encode()).hexdigest(),
            text_excerpt=CONSENT_EXCERPT,
            buttons=[{"label": "同意并继续", "role": "accept"}, {"label": "不同意", "role": "reject"}],
            links=["https://www.example-shop.cn/legal/privacy.html"],
            preticked_checkbox=False,
            detect="ui_tree",
            confidence=0.95,
        )

    def consent(self, at, run, accepted=True, mark=None):
        return self.emit(
            at, "consent_accepted" if accepted else "consent_rejected", run, mark=mark,
            dialog_id="privacy-v3",
            button_label="同意并继续" if accepted else "不同意",
            detect="ui_tree",
            confidence=0.95,
        )

    # collection ------------------------------------------------------------

    def api(self, at, run, category, stack, mark=None, value_sha256=None):
        cls, method, ret_type = API_OF[category]
        args = []
        if category == "device_id.android_id":
            args = [{"i": 1, "type": "java.lang.String", "summary": "android_id"}]
        elif category == "location.precise":
            args = [{"i": 0, "type": "java.lang.String", "summary": "gps"}]
        ret = {"type": ret_type, "null": False}
        if value_sha256:
            ret["value_sha256"] = value_sha256
        return self.emit(at, "api_call", run, mark=mark,
                         api={"cls": cls, "method": method}, category=category,
                         args=args, ret=ret, outcome="returned", stack=stack)

    def ask(self, at, run, permission, stack, code, mark=None):
        return self.emit(at, "permission_request", run, mark=mark,
                         permissions=["android.permission." + permission],
                         api="android.app.Activity#requestPermissions",
                         request_code=code, rationale_shown=False, stack=stack)

    def deny(self, at, run, permission, mark=None):
        return self.emit(at, "permission_result", run, mark=mark,
                         results=[{"permission": "android.permission." + permission,
                                   "granted": False, "never_ask_again": False}],
                         via="callback")

    def net(self, at, run, flow_id, method, url, server_ip, body=None, body_b64=False,
            content_type=None, status=200, mark=None):
        u = urllib.parse.urlsplit(url)
        port = u.port or (443 if u.scheme == "https" else 80)
        data = body.encode() if body is not None else b""
        headers = [{"n": "Host", "v": u.hostname}, {"n": "User-Agent", "v": "okhttp/4.12.0"}]
        if content_type:
            headers.append({"n": "Content-Type", "v": content_type})
        req = {
            "headers": headers,
            "query": [{"n": n, "v": v} for n, v in urllib.parse.parse_qsl(u.query)],
            "body_size": len(data),
            "body_sha256": hashlib.sha256(data).hexdigest(),
        }
        if body is not None:
            if body_b64:
                req["body_b64"] = base64.b64encode(data).decode()
            else:
                req["body_text"] = body
        if content_type:
            req["content_type"] = content_type
        return self.emit(
            at, "network_request", run, mark=mark,
            flow_id=flow_id, started=ts_of(at), method=method, url=url, host=u.hostname,
            port=port, scheme=u.scheme, server_ip=server_ip, http_version="HTTP/1.1",
            req=req, resp={"status": status}, capture="mitmproxy",
        )

    def screen(self, at, run, screen, elements, mark=None):
        """ui_snapshot: what the screen showed (labels as Android's accessibility tree has them)."""
        return self.emit(at, "ui_snapshot", run, mark=mark, screen=screen, elements=elements)

    def tap(self, at, run, target, mark=None):
        return self.emit(at, "ui_action", run, mark=mark, action="tap", by="automation",
                         target=target)

    def end(self, at, run):
        self.emit(at, "trace_end", run, reason="operator_stop", events_dropped=0)

    def text(self) -> str:
        return "".join(dumps(e) + "\n" for e in self.events)


S = 1000  # ms
MIN = 60 * S
HOUR = 60 * MIN

# ---------------------------------------------------------------- scenarios


def clean():
    t = Trace("t-clean", FIXTURES)
    t.launch(1 * S, "r1", 4100)
    t.consent_shown(2 * S, "r1", mark="shown")
    t.consent(5 * S, "r1", mark="accepted")
    t.api(6 * S, "r1", "device_id.android_id", STACK_UMENG_AID_AFTER, mark="umeng")
    t.net(8 * S, "r1", "f-1", "GET", "https://api.example-shop.cn/v1/home?tab=recommend",
          "203.0.113.20")
    t.net(9 * S, "r1", "f-2", "POST", "https://alog.umeng.com/app_logs", "203.0.113.10",
          body='{"header":{"appkey":"example-appkey","sdk_version":"9.6.3"},"event":"launch"}',
          content_type="application/json")
    t.ask(20 * S, "r1", "ACCESS_FINE_LOCATION", STACK_ASK_LOCATION, 11, mark="ask")
    t.deny(24 * S, "r1", "ACCESS_FINE_LOCATION", mark="deny")
    t.api(40 * S, "r1", "location.precise", STACK_APP_LOC, mark="app")
    t.net(45 * S, "r1", "f-3", "GET", "https://api.example-shop.cn/v1/stores?city=beijing",
          "203.0.113.20")
    t.end(90 * S, "r1")
    return t


def pre_consent():
    t = Trace("t-pre-consent")
    t.launch(1 * S, "r1", 4200)
    t.api(2000, "r1", "device_id.android_id", STACK_UMENG_AID, mark="umeng")
    t.api(2200, "r1", "device_id.imei", STACK_GDT_IMEI, mark="gdt")
    t.consent_shown(3 * S, "r1", mark="shown")
    t.consent(6 * S, "r1", mark="accepted")
    t.api(10 * S, "r1", "location.precise", STACK_APP_LOC, mark="app")
    t.end(30 * S, "r1")
    return t


def rejected():
    t = Trace("t-rejected")
    t.launch(1 * S, "r1", 4300)
    t.consent_shown(2 * S, "r1")
    t.consent(5 * S, "r1", accepted=False, mark="rejected")
    t.api(5400, "r1", "device_id.android_id", STACK_BUGLY_AID, mark="bugly")
    t.end(30 * S, "r1")
    return t


def no_notice():
    t = Trace("t-no-notice")
    t.launch(1 * S, "r1", 4400)
    t.api(2 * S, "r1", "device_id.imei", STACK_APP_IMEI, mark="app")
    t.end(30 * S, "r1")
    return t


def background():
    t = Trace("t-background")
    t.launch(1 * S, "r1", 4500)
    t.consent_shown(2 * S, "r1")
    t.consent(4 * S, "r1")
    t.emit(10 * S, "app_background", "r1", mark="bg", activity="com.example.shop.MainActivity")
    t.api(25 * S, "r1", "location.precise", STACK_APP_LOC_POLL, mark="bg1")
    t.api(55 * S, "r1", "location.precise", STACK_APP_LOC_POLL, mark="bg2")
    t.emit(70 * S, "app_foreground", "r1", mark="fg", activity="com.example.shop.MainActivity")
    t.api(75 * S, "r1", "location.precise", STACK_APP_LOC_POLL, mark="fg1")
    t.end(90 * S, "r1")
    return t


def frequent():
    t = Trace("t-frequent")
    t.launch(1 * S, "r1", 4600)
    t.consent_shown(2 * S, "r1")
    t.consent(4 * S, "r1")
    first = 5 * S
    for i in range(30):  # 5.000 s … 42.700 s: 30 calls in 37.7 s
        t.api(first + i * 1300, "r1", "clipboard.read", STACK_UMENG_CLIP,
              mark="clip_first" if i == 0 else ("clip_last" if i == 29 else None))
    t.end(90 * S, "r1")
    return t


def rerequest():
    t = Trace("t-rerequest")
    # r1, day 0
    t.launch(1 * S, "r1", 4700)
    t.consent_shown(2 * S, "r1")
    t.consent(4 * S, "r1")
    t.ask(10 * S, "r1", "ACCESS_FINE_LOCATION", STACK_ASK_LOCATION, 11, mark="loc_ask")
    t.deny(13 * S, "r1", "ACCESS_FINE_LOCATION", mark="loc_deny")
    t.ask(30 * S, "r1", "READ_CONTACTS", STACK_ASK_CONTACTS, 12, mark="con_ask")
    t.deny(33 * S, "r1", "READ_CONTACTS", mark="con_deny")
    # r2, day 1, 23 h later: location asked twice more
    r2 = 23 * HOUR
    t.launch(r2, "r2", 5700)
    t.ask(r2 + 10 * S, "r2", "ACCESS_FINE_LOCATION", STACK_ASK_LOCATION, 11, mark="loc_re1")
    t.deny(r2 + 12 * S, "r2", "ACCESS_FINE_LOCATION")
    t.ask(r2 + 40 * S, "r2", "ACCESS_FINE_LOCATION", STACK_ASK_LOCATION, 11, mark="loc_re2")
    t.deny(r2 + 42 * S, "r2", "ACCESS_FINE_LOCATION")
    # r3, 50 h after the contacts denial: contacts asked once
    r3 = 33 * S + 50 * HOUR
    t.launch(r3, "r3", 6700)
    t.ask(r3 + 10 * S, "r3", "READ_CONTACTS", STACK_ASK_CONTACTS, 12, mark="con_re1")
    t.deny(r3 + 13 * S, "r3", "READ_CONTACTS")
    t.end(r3 + 60 * S, "r3")
    return t


def exit_after_denial():
    t = Trace("t-exit-after-denial")
    t.launch(1 * S, "r1", 4800)
    t.consent_shown(2 * S, "r1")
    t.consent(4 * S, "r1")
    t.ask(6 * S, "r1", "READ_PHONE_STATE", STACK_ASK_PHONE, 21, mark="ask")
    t.deny(9 * S, "r1", "READ_PHONE_STATE", mark="deny")
    t.emit(11 * S, "process_exit", "r1", mark="exit", how="System.exit", stack=STACK_EXIT, pid=4800)
    return t


def self_start():
    t = Trace("t-self-start")
    # r1: a normal launch where the user accepted
    t.launch(1 * S, "r1", 4900)
    t.consent_shown(2 * S, "r1")
    t.consent(4 * S, "r1", mark="accepted")
    # r2: 3 h later the device reboots; BOOT_COMPLETED starts the process, no app_start.
    # ts_mono_ns keeps counting (one monotonic timeline per fixture trace).
    r2 = 3 * HOUR
    t.pid = 5900
    t.emit(r2, "process_start", "r2", mark="boot", pid=5900, process=PACKAGE, cold=True,
           reason="broadcast", x_action="android.intent.action.BOOT_COMPLETED")
    t.emit(r2 + 800, "ipc_start", "r2", mark="ipc", kind="service", target_package="com.other.app",
           component="com.other.app.push.KeepAliveService",
           action="com.other.app.action.WAKE", stack=STACK_UMENG_PUSH_WAKE)
    t.end(r2 + 30 * S, "r2")
    return t


def consented(t, pid):
    """A launch where the user accepts the notice at 4 s (so nothing later is pre-consent)."""
    t.launch(1 * S, "r1", pid)
    t.consent_shown(2 * S, "r1")
    t.consent(4 * S, "r1")


SKIP_BOUNDS = "[900,60][1040,140]"


def ui_disguised_download():
    t = Trace("t-ui-disguised-download")
    consented(t, 5100)
    # A splash ad whose "skip" button starts the advertised app's download (tap carries bounds
    # only: the label comes from the snapshot).
    t.screen(6 * S, "r1", "com.example.shop.ad.SplashAdActivity", [
        {"class": "android.widget.ImageView", "content_desc": "广告", "bounds": "[0,0][1080,2340]"},
        {"text": "跳过 3", "resource_id": "com.example.shop:id/skip", "class": "android.widget.TextView",
         "clickable": True, "bounds": SKIP_BOUNDS},
    ], mark="splash")
    t.tap(7 * S, "r1", {"bounds": SKIP_BOUNDS}, mark="tap_skip")
    t.emit(7 * S + 600, "api_call", "r1", mark="enqueue",
           api={"cls": "android.app.DownloadManager", "method": "enqueue"},
           category="download.enqueue", args=[], ret={"type": "long", "null": False},
           outcome="returned", stack=STACK_GDT_DOWNLOAD)
    # A pop-up whose close button opens an app store.
    t.screen(12 * S, "r1", "com.example.shop.MainActivity", [
        {"text": "领取 100 积分", "class": "android.widget.TextView"},
        {"text": "×", "resource_id": "com.example.shop:id/close", "class": "android.widget.TextView",
         "clickable": True, "bounds": "[960,420][1040,500]"},
    ])
    t.tap(13 * S, "r1", {"text": "×", "resource_id": "com.example.shop:id/close"}, mark="tap_close")
    t.emit(13 * S + 500, "ipc_start", "r1", mark="store", kind="activity",
           target_package="com.huawei.appmarket", action="android.intent.action.VIEW",
           url="market://details?id=com.example.game")
    t.end(20 * S, "r1")
    return t


def ui_honest_download():
    t = Trace("t-ui-honest-download")
    consented(t, 5200)
    t.screen(6 * S, "r1", "com.example.shop.update.UpdateDialog", [
        {"text": "发现新版本 3.2.0", "class": "android.widget.TextView"},
        {"text": "立即更新", "resource_id": "com.example.shop:id/update", "class": "android.widget.Button",
         "clickable": True, "bounds": "[90,1500][990,1640]"},
    ])
    t.tap(7 * S, "r1", {"text": "立即更新", "resource_id": "com.example.shop:id/update"}, mark="tap")
    t.net(7 * S + 500, "r1", "f-1", "GET", "https://dl.example-shop.cn/app/shop-3.2.0.apk",
          "203.0.113.20", mark="apk")
    t.end(20 * S, "r1")
    return t


def ui_reward_face():
    t = Trace("t-ui-reward-face")
    consented(t, 5300)
    t.screen(6 * S, "r1", "com.example.shop.reward.RedPacketActivity", [
        {"text": "新人专享", "class": "android.widget.TextView"},
        {"text": "刷脸认证领 88 元红包", "resource_id": "com.example.shop:id/claim",
         "class": "android.widget.Button", "clickable": True, "bounds": "[90,1800][990,1950]"},
    ], mark="screen")
    t.tap(8 * S, "r1", {"resource_id": "com.example.shop:id/claim"}, mark="tap")
    t.ask(9 * S, "r1", "CAMERA", STACK_ASK_CAMERA_REWARD, 31, mark="ask")
    t.emit(10 * S, "permission_result", "r1",
           results=[{"permission": "android.permission.CAMERA", "granted": True,
                     "never_ask_again": False}], via="callback")
    t.end(20 * S, "r1")
    return t


def ui_id_check():
    t = Trace("t-ui-id-check")
    consented(t, 5400)
    t.screen(6 * S, "r1", "com.example.shop.account.VerifyActivity", [
        {"text": "实名认证", "class": "android.widget.TextView"},
        {"text": "请拍摄身份证人像面", "class": "android.widget.TextView"},
        {"text": "下一步", "resource_id": "com.example.shop:id/next", "class": "android.widget.Button",
         "clickable": True, "bounds": "[90,1800][990,1950]"},
    ])
    t.tap(7 * S, "r1", {"text": "下一步", "resource_id": "com.example.shop:id/next"}, mark="tap")
    t.ask(8 * S, "r1", "CAMERA", STACK_ASK_CAMERA_VERIFY, 32, mark="ask")
    t.end(20 * S, "r1")
    return t


def ui_dump_taps():
    """Taps that carry only bounds; the screens are in ui_dumps/ (uiautomator dump files)."""
    t = Trace("t-ui-dump-taps")
    consented(t, 5500)
    t.tap(6 * MIN + 2 * S, "r1", {"bounds": "[960,300][1040,380]"}, mark="tap")
    t.emit(6 * MIN + 3 * S, "api_call", "r1", mark="enqueue",
           api={"cls": "android.app.DownloadManager", "method": "enqueue"},
           category="download.enqueue", args=[], ret={"type": "long", "null": False},
           outcome="returned", stack=STACK_GDT_DOWNLOAD)
    t.end(8 * MIN, "r1")
    return t


def personalisation_prompt(t, at, buttons, mark=None):
    return t.emit(at, "consent_shown", "r1", mark=mark, dialog_id="personalise-1",
                  kind="personalised_ads", text_excerpt="开启个性化推荐，为您推荐更感兴趣的商品和内容",
                  buttons=buttons, detect="ui_tree", confidence=0.9)


def ui_personalisation_forced():
    t = Trace("t-ui-personalisation-forced")
    consented(t, 5600)
    personalisation_prompt(t, 6 * S, [{"label": "开启个性化推荐", "role": "accept"}], mark="prompt")
    t.emit(8 * S, "consent_accepted", "r1", dialog_id="personalise-1",
           button_label="开启个性化推荐", detect="ui_tree", confidence=0.9)
    t.end(20 * S, "r1")
    return t


def ui_personalisation_choice():
    t = Trace("t-ui-personalisation-choice")
    consented(t, 5700)
    personalisation_prompt(t, 6 * S, [{"label": "开启", "role": "accept"},
                                      {"label": "暂不开启", "role": "reject"}], mark="prompt")
    t.emit(8 * S, "consent_rejected", "r1", mark="refused", dialog_id="personalise-1",
           button_label="暂不开启", detect="ui_tree", confidence=0.9)
    # Umeng keeps collecting: the privacy notice was accepted; only personalisation was refused.
    t.api(10 * S, "r1", "device_id.android_id", STACK_UMENG_AID_AFTER, mark="collect")
    t.end(20 * S, "r1")
    return t


def uiautomator_node(index, text="", rid="", cls="android.widget.TextView", desc="",
                     clickable=False, bounds="[0,0][0,0]", children=""):
    attrs = (
        f'index="{index}" text="{text}" resource-id="{rid}" class="{cls}" package="{PACKAGE}" '
        f'content-desc="{desc}" checkable="false" checked="false" '
        f'clickable="{str(clickable).lower()}" enabled="true" focusable="{str(clickable).lower()}" '
        f'focused="false" scrollable="false" long-clickable="false" password="false" '
        f'selected="false" bounds="{bounds}"'
    )
    if children:
        return f"<node {attrs}>{children}</node>"
    return f"<node {attrs} />"


def uiautomator_dump(nodes) -> str:
    """A dump as `uiautomator dump` writes it: one line, an XML declaration, <hierarchy>."""
    root = uiautomator_node(0, cls="android.widget.FrameLayout", bounds="[0,0][1080,2340]",
                            children="".join(uiautomator_node(i, **n) for i, n in enumerate(nodes)))
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
            f'<hierarchy rotation="0">{root}</hierarchy>')


def ui_dumps():
    """Two screens as a lab's automation dumps them, named by their local time (+08:00)."""
    reward = uiautomator_dump([
        {"text": "签到领现金", "rid": "com.example.shop:id/title"},
        {"text": "绑定身份证即可提现", "rid": "com.example.shop:id/hint"},
        {"text": "", "rid": "com.example.shop:id/close", "cls": "android.widget.ImageView",
         "desc": "关闭", "clickable": True, "bounds": "[960,300][1040,380]"},
    ])
    plain = uiautomator_dump([
        {"text": "我的订单", "rid": "com.example.shop:id/orders", "clickable": True,
         "bounds": "[0,400][1080,520]"},
    ])
    return {
        "ui_dumps/window_dump-20260105-100600.xml": reward,
        "ui_dumps/window_dump-20260105-100700.xml": plain,
    }


UMENG_BODY = dumps({
    "header": {"appkey": "example-appkey", "sdk_version": "9.6.3", "aid": ANDROID_ID_B64},
    "event": "launch",
})
GDT_BODY = dumps({"account_id": "example-account", "conv_type": "ACTIVATE_APP", "muid": IMEI_MD5})
LOGIN_URL = "http://api.example-shop.cn/v1/login?mobile=" + PHONE


def traffic():
    t = Trace("t-traffic", FIXTURES)
    t.launch(1 * S, "r1", 5000)
    t.consent_shown(2 * S, "r1", mark="shown")
    t.net(2500, "r1", "f-1", "POST", "https://alog.umeng.com/app_logs", "203.0.113.10",
          body=UMENG_BODY, body_b64=True, content_type="application/json", mark="umeng")
    t.consent(5 * S, "r1", mark="accepted")
    t.net(8 * S, "r1", "f-2", "GET", LOGIN_URL, "203.0.113.20", mark="login")
    t.api(9 * S, "r1", "device_id.imei", STACK_GDT_IMEI_AFTER, mark="gdt_imei",
          value_sha256=IMEI_SHA256)
    t.net(9500, "r1", "f-3", "POST", "https://t.gdt.qq.com/conv", "203.0.113.30",
          body=GDT_BODY, content_type="application/json", mark="gdt")
    t.end(30 * S, "r1")
    return t


def malformed():
    """Returns (text, expected errors as {line: why}, kept seqs)."""
    t = Trace("t-malformed")
    start = dumps(t.events[0])
    env = {"v": 1, "seq": None, "type": None, "ts": None, "ts_mono_ns": None, "run_id": "r1",
           "src": SRC}

    def line(seq, type_, at, **payload):
        ev = dict(env, seq=seq, type=type_, ts=ts_of(at), ts_mono_ns=MONO0_NS + at * 1_000_000)
        ev.update(payload)
        return ev

    no_seq = line(1, "marker", 1 * S, text="this line has no seq")
    del no_seq["seq"]
    v2 = line(2, "marker", 2 * S, text="schema version 2")
    v2["v"] = 2
    api = dict(
        api={"cls": "android.provider.Settings$Secure", "method": "getString"},
        category="device_id.android_id",
        args=[{"i": 1, "type": "java.lang.String", "summary": "android_id"}],
        ret={"type": "java.lang.String", "null": False},
        outcome="returned",
    )
    bad_stack = line(3, "api_call", 3 * S, **api,
                     stack="com.example.shop.util.DeviceHelper.androidId(DeviceHelper.java:31)")
    good = line(4, "api_call", 4 * S, **api, stack=frames(
        ("android.provider.Settings$Secure", "getString", 6140),
        ("com.example.shop.util.DeviceHelper", "androidId", 31),
        ("com.example.shop.App", "onCreate", 40),
        INSTR,
    ))
    lines = [
        start,                          # 1 ok, seq 0
        '{"v":1,"seq":1,"type":"marker" this is not JSON',  # 2
        dumps(no_seq),                  # 3
        dumps(v2),                      # 4
        dumps(bad_stack),               # 5
        "",                             # 6 empty: skipped silently
        dumps(good),                    # 7 ok, seq 4
    ]
    errors = {
        2: "not JSON",
        3: "missing `seq`",
        4: "`v` is 2 (unsupported major version)",
        5: "api_call whose `stack` is a string, not an array of frames",
    }
    return "".join(s + "\n" for s in lines), errors, [0, 4]


def seq_decrease():
    t = Trace("t-seq-decrease")
    t.launch(1 * S, "r1", 5100)  # seq 1, 2, 3
    t.emit(5 * S, "marker", "r1", text="opened home page")  # seq 4
    t.events[-1]["seq"] = 2  # goes down: 3 -> 2
    return t


POLICY = """示例商城隐私政策

更新日期：2026年1月1日
生效日期：2026年1月1日

示例商城（以下简称“我们”）非常重视您的个人信息保护。本政策说明我们如何收集、使用、共享和保护您的个人信息。

一、我们收集的信息
1. 注册登录：您使用手机号码登录时，我们收集您的手机号码，用于创建账号和发送验证码。
2. 附近门店：经您授权后，我们收集您的精确位置信息，用于推荐附近门店。您可以随时在系统设置中关闭。
3. 安全风控：我们收集设备标识符（Android ID、OAID）和日志信息，用于识别异常账号。

二、第三方SDK
为实现统计分析功能，我们接入了友盟同欣（北京）科技有限公司提供的友盟统计SDK（友盟+ U-App）。该SDK会收集设备标识符（Android ID、OAID）、设备型号和网络信息，用于统计应用使用情况。友盟隐私政策：https://www.umeng.com/page/policy

三、存储与保护
您的个人信息存储在中华人民共和国境内，保存期限为实现目的所必需的最短时间，注销账号后15日内删除。

四、您的权利
您可以在“我的-设置-隐私”中查询、更正、删除个人信息，撤回授权或注销账号，我们将在15个工作日内处理。

五、联系我们
如有疑问或投诉，请发送邮件至 privacy@example-shop.cn，我们将在15个工作日内答复。
"""

# ---------------------------------------------------------------- HAR


def har():
    entries = []

    def entry(at, method, url, ip, body=None, mime=None, resp_text='{"code":0}'):
        u = urllib.parse.urlsplit(url)
        http_version = "HTTP/1.1"
        headers = [{"name": "Host", "value": u.hostname},
                   {"name": "User-Agent", "value": "okhttp/4.12.0"}]
        request = {
            "method": method,
            "url": url,
            "httpVersion": http_version,
            "cookies": [],
            "headers": headers,
            "queryString": [{"name": n, "value": v} for n, v in urllib.parse.parse_qsl(u.query)],
            "headersSize": -1,
            "bodySize": 0,
        }
        if body is not None:
            headers.append({"name": "Content-Type", "value": mime})
            request["postData"] = {"mimeType": mime, "text": body}
            request["bodySize"] = len(body.encode())
        rbody = resp_text.encode()
        timings = {"send": 1, "wait": 38, "receive": 2}
        entries.append({
            "startedDateTime": ts_of(at),
            "time": sum(timings.values()),
            "request": request,
            "response": {
                "status": 200,
                "statusText": "OK",
                "httpVersion": http_version,
                "cookies": [],
                "headers": [{"name": "Content-Type", "value": "application/json"},
                            {"name": "Content-Length", "value": str(len(rbody))}],
                "content": {"size": len(rbody), "mimeType": "application/json", "text": resp_text},
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": len(rbody),
            },
            "cache": {},
            "timings": timings,
            "serverIPAddress": ip,
        })

    entry(1 * S, "POST", "http://api.example-shop.cn/v1/sms/send", "203.0.113.20",
          body=f"mobile={PHONE}&scene=login", mime="application/x-www-form-urlencoded")
    entry(2 * S, "POST", "https://alog.umeng.com/app_logs", "203.0.113.10",
          body='{"header":{"appkey":"example-appkey","sdk_version":"9.6.3"},"event":"launch"}',
          mime="application/json")
    entry(3 * S, "GET", "https://api.example-shop.cn/v1/items?page=2&size=20", "203.0.113.20")
    entry(4 * S, "POST", "http://api.example-shop.cn/v1/realname/verify", "203.0.113.20",
          body=dumps({"id_no": RESIDENT_ID, "scene": "checkout"}), mime="application/json")
    doc = {"log": {"version": "1.2", "creator": {"name": "hegui-fixture", "version": "1"},
                   "entries": entries}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- self-checks

RFC3339_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$")


def check_trace(name, text, allow_bad=False):
    """Envelope rules of section 1; returns the parsed events."""
    assert text.endswith("\n"), name
    events = []
    for n, raw in enumerate(text.split("\n")[:-1], 1):
        if allow_bad and (not raw or n in allow_bad):
            continue
        ev = json.loads(raw)
        assert raw == dumps(ev), (name, n)
        events.append(ev)
    assert events[0]["type"] == "trace_start", name
    start = events[0]
    assert start["app"]["package"] == PACKAGE and start["app"]["platform"] == "android"
    assert start["tz"] == "Asia/Shanghai" and start["schema"] == "hegui-trace/1"
    prev = None
    for i, ev in enumerate(events):
        assert ev["v"] == 1 and ev["src"] == SRC and ev["run_id"], (name, ev)
        assert RFC3339_MS.match(ev["ts"]), (name, ev["ts"])
        t = dt.datetime.fromisoformat(ev["ts"])
        delta_ns = ((t - T0) // dt.timedelta(milliseconds=1)) * 1_000_000
        assert ev["ts_mono_ns"] == MONO0_NS + delta_ns, (name, ev["seq"])
        if prev is not None:
            assert ev["ts_mono_ns"] > prev["ts_mono_ns"], (name, ev["seq"])
        if not allow_bad:
            assert ev["seq"] == i, (name, ev["seq"])
        if ev["type"] == "api_call":
            assert ev["outcome"] == "returned" and ev["api"]["cls"] and ev["category"]
            assert all(set(f) == {"cls", "method", "line"} for f in ev["stack"])
        prev = ev
    return events


PATTERNS = {  # deliberately without digit boundaries: accidental matches must not exist
    "phone": re.compile(r"1[3-9]\d{9}"),
    "resident_id": re.compile(r"\d{17}[\dXx]"),
    "imei": re.compile(r"\d{15}"),
    "mac": re.compile(r"(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}"),
}


def overlapping(rx, text):
    return {m.group(1) for m in re.finditer("(?=(" + rx.pattern + "))", text)}


def pi_in(text):
    """(kind, how) pairs of PI found in text."""
    found = set()
    for kind, rx in PATTERNS.items():
        for v in overlapping(rx, text):
            if kind == "phone":
                found.add(("pattern", "phone"))
            elif kind == "resident_id" and resident_id_digit(v[:17]) == v[17].upper():
                found.add(("pattern", "resident_id"))
            elif kind == "imei" and luhn_ok(v):
                found.add(("pattern", "imei"))
            elif kind == "mac":
                found.add(("pattern", "mac"))
    for key, value in FIXTURES.items():
        b = value.encode()
        forms = {
            "plain": [value],
            "urlencoded": [urllib.parse.quote(value, safe="")],
            "base64": [base64.b64encode(b).decode(), base64.urlsafe_b64encode(b).decode()],
            "hex": [b.hex(), b.hex().upper()],
            "md5": [hashlib.md5(b).hexdigest()],
            "sha1": [hashlib.sha1(b).hexdigest()],
            "sha256": [hashlib.sha256(b).hexdigest()],
        }
        for how, variants in forms.items():
            for var in variants:
                if var in text or var.upper() in text or var.lower() in text:
                    found.add((key, how))
    return found


def request_text(ev):
    req = ev["req"]
    parts = [ev["url"]] + [h["v"] for h in req["headers"]] + [q["v"] for q in req["query"]]
    if "body_text" in req:
        parts.append(req["body_text"])
    if "body_b64" in req:
        parts.append(req["body_b64"])
        parts.append(base64.b64decode(req["body_b64"]).decode("utf-8"))
    return "\n".join(parts)


def check_all(files, marks):
    assert len(IMEI) == 15 and luhn_ok(IMEI)
    assert len(RESIDENT_ID) == 18 and resident_id_digit(RESIDENT_ID[:17]) == RESIDENT_ID[17]
    for h in (IMEI_MD5, hashlib.sha1(IMEI.encode()).hexdigest(), IMEI_SHA256):
        assert max(map(len, re.findall(r"\d+", h))) < 11, h

    parsed = {}
    for name, data in files.items():
        if name.endswith(".jsonl") and name not in ("malformed.jsonl", "seq_decrease.jsonl"):
            parsed[name] = check_trace(name, data.decode())

    # which PI each captured request carries
    def net(name):
        return {ev["flow_id"]: pi_in(request_text(ev))
                for ev in parsed[name] if ev["type"] == "network_request"}

    assert net("clean.jsonl") == {"f-1": set(), "f-2": set(), "f-3": set()}, net("clean.jsonl")
    got = net("traffic.jsonl")
    assert got == {
        "f-1": {("android_id", "base64")},
        "f-2": {("phone_number", "plain"), ("phone_number", "urlencoded"), ("pattern", "phone")},
        "f-3": {("imei", "md5")},
    }, got
    entries = json.loads(files["capture.har"])["log"]["entries"]
    got = [pi_in("\n".join([e["request"]["url"], e["request"].get("postData", {}).get("text", "")]))
           for e in entries]
    assert got == [
        {("pattern", "phone"), ("phone_number", "plain"), ("phone_number", "urlencoded")},
        set(),
        set(),
        {("pattern", "resident_id")},
    ], got
    # no PI in any string outside the fixtures block and the captured requests (numbers such as
    # ts_mono_ns are not scanned; ret.value_sha256 is a hash by design)
    def strings(obj):
        if isinstance(obj, str):
            yield obj
        elif isinstance(obj, list):
            for o in obj:
                yield from strings(o)
        elif isinstance(obj, dict):
            for k, o in obj.items():
                if k != "value_sha256":
                    yield from strings(o)

    for name, events in parsed.items():
        for ev in events[1:]:
            if ev["type"] != "network_request":
                assert not pi_in("\n".join(strings(ev))), (name, ev["seq"])

    # policy: names Umeng, none of GDT's names
    gdt_aliases = ["优量汇", "广点通", "腾讯广告", "GDT", "Tencent Ads"]
    for f in sorted(SDK_DIR.glob("*.json")):
        for sdk in json.loads(f.read_text("utf-8"))["sdks"]:
            if sdk["id"] in ("gdt", "gdt-action"):
                gdt_aliases += sdk["aliases"] + [sdk["name"]["zh"], sdk["name"]["en"]]
    assert "友盟" in POLICY
    assert not [a for a in gdt_aliases if a.lower() in POLICY.lower()], gdt_aliases

    # rerequest timing
    ev = {e["seq"]: e for e in parsed["rerequest.jsonl"]}
    m = marks["rerequest.jsonl"]
    hours = lambda a, b: (ev[b]["ts_mono_ns"] - ev[a]["ts_mono_ns"]) / 3.6e12  # noqa: E731
    assert 0 < hours(m["loc_deny"], m["loc_re2"]) < 48
    assert hours(m["con_deny"], m["con_re1"]) > 50
    # exit 2 s after the denial
    ev = {e["seq"]: e for e in parsed["exit_after_denial.jsonl"]}
    m = marks["exit_after_denial.jsonl"]
    assert ev[m["exit"]]["ts_mono_ns"] - ev[m["deny"]]["ts_mono_ns"] == 2_000_000_000
    # frequent: 30 calls inside 40 s
    ev = {e["seq"]: e for e in parsed["frequent.jsonl"]}
    m = marks["frequent.jsonl"]
    assert ev[m["clip_last"]]["ts_mono_ns"] - ev[m["clip_first"]]["ts_mono_ns"] < 40e9


# ---------------------------------------------------------------- README


def readme(marks, malformed_errors, malformed_kept):
    c = marks["clean.jsonl"]
    p, r, n = marks["pre_consent.jsonl"], marks["rejected.jsonl"], marks["no_notice.jsonl"]
    b, f, q = marks["background.jsonl"], marks["frequent.jsonl"], marks["rerequest.jsonl"]
    x, s, t = marks["exit_after_denial.jsonl"], marks["self_start.jsonl"], marks["traffic.jsonl"]
    ud, uh = marks["ui_disguised_download.jsonl"], marks["ui_honest_download.jsonl"]
    uf, ui, ut = marks["ui_reward_face.jsonl"], marks["ui_id_check.jsonl"], marks["ui_dump_taps.jsonl"]
    pf, pc = marks["ui_personalisation_forced.jsonl"], marks["ui_personalisation_choice.jsonl"]
    err_rows = "\n".join(f"| {ln} | {why} |" for ln, why in sorted(malformed_errors.items()))
    return f"""# Dynamic-trace fixtures

hegui-trace v1 traces (JSON Lines, one compact event per line), a HAR capture and a policy
text, written for hegui's dynamic rules. **Generated** by
[`scripts/make-trace-fixtures.py`](../../scripts/make-trace-fixtures.py) (this README too) and
committed:

```sh
python3 scripts/make-trace-fixtures.py          # rewrite fixtures/trace/
python3 scripts/make-trace-fixtures.py --check  # exit 1 if a committed file differs
```

Common to every trace: line 1 is `trace_start` (`app.package` `{PACKAGE}`, platform `android`,
device Google Pixel 6 / Android 13 / API 33, `tz` `Asia/Shanghai`), `seq` counts from 0 with no
gaps, `src` is `{dumps(SRC)}`, `ts` starts at `{ts_of(0)}` and `ts_mono_ns` is
`{MONO0_NS} + (ts − start)` in ns (one monotonic timeline per file, also across runs). Runs
start with `process_start` (reason `launcher`) + `app_start` (trigger `automation`) +
`app_foreground`, except the boot run of `self_start.jsonl`. Attribution comes from the stack
only (innermost first; on every stack but `com.example.shop.nearby.StoreLocator#lastFix`'s the
innermost frame is the framework API, e.g. `android.telephony.TelephonyManager#getImei`, which
hegui skips): Umeng =
`com.umeng.commonsdk.statistics.common.DeviceConfig` (`umeng`), GDT =
`com.qq.e.comm.managers.status.DeviceStatus` (`gdt`), Bugly =
`com.tencent.bugly.crashreport.common.info.DeviceInfo` (`bugly`), app = `com.example.shop.*`.
Unless a row says otherwise, **no other DYN/NET rule may fire** on a file. A finding "at seq N"
means the event that should be cited as its evidence.

## Fixture values (`trace_start.fixtures` of clean.jsonl and traffic.jsonl)

| key | value | notes |
|---|---|---|
| `imei` | `{IMEI}` | 15 digits, Luhn check digit `{IMEI[-1]}` |
| `android_id` | `{ANDROID_ID}` | Base64 `{ANDROID_ID_B64}` |
| `oaid` | `{OAID}` | not sent anywhere |
| `phone_number` | `{PHONE}` | mainland mobile pattern |
| `mac` | `{MAC}` | not sent anywhere |

Derived values the tests can assert:

- MD5(IMEI), lower-case hex, in the GDT body: `{IMEI_MD5}`
- SHA-256(IMEI) (`ret.value_sha256` of the GDT `getImei` call in traffic.jsonl): `{IMEI_SHA256}`
- Resident ID in capture.har: `{RESIDENT_ID}` — area 110101, birth date 2000-01-01, order 126,
  ISO 7064 MOD 11-2 check digit `{RESIDENT_ID[-1]}`. (Birth 2000-01-01 rather than 1990-01-01: the
  latter puts an 11-digit run `19900101…` into the ID that a phone regex without digit
  boundaries would match.)
- None of the MD5/SHA-1/SHA-256 hex strings of the IMEI holds a run of 11 or more digits, and no
  captured request carries PI other than listed below, even under a boundary-free scan.

## Files

| file | must fire | must not fire |
|---|---|---|
| `clean.jsonl` | nothing | every DYN/NET rule. Consent shown (seq {c['shown']}) and accepted (seq {c['accepted']}) before any collection; Umeng reads android_id once (seq {c['umeng']}), the app reads `location.precise` once (seq {c['app']}), both in foreground; `ACCESS_FINE_LOCATION` requested (seq {c['ask']}), denied (seq {c['deny']}), never asked again; no `process_exit`; three https requests (to api.example-shop.cn and alog.umeng.com, the Umeng one after consent) with no PI in any encoding. |
| `pre_consent.jsonl` | **DYN001** ×2: party sdk `umeng` (android_id at seq {p['umeng']}) and sdk `gdt` (imei at seq {p['gdt']}), both before `consent_shown` (seq {p['shown']}) | DYN001 for `app` (its `location.precise` at seq {p['app']} is after `consent_accepted` at seq {p['accepted']}); DYN003 (a notice is shown in the run); DYN004 |
| `rejected.jsonl` | **DYN002**: sdk `bugly` reads android_id at seq {r['bugly']} after `consent_rejected` (seq {r['rejected']}). A call after a refusal is judged as such, not also as "before consent". | DYN001 (the call is after the refusal, not before a consent), DYN003 (the notice was shown) |
| `no_notice.jsonl` | **DYN003** (run `r1`: no inherited consent, no `consent_shown`, collects) and **DYN001** party `app` (imei at seq {n['app']}) | DYN002, DYN004 |
| `background.jsonl` | **DYN004** ×2: party `app`, `location.precise` at seq {b['bg1']} and {b['bg2']}, after `app_background` (seq {b['bg']}); stack `com.example.shop.map.LocationPoller` (app code, not the AMap SDK) | DYN004 for seq {b['fg1']} (after `app_foreground` at seq {b['fg']}); DYN005 (2 calls in background ≤ 3) |
| `frequent.jsonl` | **DYN005**: sdk `umeng`, `clipboard.read`, 30 calls from seq {f['clip_first']} to {f['clip_last']}, 1.3 s apart (37.7 s), foreground, after consent | everything else |
| `rerequest.jsonl` | **DYN006** for `android.permission.ACCESS_FINE_LOCATION`: denied at seq {q['loc_deny']} (run r1), requested again at seq {q['loc_re1']} and {q['loc_re2']} (run r2, 23 h later) — 2 requests within 48 h | DYN006 for `android.permission.READ_CONTACTS`: denied at seq {q['con_deny']} (r1), requested once more at seq {q['con_re1']} (run r3, 50 h after the denial); DYN001/DYN003 (r2 and r3 inherit r1's acceptance); DYN007 (no exits); DYN008 |
| `exit_after_denial.jsonl` | **DYN007**: `READ_PHONE_STATE` requested (seq {x['ask']}), denied (seq {x['deny']}), `process_exit` how `System.exit` 2 s later (seq {x['exit']}) | DYN006 |
| `self_start.jsonl` | **DYN008**: run r2 `process_start` reason `broadcast` (`x_action` BOOT_COMPLETED) at seq {s['boot']} with no `app_start`. **DYN009**: `ipc_start` kind `service`, `target_package` `com.other.app`, at seq {s['ipc']}; its stack's first non-framework frame is `com.umeng.message.PushAgent` (catalogue id `umeng-push`). `ts_mono_ns` keeps counting across the "reboot" (one timeline per fixture; a real device would restart `elapsedRealtime`) | DYN003 and DYN001 in r2 (consent accepted in r1 at seq {s['accepted']} is inherited); DYN004 (no api_call); DYN008 for r1 |
| `traffic.jsonl` | **NET002** party sdk `umeng`: https POST `https://alog.umeng.com/app_logs` at seq {t['umeng']} (after `consent_shown` seq {t['shown']}, before `consent_accepted` seq {t['accepted']}); `body_b64` decodes to JSON whose `header.aid` is Base64(android_id). **NET001**: http GET `{LOGIN_URL}` at seq {t['login']} (query `mobile` = phone fixture and phone pattern). With `traffic_policy.txt` also **NET003** for sdk `gdt` only: https POST `https://t.gdt.qq.com/conv` at seq {t['gdt']}, `body_text` `muid` = MD5(IMEI) | NET001 for the two https requests; NET002 for the GDT request (after consent) and for the login (first party); NET003 for `umeng` (the policy names 友盟); any DYN rule (the only `api_call`, GDT `getImei` at seq {t['gdt_imei']}, is after consent and in foreground) |
| `traffic_policy.txt` | — (input for NET003 with traffic.jsonl) | UTF-8 Chinese policy; its SDK section names 友盟 (友盟统计SDK, 友盟+ U-App); it names none of 优量汇 / 广点通 / 腾讯广告 / GDT / Tencent Ads |
| `capture.har` | **NET001** ×2: entry 0 `POST http://api.example-shop.cn/v1/sms/send`, form body `mobile={PHONE}&scene=login` (phone pattern); entry 3 `POST http://api.example-shop.cn/v1/realname/verify`, JSON body with `id_no` `{RESIDENT_ID}` (resident-ID pattern) | entry 1 (`https://alog.umeng.com/app_logs`, attributed to `umeng` by domain, no PI) and entry 2 (plain https GET, no PI). HAR 1.2, creator `hegui-fixture` 1, server IPs in 203.0.113.0/24; no trace, so no consent state |
| `malformed.jsonl` | reader errors at lines 2, 3, 4, 5 (below); line 6 is empty and skipped silently, not an error | — keeps 2 events: seq {malformed_kept[0]} (`trace_start`, line 1) and seq {malformed_kept[1]} (`api_call`, line 7). Rules on what is left: the app's `device_id.android_id` read has no `app_start`, no consent and no notice, so DYN001 (`app`), DYN003 and — the app never reached the foreground — DYN004 would fire; tests of this file should assert the reader only |
| `seq_decrease.jsonl` | the reader **rejects the trace**: line 5 has `seq` 2 after line 4's `seq` 3 | — |
| `ui_disguised_download.jsonl` | **DYN010** ×2 (high confidence): the splash ad's tap at seq {ud['tap_skip']} carries bounds only, which the `ui_snapshot` at seq {ud['splash']} names "跳过 3" (`com.example.shop:id/skip`), and `DownloadManager.enqueue` (category `download.enqueue`, GDT's download task) follows at seq {ud['enqueue']}; a tap on "×" at seq {ud['tap_close']} is followed by an `ipc_start` to `com.huawei.appmarket` (`market://details?id=com.example.game`) at seq {ud['store']} | DYN009 (the store page comes 0.5 s after a tap); DYN001 (consent accepted first) |
| `ui_honest_download.jsonl` | — | DYN010: the tap at seq {uh['tap']} is on "立即更新" and the `.apk` GET at seq {uh['apk']} follows it |
| `ui_reward_face.jsonl` | **DYN011** ×2: a tap at seq {uf['tap']} on `com.example.shop:id/claim`, named by the snapshot at seq {uf['screen']} "刷脸认证领 88 元红包", then `CAMERA` requested at seq {uf['ask']} (high); the screen itself puts the reward and the face scan in one label (medium) | DYN006/DYN007 (the request is granted) |
| `ui_id_check.jsonl` | — | DYN011: identity verification ("实名认证", "请拍摄身份证人像面") and a CAMERA request at seq {ui['ask']} after a tap on "下一步", with no reward |
| `ui_dumps/` | with `ui_dump_taps.jsonl` (as `--trace`): **DYN010** (high): its tap at seq {ut['tap']} carries bounds `[960,300][1040,380]` only; `window_dump-20260105-100600.xml` (shown at 10:06:00 +08:00, 2 s before it) has there the close button (`content-desc` "关闭"), and `DownloadManager.enqueue` follows at seq {ut['enqueue']}. Alone or with it: **DYN011** (medium) for that dump: "签到领现金" and "绑定身份证即可提现" (a reward and an ID number in one label). Real `uiautomator dump` format (one line, `<hierarchy rotation="0">`, every attribute) | DYN011 for `window_dump-20260105-100700.xml` (an order list) |
| `ui_dump_taps.jsonl` | alone: **DYN010** (low: the tapped element has no label without the dumps) | — |
| `ui_personalisation_forced.jsonl` | **DYN012**: the `consent_shown` of kind `personalised_ads` at seq {pf['prompt']} has one button, "开启个性化推荐" (role `accept`) | — (its `consent_accepted` answers the prompt, not the privacy notice) |
| `ui_personalisation_choice.jsonl` | — | DYN012 (the prompt at seq {pc['prompt']} offers "暂不开启", role `reject`); DYN002: refusing personalisation at seq {pc['refused']} is not rejecting the privacy notice, so Umeng's android_id read at seq {pc['collect']} is after consent |

## malformed.jsonl errors

| line | error |
|---|---|
{err_rows}
"""


# ---------------------------------------------------------------- main


def build():
    traces = {
        "clean.jsonl": clean(),
        "pre_consent.jsonl": pre_consent(),
        "rejected.jsonl": rejected(),
        "no_notice.jsonl": no_notice(),
        "background.jsonl": background(),
        "frequent.jsonl": frequent(),
        "rerequest.jsonl": rerequest(),
        "exit_after_denial.jsonl": exit_after_denial(),
        "self_start.jsonl": self_start(),
        "traffic.jsonl": traffic(),
        "ui_disguised_download.jsonl": ui_disguised_download(),
        "ui_honest_download.jsonl": ui_honest_download(),
        "ui_reward_face.jsonl": ui_reward_face(),
        "ui_id_check.jsonl": ui_id_check(),
        "ui_dump_taps.jsonl": ui_dump_taps(),
        "ui_personalisation_forced.jsonl": ui_personalisation_forced(),
        "ui_personalisation_choice.jsonl": ui_personalisation_choice(),
    }
    files = {name: tr.text().encode("utf-8") for name, tr in traces.items()}
    marks = {name: tr.marks for name, tr in traces.items()}
    files["traffic_policy.txt"] = POLICY.encode("utf-8")
    files["capture.har"] = har().encode("utf-8")
    text, errors, kept = malformed()
    files["malformed.jsonl"] = text.encode("utf-8")
    files["seq_decrease.jsonl"] = seq_decrease().text().encode("utf-8")
    for name, xml in ui_dumps().items():
        files[name] = (xml + "\n").encode("utf-8")
    check_all(files, marks)
    check_trace("malformed.jsonl", text, allow_bad=set(errors))
    files["README.md"] = readme(marks, errors, kept).encode("utf-8")
    return files


def main() -> int:
    check = "--check" in sys.argv[1:]
    files = build()
    bad = 0
    for name, data in files.items():
        path = OUT / name
        if check:
            if not path.is_file() or path.read_bytes() != data:
                print(f"{path} differs from the script", file=sys.stderr)
                bad += 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    if check:
        print(f"{len(files) - bad} of {len(files)} files up to date", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
