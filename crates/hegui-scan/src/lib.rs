//! hegui-scan
