//! JavaScript, parsed with oxc (never executed), in one walk:
//! - platform API references: member expressions on a platform namespace (`wx`, `tt`, `my`,
//!   `swan`, `qq`, `uni`, `Taro`) or a simple alias of one (`const w = wx`), static or computed
//!   with a string (`wx['getLocation']`); calls and references handed to promise wrappers are
//!   both member expressions;
//! - URL literals, and whether one is handed straight to a network API;
//! - credentials: literals under secret-like names, cloud keys by shape (masked at once);
//! - `open-type` values in compiled templates (`Z([3,'getPhoneNumber'])` from WeChat's
//!   compiler, `{openType:"getPhoneNumber"}` from ByteDance's).
//!
//! Packages wrap every source module as `define("path.js", function(…){…})`: what is found
//! inside is reported against that path, lines counted from the module's start.

use std::collections::{HashMap, HashSet};

use hegui_knowledge::miniprogram_apis;
use hegui_model::{EmbeddedSecret, MiniProgramApiCall, OpenTypeUse, SourceSite};
use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, ArrayExpression, ArrayExpressionElement, AssignmentExpression, BindingPattern,
    CallExpression, Expression, MemberExpression, ObjectProperty, ObjectPropertyKind,
    StringLiteral, TemplateLiteral, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};

use crate::literals::{self, Url};

const NAMESPACES: &[&str] = &["wx", "tt", "my", "swan", "qq", "uni", "Taro"];
/// Items kept per file and kind, so a hostile bundle cannot flood a report.
const MAX_PER_FILE: usize = 5_000;
/// Open-type values distinctive enough to recognise in WeChat's compiled constant table
/// (`contact`, `share`, `feedback` are also ordinary class names there).
const COMPILED_OPEN_TYPES: &[&str] = &[
    "getPhoneNumber",
    "getRealtimePhoneNumber",
    "getUserInfo",
    "chooseAvatar",
    "agreePrivacyAuthorization",
    "openSetting",
    "launchApp",
    "getAuthorize",
];

/// A URL found in the code and how it is used (`request`, `socket`, `resource`, `url`).
#[derive(Debug)]
pub(crate) struct UrlUse {
    pub url: Url,
    pub usage: &'static str,
    pub site: SourceSite,
}

/// What one JavaScript file holds.
#[derive(Debug, Default)]
pub(crate) struct JsFacts {
    pub calls: Vec<MiniProgramApiCall>,
    pub urls: Vec<UrlUse>,
    pub secrets: Vec<EmbeddedSecret>,
    pub open_types: Vec<OpenTypeUse>,
}

struct Finder<'s> {
    file: &'s str,
    source: &'s str,
    /// Byte offsets of line starts, computed on first use.
    line_starts: Vec<u32>,
    /// Where the code starts in its file (an HTML `<script>` block): 0-based line, column.
    base: (u32, u32),
    /// Enclosing `define("path", …)` modules: (path, start offset).
    modules: Vec<(String, u32)>,
    aliases: HashMap<String, &'static str>,
    /// Literals handed straight to a network API, by span start: `request` or `socket`.
    sinks: HashMap<u32, &'static str>,
    /// Literals already reported as secrets (by name), so their shape is not checked again.
    secret_spans: HashSet<u32>,
    out: JsFacts,
}

