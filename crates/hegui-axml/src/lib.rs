//! Reader for Android binary XML (AXML) and resource tables (ARSC).
//!
//! Android compiles `AndroidManifest.xml` and `res/xml/*.xml` into a chunked
//! binary format ("AXML") and collects resource values into
//! `resources.arsc`. This crate reads both, written from the public chunk
//! layouts documented in AOSP's `ResourceTypes.h`:
//!
//! * [`parse_xml`] turns binary XML into an [`XmlDocument`] tree of
//!   [`Element`]s with typed [`Attribute`] values. [`Element::attr`] finds
//!   `android:` attributes the way Android does: by the resource id that the
//!   resource map assigns to the attribute, so a blanked or renamed attribute
//!   name (a known anti-analysis trick) does not hide it.
//! * [`parse_arsc`] reads a [`ResourceTable`]; [`ResourceTable::resolve_string`]
//!   follows references to a string in a preferred locale (e.g. the app label),
//!   [`ResourceTable::resolve_file_path`] gives the file behind an `@xml/...`
//!   resource.
//!
//! Input is treated as hostile: the readers never panic, never loop forever,
//! bound nesting depth, element counts and allocation ([`Limits`]), and cap
//! every count read from the input by the bytes that could hold it. Where
//! Android is lenient they are too — unknown chunks are skipped, a bogus
//! header size on the outer XML chunk is tolerated, string pools whose counts
//! or flags lie still yield the strings that can be read — and each such fix
//! is recorded in the `anomalies` of the result. Errors carry a stable code
//! ([`AxmlError::code`]) and name the offset and what was expected.
//!
//! ```
//! # fn demo(manifest: &[u8], arsc: &[u8]) -> Result<(), hegui_axml::AxmlError> {
//! use hegui_axml::{Limits, Value, parse_arsc, parse_xml};
//! let limits = Limits::default();
//! let doc = parse_xml(manifest, &limits)?;
//! let package = doc.root.attr_plain("package").and_then(|a| a.as_string());
//! let permissions: Vec<String> = doc
//!     .root
//!     .children_named("uses-permission")
//!     .filter_map(|p| p.attr_str("name"))
//!     .collect();
//! let table = parse_arsc(arsc, &limits)?;
//! let label = doc.root.children_named("application").next().and_then(|app| {
//!     match &app.attr("label")?.value {
//!         Value::Reference(id) => table.resolve_string(*id, &["zh-CN", "zh", ""]),
//!         Value::String(text) => Some(text.clone()),
//!         _ => None,
//!     }
//! });
//! # let _ = (package, permissions, label);
//! # Ok(())
//! # }
//! ```

mod arsc;
mod attrs;
mod chunk;
mod error;
mod string_pool;
mod value;
mod xml;

#[cfg(test)]
mod test_writer;
#[cfg(test)]
mod tests;

pub use arsc::{
    Config, EntryBody, Package, RawValue, ResourceTable, TableEntry, TableType, TypeSpec,
    parse_arsc,
};
pub use attrs::{ANDROID_NS, FRAMEWORK_ATTRS, framework_attr_id, framework_attr_name};
pub use error::{AxmlError, Limits};
pub use string_pool::StringPool;
pub use value::Value;
pub use xml::{Attribute, Element, XmlDocument, is_axml, parse_xml};
