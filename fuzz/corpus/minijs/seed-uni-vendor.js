(global["webpackJsonp"] = global["webpackJsonp"] || []).push([["common/vendor"], {
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
