#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Write the trace-import fixtures in fixtures/trace/import/ (spreadsheets in the layout of
camille and PrivacySentry exports, with made-up rows written for hegui's tests).

    python3 scripts/make-trace-import-fixtures.py          # write, then re-read and verify
    python3 scripts/make-trace-import-fixtures.py --check  # exit 1 when a committed file differs

- camille.xlsx         one sheet in camille's export layout: 3 SDK rows before consent
                       (Umeng, JCore), 6 app rows after it; 0-based months in 时间点.
- privacysentry.xlsx   sheet 1 (隐私合规) call rows around the 点击隐私协议确认 marker row,
                       sheet 2 (调用次数) per-stack counts.
- broken.xlsx          a zip whose package points at xl/workbook.xml, which is missing.

The workbooks are minimal SpreadsheetML written by hand with zipfile: [Content_Types].xml,
_rels/.rels, xl/workbook.xml, xl/_rels/workbook.xml.rels and xl/worksheets/sheetN.xml with
inline strings (both tools write every cell as a string). Entries are STORED (no zlib, so
the bytes do not depend on the zlib version) with a fixed 1980-01-01 timestamp: rebuilds are
byte-identical. The real tools write BIFF8 .xls; these are what a re-save as .xlsx gives.
See fixtures/trace/import/README.md for the rows and what an importer must produce.
Python 3 standard library only.
"""
import io
import pathlib
import sys
import xml.etree.ElementTree as ET
import zipfile
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "trace" / "import"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
CT_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
REL_DOC = NS_REL + "/officeDocument"
REL_SHEET = NS_REL + "/worksheet"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CRLF = "\r\n"

# --- camille -----------------------------------------------------------------------------
# Header of camille's export (utlis write_xlsx), in order.
CAMILLE_COLUMNS = ["隐私政策状态", "时间点", "行为主体", "操作行为", "行为描述", "传入参数", "调用堆栈"]
BEFORE, AFTER = "同意隐私政策前", "同意隐私政策后"


def camille_args(*args):
    """传入参数 as camille builds it: 参数N：<json> lines joined by CR LF, last LF cut."""
    if not args:
        return "无参数"
    text = "".join(f"参数{i}：{a}{CRLF}" for i, a in enumerate(args))
    return text[:-1]  # camille slices one character: the cell keeps a trailing CR


def camille_stack(*frames):
    """调用堆栈: three spaces + StackTraceElement.toString(), each line ending CR LF."""
    return "".join(f"   {f}{CRLF}" for f in frames)


APP_BOOT = [
    "android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1277)",
    "android.app.ActivityThread.handleBindApplication(ActivityThread.java:6759)",
    "android.app.ActivityThread.access$1500(ActivityThread.java:256)",
    "android.app.ActivityThread$H.handleMessage(ActivityThread.java:2091)",
    "android.os.Handler.dispatchMessage(Handler.java:106)",
    "android.os.Looper.loopOnce(Looper.java:201)",
    "android.os.Looper.loop(Looper.java:288)",
    "android.app.ActivityThread.main(ActivityThread.java:7898)",
    "java.lang.reflect.Method.invoke(Native Method)",
    "com.android.internal.os.RuntimeInit$MethodAndArgsCaller.run(RuntimeInit.java:548)",
    "com.android.internal.os.ZygoteInit.main(ZygoteInit.java:936)",
]
UI_THREAD = [
    "android.os.Handler.handleCallback(Handler.java:942)",
    "android.os.Handler.dispatchMessage(Handler.java:99)",
    "android.os.Looper.loopOnce(Looper.java:201)",
    "android.os.Looper.loop(Looper.java:288)",
    "android.app.ActivityThread.main(ActivityThread.java:7898)",
    "java.lang.reflect.Method.invoke(Native Method)",
    "com.android.internal.os.RuntimeInit$MethodAndArgsCaller.run(RuntimeInit.java:548)",
    "com.android.internal.os.ZygoteInit.main(ZygoteInit.java:936)",
]
ON_RESUME = [
    "android.app.Instrumentation.callActivityOnResume(Instrumentation.java:1531)",
    "android.app.Activity.performResume(Activity.java:8422)",
    "android.app.ActivityThread.performResumeActivity(ActivityThread.java:4793)",
    "android.app.ActivityThread.handleResumeActivity(ActivityThread.java:4836)",
    "android.app.servertransaction.ResumeActivityItem.execute(ResumeActivityItem.java:54)",
    "android.app.servertransaction.TransactionExecutor.executeLifecycleState(TransactionExecutor.java:176)",
    "android.app.servertransaction.TransactionExecutor.execute(TransactionExecutor.java:97)",
    "android.app.ActivityThread$H.handleMessage(ActivityThread.java:2307)",
] + UI_THREAD[1:]
ON_CLICK = [
    "android.view.View.performClick(View.java:7506)",
    "android.view.View.performClickInternal(View.java:7483)",
    "android.view.View.access$3600(View.java:831)",
    "android.view.View$PerformClick.run(View.java:29351)",
] + UI_THREAD
POOL = [
    "java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1137)",
    "java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:637)",
    "java.lang.Thread.run(Thread.java:1012)",
]
UMENG_PREINIT = [
    "com.umeng.commonsdk.UMConfigure.preInit(UMConfigure.java:95)",
    "com.example.shop.App.onCreate(App.java:40)",
] + APP_BOOT
RESOLVER = '"<instance: android.content.ContentResolver, $className: android.app.ContextImpl$ApplicationContentResolver>"'

CAMILLE_ROWS = [
    [BEFORE, "2026-10-22 10:0:1", "友盟组件", "获取系统信息", "获取安卓ID",
     camille_args(RESOLVER, '"android_id"'),
     camille_stack("android.provider.Settings$Secure.getString(Native Method)",
                   "com.umeng.commonsdk.statistics.common.DeviceConfig.getAndroidId(DeviceConfig.java:212)",
                   "com.umeng.commonsdk.statistics.common.DeviceConfig.getDeviceId(DeviceConfig.java:178)",
                   *UMENG_PREINIT)],
    [BEFORE, "2026-10-22 10:0:1", "友盟组件", "获取网络信息", "获取Mac地址",
     camille_args(),
     camille_stack("java.net.NetworkInterface.getHardwareAddress(Native Method)",
                   "com.umeng.commonsdk.statistics.common.DeviceConfig.getMacByJavaAPI(DeviceConfig.java:301)",
                   "com.umeng.commonsdk.statistics.common.DeviceConfig.getMac(DeviceConfig.java:262)",
                   *UMENG_PREINIT)],
    [BEFORE, "2026-10-22 10:0:2", "极光推送", "获取电话相关信息", "获取IMEI",
     camille_args(),
     camille_stack("android.telephony.TelephonyManager.getDeviceId(Native Method)",
                   "cn.jiguang.ar.b.a(Unknown Source:24)",
                   "cn.jiguang.ar.b.run(Unknown Source:8)",
                   "cn.jpush.android.api.JPushInterface.init(Unknown Source:31)",
                   "com.example.shop.App.onCreate(App.java:44)",
                   *APP_BOOT)],
    [AFTER, "2026-10-22 10:0:9", "APP本身", "获取系统信息", "读取剪切板信息",
     camille_args(),
     camille_stack("android.content.ClipboardManager.getPrimaryClip(Native Method)",
                   "com.example.shop.ui.SearchActivity.onResume(SearchActivity.java:77)",
                   *ON_RESUME)],
    [AFTER, "2026-10-22 10:0:12", "APP本身", "获取其他app信息", "APP获取了其他app信息",
     camille_args("0"),
     camille_stack("android.app.ApplicationPackageManager.getInstalledPackages(Native Method)",
                   "com.example.shop.share.ShareHelper.installedApps(ShareHelper.java:31)",
                   "com.example.shop.share.ShareHelper.buildTargets(ShareHelper.java:19)",
                   "com.example.shop.ui.ProductActivity.onShareClick(ProductActivity.java:140)",
                   *ON_CLICK)],
    [AFTER, "2026-10-22 10:0:14", "APP本身", "获取网络信息", "获取网络是否连接",
     camille_args(),
     camille_stack("android.net.NetworkInfo.isConnected(Native Method)",
                   "com.example.shop.net.NetInfo.isOnline(NetInfo.java:17)",
                   "com.example.shop.ui.ProductActivity.onShareClick(ProductActivity.java:133)",
                   *ON_CLICK)],
    [AFTER, "2026-10-22 10:0:15", "APP本身", "申请权限", '申请具体权限看"参数1"',
     camille_args('"<instance: android.app.Activity, $className: com.example.shop.store.NearbyActivity>"',
                  '["android.permission.ACCESS_FINE_LOCATION"]', "1001"),
     camille_stack("androidx.core.app.ActivityCompat.requestPermissions(Native Method)",
                   "com.example.shop.store.NearbyActivity.askLocation(NearbyActivity.java:52)",
                   "com.example.shop.store.NearbyActivity.onCreate(NearbyActivity.java:31)",
                   "android.app.Activity.performCreate(Activity.java:8305)",
                   "android.app.Instrumentation.callActivityOnCreate(Instrumentation.java:1329)",
                   "android.app.ActivityThread.performLaunchActivity(ActivityThread.java:3626)",
                   *UI_THREAD)],
    [AFTER, "2026-10-22 10:0:16", "APP本身", "获取位置信息", "获取位置信息",
     camille_args('"gps"'),
     camille_stack("android.location.LocationManager.getLastKnownLocation(Native Method)",
                   "com.example.shop.store.NearbyStores.locate(NearbyStores.java:64)",
                   "com.example.shop.store.NearbyActivity.onRequestPermissionsResult(NearbyActivity.java:71)",
                   "android.app.Activity.dispatchRequestPermissionsResult(Activity.java:8940)",
                   *UI_THREAD)],
    [AFTER, "2026-10-22 10:0:20", "APP本身", "获取网络信息", "获取wifi SSID",
     camille_args(),
     camille_stack("android.net.wifi.WifiInfo.getSSID(Native Method)",
                   "com.example.shop.net.NetInfo.ssid(NetInfo.java:23)",
                   "com.example.shop.store.NearbyStores.locate(NearbyStores.java:70)",
                   "com.example.shop.store.NearbyActivity.onRequestPermissionsResult(NearbyActivity.java:71)",
                   "android.app.Activity.dispatchRequestPermissionsResult(Activity.java:8940)",
                   *UI_THREAD)],
]

# --- PrivacySentry -----------------------------------------------------------------------
PS_SHEETS = ["隐私合规", "调用次数"]
PS_COLUMNS = ["调用时间(倒序排序)", "别名", "函数名", "调用堆栈"]
PS_COUNT_COLUMNS = ["别名", "函数名", "调用堆栈", "调用次数"]
MARKER = "点击隐私协议确认"


def ps_line(n):
    """A line number as java.text.MessageFormat prints an Integer (grouping separators)."""
    return f"{n:,}"


def ps_stack(*frames):
    """Thread.getStackTrace() as "{cls}.{method}() {line}" joined by " <- " + LF."""
    head = [("dalvik.system.VMStack", "getThreadStackTrace", -2),
            ("java.lang.Thread", "getStackTrace", 1841),
            ("com.yl.lib.sentry.hook.util.PrivacyUtil$Util", "getStackTrace", 18),
            ("com.yl.lib.sentry.hook.util.PrivacyProxyUtil$Util", "doFilePrinter", 33)]
    return " <- \n".join(f"{c}.{m}() {ps_line(n)}" for c, m, n in head + list(frames))


def ps_fun(key, thread):
    return f"{key}-\n线程名: {thread}"


CACHE = [("com.yl.lib.sentry.hook.cache.CachePrivacyManager$Manager", "handleData", 96),
         ("com.yl.lib.sentry.hook.cache.CachePrivacyManager$Manager", "loadWithDiskCache", 48)]
CACHE_HIT = [("com.yl.lib.sentry.hook.cache.CachePrivacyManager$Manager", "handleData", 93),
             ("com.yl.lib.sentry.hook.cache.CachePrivacyManager$Manager", "loadWithDiskCache", 48)]
PS_BOOT = [("android.app.Instrumentation", "callApplicationOnCreate", 1277),
           ("android.app.ActivityThread", "handleBindApplication", 6759),
           ("android.app.ActivityThread$H", "handleMessage", 2091),
           ("android.os.Handler", "dispatchMessage", 106),
           ("android.os.Looper", "loop", 288),
           ("android.app.ActivityThread", "main", 7898),
           ("java.lang.reflect.Method", "invoke", -2),
           ("com.android.internal.os.RuntimeInit$MethodAndArgsCaller", "run", 548),
           ("com.android.internal.os.ZygoteInit", "main", 936)]
PS_UI = [("android.os.Handler", "handleCallback", 942),
         ("android.os.Handler", "dispatchMessage", 99),
         ("android.os.Looper", "loop", 288),
         ("android.app.ActivityThread", "main", 7898),
         ("java.lang.reflect.Method", "invoke", -2),
         ("com.android.internal.os.RuntimeInit$MethodAndArgsCaller", "run", 548),
         ("com.android.internal.os.ZygoteInit", "main", 936)]
PS_RESUME = [("android.app.Instrumentation", "callActivityOnResume", 1531),
             ("android.app.Activity", "performResume", 8422),
             ("android.app.ActivityThread", "performResumeActivity", 4793)] + PS_UI
UMENG_ID = [("com.umeng.commonsdk.statistics.common.DeviceConfig", "getDeviceId", 178),
            ("com.umeng.commonsdk.UMConfigure", "preInit", 95),
            ("com.example.shop.App", "onCreate", 40)] + PS_BOOT

CLIP_STACK = ps_stack(("com.yl.lib.privacy_proxy.PrivacyProxyCall$Proxy", "getPrimaryClip", 402),
                      ("com.example.shop.ui.SearchActivity", "onResume", 77), *PS_RESUME)

PS_ROWS = [
    ["11-22 10:00:01.037", "getString-系统信息", ps_fun("Secure-getString-android_id", "main"),
     ps_stack(*CACHE, ("com.yl.lib.privacy_proxy.PrivacyProxyCall$Proxy", "getString", 912),
              ("com.umeng.commonsdk.statistics.common.DeviceConfig", "getAndroidId", 212), *UMENG_ID)],
    ["11-22 10:00:01.052", "IMEI-getImei()", ps_fun("TelephonyManager-getImei", "pool-3-thread-1"),
     ps_stack(*CACHE, ("com.yl.lib.privacy_proxy.PrivacyTelephonyProxy$TelephonyProxy", "getImei", 231),
              ("cn.jiguang.ar.b", "a", 57), ("cn.jiguang.ar.b", "run", 31),
              ("java.util.concurrent.ThreadPoolExecutor", "runWorker", 1167),
              ("java.util.concurrent.ThreadPoolExecutor$Worker", "run", 641),
              ("java.lang.Thread", "run", 923))],
    ["11-22 10:00:01.060", "mac地址-getHardwareAddress", ps_fun("NetworkInterface-getHardwareAddress", "main"),
     ps_stack(*CACHE, ("com.yl.lib.privacy_proxy.PrivacyProxyCall$Proxy", "getHardwareAddress", 771),
              ("com.umeng.commonsdk.statistics.common.DeviceConfig", "getMacByJavaAPI", 301),
              ("com.umeng.commonsdk.statistics.common.DeviceConfig", "getMac", 262), *UMENG_ID)],
    ["11-22 10:00:05.480", MARKER, MARKER, MARKER],
    ["11-22 10:00:09.112", "剪贴板内容-getPrimaryClip", ps_fun("ClipboardManager-getPrimaryClip", "main"), CLIP_STACK],
    ["11-22 10:00:09.845", "剪贴板内容-getPrimaryClip", ps_fun("ClipboardManager-getPrimaryClip", "main"), CLIP_STACK],
    ["11-22 10:00:12.300", "安装包-getInstalledPackages", ps_fun("PackageManager-getInstalledPackages", "main"),
     ps_stack(("com.yl.lib.privacy_proxy.PrivacyProxyCall$Proxy", "getInstalledPackages", 188),
              ("com.example.shop.share.ShareHelper", "installedApps", 31),
              ("com.example.shop.share.ShareHelper", "buildTargets", 19),
              ("com.example.shop.ui.ProductActivity", "onShareClick", 140),
              ("android.view.View", "performClick", 7506), *PS_UI)],
    ["11-22 10:00:14.020", "命中缓存--getString-系统信息", ps_fun("Secure-getString-android_id", "main"),
     ps_stack(*CACHE_HIT, ("com.yl.lib.privacy_proxy.PrivacyProxyCall$Proxy", "getString", 912),
              ("com.example.shop.analytics.DeviceInfo", "androidId", 22),
              ("com.example.shop.ui.ProductActivity", "onShareClick", 136),
              ("android.view.View", "performClick", 7506), *PS_UI)],
    ["11-22 10:00:15.410", "com.example.shop.store.NearbyActivity-INVOKEVIRTUAL-请求权限",
     ps_fun("requestPermissions", "main"),
     ps_stack(("com.yl.lib.privacy_proxy.PrivacyPermissionProxy$Proxy", "requestPermissions", 58),
              ("com.example.shop.store.NearbyActivity", "askLocation", 52),
              ("com.example.shop.store.NearbyActivity", "onCreate", 31),
              ("android.app.Activity", "performCreate", 8305), *PS_UI)],
    ["11-22 10:00:16.500", "上一次的位置信息", ps_fun("LocationManager-getLastKnownLocation_gps", "main"),
     ps_stack(("com.yl.lib.sentry.hook.cache.CachePrivacyManager$Manager", "handleData", 96),
              ("com.yl.lib.sentry.hook.cache.CachePrivacyManager$Manager", "loadWithTimeDiskCache", 75),
              ("com.yl.lib.privacy_proxy.PrivacyProxyCall$Proxy", "getLastKnownLocation", 586),
              ("com.example.shop.store.NearbyStores", "locate", 64),
              ("com.example.shop.store.NearbyActivity", "onRequestPermissionsResult", 71),
              ("android.app.Activity", "dispatchRequestPermissionsResult", 8940), *PS_UI)],
]


def ps_counts(rows):
    """Sheet 2: one row per distinct stack (marker row left out), first row's alias and name."""
    seen = {}
    for _, alias, fun, stack in rows:
        if fun == MARKER:
            continue
        if stack in seen:
            seen[stack][3] += 1
        else:
            seen[stack] = [alias, fun, stack, 1]
    return [[a, f, s, str(n)] for a, f, s, n in seen.values()]


