// The mini-program platform as the sandbox simulates it: instrumented `wx` (and `my`, `tt`,
// `swan`, `qq`), App/Page/Component, define/require, timers on a virtual clock. Every call of
// a platform API goes to the host through __hegui_emit as one JSON record. Nothing here can
// reach the host beyond that one function: the engine has no file system, network or clock.
(function (g) {
  "use strict";
  // Captured before the package runs: its code may replace the globals it can reach.
  const stringify = JSON.stringify;
  const assign = Object.assign;
  const emit = g.__hegui_emit;
  delete g.__hegui_emit;
  const profile = g.__hegui_profile;
  delete g.__hegui_profile;

  // ---- virtual clock and timers -------------------------------------------------------
  let clock = 0;
  let nextTimer = 1;
  const timers = [];
  const MAX_REPEATS = 20; // an interval fires this often per session, then stops
  function schedule(fn, ms, args, repeat) {
    const id = nextTimer++;
    const delay = Math.max(0, Number(ms) || 0);
    timers.push({ id, at: clock + delay, fn, args: args || [], repeat: repeat ? delay || 1 : 0, left: MAX_REPEATS });
    return id;
  }
  function cancel(id) {
    const i = timers.findIndex((t) => t.id === id);
    if (i >= 0) timers.splice(i, 1);
  }
  g.setTimeout = (fn, ms, ...args) => (typeof fn === "function" ? schedule(fn, ms, args, false) : 0);
  g.setInterval = (fn, ms, ...args) => (typeof fn === "function" ? schedule(fn, ms, args, true) : 0);
  g.clearTimeout = cancel;
  g.clearInterval = cancel;

  // ---- where the code is: page, lifecycle phase, module and line -----------------------
  const state = { page: "", phase: "load", consent: false, refused: false, route: "" };
  const PRELUDE = "hegui-prelude.js";
  function site() {
    const stack = String(new Error().stack || "").split("\n");
    for (const line of stack) {
      const m = /\(?([^()\s]+?):(\d+)(?::\d+)?\)?$/.exec(line.trim());
      if (m && m[1] !== PRELUDE && m[1] !== "<input>") return { file: m[1], line: Number(m[2]) };
    }
    return { file: "", line: 0 };
  }
  function summary(value) {
    try {
      const seen = new Set();
      const text = stringify(value, (k, v) => {
        if (typeof v === "function") return "[function]";
        if (v && typeof v === "object") {
          if (seen.has(v)) return "[cycle]";
          seen.add(v);
        }
        return v;
      });
      return text === undefined ? String(value) : text.slice(0, 2048);
    } catch (e) {
      return "[unreadable]";
    }
  }
  function record(kind, ns, name, args, extra) {
    const where = site();
    const event = assign(
      { kind, ns, name, t: clock, page: state.page, phase: state.phase, file: where.file, line: where.line },
      extra || {}
    );
    event.kind = kind;
    const shown = [];
    for (let i = 0; i < Math.min((args && args.length) || 0, 4); i++) shown.push(summary(args[i]));
    event.args = shown;
    emit(stringify(event));
  }

  // ---- answers: the test-device profile, success callbacks on the virtual clock ----------
  function answerOf(name, opts) {
    const fixed = profile.answers[name];
    const base = { errMsg: name + ":ok" };
    if (fixed) return Object.assign(base, fixed);
    if (/^get.*Sync$/.test(name)) return fixed || {};
    return base;
  }
  const chain = new Proxy(function () {}, {
    get(t, k) {
      if (k === "then") return undefined;
      if (typeof k === "symbol") return undefined;
      return chain;
    },
    apply() {
      return chain;
    },
  });
  function settle(name, opts, answer) {
    if (opts && typeof opts === "object") {
      const ok = typeof opts.success === "function";
      const done = typeof opts.complete === "function";
      if (ok || done) {
        schedule(() => {
          if (ok) opts.success(answer);
          if (done) opts.complete(answer);
        }, 10);
        return chain;
      }
    }
    return new Promise((resolve) => schedule(() => resolve(answer), 10));
  }
  const listeners = {};
  function api(ns, name) {
    if (/^on[A-Z]/.test(name)) {
      return function (cb) {
        record("listen", ns, name, arguments);
        if (typeof cb === "function") (listeners[name] = listeners[name] || []).push(cb);
      };
    }
    if (/^off[A-Z]/.test(name)) {
      return function () {
        record("unlisten", ns, name, arguments);
      };
    }
    return function (opts) {
      const extra = {};
      if (profile.network.indexOf(name) >= 0 && opts && typeof opts === "object") {
        extra.url = String(opts.url || "");
        extra.method = String(opts.method || (name === "uploadFile" ? "POST" : "GET")).toUpperCase();
        extra.data = summary(opts.data === undefined ? opts.formData : opts.data);
        extra.header = summary(opts.header);
      }
      if (state.refused && profile.privacy.indexOf(name) >= 0) {
        // The user refused: the platform fails privacy interfaces (errno 104), nothing is read.
        extra.denied = true;
        record("call", ns, name, arguments, extra);
        const failure = { errMsg: name + ":fail privacy permission is not authorized", errno: 104 };
        if (opts && typeof opts === "object" && (typeof opts.fail === "function" || typeof opts.complete === "function")) {
          schedule(() => {
            if (typeof opts.fail === "function") opts.fail(failure);
            if (typeof opts.complete === "function") opts.complete(failure);
          }, 10);
          return chain;
        }
        if (/Sync$/.test(name)) throw new Error(failure.errMsg);
        return new Promise((resolve, reject) => schedule(() => reject(failure), 10));
      }
      record("call", ns, name, arguments, extra);
      if (name === "requirePrivacyAuthorize" && opts && typeof opts.success === "function" && !state.consent) {
        // The user has not agreed yet: the platform would show the prompt and wait.
        return chain;
      }
      if (storageApis[name]) return storageApis[name].apply(null, arguments);
      if (name === "setStorage" || name === "getStorage" || name === "removeStorage") {
        const key = opts && opts.key;
        const data = name === "getStorage" ? storageApis.getStorageSync(key) : undefined;
        if (name === "setStorage") storageApis.setStorageSync(key, opts && opts.data);
        if (name === "removeStorage") storageApis.removeStorageSync(key);
        return settle(name, opts, { errMsg: name + ":ok", data });
      }
      const answer = answerOf(name, opts);
      if (/Sync$/.test(name)) return answer;
      if (/^create[A-Z]|Manager$|Context$/.test(name)) return chain;
      return settle(name, opts, answer);
    };
  }
  function platform(ns) {
    // Known names are present up front: wrappers copy the platform object key by key.
    const cache = {};
    for (const name of profile.known) cache[name] = api(ns, name);
    return new Proxy(cache, {
      get(t, k) {
        if (typeof k !== "string") return undefined;
        if (k === "env") return { USER_DATA_PATH: "wxfile://usr" };
        if (!Object.prototype.hasOwnProperty.call(t, k)) t[k] = api(ns, k);
        return t[k];
      },
      set(t, k, v) {
        t[k] = v;
        return true;
      },
    });
  }
  for (const ns of ["wx", "my", "tt", "swan", "qq"]) g[ns] = platform(ns);

  // ---- what the platform's JS environment also has (inert here) ------------------------
  const quiet = () => undefined;
  g.console = { log: quiet, info: quiet, warn: quiet, error: quiet, debug: quiet, trace: quiet, time: quiet, timeEnd: quiet, group: quiet, groupEnd: quiet, table: quiet, assert: quiet };
  g.window = g;
  g.self = g;
  g.global = g;
  for (const name of ["ttJSCore", "webkit", "WeixinJSBridge", "WeixinJSCore", "__wxConfig__", "document"]) g[name] = chain;
  g.navigator = { userAgent: "hegui-mp-sandbox", language: "zh-CN", platform: "android" };
  g.__wxConfig = { envVersion: "release", pages: [], global: { window: {} } };

  // Storage lives in this run's memory; reads of a missing key answer "" as the platform does.
  const storage = new Map();
  const storageApis = {
    setStorageSync(key, value) {
      storage.set(String(key), value);
    },
    getStorageSync(key) {
      return storage.has(String(key)) ? storage.get(String(key)) : "";
    },
    removeStorageSync(key) {
      storage.delete(String(key));
    },
    clearStorageSync() {
      storage.clear();
    },
    getStorageInfoSync() {
      return { keys: Array.from(storage.keys()), currentSize: 0, limitSize: 10240 };
    },
  };

  // ---- App, Page, Component, modules ------------------------------------------------------
  const registry = { app: null, pages: {}, order: [] };
  g.__wxRoute = "";
  g.App = function (obj) {
    registry.app = obj || {};
  };
  g.getApp = function () {
    return registry.app || {};
  };
  function registerPage(kind, obj) {
    const route = String(g.__wxRoute || state.route || "").replace(/\.js$/, "");
    if (!route || registry.pages[route]) return;
    registry.pages[route] = { kind, obj: obj || {} };
    registry.order.push(route);
  }
  g.Page = (obj) => registerPage("page", obj);
  g.Component = (obj) => registerPage("component", obj);
  g.Behavior = (obj) => obj || {};
  g.getCurrentPages = () => (state.page ? [{ route: state.page }] : []);
  g.__wxAppCode__ = {};
  g.__wxConfig = {};

  const modules = {};
  const cache = {};
  function normalise(path) {
    const parts = [];
    for (const p of String(path).split("/")) {
      if (p === "" || p === ".") continue;
      if (p === "..") parts.pop();
      else parts.push(p);
    }
    return parts.join("/");
  }
  function resolve(from, path) {
    let p = String(path);
    if (p.startsWith("/")) p = p.slice(1);
    else if (p.startsWith(".")) p = from.split("/").slice(0, -1).join("/") + "/" + p;
    p = normalise(p);
    for (const c of [p, p + ".js", p + "/index.js"]) if (modules[c]) return c;
    return p;
  }
  function requireFrom(from) {
    return function (path) {
      const key = resolve(from, path);
      if (cache[key]) return cache[key].exports;
      const factory = modules[key];
      if (!factory) return {};
      const module = { exports: {} };
      cache[key] = module;
      const before = state.route;
      state.route = key;
      factory.call(module.exports, requireFrom(key), module, module.exports);
      state.route = before;
      return module.exports;
    };
  }
  g.define = function (path, factory) {
    if (typeof factory === "function") modules[normalise(path)] = factory;
  };
  g.require = requireFrom("");

  // ---- the session's steps, called by the host -------------------------------------------
  function run(fn) {
    try {
      fn();
      return "";
    } catch (e) {
      return String(e && e.stack ? e.message + "\n" + e.stack : e).slice(0, 1024);
    }
  }
  function tick(ms) {
    const until = clock + ms;
    for (let guard = 0; guard < 10000; guard++) {
      timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = timers[0];
      if (!next || next.at > until) break;
      timers.shift();
      clock = Math.max(clock, next.at);
      if (next.repeat && --next.left > 0) timers.push(Object.assign({}, next, { at: clock + next.repeat }));
      run(() => next.fn.apply(null, next.args));
    }
    clock = Math.max(clock, until);
  }
  function hook(target, name, args) {
    const fn = target && target[name];
    if (typeof fn === "function") return run(() => fn.apply(target, args || []));
    const methods = target && target.methods;
    if (methods && typeof methods[name] === "function") return run(() => methods[name].apply(target, args || []));
    return null;
  }
  function instance(route, entry) {
    const obj = entry.obj;
    const self = Object.create(obj);
    self.data = Object.assign({}, obj.data || {});
    self.route = route;
    self.options = {};
    self.setData = function (patch, cb) {
      Object.assign(self.data, patch || {});
      if (typeof cb === "function") schedule(cb, 0);
    };
    self.selectComponent = () => chain;
    self.createSelectorQuery = () => chain;
    if (obj.methods) for (const k of Object.keys(obj.methods)) self[k] = obj.methods[k];
    return self;
  }
  const pages = {};
  g.__hegui_session = {
    requireModule(path) {
      state.phase = "load";
      return run(() => g.require(path));
    },
    registerRoute(route, path) {
      state.phase = "load";
      if (registry.pages[route]) return "";
      g.__wxRoute = route;
      const error = run(() => g.require(path));
      g.__wxRoute = "";
      return error;
    },
    launch(entry) {
      state.phase = "launch";
      const app = registry.app;
      if (!app) return "no App() registered";
      const opts = { path: entry, query: {}, scene: 1001 };
      const a = hook(app, "onLaunch", [opts]);
      state.phase = "show";
      const b = hook(app, "onShow", [opts]);
      return a || b || "";
    },
    page(route, ready) {
      const entry = registry.pages[route];
      if (!entry) return "page not registered: " + route;
      state.page = route;
      const self = (pages[route] = pages[route] || instance(route, entry));
      const errors = [];
      const steps = ready ? ["onLoad", "onShow", "onReady"] : ["onLoad", "onShow"];
      for (const step of steps) {
        state.phase = step;
        const lifetimes = entry.obj.lifetimes || {};
        const e =
          hook(self, step, step === "onLoad" ? [{}] : []) ||
          (step === "onLoad" && typeof lifetimes.attached === "function" ? run(() => lifetimes.attached.call(self)) : null);
        if (e) errors.push(step + ": " + e);
      }
      return errors.join("\n");
    },
    handlers(route) {
      const entry = registry.pages[route];
      if (!entry) return [];
      const own = Object.keys(entry.obj).concat(Object.keys(entry.obj.methods || {}));
      return own.filter((k) => typeof (entry.obj[k] || (entry.obj.methods || {})[k]) === "function" && !/^on(Load|Show|Ready|Hide|Unload|PullDownRefresh|ReachBottom|ShareAppMessage|ShareTimeline|PageScroll|Resize|TabItemTap|AddToFavorites)$/.test(k));
    },
    tap(route, name) {
      const entry = registry.pages[route];
      if (!entry) return "page not registered: " + route;
      state.page = route;
      state.phase = "tap:" + name;
      const self = (pages[route] = pages[route] || instance(route, entry));
      const event = { type: "tap", detail: {}, currentTarget: { dataset: {} }, target: { dataset: {} } };
      const e = hook(self, name, [event]);
      return e || "";
    },
    consent() {
      state.consent = true;
      state.phase = "consent";
      emit(stringify({ kind: "consent", t: clock }));
      for (const cb of listeners.onNeedPrivacyAuthorization || []) run(() => cb(function () {}, { referrer: "" }));
    },
    refuse() {
      state.refused = true;
      state.phase = "refusal";
      emit(stringify({ kind: "refusal", t: clock }));
    },
    background() {
      state.phase = "background";
      emit(stringify({ kind: "background", t: clock }));
      const e = hook(registry.app, "onHide", []);
      for (const route of Object.keys(pages)) hook(pages[route], "onHide", []);
      return e || "";
    },
    routes() {
      return registry.order.slice();
    },
    hasApp() {
      return !!registry.app;
    },
    clock() {
      return clock;
    },
    tick(ms) {
      tick(ms);
    },
  };
})(globalThis);
