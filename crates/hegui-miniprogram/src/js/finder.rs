//! The one walk over a parsed script. It keeps scopes (for aliases, module values and
//! constant branches) and the module it is in (`define("path")`, webpack module functions),
//! and records what [`super::JsFacts`] holds.

use std::collections::{HashMap, HashSet};

use hegui_knowledge::miniprogram_apis;
use hegui_model::{EmbeddedSecret, MiniProgramApiCall, OpenTypeUse, SourceSite};
use oxc_ast::ast::{
    Argument, ArrayExpression, ArrayExpressionElement, ArrowFunctionBody, ArrowFunctionExpression,
    AssignmentExpression, BindingPattern, CallExpression, ConditionalExpression,
    ExportDefaultDeclaration, Expression, FormalParameters, Function, IfStatement,
    ImportDeclaration, ImportDeclarationSpecifier, LogicalExpression, LogicalOperator,
    MemberExpression, ObjectExpression, ObjectProperty, ObjectPropertyKind, StringLiteral,
    TemplateLiteral, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};
use oxc_span::GetSpan;
use oxc_syntax::scope::ScopeFlags;

use super::eval::{Here, Scopes};
use super::values::{ModKey, Val, normalise};
use super::{
    COMPILED_OPEN_TYPES, Found, FoundUrl, JsFacts, MAX_PER_FILE, ModuleInfo, Pending,
    WRAPPER_HINT_APIS, starts_like_url,
};
use crate::literals;

pub(crate) struct Finder<'s, 'a> {
    pub file: &'s str,
    pub source: &'s str,
    /// Byte offsets of line starts, computed on first use.
    pub line_starts: Vec<u32>,
    /// Where the code starts in its file (an HTML `<script>` block): 0-based line, column.
    pub base: (u32, u32),
    pub host: &'static str,
    /// Enclosing `define("path", …)` modules: (path, start offset), for sites.
    pub defines: Vec<(String, u32)>,
    /// Enclosing modules (define paths, webpack ids), innermost last; the file's own key
    /// below them.
    pub keys: Vec<ModKey>,
    pub scopes: Scopes<'a>,
    /// Functions about to be entered with known parameters: start offset → values, and the
    /// module they open.
    pub pending_fns: HashMap<u32, (Vec<Option<Val>>, Option<ModKey>)>,
    /// Literals handed straight to a network API, by span start: usage and whether data goes
    /// with them.
    pub sinks: HashMap<u32, (&'static str, bool)>,
    /// Literals whose name says what they are (`avatarUrl`, `h5Link`), by span start.
    pub named_usage: HashMap<u32, &'static str>,
    /// URLs already recorded, by span start (a sink seen later upgrades them).
    pub url_at: HashMap<u32, usize>,
    /// Literals already reported as secrets, so their shape is not checked again.
    pub secret_spans: HashSet<u32>,
    /// Module infos by key (index into `out.modules`).
    pub module_at: HashMap<ModKey, usize>,
    /// Inside the arguments of a call that opens or shows a URL elsewhere (`navigateTo` to a
    /// web-view page, `setClipboardData`, `previewImage`): its URLs are links, not endpoints.
    pub link_depth: u32,
    pub out: JsFacts,
}

impl<'a> Finder<'_, 'a> {
    fn module(&self) -> Option<&str> {
        self.keys.last().map(String::as_str)
    }

    fn here(&self) -> Here<'_, 'a> {
        Here {
            scopes: &self.scopes,
            module: self.module(),
            host: self.host,
        }
    }

    fn eval(&self, expr: &Expression<'_>) -> Option<Val> {
        self.here().eval(expr)
    }

    fn info(&mut self) -> Option<&mut ModuleInfo> {
        let key = self.keys.last()?;
        let at = *self.module_at.get(key)?;
        self.out.modules.get_mut(at)
    }

    fn open_module(&mut self, key: ModKey, kind: &'static str) {
        if !self.module_at.contains_key(&key) && self.out.modules.len() < MAX_PER_FILE {
            self.module_at.insert(key.clone(), self.out.modules.len());
            // A webpack chunk inside a package's `define("taro.js")` lives in that module;
            // a `define`d module itself lives in the package's script that holds it.
            let file = match self.defines.last() {
                Some(d) if kind == "webpack" => d.0.clone(),
                _ => self.file.to_string(),
            };
            self.out.modules.push(ModuleInfo {
                key: key.clone(),
                file,
                kind,
                ..Default::default()
            });
        }
        self.keys.push(key);
    }

