"use strict";
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