# --- SpreadsheetML -----------------------------------------------------------------------
def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_text(text):
    # XML parsers turn a literal CR into LF; a character reference keeps it.
    return escape(text).replace("\r", "&#13;")


def sheet_xml(rows):
    out = [XML_DECL, f'<worksheet xmlns="{NS_MAIN}"><sheetData>']
    for r, row in enumerate(rows, start=1):
        out.append(f'<row r="{r}">')
        for c, text in enumerate(row):
            out.append(f'<c r="{col_name(c)}{r}" t="inlineStr"><is><t xml:space="preserve">'
                       f"{cell_text(text)}</t></is></c>")
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def package_parts(sheets, with_workbook=True):
    """(name, text) parts of a workbook; sheets is a list of (sheet name, rows)."""
    n = len(sheets)
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{CT_WORKBOOK}"/>']
    overrides += [f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT_SHEET}"/>'
                  for i in range(1, n + 1)]
    content_types = (XML_DECL + f'<Types xmlns="{NS_CT}">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     + "".join(overrides) + "</Types>")
    root_rels = (XML_DECL + f'<Relationships xmlns="{NS_PKG_REL}">'
                 f'<Relationship Id="rId1" Type="{REL_DOC}" Target="xl/workbook.xml"/></Relationships>')
    workbook = (XML_DECL + f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheets>'
                + "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                          for i, (name, _) in enumerate(sheets, start=1))
                + "</sheets></workbook>")
    wb_rels = (XML_DECL + f'<Relationships xmlns="{NS_PKG_REL}">'
               + "".join(f'<Relationship Id="rId{i}" Type="{REL_SHEET}" Target="worksheets/sheet{i}.xml"/>'
                         for i in range(1, n + 1))
               + "</Relationships>")
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels)]
    if with_workbook:
        parts.append(("xl/workbook.xml", workbook))
    parts.append(("xl/_rels/workbook.xml.rels", wb_rels))
    parts += [(f"xl/worksheets/sheet{i}.xml", sheet_xml(rows))
              for i, (_, rows) in enumerate(sheets, start=1)]
    return parts


