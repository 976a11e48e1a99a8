//! "Contains" search through an index of our own, the same on both databases, kept in
//! posting lists ([`postings`]) by kind, centre and gram. Chinese has no spaces, so a
//! text is cut into grams: a note's into Chinese characters and pairs of them and, for
//! other words, their first two letters and every three in a row ([`each_gram`]); a
//! name, short, into every part of each of its words ([`each_name_gram`]), so that a term
//! within one word is a list of exactly its matches. Otherwise a search looks up its
//! term's grams, then checks the candidates' text with LIKE, so a result always contains
//! the term as typed.

pub mod postings;

use std::collections::BTreeSet;

use diesel::prelude::*;

use crate::db::schema::centres;
use crate::db::DbConnection;
use crate::identity::Centres;

/// Han characters (the CJK blocks a name or a note uses).
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Runs of Han characters, and runs of other letters and digits, lowercased.
fn runs(text: &str) -> Vec<(bool, Vec<char>)> {
    let mut runs: Vec<(bool, Vec<char>)> = Vec::new();
    let mut current: Option<(bool, Vec<char>)> = None;
    for c in text.chars().flat_map(char::to_lowercase) {
        let kind = if is_han(c) {
            Some(true)
        } else {
            c.is_alphanumeric().then_some(false)
        };
        if let (Some(han), Some((current_han, chars))) = (kind, current.as_mut()) {
            if *current_han == han {
                chars.push(c);
                continue;
            }
        }
        runs.extend(current.take());
        current = kind.map(|han| (han, vec![c]));
    }
    runs.extend(current);
    runs
}

fn trigrams(word: &[char]) -> impl Iterator<Item = String> + '_ {
    word.windows(3).map(|w| w.iter().collect())
}

fn prefix(word: &[char]) -> String {
    std::iter::once('^')
        .chain(word.iter().take(2).copied())
        .collect()
}

/// Calls `f` with each gram a stored text is indexed under, as [`runs`] cuts it; a gram
/// may come more than once. Grams are slices of the lowercased text, so that a bulk load
/// of long texts allocates nothing per gram.
pub fn each_gram(text: &str, mut f: impl FnMut(&str)) {
    let lowered: String = text.chars().flat_map(char::to_lowercase).collect();
    let mut prefixed = String::new();
    // The current run: whether Han, and where its last three characters start.
    let mut run: Option<bool> = None;
    let mut starts = [0usize; 3];
    let mut length = 0;
    for (at, c) in lowered.char_indices() {
        let kind = if is_han(c) {
            Some(true)
        } else {
            c.is_alphanumeric().then_some(false)
        };
        if kind != run {
            length = 0;
        }
        run = kind;
        let Some(han) = kind else { continue };
        starts = [starts[1], starts[2], at];
        length += 1;
        let end = at + c.len_utf8();
        if han {
            f(&lowered[at..end]);
            if length >= 2 {
                f(&lowered[starts[1]..end]);
            }
        } else if length == 2 {
            prefixed.clear();
            prefixed.push('^');
            prefixed.push_str(&lowered[starts[1]..end]);
            f(&prefixed);
        }
        if !han && length >= 3 {
            f(&lowered[starts[0]..end]);
        }
    }
}

/// The grams a stored text is indexed under.
pub fn grams(text: &str) -> BTreeSet<String> {
    let mut grams = BTreeSet::new();
    each_gram(text, |gram| {
        if !grams.contains(gram) {
            grams.insert(gram.to_owned());
        }
    });
    grams
}

/// The longest gram of a name: every part of a word up to this long is one.
const NAME_GRAM_MAX: usize = 12;

/// Calls `f` with each gram a name is indexed under: every part of each of its words (a
/// run of Han characters, or of other letters and digits, lowercased) up to
/// [`NAME_GRAM_MAX`] characters; a gram may come more than once.
pub fn each_name_gram(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut bounds = Vec::new();
    for (_, chars) in runs(text) {
        word.clear();
        bounds.clear();
        for c in chars {
            bounds.push(word.len());
            word.push(c);
        }
        bounds.push(word.len());
        let length = bounds.len() - 1;
        for start in 0..length {
            for end in start + 1..=(start + NAME_GRAM_MAX).min(length) {
                f(&word[bounds[start]..bounds[end]]);
            }
        }
    }
}

/// The grams a name is indexed under.
pub fn name_grams(text: &str) -> BTreeSet<String> {
    let mut grams = BTreeSet::new();
    each_name_gram(text, |gram| {
        if !grams.contains(gram) {
            grams.insert(gram.to_owned());
        }
    });
    grams
}

