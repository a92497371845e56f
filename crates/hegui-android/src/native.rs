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
        party: hegui_model::Party::Unknown,
        error: None,
    };
    match object::File::parse(data) {
        Ok(file) => {
            lib.exports = file.exports().map(|e| e.len() as u32).unwrap_or(0);
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