    pub(crate) fn site(&mut self, offset: u32) -> SourceSite {
        // Line starts are only needed once something is found; most files yield little.
        if self.line_starts.is_empty() {
            self.line_starts.push(0);
            self.line_starts
                .extend(memchr::memchr_iter(b'\n', self.source.as_bytes()).map(|i| i as u32 + 1));
        }
        let position = |offset: u32| {
            let line = self
                .line_starts
                .partition_point(|&s| s <= offset)
                .saturating_sub(1);
            let start = self.line_starts.get(line).copied().unwrap_or(0);
            (line as u32, offset.saturating_sub(start))
        };
        let (line, col) = position(offset);
        let (file, line, col) = match self.defines.last() {
            Some((path, start)) => {
                let (mline, mcol) = position(*start);
                let col = if line == mline {
                    col.saturating_sub(mcol)
                } else {
                    col
                };
                (path.clone(), line.saturating_sub(mline), col)
            }
            None if line == 0 => (self.file.to_string(), self.base.0, col + self.base.1),
            None => (self.file.to_string(), line + self.base.0, col),
        };
        SourceSite {
            file,
            line: line + 1,
            col: col + 1,
        }
    }

    fn record_call(&mut self, ns: &str, name: &str, offset: u32) {
        if self.out.calls.len() >= MAX_PER_FILE || miniprogram_apis().get(name).is_none() {
            return;
        }
        let site = self.site(offset);
        let module = self.module().map(str::to_string);
        self.out.calls.push(Found {
            item: MiniProgramApiCall::new(format!("{ns}.{name}"), site),
            module,
        });
    }

    /// A member of something that may turn out to be the platform object once every module
    /// is known.
    fn record_pending(&mut self, target: Val, name: &str, offset: u32) {
        let known = miniprogram_apis().get(name).is_some();
        if self.out.pending.len() >= MAX_PER_FILE || !(known || WRAPPER_HINT_APIS.contains(&name)) {
            return;
        }
        let site = self.site(offset);
        let module = self.module().map(str::to_string);
        self.out.pending.push(Pending {
            target,
            name: name.to_string(),
            known,
            site,
            module,
        });
    }

    fn record_url(&mut self, text: &str, offset: u32) {
        if self.out.urls.len() >= MAX_PER_FILE || !starts_like_url(text) {
            return;
        }
        self.url_query_secrets(text, offset);
        let Some(url) = literals::parse_url(text) else {
            return;
        };
        let (usage, with_data) = match self.sinks.get(&offset) {
            Some(&sink) => sink,
            None if url.resource => ("resource", false),
            None if self.link_depth > 0 => ("link", false),
            None => (
                self.named_usage.get(&offset).copied().unwrap_or("url"),
                false,
            ),
        };
        let site = self.site(offset);
        let module = self.module().map(str::to_string);
        self.url_at.insert(offset, self.out.urls.len());
        self.out.urls.push(Found {
            item: FoundUrl {
                url,
                usage,
                with_data,
                site,
            },
            module,
        });
    }

    /// `…/jscode2session?appid=…&secret=…`: a credential in a URL's query string.
    fn url_query_secrets(&mut self, text: &str, offset: u32) {
        let Some((_, query)) = text.split_once('?') else {
            return;
        };
        for pair in query.split(['&', '#']) {
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if self.out.secrets.len() >= MAX_PER_FILE
                || !literals::is_secret_name(name)
                || value.contains("${")
            {
                continue;
            }
            if let Some(kind) = literals::secret_kind(Some(name), value) {
                let site = self.site(offset);
                self.out.secrets.push(EmbeddedSecret {
                    kind: kind.to_string(),
                    name: Some(format!("{name} (URL query)")),
                    masked: literals::mask(value),
                    site,
                });
            }
        }
    }

