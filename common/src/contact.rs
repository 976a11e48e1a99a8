//! Contact details written into free text: a Hong Kong phone number or an e-mail address,
//! which point at a person as surely as an HKID does. Read as a person types them,
//! full-width forms too, so the web app warns with the same rule the server refuses by.
//!
//! What is a phone: 8 digits, the first 2, 3, 5, 6, 7, 8 or 9, written together or as
//! two fours joined by one space or hyphen, with or without +852 / 852 / (852) before
//! them. A public hotline is a phone too: the rule cannot tell one from a client's
//! mobile, so a post names the service instead. What is not: 8 digits inside a longer
//! run of digits (or joined to one by a hyphen, a slash, a point or a comma, as a
//! reference or an amount is), joined to letters, after a currency sign or followed by
//! 元 or 蚊 (an amount), two years side by side ("2023-2024", "2019 2020") and a range
//! of two times of day, the later second ("2130-2230"). With +852 before it, every
//! shape above is a phone. Digits in groups of four parted by spaces (a card's number)
//! are read group by group, so such a number is refused as a phone, which it identifies
//! as well.

/// Full-width forms, as a Chinese keyboard types them, read as ASCII.
fn half_width(text: &str) -> Vec<char> {
    text.chars()
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

const CURRENCY: [char; 4] = ['$', '¥', '£', '€'];

/// Whether the text holds a Hong Kong phone number (see the module's note).
pub fn phone_in(text: &str) -> bool {
    let chars = half_width(text);
    (0..chars.len()).any(|start| phone_at(&chars, start))
}

/// A prefix (+852, 852, (852), (+852)) at `start`, and where the number after it begins.
fn prefix(chars: &[char], start: usize) -> Option<usize> {
    let rest: String = chars[start..].iter().take(6).collect();
    let after = ["(+852)", "(852)", "+852", "852"]
        .iter()
        .find(|p| rest.starts_with(*p))
        .map(|p| start + p.len())?;
    Some(match chars.get(after) {
        Some(' ' | '-') => after + 1,
        _ => after,
    })
}

/// The 8 digits at `at`, together or as 4 and 4 parted by one space or hyphen: the two
/// halves and the index after them.
fn eight_digits(chars: &[char], at: usize) -> Option<(u32, u32, bool, usize)> {
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = chars.get(from..from + n)?;
        part.iter()
            .try_fold(0u32, |sum, c| Some(sum * 10 + c.to_digit(10)?))
    };
    let first = digits(at, 4)?;
    if !matches!(chars[at], '2' | '3' | '5'..='9') {
        return None;
    }
    if let Some(second) = digits(at + 4, 4) {
        return Some((first, second, false, at + 8));
    }
    match chars.get(at + 4) {
        Some(' ' | '-') => digits(at + 5, 4).map(|second| (first, second, true, at + 9)),
        _ => None,
    }
}

fn phone_at(chars: &[char], start: usize) -> bool {
    let at = |i: usize| chars.get(i).copied();
    let before = start.checked_sub(1).and_then(at);
    // Part of a longer number, a reference or a word.
    if before.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | ',' | '_'))
    {
        return false;
    }
    let joined_after = |end: usize| match at(end) {
        Some(c) if c.is_ascii_alphanumeric() => true,
        Some('-' | '/' | '.' | ',') => at(end + 1).is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    };
    if let Some(number) = prefix(chars, start) {
        if let Some((_, _, _, end)) = eight_digits(chars, number) {
            if !joined_after(end) {
                return true;
            }
        }
    }
    let Some((first, second, parted, end)) = eight_digits(chars, start) else {
        return false;
    };
    if joined_after(end) {
        return false;
    }
    let currency_before = match before {
        Some(' ') => start.checked_sub(2).and_then(at),
        other => other,
    }
    .is_some_and(|c| CURRENCY.contains(&c));
    let unit_after = match at(end) {
        Some(' ') => at(end + 1),
        other => other,
    }
    .is_some_and(|c| c == '元' || c == '蚊');
    let year = |n: u32| (1900..=2099).contains(&n);
    let time = |n: u32| n / 100 < 24 && n % 100 < 60;
    let years = parted && year(first) && year(second) && second >= first;
    let times = parted && time(first) && time(second) && second > first;
    !(currency_before || unit_after || years || times)
}

/// Whether the text holds an e-mail address: a local part, @ (or ＠), and a domain of at
/// least two labels whose last is two letters or more.
pub fn email_in(text: &str) -> bool {
    let chars = half_width(text);
    let local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-');
    chars.iter().enumerate().any(|(at, &c)| {
        if c != '@' || at == 0 || !local(chars[at - 1]) {
            return false;
        }
        let name: String = chars[at + 1..].iter().take_while(|&&c| domain(c)).collect();
        let labels: Vec<&str> = name.trim_end_matches('.').split('.').collect();
        labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty())
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hong_kong_phones_as_people_write_them() {
        for text in [
            "請致電 9123 4567 聯絡",
            "+852 6123-4567",
            "852-91234567",
            "(852) 2345 6789",
            "電話：51234567。",
            "mobile 9876-5432, thanks",
            "ＴＥＬ：９１２３４５６７",
            "SWD hotline 2343 2255",
            "30001234",
            "card 1234 5678 9012",
            "+85291234567",
        ] {
            assert!(phone_in(text), "{text}");
        }
    }

    #[test]
    fn years_amounts_times_and_longer_numbers_are_not_phones() {
        for text in [
            "2023-2024 年度",
            "2019 2020 兩年",
            "12345678",
            "41234567",
            "9123456",
            "9123456789",
            "acct 0123-91234567",
            "ref A91234567",
            "HK$91234567",
            "$ 9123 4567",
            "共 9123 4567 元",
            "90000000蚊",
            "1,234,567,890",
            "91234567.50",
            "晚上 2130-2230 小組",
            "2013/2014",
            "case 2024/91234567",
            "91234567-1",
        ] {
            assert!(!phone_in(text), "{text}");
        }
    }

    #[test]
    fn email_addresses() {
        for text in [
            "寫信到 chan.tai@example.com 問",
            "a_b+c@mail.hk.",
            "ｃｈａｎ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        ] {
            assert!(email_in(text), "{text}");
        }
        for text in [
            "@mention",
            "a@b",
            "user@localhost",
            "x@host.1",
            "me @ home.com",
            "2@3.45",
        ] {
            assert!(!email_in(text), "{text}");
        }
    }
}
