//! Mail: a small SMTP client (RFC 5321: EHLO, optional AUTH PLAIN, one message per
//! connection) and the mailer that drains `mail_outbox`, retrying with back-off.
//!
//! The relay is given as `smtp://[user:password@]host[:port]` (`--smtp` or `HEGUI_SMTP`).
//! The connection is plain text: point it at a relay on the platform's own network (which
//! then speaks TLS onwards); TLS to the relay itself is not built yet.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use sqlx::Row;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::watch;

use crate::Platform;
use crate::db::now_ms;

/// How long one SMTP exchange may take before the attempt fails.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(30);
/// Attempts before a mail is given up (its last error stays in the outbox).
pub const MAX_MAIL_ATTEMPTS: i64 = 8;

/// Where and how mail is sent.
#[derive(Debug, Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    login: Option<(String, String)>,
    pub from: String,
}

impl Smtp {
    /// `smtp://[user:password@]host[:port]`, mail sent from `from`.
    pub fn parse(url: &str, from: &str) -> anyhow::Result<Smtp> {
        let rest = url
            .strip_prefix("smtp://")
            .ok_or_else(|| anyhow::anyhow!("SMTP relay {url:?}: expected smtp://host[:port]"))?;
        let rest = rest.trim_end_matches('/');
        let (login, host_port) = match rest.rsplit_once('@') {
            Some((login, host)) => {
                let (user, password) = login.split_once(':').unwrap_or((login, ""));
                (Some((user.to_string(), password.to_string())), host)
            }
            None => (None, rest),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse()
                    .map_err(|_| anyhow::anyhow!("SMTP relay: port {p:?}"))?,
            ),
            None => (host_port, 25),
        };
        anyhow::ensure!(!host.is_empty(), "SMTP relay {url:?}: no host");
        check_address(from)?;
        Ok(Smtp {
            host: host.to_string(),
            port,
            login,
            from: from.to_string(),
        })
    }

    /// Send one message; an error says which step the relay refused.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        check_address(to)?;
        tokio::time::timeout(EXCHANGE_TIMEOUT, self.exchange(to, subject, body))
            .await
            .map_err(|_| anyhow::anyhow!("SMTP {}:{}: timed out", self.host, self.port))?
    }

    async fn exchange(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let stream = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| anyhow::anyhow!("SMTP {}:{}: {e}", self.host, self.port))?;
        let mut conn = BufReader::new(stream);
        expect(&mut conn, "greeting", 220).await?;
        command(&mut conn, "EHLO hegui", 250).await?;
        if let Some((user, password)) = &self.login {
            let token = BASE64.encode(format!("\0{user}\0{password}"));
            command(&mut conn, &format!("AUTH PLAIN {token}"), 235).await?;
        }
        command(&mut conn, &format!("MAIL FROM:<{}>", self.from), 250).await?;
        command(&mut conn, &format!("RCPT TO:<{to}>"), 250).await?;
        command(&mut conn, "DATA", 354).await?;
        let message = message(&self.from, to, subject, body);
        conn.get_mut().write_all(message.as_bytes()).await?;
        expect(&mut conn, "message", 250).await?;
        // The message is accepted; a failed goodbye changes nothing.
        let _ = conn.get_mut().write_all(b"QUIT\r\n").await;
        Ok(())
    }
}

/// An address we put in an SMTP command: one `@`, no spaces, brackets or line breaks.
pub fn check_address(addr: &str) -> anyhow::Result<()> {
    let ok = addr.len() <= 254
        && addr.matches('@').count() == 1
        && !addr.starts_with('@')
        && !addr.ends_with('@')
        && !addr
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'));
    anyhow::ensure!(ok, "mail address {addr:?} is not a plain address");
    Ok(())
}

async fn command(conn: &mut BufReader<TcpStream>, line: &str, want: u16) -> anyhow::Result<()> {
    conn.get_mut()
        .write_all(format!("{line}\r\n").as_bytes())
        .await?;
    // The password is not repeated in an error.
    let step = line.split(' ').next().unwrap_or(line);
    expect(conn, step, want).await
}

/// Read a (possibly multi-line) reply and check its code.
async fn expect(conn: &mut BufReader<TcpStream>, step: &str, want: u16) -> anyhow::Result<()> {
    let mut text = String::new();
    loop {
        let mut line = String::new();
        let n = (&mut *conn).take(4096).read_line(&mut line).await?;
        anyhow::ensure!(n > 0, "SMTP {step}: the relay closed the connection");
        let last = line.as_bytes().get(3) != Some(&b'-');
        text.push_str(line.trim_end());
        if last {
            break;
        }
        text.push(' ');
        anyhow::ensure!(text.len() < 64 << 10, "SMTP {step}: an endless reply");
    }
    let code: u16 = text.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
    anyhow::ensure!(code == want, "SMTP {step}: the relay answered {text:?}");
    Ok(())
}

