//! Rule families, one folder each.

pub mod android;
pub mod dynamic;
pub mod ios;
pub mod miniprogram;
pub mod policy;
pub mod store;
pub mod traffic;
