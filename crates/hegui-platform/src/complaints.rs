//! Complaints from the public: the pieces the public page needs that hold no request
//! state. A challenge (a small sum, signed with the platform's own key, valid 30 minutes,
//! answered once: its nonce is unique in `complaints`) stops scripted floods; a rate limit
//! per sender, keyed by a keyed hash of its address (the address itself is never kept);
//! and reference numbers that cannot be guessed.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::Row;

use crate::auth::random_hex;
use crate::db::{Db, now_ms};

/// Problem types a complainant picks from: (id, 中文, English).
pub const PROBLEMS: &[(&str, &str, &str)] = &[
    (
        "collect-without-consent",
        "未经同意收集个人信息",
        "Collects personal information without consent",
    ),
    (
        "excessive-collection",
        "超范围收集个人信息",
        "Collects more than the service needs",
    ),
    (
        "forced-permission",
        "强制、频繁、过度索取权限",
        "Forces or repeatedly asks for permissions",
    ),
    (
        "third-party-sharing",
        "未经同意向第三方提供个人信息",
        "Shares personal information with third parties without consent",
    ),
    (
        "targeted-push",
        "定向推送未显著标明或无法关闭",
        "Targeted push not marked or cannot be turned off",
    ),
    (
        "deceptive-download",
        "欺骗误导用户下载、安装",
        "Misleads users into downloads or installs",
    ),
    (
        "no-account-deletion",
        "无法注销账号或删除个人信息",
        "Account or data cannot be deleted",
    ),
    ("other", "其他", "Other"),
];

/// A complaint's status for people: (中文, English).
pub fn status_label(status: &str) -> (&'static str, &'static str) {
    match status {
        "received" => ("已受理，待分拣", "Received, awaiting triage"),
        "accepted" => ("已立案处理", "Accepted for handling"),
        "merged" => (
            "已与同类投诉合并处理",
            "Handled together with a similar complaint",
        ),
        "rejected" => ("不予受理", "Not taken up"),
        "resolved" => ("已处理完毕", "Resolved"),
        _ => ("", ""),
    }
}

/// How long a challenge may be answered.
const CHALLENGE_MS: i64 = 30 * 60 * 1000;

/// The platform's own secret for signing challenges and hashing addresses, made once.
pub async fn key(db: &Db) -> anyhow::Result<Vec<u8>> {
    let read = || async {
        sqlx::query("SELECT value FROM settings WHERE name = 'complaint_key'")
            .fetch_optional(&db.pool)
            .await
    };
    // Read first: the public page is read far more often than the key is made, and a
    // write on every page view would queue behind SQLite's single writer.
    let row = match read().await? {
        Some(row) => row,
        None => {
            sqlx::query(
                "INSERT INTO settings (name, value) VALUES ('complaint_key', $1) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(random_hex(32)?)
            .execute(&db.pool)
            .await?;
            read()
                .await?
                .ok_or_else(|| anyhow::anyhow!("the complaint key was not kept"))?
        }
    };
    Ok(hex::decode(row.try_get::<String, _>("value")?)?)
}

fn mac(key: &[u8], text: &str) -> anyhow::Result<String> {
    let mut m = Hmac::<Sha256>::new_from_slice(key)?;
    m.update(text.as_bytes());
    Ok(hex::encode(m.finalize().into_bytes()))
}

/// A challenge: the question to show and the token to send back with the answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Challenge {
    pub question: String,
    pub token: String,
}

/// A new challenge: the sum of two small numbers.
pub fn challenge(key: &[u8]) -> anyhow::Result<Challenge> {
    let mut bytes = [0u8; 2];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    let (a, b) = (2 + bytes[0] % 18, 2 + bytes[1] % 18);
    let expires = now_ms() + CHALLENGE_MS;
    let nonce = random_hex(12)?;
    let body = format!("{expires}.{nonce}.{a}.{b}");
    Ok(Challenge {
        question: format!("{a} + {b} = ?"),
        token: format!("{body}.{}", mac(key, &body)?),
    })
}