/// The grams a (normalised) name term's matches must all have: each of its words, or a
/// longer word's first and last grams; and whether the names under them are exactly its
/// matches, as when the term is part of one word as typed. No grams when the term has no
/// word (punctuation alone).
pub fn name_query(term: &str) -> (Vec<String>, bool) {
    let words = runs(term);
    let mut grams = BTreeSet::new();
    for (_, chars) in &words {
        let length = chars.len();
        grams.insert(
            chars[..length.min(NAME_GRAM_MAX)]
                .iter()
                .collect::<String>(),
        );
        grams.insert(
            chars[length.saturating_sub(NAME_GRAM_MAX)..]
                .iter()
                .collect::<String>(),
        );
    }
    let exact = match words.as_slice() {
        [(_, chars)] => chars.len() <= NAME_GRAM_MAX && chars.iter().copied().eq(term.chars()),
        _ => false,
    };
    (grams.into_iter().collect(), exact)
}

/// The grams a term's matches must all have; none when the term has no usable part (a
/// single letter, punctuation), and then the index cannot help.
pub fn query_grams(term: &str) -> Vec<String> {
    let mut grams = BTreeSet::new();
    for (han, chars) in runs(term) {
        match (han, chars.len()) {
            (true, 1) => {
                grams.insert(chars[0].to_string());
            }
            (true, _) => grams.extend(chars.windows(2).map(|w| w.iter().collect::<String>())),
            (false, 1) => {}
            // A two-letter fragment finds the words it begins.
            (false, 2) => {
                grams.insert(prefix(&chars));
            }
            (false, _) => grams.extend(trigrams(&chars)),
        }
    }
    grams.into_iter().collect()
}

/// Whether the entities under the term's one gram are exactly those whose text holds it:
/// a Chinese character or pair, or three letters or digits.
pub fn is_one_gram(term: &str) -> bool {
    match runs(term).as_slice() {
        [(true, chars)] => chars.len() <= 2,
        [(false, chars)] => chars.len() == 3,
        _ => false,
    }
}

/// The LIKE pattern of text containing `term` (to be used with `escape('\\')`).
pub fn contains_pattern(term: &str) -> String {
    let escaped = term
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The ids of the centres a search covers.
pub fn centre_ids(conn: &mut DbConnection, centres: &Centres) -> QueryResult<Vec<String>> {
    match centres {
        Centres::One(centre_id) => Ok(vec![centre_id.clone()]),
        Centres::Agency(agency_id) => centres::table
            .filter(centres::agency_id.eq(agency_id))
            .select(centres::id)
            .load(conn),
        Centres::All => centres::table.select(centres::id).load(conn),
    }
}

/// Of the numbers found (ascending, each once), those a page shows, latest first.
pub fn page_of(found: &[i64], (page, per_page): (i64, i64)) -> Vec<i64> {
    found
        .iter()
        .rev()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .copied()
        .collect()
}

/// The numbers in both ascending lists (each number once in each). Each number of the
/// shorter is looked for in what is left of the longer after the last one found, galloping
/// ahead first: when the lists are alike in length the next is near, and a search of all
/// that is left cost more than the lists' decoding.
pub fn intersect(a: &[i64], b: &[i64]) -> Vec<i64> {
    let (few, many) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut rest = many;
    let mut both = Vec::with_capacity(few.len());
    for &seq in few {
        let mut bound = 1;
        while bound < rest.len() && rest[bound] < seq {
            bound *= 2;
        }
        match rest[..rest.len().min(bound + 1)].binary_search(&seq) {
            Ok(at) => {
                both.push(seq);
                rest = &rest[at + 1..];
            }
            Err(at) => rest = &rest[at..],
        }
    }
    both
}

/// What [`checked`] found: the candidates kept (ascending: every one kept from the newest
/// candidate down to the oldest checked), and how many older candidates were left
/// unchecked.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Checked {
    pub kept: Vec<i64>,
    pub unchecked: usize,
}

impl Checked {
    /// Matches known without a check: every one kept.
    pub fn all(kept: Vec<i64>) -> Checked {
        Checked { kept, unchecked: 0 }
    }

    /// How many match: exactly when every candidate was checked, else at most this many.
    pub fn counted(&self) -> Counted {
        Counted {
            total: (self.kept.len() + self.unchecked) as i64,
            estimated: self.unchecked > 0,
        }
    }
}

/// How many a search found: exactly, or when `estimated`, at most `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub total: i64,
    pub estimated: bool,
}

