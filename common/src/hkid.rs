//! Hong Kong Identity Card numbers. A valid number exists only inside this module's type;
//! outside it only the masked form (and the API's keyed hash) is ever kept.

use std::fmt;

use crate::error::FieldError;

/// A syntactically valid HKID whose check digit matches. Deliberately not `Display`,
/// `Debug`-redacted and not serialisable, so it cannot leak into logs or responses.
#[derive(Clone, PartialEq, Eq)]
pub struct Hkid {
    prefix: String,
    digits: String,
    check: char,
}

impl fmt::Debug for Hkid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hkid({})", self.masked())
    }
}

impl Hkid {
    /// Accepts `A123456(3)`, `A1234563`, `a123456 (3)` and two-letter prefixes.
    pub fn parse(raw: &str) -> Result<Hkid, FieldError> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let invalid = || {
            FieldError::new(
                "invalid_hkid",
                "HKID must look like A123456(3): one or two letters, six digits and a check digit",
            )
        };
        if !compact.is_ascii() {
            return Err(invalid());
        }
        let letters = compact
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if !(1..=2).contains(&letters) || compact.len() != letters + 7 {
            return Err(invalid());
        }
        let prefix = &compact[..letters];
        let digits = &compact[letters..letters + 6];
        let check = compact[letters + 6..].chars().next().ok_or_else(invalid)?;
        if !digits.chars().all(|c| c.is_ascii_digit()) || !(check.is_ascii_digit() || check == 'A')
        {
            return Err(invalid());
        }
        if Self::check_digit(prefix, digits) != check {
            return Err(FieldError::new(
                "hkid_check_digit",
                "HKID check digit does not match: please check the number",
            ));
        }
        Ok(Hkid {
            prefix: prefix.to_owned(),
            digits: digits.to_owned(),
            check,
        })
    }

    fn check_digit(prefix: &str, digits: &str) -> char {
        // A one-letter prefix is padded with a space, which counts as 36.
        let padded = format!("{prefix:>2}{digits}");
        let sum: u32 = padded
            .chars()
            .zip((2..=9).rev())
            .map(|(c, weight)| {
                let value = match c {
                    ' ' => 36,
                    'A'..='Z' => c as u32 - 'A' as u32 + 10,
                    _ => c.to_digit(10).unwrap_or(0),
                };
                value * weight
            })
            .sum();
        match (11 - sum % 11) % 11 {
            10 => 'A',
            n => char::from_digit(n, 10).unwrap_or('0'),
        }
    }

    /// The form kept and shown: letters and the first three digits, e.g. `A123***(*)`.
    pub fn masked(&self) -> String {
        format!("{}{}***(*)", self.prefix, &self.digits[..3])
    }

    /// The canonical form, used only as input to the API's keyed hash.
    pub fn canonical(&self) -> String {
        format!("{}{}{}", self.prefix, self.digits, self.check)
    }
}

/// Turns a search term into the masked prefix it could match, if it looks like the start
/// of an HKID (letters then up to three digits): `a12` gives `A12`.
pub fn masked_search_prefix(term: &str) -> Option<String> {
    let upper: String = term.trim().to_ascii_uppercase();
    let letters = upper
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let rest = &upper[letters..];
    let ok = (1..=2).contains(&letters)
        && !rest.is_empty()
        && rest.len() <= 3
        && rest.chars().all(|c| c.is_ascii_digit());
    ok.then_some(upper)
}

/// Whether the text holds something written like an HKID number: one or two letters, six
/// digits and, bracketed or not, a check digit (or none), standing apart from other
/// letters and digits, full-width or not. The check digit is not verified: a mistyped
/// number still points at a person.
pub fn shaped_in(text: &str) -> bool {
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c as u32 {
            // Full-width forms, as a Chinese keyboard types them.
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let at = |i: usize| chars.get(i).copied();
    let apart = |i: usize| !at(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let is_check = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == 'A' || c == 'a');
    (0..chars.len()).any(|start| {
        if start > 0 && !apart(start - 1) {
            return false;
        }
        let letters = chars[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let digits_from = start + letters;
        if !(1..=2).contains(&letters)
            || chars.len() < digits_from + 6
            || !chars[digits_from..digits_from + 6]
                .iter()
                .all(char::is_ascii_digit)
        {
            return false;
        }
        let end = digits_from + 6;
        let skip_space = |mut i: usize| {
            while at(i) == Some(' ') {
                i += 1;
            }
            i
        };
        // Bracketed: "(3)", " ( 3 )".
        let open = skip_space(end);
        if at(open) == Some('(') {
            let check = skip_space(open + 1);
            if is_check(at(check)) && at(skip_space(check + 1)) == Some(')') {
                return true;
            }
        }
        // A bare check digit, or none.
        (is_check(at(end)) && apart(end + 1)) || apart(end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_worked_example_in_every_spelling() {
        for raw in ["A123456(3)", "A1234563", "a123456 (3)", " A123456(3) "] {
            let hkid = Hkid::parse(raw).expect(raw);
            assert_eq!(hkid.canonical(), "A1234563");
            assert_eq!(hkid.masked(), "A123***(*)");
        }
    }

    #[test]
    fn rejects_a_wrong_check_digit() {
        assert_eq!(
            Hkid::parse("A123456(4)").unwrap_err().code,
            "hkid_check_digit"
        );
    }

    #[test]
    fn rejects_malformed_numbers() {
        for raw in [
            "",
            "123456(3)",
            "ABC123456(3)",
            "A12345(3)",
            "A1234567(3)",
            "A12345B(3)",
            "Ａ123456(3)",
        ] {
            assert_eq!(Hkid::parse(raw).unwrap_err().code, "invalid_hkid", "{raw}");
        }
    }

    #[test]
    fn handles_two_letter_prefixes_and_check_a() {
        // Computed by hand: prefix AB pads to no space; check digit A means 10.
        let hkid =
            Hkid::parse(&format!("AB123456({})", Hkid::check_digit("AB", "123456"))).unwrap();
        assert_eq!(hkid.masked(), "AB123***(*)");
        let with_a = (0..1_000_000)
            .map(|n| format!("{n:06}"))
            .find(|d| Hkid::check_digit("C", d) == 'A')
            .unwrap();
        assert!(Hkid::parse(&format!("C{with_a}(A)")).is_ok());
    }

    #[test]
    fn debug_never_shows_the_number() {
        let hkid = Hkid::parse("A123456(3)").unwrap();
        assert!(!format!("{hkid:?}").contains("456"));
    }

    #[test]
    fn masked_search_prefix_only_for_hkid_starts() {
        assert_eq!(masked_search_prefix("a12").as_deref(), Some("A12"));
        assert_eq!(masked_search_prefix("AB123").as_deref(), Some("AB123"));
        assert_eq!(masked_search_prefix("A1234"), None);
        assert_eq!(masked_search_prefix("Chan"), None);
        assert_eq!(masked_search_prefix("陳"), None);
    }

    #[test]
    fn an_hkid_is_found_in_text_however_written() {
        for text in [
            "個案 A123456(3) 的母親",
            "HKID a1234563 given",
            "身份證 AB123456 （9）",
            "Ａ１２３４５６（３）",
            "Y123456 (A).",
        ] {
            assert!(shaped_in(text), "{text}");
        }
        for text in [
            "Room 1234567",
            "tel 91234567",
            "ABC123456(3)",
            "A12345(3)",
            "ref A1234567890",
            "家長講座 2026",
        ] {
            assert!(!shaped_in(text), "{text}");
        }
    }
}
