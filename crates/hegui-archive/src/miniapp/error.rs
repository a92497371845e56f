use thiserror::Error;

/// A problem reading a mini-program package. `code()` is stable (docs/errors.md).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PackageError {
    #[error("not a mini-program package: {0}")]
    NotAPackage(String),
    #[error(
        "truncated package: {what} needs {needed} bytes at offset {offset}, the file has {len}"
    )]
    Truncated {
        what: &'static str,
        offset: u64,
        needed: u64,
        len: u64,
    },
    #[error("malformed package: {0}")]
    Malformed(String),
    #[error("package declares {count} entries (limit {limit})")]
    TooManyEntries { count: u64, limit: u64 },
    #[error("entry `{entry}`: {detail}")]
    BadEntry { entry: String, detail: String },
    #[error("entry `{entry}`: path escapes the package ({detail})")]
    PathTraversal { entry: String, detail: String },
    #[error(
        "PC-encrypted package (V1MMWX): the appid is required to decrypt it (--appid, an `Applet/<appid>/` folder or a `wx…-pc.wxapkg` file name)"
    )]
    AppidRequired,
    #[error("PC-encrypted package (V1MMWX) does not decrypt with appid `{appid}`: {detail}")]
    WrongAppid { appid: String, detail: String },
}

impl PackageError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAPackage(_) => "not-a-package",
            Self::Truncated { .. } => "truncated-package",
            Self::Malformed(_) => "malformed-package",
            Self::TooManyEntries { .. } => "too-many-entries",
            Self::BadEntry { .. } => "bad-package-entry",
            Self::PathTraversal { .. } => "path-traversal",
            Self::AppidRequired => "appid-required",
            Self::WrongAppid { .. } => "wrong-appid",
        }
    }

    /// The entry the error is about, if any.
    pub fn entry(&self) -> Option<&str> {
        match self {
            Self::BadEntry { entry, .. } | Self::PathTraversal { entry, .. } => Some(entry),
            _ => None,
        }
    }

    pub const CODES: &'static [&'static str] = &[
        "not-a-package",
        "truncated-package",
        "malformed-package",
        "too-many-entries",
        "bad-package-entry",
        "path-traversal",
        "appid-required",
        "wrong-appid",
    ];
}
