"use strict";
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
