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

/// Most characters a web address may have.
pub const LINK_MAX: usize = 2000;

/// A web address, if one is given: http or https, without spaces.
pub fn web_link(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(link) = raw.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    if link.chars().count() > LINK_MAX {
        return Err(FieldError::new(
            "too_long",
            format!("At most {LINK_MAX} characters"),
        ));
    }
    if !(link.starts_with("https://") || link.starts_with("http://"))
        || link.contains(char::is_whitespace)
    {
        return Err(FieldError::new(
            "not_a_link",
            "A link starts with https:// and has no spaces",
        ));
    }
    Ok(Some(link.to_owned()))
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

/// Most characters a file's name may have.
pub const FILE_NAME_MAX: usize = 200;

/// The name a download will carry: no folders, no control characters, not empty.
pub fn file_name(raw: &str) -> Result<String, FieldError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    required(one_line(base, FILE_NAME_MAX), "The file's name")
}

/// A short passage of `text` around the first place it holds `term`, compared as a
/// search compares (whitespace runs as one space, case aside), with `radius` characters
/// either side and "…" where it was cut; None when the text does not hold the term. An
/// empty term gives the text's beginning.
pub fn excerpt(text: &str, term: &str, radius: usize) -> Option<String> {
    let chars: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let term = term
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    // Lowercasing may lengthen a character: keep where each one starts in the lowered text.
    let mut lowered = String::new();
    let mut starts = Vec::with_capacity(chars.len() + 1);
    for c in &chars {
        starts.push(lowered.len());
        lowered.extend(c.to_lowercase());
    }
    starts.push(lowered.len());
    let (first, last) = lowered.match_indices(&term).find_map(|(at, _)| {
        let first = starts.binary_search(&at).ok()?;
        let last = starts.binary_search(&(at + term.len())).ok()?;
        Some((first, last))
    })?;
    let from = first.saturating_sub(radius);
    let to = (last + radius).min(chars.len());
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(&chars[from..to]);
    if to < chars.len() {
        out.push('…');
    }
    Some(out)
}

/// A CSV line's values, trimmed; a value in double quotes may hold a comma.
pub fn csv_values(line: &str) -> Vec<&str> {
    let mut values = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                values.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    values.push(&line[start..]);
    values
        .into_iter()
        .map(|v| v.trim().trim_matches('"').trim())
        .collect()
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

    #[test]
    fn an_excerpt_is_cut_around_the_term() {
        let note = "家訪：與母親傾談管教方法，女兒情緒較前穩定。";
        assert_eq!(excerpt(note, "情緒", 3).unwrap(), "…，女兒情緒較前穩…");
        assert_eq!(
            excerpt("Mother  was ANXIOUS\nabout school", "anxious about", 4).unwrap(),
            "…was ANXIOUS about sch…"
        );
        assert_eq!(excerpt("短句", "短句", 10).unwrap(), "短句");
        assert_eq!(excerpt(note, "", 2).unwrap(), "家訪…");
        assert_eq!(excerpt(note, "憤怒", 3), None);
    }
}
