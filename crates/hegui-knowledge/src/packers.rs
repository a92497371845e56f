//! Packer / hardening signatures.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Packer {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub libs: Vec<String>,
    #[serde(default)]
    pub lib_prefixes: Vec<String>,
    #[serde(default)]
    pub files: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Table {
    packers: Vec<Packer>,
}

pub fn packers() -> &'static [Packer] {
    static T: OnceLock<Table> = OnceLock::new();
    &T.get_or_init(|| crate::load("packers", include_str!("../data/packers.json")))
        .packers
}
