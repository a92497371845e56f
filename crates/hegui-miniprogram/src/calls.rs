//! Platform API references in JavaScript, found by parsing it with oxc (never executing it).
//!
//! A reference is a member expression on a platform namespace (`wx`, `tt`, `my`, `swan`, `qq`,
//! `uni`, `Taro`) or on a simple alias of one (`const w = wx`), static or computed with a string
//! (`wx['getLocation']`); calls and references passed to promise wrappers are both member
//! expressions. Packages wrap every source module as `define("path.js", function(…){…})`: calls
//! inside are reported against that path, lines counted from the module's start.

use std::collections::HashMap;

use hegui_knowledge::miniprogram_apis;
use hegui_model::MiniProgramApiCall;
use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, BindingPattern, CallExpression, Expression, MemberExpression, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};

const NAMESPACES: &[&str] = &["wx", "tt", "my", "swan", "qq", "uni", "Taro"];
/// References kept per file, so a hostile bundle cannot flood a report.
const MAX_CALLS_PER_FILE: usize = 5_000;

struct Finder<'s> {
    file: &'s str,
    line_starts: Vec<u32>,
    /// Enclosing `define("path", …)` modules: (path, start offset).
    modules: Vec<(String, u32)>,
    aliases: HashMap<String, &'static str>,
    out: Vec<MiniProgramApiCall>,
}

impl Finder<'_> {
    /// 0-based line and column of a byte offset.
    fn position(&self, offset: u32) -> (u32, u32) {
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        (line as u32, offset - start)
    }

    fn record(&mut self, ns: &str, name: &str, offset: u32) {
        if self.out.len() >= MAX_CALLS_PER_FILE || miniprogram_apis().get(name).is_none() {
            return;
        }
        let (line, col) = self.position(offset);
        let (file, line, col) = match self.modules.last() {
            Some((path, start)) => {
                let (mline, mcol) = self.position(*start);
                let col = if line == mline { col - mcol } else { col };
                (path.clone(), line - mline, col)
            }
            None => (self.file.to_string(), line, col),
        };
        self.out.push(MiniProgramApiCall {
            api: format!("{ns}.{name}"),
            file,
            line: line + 1,
            col: col + 1,
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
            .or_else(|| self.aliases.get(name).copied())
    }
}

impl<'a> Visit<'a> for Finder<'_> {
    fn visit_member_expression(&mut self, expr: &MemberExpression<'a>) {
        if let (Some(ns), Some(name)) = (
            self.namespace_of(expr.object()),
            expr.static_property_name(),
        ) {
            self.record(ns, name, expr.span().start);
        }
        walk::walk_member_expression(self, expr);
    }

    fn visit_variable_declarator(&mut self, decl: &VariableDeclarator<'a>) {
        if let (BindingPattern::BindingIdentifier(id), Some(Expression::Identifier(init))) =
            (&decl.id, &decl.init)
            && let Some(ns) = NAMESPACES.iter().find(|ns| **ns == init.name.as_str())
        {
            self.aliases.insert(id.name.to_string(), ns);
        }
        walk::walk_variable_declarator(self, decl);
    }

    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
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

/// Platform API references in one JavaScript file (`file` names it in the facts).
pub fn find_calls(file: &str, source: &str) -> Vec<MiniProgramApiCall> {
    // oxc spans are u32: larger sources are not parsed.
    if source.len() >= u32::MAX as usize {
        return Vec::new();
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
    let mut line_starts = vec![0u32];
    line_starts.extend(
        source
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i as u32 + 1),
    );
    let mut finder = Finder {
        file,
        line_starts,
        modules: Vec::new(),
        aliases: HashMap::new(),
        out: Vec::new(),
    };
    finder.visit_program(&ret.program);
    finder.out
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
}
