//! Request extractors that turn malformed input into clear 4xx answers naming the field.

use std::collections::BTreeMap;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use common::error::FieldError;
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest JSON body any endpoint accepts.
pub const JSON_LIMIT: usize = 64 * 1024;

/// A JSON body, deserialised with the path of the first bad field kept for the answer.
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(_req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mut payload = payload.take();
        Box::pin(async move {
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk =
                    chunk.map_err(|e| ApiError::bad_request("unreadable_body", e.to_string()))?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(ValidJson)
        })
    }
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = inner.to_string();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::bad_request(
                "invalid_json",
                format!("The body is not valid JSON: {message}"),
            );
        }
        // serde names a missing or unknown field in its message, not in the path.
        let field = quoted_name(&message)
            .filter(|_| {
                message.starts_with("missing field") || message.starts_with("unknown field")
            })
            .map(|name| match path.as_str() {
                "." => name,
                // An unknown field's path already ends at it; a missing one's stops at its parent.
                p if p.ends_with(name.as_str()) => path.clone(),
                p => format!("{p}.{name}"),
            })
            .unwrap_or(path);
        ApiError::BadRequest {
            code: "invalid_field",
            message: format!("Field `{field}`: {message}"),
            fields: BTreeMap::from([(field, FieldError::new("invalid_field", message))]),
        }
    })
}

fn quoted_name(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}

/// Query strings that fail to parse answer like bad JSON fields do.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _req| {
        let message = error.to_string();
        ApiError::bad_request("invalid_query", message).into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::clients::ClientForm;

    fn fields(error: ApiError) -> Vec<String> {
        match error {
            ApiError::BadRequest { fields, .. } => fields.into_keys().collect(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn names_the_field_with_the_wrong_type() {
        let error = parse_json::<ClientForm>(br#"{"name_zh": 5}"#).unwrap_err();
        assert_eq!(fields(error), vec!["name_zh"]);
        let error = parse_json::<ClientForm>(br#"{"date_of_birth": "yesterday"}"#).unwrap_err();
        assert_eq!(fields(error), vec!["date_of_birth"]);
    }

    #[test]
    fn names_unknown_and_missing_fields() {
        let error = parse_json::<ClientForm>(br#"{"nickname": "x"}"#).unwrap_err();
        assert_eq!(fields(error), vec!["nickname"]);
        let error =
            parse_json::<common::identity::LoginRequest>(br#"{"username": "x"}"#).unwrap_err();
        assert_eq!(fields(error), vec!["password"]);
    }

    #[test]
    fn syntax_errors_are_invalid_json() {
        let error = parse_json::<ClientForm>(b"{not json").unwrap_err();
        assert!(matches!(
            error,
            ApiError::BadRequest {
                code: "invalid_json",
                ..
            }
        ));
    }
}
