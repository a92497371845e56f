//! hegui-report
