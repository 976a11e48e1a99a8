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
        let payload = payload.take();
        Box::pin(async move {
            let body = read_body(payload, JSON_LIMIT).await?;
            parse_json(&body).map(ValidJson)
        })
    }
}

/// A request's body, refused once it grows past `limit` bytes (before it is all read).
pub async fn read_body(mut payload: Payload, limit: usize) -> Result<web::BytesMut, ApiError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request("unreadable_body", e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Text that no database here can store: PostgreSQL refuses the NUL character in text.
/// Every way in (JSON body, path, query, header) is checked against this one rule.
pub fn storable(text: &str) -> bool {
    !text.contains('\0')
}

fn unstorable(field: &str) -> ApiError {
    let message = "Contains a character that cannot be stored (NUL)";
    ApiError::BadRequest {
        code: "invalid_characters",
        message: format!("Field `{field}`: {message}"),
        fields: BTreeMap::from([(
            field.to_owned(),
            FieldError::new("invalid_characters", message),
        )]),
    }
}

/// The path of the first string (or key) in `value` that cannot be stored.
fn unstorable_at(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(text) => (!storable(text)).then(|| path.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| unstorable_at(item, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if storable(key) {
                unstorable_at(item, &join(key))
            } else {
                Some(join(&key.replace('\0', "\\0")))
            }
        }),
        _ => None,
    }
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|error| {
        ApiError::bad_request(
            "invalid_json",
            format!("The body is not valid JSON: {error}"),
        )
    })?;
    if let Some(field) = unstorable_at(&value, "") {
        return Err(unstorable(if field.is_empty() { "body" } else { &field }));
    }
    from_value(value)
}

/// A body taken as any JSON, deserialised as [`ValidJson`] would: for a handler that
/// must see who asks before it judges what they sent.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|error| named(error, "invalid_field"))
}

/// The answer to input that does not deserialise, naming the field at fault.
fn named<E: std::fmt::Display>(
    error: serde_path_to_error::Error<E>,
    code: &'static str,
) -> ApiError {
    let path = error.path().to_string();
    let message = error.into_inner().to_string();
    // serde names a missing or unknown field in its message, not in the path.
    let field = quoted_name(&message)
        .filter(|_| message.starts_with("missing field") || message.starts_with("unknown field"))
        .map(|name| match path.as_str() {
            "." => name,
            // An unknown field's path already ends at it; a missing one's stops at its parent.
            p if p.ends_with(name.as_str()) => path.clone(),
            p => format!("{p}.{name}"),
        })
        .unwrap_or(path);
    ApiError::BadRequest {
        code,
        message: format!("Field `{field}`: {message}"),
        fields: BTreeMap::from([(field, FieldError::new(code, message))]),
    }
}

fn quoted_name(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}

/// Refuses, before any handler runs, a request whose path, query or header values hold
/// text that cannot be stored, naming the parameter or header.
pub async fn refuse_unstorable(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    // A NUL cannot be written into a URL or a header raw, only percent-encoded.
    if req.path().contains("%00") {
        return Err(unstorable("path").into());
    }
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    if let Some((key, _)) = query
        .iter()
        .find(|(key, value)| !storable(key) || !storable(value))
    {
        return Err(unstorable(&key.replace('\0', "\\0")).into());
    }
    if let Some((name, _)) = req
        .headers()
        .iter()
        .find(|(_, value)| value.as_bytes().contains(&0))
    {
        return Err(unstorable(name.as_str()).into());
    }
    next.call(req).await
}

/// A query string, deserialised with the parameter at fault named, as a JSON field is.
pub struct ValidQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let pairs = form_urlencoded::parse(req.query_string().as_bytes());
        std::future::ready(
            serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(pairs))
                .map(ValidQuery)
                .map_err(|error| named(error, "invalid_query")),
        )
    }
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
    fn unstorable_text_is_named_wherever_it_is() {
        let error = parse_json::<ClientForm>(br#"{"name_zh": "a\u0000b"}"#).unwrap_err();
        assert_eq!(fields(error), vec!["name_zh"]);
        let value = serde_json::json!({"a": [{"b": "ok"}, {"c": "\u{0}"}]});
        assert_eq!(unstorable_at(&value, "").as_deref(), Some("a[1].c"));
        assert!(storable("陳大文 Chan"));
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
