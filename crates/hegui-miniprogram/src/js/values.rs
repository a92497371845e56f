//! What the JavaScript reader knows about a value: only the shapes on the way to the platform
//! object (`wx`, `my`, …) through modules, getters and framework wrappers, plus the constants
//! that decide a branch or name a URL.

/// A module of the app, as the bundler names it: a `define("path.js")` path, a source file's
/// path, a webpack module id (`wp:4795`) or a package name (`npm:@tarojs/taro`).
pub(crate) type ModKey = String;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    /// The platform object itself.
    Platform(&'static str),
    /// A function that returns the platform object.
    PlatformGetter(&'static str),
    /// The module loader (`require`, webpack's `__webpack_require__`).
    Require,
    /// The `module` object of a module: `module.exports = …` sets its exports.
    ModuleObj(ModKey),
    /// The `exports` object of a module.
    ExportsObj(ModKey),
    /// What loading a module returns: its whole exports.
    Module(ModKey),
    /// A module's default export (`.default`, webpack's `n.n(m)()`, `import x from`).
    Default(ModKey),
    /// A named export.
    Named(ModKey, String),
    /// Webpack's `n.n(m)`: a function returning the default export.
    DefaultGetter(ModKey),
    /// A constant boolean (`!0`, `false`), for branches.
    Bool(bool),
    /// A string constant (its start offset in the file), for URLs kept in variables.
    Str(u32),
}

impl Val {
    /// A value that stands for some module's exports, to be resolved once every module of
    /// the app has been read.
    pub(crate) fn is_module_value(&self) -> bool {
        matches!(self, Self::Module(_) | Self::Default(_) | Self::Named(..))
    }
}

/// The key of a module loaded by `spec` from the module `from` (a path or `None` at a file's
/// top level): relative paths are joined and normalised, `.js` is added where missing, bare
/// package names become `npm:<name>`.
pub(crate) fn module_key(from: Option<&str>, spec: &str) -> ModKey {
    let spec = spec.trim();
    if !(spec.starts_with("./") || spec.starts_with("../") || spec.starts_with('/')) {
        // `utils/util.js` in a `define` package is a root-relative path, `lodash` a package.
        return if spec.ends_with(".js") {
            normalise(spec)
        } else {
            format!("npm:{spec}")
        };
    }
    let base = match (spec.starts_with('/'), from) {
        (false, Some(from)) => from.rsplit_once('/').map_or("", |(dir, _)| dir),
        _ => "",
    };
    let joined = if base.is_empty() {
        spec.trim_start_matches('/').to_string()
    } else {
        format!("{base}/{spec}")
    };
    let mut key = normalise(&joined);
    if !key.ends_with(".js") && !key.ends_with(".ts") && !key.ends_with(".wxs") {
        key.push_str(".js");
    }
    key
}

/// `a/./b/../c.js` → `a/c.js`; never climbs above the root.
pub(crate) fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_keys() {
        assert_eq!(
            module_key(Some("pages/a/a.js"), "../../utils/util"),
            "utils/util.js"
        );
        assert_eq!(module_key(Some("pages/a/a.js"), "./b.js"), "pages/a/b.js");
        assert_eq!(module_key(None, "utils/util.js"), "utils/util.js");
        assert_eq!(module_key(Some("x.js"), "@tarojs/taro"), "npm:@tarojs/taro");
        assert_eq!(module_key(Some("a/b.js"), "/c/d"), "c/d.js");
        assert_eq!(module_key(Some("a.js"), "../../../../x.js"), "x.js");
    }
}
