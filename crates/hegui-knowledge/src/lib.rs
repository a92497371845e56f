//! hegui-knowledge
