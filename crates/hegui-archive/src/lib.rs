//! hegui-archive
