//! Accounts: organisations, users with roles, argon2 password hashes, bearer tokens (only
//! their SHA-256 is stored), and the first `admin`.

use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{self, Actor};
use crate::db::{Db, now_ms};

/// How long a login token lasts.
pub const TOKEN_LIFETIME_MS: i64 = 12 * 3600 * 1000;

/// The kinds of organisation, which decide what their users may see.
pub const ORG_KINDS: &[&str] = &["ministry", "bureau", "lab", "enterprise", "store"];
/// Roles inside an organisation.
pub const ROLES: &[&str] = &[
    "admin",
    "regulator",
    "tester",
    "operator",
    "viewer",
    "triage",
];

/// Who is calling: resolved from the token on every request, never from the request body.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub username: String,
    pub role: String,
    pub org_id: i64,
    pub org_kind: String,
    pub province: Option<String>,
}

impl From<&Caller> for Actor {
    fn from(caller: &Caller) -> Actor {
        Actor {
            user_id: Some(caller.user_id),
            name: caller.username.clone(),
        }
    }
}

impl Caller {
    /// The ministry (the platform's own organisation, where `admin` lives) sees every
    /// organisation's data; everyone else their own. An `admin` role elsewhere administers
    /// only its own organisation.
    pub fn sees_everything(&self) -> bool {
        self.org_kind == "ministry"
    }

    /// Viewers read; every other role may submit packages.
    pub fn may_submit(&self) -> bool {
        self.role != "viewer"
    }

    /// A regulator (ministry or provincial bureau) acting as admin or regulator.
    pub fn is_authority(&self) -> bool {
        matches!(self.org_kind.as_str(), "ministry" | "bureau")
            && matches!(self.role.as_str(), "admin" | "regulator")
    }

    /// Triage of the public's complaints: the ministry's or a bureau's admin, regulator or
    /// `triage` user.
    pub fn may_triage(&self) -> bool {
        matches!(self.org_kind.as_str(), "ministry" | "bureau")
            && matches!(self.role.as_str(), "admin" | "regulator" | "triage")
    }

    /// Testing work: attaching another engine's results to a version.
    pub fn may_import(&self) -> bool {
        matches!(self.role.as_str(), "admin" | "regulator" | "tester")
    }
}

/// Random bytes as hex, from the operating system.
pub fn random_hex(bytes: usize) -> anyhow::Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    Ok(hex::encode(buf))
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing: {e}"))?
        .to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

pub async fn create_org(
    db: &Db,
    actor: &Actor,
    name: &str,
    kind: &str,
    province: Option<&str>,
) -> anyhow::Result<i64> {
    create_org_with_code(db, actor, name, kind, province, None).await
}

/// [`create_org`] with the organisation's unified social credit code, which ties an
/// enterprise to the apps stores list under that code.
pub async fn create_org_with_code(
    db: &Db,
    actor: &Actor,
    name: &str,
    kind: &str,
    province: Option<&str>,
    credit_code: Option<&str>,
) -> anyhow::Result<i64> {
    anyhow::ensure!(
        ORG_KINDS.contains(&kind),
        "organisation kind {kind:?}: expected one of {ORG_KINDS:?}"
    );
    let row = sqlx::query(
        "INSERT INTO orgs (name, kind, province, credit_code, created_ms) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(name)
    .bind(kind)
    .bind(province)
    .bind(credit_code.map(|c| c.trim().to_uppercase()))
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await?;
    let id: i64 = row.try_get("id")?;
    let detail = serde_json::json!({
        "name": name, "kind": kind, "province": province, "credit_code": credit_code,
    });
    audit::record(db, actor, "org.create", &format!("org:{id}"), detail).await?;
    Ok(id)
}

pub async fn create_user(
    db: &Db,
    actor: &Actor,
    org_id: i64,
    username: &str,
    password: &str,
    role: &str,
) -> anyhow::Result<i64> {
    anyhow::ensure!(
        ROLES.contains(&role),
        "role {role:?}: expected one of {ROLES:?}"
    );
    anyhow::ensure!(
        password.chars().count() >= 8,
        "a password has at least 8 characters"
    );
    let password = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password)).await??;
    let row = sqlx::query(
        "INSERT INTO users (org_id, username, password_hash, role, created_ms) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org_id)
    .bind(username)
    .bind(hash)
    .bind(role)
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await?;
    let id: i64 = row.try_get("id")?;
    let detail = serde_json::json!({"username": username, "org": org_id, "role": role});
    audit::record(db, actor, "user.create", &format!("user:{id}"), detail).await?;
    Ok(id)
}

