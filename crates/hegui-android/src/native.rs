//! Native libraries: where they are, what they export, and which identity-revealing libc
//! functions they import.

use hegui_knowledge::AndroidApis;
use hegui_model::{NativeLib, NativeRead, PiCategory};
use object::{Object, ObjectSection, ObjectSymbol};

/// libc functions through which native code reads identifiers or runs shell commands.
const NOTABLE_IMPORTS: &[&str] = &[
    "getifaddrs",
    "__system_property_get",
    "__system_property_read",
    "__system_property_read_callback",
    "__system_property_find",
    "popen",
    "execve",
    "execv",
    "execvp",
    "system",
    "ptrace",
];

/// Facts about one `.so`. Unparseable files are reported with their error, not dropped.
pub fn describe(path: &str, data: &[u8]) -> NativeLib {
    let abi = path
        .strip_prefix("lib/")
        .and_then(|p| p.split('/').next())
        .filter(|_| path.matches('/').count() == 2)
        .unwrap_or("")
        .to_string();
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    let mut lib = NativeLib {
        path: path.to_string(),
        abi,
        name,
        size: data.len() as u64,
        exports: 0,
        notable_imports: Vec::new(),
        reads: Vec::new(),
        jni_classes: Vec::new(),
        party: hegui_model::Party::Unknown,
        error: None,
    };
    match object::File::parse(data) {
        Ok(file) => {
            if let Ok(exports) = file.exports() {
                lib.exports = exports.len() as u32;
                lib.jni_classes = jni_classes(exports.iter().map(|e| e.name()));
            }
            let mut imports: Vec<String> = file
                .dynamic_symbols()
                .filter(|s| s.is_undefined())
                .filter_map(|s| s.name().ok())
                .filter(|n| NOTABLE_IMPORTS.contains(n))
                .map(str::to_string)
                .collect();
            imports.sort();
            imports.dedup();
            // Constant strings live in `.rodata`; a stripped or odd file is read whole.
            let (base, strings) = file
                .section_by_name(".rodata")
                .and_then(|sec| Some((sec.file_range()?.0, sec.data().ok()?)))
                .unwrap_or((0, data));
            let reads_properties = imports.iter().any(|i| i.starts_with("__system_property"));
            lib.reads = reads(
                strings,
                base,
                hegui_knowledge::android_apis(),
                reads_properties,
            );
            lib.notable_imports = imports;
        }
        Err(e) => lib.error = Some(format!("not a readable ELF file: {e}")),
    }
    lib
}

/// At most this many JNI classes per library.
const MAX_JNI_CLASSES: usize = 16;

/// The Java classes named by JNI exports (`Java_<mangled class>_<method>[__<signature>]`),
/// distinct, in order.
fn jni_classes<'a>(symbols: impl Iterator<Item = &'a [u8]>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for symbol in symbols {
        let Some(class) = std::str::from_utf8(symbol).ok().and_then(jni_class) else {
            continue;
        };
        if !out.contains(&class) {
            out.push(class);
            if out.len() == MAX_JNI_CLASSES {
                break;
            }
        }
    }
    out
}

