(global["webpackJsonp"] = global["webpackJsonp"] || []).push([["pages/index/index"], {
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
