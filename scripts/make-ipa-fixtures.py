#!/usr/bin/env python3
"""make-ipa-fixtures.py — regenerate the test IPAs under fixtures/ipa/.

    python3 scripts/make-ipa-fixtures.py          # write the IPAs, print sizes
    python3 scripts/make-ipa-fixtures.py --check  # also re-parse what was written

There is no Apple toolchain on the CI machines, so every Mach-O, plist, code
signature and provisioning profile is assembled by hand with `struct` and
`plistlib`. Output is deterministic (fixed zip timestamps, sorted entries, no
randomness: the "encrypted" bytes come from a SHA-256 chain with a fixed seed),
so a rebuild gives byte-identical files with the same Python/zlib.
See fixtures/ipa/README.md for what each fixture contains and which defects are
there on purpose. Python 3.11 standard library only.
"""
import hashlib
import io
import plistlib
import struct
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "ipa"
ZIP_DATE = (2024, 1, 1, 0, 0, 0)

# --- Mach-O constants (mach-o/loader.h, mach/machine.h) ----------------------
MH_MAGIC_64, FAT_MAGIC = 0xFEEDFACF, 0xCAFEBABE
MH_EXECUTE, MH_DYLIB = 2, 6
CPU_ARM64, CPU_X86_64 = 0x0100000C, 0x01000007
SUB_ARM64_ALL, SUB_X86_64_ALL = 0, 3
LC_SYMTAB, LC_DYSYMTAB, LC_LOAD_DYLIB, LC_ID_DYLIB = 0x02, 0x0B, 0x0C, 0x0D
LC_SEGMENT_64, LC_CODE_SIGNATURE, LC_ENCRYPTION_INFO_64 = 0x19, 0x1D, 0x2C
LC_MAIN = 0x80000028
N_UNDF_EXT, N_SECT_EXT = 0x01, 0x0F
S_CSTRING_LITERALS, S_CODE = 0x2, 0x80000400  # S_ATTR_PURE_INSTRUCTIONS|SOME_INSTRUCTIONS
PAGE = 0x4000            # arm64 page size; FairPlay's cryptoff is the 2nd page
EXEC_BASE = 0x100000000  # __TEXT vmaddr after the 4 GiB __PAGEZERO
NOP = {CPU_ARM64: bytes.fromhex("1f2003d5"), CPU_X86_64: b"\x90"}

# Install names used by the load commands.
LIBSYSTEM = "/usr/lib/libSystem.B.dylib"
FW = "/System/Library/Frameworks/{0}.framework/{0}".format
BUGLY, AMAP = "@rpath/Bugly.framework/Bugly", "@rpath/AMapFoundationKit.framework/AMapFoundationKit"
# Which image provides an imported symbol, so n_desc carries a real two-level ordinal.
PROVIDER = {
    "_OBJC_CLASS_$_CLLocationManager": FW("CoreLocation"),
    "_OBJC_CLASS_$_ASIdentifierManager": FW("AdSupport"),
    "_OBJC_CLASS_$_CNContactStore": FW("Contacts"),
    "_OBJC_CLASS_$_UIPasteboard": FW("UIKit"),
    "_OBJC_CLASS_$_UIDevice": FW("UIKit"),
    "_OBJC_CLASS_$_AVCaptureDevice": FW("AVFoundation"),
    "_OBJC_CLASS_$_NSUserDefaults": FW("Foundation"),
}
DYNAMIC_LOOKUP_ORDINAL = 0xFE  # provider not among the load commands (e.g. Foundation)


def align(n, a):
    return (n + a - 1) // a * a


def cstrings(*names):
    """NUL-terminated C strings back to back, as in __objc_methname/__cstring."""
    return b"".join(n.encode() + b"\0" for n in names)


def name16(s):
    return s.encode().ljust(16, b"\0")


