//! Scopes and the small evaluator over them: what an expression is, as far as the platform
//! object, modules and constant branches are concerned. Nothing is executed; an expression of
//! any other shape is simply unknown (`None`).

use ahash::AHashMap;

use oxc_ast::ast::{
    Argument, ArrowFunctionBody, BinaryOperator, Expression, FunctionBody, Statement, UnaryOperator,
};

use super::values::{ModKey, Val, module_key};
use crate::js::NAMESPACES;

/// Bindings that matter, innermost last. A name bound to something unknown is kept only when
/// it shadows a binding that matters, so minified code's thousands of `var`s cost nothing.
#[derive(Default)]
pub(crate) struct Scopes<'a> {
    bindings: AHashMap<&'a str, Vec<(usize, Option<Val>)>>,
    /// Names bound in each open scope, to unbind them on leaving it.
    opened: Vec<Vec<&'a str>>,
}

impl<'a> Scopes<'a> {
    pub fn enter(&mut self) {
        self.opened.push(Vec::new());
    }

    pub fn leave(&mut self) {
        let depth = self.opened.len();
        for name in self.opened.pop().unwrap_or_default() {
            if let Some(stack) = self.bindings.get_mut(name) {
                while stack.last().is_some_and(|(d, _)| *d == depth) {
                    stack.pop();
                }
                if stack.is_empty() {
                    self.bindings.remove(name);
                }
            }
        }
    }

    /// Bind `name` in the innermost scope.
    pub fn bind(&mut self, name: &'a str, value: Option<Val>) {
        if value.is_none() && !self.bindings.contains_key(name) && !is_special(name) {
            return;
        }
        let depth = self.opened.len();
        let stack = self.bindings.entry(name).or_default();
        match stack.last_mut() {
            Some((d, v)) if *d == depth => *v = value,
            _ => {
                stack.push((depth, value));
                if let Some(open) = self.opened.last_mut() {
                    open.push(name);
                }
            }
        }
    }

    /// `Some(None)`: bound to something unknown; `None`: not bound at all.
    pub fn lookup(&self, name: &str) -> Option<Option<&Val>> {
        // Most scripts bind nothing that matters: skip hashing every identifier.
        if self.bindings.is_empty() {
            return None;
        }
        self.bindings
            .get(name)
            .and_then(|s| s.last())
            .map(|(_, v)| v.as_ref())
    }
}

/// Free names with a meaning of their own, which a local binding of the same name hides.
fn is_special(name: &str) -> bool {
    NAMESPACES.contains(&name) || matches!(name, "require" | "module" | "exports")
}

/// What the evaluator needs from where it stands.
pub(crate) struct Here<'s, 'a> {
    pub scopes: &'s Scopes<'a>,
    /// The module the expression is in.
    pub module: Option<&'s str>,
    /// The host platform's namespace (`wx` for WeChat): `typeof my` is `"undefined"` there.
    pub host: &'static str,
}

impl Here<'_, '_> {
    pub fn ident(&self, name: &str) -> Option<Val> {
        match self.scopes.lookup(name) {
            Some(v) => v.cloned(),
            None => match name {
                "require" | "__webpack_require__" => Some(Val::Require),
                "module" => self.module.map(|m| Val::ModuleObj(m.to_string())),
                "exports" => self.module.map(|m| Val::ExportsObj(m.to_string())),
                // Every namespace is at most four letters: most names end the test here.
                _ if name.len() > 4 => None,
                _ => NAMESPACES
                    .iter()
                    .find(|ns| **ns == name)
                    .map(|ns| Val::Platform(ns)),
            },
        }
    }

    /// The key a loader call names: webpack ids inside webpack modules, paths elsewhere.
    pub fn required(&self, arg: Option<&Argument<'_>>) -> Option<ModKey> {
        let in_webpack = self.module.is_some_and(|m| m.starts_with("wp:"));
        match arg? {
            Argument::NumericLiteral(n) if in_webpack => Some(format!("wp:{}", n.value)),
            Argument::StringLiteral(s) if in_webpack => Some(format!("wp:{}", s.value)),
            Argument::StringLiteral(s) => Some(module_key(self.module, &s.value)),
            _ => None,
        }
    }

    pub fn eval(&self, expr: &Expression<'_>) -> Option<Val> {
        self.eval_depth(expr, 0)
    }

