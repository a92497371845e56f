//! APK signatures as facts: which schemes are present and who signed (not whether the
//! signature verifies — that is the installer's job; a regulator needs the signer identity to
//! link versions of an app and its developer).

use hegui_archive::ZipArchive;
use hegui_model::{Certificate, SigningBlockEntry, SigningInfo};
use sha2::{Digest, Sha256};
use x509_parser::prelude::{FromDer, X509Certificate};

const BLOCK_MAGIC: &[u8; 16] = b"APK Sig Block 42";
const ID_V2: u32 = 0x7109_871a;
const ID_V3: u32 = 0xf053_68c0;
const ID_V31: u32 = 0x1b93_ad61;
const MAX_BLOCK: u64 = 64 << 20;
const MAX_SEQUENCE_ITEMS: usize = 64;

/// Known ids in the APK Signing Block besides the signature schemes.
fn block_name(id: u32) -> &'static str {
    match id {
        ID_V2 => "v2",
        ID_V3 => "v3",
        ID_V31 => "v3.1",
        0x4272_6577 => "verity-padding",
        0x6dff_800d => "source-stamp",
        0x2b09_189e => "source-stamp-v2",
        0x7177_7777 => "walle-channel",
        0x8811_55ff => "vasdolly-channel",
        0x2146_444e => "google-play-frosting",
        0x504b_4453 => "dependency-info",
        _ => "unknown",
    }
}

/// What the signing facts found, plus problems worth reporting.
pub struct Signing {
    pub info: SigningInfo,
    pub certificates: Vec<Certificate>,
    pub problems: Vec<String>,
}

/// Read the APK Signing Block (v2/v3/v3.1 and channel blocks) and the v1 PKCS#7 files.
pub fn read_signing(zip: &ZipArchive<'_>, v1_files: &[(String, Vec<u8>)]) -> Signing {
    let mut out = Signing {
        info: SigningInfo::default(),
        certificates: Vec::new(),
        problems: Vec::new(),
    };
    match signing_block(zip.bytes(), zip.central_directory_offset()) {
        Ok(Some(pairs)) => {
            for (id, value) in pairs {
                let name = block_name(id);
                match id {
                    ID_V2 | ID_V3 | ID_V31 => {
                        match id {
                            ID_V2 => out.info.v2 = true,
                            ID_V3 => out.info.v3 = true,
                            _ => out.info.v31 = true,
                        }
                        match scheme_certificates(value) {
                            Ok(ders) => push_certs(&mut out, name, ders),
                            Err(e) => out.problems.push(format!("{name} signature block: {e}")),
                        }
                    }
                    0x4272_6577 => {}
                    _ => out.info.extra_blocks.push(SigningBlockEntry {
                        id: format!("0x{id:08x}"),
                        name: name.to_string(),
                        size: value.len() as u64,
                        value: channel_text(id, value),
                    }),
                }
            }
        }
        Ok(None) => {}
        Err(e) => out.problems.push(format!("APK Signing Block: {e}")),
    }
    for (path, der) in v1_files {
        out.info.v1 = true;
        match pkcs7_certificates(der) {
            Ok(certs) => push_certs(&mut out, "v1", certs),
            Err(e) => out.problems.push(format!("{path}: {e}")),
        }
    }
    out
}

fn push_certs(out: &mut Signing, scheme: &str, ders: Vec<&[u8]>) {
    for der in ders {
        let sha256 = hex::encode(Sha256::digest(der));
        if out
            .certificates
            .iter()
            .any(|c| c.sha256 == sha256 && c.scheme == scheme)
        {
            continue;
        }
        match X509Certificate::from_der(der) {
            Ok((_, cert)) => out.certificates.push(Certificate {
                scheme: scheme.to_string(),
                subject: cert.subject().to_string(),
                issuer: cert.issuer().to_string(),
                serial: cert.raw_serial_as_string(),
                not_before: cert.validity().not_before.to_string(),
                not_after: cert.validity().not_after.to_string(),
                sha256,
            }),
            Err(e) => out
                .problems
                .push(format!("{scheme} certificate does not parse: {e}")),
        }
    }
}

fn channel_text(id: u32, value: &[u8]) -> Option<String> {
    match id {
        0x7177_7777 | 0x8811_55ff => {
            let text = String::from_utf8_lossy(value);
            Some(text.chars().take(512).collect())
        }
        _ => None,
    }
}

/// The id/value pairs of the APK Signing Block that ends right before the central directory.
/// (id, value) pairs of the APK Signing Block.
type BlockPairs<'a> = Vec<(u32, &'a [u8])>;

fn signing_block(data: &[u8], cd_offset: u64) -> Result<Option<BlockPairs<'_>>, String> {
    let cd = usize::try_from(cd_offset).map_err(|_| "offset overflow".to_string())?;
    let Some(footer_start) = cd.checked_sub(24) else {
        return Ok(None);
    };
    let Some(footer) = data.get(footer_start..cd) else {
        return Ok(None);
    };
    if footer.get(8..24) != Some(BLOCK_MAGIC.as_slice()) {
        return Ok(None);
    }
    let size = le_u64(footer, 0).ok_or("footer cut short")?;
    if !(24..=MAX_BLOCK).contains(&size) {
        return Err(format!("implausible block size {size}"));
    }
    let start = cd
        .checked_sub(usize::try_from(size).map_err(|_| "size overflow")? + 8)
        .ok_or_else(|| format!("block of {size} bytes starts before the file"))?;
    let block = data.get(start..cd).ok_or("block out of range")?;
    if le_u64(block, 0) != Some(size) {
        return Err("leading and trailing sizes differ".to_string());
    }
    let mut pairs = Vec::new();
    let mut rest = block.get(8..block.len() - 24).ok_or("block cut short")?;
    while !rest.is_empty() {
        let len = le_u64(rest, 0).ok_or("pair length cut short")?;
        let len = usize::try_from(len).map_err(|_| "pair length overflow")?;
        let body = rest
            .get(8..8usize.saturating_add(len))
            .ok_or("pair runs past the block")?;
        let id = le_u32(body, 0).ok_or("pair without id")?;
        pairs.push((id, body.get(4..).unwrap_or(&[])));
        rest = rest.get(8 + len..).unwrap_or(&[]);
    }
    Ok(Some(pairs))
}