impl Finder<'_> {
    fn site(&mut self, offset: u32) -> SourceSite {
        // Line starts are only needed once something is found; most files yield little.
        if self.line_starts.is_empty() {
            self.line_starts.push(0);
            self.line_starts.extend(
                self.source
                    .bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i as u32 + 1),
            );
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
        let (file, line, col) = match self.modules.last() {
            Some((path, start)) => {
                let (mline, mcol) = position(*start);
                let col = if line == mline { col - mcol } else { col };
                (path.clone(), line - mline, col)
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
        let SourceSite { file, line, col } = self.site(offset);
        self.out.calls.push(MiniProgramApiCall {
            api: format!("{ns}.{name}"),
            file,
            line,
            col,
        });
    }

    fn namespace_of(&self, object: &Expression<'_>) -> Option<&'static str> {
        let Expression::Identifier(id) = object else {
            return None;
        };
        let name = id.name.as_str();
        NAMESPACES
            .iter()
            .find(|ns| **ns == name)
            .copied()
            .or_else(|| {
                // Most files alias nothing: skip hashing every `e.x` of minified code.
                if self.aliases.is_empty() {
                    None
                } else {
                    self.aliases.get(name).copied()
                }
            })
    }

    fn record_url(&mut self, text: &str, offset: u32) {
        if self.out.urls.len() >= MAX_PER_FILE || !starts_like_url(text) {
            return;
        }
        let Some(url) = literals::parse_url(text) else {
            return;
        };
        let usage = match self.sinks.get(&offset) {
            Some(sink) => sink,
            None if url.resource => "resource",
            None => "url",
        };
        let site = self.site(offset);
        self.out.urls.push(UrlUse { url, usage, site });
    }

    fn record_secret(&mut self, name: Option<&str>, lit: &StringLiteral<'_>) {
        let value = lit.value.as_str();
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

    /// Mark the URL argument of `wx.request({url})`, `wx.connectSocket({url})`, … as a sink.
    fn mark_sink(&mut self, call: &CallExpression<'_>) {
        let Some(member) = call.callee.as_member_expression() else {
            return;
        };
        let usage = match member.static_property_name() {
            Some("request" | "uploadFile" | "downloadFile") => "request",
            Some("connectSocket") => "socket",
            _ => return,
        };
        if self.namespace_of(member.object()).is_none() {
            return;
        }
        let url = match call.arguments.first() {
            Some(Argument::ObjectExpression(obj)) => obj.properties.iter().find_map(|p| match p {
                ObjectPropertyKind::ObjectProperty(p)
                    if p.key.static_name().is_some_and(|k| k == "url") =>
                {
                    Some(&p.value)
                }
                _ => None,
            }),
            Some(arg) => arg.as_expression(),
            None => None,
        };
        // `base + "/path"`: the leftmost operand carries the scheme and host.
        let mut expr = url;
        while let Some(Expression::BinaryExpression(b)) = expr {
            expr = Some(&b.left);
        }
        if let Some(e @ (Expression::StringLiteral(_) | Expression::TemplateLiteral(_))) = expr {
            self.sinks.insert(e.span().start, usage);
        }
    }
}

/// A cheap test before parsing: `http…` or `ws…`.
fn starts_like_url(text: &str) -> bool {
    let t = text.trim_start().as_bytes();
    t.len() > 8 && matches!(t.first(), Some(b'h' | b'H' | b'w' | b'W'))
}

impl<'a> Visit<'a> for Finder<'_> {
    fn visit_member_expression(&mut self, expr: &MemberExpression<'a>) {
        if let (Some(ns), Some(name)) = (
            self.namespace_of(expr.object()),
            expr.static_property_name(),
        ) {
            self.record_call(ns, name, expr.span().start);
        }
        walk::walk_member_expression(self, expr);
    }

    fn visit_variable_declarator(&mut self, decl: &VariableDeclarator<'a>) {
        if let BindingPattern::BindingIdentifier(id) = &decl.id {
            match &decl.init {
                Some(Expression::Identifier(init)) => {
                    if let Some(ns) = NAMESPACES.iter().find(|ns| **ns == init.name.as_str()) {
                        self.aliases.insert(id.name.to_string(), ns);
                    }
                }
                Some(Expression::StringLiteral(lit)) => self.record_secret(Some(&id.name), lit),
                _ => {}
            }
        }
        walk::walk_variable_declarator(self, decl);
    }

    fn visit_object_property(&mut self, prop: &ObjectProperty<'a>) {
        if let (Some(key), Expression::StringLiteral(lit)) = (prop.key.static_name(), &prop.value) {
            if key == "openType" || key == "open-type" {
                self.record_open_type(&lit.value, lit.span.start);
            }
            self.record_secret(Some(&key), lit);
        }
        walk::walk_object_property(self, prop);
    }

    fn visit_assignment_expression(&mut self, assign: &AssignmentExpression<'a>) {
        if let Expression::StringLiteral(lit) = &assign.right
            && literals::may_be_secret(&lit.value)
        {
            let name = assign.left.get_identifier_name().or_else(|| {
                assign
                    .left
                    .as_member_expression()
                    .and_then(|m| m.static_property_name())
            });
            self.record_secret(name, lit);
        }
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
    }

    fn visit_template_literal(&mut self, tpl: &TemplateLiteral<'a>) {
        if let Some(first) = tpl.quasis.first() {
            self.record_url(&first.value.raw, tpl.span.start);
        }
        walk::walk_template_literal(self, tpl);
    }

    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        self.mark_sink(call);
        let module = match (&call.callee, call.arguments.first()) {
            (Expression::Identifier(callee), Some(Argument::StringLiteral(path)))
                if callee.name == "define" =>
            {
                Some(path.value.to_string())
            }
            _ => None,
        };
        match module {
            Some(path) => {
                self.modules.push((path, call.span.start));
                walk::walk_call_expression(self, call);
                self.modules.pop();
            }
            None => walk::walk_call_expression(self, call),
        }
    }
}

/// Everything one JavaScript file holds (`file` names it in the facts). `base` is where the
/// code starts in that file (0-based line and column), for inline scripts.
pub(crate) fn scan(file: &str, source: &str, base: (u32, u32)) -> JsFacts {
    // oxc spans are u32: larger sources are not parsed.
    if source.len() >= u32::MAX as usize {
        return JsFacts::default();
    }
    let allocator = Allocator::default();
    let mut ret = Parser::new(&allocator, source, SourceType::cjs()).parse();
    if !ret.diagnostics.is_empty() {
        // ES-module syntax (`import`) in a source tree.
        let as_module = Parser::new(&allocator, source, SourceType::mjs()).parse();
        if as_module.diagnostics.len() < ret.diagnostics.len() {
            ret = as_module;
        }
    }
    let mut finder = Finder {
        file,
        source,
        line_starts: Vec::new(),
        base,
        modules: Vec::new(),
        aliases: HashMap::new(),
        sinks: HashMap::new(),
        secret_spans: HashSet::new(),
        out: JsFacts::default(),
    };
    finder.visit_program(&ret.program);
    finder.out
}

/// Parse a script and look at nothing: the share of a scan no JavaScript-reading tool can
/// avoid, for benchmarks. Returns the number of syntax errors.
pub fn parse_only(source: &str) -> usize {
    if source.len() >= u32::MAX as usize {
        return 0;
    }
    let allocator = Allocator::default();
    Parser::new(&allocator, source, SourceType::cjs())
        .parse()
        .diagnostics
        .len()
}

/// Platform API references in one JavaScript file (`file` names it in the facts).
pub fn find_calls(file: &str, source: &str) -> Vec<MiniProgramApiCall> {
    scan(file, source, (0, 0)).calls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_aliases_computed_and_modules() {
        let src = "define(\"pages/a.js\", function(require){\n  wx.getLocation({});\n  const w = wx;\n  w['chooseImage']();\n  promisify(wx.getPhoneNumber);\n  wx.navigateTo({});\n});\ntt.getSystemInfo();";
        let calls = find_calls("app-service.js", src);
        let got: Vec<(&str, &str, u32, u32)> = calls
            .iter()
            .map(|c| (c.api.as_str(), c.file.as_str(), c.line, c.col))
            .collect();
        assert_eq!(
            got,
            [
                ("wx.getLocation", "pages/a.js", 2, 3),
                ("wx.chooseImage", "pages/a.js", 4, 3),
                ("wx.getPhoneNumber", "pages/a.js", 5, 13),
                ("tt.getSystemInfo", "app-service.js", 8, 1),
            ]
        );
        // Broken JavaScript gives what could be parsed, never a panic.
        let _ = find_calls("x.js", "wx.getLocation(( {");
        assert!(find_calls("x.js", "").is_empty());
    }

    #[test]
    fn urls_and_their_use() {
        let src = "var base = 'http://localhost:8080/wx/';\n// wx.request({url: 'http://commented.example.com/'})\nwx.request({url: 'http://api.example.com/v1?token=1', data: {}});\nwx.connectSocket({url: `ws://im.example.com/${id}`});\nwx.uploadFile({url: 'https://up.example.com' + path});\nvar img = \"http://cdn.example.com/a.png\";";
        let facts = scan("app.js", src, (0, 0));
        let got: Vec<(&str, &str, u32)> = facts
            .urls
            .iter()
            .map(|u| (u.url.url.as_str(), u.usage, u.site.line))
            .collect();
        assert_eq!(
            got,
            [
                ("http://localhost:8080/wx/", "url", 1),
                ("http://api.example.com/v1", "request", 3),
                ("ws://im.example.com/", "socket", 4),
                ("https://up.example.com", "request", 5),
                ("http://cdn.example.com/a.png", "resource", 6),
            ]
        );
    }

    #[test]
    fn secrets_are_masked() {
        let src = "App({globalData: {appid: 'wx0123456789abcdef', secret: '9670a1b2c3d4e5f60718293a4b5c6d7e'}});\nconfig.appSecret = '22d3a1b2c3d4e5f60718293a4b5c6d7e';\nconst k = 'LTAI5tAbCdEfGhIjKlMn';\nvar secret = 'not a secret at all';";
        let facts = scan("app.js", src, (0, 0));
        let got: Vec<(&str, Option<&str>, &str, u32)> = facts
            .secrets
            .iter()
            .map(|s| {
                (
                    s.kind.as_str(),
                    s.name.as_deref(),
                    s.masked.as_str(),
                    s.site.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("appsecret", Some("secret"), "9670…(32)", 1),
                ("appsecret", Some("appSecret"), "22d3…(32)", 2),
                ("aliyun-access-key", Some("k"), "LTAI…(20)", 3),
            ]
        );
        let json = format!("{:?}", facts.secrets);
        assert!(!json.contains("9670a1b2"), "the value must never be kept");
    }

    #[test]
    fn compiled_open_types() {
        let wcc = "var z=[];function Z(a){z.push(a)}\nZ([3,'getPhoneNumber'])\nZ([3,'contact'])\nZ([1,'getUserInfo'])";
        let tt = "s(r,{openType:\"agreePrivacyAuthorization\",id:\"agree-btn\"})";
        let values = |src| -> Vec<(String, bool)> {
            scan("page-frame.js", src, (0, 0))
                .open_types
                .into_iter()
                .map(|o| (o.value, o.compiled))
                .collect()
        };
        assert_eq!(values(wcc), [("getPhoneNumber".to_string(), true)]);
        assert_eq!(
            values(tt),
            [("agreePrivacyAuthorization".to_string(), true)]
        );
    }

    #[test]
    fn inline_script_base() {
        let facts = scan(
            "page-frame.html",
            "wx.getLocation()\n  wx.chooseImage()",
            (9, 8),
        );
        let got: Vec<(u32, u32)> = facts.calls.iter().map(|c| (c.line, c.col)).collect();
        assert_eq!(got, [(10, 9), (11, 3)]);
    }
}