    fn eval_depth(&self, expr: &Expression<'_>, depth: u8) -> Option<Val> {
        // Deep nesting is rare and never needed: a hostile expression cannot recurse far.
        if depth > 12 {
            return None;
        }
        let d = depth + 1;
        match expr {
            Expression::Identifier(id) => self.ident(&id.name),
            Expression::ParenthesizedExpression(p) => self.eval_depth(&p.expression, d),
            Expression::SequenceExpression(s) => {
                s.expressions.last().and_then(|e| self.eval_depth(e, d))
            }
            Expression::BooleanLiteral(b) => Some(Val::Bool(b.value)),
            Expression::StringLiteral(s) if super::starts_like_url(&s.value) => {
                Some(Val::Str(s.span.start))
            }
            Expression::TemplateLiteral(t)
                if t.quasis
                    .first()
                    .is_some_and(|q| super::starts_like_url(&q.value.raw)) =>
            {
                Some(Val::Str(t.span.start))
            }
            Expression::UnaryExpression(_) | Expression::BinaryExpression(_) => {
                self.fold(expr, d).map(Val::Bool)
            }
            Expression::ConditionalExpression(c) => match self.fold(&c.test, d)? {
                true => self.eval_depth(&c.consequent, d),
                false => self.eval_depth(&c.alternate, d),
            },
            Expression::CallExpression(call) => {
                let callee = self.eval_depth(&call.callee, d);
                match callee {
                    Some(Val::Require) => self.required(call.arguments.first()).map(Val::Module),
                    Some(Val::DefaultGetter(k)) if call.arguments.is_empty() => {
                        Some(Val::Default(k))
                    }
                    Some(Val::PlatformGetter(ns)) => Some(Val::Platform(ns)),
                    _ => {
                        let arg = || {
                            call.arguments
                                .first()
                                .and_then(Argument::as_expression)
                                .and_then(|a| self.eval_depth(a, d))
                        };
                        if let Some(m) = call.callee.as_member_expression()
                            && m.static_property_name() == Some("n")
                            && self.eval_depth(m.object(), d) == Some(Val::Require)
                        {
                            // webpack's `n.n(module)`: a getter of its default export.
                            return match arg()? {
                                Val::Module(k) => Some(Val::DefaultGetter(k)),
                                _ => None,
                            };
                        }
                        match &call.callee {
                            // `Object(m.a)` (webpack) and `_interopRequireDefault(require(…))`
                            // hand their argument through.
                            Expression::Identifier(f)
                                if call.arguments.len() == 1
                                    && (f.name == "Object" || f.name.contains("nterop")) =>
                            {
                                arg()
                            }
                            _ => None,
                        }
                    }
                }
            }
            Expression::FunctionExpression(f) => f
                .body
                .as_deref()
                .and_then(|b| self.returned(b, d))
                .and_then(getter),
            Expression::ArrowFunctionExpression(f) => match &f.body {
                ArrowFunctionBody::FunctionBody(b) => self.returned(b, d),
                body => body.as_expression().and_then(|e| self.eval_depth(e, d)),
            }
            .and_then(getter),
            _ => {
                let member = expr.as_member_expression()?;
                let name = member.static_property_name()?;
                let object = self.eval_depth(member.object(), d)?;
                Some(match (object, name) {
                    (Val::Module(k), "default") | (Val::Default(k), "default") => Val::Default(k),
                    (Val::Module(k), _) => Val::Named(k, name.to_string()),
                    // webpack 4's getter carries the default export as `.a`.
                    (Val::DefaultGetter(k), "a") => Val::Default(k),
                    (Val::ModuleObj(k), "exports") => Val::ExportsObj(k),
                    _ => return None,
                })
            }
        }
    }

    /// What a function body returns when it is a single `return X`.
    pub fn returned(&self, body: &FunctionBody<'_>, depth: u8) -> Option<Val> {
        match body.statements.as_slice() {
            [Statement::ReturnStatement(r)] => {
                r.argument.as_ref().and_then(|e| self.eval_depth(e, depth))
            }
            _ => None,
        }
    }

    /// A branch condition that is constant in this build: literals, `!0`, constants bound
    /// to booleans, string comparisons of literals (`"production" === "development"`), and
    /// `typeof` of a platform namespace.
    pub fn fold(&self, expr: &Expression<'_>, depth: u8) -> Option<bool> {
        if depth > 12 {
            return None;
        }
        let d = depth + 1;
        match expr {
            Expression::BooleanLiteral(b) => Some(b.value),
            Expression::NumericLiteral(n) => Some(n.value != 0.0),
            Expression::ParenthesizedExpression(p) => self.fold(&p.expression, d),
            Expression::Identifier(id) => match self.scopes.lookup(&id.name) {
                Some(Some(Val::Bool(b))) => Some(*b),
                _ => None,
            },
            Expression::UnaryExpression(u) if u.operator == UnaryOperator::LogicalNot => {
                self.fold(&u.argument, d).map(|b| !b)
            }
            Expression::BinaryExpression(b) => {
                let equal = match b.operator {
                    BinaryOperator::StrictEquality | BinaryOperator::Equality => true,
                    BinaryOperator::StrictInequality | BinaryOperator::Inequality => false,
                    _ => return None,
                };
                let left = self.constant_string(&b.left)?;
                let right = self.constant_string(&b.right)?;
                Some((left == right) == equal)
            }
            _ => None,
        }
    }

    fn constant_string(&self, expr: &Expression<'_>) -> Option<String> {
        match expr {
            Expression::StringLiteral(s) => Some(s.value.to_string()),
            Expression::UnaryExpression(u) if u.operator == UnaryOperator::Typeof => {
                let Expression::Identifier(id) = &u.argument else {
                    return None;
                };
                if self.scopes.lookup(&id.name).is_some() {
                    return None;
                }
                let ns = NAMESPACES.iter().find(|ns| **ns == id.name.as_str())?;
                Some(
                    if *ns == self.host {
                        "object"
                    } else {
                        "undefined"
                    }
                    .to_string(),
                )
            }
            _ => None,
        }
    }
}

/// A function that returns the platform object is a getter of it.
fn getter(v: Val) -> Option<Val> {
    match v {
        Val::Platform(ns) => Some(Val::PlatformGetter(ns)),
        _ => None,
    }
}