impl Counted {
    pub fn exactly(total: i64) -> Counted {
        Counted {
            total,
            estimated: false,
        }
    }
}

/// Candidates of an index (ascending) the database checks, newest first, until `wanted`
/// are kept or none is left: a page of a broad search checks a few dozen candidates, not
/// the thousands a centre has. Batches start at twice what is wanted and double, up to
/// one statement's worth of numbers. `check` answers the newest matches of a batch, at
/// most as many as it is asked for, newest first, each with what it read of it; when it
/// answers that many, the candidates older than the last are left unchecked. Answers the
/// numbers kept and what was read of them.
pub fn checked<R, E>(
    candidates: &[i64],
    wanted: usize,
    mut check: impl FnMut(&[i64], usize) -> Result<Vec<(i64, R)>, E>,
) -> Result<(Checked, Vec<(i64, R)>), E> {
    const AT_ONCE: usize = 10_000;
    let mut batch = wanted.saturating_mul(2).clamp(64, AT_ONCE);
    let mut read = Vec::new();
    let mut end = candidates.len();
    while end > 0 && read.len() < wanted {
        let start = end.saturating_sub(batch);
        let asked = (wanted - read.len()).min(end - start);
        let found = check(&candidates[start..end], asked)?;
        end = match found.last() {
            Some(&(oldest, _)) if found.len() >= asked => {
                start + candidates[start..end].partition_point(|&seq| seq < oldest)
            }
            _ => start,
        };
        read.extend(found);
        batch = (batch * 2).min(AT_ONCE);
    }
    let mut kept: Vec<i64> = read.iter().map(|(seq, _)| *seq).collect();
    kept.sort_unstable();
    Ok((
        Checked {
            kept,
            unchecked: end,
        },
        read,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_cut_into_characters_and_pairs() {
        let grams = grams("陳大文 CHAN Tai-man");
        for gram in [
            "陳", "大", "文", "陳大", "大文", "^ch", "cha", "han", "^ta", "tai", "man", "^ma",
        ] {
            assert!(grams.contains(gram), "{gram} in {grams:?}");
        }
        assert!(!grams.contains("陳文"));
    }

    #[test]
    fn grams_are_those_of_the_runs() {
        for text in [
            "與陳大文面談，了解近況。Met CHAN Tai-man: mood settled; 情緒a平穩 x 2026年",
            "İstanbul ab 文 a1b2",
            "",
        ] {
            let mut expected = BTreeSet::new();
            for (han, chars) in runs(text) {
                if han {
                    expected.extend(chars.iter().map(char::to_string));
                    expected.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
                } else {
                    if chars.len() >= 2 {
                        expected.insert(prefix(&chars));
                    }
                    expected.extend(trigrams(&chars));
                }
            }
            assert_eq!(grams(text), expected, "{text}");
        }
    }

    #[test]
    fn a_term_asks_for_the_grams_its_matches_must_have() {
        assert_eq!(query_grams("情緒"), vec!["情緒"]);
        assert_eq!(query_grams("陳"), vec!["陳"]);
        assert_eq!(query_grams("Ho"), vec!["^ho"]);
        assert_eq!(query_grams("chan"), vec!["cha", "han"]);
        assert_eq!(query_grams("c"), Vec::<String>::new());
        assert_eq!(query_grams("情緒 anxiety").len(), 1 + 5);
    }

    #[test]
    fn a_name_is_under_every_part_of_its_words() {
        let grams = name_grams("陳大文 CHAN Tai-man");
        for gram in ["陳", "陳大文", "大文", "c", "chan", "ha", "an", "tai", "ma"] {
            assert!(grams.contains(gram), "{gram} in {grams:?}");
        }
        for gram in ["陳 ", "n t", "tai-man", "taiman"] {
            assert!(!grams.contains(gram), "{gram} in {grams:?}");
        }
        let long = name_grams("abcdefghijklmnop");
        assert!(long.contains("abcdefghijkl") && !long.contains("abcdefghijklm"));
        assert_eq!(long.len(), (1..=12).map(|n| 16 - n + 1).sum::<usize>());
    }

    #[test]
    fn a_name_term_asks_for_its_words() {
        let owned = |grams: &[&str]| grams.iter().map(|g| g.to_string()).collect::<Vec<_>>();
        assert_eq!(name_query("陳美"), (owned(&["陳美"]), true));
        assert_eq!(name_query("ho"), (owned(&["ho"]), true));
        assert_eq!(name_query("wong ka"), (owned(&["ka", "wong"]), false));
        assert_eq!(name_query("tai-man"), (owned(&["man", "tai"]), false));
        assert_eq!(name_query("chan,"), (owned(&["chan"]), false));
        assert_eq!(
            name_query("abcdefghijklmn"),
            (owned(&["abcdefghijkl", "cdefghijklmn"]), false)
        );
        assert_eq!(name_query("-"), (Vec::new(), false));
    }

    #[test]
    fn a_page_checks_the_newest_candidates_only() {
        let candidates: Vec<i64> = (1..=1000).collect();
        // The database's answer: the newest matches of the batch, at most as many as asked;
        // and what was asked of it, batch by batch (its length, and at most how many).
        let check = |wanted: usize, of: fn(i64) -> bool| {
            let mut asked = Vec::new();
            let found = checked(&candidates, wanted, |batch, at_most| {
                asked.push((batch.len(), at_most));
                let newest = batch.iter().rev().copied().filter(|&n| of(n));
                Ok::<_, ()>(newest.take(at_most).map(|n| (n, ())).collect::<Vec<_>>())
            })
            .unwrap();
            (found, asked)
        };
        let even = |n: i64| n % 2 == 0;
        let ((page, _), asked) = check(20, even);
        assert_eq!(asked, vec![(64, 20)], "one batch of the newest");
        assert_eq!(
            page.kept,
            (962..=1000).filter(|&n| even(n)).collect::<Vec<_>>()
        );
        assert_eq!(page.unchecked, 961, "older than the last match answered");
        assert_eq!(
            page.counted(),
            Counted {
                total: 20 + 961,
                estimated: true
            }
        );
        assert_eq!(page_of(&page.kept, (1, 20))[0], 1000);

        let ((deep, _), asked) = check(200, even);
        assert_eq!(asked, vec![(400, 200)], "twice what is wanted");
        assert_eq!((deep.kept.len(), deep.unchecked), (200, 601));

        let ((all, _), asked) = check(usize::MAX, even);
        assert_eq!(asked, vec![(1000, 1000)]);
        assert_eq!((all.kept.len(), all.unchecked), (500, 0));
        assert_eq!(all.counted(), Counted::exactly(500));

        let ((rare, read), asked) = check(20, |n| n % 300 == 0);
        assert_eq!(
            asked.iter().map(|(batch, _)| *batch).collect::<Vec<_>>(),
            vec![64, 128, 256, 512, 40],
            "batches double until none is left"
        );
        assert_eq!((rare.kept, rare.unchecked), (vec![300, 600, 900], 0));
        assert_eq!(read.len(), 3, "what the checks read, newest first");
        assert_eq!(read[0].0, 900);
    }

    #[test]
    fn intersecting_keeps_the_numbers_in_both() {
        assert_eq!(
            intersect(&[1, 3, 5, 7, 9], &[2, 3, 4, 9, 10, 11]),
            vec![3, 9]
        );
        assert_eq!(intersect(&[5], &[1, 2, 3]), Vec::<i64>::new());
        assert_eq!(intersect(&[], &[1]), Vec::<i64>::new());
        let many: Vec<i64> = (0..10_000).map(|n| n * 3).collect();
        let few: Vec<i64> = (0..100).map(|n| n * 301).collect();
        let expected: Vec<i64> = few.iter().copied().filter(|n| n % 3 == 0).collect();
        assert_eq!(intersect(&few, &many), expected);
        assert_eq!(intersect(&many, &few), expected);
        // Lists alike in length, and far apart, against a plain count of each number.
        let ascending = |most_apart: i64| -> Vec<i64> {
            let mut seq = 0;
            (0..3_000)
                .map(|n| {
                    seq += 1 + n * 7_919 % most_apart;
                    seq
                })
                .collect()
        };
        for (step_a, step_b) in [(2, 3), (7, 5), (1, 1000), (999, 1), (4, 4)] {
            let (a, b) = (ascending(step_a), ascending(step_b));
            let b_set: std::collections::BTreeSet<i64> = b.iter().copied().collect();
            let expected: Vec<i64> = a.iter().copied().filter(|n| b_set.contains(n)).collect();
            assert_eq!(intersect(&a, &b), expected, "steps {step_a}, {step_b}");
            assert_eq!(intersect(&b, &a), expected, "steps {step_b}, {step_a}");
        }
    }

    #[test]
    fn a_term_of_one_gram_is_told_apart() {
        for term in ["情緒", "陳", "mum", "911"] {
            assert!(is_one_gram(term), "{term}");
        }
        for term in ["情緒低落", "mother", "ho", "情緒 mum", "a-b"] {
            assert!(!is_one_gram(term), "{term}");
        }
    }
}
