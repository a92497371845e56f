//! Just enough URL handling for captures: scheme, host and path (never the query, which can
//! carry the very PI a finding reports), locality, and request bodies.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::event::Request;

pub struct UrlParts<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    pub path: &'a str,
}

pub fn split(url: &str) -> UrlParts<'_> {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let after = &rest[end..];
    let path = &after[..after.find(['?', '#']).unwrap_or(after.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split_once(']').map_or(v6, |(h, _)| h)
    } else {
        host_port.split_once(':').map_or(host_port, |(h, _)| h)
    };
    UrlParts {
        scheme,
        host,
        path: if path.is_empty() { "/" } else { path },
    }
}

/// Loopback, private networks and `.local` names: traffic that never leaves the device or
/// the LAN.
pub fn is_local(host: &str) -> bool {
    if host == "localhost" || host.ends_with(".local") || host.ends_with(".localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip == Ipv4Addr::UNSPECIFIED
        }
        Ok(IpAddr::V6(ip)) => ip.is_loopback() || (ip.segments()[0] & 0xfe00) == 0xfc00,
        Err(_) => false,
    }
}

/// The request body as bytes: the text, or the Base64 decoded (undecodable Base64 is
/// scanned as text, which still finds plain values in it).
pub fn body_bytes<'a>(req: &'a Request<'_>) -> Option<Cow<'a, [u8]>> {
    if let Some(t) = req.body_text.as_deref() {
        return Some(Cow::Borrowed(t.as_bytes()));
    }
    let b64 = req.body_b64.as_deref()?;
    // Bound the decode by the scan limit (4 Base64 characters per 3 bytes).
    let limit = (crate::traffic::MAX_BODY_SCAN / 3 + 1) * 4;
    // Cut on bytes: the field is attacker text and need not be ASCII.
    let b64 = b64.as_bytes();
    let b64 = &b64[..b64.len().min(limit) / 4 * 4];
    Some(match STANDARD.decode(b64) {
        Ok(bytes) => Cow::Owned(bytes),
        Err(_) => Cow::Borrowed(b64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_what_captures_hold() {
        let p = split("https://user@alog.umeng.com:8443/app_logs?aid=1#x");
        assert_eq!(
            (p.scheme, p.host, p.path),
            ("https", "alog.umeng.com", "/app_logs")
        );
        let p = split("http://[::1]:8080?q");
        assert_eq!((p.host, p.path), ("::1", "/"));
        assert!(is_local("127.0.0.1") && is_local("192.168.1.2") && is_local("::1"));
        assert!(!is_local("203.0.113.10") && !is_local("api.example-shop.cn"));
    }
}