def section64(sect, seg, addr, data_len, offset, align_pow, flags):
    return struct.pack("<16s16sQQIIIIIIII", name16(sect), name16(seg), addr, data_len,
                       offset, align_pow, 0, 0, flags, 0, 0, 0)


def segment64(seg, vmaddr, vmsize, fileoff, filesize, prot, sections=()):
    """LC_SEGMENT_64 followed by its section_64 headers."""
    cmdsize = 72 + 80 * len(sections)
    return struct.pack("<II16sQQQQiiII", LC_SEGMENT_64, cmdsize, name16(seg), vmaddr, vmsize,
                       fileoff, filesize, prot, prot, len(sections), 0) + b"".join(sections)


def dylib_cmd(cmd, path):
    """dylib_command: name at offset 24, padded to 8 bytes for 64-bit."""
    name = path.encode() + b"\0"
    cmdsize = align(24 + len(name), 8)
    return struct.pack("<IIIIII", cmd, cmdsize, 24, 2, 0x10000, 0x10000) + name.ljust(cmdsize - 24, b"\0")


def symtab(defined, undefined, text_addr, dylibs):
    """nlist_64 entries (defined externals then undefined, each sorted like ld64) + string table."""
    strtab, entries = bytearray(b"\0"), []
    for i, name in enumerate(sorted(defined)):
        entries.append((len(strtab), N_SECT_EXT, 1, 0, text_addr + 4 * i))
        strtab += name.encode() + b"\0"
    for name in sorted(undefined):
        lib = PROVIDER.get(name, LIBSYSTEM)  # plain C functions live in libSystem
        ordinal = dylibs.index(lib) + 1 if lib in dylibs else DYNAMIC_LOOKUP_ORDINAL
        entries.append((len(strtab), N_UNDF_EXT, 0, ordinal << 8, 0))
        strtab += name.encode() + b"\0"
    nlist = b"".join(struct.pack("<IBBHQ", *e) for e in entries)
    return nlist, bytes(strtab.ljust(align(len(strtab), 8), b"\0"))


def code_signature(entitlements):
    """Embedded-signature SuperBlob holding only the entitlements blob (slot 5).

    Real signatures also carry a CodeDirectory and CMS blob; readers that only
    want entitlements do not need them."""
    ent = plistlib.dumps(entitlements, fmt=plistlib.FMT_XML)
    blob = struct.pack(">II", 0xFADE7171, 8 + len(ent)) + ent
    header_len = 12 + 8 * 1
    return struct.pack(">IIIII", 0xFADE0CC0, header_len + len(blob), 1, 5, header_len) + blob


def keystream(seed, n):
    """Deterministic pseudo-random bytes: SHA-256(seed), SHA-256(previous), ..."""
    out, block = bytearray(), seed
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:n])


