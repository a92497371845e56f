//! `POST /api/v1/auth/login` {username, password} → {token}.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::Platform;
use crate::auth::{self, TOKEN_LIFETIME_MS};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    pub expires_in_s: i64,
}

/// Log in: a bearer token for the API.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = LoginResponse),
        (status = 401, description = "Wrong username or password", body = super::ErrorBody),
    )
)]
pub async fn login(
    State(platform): State<Platform>,
    Json(request): Json<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    match auth::login(&platform.db, &request.username, &request.password).await? {
        Some(token) => Ok(Json(LoginResponse {
            token,
            expires_in_s: TOKEN_LIFETIME_MS / 1000,
        })),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad-credentials",
            "wrong username or password",
        )),
    }
}
