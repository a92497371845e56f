//! The regulation catalogue: clause ids that findings cite.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Clause {
    pub id: String,
    pub source: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub zh: String,
    pub en: String,
    pub channels: Vec<String>,
    pub automation: String,
    /// `app`, `sdk`, `mini_program`, `distribution_platform`.
    #[serde(default)]
    pub applies_to: Vec<String>,
}

impl Clause {
    pub fn applies_to(&self, target: &str) -> bool {
        self.applies_to.iter().any(|a| a == target)
    }
}

#[derive(Debug, Default, Deserialize)]
struct Catalogue {
    clauses: Vec<Clause>,
}

fn table() -> &'static (Vec<Clause>, HashMap<String, usize>) {
    static T: OnceLock<(Vec<Clause>, HashMap<String, usize>)> = OnceLock::new();
    T.get_or_init(|| {
        let c: Catalogue = crate::load("catalogue", include_str!("../data/catalogue.json"));
        let index = c
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        (c.clauses, index)
    })
}

pub fn catalogue() -> &'static [Clause] {
    &table().0
}

pub fn clause(id: &str) -> Option<&'static Clause> {
    let (all, index) = table();
    index.get(id).and_then(|&i| all.get(i))
}
