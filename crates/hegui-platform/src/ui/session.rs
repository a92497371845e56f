//! Browser sessions: a cookie holding a login token (HttpOnly, SameSite=Strict), and CSRF
//! protection for every form and upload.
//!
//! A session's CSRF token is derived from its login token (SHA-256 of a label and the
//! token), so it needs no storage and changes with every login; a page embeds it and each
//! state-changing request must send it back (form field `_csrf` or header `X-CSRF-Token`).
//! Before login, the login form is protected the double-submit way: a random cookie and
//! the same value in the form.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::text::Lang;
use crate::Platform;
use crate::auth::{Caller, caller_for_token, sha256_hex};

pub const SESSION_COOKIE: &str = "hegui_session";
pub const LOGIN_CSRF_COOKIE: &str = "hegui_login_csrf";
pub const LANG_COOKIE: &str = "hegui_lang";

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `Set-Cookie` value: path-wide, HttpOnly, SameSite=Strict; `max_age` 0 deletes it.
pub fn set_cookie(name: &str, value: &str, max_age: i64) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}")
}

pub fn csrf_for(token: &str) -> String {
    sha256_hex(format!("hegui-csrf|{token}").as_bytes())
}

/// Equal, in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The page language: `?lang=` first (and remembered by a cookie), then the cookie,
/// then zh-CN.
pub fn lang(headers: &HeaderMap, uri: &axum::http::Uri) -> Lang {
    let asked = uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::from_tag(v))
    });
    asked
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::from_tag))
        .unwrap_or(Lang::Zh)
}

/// A logged-in browser.
#[derive(Debug, Clone)]
pub struct Session {
    pub caller: Caller,
    pub csrf: String,
    pub token: String,
    pub lang: Lang,
    /// The language was chosen with `?lang=` on this request: remember it.
    pub lang_asked: bool,
}

impl Session {
    /// Whether a state-changing request carries this session's CSRF token.
    pub fn csrf_ok(&self, sent: Option<&str>) -> bool {
        sent.is_some_and(|s| same(s, &self.csrf))
    }
}

/// The answer to a request without the right CSRF token.
pub fn csrf_refused() -> Response {
    (
        StatusCode::FORBIDDEN,
        "CSRF token missing or wrong; reload the page",
    )
        .into_response()
}

/// A multipart upload sent by a page's script: the session's CSRF token must come in the
/// `X-CSRF-Token` header (a stream cannot be read twice to find it in a field).
pub async fn csrf_multipart(
    session: &Session,
    platform: &Platform,
    request: axum::extract::Request,
) -> Result<axum::extract::Multipart, Response> {
    use axum::extract::FromRequest;
    let sent = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok());
    if !session.csrf_ok(sent) {
        return Err(csrf_refused());
    }
    axum::extract::Multipart::from_request(request, platform)
        .await
        .map_err(IntoResponse::into_response)
}

/// Not logged in: off to the login page.
pub struct ToLogin;

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        (StatusCode::SEE_OTHER, [(LOCATION, "/login")]).into_response()
    }
}

impl FromRequestParts<Platform> for Session {
    type Rejection = ToLogin;

    async fn from_request_parts(parts: &mut Parts, platform: &Platform) -> Result<Self, ToLogin> {
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .filter(|t| !t.is_empty())
            .ok_or(ToLogin)?
            .to_string();
        let caller = caller_for_token(&platform.db, &token)
            .await
            .ok()
            .flatten()
            .ok_or(ToLogin)?;
        let lang_asked = parts.uri.query().is_some_and(|q| q.contains("lang="));
        Ok(Session {
            caller,
            csrf: csrf_for(&token),
            token,
            lang: lang(&parts.headers, &parts.uri),
            lang_asked,
        })
    }
}

/// A page that shows either way (the home page): the session if there is one.
impl axum::extract::OptionalFromRequestParts<Platform> for Session {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        platform: &Platform,
    ) -> Result<Option<Self>, std::convert::Infallible> {
        Ok(
            <Session as FromRequestParts<Platform>>::from_request_parts(parts, platform)
                .await
                .ok(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_csrf() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            "a=1; hegui_session=abc; b=2"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
        assert!(same(&csrf_for("abc"), &csrf_for("abc")));
        assert!(!same(&csrf_for("abc"), &csrf_for("abd")));
        assert!(!same("short", "longer"));
    }
}
