//! Mach-O binaries (thin or fat): what they import, which Objective-C names they carry, their
//! linked libraries, encryption and entitlements. Parsing is the `object` crate's, which checks
//! every offset against the data; what we add is bounded.

use object::macho;
use object::read::macho::{
    FatArch, LoadCommandVariant, MachHeader, MachOFatFile32, MachOFatFile64,
};
use object::{Architecture, FileKind, Object, ObjectSection, ObjectSymbol};

use hegui_knowledge::{IosApiKind, ios_apis};

use crate::plists;

/// At most this many names per list, so a hostile binary cannot flood a report.
const MAX_NAMES: usize = 200_000;
const MAX_URLS: usize = 200;

/// What one binary yielded.
#[derive(Debug, Default)]
pub struct MachOScan {
    pub archs: Vec<String>,
    pub encrypted: bool,
    pub linked_libraries: Vec<String>,
    pub entitlements: Vec<String>,
    /// Imported C functions (without the leading underscore) that the iOS API table knows.
    /// Only known names are kept: a binary imports tens of thousands of symbols.
    pub imported_functions: Vec<String>,
    /// Objective-C classes referenced from other images (`_OBJC_CLASS_$_X` undefined) that
    /// the iOS API table knows.
    pub imported_classes: Vec<String>,
    /// Objective-C classes defined here (`__objc_classname` and defined class symbols).
    pub defined_classes: Vec<String>,
    /// Selector names (`__objc_methname`) that the iOS API table knows.
    pub selectors: Vec<String>,
    pub urls: Vec<String>,
}

