//! The audit log: every action that changes the platform's state (a login, a submission,
//! an account made), append-only and hash-chained.
//!
//! Each row's `hash` is SHA-256 over the previous row's hash and this row's fields, and a
//! one-row `audit_head` keeps the latest hash and count. Editing a row breaks its hash;
//! deleting one breaks the next row's link (or, for the last rows, the head); triggers
//! refuse UPDATE and DELETE, so getting past them takes deliberate work that [`verify`]
//! still detects. Appends are serialised by updating the head first, which takes the write
//! lock on SQLite and the row lock on PostgreSQL, so concurrent writers cannot fork the
//! chain.

use serde::Serialize;
use sqlx::Row;

use crate::auth::sha256_hex;
use crate::db::{Db, now_ms};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it, as far as the platform knows.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            name: "system".into(),
        }
    }
}

/// One row's content, in the order it is hashed.
fn row_hash(
    prev: &str,
    seq: i64,
    at_ms: i64,
    actor: &str,
    action: &str,
    object: &str,
    detail: &str,
) -> String {
    // Length-prefixed fields: no two different rows hash the same text.
    let mut text = String::new();
    for field in [
        prev,
        &seq.to_string(),
        &at_ms.to_string(),
        actor,
        action,
        object,
        detail,
    ] {
        text.push_str(&field.len().to_string());
        text.push(':');
        text.push_str(field);
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}

/// Append an entry: `action` (e.g. `scan.submit`) on `object` (e.g. `scan:12`), with a
/// JSON `detail`.
pub async fn record(
    db: &Db,
    actor: &Actor,
    action: &str,
    object: &str,
    detail: serde_json::Value,
) -> anyhow::Result<()> {
    let mut tx = db.pool.begin().await?;
    record_in(&mut tx, actor, action, object, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// [`record`] inside the caller's transaction: the entry exists exactly when what it
/// records does.
pub async fn record_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    action: &str,
    object: &str,
    detail: serde_json::Value,
) -> anyhow::Result<()> {
    let detail = detail.to_string();
    let at_ms = now_ms();
    let actor_name = match actor.user_id {
        Some(id) => format!("{}#{id}", actor.name),
        None => actor.name.clone(),
    };
    let head = sqlx::query("UPDATE audit_head SET n = n + 1 WHERE id = 1 RETURNING hash, n")
        .fetch_one(&mut **tx)
        .await?;
    let prev: String = head.try_get("hash")?;
    let seq: i64 = head.try_get("n")?;
    let hash = row_hash(&prev, seq, at_ms, &actor_name, action, object, &detail);
    sqlx::query(
        "INSERT INTO audit_log (seq, at_ms, actor, action, object, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(at_ms)
    .bind(&actor_name)
    .bind(action)
    .bind(object)
    .bind(&detail)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What [`verify`] found.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Verdict {
    pub rows: i64,
    /// The first break, if any: the row (by `seq`) and what is wrong with it.
    pub broken: Option<(i64, String)>,
}

/// Walk the chain from the start, recomputing every hash.
pub async fn verify(db: &Db) -> anyhow::Result<Verdict> {
    let rows = sqlx::query(
        "SELECT seq, at_ms, actor, action, object, detail, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut prev = GENESIS.to_string();
    let mut count = 0i64;
    for (expected_seq, row) in (1i64..).zip(&rows) {
        let seq: i64 = row.try_get("seq")?;
        let stored_prev: String = row.try_get("prev_hash")?;
        let stored: String = row.try_get("hash")?;
        let broken = |why: String| Verdict {
            rows: count,
            broken: Some((seq, why)),
        };
        if seq != expected_seq {
            return Ok(broken(format!(
                "row {expected_seq} is missing (next is {seq})"
            )));
        }
        if stored_prev != prev {
            return Ok(broken(
                "does not link to the row before it (a row was removed or replaced)".into(),
            ));
        }
        let recomputed = row_hash(
            &prev,
            seq,
            row.try_get("at_ms")?,
            &row.try_get::<String, _>("actor")?,
            &row.try_get::<String, _>("action")?,
            &row.try_get::<String, _>("object")?,
            &row.try_get::<String, _>("detail")?,
        );
        if recomputed != stored {
            return Ok(broken(
                "its content does not match its hash (the row was edited)".into(),
            ));
        }
        prev = stored;
        count = expected_seq;
    }
    let head = sqlx::query("SELECT hash, n FROM audit_head WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    let (head_hash, head_n): (String, i64) = (head.try_get("hash")?, head.try_get("n")?);
    if head_n != count || head_hash != prev {
        return Ok(Verdict {
            rows: count,
            broken: Some((
                count + 1,
                format!(
                    "the log ends at row {count} but {head_n} were written (rows removed from the end)"
                ),
            )),
        });
    }
    Ok(Verdict {
        rows: count,
        broken: None,
    })
}
