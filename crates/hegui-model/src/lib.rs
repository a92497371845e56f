//! The vocabulary every hegui crate speaks.
//!
//! Data flows one way: artifact → facts → rules → findings → report. This crate holds the
//! types of that flow and nothing else: no parsing, no judging, no I/O.

mod android;
mod finding;
mod ios;
mod listing;
mod miniprogram;
mod pi;
mod policy;
mod report;
mod trace;

pub use android::*;
pub use finding::*;
pub use ios::*;
pub use listing::*;
pub use miniprogram::*;
pub use pi::*;
pub use policy::*;
pub use report::*;
pub use trace::*;

/// A text in both product languages. zh-CN is the default language of reports.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Localized {
    pub zh: String,
    pub en: String,
}

impl Localized {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang` ("en" gives English, anything else zh-CN).
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}