/// Set (or clear, with none) the address a user's notifications are mailed to.
pub async fn set_email(db: &Db, user_id: i64, email: Option<&str>) -> anyhow::Result<()> {
    if let Some(email) = email {
        crate::mail::check_address(email)?;
    }
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
        .bind(email)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// On first start, the platform's own organisation and its `admin`, with `password` or a
/// generated one (returned so it can be printed once).
pub async fn bootstrap_admin(db: &Db, password: Option<String>) -> anyhow::Result<Option<String>> {
    let users: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    if users > 0 {
        return Ok(None);
    }
    let generated = password.is_none();
    let password = match password {
        Some(p) => p,
        None => random_hex(12)?,
    };
    let system = Actor::system();
    let org = create_org(db, &system, "hegui", "ministry", None).await?;
    create_user(db, &system, org, "admin", &password, "admin").await?;
    Ok(generated.then_some(password))
}

/// A token for `username` when the password is right. The hash is checked even for an
/// unknown user, so timing does not tell which usernames exist.
pub async fn login(db: &Db, username: &str, password: &str) -> anyhow::Result<Option<String>> {
    let row = sqlx::query("SELECT id, password_hash FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?;
    let (user_id, hash) = match row {
        Some(r) => (
            Some(r.try_get::<i64, _>("id")?),
            r.try_get::<String, _>("password_hash")?,
        ),
        None => (None, DUMMY_HASH.to_string()),
    };
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await?;
    let Some(user_id) = user_id.filter(|_| ok) else {
        // Failed logins are kept too: guessing is worth seeing.
        let detail = serde_json::json!({"username": username});
        audit::record(db, &Actor::system(), "auth.login_failed", "user:?", detail).await?;
        return Ok(None);
    };
    let token = random_hex(32)?;
    let now = now_ms();
    // Expired tokens are useless; logins are a cheap, regular moment to drop them.
    sqlx::query("DELETE FROM tokens WHERE expires_ms < $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    sqlx::query(
        "INSERT INTO tokens (token_sha256, user_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(sha256_hex(token.as_bytes()))
    .bind(user_id)
    .bind(now)
    .bind(now + TOKEN_LIFETIME_MS)
    .execute(&db.pool)
    .await?;
    let actor = Actor {
        user_id: Some(user_id),
        name: username.to_string(),
    };
    audit::record(
        db,
        &actor,
        "auth.login",
        &format!("user:{user_id}"),
        serde_json::json!({}),
    )
    .await?;
    Ok(Some(token))
}

/// An argon2 hash of a random string, verified against when the user does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2l6Jx2n0sVMiL2mMqBtFsm+Ow/3TS6fH6TqWkH4VqWE";

pub async fn caller_for_token(db: &Db, token: &str) -> anyhow::Result<Option<Caller>> {
    let row = sqlx::query(
        "SELECT u.id AS user_id, u.username, u.role, o.id AS org_id, o.kind, o.province \
         FROM tokens t JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id \
         WHERE t.token_sha256 = $1 AND t.expires_ms > $2",
    )
    .bind(sha256_hex(token.as_bytes()))
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(Caller {
        user_id: r.try_get("user_id")?,
        username: r.try_get("username")?,
        role: r.try_get("role")?,
        org_id: r.try_get("org_id")?,
        org_kind: r.try_get("kind")?,
        province: r.try_get("province")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse").unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horse!", &hash));
        assert!(!verify_password("anything", DUMMY_HASH));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