/// Why a challenge answer was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ChallengeError {
    Malformed,
    Expired,
    Wrong,
}

/// Check an answer; on success, the nonce to record (so the token is used once).
pub fn verify(key: &[u8], token: &str, answer: &str) -> Result<String, ChallengeError> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [expires, nonce, a, b, signature] = parts.as_slice() else {
        return Err(ChallengeError::Malformed);
    };
    let body = format!("{expires}.{nonce}.{a}.{b}");
    let expected = mac(key, &body).map_err(|_| ChallengeError::Malformed)?;
    if !crate::ui::same(&expected, signature) {
        return Err(ChallengeError::Malformed);
    }
    let expires: i64 = expires.parse().map_err(|_| ChallengeError::Malformed)?;
    if now_ms() > expires {
        return Err(ChallengeError::Expired);
    }
    let sum = a.parse::<u32>().ok().zip(b.parse::<u32>().ok());
    let given = answer.trim().parse::<u32>().ok();
    match (sum, given) {
        (Some((a, b)), Some(g)) if a + b == g => Ok((*nonce).to_string()),
        _ => Err(ChallengeError::Wrong),
    }
}

/// The keyed hash a sender's address is kept as.
pub fn client_id(key: &[u8], address: &str) -> anyhow::Result<String> {
    mac(key, &format!("client|{address}"))
}

/// Complaints `client` filed in the last hour.
pub async fn recent(db: &Db, client: &str) -> anyhow::Result<i64> {
    Ok(
        sqlx::query("SELECT COUNT(*) AS n FROM complaints WHERE client = $1 AND created_ms > $2")
            .bind(client)
            .bind(now_ms() - 3_600_000)
            .fetch_one(&db.pool)
            .await?
            .try_get("n")?,
    )
}

/// A reference number: `TS` + the date + 10 random characters of an alphabet without
/// look-alikes (about 50 bits; a status page answers only to the whole of it).
pub fn reference(today: time::Date) -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    let tail: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    Ok(format!(
        "TS{:04}{:02}{:02}-{tail}",
        today.year(),
        u8::from(today.month()),
        today.day()
    ))
}

/// Whether an uploaded screenshot is an image we accept (PNG, JPEG, WebP, GIF), by its
/// first bytes, not by what the sender says it is.
pub fn is_image(head: &[u8]) -> bool {
    head.starts_with(b"\x89PNG\r\n\x1a\n")
        || head.starts_with(&[0xff, 0xd8, 0xff])
        || head.starts_with(b"GIF87a")
        || head.starts_with(b"GIF89a")
        || (head.len() >= 12 && head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn challenges_are_signed_and_checked() {
        let key = b"0123456789abcdef0123456789abcdef";
        let c = challenge(key).unwrap();
        let (a, b) = c.question.split_once(" + ").unwrap();
        let b = b.trim_end_matches(" = ?");
        let sum = a.parse::<u32>().unwrap() + b.parse::<u32>().unwrap();
        assert!(verify(key, &c.token, &sum.to_string()).is_ok());
        assert_eq!(
            verify(key, &c.token, &(sum + 1).to_string()),
            Err(ChallengeError::Wrong)
        );
        assert_eq!(
            verify(b"another key", &c.token, &sum.to_string()),
            Err(ChallengeError::Malformed)
        );
        // Changing the numbers breaks the signature.
        let mut parts: Vec<String> = c.token.split('.').map(String::from).collect();
        parts[2] = "1".into();
        parts[3] = "1".into();
        assert_eq!(
            verify(key, &parts.join("."), "2"),
            Err(ChallengeError::Malformed)
        );
        assert_eq!(verify(key, "garbage", "2"), Err(ChallengeError::Malformed));
    }

    #[test]
    fn references_and_images() {
        let r = reference(time::macros::date!(2026 - 11 - 26)).unwrap();
        assert!(r.starts_with("TS20261126-") && r.len() == 21, "{r}");
        assert!(is_image(b"\x89PNG\r\n\x1a\n...."));
        assert!(!is_image(b"<html><script>"));
    }
}
