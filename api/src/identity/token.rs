use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// The session the token belongs to; revoking it ends every token of the session.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

pub fn issue(
    key: &[u8],
    user_id: &str,
    session_id: &str,
    expires_at: DateTime<Utc>,
) -> Option<String> {
    let claims = Claims {
        sub: user_id.to_owned(),
        sid: session_id.to_owned(),
        iat: Utc::now().timestamp(),
        exp: expires_at.timestamp(),
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(key),
    )
    .ok()
}

pub fn verify(key: &[u8], token: &str) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    decode::<Claims>(token, &DecodingKey::from_secret(key), &validation)
        .ok()
        .map(|data| data.claims)
}