    fn record_secret(&mut self, name: Option<&str>, lit: &StringLiteral<'_>) {
        let value = literals::strip_auth_scheme(name, lit.value.as_str());
        // The value's shape is cheaper to test than the name: most literals fail it.
        if !literals::may_be_secret(value)
            || self.out.secrets.len() >= MAX_PER_FILE
            || self.secret_spans.contains(&lit.span.start)
        {
            return;
        }
        if let Some(kind) = literals::secret_kind(name, value) {
            self.secret_spans.insert(lit.span.start);
            let site = self.site(lit.span.start);
            self.out.secrets.push(EmbeddedSecret {
                kind: kind.to_string(),
                name: name.map(str::to_string),
                masked: literals::mask(value),
                site,
            });
        }
    }

    fn record_open_type(&mut self, value: &str, offset: u32) {
        if self.out.open_types.len() < MAX_PER_FILE {
            let site = self.site(offset);
            self.out.open_types.push(OpenTypeUse {
                value: value.to_string(),
                site,
                compiled: true,
            });
        }
    }

    /// Text that names a privacy policy (`《隐私政策》`), or a page path that is one.
    fn record_policy_text(&mut self, text: &str, offset: u32) {
        if self.out.policy_texts.len() >= 64 || text.len() > 300 {
            return;
        }
        if let Some(kind) = crate::derive::policy_text_kind(text) {
            let site = self.site(offset);
            self.out
                .policy_texts
                .push((kind, text.trim().to_string(), site));
        }
    }

    /// Mark the URL of `request({url, data})`, `connectSocket({url})`, … as a sink, on the
    /// platform object or anything module-valued (a wrapper resolved later).
    fn mark_sink(&mut self, call: &CallExpression<'_>) {
        let Some(member) = call.callee.as_member_expression() else {
            return;
        };
        let (usage, always_data) = match member.static_property_name() {
            Some("request" | "uploadFile") => ("request", false),
            Some("downloadFile") => ("download", false),
            Some("connectSocket") => ("socket", true),
            _ => return,
        };
        match self.eval(member.object()) {
            Some(Val::Platform(_)) => {}
            Some(v) if v.is_module_value() => {}
            _ => return,
        }
        let (url, with_data) = match call.arguments.first() {
            Some(Argument::ObjectExpression(obj)) => {
                let prop = |key: &str| {
                    obj.properties.iter().find_map(|p| match p {
                        ObjectPropertyKind::ObjectProperty(p)
                            if p.key.static_name().is_some_and(|k| k == key) =>
                        {
                            Some(&p.value)
                        }
                        _ => None,
                    })
                };
                let data = prop("data").is_some() || prop("formData").is_some();
                (prop("url"), data)
            }
            Some(arg) => (arg.as_expression(), call.arguments.len() > 1),
            None => (None, false),
        };
        // `base + "/path?x=" + v`: the leftmost operand carries the scheme and host, and
        // anything added carries data in the query.
        let concatenated = matches!(url, Some(Expression::BinaryExpression(_)));
        let expr = url.map(leftmost_expr);
        let query = match expr {
            Some(Expression::TemplateLiteral(t)) => !t.expressions.is_empty(),
            _ => false,
        };
        let with_data = always_data || with_data || concatenated || query;
        let start = match expr {
            Some(e @ (Expression::StringLiteral(_) | Expression::TemplateLiteral(_))) => {
                Some(e.span().start)
            }
            Some(e) => match self.eval(e) {
                Some(Val::Str(at)) => Some(at),
                _ => None,
            },
            None => None,
        };
        if let Some(at) = start {
            self.sinks.insert(at, (usage, with_data));
            // A constant declared earlier was recorded already: upgrade it.
            if let Some(&i) = self.url_at.get(&at)
                && let Some(u) = self.out.urls.get_mut(i)
            {
                u.item.usage = usage;
                u.item.with_data |= with_data;
            }
        }
    }

