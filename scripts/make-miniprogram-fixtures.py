#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""make-miniprogram-fixtures.py — regenerate the mini-program fixtures under fixtures/miniprogram/.

    python3 scripts/make-miniprogram-fixtures.py          # (re)write the fixtures, print sizes
    python3 scripts/make-miniprogram-fixtures.py --check  # regenerate into a temp dir and
                                                          # fail if any committed file differs

Run from anywhere (paths are resolved from this file); the usual place is the repo root.

What it makes (see fixtures/README.md, section "Mini-program fixtures", for the findings each
one is meant to trigger):

  demo-project/                  a WeChat mini-program *source* project (project.config.json,
                                 miniprogram/app.json, app.js, config/api.js, two pages, and a
                                 node_modules/ package the scanner must skip)
  plain.wxapkg                   a plain WeChat package (0xBE ... 0xED header, big-endian index)
  wx0123456789abcdef-pc.wxapkg   a small WeChat package encrypted with the Windows-PC "V1MMWX"
                                 scheme under the appid in its file name
  tpkg.pkg                       a ByteDance TPKG package (little-endian index)
  taro-dist/                     a Taro 3 build (webpack 5, minified shape): pages reach the
                                 platform only through `o().getLocation()` on the Taro
                                 runtime's module, and set `openType` as a JS property
  uniapp-dist/                   a uni-app build: pages run inside `(function(e){…}).call(this,
                                 n("543d").default)`, the runtime forwards `wx[name]`
  taro.wxapkg, uniapp.wxapkg     the two builds above as WeChat packs them: every script
                                 wrapped in `define("path.js", function(require, module,
                                 exports, …){…})` inside one app-service.js
  sandbox/<case>/                source trees with known answers for `hegui scan --run`:
                                 launch-location (getLocation in onLaunch, no privacy flow),
                                 tap-after-consent (a privacy flow; location only from a tap),
                                 cleartext-phone (the phone number POSTed over http://),
                                 endless-loop, unbounded-alloc (budget errors, scan goes on)
  sandbox-launch.wxapkg          launch-location as WeChat packs it
  parties.wxapkg                 a plain package with a plugin's code, a statistics SDK, a
                                 platform branch for Alipay, dead and development branches, a
                                 module nothing requires, an AppSecret in a request URL, the
                                 one cleartext request that carries PI, and link text naming
                                 the privacy policy

Every byte is written by this script: no toolchain, no timestamps, no randomness, package
entries in sorted name order, LF line endings, UTF-8. A rebuild is byte-identical. The AppSecret
values below are invented for the fixtures and belong to no real app.

After writing, the packages are parsed back by a small reader written independently of the
writer (and the V1MMWX file is decrypted) and the entry names, sizes and contents are asserted.

Python 3 standard library plus `cryptography` (for AES-256-CBC).
"""
import argparse
import filecmp
import hashlib
import json
import struct
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "miniprogram"

# Invented AppSecret-shaped values (32 lowercase hex digits). Not real secrets.
DEMO_SECRET = "5e1f0c3a9b7d24e6a8f1c05b3d9e7a42"
PC_SECRET = "c7a29e04f5b13d68e2a7c4190b6f58d3"

DEMO_APPID = "wx0123456789abcdef"
PLAIN_APPID = "wx00000000000000aa"
PC_APPID = "wx0123456789abcdef"
TT_APPID = "tt0123456789abcdef"

# V1MMWX parameters.
V1MMWX_MAGIC = b"V1MMWX"
V1MMWX_SALT = b"saltiest"
V1MMWX_IV = b"the iv: 16 bytes"
V1MMWX_ROUNDS = 1000
V1MMWX_HEAD = 1024  # ciphertext bytes of the AES part: 1023 plaintext bytes + one 0x01 pad byte


def jdump(obj, indent=None):
    """Deterministic JSON text (key order as written, non-ASCII kept), ending in a newline."""
    return json.dumps(obj, ensure_ascii=False, indent=indent) + "\n"


# --- 1. demo-project: a WeChat source project ------------------------------------------------

DEMO_INDEX_JS = """\
const w = wx;
Page({
  onLoad() {
    w.getLocation({ type: 'gcj02' });
    wx['chooseAddress']({});
    wx.request({ url: 'http://api.hegui-fixture.example/wx/home', data: {} });
  }
})
"""
# `w.getLocation` is on line 4, column 5 (1-based) of pages/index/index.js: asserted below.


def demo_project():
    """(relative path, bytes) of the source project."""
    files = {
        "project.config.json": jdump(
            {"appid": DEMO_APPID, "miniprogramRoot": "miniprogram/", "compileType": "miniprogram"},
            indent=2,
        ),
        "miniprogram/app.json": jdump(
            {
                "pages": ["pages/index/index", "pages/me/me"],
                "permission": {
                    "scope.userLocation": {"desc": "你的位置信息将用于小程序位置接口的效果展示"}
                },
                # getLocation is called (pages/index/index.js) but only chooseAddress is declared.
                "requiredPrivateInfos": ["chooseAddress"],
                # Background location declared, but nothing uses startLocationUpdateBackground.
                "requiredBackgroundModes": ["location"],
            },
            indent=2,
        ),
        "miniprogram/app.js": (
            "App({\n"
            "  globalData: {\n"
            f"    appid: '{DEMO_APPID}',\n"
            f"    secret: '{DEMO_SECRET}'\n"
            "  },\n"
            "  onLaunch() {\n"
            "    wx.getClipboardData({});\n"
            "  }\n"
            "})\n"
        ),
        "miniprogram/config/api.js": (
            "var ApiRoot = 'http://api.hegui-fixture.example/wx/';\n"
            "// var ApiRoot = 'http://192.168.1.3:8080/wx/';\n"
            "\n"
            "module.exports = { IndexUrl: ApiRoot + 'home/index' };\n"
        ),
        "miniprogram/pages/index/index.js": DEMO_INDEX_JS,
        "miniprogram/pages/index/index.wxml": (
            '<view class="container">\n'
            '  <button open-type="getPhoneNumber" bindgetphonenumber="onPhone">手机号登录</button>\n'
            '  <!-- <button open-type="chooseAvatar">x</button> -->\n'
            '  <image src="http://img.hegui-fixture.example/logo.png"/>\n'
            "</view>\n"
        ),
        "miniprogram/pages/me/me.js": (
            "Page({\n"
            "  data: { title: '我的' }\n"
            "})\n"
        ),
        "miniprogram/pages/me/me.wxml": '<view class="me">{{title}}</view>\n',
        # A build input: an npm package that calls getLocation. The scanner must skip node_modules.
        "miniprogram/node_modules/leftpad/index.js": (
            "module.exports = function leftpad(s, n) {\n"
            "  wx.getLocation();\n"
            "  while (s.length < n) s = ' ' + s;\n"
            "  return s;\n"
            "};\n"
        ),
    }
    return {k: v.encode("utf-8") for k, v in sorted(files.items())}


# --- package writers ---------------------------------------------------------------------------


def build_wxapkg(files):
    """WeChat .wxapkg, big-endian: 0xBE, u32 info1 = 0, u32 index_length, u32 body_length, 0xED
    (14-byte header), then the index (u32 count; per file u32 name_len, name, u32 absolute
    offset, u32 size), then the data, contiguous, in index order. Names start with '/'."""
    names = sorted(files)
    assert all(n.startswith("/") for n in names)
    index_len = 4 + sum(4 + len(n.encode("utf-8")) + 8 for n in names)
    offset = 14 + index_len
    index = [struct.pack(">I", len(names))]
    for n in names:
        raw = n.encode("utf-8")
        index.append(struct.pack(">I", len(raw)) + raw + struct.pack(">II", offset, len(files[n])))
        offset += len(files[n])
    index = b"".join(index)
    assert len(index) == index_len
    body = b"".join(files[n] for n in names)
    header = b"\xbe" + struct.pack(">III", 0, index_len, len(body)) + b"\xed"
    assert len(header) == 14
    return header + index + body


def build_tpkg(files):
    """ByteDance TPKG, little-endian: b"TPKG", u32 version = 2, u32 reserved = 0, u32 count, then
    per file u32 name_len, name (no leading '/'), u32 absolute offset, u32 size; then the data,
    contiguous, in index order, the last file ending at EOF."""
    names = sorted(files)
    assert not any(n.startswith("/") for n in names)
    header_len = 16 + sum(4 + len(n.encode("utf-8")) + 8 for n in names)
    out = [b"TPKG", struct.pack("<III", 2, 0, len(names))]
    offset = header_len
    for n in names:
        raw = n.encode("utf-8")
        out.append(struct.pack("<I", len(raw)) + raw + struct.pack("<II", offset, len(files[n])))
        offset += len(files[n])
    out.extend(files[n] for n in names)
    return b"".join(out)


def v1mmwx_key(appid):
    return hashlib.pbkdf2_hmac("sha1", appid.encode("ascii"), V1MMWX_SALT, V1MMWX_ROUNDS, 32)


def v1mmwx_xor_byte(appid):
    return ord(appid[-2]) if len(appid) >= 2 else 0x66


def v1mmwx_encrypt(plain, appid):
    """b"V1MMWX" + AES-256-CBC(key, IV, P[:1023] + b"\\x01") + (P[1023:] XOR appid[-2])."""
    assert len(plain) > V1MMWX_HEAD, "the package must be longer than the encrypted head"
    enc = Cipher(algorithms.AES(v1mmwx_key(appid)), modes.CBC(V1MMWX_IV)).encryptor()
    c1 = enc.update(plain[: V1MMWX_HEAD - 1] + b"\x01") + enc.finalize()
    assert len(c1) == V1MMWX_HEAD
    x = v1mmwx_xor_byte(appid)
    c2 = bytes(b ^ x for b in plain[V1MMWX_HEAD - 1 :])
    return V1MMWX_MAGIC + c1 + c2


# --- 2. plain.wxapkg ---------------------------------------------------------------------------

# In /app-service.js the second define() module spans lines 2-6 of the file. Counting its define
# line as line 1, `wx.getLocation` is on line 3 of the module, column 3 (two spaces of indent);
# in the whole file that is line 4, column 3. Asserted in check_locations().
PLAIN_APP_SERVICE = """\
define("app.js", function(require, module, exports, window, document){ App({}); });
define("pages/index/index.js", function(require, module, exports){ Page({ onLoad: function(){
  wx.onNeedPrivacyAuthorization(function(r){ r({event:'agree'}) });
  wx.getLocation({});
  wx.request({url: 'https://api.hegui-fixture.example/v1'});
} }); });
"""
PLAIN_GETLOCATION_MODULE_LINE = 3
PLAIN_GETLOCATION_COLUMN = 3

PLAIN_PAGE_FRAME = """\
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<script>
var z=[];function Z(o){z.push(o)}
Z([3,'getPhoneNumber'])
Z([3,'agreePrivacyAuthorization'])
Z([3,'contact'])
</script>
</head>
<body></body>
</html>
"""


def plain_package_files():
    files = {
        "/app-config.json": jdump(
            {
                "appid": PLAIN_APPID,
                "pages": ["pages/index/index.html", "pages/privacy/privacy.html"],
                "permission": {"scope.userLocation": {"desc": "用于查找您附近的门店并计算配送距离"}},
                "requiredPrivateInfos": ["getLocation"],
                "__usePrivacyCheck__": True,
            }
        ),
        "/app-service.js": PLAIN_APP_SERVICE,
        "/page-frame.html": PLAIN_PAGE_FRAME,
        "/pages/index/index.html": '<html><body><div id="index"></div></body></html>\n',
        "/pages/privacy/privacy.html": (
            '<html><head><meta charset="utf-8"><title>隐私政策</title></head>'
            "<body><h1>隐私政策</h1></body></html>\n"
        ),
    }
    return {k: v.encode("utf-8") for k, v in sorted(files.items())}


# --- 3. wx0123456789abcdef-pc.wxapkg (V1MMWX) --------------------------------------------------


def pc_package_files():
    filler = "".join(
        f"hegui fixture filler line {i:02d}: padding so the package is longer than the "
        f"1024-byte encrypted head.\n"
        for i in range(1, 17)
    )
    files = {
        "/app-config.json": jdump({"pages": ["pages/index/index.html"]}),
        "/app-service.js": (
            'define("app.js", function(){ App({ globalData: { secret: '
            f"'{PC_SECRET}' }} }}); wx.getUserInfo({{}}); }});\n"
        ),
        "/assets/readme.txt": filler,
    }
    return {k: v.encode("utf-8") for k, v in sorted(files.items())}


# --- 4. tpkg.pkg -------------------------------------------------------------------------------


def tpkg_files():
    files = {
        "app-config.json": jdump(
            {
                "appId": TT_APPID,
                "pages": ["pages/index/index"],
                "permission": {},
                "usePrivacyCheck": True,
            }
        ),
        "app.js": "tt.getLocation({});\ntt.requirePrivacyAuthorize({});\n",
        "page-frame.js": (
            "function s(r,o){return o}\n"
            "var r={};\n"
            's(r,{openType:"agreePrivacyAuthorization",id:"agree-btn"})\n'
            's(r,{openType:"getPhoneNumber"})\n'
        ),
    }
    return {k: v.encode("utf-8") for k, v in sorted(files.items())}


# --- 5. taro-dist/ (Taro 3, webpack 5, minified shape) ----------------------------------------
# The runtime forwards every API by name from a list: no `wx.getLocation` literal anywhere.

TARO_RUNTIME = """"use strict";
(wx["webpackJsonp"] = wx["webpackJsonp"] || []).push([[526], {
4795: function(e, t, n) {
  var r = {};
  var o = ["getLocation", "chooseContact", "getWeRunData", "getClipboardData", "getPrivacySetting",
    "openPrivacyContract", "showToast", "navigateTo", "request"];
  function i(a, g) { o.forEach(function(k) { a[k] = function(x) { return g[k](x); }; }); }
  i(r, wx);
  e.exports = r;
  e.exports.default = e.exports;
},
2: function(e, t, n) {
  var s = wx.getSystemInfoSync();
  e.exports = { pixelRatio: s.pixelRatio };
}
}]);
"""

TARO_PAGE = """"use strict";
(wx["webpackJsonp"] = wx["webpackJsonp"] || []).push([[10], {
862: function(e, t, n) {
  var c = n(4795), o = n.n(c), l = n(7);
  function a() {
    o().getPrivacySetting({ success: function(r) { if (r.needAuthorization) { o().openPrivacyContract({}); } } });
  }
  function p() { o().chooseContact({}); o().getWeRunData({}); }
  function f() { o().getClipboardData({}); o().showToast({ title: "ok" }); o().navigateTo({ url: "/pages/me/index" }); }
  function g() { o().getLocation({ type: "gcj02" }); }
  t.default = function() {
    return Object(l.jsx)("button", { openType: "agreePrivacyAuthorization", onClick: a, children: "同意" });
  };
}
}, [[862, 0, 526, 96]]]);
"""


def taro_dist():
    files = {
        "app.json": jdump({"pages": ["pages/index/index"], "window": {}}, indent=2),
        "app.js": 'require("./runtime");\nrequire("./taro");\nrequire("./vendors");\nApp({});\n',
        "runtime.js": "(function(){ var m = {}; wx.webpackJsonp = m; })();\n",
        "taro.js": TARO_RUNTIME,
        "vendors.js": '(wx["webpackJsonp"] = wx["webpackJsonp"] || []).push([[96], {\n7: function(e, t, n) { t.jsx = function(a, b) { return b; }; }\n}]);\n',
        "pages/index/index.js": TARO_PAGE,
        "pages/index/index.json": jdump({"usingComponents": {}}),
        "pages/index/index.wxml": '<import src="../../base.wxml"/>\n<template is="taro_tmpl" data="{{root:root}}" />\n',
        "base.wxml": '<template name="tmpl_0_button"><button open-type="{{i.openType}}" bindagreeprivacyauthorization="eh">{{i.cn}}</button></template>\n',
    }
    return {k: v.encode("utf-8") for k, v in sorted(files.items())}


# --- 6. uniapp-dist/ (uni-app for WeChat, minified shape) ----------------------------------------

UNI_VENDOR = """(global["webpackJsonp"] = global["webpackJsonp"] || []).push([["common/vendor"], {
"543d": function(e, t, n) {
  "use strict";
  (function(g) {
    Object.defineProperty(t, "__esModule", { value: !0 });
    t.default = void 0;
    var r = ["getLocation", "chooseAddress", "showToast", "navigateTo", "request"];
    function o(name) { return function(x) { return wx[name](x); }; }
    var i = {};
    r.forEach(function(k) { i[k] = o(k); });
    var c = i;
    t.default = c;
  }).call(this, n("c8ba"));
},
c8ba: function(e, t) {
  var n;
  n = function() { return this; }();
  e.exports = n;
}
}]);
"""

UNI_PAGE = """(global["webpackJsonp"] = global["webpackJsonp"] || []).push([["pages/index/index"], {
a1b2: function(e, t, n) {
  "use strict";
  (function(e) {
    Object.defineProperty(t, "__esModule", { value: !0 });
    t.default = void 0;
    var n = { methods: {
      locate: function() { e.getLocation({ type: "gcj02", success: function() {} }); e.showToast({ title: "ok" }); },
      address: function() { e.chooseAddress({}); e.navigateTo({ url: "/pages/a/a" }); }
    } };
    t.default = n;
  }).call(this, n("543d")["default"]);
}
}, [["a1b2", "common/runtime", "common/vendor"]]]);
"""


def uniapp_dist():
    files = {
        "app.json": jdump({"pages": ["pages/index/index"]}, indent=2),
        "app.js": 'require("./common/runtime.js");\nrequire("./common/vendor.js");\nrequire("./common/main.js");\n',
        "common/runtime.js": "(function(){ global.webpackJsonp = []; })();\n",
        "common/main.js": '(global["webpackJsonp"] = global["webpackJsonp"] || []).push([["common/main"], {\n"0": function(e, t, n) { App({}); }\n}]);\n',
        "common/vendor.js": UNI_VENDOR,
        "pages/index/index.js": UNI_PAGE,
        "pages/index/index.json": jdump({"usingComponents": {}}),
        "pages/index/index.wxml": "<view><text>首页</text></view>\n",
    }
    return {k: v.encode("utf-8") for k, v in sorted(files.items())}


# --- 7. taro.wxapkg, uniapp.wxapkg: the builds above packed the way WeChat packs them ---------


def packed(dist_files, appid):
    """A package of a build folder: its scripts `define`d in app-service.js (with the two
    dozen parameters WeChat's factories take), pages required at the end."""
    params = ("require, module, exports, window, document, frames, self, location, navigator, "
              "localStorage, history, Caches, screen, alert, confirm, prompt, fetch, "
              "XMLHttpRequest, WebSocket, webkit, WeixinJSCore, Reporter, print, WeixinWorker")
    app = json.loads(dist_files["app.json"].decode("utf-8"))
    service = []
    for name, data in sorted(dist_files.items()):
        if name.endswith(".js"):
            body = data.decode("utf-8")
            service.append(f'define("{name}", function({params}){{\n"use strict";\n{body}}});\n')
    for page in app["pages"]:
        service.append(f'__wxRoute = "{page}"; __wxRouteBegin = true; require("{page}.js");\n')
    service.append('require("app.js");\n')
    files = {
        "/app-config.json": jdump({"appid": appid, "pages": [p + ".html" for p in app["pages"]]}),
        "/app-service.js": "".join(service),
    }
    return {k: v.encode("utf-8") for k, v in sorted(files.items())}


# --- 8. parties.wxapkg ------------------------------------------------------------------------
# Invented AppSecret-shaped value in a request URL.
URL_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

PARTIES_APP_SERVICE = """define("app.js", function(require, module, exports){
"use strict";
var ald = require("utils/ald-stat.js");
var api = require("config/api.js");
App({ onLaunch: function() { wx.getLocation({ type: "gcj02" }); } });
});
define("utils/ald-stat.js", function(require, module, exports){
"use strict";
function report(d) { wx.request({ url: "https://log.aldwx.com/d.html", data: d }); }
wx.getLocation({ success: function(r) { report(r); } });
wx.getNetworkType({});
module.exports = { report: report };
});
define("config/api.js", function(require, module, exports){
"use strict";
var off = !1;
var hosts = { dev: "http://192.168.1.20:8080/api", test: "http://10.0.0.8:8080/api", local: "http://localhost:3000/api" };
var base = off ? "http://old.example.cn/api" : "https://api.example.cn";
module.exports = { base: base, hosts: hosts };
});
define("pages/index/index.js", function(require, module, exports){
"use strict";
var api = require("../../config/api.js");
Page({
  data: { avatarUrl: "http://thirdwx.example.cn/mmopen/" + "abc", h5Url: "http://www.partner.example.com/h5" },
  onShareAppMessage: function() { return { title: "hi", imageUrl: "http://img.example.cn/share/" + this.id, path: "/pages/index/index" }; },
  save: function(p) { wx.request({ url: "http://member.example.cn/user/save", method: "POST", data: { phone: p.phone, name: p.name, birthday: p.birthday } }); },
  login: function(code) { wx.request({ url: "https://api.weixin.qq.com/sns/jscode2session?appid=wx00000000000000bb&secret=@SECRET@&js_code=" + code }); },
  locate: function() { if (typeof my !== "undefined") { my.getLocation({}); } else { wx.chooseLocation({}); } }
});
});
define("utils/mock.js", function(require, module, exports){
"use strict";
module.exports = function() { wx.request({ url: "http://mock.example.cn/user", data: { id: 1 } }); wx.getLocation({}); };
});
define("plugin-private://wx50b5593e81dd937a/index.js", function(require, module, exports){
"use strict";
module.exports = { plan: function() { wx.chooseLocation({}); } };
});
__wxRoute = "pages/index/index"; __wxRouteBegin = true; require("pages/index/index.js");
require("app.js");
""".replace("@SECRET@", URL_SECRET)

PARTIES_PAGE_FRAME = """<!DOCTYPE html>
<html>
<head>
<script>
var z = []; function Z(a) { z.push(a); }
Z([3, '阅读并同意《隐私政策》']);
Z([3, '/pages/about/index?key=ysxy']);
</script>
</head>
<body></body>
</html>
"""


def parties_package_files():
    files = {
        "/app-config.json": jdump(
            {
                "appid": "wx00000000000000bb",
                "pages": ["pages/index/index.html", "pages/about/index.html"],
                "requiredPrivateInfos": ["getLocation"],
                "plugins": {"routePlan": {"version": "1.0.19", "provider": "wx50b5593e81dd937a"}},
            }
        ),
        "/app-service.js": PARTIES_APP_SERVICE,
        "/page-frame.html": PARTIES_PAGE_FRAME,
    }
    return {k: v.encode("utf-8") for k, v in sorted(files.items())}


# --- generation --------------------------------------------------------------------------------


# --- 9. sandbox/ -------------------------------------------------------------------------------
SANDBOX_PAGE = 'Page({ data: { ready: false }, onLoad: function () {}, onReady: function () { this.setData({ ready: true }); } });\n'
SANDBOX_CASES = {
    "launch-location": {
        "app.js": 'App({\n  onLaunch: function () {\n    wx.getLocation({ type: "gcj02", success: function (r) { getApp().where = r; } });\n  }\n});\n',
        "pages/index/index.js": SANDBOX_PAGE,
    },
    "tap-after-consent": {
        "app.js": 'App({\n  onLaunch: function () {\n    wx.onNeedPrivacyAuthorization(function (resolve) { getApp().agree = resolve; });\n  }\n});\n',
        "pages/index/index.js": 'Page({\n  onLoad: function () {},\n  showNearby: function () {\n    wx.getLocation({ type: "gcj02", success: function () {} });\n  }\n});\n',
    },
    "cleartext-phone": {
        "app.js": 'App({});\n',
        "pages/index/index.js": 'var api = require("../../utils/api.js");\nPage({\n  onLoad: function () {\n    api.save({ phone: "13800138000", name: "test" });\n  }\n});\n',
        "utils/api.js": 'module.exports = {\n  save: function (data) {\n    wx.request({ url: "http://member.example.cn/user/save", method: "POST", data: data });\n  }\n};\n',
    },
    "endless-loop": {
        "app.js": 'App({\n  onLaunch: function () {\n    for (;;) {}\n  }\n});\n',
        "pages/index/index.js": SANDBOX_PAGE,
    },
    "unbounded-alloc": {
        "app.js": 'App({\n  onLaunch: function () {\n    var keep = [];\n    for (;;) { keep.push(new Array(100000).fill(7)); }\n  }\n});\n',
        "pages/index/index.js": SANDBOX_PAGE,
    },
}


def sandbox_trees():
    out = {}
    for case, files in SANDBOX_CASES.items():
        out[f"sandbox/{case}/app.json"] = jdump({"pages": ["pages/index/index"]}, indent=2).encode("utf-8")
        for name, text in files.items():
            out[f"sandbox/{case}/{name}"] = text.encode("utf-8")
    return out


def all_outputs():
    """Every fixture file: relative path under fixtures/miniprogram/ -> bytes."""
    out = {}
    for rel, data in demo_project().items():
        out["demo-project/" + rel] = data
    out["plain.wxapkg"] = build_wxapkg(plain_package_files())
    out[f"{PC_APPID}-pc.wxapkg"] = v1mmwx_encrypt(build_wxapkg(pc_package_files()), PC_APPID)
    out["tpkg.pkg"] = build_tpkg(tpkg_files())
    for rel, data in taro_dist().items():
        out["taro-dist/" + rel] = data
    for rel, data in uniapp_dist().items():
        out["uniapp-dist/" + rel] = data
    out["parties.wxapkg"] = build_wxapkg(parties_package_files())
    out.update(sandbox_trees())
    launch = {rel.split("/", 2)[2]: data for rel, data in sandbox_trees().items()
              if rel.startswith("sandbox/launch-location/")}
    out["sandbox-launch.wxapkg"] = build_wxapkg(packed(launch, "wx00000000000000ee"))
    out["taro.wxapkg"] = build_wxapkg(packed(taro_dist(), "wx00000000000000cc"))
    out["uniapp.wxapkg"] = build_wxapkg(packed(uniapp_dist(), "wx00000000000000dd"))
    return dict(sorted(out.items()))


def write_tree(dest, outputs):
    for rel, data in outputs.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def files_under(d):
    return sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file())


# --- independent read-back ---------------------------------------------------------------------
# Written against the format descriptions, not by calling the writers above.


def read_index(data, pos, count, endian):
    u32 = struct.Struct(endian + "I")
    entries = []
    for _ in range(count):
        (nlen,) = u32.unpack_from(data, pos)
        name = data[pos + 4 : pos + 4 + nlen].decode("utf-8")
        pos += 4 + nlen
        off, size = struct.unpack_from(endian + "II", data, pos)
        pos += 8
        entries.append((name, off, size))
    return entries, pos


def read_wxapkg(data):
    assert data[0] == 0xBE and data[13] == 0xED, "wxapkg marks"
    info1, index_len, body_len = struct.unpack_from(">III", data, 1)
    assert info1 == 0
    (count,) = struct.unpack_from(">I", data, 14)
    entries, end = read_index(data, 18, count, ">")
    assert end == 14 + index_len, "index_length"
    assert 14 + index_len + body_len == len(data), "body_length"
    return check_contiguous(data, entries, end)


def read_tpkg(data):
    assert data[:4] == b"TPKG"
    version, reserved, count = struct.unpack_from("<III", data, 4)
    assert (version, reserved) == (2, 0)
    entries, end = read_index(data, 16, count, "<")
    return check_contiguous(data, entries, end)


def check_contiguous(data, entries, data_start):
    pos = data_start
    files = {}
    for name, off, size in entries:
        assert off == pos, f"{name}: offset {off}, expected {pos}"
        files[name] = data[off : off + size]
        pos += size
    assert pos == len(data), "the last file must end at EOF"
    assert list(files) == sorted(files), "entries in sorted order"
    return files


def decrypt_v1mmwx(data, appid):
    assert data[:6] == b"V1MMWX"
    key = hashlib.pbkdf2_hmac("sha1", appid.encode("ascii"), b"saltiest", 1000, 32)
    dec = Cipher(algorithms.AES(key), modes.CBC(b"the iv: 16 bytes")).decryptor()
    head = dec.update(data[6:1030]) + dec.finalize()
    assert len(head) == 1024 and head[-1] == 0x01, "pad byte"
    x = ord(appid[-2]) if len(appid) >= 2 else 0x66
    return head[:-1] + bytes(b ^ x for b in data[1030:])


def line_col(text, needle):
    """1-based line and column (in characters) of the only occurrence of needle."""
    assert text.count(needle) == 1, needle
    i = text.index(needle)
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return line, col


def define_module(src, module_path):
    """The text of one define("<path>", ...) module, from its define line to the next define."""
    start = src.index(f'define("{module_path}"')
    start = src.rfind("\n", 0, start) + 1
    nxt = src.find("\ndefine(", start)
    return src[start : len(src) if nxt < 0 else nxt + 1]


def verify(d):
    """Parse what is in directory d and assert names, sizes and contents. Returns facts."""
    facts = {}

    # parties.wxapkg: the entries read back as written.
    parties = read_wxapkg((d / "parties.wxapkg").read_bytes())
    assert sorted(parties) == ["/app-config.json", "/app-service.js", "/page-frame.html"], parties
    assert parties["/app-service.js"] == PARTIES_APP_SERVICE.encode("utf-8")

    # plain.wxapkg
    plain = read_wxapkg((d / "plain.wxapkg").read_bytes())
    assert list(plain) == [
        "/app-config.json",
        "/app-service.js",
        "/page-frame.html",
        "/pages/index/index.html",
        "/pages/privacy/privacy.html",
    ], list(plain)
    for name, data in plain_package_files().items():
        assert plain[name] == data and len(plain[name]) == len(data), name
    cfg = json.loads(plain["/app-config.json"])
    assert cfg["appid"] == PLAIN_APPID and cfg["requiredPrivateInfos"] == ["getLocation"]
    assert cfg["__usePrivacyCheck__"] is True
    service = plain["/app-service.js"].decode("utf-8")
    module = define_module(service, "pages/index/index.js")
    assert module.startswith('define("pages/index/index.js"')
    m_line, m_col = line_col(module, "wx.getLocation")
    assert (m_line, m_col) == (PLAIN_GETLOCATION_MODULE_LINE, PLAIN_GETLOCATION_COLUMN)
    facts["plain module getLocation"] = (m_line, m_col)
    facts["plain file getLocation"] = line_col(service, "wx.getLocation")
    frame = plain["/page-frame.html"].decode("utf-8")
    for ot in ("getPhoneNumber", "agreePrivacyAuthorization", "contact"):
        assert f"Z([3,'{ot}'])" in frame
    facts["plain.wxapkg entries"] = {k: len(v) for k, v in plain.items()}

    # wx0123456789abcdef-pc.wxapkg
    enc = (d / f"{PC_APPID}-pc.wxapkg").read_bytes()
    inner_bytes = decrypt_v1mmwx(enc, PC_APPID)
    assert inner_bytes == build_wxapkg(pc_package_files())
    assert len(enc) == 6 + len(inner_bytes) + 1
    inner = read_wxapkg(inner_bytes)
    assert list(inner) == ["/app-config.json", "/app-service.js", "/assets/readme.txt"]
    for name, data in pc_package_files().items():
        assert inner[name] == data, name
    assert PC_SECRET.encode() in inner["/app-service.js"]
    assert PC_SECRET.encode() not in enc, "the secret must not be visible in the encrypted file"
    # A wrong appid must not decrypt to the package.
    try:
        wrong = decrypt_v1mmwx(enc, PLAIN_APPID)
    except AssertionError:  # the pad byte is not 0x01
        wrong = None
    assert wrong != inner_bytes
    facts["pc inner size"] = len(inner_bytes)
    facts["pc inner entries"] = {k: len(v) for k, v in inner.items()}

    # tpkg.pkg
    tp = read_tpkg((d / "tpkg.pkg").read_bytes())
    assert list(tp) == ["app-config.json", "app.js", "page-frame.js"], list(tp)
    for name, data in tpkg_files().items():
        assert tp[name] == data, name
    assert json.loads(tp["app-config.json"])["appId"] == TT_APPID
    facts["tpkg.pkg entries"] = {k: len(v) for k, v in tp.items()}

    # demo-project
    proj = d / "demo-project"
    assert json.loads((proj / "project.config.json").read_text("utf-8"))["appid"] == DEMO_APPID
    app = json.loads((proj / "miniprogram/app.json").read_text("utf-8"))
    assert app["requiredPrivateInfos"] == ["chooseAddress"]
    assert app["requiredBackgroundModes"] == ["location"]
    idx = (proj / "miniprogram/pages/index/index.js").read_text("utf-8")
    facts["demo w.getLocation"] = line_col(idx, "w.getLocation")
    assert facts["demo w.getLocation"] == (4, 5)
    assert DEMO_SECRET in (proj / "miniprogram/app.js").read_text("utf-8")
    for text_file in proj.rglob("*"):
        if text_file.is_file() and "node_modules" not in text_file.parts:
            t = text_file.read_text("utf-8")
            assert "privacy" not in t.lower() and "隐私" not in t, text_file
    for secret in (DEMO_SECRET, PC_SECRET):
        assert len(secret) == 32 and all(c in "0123456789abcdef" for c in secret)
    return facts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temp dir and exit 1 if any committed file differs",
    )
    args = ap.parse_args()
    outputs = all_outputs()

    if args.check:
        with tempfile.TemporaryDirectory(prefix="hegui-mp-fixtures-") as tmp:
            tmp = Path(tmp)
            write_tree(tmp, outputs)
            verify(tmp)
            expected = files_under(tmp)
            committed = files_under(OUT) if OUT.is_dir() else []
            problems = []
            for rel in sorted(set(expected) | set(committed)):
                if rel not in committed:
                    problems.append(f"fixtures/miniprogram/{rel}: missing")
                elif rel not in expected:
                    problems.append(f"fixtures/miniprogram/{rel}: not generated by this script")
                elif not filecmp.cmp(tmp / rel, OUT / rel, shallow=False):
                    problems.append(f"fixtures/miniprogram/{rel}: differs")
        if problems:
            for p in problems:
                print(p, file=sys.stderr)
            print("run: python3 scripts/make-miniprogram-fixtures.py", file=sys.stderr)
            return 1
        print(f"fixtures/miniprogram: {len(expected)} files up to date")
        return 0

    write_tree(OUT, outputs)
    extra = sorted(set(files_under(OUT)) - set(outputs))
    for rel in extra:
        print(f"warning: fixtures/miniprogram/{rel} is not generated by this script", file=sys.stderr)
    facts = verify(OUT)
    for rel, data in outputs.items():
        print(f"{len(data):6d}  fixtures/miniprogram/{rel}")
    for k, v in facts.items():
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
