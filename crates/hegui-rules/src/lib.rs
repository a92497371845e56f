//! hegui-rules
