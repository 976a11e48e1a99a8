//! Every failure a request can meet, and the one place it becomes an HTTP answer.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use common::error::{ErrorBody, FieldError, ValidationErrors};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: String,
        fields: BTreeMap<String, FieldError>,
    },
    #[error("some fields are not valid")]
    Validation(ValidationErrors),
    #[error("sign-in required")]
    Unauthenticated,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("too many failed sign-ins: try again in a few minutes")]
    TooManyAttempts,
    #[error("you do not have permission to do this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("this person's contact details are withheld: only the workers assigned to their sensitive case may see or change them")]
    ContactWithheld,
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    /// What the request names existed but is over (a used or expired link).
    #[error("{message}")]
    Gone { code: &'static str, message: String },
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the service is busy: try again")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            code,
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }

    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
        let mut errors = ValidationErrors::default();
        errors.add(field, code, message);
        ApiError::Validation(errors)
    }

    /// A rule of the record's state refuses the change (409), naming no field.
    pub fn conflict(code: &'static str, message: &str) -> ApiError {
        ApiError::Conflict {
            code,
            message: message.to_owned(),
            field: None,
        }
    }

    /// Someone else saved the record after the user read it: nothing is written.
    pub fn version_conflict(record: &str) -> ApiError {
        ApiError::Conflict {
            code: "version_conflict",
            message: format!(
                "Someone else saved this {record} after you opened it: reload to see their changes"
            ),
            field: None,
        }
    }

    /// The same error of a part of a larger request: its fields are named under `part`
    /// (`client.name_zh`), so the caller knows which part each belongs to.
    pub fn within(self, part: &str) -> ApiError {
        match self {
            ApiError::Validation(errors) => ApiError::Validation(errors.within(part)),
            ApiError::Conflict {
                code,
                message,
                field,
            } => ApiError::Conflict {
                code,
                message,
                field: field.map(|field| format!("{part}.{field}")),
            },
            other => other,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Gone { code, .. } => code,
            ApiError::Validation(_) => "validation_failed",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::TooManyAttempts => "too_many_attempts",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::ContactWithheld => "contact_withheld",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => ApiError::NotFound,
            // Two writers raced on a unique key: the loser should retry, not see a 500.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => ApiError::Conflict {
                code: "conflict",
                message: format!("the record changed meanwhile: {}", info.message()),
                field: None,
            },
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                ApiError::Unavailable(info.message().to_owned())
            }
            // PostgreSQL undid one of two writers that waited on each other: it may retry.
            Error::DatabaseError(_, info) if info.message().starts_with("deadlock detected") => {
                ApiError::Unavailable(info.message().to_owned())
            }
            Error::DatabaseError(_, info) if info.message().contains("database is locked") => {
                ApiError::Unavailable(info.message().to_owned())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<r2d2::Error> for ApiError {
    fn from(error: r2d2::Error) -> Self {
        ApiError::Unavailable(error.to_string())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthenticated | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Forbidden | ApiError::ContactWithheld => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Gone { .. } => StatusCode::GONE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        // Details of server-side failures go to the log, never to the client.
        match self {
            ApiError::Internal(detail) => tracing::error!(%detail, "internal error"),
            ApiError::Unavailable(detail) => tracing::warn!(%detail, "service unavailable"),
            _ => {}
        }
        let fields = match self {
            ApiError::BadRequest { fields, .. } => fields.clone(),
            ApiError::Validation(errors) => errors.0.clone(),
            ApiError::Conflict {
                code,
                message,
                field: Some(field),
            } => BTreeMap::from([(field.clone(), FieldError::new(code, message.clone()))]),
            _ => BTreeMap::new(),
        };
        let mut response = HttpResponse::build(self.status_code());
        if let ApiError::TooManyAttempts = self {
            response.insert_header(("Retry-After", "900"));
        }
        response.json(ErrorBody {
            code: self.code().to_owned(),
            message: self.to_string(),
            fields,
        })
    }
}

impl From<common::circle::Refusal> for ApiError {
    fn from(refusal: common::circle::Refusal) -> Self {
        use common::circle::Refusal;
        match refusal {
            Refusal::NotAllowed => ApiError::Forbidden,
            Refusal::Locked => ApiError::conflict(
                "thread_locked",
                "A moderator locked this thread: it takes no replies, edits, files or reactions",
            ),
            Refusal::Hidden => ApiError::conflict("post_hidden", "A moderator hid this post"),
        }
    }
}