def zip_bytes(parts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


CAMILLE_SHEETS = [("App_privacy_compliance_testing", [CAMILLE_COLUMNS] + CAMILLE_ROWS)]
PS_SHEETS_DATA = [(PS_SHEETS[0], [PS_COLUMNS] + PS_ROWS),
                  (PS_SHEETS[1], [PS_COUNT_COLUMNS] + ps_counts(PS_ROWS))]
BROKEN_SHEETS = [("App_privacy_compliance_testing", [CAMILLE_COLUMNS] + CAMILLE_ROWS[:1])]

FILES = {
    "camille.xlsx": (zip_bytes(package_parts(CAMILLE_SHEETS)), CAMILLE_SHEETS),
    "privacysentry.xlsx": (zip_bytes(package_parts(PS_SHEETS_DATA)), PS_SHEETS_DATA),
    "broken.xlsx": (zip_bytes(package_parts(BROKEN_SHEETS, with_workbook=False)), None),
}


# --- verification ------------------------------------------------------------------------
def read_workbook(data):
    """Minimal reader: [(sheet name, rows of cell strings)]; raises on any defect."""
    q = lambda ns, tag: f"{{{ns}}}{tag}"  # noqa: E731
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            ET.fromstring(z.read(name))  # every part is well-formed XML
        rels = ET.fromstring(z.read("_rels/.rels"))
        main = next(r.get("Target") for r in rels if r.get("Type") == REL_DOC)
        wb = ET.fromstring(z.read(main))
        wb_rels = {r.get("Id"): r.get("Target")
                   for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
        out = []
        for s in wb.find(q(NS_MAIN, "sheets")):
            target = "xl/" + wb_rels[s.get(q(NS_REL, "id"))]
            ws = ET.fromstring(z.read(target))
            rows = []
            for row in ws.find(q(NS_MAIN, "sheetData")):
                rows.append(["".join(t.text or "" for t in c.iter(q(NS_MAIN, "t"))) for c in row])
            out.append((s.get("name"), rows))
        return out


def verify(name, data, sheets):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None, name
        assert all(i.date_time == ZIP_DATE for i in z.infolist()), name
    if sheets is None:  # broken.xlsx: a zip, parts well-formed, but no workbook part
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert "xl/workbook.xml" not in z.namelist()
            for n in z.namelist():
                ET.fromstring(z.read(n))
        try:
            read_workbook(data)
        except KeyError:
            return
        raise AssertionError(f"{name} unexpectedly reads as a workbook")
    got = read_workbook(data)
    want = [(n, [list(r) for r in rows]) for n, rows in sheets]
    assert got == want, f"{name}: cells do not read back as written"


def main() -> int:
    check = "--check" in sys.argv[1:]
    bad = 0
    for name, (data, sheets) in FILES.items():
        verify(name, data, sheets)
        path = OUT / name
        if check:
            if not path.is_file() or path.read_bytes() != data:
                print(f"{path} differs from the script", file=sys.stderr)
                bad += 1
        else:
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"{path.relative_to(ROOT)}  {len(data)} bytes")
    if check:
        print(f"{len(FILES) - bad} of {len(FILES)} files up to date", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