/// The message text after DATA: headers (the subject RFC 2047-encoded), a base64 UTF-8
/// body, and the closing dot. Base64 lines never start with a dot, so no dot-stuffing.
pub fn message(from: &str, to: &str, subject: &str, body: &str) -> String {
    let date = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_default();
    let subject: String = subject.chars().filter(|c| !c.is_control()).collect();
    let mut out = format!(
        "From: hegui <{from}>\r\nTo: <{to}>\r\nSubject: =?UTF-8?B?{}?=\r\nDate: {date}\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n",
        BASE64.encode(subject)
    );
    let encoded = BASE64.encode(body);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push_str("\r\n");
    }
    out.push_str(".\r\n");
    out
}

/// Send what is due in the outbox (at most `batch`), returning how many went out.
pub async fn send_due(platform: &Platform, smtp: &Smtp, batch: i64) -> anyhow::Result<usize> {
    let pool = &platform.db.pool;
    let now = now_ms();
    let due = sqlx::query(
        "SELECT id, to_addr, subject, body, attempts, next_ms FROM mail_outbox \
         WHERE sent_ms IS NULL AND next_ms <= $1 AND attempts < $2 ORDER BY id LIMIT $3",
    )
    .bind(now)
    .bind(MAX_MAIL_ATTEMPTS)
    .bind(batch)
    .fetch_all(pool)
    .await?;
    let mut sent = 0;
    for row in due {
        let id: i64 = row.try_get("id")?;
        let attempts: i64 = row.try_get("attempts")?;
        // Claimed by moving its time on: another mailer skips it meanwhile.
        let claimed = sqlx::query(
            "UPDATE mail_outbox SET next_ms = $1 WHERE id = $2 AND next_ms = $3 AND sent_ms IS NULL",
        )
        .bind(now + 300_000)
        .bind(id)
        .bind(row.try_get::<i64, _>("next_ms")?)
        .execute(pool)
        .await?
        .rows_affected();
        if claimed != 1 {
            continue;
        }
        let to: String = row.try_get("to_addr")?;
        let subject: String = row.try_get("subject")?;
        let body: String = row.try_get("body")?;
        match smtp.send(&to, &subject, &body).await {
            Ok(()) => {
                sqlx::query("UPDATE mail_outbox SET sent_ms = $1, attempts = $2 WHERE id = $3")
                    .bind(now_ms())
                    .bind(attempts + 1)
                    .bind(id)
                    .execute(pool)
                    .await?;
                sent += 1;
            }
            Err(e) => {
                // 30 s, doubling, at most a day.
                let wait = 30_000i64.saturating_mul(1 << attempts.clamp(0, 11));
                sqlx::query(
                    "UPDATE mail_outbox SET attempts = $1, next_ms = $2, last_error = $3 WHERE id = $4",
                )
                .bind(attempts + 1)
                .bind(now_ms() + wait.min(86_400_000))
                .bind(format!("{e:#}"))
                .bind(id)
                .execute(pool)
                .await?;
            }
        }
    }
    Ok(sent)
}

/// The mailer: sends what is due every `every`, until `stop`.
pub async fn run(platform: Platform, smtp: Smtp, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(e) = send_due(&platform, &smtp, 50).await {
            eprintln!("hegui mailer: {e:#}");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn relay_urls() {
        let s = Smtp::parse("smtp://relay.example:2525", "hegui@example.cn").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.login.is_none()),
            ("relay.example", 2525, true)
        );
        let s = Smtp::parse("smtp://u:p@relay", "hegui@example.cn").unwrap();
        assert_eq!((s.port, s.login.unwrap().1.as_str()), (25, "p"));
        assert!(Smtp::parse("http://relay", "a@b").is_err());
        assert!(Smtp::parse("smtp://relay", "not an address").is_err());
    }

    #[test]
    fn addresses_cannot_smuggle_commands() {
        assert!(check_address("a@b.cn").is_ok());
        for bad in [
            "a@b>\r\nRCPT TO:<c@d",
            "a b@c",
            "@b",
            "a@",
            "a@b@c",
            "<a@b>",
        ] {
            assert!(check_address(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_message_is_encoded() {
        let m = message("h@x.cn", "o@y.cn", "整改通知\r\nBcc: z@z", ".\r\n.body");
        assert!(m.contains("Subject: =?UTF-8?B?"));
        assert!(
            !m.contains("Bcc:"),
            "no header injection through the subject"
        );
        let body = m.split("\r\n\r\n").nth(1).unwrap();
        assert!(body.ends_with("\r\n.\r\n"));
        // The only line that starts with a dot is the end.
        assert_eq!(body.lines().filter(|l| l.starts_with('.')).count(), 1);
    }
}
