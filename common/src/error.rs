use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What is wrong with one field, as a stable code (for translation) and an English message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub code: String,
    pub message: String,
}

/// The body of every 4xx and 5xx answer of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub fields: BTreeMap<String, FieldError>,
}

/// Field errors collected while parsing a form, so a user sees all of them at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub BTreeMap<String, FieldError>);

impl ValidationErrors {
    pub fn add(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert(FieldError {
            code: code.to_owned(),
            message: message.into(),
        });
    }

    /// The same errors of a part of a larger form, named under `part` (`client.name_zh`).
    pub fn within(self, part: &str) -> ValidationErrors {
        ValidationErrors(
            self.0
                .into_iter()
                .map(|(field, error)| (format!("{part}.{field}"), error))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps the value when it parsed, records the error under `field` when it did not.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, FieldError>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.entry(field.to_owned()).or_insert(error);
                None
            }
        }
    }

    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

impl FieldError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}
