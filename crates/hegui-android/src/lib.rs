//! hegui-android
