//! The Windows-PC WeChat encryption of `.wxapkg` (`V1MMWX`): the first 1024 bytes after the
//! magic are AES-256-CBC under a key derived from the appid, the rest is XORed with one byte of
//! the appid. Parameters in `../shared/spec/miniprogram-formats.md` §2.

use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::NoPadding};

use super::PackageError;
use super::wxapkg::is_wxapkg;

pub const V1MMWX_MAGIC: &[u8] = b"V1MMWX";
const HEAD: usize = 1024;
const SALT: &[u8] = b"saltiest";
const IV: &[u8; 16] = b"the iv: 16 bytes";
const ROUNDS: u32 = 1000;

type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

pub fn is_v1mmwx(data: &[u8]) -> bool {
    data.starts_with(V1MMWX_MAGIC)
}

/// The appid a PC package path carries: an `Applet/<appid>/<version>/` folder or a
/// `<appid>-pc.wxapkg` / `<appid>.wxapkg` file name. WeChat appids are `wx` + 16 hex digits.
pub fn appid_from_path(path: &str) -> Option<String> {
    let is_appid = |s: &str| {
        s.len() == 18 && s.starts_with("wx") && s[2..].bytes().all(|b| b.is_ascii_hexdigit())
    };
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    if let Some(i) = parts.iter().position(|p| p.eq_ignore_ascii_case("Applet"))
        && let Some(candidate) = parts.get(i + 1)
        && is_appid(candidate)
    {
        return Some(candidate.to_string());
    }
    let file = parts.last()?;
    let stem = file.split(['-', '.', '_']).next()?;
    is_appid(stem).then(|| stem.to_string())
}

/// Decrypt a `V1MMWX` package. The result is checked (padding byte, wxapkg marks, header
/// lengths), so a wrong appid is an error, never garbage.
pub fn decrypt_v1mmwx(data: &[u8], appid: &str) -> Result<Vec<u8>, PackageError> {
    let body = data
        .strip_prefix(V1MMWX_MAGIC)
        .ok_or_else(|| PackageError::NotAPackage("no V1MMWX magic".into()))?;
    if body.len() < HEAD {
        return Err(PackageError::Truncated {
            what: "V1MMWX encrypted head",
            offset: V1MMWX_MAGIC.len() as u64,
            needed: HEAD as u64,
            len: data.len() as u64,
        });
    }
    if appid.is_empty() {
        return Err(PackageError::AppidRequired);
    }
    let wrong = |detail: String| PackageError::WrongAppid {
        appid: appid.to_string(),
        detail,
    };
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(appid.as_bytes(), SALT, ROUNDS, &mut key);
    let mut head = [0u8; HEAD];
    head.copy_from_slice(&body[..HEAD]);
    let plain_head = Aes256CbcDec::new(&key.into(), IV.into())
        .decrypt_padded_mut::<NoPadding>(&mut head)
        .map_err(|_| wrong("the encrypted head is not whole AES blocks".into()))?;
    // The head is 1023 plaintext bytes and one PKCS#7 pad byte.
    if plain_head[HEAD - 1] != 0x01 {
        return Err(wrong(format!(
            "padding byte is {:#04x}, 0x01 expected",
            plain_head[HEAD - 1]
        )));
    }
    let xor = appid
        .len()
        .checked_sub(2)
        .and_then(|i| appid.as_bytes().get(i).copied())
        .unwrap_or(0x66);
    let mut plain = Vec::with_capacity(body.len() - 1);
    plain.extend_from_slice(&plain_head[..HEAD - 1]);
    plain.extend(body[HEAD..].iter().map(|b| b ^ xor));
    if !is_wxapkg(&plain) {
        return Err(wrong("the decrypted bytes have no wxapkg header".into()));
    }
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appid_from_folder_or_name() {
        assert_eq!(
            appid_from_path(
                r"C:\Users\u\Documents\WeChat Files\Applet\wx0123456789abcdef\12\__APP__.wxapkg"
            )
            .as_deref(),
            Some("wx0123456789abcdef")
        );
        assert_eq!(
            appid_from_path("pkgs/wx0a2ae0a4fdfa03a6-pc.wxapkg").as_deref(),
            Some("wx0a2ae0a4fdfa03a6")
        );
        assert_eq!(appid_from_path("pkgs/__APP__.wxapkg"), None);
        assert_eq!(appid_from_path("wxNOTHEX0000000000-pc.wxapkg"), None);
    }
}