fn arch_name(a: Architecture) -> String {
    match a {
        Architecture::Aarch64 => "arm64".into(),
        Architecture::Arm => "armv7".into(),
        Architecture::X86_64 => "x86_64".into(),
        Architecture::I386 => "i386".into(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// Read a Mach-O file. Fat files: every architecture is listed, arm64 (else the first) is read.
pub fn scan(data: &[u8]) -> Result<MachOScan, String> {
    let kind = FileKind::parse(data).map_err(|e| format!("not a Mach-O file: {e}"))?;
    match kind {
        FileKind::MachOFat32 => {
            let fat = MachOFatFile32::parse(data).map_err(|e| format!("bad fat header: {e}"))?;
            scan_fat(
                data,
                fat.arches()
                    .iter()
                    .map(|a| (a.architecture(), a.data(data))),
            )
        }
        FileKind::MachOFat64 => {
            let fat = MachOFatFile64::parse(data).map_err(|e| format!("bad fat header: {e}"))?;
            scan_fat(
                data,
                fat.arches()
                    .iter()
                    .map(|a| (a.architecture(), a.data(data))),
            )
        }
        FileKind::MachO32 | FileKind::MachO64 => scan_thin(data),
        other => Err(format!("not a Mach-O file ({other:?})")),
    }
}

fn scan_fat<'d>(
    _data: &'d [u8],
    arches: impl Iterator<Item = (Architecture, object::Result<&'d [u8]>)>,
) -> Result<MachOScan, String> {
    let mut names = Vec::new();
    let mut chosen: Option<&[u8]> = None;
    let mut first_error = None;
    for (arch, slice) in arches.take(16) {
        names.push(arch_name(arch));
        match slice {
            Ok(slice) if arch == Architecture::Aarch64 || chosen.is_none() => chosen = Some(slice),
            Ok(_) => {}
            Err(e) => {
                first_error.get_or_insert_with(|| format!("fat slice {}: {e}", arch_name(arch)));
            }
        }
    }
    let Some(slice) = chosen else {
        return Err(first_error.unwrap_or_else(|| "fat file without architectures".into()));
    };
    let mut scan = scan_thin(slice)?;
    // The fat header's list, with the slice read first.
    let read = scan.archs.first().cloned().unwrap_or_default();
    names.retain(|n| *n != read);
    scan.archs.extend(names);
    Ok(scan)
}

fn scan_thin(data: &[u8]) -> Result<MachOScan, String> {
    match FileKind::parse(data).map_err(|e| e.to_string())? {
        FileKind::MachO64 => {
            let file = object::read::macho::MachOFile64::<object::Endianness>::parse(data)
                .map_err(|e| format!("bad Mach-O: {e}"))?;
            Ok(read_file(&file, data))
        }
        FileKind::MachO32 => {
            let file = object::read::macho::MachOFile32::<object::Endianness>::parse(data)
                .map_err(|e| format!("bad Mach-O: {e}"))?;
            Ok(read_file(&file, data))
        }
        other => Err(format!("fat slice is not a thin Mach-O ({other:?})")),
    }
}

fn read_file<'d, Mach: MachHeader<Endian = object::Endianness>>(
    file: &object::read::macho::MachOFile<'d, Mach, &'d [u8]>,
    data: &'d [u8],
) -> MachOScan {
    let mut scan = MachOScan {
        archs: vec![arch_name(file.architecture())],
        ..Default::default()
    };
    read_load_commands(file, data, &mut scan);
    let table = ios_apis();
    let known = |kind, name: &str| table.find(kind, name).is_some();
    for symbol in file.symbols().take(MAX_NAMES) {
        let Ok(name) = symbol.name() else { continue };
        let class = name.strip_prefix("_OBJC_CLASS_$_");
        match (class, symbol.is_undefined()) {
            (Some(c), true) if known(IosApiKind::Class, c) => {
                scan.imported_classes.push(c.to_string())
            }
            (Some(c), false) => scan.defined_classes.push(c.to_string()),
            (None, true) => {
                if let Some(f) = name.strip_prefix('_')
                    && known(IosApiKind::Function, f)
                {
                    scan.imported_functions.push(f.to_string());
                }
            }
            _ => {}
        }
    }
    if !scan.encrypted {
        // In an encrypted binary these sections hold ciphertext: reading them would invent names.
        for_each_string(file, "__objc_classname", |name| {
            scan.defined_classes.push(name.to_string())
        });
        for_each_string(file, "__objc_methname", |name| {
            if known(IosApiKind::Selector, name) {
                scan.selectors.push(name.to_string());
            }
        });
        for_each_string(file, "__cstring", |s| {
            if scan.urls.len() < MAX_URLS && (s.starts_with("http://") || s.starts_with("https://"))
            {
                scan.urls.push(s.to_string());
            }
        });
    }
    for list in [
        &mut scan.imported_classes,
        &mut scan.defined_classes,
        &mut scan.imported_functions,
        &mut scan.selectors,
    ] {
        list.sort_unstable();
        list.dedup();
    }
    scan
}

/// Each NUL-separated string of a section (valid UTF-8 ones only, at most `MAX_NAMES`).
fn for_each_string<'d, Mach: MachHeader<Endian = object::Endianness>>(
    file: &object::read::macho::MachOFile<'d, Mach, &'d [u8]>,
    name: &str,
    mut f: impl FnMut(&str),
) {
    let Some(data) = file.section_by_name(name).and_then(|s| s.data().ok()) else {
        return;
    };
    data.split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .filter_map(|s| std::str::from_utf8(s).ok())
        .take(MAX_NAMES)
        .for_each(&mut f);
}

fn read_load_commands<'d, Mach: MachHeader<Endian = object::Endianness>>(
    file: &object::read::macho::MachOFile<'d, Mach, &'d [u8]>,
    data: &'d [u8],
    scan: &mut MachOScan,
) {
    let endian = file.endian();
    let Ok(mut commands) = file.macho_load_commands() else {
        return;
    };
    while let Ok(Some(command)) = commands.next() {
        match command.variant() {
            Ok(LoadCommandVariant::Dylib(d)) => {
                if let Ok(name) = command.string(endian, d.dylib.name) {
                    scan.linked_libraries
                        .push(String::from_utf8_lossy(name).into_owned());
                }
            }
            Ok(LoadCommandVariant::EncryptionInfo32(e)) => {
                scan.encrypted |= e.cryptid.get(endian) != 0;
            }
            Ok(LoadCommandVariant::EncryptionInfo64(e)) => {
                scan.encrypted |= e.cryptid.get(endian) != 0;
            }
            Ok(LoadCommandVariant::LinkeditData(l))
                if command.cmd() == macho::LC_CODE_SIGNATURE =>
            {
                let (off, size) = (
                    l.dataoff.get(endian) as usize,
                    l.datasize.get(endian) as usize,
                );
                if let Some(blob) = off.checked_add(size).and_then(|end| data.get(off..end)) {
                    scan.entitlements = entitlement_keys(blob);
                }
            }
            _ => {}
        }
    }
}

/// Keys of the entitlements plist in a code-signature SuperBlob (big-endian, magic
/// 0xfade0cc0; the entitlements blob has magic 0xfade7171).
fn entitlement_keys(superblob: &[u8]) -> Vec<String> {
    let be32 = |at: usize| {
        superblob
            .get(at..at.checked_add(4)?)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    if be32(0) != Some(0xfade_0cc0) {
        return Vec::new();
    }
    let count = be32(8).unwrap_or(0).min(64) as usize;
    for i in 0..count {
        let Some(offset) = be32(16 + i * 8).map(|o| o as usize) else {
            break;
        };
        if be32(offset) != Some(0xfade_7171) {
            continue;
        }
        let Some(length) = be32(offset.saturating_add(4)).map(|l| l as usize) else {
            continue;
        };
        let Some(xml) = offset
            .checked_add(length)
            .and_then(|end| superblob.get(offset.saturating_add(8)..end))
        else {
            continue;
        };
        if let Ok(d) = plists::parse_dict(xml) {
            return d.keys().map(|k| k.to_string()).collect();
        }
    }
    Vec::new()
}
