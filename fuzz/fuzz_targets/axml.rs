//! Android binary XML (AndroidManifest.xml, res/xml/*.xml) and every accessor of the tree.
#![no_main]

use hegui_axml::{Element, Limits, parse_xml};
use libfuzzer_sys::fuzz_target;

/// Attribute names a scanner asks for: framework ids, plain names, and one unknown.
const NAMES: &[&str] = &[
    "name",
    "label",
    "exported",
    "enabled",
    "permission",
    "minSdkVersion",
    "targetSdkVersion",
    "versionCode",
    "debuggable",
    "allowBackup",
    "usesCleartextTraffic",
    "networkSecurityConfig",
    "no-such-attribute",
];

fn visit(element: &Element) {
    for name in NAMES {
        let _ = element.attr(name);
        let _ = element.attr_str(name);
        let _ = element.attr_bool(name);
        let _ = element.attr_int(name);
        let _ = element.attr_plain(name);
        let _ = element.attr_ns(None, name);
        let _ = element.attr_ns(Some(hegui_axml::ANDROID_NS), name);
    }
    for attribute in &element.attributes {
        let _ = (
            attribute.as_string(),
            attribute.as_bool(),
            attribute.as_int(),
        );
        let _ = attribute.value.to_string();
        let _ = element.attr(&attribute.name);
    }
    let _ = element.children_named(&element.name).count();
    let _ = element.children_named("application").count();
}

fuzz_target!(|data: &[u8]| {
    let _ = hegui_axml::is_axml(data);
    let Ok(doc) = parse_xml(data, &Limits::default()) else {
        return;
    };
    let mut seen = 0usize;
    for element in doc.root.descendants() {
        visit(element);
        seen += 1;
    }
    assert!(seen >= 1);
});
