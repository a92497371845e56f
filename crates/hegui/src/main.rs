//! hegui
fn main() {}