/// Certificates of every signer in a v2/v3/v3.1 scheme value (their signed data all start
/// with digests, then certificates).
fn scheme_certificates(value: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut certs = Vec::new();
    for signer in sequence(prefixed(value, 0)?)? {
        let signed_data = prefixed(signer, 0)?;
        // signed data: digests, certificates, (v3: minSdk, maxSdk,) attributes
        let digests_len = le_u32(signed_data, 0).ok_or("signed data cut short")? as usize;
        let after_digests = signed_data
            .get(4 + digests_len..)
            .ok_or("digests run past signed data")?;
        for cert in sequence(prefixed(after_digests, 0)?)? {
            certs.push(cert);
        }
    }
    Ok(certs)
}

/// A u32-length-prefixed slice starting at `at`.
fn prefixed(data: &[u8], at: usize) -> Result<&[u8], String> {
    let len = le_u32(data, at).ok_or("length prefix cut short")? as usize;
    data.get(at + 4..at + 4 + len)
        .ok_or_else(|| format!("item of {len} bytes runs past its parent"))
}

/// A sequence of u32-length-prefixed items.
fn sequence(mut data: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut items = Vec::new();
    while !data.is_empty() {
        if items.len() >= MAX_SEQUENCE_ITEMS {
            return Err("too many items in sequence".to_string());
        }
        let item = prefixed(data, 0)?;
        items.push(item);
        data = data.get(4 + item.len()..).unwrap_or(&[]);
    }
    Ok(items)
}

/// Certificates inside a PKCS#7 SignedData (META-INF/*.RSA|DSA|EC), by walking the DER.
fn pkcs7_certificates(der: &[u8]) -> Result<Vec<&[u8]>, String> {
    // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }
    let (content_info, _) = der_item(der, 0x30)?;
    let (_oid, rest) = der_item(content_info, 0x06)?;
    let (explicit, _) = der_item(rest, 0xa0)?;
    let (signed_data, _) = der_item(explicit, 0x30)?;
    // SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, [0] certificates, ... }
    let (_version, rest) = der_item(signed_data, 0x02)?;
    let (_digests, rest) = der_item(rest, 0x31)?;
    let (_encap, rest) = der_item(rest, 0x30)?;
    let Ok((mut certs, _)) = der_item(rest, 0xa0) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    while !certs.is_empty() && out.len() < MAX_SEQUENCE_ITEMS {
        let (total, rest) = der_raw(certs)?;
        out.push(total);
        certs = rest;
    }
    Ok(out)
}

/// (content, rest) of a DER item with the expected tag.
fn der_item(data: &[u8], tag: u8) -> Result<(&[u8], &[u8]), String> {
    let (&t, _) = data.split_first().ok_or("DER item missing")?;
    if t != tag {
        return Err(format!("expected DER tag 0x{tag:02x}, found 0x{t:02x}"));
    }
    let (header, len) = der_len(data)?;
    let content = data
        .get(header..header + len)
        .ok_or("DER item runs past its parent")?;
    Ok((content, data.get(header + len..).unwrap_or(&[])))
}

/// (whole item including header, rest).
fn der_raw(data: &[u8]) -> Result<(&[u8], &[u8]), String> {
    let (header, len) = der_len(data)?;
    let whole = data
        .get(..header + len)
        .ok_or("DER item runs past its parent")?;
    Ok((whole, data.get(header + len..).unwrap_or(&[])))
}

/// (header length, content length) of the DER item at the start of `data`.
fn der_len(data: &[u8]) -> Result<(usize, usize), String> {
    let first = *data.get(1).ok_or("DER length missing")?;
    if first < 0x80 {
        return Ok((2, usize::from(first)));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return Err("unsupported DER length form".to_string());
    }
    let bytes = data.get(2..2 + n).ok_or("DER length cut short")?;
    let len = bytes
        .iter()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    Ok((2 + n, len))
}

fn le_u32(d: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(o..o + 4)?.try_into().ok()?))
}

fn le_u64(d: &[u8], o: usize) -> Option<u64> {
    Some(u64::from_le_bytes(d.get(o..o + 8)?.try_into().ok()?))
}

/// Fuzzing entry point: parse an arbitrary signing block region and v1 file.
pub fn fuzz_signing(data: &[u8]) {
    let mut out = Signing {
        info: SigningInfo::default(),
        certificates: Vec::new(),
        problems: Vec::new(),
    };
    if let Ok(Some(pairs)) = signing_block(data, data.len() as u64) {
        for (_, value) in pairs {
            if let Ok(ders) = scheme_certificates(value) {
                push_certs(&mut out, "v2", ders);
            }
        }
    }
    if let Ok(ders) = pkcs7_certificates(data) {
        push_certs(&mut out, "v1", ders);
    }
    if let Ok(ders) = scheme_certificates(data) {
        push_certs(&mut out, "v3", ders);
    }
    // A DER certificate on its own, as found inside the blocks above.
    push_certs(&mut out, "raw", vec![data]);
}
