//! The rules: each one reads facts and reports findings. A rule never opens a file.
//!
//! One rule, one file, under `src/rules/<family>/`. Each declares itself with [`declare_rule!`]:
//! a stable code, the catalogue clauses it cites, a default severity and a doc comment with
//! fixed headings, from which `docs/rules/` is generated. The registry in [`registry`] lists
//! every rule; codes are never reused.

mod confirm;
mod context;
mod macros;
mod registry;
pub mod rules;
#[cfg(test)]
mod testing;

pub use confirm::confirm;
pub use context::{Context, Evidence, Findings, Report, Source, Violation, fingerprint};
pub use registry::{RULES, Rule, RuleMeta, RuleStatus, by_code, run_all};
