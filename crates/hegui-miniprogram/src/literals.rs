//! Pure classification of string literals: URLs (scheme, host, cleartext, local, resource) and
//! credentials (secret-like names, cloud key shapes). The caller finds the literals.

/// A URL literal split into what the facts keep.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Url {
    /// Scheme, host and path; no query or fragment.
    pub url: String,
    pub scheme: &'static str,
    pub host: String,
    pub local: bool,
    pub resource: bool,
}

/// Hosts that name XML namespaces and DTDs, never endpoints.
const NAMESPACE_HOSTS: &[&str] = &[
    "www.w3.org",
    "w3.org",
    "xmlns.com",
    "purl.org",
    "ns.adobe.com",
    "schemas.xmlsoap.org",
    "schemas.microsoft.com",
    "schemas.openxmlformats.org",
    "www.apple.com",
];

/// File types that are loaded, not called: a cleartext image is not PI in transit.
const RESOURCE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "mp3", "mp4", "m4a", "aac", "wav",
    "ttf", "otf", "woff", "woff2", "css",
];

/// Image CDNs that serve nothing but pictures (WeChat's article and avatar images).
const IMAGE_HOSTS: &[&str] = &["qpic.cn", "qlogo.cn"];

/// Longest URL kept, so a hostile literal cannot bloat a report.
const MAX_URL: usize = 512;

/// A literal that starts with `http(s)://` or `ws(s)://` and names a host.
pub(crate) fn parse_url(text: &str) -> Option<Url> {
    let text = text.trim();
    let (scheme, rest) = ["https", "http", "wss", "ws"].iter().find_map(|s| {
        let rest = text.get(s.len()..)?.strip_prefix("://")?;
        text.get(..s.len())
            .filter(|p| p.eq_ignore_ascii_case(s))
            .map(|_| (*s, rest))
    })?;
    let end = rest
        .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace())
        .unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let bare = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    // Every dot-separated label present: `http://www.` in prose is not a host.
    let valid = (bare == "localhost"
        || (bare.contains('.') && bare.split('.').all(|l| !l.is_empty())))
        && bare
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
        && !NAMESPACE_HOSTS.contains(&bare.as_str());
    if !valid {
        return None;
    }
    let path_end = rest
        .find(|c: char| c == '?' || c == '#' || c.is_whitespace())
        .unwrap_or(rest.len());
    let path = rest.get(end..path_end).unwrap_or("");
    let query = rest.get(path_end..).unwrap_or("");
    let resource = path
        .rsplit_once('.')
        .is_some_and(|(_, ext)| RESOURCE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
        || IMAGE_HOSTS
            .iter()
            .any(|h| bare == *h || bare.ends_with(&format!(".{h}")))
        // WeChat's image service names the format in the query (`?wx_fmt=png`).
        || query.contains("wx_fmt=");
    let mut url = format!("{scheme}://{host}{path}");
    if url.len() > MAX_URL {
        let cut = (0..=MAX_URL)
            .rev()
            .find(|&i| url.is_char_boundary(i))
            .unwrap_or(0);
        url.truncate(cut);
    }
    Some(Url {
        url,
        scheme,
        host: host.to_string(),
        local: is_local(&bare),
        resource,
    })
}

/// Loopback, private-network and link-local addresses, and `localhost`.
fn is_local(host: &str) -> bool {
    if host == "localhost" || host.ends_with(".local") {
        return true;
    }
    let octets: Vec<u8> = host.split('.').filter_map(|p| p.parse().ok()).collect();
    match octets[..] {
        [a, b, _, _] => {
            a == 127
                || a == 10
                || a == 0
                || (a == 192 && b == 168)
                || (a == 172 && (16..=31).contains(&b))
                || (a == 169 && b == 254)
        }
        _ => false,
    }
}

/// Names under which a literal is a credential (`appSecret`, `secret_key`, `mchKey`…).
pub(crate) fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase().replace(['_', '-'], "");
    n.contains("secret")
        || n.contains("privatekey")
        || n.contains("apiv3key")
        || n.ends_with("mchkey")
        || n.ends_with("paykey")
        || n.ends_with("apikey")
        || n.ends_with("accesstoken")
        || n == "authorization"
}

/// The credential of an `Authorization` header value: `Basic …` / `Bearer …` without its
/// scheme word. Other values are returned as they are.
pub(crate) fn strip_auth_scheme<'v>(name: Option<&str>, value: &'v str) -> &'v str {
    if name.is_some_and(|n| n.eq_ignore_ascii_case("authorization")) {
        for scheme in ["Basic ", "Bearer ", "basic ", "bearer "] {
            if let Some(rest) = value.strip_prefix(scheme) {
                return rest.trim();
            }
        }
    }
    value
}

