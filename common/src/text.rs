//! How typed text becomes stored text: one rule for every free-text field.

use crate::error::FieldError;

/// A one-line value (a name, a reason): runs of whitespace become one space.
pub fn one_line(raw: &str, max: usize) -> Result<String, FieldError> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    within(text, max)
}

/// A narrative (a summary, a note): line breaks are kept, trailing spaces and blank
/// lines at either end are not.
pub fn paragraphs(raw: &str, max: usize) -> Result<String, FieldError> {
    let text = raw
        .replace("\r\n", "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_owned();
    within(text, max)
}

fn within(text: String, max: usize) -> Result<String, FieldError> {
    if text.chars().count() > max {
        return Err(FieldError::new(
            "too_long",
            format!("At most {max} characters"),
        ));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldError::new(
            "invalid_characters",
            "Contains control characters",
        ));
    }
    Ok(text)
}

/// Text that must not be empty once cleaned.
pub fn required(text: Result<String, FieldError>, what: &str) -> Result<String, FieldError> {
    text.and_then(|t| {
        if t.is_empty() {
            Err(FieldError::new("required", format!("{what} is required")))
        } else {
            Ok(t)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_and_paragraphs() {
        assert_eq!(one_line("  陳  大文 ", 10).unwrap(), "陳 大文");
        assert_eq!(
            paragraphs("\r\nFirst line  \r\n\r\nSecond\n\n", 100).unwrap(),
            "First line\n\nSecond"
        );
        assert_eq!(one_line("abc", 2).unwrap_err().code, "too_long");
        assert_eq!(
            paragraphs("a\u{7}b", 10).unwrap_err().code,
            "invalid_characters"
        );
        assert_eq!(
            required(one_line("   ", 10), "Reason").unwrap_err().code,
            "required"
        );
    }
}