def macho64(cputype, cpusubtype, filetype, *, methnames=(), classnames=(), cstrs=(),
            defined=(), undefined=(), dylibs=(), id_dylib=None, entitlements=None,
            crypt=(PAGE, 0, 0), encrypt_seed=None):
    """A thin little-endian 64-bit Mach-O.

    Layout: header + load commands in page 0; __TEXT sections from PAGE (where
    FairPlay encryption starts); __TEXT padded to a page; then __LINKEDIT with
    nlist_64 entries, string table and (optionally) the code signature."""
    is_exec = filetype == MH_EXECUTE
    base = EXEC_BASE if is_exec else 0
    nop = NOP[cputype]
    text = nop * (max(8, len(defined) + 1) * 4 // len(nop))  # room for one symbol per word
    sects = [("__text", text, 2, S_CODE)]
    for sect, strs in (("__objc_methname", methnames), ("__objc_classname", classnames), ("__cstring", cstrs)):
        if strs:
            sects.append((sect, cstrings(*strs), 0, S_CSTRING_LITERALS))

    # Place the section bytes.
    placed, off = [], PAGE
    for sect, data, a, flags in sects:
        off = align(off, 1 << a)
        placed.append((sect, data, off, a, flags))
        off += len(data)
    text_filesize = align(off, PAGE)
    if crypt[1]:
        text_filesize = max(text_filesize, align(crypt[0] + crypt[1], PAGE))

    # __LINKEDIT: symbols, strings, then the signature (16-byte aligned, at the end like codesign).
    dylibs = list(dylibs)
    nlist, strtab = symtab(defined, undefined, base + placed[0][2], dylibs)
    symoff = text_filesize
    stroff = symoff + len(nlist)
    sig = code_signature(entitlements) if entitlements is not None else b""
    sigoff = align(stroff + len(strtab), 16)
    linkedit_end = sigoff + len(sig) if sig else stroff + len(strtab)
    linkedit_size = linkedit_end - text_filesize

    cmds = []
    if is_exec:  # 4 GiB of unmapped memory below __TEXT, as ld64 emits for executables
        cmds.append(segment64("__PAGEZERO", 0, EXEC_BASE, 0, 0, 0))
    cmds.append(segment64("__TEXT", base, text_filesize, 0, text_filesize, 5,
                          [section64(s, "__TEXT", base + o, len(d), o, a, f) for s, d, o, a, f in placed]))
    cmds.append(segment64("__LINKEDIT", base + text_filesize, align(linkedit_size, PAGE),
                          text_filesize, linkedit_size, 1))
    if id_dylib:
        cmds.append(dylib_cmd(LC_ID_DYLIB, id_dylib))
    n_def, n_undef = len(defined), len(undefined)
    cmds.append(struct.pack("<IIIIII", LC_SYMTAB, 24, symoff, n_def + n_undef, stroff, len(strtab)))
    cmds.append(struct.pack("<II18I", LC_DYSYMTAB, 80, 0, 0, 0, n_def, n_def, n_undef, *([0] * 12)))
    if is_exec:  # entry point = start of __text (file offset relative to __TEXT)
        cmds.append(struct.pack("<IIQQ", LC_MAIN, 24, placed[0][2], 0))
    cmds.append(struct.pack("<IIIIII", LC_ENCRYPTION_INFO_64, 24, *crypt, 0))
    cmds += [dylib_cmd(LC_LOAD_DYLIB, d) for d in dylibs]
    if sig:
        cmds.append(struct.pack("<IIII", LC_CODE_SIGNATURE, 16, sigoff, len(sig)))

    lc = b"".join(cmds)
    flags = 0x00200085 if is_exec else 0x00100085  # NOUNDEFS|DYLDLINK|TWOLEVEL + PIE / NO_REEXPORTED_DYLIBS
    header = struct.pack("<IiiIIIII", MH_MAGIC_64, cputype, cpusubtype, filetype, len(cmds), len(lc), flags, 0)
    assert len(header) + len(lc) <= PAGE, "load commands overflow the first page"

    out = bytearray(linkedit_end)
    out[:len(header) + len(lc)] = header + lc
    for _, data, o, _, _ in placed:
        out[o:o + len(data)] = data
    if encrypt_seed is not None:  # what FairPlay-encrypted pages look like to a static reader
        out[crypt[0]:crypt[0] + crypt[1]] = keystream(encrypt_seed, crypt[1])
    out[symoff:symoff + len(nlist)] = nlist
    out[stroff:stroff + len(strtab)] = strtab
    out[sigoff:sigoff + len(sig)] = sig
    return bytes(out)


def fat(*slices):
    """Universal binary: big-endian fat_header + fat_arch[], slices aligned to 2^14."""
    arches, body, off = [], bytearray(), align(8 + 20 * len(slices), PAGE)
    for s in slices:
        cputype, cpusubtype = struct.unpack_from("<ii", s, 4)
        arches.append(struct.pack(">iiIII", cputype, cpusubtype, off, len(s), 14))
        body += s
        off += len(s)
        pad = align(off, PAGE) - off
        if s is not slices[-1]:
            body += b"\0" * pad
            off += pad
    head = struct.pack(">II", FAT_MAGIC, len(slices)) + b"".join(arches)
    return head.ljust(align(len(head), PAGE), b"\0") + bytes(body)


def ipa(files):
    """Zip with sorted entries (directories included, as Xcode exports them) and fixed timestamps."""
    names = set(files)
    for name in files:
        parts = name.split("/")[:-1]
        names.update("/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in sorted(names):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, so external_attr carries the mode bits
            if name.endswith("/"):
                info.external_attr = (0o40755 << 16) | 0x10
                z.writestr(info, b"")
                continue
            data = files[name]
            is_macho = data[:4] in (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
            info.external_attr = (0o100755 if is_macho else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data, compresslevel=9)
    return buf.getvalue()


def xml(obj):
    return plistlib.dumps(obj, fmt=plistlib.FMT_XML)


def binary(obj):
    return plistlib.dumps(obj, fmt=plistlib.FMT_BINARY)


def strings_utf16(*lines):
    return "\ufeff".encode("utf-16-le") + "".join(l + "\n" for l in lines).encode("utf-16-le")


def mobileprovision(team, entitlements):
    """Stand-in for the CMS-signed profile: garbage, the XML plist, garbage."""
    body = xml({"TeamIdentifier": [team], "TeamName": "Hegui Test", "Entitlements": entitlements})
    return b"\x30\x80" * 8 + body + b"\xa0\x82" * 8


def privacy_manifest(collected=(), accessed=(), tracking=False, domains=()):
    return xml({"NSPrivacyTracking": tracking, "NSPrivacyTrackingDomains": list(domains),
                "NSPrivacyCollectedDataTypes": list(collected), "NSPrivacyAccessedAPITypes": list(accessed)})


def collected(kind, linked, purposes=("AppFunctionality",)):
    return {"NSPrivacyCollectedDataType": "NSPrivacyCollectedDataType" + kind,
            "NSPrivacyCollectedDataTypeLinked": linked, "NSPrivacyCollectedDataTypeTracking": False,
            "NSPrivacyCollectedDataTypePurposes": ["NSPrivacyCollectedDataTypePurpose" + p for p in purposes]}


def accessed(category, *reasons):
    return {"NSPrivacyAccessedAPIType": "NSPrivacyAccessedAPICategory" + category,
            "NSPrivacyAccessedAPITypeReasons": list(reasons)}


# --- fixtures ----------------------------------------------------------------

def privacy_basic():
    app = "Payload/Sample.app/"
    team, bundle = "ABCDE12345", "com.hegui.fixture.ios"
    info = {
        "CFBundleIdentifier": bundle,
        "CFBundleName": "HeguiSample",
        "CFBundleDisplayName": "合规样例",
        "CFBundleExecutable": "Sample",
        "CFBundleShortVersionString": "1.2.0",
        "CFBundleVersion": "42",
        "MinimumOSVersion": "13.0",
        "NSCameraUsageDescription": "用于扫描二维码",
        "NSLocationWhenInUseUsageDescription": "",            # defect: empty purpose string
        "NSContactsUsageDescription": "This app needs access",  # defect: generic, English only
        "NSPhotoLibraryUsageDescription": "需要访问相册以上传头像",
        # NSUserTrackingUsageDescription deliberately absent although the IDFA is read.
        "LSApplicationQueriesSchemes": ["weixin", "wechat", "mqq", "alipay", "taobao", "sinaweibo",
                                        "baidumap", "iosamap", "openApp.jdMobile", "snssdk1128",
                                        "kwai", "pinduoduo"],
        "CFBundleURLTypes": [{"CFBundleURLSchemes": ["heguisample", "wx1234567890abcdef"]}],
        "UIBackgroundModes": ["location", "remote-notification"],
        "NSAppTransportSecurity": {"NSAllowsArbitraryLoads": True, "NSExceptionDomains": {
            "example.com": {"NSExceptionAllowsInsecureHTTPLoads": True, "NSIncludesSubdomains": True}}},
    }
    main_syms = dict(
        methnames=["advertisingIdentifier", "identifierForVendor", "requestWhenInUseAuthorization",
                   "startUpdatingLocation", "generalPasteboard", "string",
                   "requestAccessForEntityType:completionHandler:", "authorizationStatus"],
        classnames=["AppDelegate", "ViewController", "UMConfigure", "JPUSHService", "WXApi"],
        cstrs=["https://api.hegui-fixture.example/collect", "http://log.hegui-fixture.example/t"],
        defined=["_OBJC_CLASS_$_AppDelegate", "_OBJC_CLASS_$_UMConfigure",
                 "_OBJC_CLASS_$_JPUSHService", "_OBJC_CLASS_$_WXApi"],
        undefined=["_OBJC_CLASS_$_CLLocationManager", "_OBJC_CLASS_$_ASIdentifierManager",
                   "_OBJC_CLASS_$_UIPasteboard", "_OBJC_CLASS_$_CNContactStore",
                   "_OBJC_CLASS_$_UIDevice", "_OBJC_CLASS_$_NSUserDefaults",
                   "_sysctlbyname", "_stat", "_mach_absolute_time"],
        dylibs=[LIBSYSTEM, FW("CoreLocation"), FW("AdSupport"), FW("Contacts"), FW("UIKit"), BUGLY, AMAP],
        entitlements={"application-identifier": f"{team}.{bundle}",
                      "com.apple.developer.associated-domains": ["applinks:hegui.example"],
                      "aps-environment": "production"},
    )
    sample = fat(macho64(CPU_ARM64, SUB_ARM64_ALL, MH_EXECUTE, **main_syms),
                 macho64(CPU_X86_64, SUB_X86_64_ALL, MH_EXECUTE, **main_syms))
    bugly = macho64(CPU_ARM64, SUB_ARM64_ALL, MH_DYLIB, id_dylib=BUGLY,
                    classnames=["BuglyConfig", "Bugly"], defined=["_OBJC_CLASS_$_Bugly"],
                    undefined=["_OBJC_CLASS_$_UIDevice", "_sysctlbyname", "_uname", "_statfs"],
                    dylibs=[LIBSYSTEM, FW("UIKit")])
    amap = macho64(CPU_ARM64, SUB_ARM64_ALL, MH_DYLIB, id_dylib=AMAP,
                   classnames=["AMapServices"], defined=["_OBJC_CLASS_$_AMapServices"],
                   undefined=["_OBJC_CLASS_$_CLLocationManager"],
                   dylibs=[LIBSYSTEM, FW("CoreLocation")])
    share = macho64(CPU_ARM64, SUB_ARM64_ALL, MH_EXECUTE, methnames=["generalPasteboard"],
                    undefined=["_OBJC_CLASS_$_UIPasteboard"], dylibs=[LIBSYSTEM, FW("UIKit")])
    return {
        "iTunesMetadata.plist": xml({"itemName": "合规样例", "softwareVersionBundleId": bundle}),
        app + "Info.plist": binary(info),
        app + "Sample": sample,
        app + "zh-Hans.lproj/InfoPlist.strings": strings_utf16(
            '"NSCameraUsageDescription" = "用于扫描二维码并登录";',
            '"NSContactsUsageDescription" = "用于添加好友";'),
        app + "en.lproj/InfoPlist.strings": '"NSCameraUsageDescription" = "To scan QR codes";\n'.encode(),
        # Declares precise location + UserDefaults only: FileTimestamp (_stat) and
        # SystemBootTime (_mach_absolute_time) are missing on purpose.
        app + "PrivacyInfo.xcprivacy": privacy_manifest(
            collected=[collected("PreciseLocation", True)], accessed=[accessed("UserDefaults", "CA92.1")]),
        app + "embedded.mobileprovision": mobileprovision(
            team, {"application-identifier": f"{team}.{bundle}", "aps-environment": "production"}),
        app + "Frameworks/Bugly.framework/Bugly": bugly,
        app + "Frameworks/Bugly.framework/Info.plist": xml(
            {"CFBundleIdentifier": "com.tencent.bugly", "CFBundleShortVersionString": "2.5.93",
             "CFBundleExecutable": "Bugly"}),  # no PrivacyInfo.xcprivacy on purpose
        app + "Frameworks/AMapFoundationKit.framework/AMapFoundationKit": amap,
        app + "Frameworks/AMapFoundationKit.framework/Info.plist": xml(
            {"CFBundleIdentifier": "com.amap.api.foundationkit", "CFBundleShortVersionString": "1.8.2",
             "CFBundleExecutable": "AMapFoundationKit"}),
        app + "Frameworks/AMapFoundationKit.framework/PrivacyInfo.xcprivacy": privacy_manifest(
            collected=[collected("CoarseLocation", False)], accessed=[accessed("DiskSpace", "E174.1")]),
        app + "PlugIns/Share.appex/Info.plist": xml(
            {"CFBundleIdentifier": f"{bundle}.share", "CFBundleExecutable": "Share",
             "NSExtension": {"NSExtensionPointIdentifier": "com.apple.share-services"}}),
        app + "PlugIns/Share.appex/Share": share,
    }


def small_app(bundle, exe, binary_bytes):
    """clean.ipa / encrypted.ipa: one app, honest camera string, complete manifest."""
    app = f"Payload/{exe}.app/"
    info = {"CFBundleIdentifier": bundle, "CFBundleName": exe, "CFBundleExecutable": exe,
            "CFBundleShortVersionString": "1.0.0", "CFBundleVersion": "1", "MinimumOSVersion": "15.0",
            "NSCameraUsageDescription": "用于扫描商品条码，仅在您点击“扫码”时使用"}
    return {
        app + "Info.plist": binary(info),
        app + exe: binary_bytes,
        app + "PrivacyInfo.xcprivacy": privacy_manifest(
            accessed=[accessed("UserDefaults", "CA92.1"), accessed("FileTimestamp", "C617.1")]),
    }


def clean():
    exe = macho64(CPU_ARM64, SUB_ARM64_ALL, MH_EXECUTE,
                  methnames=["requestAccessForMediaType:completionHandler:"], classnames=["AppDelegate"],
                  defined=["_OBJC_CLASS_$_AppDelegate"],
                  undefined=["_OBJC_CLASS_$_AVCaptureDevice", "_OBJC_CLASS_$_NSUserDefaults", "_stat"],
                  dylibs=[LIBSYSTEM, FW("UIKit"), FW("AVFoundation")])
    return small_app("com.hegui.fixture.ios.clean", "Clean", exe)


def encrypted():
    # Same shape as Clean, but cryptid 1: the whole [cryptoff, cryptoff+cryptsize)
    # range (all __TEXT sections) is keystream; __LINKEDIT symbols stay readable.
    exe = macho64(CPU_ARM64, SUB_ARM64_ALL, MH_EXECUTE,
                  methnames=["requestWhenInUseAuthorization", "startUpdatingLocation"],
                  classnames=["AppDelegate"], defined=["_OBJC_CLASS_$_AppDelegate"],
                  undefined=["_OBJC_CLASS_$_CLLocationManager", "_sysctlbyname"],
                  dylibs=[LIBSYSTEM, FW("UIKit"), FW("CoreLocation")],
                  crypt=(PAGE, PAGE, 1), encrypt_seed=b"hegui-fixture-encrypted")
    return small_app("com.hegui.fixture.ios.encrypted", "Locked", exe)


FIXTURES = {"privacy-basic.ipa": privacy_basic, "clean.ipa": clean, "encrypted.ipa": encrypted}


# --- --check: re-parse what was written ---------------------------------------

def parse_macho(data, where):
    """Re-read a thin 64-bit Mach-O; assert the structures are self-consistent."""
    magic, cputype, cpusub, ftype, ncmds, sizeofcmds, _, _ = struct.unpack_from("<IiiIIIII", data, 0)
    assert magic == MH_MAGIC_64, where
    r = {"cputype": cputype, "filetype": ftype, "sections": {}, "dylibs": [], "defined": [], "undefined": []}
    off, end = 32, 32 + sizeofcmds
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, off)
        assert size % 8 == 0 and off + size <= end, (where, hex(cmd))
        if cmd == LC_SEGMENT_64:
            seg, vmaddr, vmsize, fileoff, filesize, _, _, nsects, _ = struct.unpack_from("<16sQQQQiiII", data, off + 8)
            assert size == 72 + 80 * nsects and fileoff + filesize <= len(data) and filesize <= vmsize, where
            for i in range(nsects):
                s = struct.unpack_from("<16s16sQQIIIIIIII", data, off + 72 + 80 * i)
                name, addr, ssize, soff = s[0].rstrip(b"\0").decode(), s[2], s[3], s[4]
                assert fileoff <= soff and soff + ssize <= fileoff + filesize, (where, name)
                assert addr - vmaddr == soff - fileoff, (where, name)
                r["sections"][name] = (addr, data[soff:soff + ssize])
            r.setdefault("segments", []).append((seg.rstrip(b"\0").decode(), fileoff, filesize))
        elif cmd in (LC_LOAD_DYLIB, LC_ID_DYLIB):
            nameoff = struct.unpack_from("<I", data, off + 8)[0]
            name = data[off + nameoff:off + size].split(b"\0")[0].decode()
            if cmd == LC_LOAD_DYLIB:
                r["dylibs"].append(name)
            else:
                r["id"] = name
        elif cmd == LC_SYMTAB:
            symoff, nsyms, stroff, strsize = struct.unpack_from("<IIII", data, off + 8)
            for i in range(nsyms):
                strx, ntype, nsect, ndesc, nvalue = struct.unpack_from("<IBBHQ", data, symoff + 16 * i)
                name = data[stroff + strx:stroff + strsize].split(b"\0")[0].decode()
                r["defined" if ntype == N_SECT_EXT else "undefined"].append((name, nsect, ndesc >> 8, nvalue))
            r["linkedit_ranges"] = [(symoff, 16 * nsyms), (stroff, strsize)]
        elif cmd == LC_DYSYMTAB:
            r["dysymtab"] = struct.unpack_from("<6I", data, off + 8)
        elif cmd == LC_ENCRYPTION_INFO_64:
            r["crypt"] = struct.unpack_from("<III", data, off + 8)
        elif cmd == LC_MAIN:
            r["entryoff"] = struct.unpack_from("<Q", data, off + 8)[0]
        elif cmd == LC_CODE_SIGNATURE:
            dataoff, datasize = struct.unpack_from("<II", data, off + 8)
            sb = data[dataoff:dataoff + datasize]
            smagic, slen, count = struct.unpack_from(">III", sb, 0)
            assert smagic == 0xFADE0CC0 and slen == datasize and count == 1, where
            btype, boff = struct.unpack_from(">II", sb, 12)
            bmagic, blen = struct.unpack_from(">II", sb, boff)
            assert btype == 5 and bmagic == 0xFADE7171, where
            r["entitlements"] = plistlib.loads(sb[boff + 8:boff + blen])
            r.setdefault("linkedit_ranges", []).append((dataoff, datasize))
        else:
            raise AssertionError(f"{where}: unexpected load command {cmd:#x}")
        off += size
    assert off == end, where
    segs = {s[0]: s for s in r["segments"]}
    _, le_off, le_size = segs["__LINKEDIT"]
    for o, n in r["linkedit_ranges"]:
        assert le_off <= o and o + n <= le_off + le_size, (where, "outside __LINKEDIT")
    assert le_off + le_size == len(data), where
    il, nl, ie, ne, iu, nu = r["dysymtab"]
    assert (il, nl, ie, ne, iu, nu) == (0, 0, 0, len(r["defined"]), len(r["defined"]), len(r["undefined"])), where
    text_addr, text = r["sections"]["__text"]
    for name, nsect, _, value in r["defined"]:
        assert nsect == 1 and text_addr <= value < text_addr + len(text), (where, name)
    if "entryoff" in r:
        seg_text = segs["__TEXT"]
        sect_off = text_addr - (EXEC_BASE if ftype == MH_EXECUTE else 0)
        assert sect_off <= r["entryoff"] < sect_off + len(text) and seg_text[1] == 0, where
    return r


def split_fat(data, where):
    if data[:4] != struct.pack(">I", FAT_MAGIC):
        return [data]
    n = struct.unpack_from(">I", data, 4)[0]
    out = []
    for i in range(n):
        cputype, cpusub, off, size, algn = struct.unpack_from(">iiIII", data, 8 + 20 * i)
        assert algn == 14 and off % (1 << algn) == 0 and off + size <= len(data), where
        sl = data[off:off + size]
        assert struct.unpack_from("<ii", sl, 4) == (cputype, cpusub), where
        out.append(sl)
    return out


def strs(section):
    return section[1].rstrip(b"\0").decode().split("\0")


def check():
    for name, build in FIXTURES.items():
        path = OUT / name
        data = path.read_bytes()
        assert data == ipa(build()), f"{name}: rebuild is not byte-identical"
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            assert names == sorted(names) and z.testzip() is None, name
            files = {n: z.read(n) for n in names if not n.endswith("/")}
        for fname, blob in files.items():
            if fname.endswith(("Info.plist", ".xcprivacy", "iTunesMetadata.plist")):
                plistlib.loads(blob)
            if blob[:4] in (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
                for sl in split_fat(blob, fname):
                    m = parse_macho(sl, f"{name}:{fname}")
                    enc = m["crypt"][2]
                    sects = {k: strs(v) if k != "__text" and not enc else len(v[1]) for k, v in m["sections"].items()}
                    print(f"  {fname} cpu={m['cputype']:#x} type={m['filetype']} crypt={m['crypt']} "
                          f"sections={sects}\n    dylibs={m['dylibs']}\n"
                          f"    defined={[d[0] for d in m['defined']]}\n"
                          f"    undefined={[(u[0], u[2]) for u in m['undefined']]}"
                          + (f"\n    entitlements={m['entitlements']}" if "entitlements" in m else ""))
        print(f"{name}: OK ({len(files)} files)")
    # Spot checks on the things tests depend on.
    with zipfile.ZipFile(OUT / "privacy-basic.ipa") as z:
        info = z.read("Payload/Sample.app/Info.plist")
        assert info.startswith(b"bplist00")
        assert plistlib.loads(info)["NSLocationWhenInUseUsageDescription"] == ""
        prov = z.read("Payload/Sample.app/embedded.mobileprovision")
        p = plistlib.loads(prov[prov.index(b"<?xml"):prov.index(b"</plist>") + 8])
        assert p["TeamIdentifier"] == ["ABCDE12345"]
        zh = z.read("Payload/Sample.app/zh-Hans.lproj/InfoPlist.strings")
        assert zh[:2] == b"\xff\xfe" and "用于添加好友" in zh.decode("utf-16")
        assert len(split_fat(z.read("Payload/Sample.app/Sample"), "Sample")) == 2
    print("check: OK")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in FIXTURES.items():
        data = ipa(build())
        (OUT / name).write_bytes(data)
        print(f"{len(data):>8}  {(OUT / name).relative_to(ROOT)}  sha256={hashlib.sha256(data).hexdigest()[:16]}")
    if "--check" in sys.argv[1:]:
        check()


if __name__ == "__main__":
    main()
