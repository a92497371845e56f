//! Importers: other tools' captures and exports turned into `hegui-trace/1` events. Each
//! keeps what its source lacks as unknown (no stack in a HAR, no year in PrivacySentry's
//! times unless given) rather than inventing it.

pub mod har;
pub mod mitm;
pub mod sheet;
mod tnetstring;
pub mod uiautomator;

pub use tnetstring::parse as parse_tnetstring;