/// A cheap first test on a literal: long enough, short enough and without spaces to be any
/// credential [`secret_kind`] recognises.
pub(crate) fn may_be_secret(value: &str) -> bool {
    (12..=4096).contains(&value.len())
        && (value.starts_with("-----BEGIN") || !value.as_bytes().contains(&b' '))
}

/// The kind of credential a literal is: by the name it is assigned to, or by its own shape.
pub(crate) fn secret_kind(name: Option<&str>, value: &str) -> Option<&'static str> {
    if let Some(kind) = cloud_key_kind(value) {
        return Some(kind);
    }
    let name = name.filter(|n| is_secret_name(n))?;
    let len = value.len();
    let token = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-'));
    let mixed =
        value.bytes().any(|b| b.is_ascii_digit()) && value.bytes().any(|b| b.is_ascii_alphabetic());
    let varied = value
        .bytes()
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        >= 8;
    if !(16..=128).contains(&len) || !token || !mixed || !varied {
        return None;
    }
    let hex32 = len == 32 && value.bytes().all(|b| b.is_ascii_hexdigit());
    Some(if hex32 && name.to_ascii_lowercase().contains("secret") {
        "appsecret"
    } else {
        "secret"
    })
}

/// Cloud credentials recognisable by their prefix, wherever they appear.
fn cloud_key_kind(value: &str) -> Option<&'static str> {
    let alnum_after = |prefix: &str, min: usize, max: usize| {
        value.strip_prefix(prefix).is_some_and(|rest| {
            (min..=max).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        })
    };
    if alnum_after("LTAI", 12, 30) {
        Some("aliyun-access-key")
    } else if alnum_after("AKID", 32, 32) {
        Some("tencent-secret-id")
    } else if alnum_after("AKIA", 16, 16) {
        Some("aws-access-key")
    } else if value.starts_with("-----BEGIN") && value.contains("PRIVATE KEY") {
        Some("private-key")
    } else {
        None
    }
}

/// First four characters, an ellipsis and the length: enough to find and rotate the
/// credential, never enough to use it.
pub(crate) fn mask(value: &str) -> String {
    let head: String = value.chars().take(4).collect();
    format!("{head}…({})", value.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = parse_url("http://localhost:8080/wx/?token=abc").expect("url");
        assert_eq!(
            (
                u.url.as_str(),
                u.scheme,
                u.host.as_str(),
                u.local,
                u.resource
            ),
            (
                "http://localhost:8080/wx/",
                "http",
                "localhost:8080",
                true,
                false
            )
        );
        let u = parse_url("HTTP://p0.meituan.net/a/b.PNG#x").expect("url");
        assert_eq!((u.scheme, u.resource, u.local), ("http", true, false));
        assert!(parse_url("wss://im.example.com/socket").is_some_and(|u| u.scheme == "wss"));
        assert!(parse_url("http://192.168.1.3:8080/").expect("url").local);
        assert!(!parse_url("http://172.32.0.1/").expect("url").local);
        for not_endpoint in [
            "http://www.w3.org/2000/svg",
            "http://www",
            "http://www.",
            "https://",
            "see http://a.com",
            "ftp://a.com",
            "http://${host}/x",
        ] {
            assert_eq!(parse_url(not_endpoint), None, "{not_endpoint}");
        }
    }

    #[test]
    fn secrets_by_name_and_shape() {
        let hex = "9670a1b2c3d4e5f60718293a4b5c6d7e";
        assert_eq!(secret_kind(Some("secret"), hex), Some("appsecret"));
        assert_eq!(secret_kind(Some("appSecret"), hex), Some("appsecret"));
        assert_eq!(secret_kind(Some("mch_key"), hex), Some("secret"));
        assert_eq!(secret_kind(Some("appid"), hex), None);
        assert_eq!(secret_kind(None, hex), None);
        // Placeholders and prose are not credentials.
        assert_eq!(secret_kind(Some("secret"), "your-app-secret-here"), None);
        assert_eq!(
            secret_kind(Some("secret"), "00000000000000000000000000000000"),
            None
        );
        assert_eq!(
            secret_kind(None, "LTAI5tAbCdEfGhIjKlMn"),
            Some("aliyun-access-key")
        );
        assert_eq!(
            secret_kind(None, "AKIAABCDEFGHIJKLMNOP"),
            Some("aws-access-key")
        );
        assert_eq!(mask(hex), "9670…(32)");
        assert_eq!(mask("密钥"), "密钥…(2)");
    }
}
