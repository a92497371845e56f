//! DEX format reader (see crate docs to come).