/// Undo JNI name mangling: `_` separates names, `_1` is `_`, `_2` `;`, `_3` `[`, `_0xxxx` a
/// UTF-16 unit; the part after the last separator is the method.
fn jni_class(symbol: &str) -> Option<String> {
    let mangled = symbol.strip_prefix("Java_")?;
    // `__` starts an overload's argument signature (a name's own `_` is `_1`).
    let mangled = mangled.split("__").next()?;
    let mut name = String::with_capacity(mangled.len());
    let mut chars = mangled.chars();
    while let Some(c) = chars.next() {
        if c != '_' {
            name.push(c);
            continue;
        }
        match chars.clone().next() {
            Some('1') => {
                chars.next();
                name.push('_');
            }
            Some('2') => {
                chars.next();
                name.push(';');
            }
            Some('3') => {
                chars.next();
                name.push('[');
            }
            Some('0') => {
                chars.next();
                let hex: String = chars.by_ref().take(4).collect();
                name.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => name.push('.'),
        }
    }
    let (class, method) = name.rsplit_once('.')?;
    (!class.is_empty() && !method.is_empty()).then(|| class.to_string())
}

/// System properties that hold the device's serial number.
const SERIAL_PROPERTIES: &[&str] = &["ro.serialno", "ro.boot.serialno"];
/// At most this many reads per library (a hostile file cannot flood the report).
const MAX_READS: usize = 64;

/// What the NUL-terminated printable strings of `data` (at file offset `base`) show the
/// library reads: identifier files and commands, serial-number properties (when it imports
/// the property functions), and Java privacy APIs named for JNI (`android/telephony/
/// TelephonyManager` with `getDeviceId`).
pub(crate) fn reads(
    data: &[u8],
    base: u64,
    apis: &AndroidApis,
    properties: bool,
) -> Vec<NativeRead> {
    let mut out: Vec<NativeRead> = Vec::new();
    let push =
        |out: &mut Vec<NativeRead>, category: PiCategory, via: &str, text: &str, at: usize| {
            if out.len() < MAX_READS && !out.iter().any(|r| r.via == via && r.text == text) {
                out.push(NativeRead {
                    category,
                    via: via.to_string(),
                    text: text.to_string(),
                    offset: base + at as u64,
                });
            }
        };
    let strings: Vec<(usize, &str)> = printable_strings(data).collect();
    for &(at, text) in &strings {
        if let Some(category) = apis.file_category(text) {
            push(&mut out, category, "file", text, at);
        } else if let Some(category) = apis.command_category(text) {
            push(&mut out, category, "shell", text, at);
        } else if properties && SERIAL_PROPERTIES.contains(&text) {
            push(&mut out, PiCategory::DeviceId, "property", text, at);
        }
    }
    // JNI: a catalogued class's internal name and one of its method names, both present.
    // One look-up table, so a library with many strings costs one pass.
    let mut first_at: ahash::AHashMap<&str, usize> = ahash::AHashMap::with_capacity(strings.len());
    for &(at, text) in &strings {
        first_at.entry(text).or_insert(at);
    }
    for sig in apis.methods.iter().filter(|s| s.args.is_empty()) {
        let class = sig.class.trim_start_matches('L').trim_end_matches(';');
        if let Some(&at) = first_at.get(class) {
            for name in &sig.names {
                if first_at.contains_key(name.as_str()) {
                    let text = format!("{}.{name}", class.replace('/', "."));
                    push(&mut out, sig.category, "jni", &text, at);
                }
            }
        }
    }
    out
}

/// NUL-terminated runs of 4 or more printable ASCII bytes, with their offsets.
fn printable_strings(data: &[u8]) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    data.split(|&b| b == 0).filter_map(move |chunk| {
        let at = start;
        start += chunk.len() + 1;
        (chunk.len() >= 4 && chunk.iter().all(|b| (0x20..0x7f).contains(b)))
            .then(|| std::str::from_utf8(chunk).ok().map(|t| (at, t)))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jni_exports_name_their_classes() {
        assert_eq!(
            jni_class("Java_com_hegui_Native_hello").as_deref(),
            Some("com.hegui.Native")
        );
        assert_eq!(
            jni_class("Java_com_example_my_1sdk_Jni_init__Ljava_lang_String_2").as_deref(),
            Some("com.example.my_sdk.Jni")
        );
        assert_eq!(jni_class("Java_hello"), None);
        assert_eq!(jni_class("JNI_OnLoad"), None);
        assert_eq!(jni_class("Java_a_b_0zz"), None);
        let names: [&[u8]; 3] = [b"Java_a_B_x", b"Java_a_B_y", b"Java_c_D_z"];
        assert_eq!(jni_classes(names.into_iter()), ["a.B", "c.D"]);
    }

    fn blob(strings: &[&str]) -> Vec<u8> {
        let mut out = vec![0u8; 3];
        for s in strings {
            out.extend_from_slice(s.as_bytes());
            out.push(0);
        }
        out
    }

    #[test]
    fn strings_show_what_native_code_reads() {
        let data = blob(&[
            "/sys/class/net/wlan0/address",
            "ro.serialno",
            "android/telephony/TelephonyManager",
            "getDeviceId",
            "()Ljava/lang/String;",
            "pm list packages",
            "hello world",
        ]);
        let apis = hegui_knowledge::android_apis();
        let found: Vec<(PiCategory, String, String)> = reads(&data, 100, apis, true)
            .into_iter()
            .map(|r| (r.category, r.via, r.text))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    PiCategory::MacAddress,
                    "file".into(),
                    "/sys/class/net/wlan0/address".into()
                ),
                (
                    PiCategory::DeviceId,
                    "property".into(),
                    "ro.serialno".into()
                ),
                (
                    PiCategory::InstalledApps,
                    "shell".into(),
                    "pm list packages".into()
                ),
                (
                    PiCategory::DeviceId,
                    "jni".into(),
                    "android.telephony.TelephonyManager.getDeviceId".into()
                ),
            ]
        );
        // The offset is the string's, in the file.
        assert_eq!(reads(&data, 100, apis, true)[0].offset, 103);
        // Without the property functions imported, a property name is just a string.
        assert!(
            reads(&data, 0, apis, false)
                .iter()
                .all(|r| r.via != "property")
        );
        // A method name without its class is not a JNI call.
        assert!(reads(&blob(&["getDeviceId"]), 0, apis, true).is_empty());
    }
}