    /// Modules handed to a webpack runtime: `push([[ids], {id: function(e, t, n){…}}])` and
    /// `(function(modules){…})([function(e, t, n){…}, …])`.
    fn note_webpack_modules(&mut self, call: &CallExpression<'_>) {
        for arg in &call.arguments {
            match arg {
                Argument::ObjectExpression(obj) => self.webpack_object(obj),
                Argument::ArrayExpression(arr) if !self.webpack_array(arr) => {
                    for el in &arr.elements {
                        match el {
                            ArrayExpressionElement::ObjectExpression(obj) => {
                                self.webpack_object(obj)
                            }
                            ArrayExpressionElement::ArrayExpression(inner) => {
                                self.webpack_array(inner);
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn webpack_object(&mut self, obj: &ObjectExpression<'_>) {
        let all_fns = !obj.properties.is_empty()
            && obj.properties.iter().all(|p| match p {
                ObjectPropertyKind::ObjectProperty(p) => module_fn_start(&p.value).is_some(),
                _ => false,
            });
        if !all_fns {
            return;
        }
        for p in &obj.properties {
            if let ObjectPropertyKind::ObjectProperty(p) = p
                && let (Some(start), Some(key)) = (module_fn_start(&p.value), p.key.static_name())
            {
                self.pending_fns
                    .insert(start, (Vec::new(), Some(format!("wp:{key}"))));
            }
        }
    }

    /// An array of module functions (holes allowed): true when it was one.
    fn webpack_array(&mut self, arr: &ArrayExpression<'_>) -> bool {
        let starts: Vec<Option<u32>> = arr
            .elements
            .iter()
            .map(|el| el.as_expression().and_then(module_fn_start))
            .collect();
        if starts.iter().flatten().count() == 0
            || arr
                .elements
                .iter()
                .zip(&starts)
                .any(|(el, s)| s.is_none() && !matches!(el, ArrayExpressionElement::Elision(_)))
        {
            return false;
        }
        for (i, start) in starts.into_iter().enumerate() {
            if let Some(start) = start {
                self.pending_fns
                    .insert(start, (Vec::new(), Some(format!("wp:{i}"))));
            }
        }
        true
    }

    /// `(function(uni){…}).call(this, n("543d").default)` and `(function(e){…})(x)`: the
    /// parameters take the arguments' values.
    fn note_iife(&mut self, call: &CallExpression<'_>) {
        let (callee, args): (&Expression<'_>, &[Argument<'_>]) = match &call.callee {
            Expression::StaticMemberExpression(m) if m.property.name == "call" => {
                (&m.object, call.arguments.get(1..).unwrap_or(&[]))
            }
            other => (other, &call.arguments[..]),
        };
        let Some((start, _)) = function_literal(callee) else {
            return;
        };
        let values: Vec<Option<Val>> = args
            .iter()
            .map(|a| a.as_expression().and_then(|e| self.eval(e)))
            .collect();
        if values.iter().any(Option::is_some) {
            self.pending_fns.insert(start, (values, None));
        }
    }

    /// Enter a function: its scope, its parameters' values, and the module it opens.
    fn enter_function(&mut self, start: u32, params: &FormalParameters<'a>) -> bool {
        let (values, module) = self.pending_fns.remove(&start).unwrap_or_default();
        let opened = module.is_some();
        let values = match module {
            Some(key) => {
                let webpack = key.starts_with("wp:");
                self.open_module(key.clone(), if webpack { "webpack" } else { "define" });
                if webpack {
                    vec![
                        Some(Val::ModuleObj(key.clone())),
                        Some(Val::ExportsObj(key)),
                        Some(Val::Require),
                    ]
                } else {
                    vec![
                        Some(Val::Require),
                        Some(Val::ModuleObj(key.clone())),
                        Some(Val::ExportsObj(key)),
                    ]
                }
            }
            None => values,
        };
        self.scopes.enter();
        for (i, p) in params.items.iter().enumerate() {
            if let BindingPattern::BindingIdentifier(id) = &p.pattern {
                self.scopes
                    .bind(id.name.as_str(), values.get(i).cloned().flatten());
            }
        }
        opened
    }

    fn leave_function(&mut self, opened: bool) {
        self.scopes.leave();
        if opened {
            self.keys.pop();
        }
    }

    /// `module.exports = X`, `exports.default = X`, `exports.foo = X`.
    fn record_export(&mut self, assign: &AssignmentExpression<'_>) {
        let Some(member) = assign.left.as_member_expression() else {
            return;
        };
        let Some(prop) = member.static_property_name() else {
            return;
        };
        let target = self.eval(member.object());
        let value = self.eval(&assign.right);
        let (key, name) = match target {
            Some(Val::ModuleObj(k)) if prop == "exports" => (k, None),
            Some(Val::ExportsObj(k)) => (k, Some(prop.to_string())),
            _ => return,
        };
        if let Some(v) = value {
            self.set_export(&key, name, v);
        }
    }

    fn set_export(&mut self, key: &str, name: Option<String>, value: Val) {
        let Some(&at) = self.module_at.get(key) else {
            return;
        };
        if let Some(m) = self.out.modules.get_mut(at) {
            match name {
                None => m.whole = Some(value),
                Some(n) if m.named.len() < 64 => m.named.push((n, value)),
                Some(_) => {}
            }
        }
    }

    /// webpack's `n.d(exports, "a", function(){return X})` and `n.d(exports, {a: () => X})`.
    fn record_webpack_export(&mut self, call: &CallExpression<'_>) {
        let Some(m) = call.callee.as_member_expression() else {
            return;
        };
        if m.static_property_name() != Some("d") || self.eval(m.object()) != Some(Val::Require) {
            return;
        }
        let Some(Val::ExportsObj(key)) = call
            .arguments
            .first()
            .and_then(Argument::as_expression)
            .and_then(|e| self.eval(e))
        else {
            return;
        };
        let getter_value = |f: &Self, e: &Expression<'_>| -> Option<Val> {
            let body = match e {
                Expression::FunctionExpression(func) => func.body.as_deref(),
                Expression::ArrowFunctionExpression(a) => match &a.body {
                    ArrowFunctionBody::FunctionBody(b) => Some(&**b),
                    body => return body.as_expression().and_then(|x| f.eval(x)),
                },
                _ => None,
            }?;
            f.here().returned(body, 0)
        };
        let mut found = Vec::new();
        match (call.arguments.get(1), call.arguments.get(2)) {
            (Some(Argument::StringLiteral(name)), Some(g)) => {
                if let Some(v) = g.as_expression().and_then(|e| getter_value(self, e)) {
                    found.push((name.value.to_string(), v));
                }
            }
            (Some(Argument::ObjectExpression(obj)), _) => {
                for p in &obj.properties {
                    if let ObjectPropertyKind::ObjectProperty(p) = p
                        && let Some(name) = p.key.static_name()
                        && let Some(v) = getter_value(self, &p.value)
                    {
                        found.push((name.to_string(), v));
                    }
                }
            }
            _ => {}
        }
        for (name, v) in found {
            self.set_export(&key, Some(name), v);
        }
    }

    /// A value under `name` that may hold a URL: mark it with what the name says. The
    /// value's shape is tested first, as most values hold no URL literal at all.
    fn name_value(&mut self, name: &str, value: &Expression<'_>) {
        let may_hold_url = |e: &Expression<'_>| {
            let start = leftmost_expr(e);
            match start {
                Expression::StringLiteral(s) => starts_like_url(&s.value),
                Expression::TemplateLiteral(t) => t
                    .quasis
                    .first()
                    .is_some_and(|q| starts_like_url(&q.value.raw)),
                _ => false,
            }
        };
        let holds = match value {
            Expression::ArrayExpression(arr) => arr
                .elements
                .iter()
                .filter_map(|el| el.as_expression())
                .any(may_hold_url),
            e => may_hold_url(e),
        };
        if holds && let Some(usage) = usage_by_name(name) {
            self.mark_named(value, usage);
        }
    }

    /// A value under a telling name (`avatarUrl: base + id`, `imgUrls: [...]`): its URLs are
    /// what the name says.
    fn mark_named(&mut self, value: &Expression<'_>, usage: &'static str) {
        match value {
            Expression::ArrayExpression(arr) => {
                for el in arr.elements.iter().take(MAX_PER_FILE) {
                    if let Some(e) = el.as_expression() {
                        self.named_usage.insert(leftmost(e), usage);
                    }
                }
            }
            e => {
                self.named_usage.insert(leftmost(e), usage);
            }
        }
    }

    /// Walk only the branch a constant condition takes.
    fn visit_branches(
        &mut self,
        test: &Expression<'a>,
        then: impl FnOnce(&mut Self),
        otherwise: impl FnOnce(&mut Self),
    ) {
        match self.here().fold(test, 0) {
            Some(true) => then(self),
            Some(false) => otherwise(self),
            None => {
                self.visit_expression(test);
                then(self);
                otherwise(self);
            }
        }
    }
}

/// The start of a function literal of at most three parameters (a bundled module), through
/// the parentheses development builds put around it.
fn module_fn_start(expr: &Expression<'_>) -> Option<u32> {
    function_literal(expr)
        .filter(|&(_, params)| params <= 3)
        .map(|(start, _)| start)
}

fn unparen<'e, 'a>(mut expr: &'e Expression<'a>) -> &'e Expression<'a> {
    while let Expression::ParenthesizedExpression(p) = expr {
        expr = &p.expression;
    }
    expr
}

/// A function literal through its parentheses: its start and number of parameters.
fn function_literal(expr: &Expression<'_>) -> Option<(u32, usize)> {
    match unparen(expr) {
        Expression::FunctionExpression(f) => Some((f.span.start, f.params.items.len())),
        Expression::ArrowFunctionExpression(f) => Some((f.span.start, f.params.items.len())),
        _ => None,
    }
}

/// The start of any function literal (`define`'s factory takes two dozen parameters).
fn function_start(expr: &Expression<'_>) -> Option<u32> {
    function_literal(expr).map(|(start, _)| start)
}

/// A cheap first test for [`crate::derive::policy_text_kind`], run on every string literal:
/// Chinese text naming 隐私 or 个人信息保护, or an ASCII path or name with `privacy`,
/// `yinsi` or `pages/` in it.
fn may_name_policy(v: &str) -> bool {
    if v.is_ascii() {
        v.len() >= 5
            && (v.contains('/') || v.contains('y'))
            && (v.contains("rivacy") || v.contains("pages/") || v.contains("yinsi"))
    } else {
        v.contains("隐私") || v.contains("个人信息保护")
    }
}

/// Calls whose URL arguments are opened, copied or shown elsewhere, never requested by the
/// app: a web-view page's target, a copied link, a previewed picture.
const OPENS_ELSEWHERE: &[&str] = &[
    "navigateTo",
    "redirectTo",
    "reLaunch",
    "setClipboardData",
    "previewImage",
    "openDocument",
    "navigateToMiniProgram",
    "openEmbeddedMiniProgram",
];

/// What a property or variable name says its URL is: `avatarUrl` an image, `h5Link` a page
/// opened elsewhere.
fn usage_by_name(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    const RESOURCE: &[&str] = &[
        "img",
        "image",
        "avatar",
        "icon",
        "pic",
        "photo",
        "cover",
        "poster",
        "thumb",
        "logo",
        "banner",
        "video",
        "audio",
        "music",
        "background",
        "bgurl",
        "src",
    ];
    const LINK: &[&str] = &[
        "href", "link", "jump", "h5", "webview", "weburl", "website", "homepage", "share",
    ];
    if RESOURCE.iter().any(|w| n.contains(w)) {
        Some("resource")
    } else if LINK.iter().any(|w| n.contains(w)) {
        Some("link")
    } else {
        None
    }
}

impl<'a> Visit<'a> for Finder<'_, 'a> {
    fn visit_member_expression(&mut self, expr: &MemberExpression<'a>) {
        // Only these shapes can evaluate to the platform or a module value; `this.x`,
        // `"s".length`, `[…].map` never do.
        let may_matter = matches!(
            expr.object(),
            Expression::Identifier(_)
                | Expression::CallExpression(_)
                | Expression::StaticMemberExpression(_)
                | Expression::ComputedMemberExpression(_)
                | Expression::ParenthesizedExpression(_)
                | Expression::SequenceExpression(_)
        );
        if !may_matter {
            walk::walk_member_expression(self, expr);
            return;
        }
        if let Some(name) = expr.static_property_name() {
            match self.eval(expr.object()) {
                Some(Val::Platform(ns)) => self.record_call(ns, name, expr.span().start),
                Some(v) if v.is_module_value() => self.record_pending(v, name, expr.span().start),
                _ => {}
            }
        } else if let MemberExpression::ComputedMemberExpression(c) = expr
            && matches!(self.eval(&c.object), Some(Val::Platform(_)))
            && let Some(m) = self.info()
        {
            // `wx[name]`: code that forwards the platform's API by name (a framework
            // runtime or a promisify helper).
            m.forwards_platform = true;
        }
        walk::walk_member_expression(self, expr);
    }

    fn visit_variable_declarator(&mut self, decl: &VariableDeclarator<'a>) {
        if let BindingPattern::BindingIdentifier(id) = &decl.id {
            let value = decl.init.as_ref().and_then(|e| self.eval(e));
            if let Some(init) = &decl.init {
                if let Expression::StringLiteral(lit) = init {
                    self.record_secret(Some(&id.name), lit);
                }
                self.name_value(&id.name, init);
            }
            self.scopes.bind(id.name.as_str(), value);
        }
        walk::walk_variable_declarator(self, decl);
    }

    fn visit_object_property(&mut self, prop: &ObjectProperty<'a>) {
        if let Some(key) = prop.key.static_name() {
            if let Expression::StringLiteral(lit) = &prop.value {
                if key == "openType" || key == "open-type" {
                    self.record_open_type(&lit.value, lit.span.start);
                }
                self.record_secret(Some(&key), lit);
            }
            self.name_value(&key, &prop.value);
        }
        walk::walk_object_property(self, prop);
    }

    fn visit_assignment_expression(&mut self, assign: &AssignmentExpression<'a>) {
        let name = assign.left.get_identifier_name().or_else(|| {
            assign
                .left
                .as_member_expression()
                .and_then(|m| m.static_property_name())
        });
        if let Expression::StringLiteral(lit) = &assign.right {
            if matches!(name, Some("openType" | "open-type")) {
                self.record_open_type(&lit.value, lit.span.start);
            }
            if literals::may_be_secret(&lit.value) {
                self.record_secret(name, lit);
            }
        }
        if let Some(name) = name {
            self.name_value(name, &assign.right);
        }
        self.record_export(assign);
        walk::walk_assignment_expression(self, assign);
    }

    fn visit_array_expression(&mut self, array: &ArrayExpression<'a>) {
        // WeChat's template compiler keeps attribute values as `[3, 'value']`.
        if let [
            ArrayExpressionElement::NumericLiteral(n),
            ArrayExpressionElement::StringLiteral(s),
        ] = array.elements.as_slice()
            && n.value == 3.0
            && COMPILED_OPEN_TYPES.contains(&s.value.as_str())
        {
            self.record_open_type(&s.value, s.span.start);
        }
        walk::walk_array_expression(self, array);
    }

    fn visit_string_literal(&mut self, lit: &StringLiteral<'a>) {
        self.record_url(&lit.value, lit.span.start);
        let v = lit.value.as_str();
        if ["LTAI", "AKID", "AKIA", "-----BEGIN"]
            .iter()
            .any(|p| v.starts_with(p))
        {
            self.record_secret(None, lit);
        }
        if may_name_policy(v) {
            self.record_policy_text(v, lit.span.start);
        }
    }

    fn visit_template_literal(&mut self, tpl: &TemplateLiteral<'a>) {
        if let Some(first) = tpl.quasis.first() {
            self.record_url(&first.value.raw, tpl.span.start);
        }
        walk::walk_template_literal(self, tpl);
    }

    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        // `getLocation({…})` after `import { getLocation } from "@tarojs/taro"`.
        if let Expression::Identifier(f) = &call.callee
            && let Some(Val::Named(key, name)) = self.eval(&call.callee)
        {
            self.record_pending(Val::Module(key), &name, f.span.start);
        }
        self.mark_sink(call);
        self.record_webpack_export(call);
        self.note_webpack_modules(call);
        self.note_iife(call);
        match &call.callee {
            Expression::Identifier(f)
                if matches!(
                    f.name.as_str(),
                    "App" | "Page" | "Component" | "Behavior" | "createPage" | "createComponent"
                ) =>
            {
                if let Some(m) = self.info() {
                    m.entry = true;
                }
            }
            // Only a name can be the loader (`require`, `n`, `__webpack_require__`).
            callee @ Expression::Identifier(_) => {
                if self.eval(callee) == Some(Val::Require)
                    && let Some(key) = self.here().required(call.arguments.first())
                {
                    // A module past the per-file cap keeps no edges (it is not recorded).
                    if let Some(m) = self.info() {
                        m.requires.push(key);
                    }
                }
            }
            _ => {}
        }
        let define = match (&call.callee, call.arguments.first(), call.arguments.get(1)) {
            (Expression::Identifier(callee), Some(Argument::StringLiteral(path)), Some(f))
                if callee.name == "define" =>
            {
                f.as_expression().and_then(function_start).map(|start| {
                    let key = normalise(&path.value);
                    self.pending_fns.insert(start, (Vec::new(), Some(key)));
                    (path.value.to_string(), call.span.start)
                })
            }
            _ => None,
        };
        let opens_elsewhere = call
            .callee
            .as_member_expression()
            .and_then(|m| m.static_property_name())
            .is_some_and(|n| OPENS_ELSEWHERE.contains(&n));
        if opens_elsewhere {
            self.link_depth += 1;
        }
        match define {
            Some(site) => {
                self.defines.push(site);
                walk::walk_call_expression(self, call);
                self.defines.pop();
            }
            None => walk::walk_call_expression(self, call),
        }
        if opens_elsewhere {
            self.link_depth -= 1;
        }
    }

    fn visit_function(&mut self, func: &Function<'a>, flags: ScopeFlags) {
        // A declaration binds its name in the enclosing scope: a getter of the platform when
        // its body only returns it.
        if let Some(id) = &func.id
            && func.is_declaration()
        {
            let value = func
                .body
                .as_deref()
                .and_then(|b| self.here().returned(b, 0))
                .and_then(|v| match v {
                    Val::Platform(ns) => Some(Val::PlatformGetter(ns)),
                    _ => None,
                });
            self.scopes.bind(id.name.as_str(), value);
        }
        let opened = self.enter_function(func.span.start, &func.params);
        walk::walk_function(self, func, flags);
        self.leave_function(opened);
    }

    fn visit_arrow_function_expression(&mut self, f: &ArrowFunctionExpression<'a>) {
        let opened = self.enter_function(f.span.start, &f.params);
        walk::walk_arrow_function_expression(self, f);
        self.leave_function(opened);
    }

    fn visit_import_declaration(&mut self, decl: &ImportDeclaration<'a>) {
        let key = super::values::module_key(self.module(), &decl.source.value);
        if let Some(m) = self.info() {
            m.requires.push(key.clone());
        }
        for spec in decl.specifiers.iter().flatten() {
            let (local, value) = match spec {
                ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                    (&s.local, Val::Default(key.clone()))
                }
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                    (&s.local, Val::Module(key.clone()))
                }
                ImportDeclarationSpecifier::ImportSpecifier(s) => {
                    let name = s.imported.name().to_string();
                    let value = if name == "default" {
                        Val::Default(key.clone())
                    } else {
                        Val::Named(key.clone(), name)
                    };
                    (&s.local, value)
                }
            };
            self.scopes.bind(local.name.as_str(), Some(value));
        }
        walk::walk_import_declaration(self, decl);
    }

    fn visit_export_default_declaration(&mut self, decl: &ExportDefaultDeclaration<'a>) {
        if let (Some(e), Some(key)) = (decl.declaration.as_expression(), self.keys.last().cloned())
            && let Some(v) = self.eval(e)
        {
            self.set_export(&key, Some("default".into()), v);
        }
        walk::walk_export_default_declaration(self, decl);
    }

    fn visit_if_statement(&mut self, it: &IfStatement<'a>) {
        self.visit_branches(
            &it.test,
            |f| f.visit_statement(&it.consequent),
            |f| {
                if let Some(alt) = &it.alternate {
                    f.visit_statement(alt);
                }
            },
        );
    }

    fn visit_conditional_expression(&mut self, it: &ConditionalExpression<'a>) {
        self.visit_branches(
            &it.test,
            |f| f.visit_expression(&it.consequent),
            |f| f.visit_expression(&it.alternate),
        );
    }

    fn visit_logical_expression(&mut self, it: &LogicalExpression<'a>) {
        // `!1 && x` never evaluates `x`; `!0 || x` neither.
        let skip_right = matches!(
            (it.operator, self.here().fold(&it.left, 0)),
            (LogicalOperator::And, Some(false)) | (LogicalOperator::Or, Some(true))
        );
        self.visit_expression(&it.left);
        if !skip_right {
            self.visit_expression(&it.right);
        }
    }
}

/// The leftmost operand of a concatenation (where a URL's scheme and host are).
fn leftmost_expr<'e, 'a>(expr: &'e Expression<'a>) -> &'e Expression<'a> {
    let mut e = expr;
    while let Expression::BinaryExpression(b) = e {
        e = &b.left;
    }
    e
}

fn leftmost(expr: &Expression<'_>) -> u32 {
    leftmost_expr(expr).span().start
}
