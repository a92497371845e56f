//! Native libraries: where they are, what they export, and which identity-revealing libc
//! functions they import.

use hegui_model::NativeLib;
use object::{Object, ObjectSymbol};

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
            lib.notable_imports = imports;
        }
        Err(e) => lib.error = Some(format!("not a readable ELF file: {e}")),
    }
    lib
}
