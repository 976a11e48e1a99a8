//! "Contains" search through an index of our own, the same on both databases: every
//! searchable text is cut into grams (Chinese characters and pairs of them, since Chinese
//! has no spaces; for other words, their first two letters and every three in a row),
//! kept by kind, centre and gram: a row per gram and entity in `search_grams` for short
//! texts (client names), posting lists for long ones ([`postings`], case notes). A search
//! looks up the rarest grams of its term, then checks the candidates' text with LIKE, so
//! a result always contains the term as typed.

pub mod postings;

use std::collections::BTreeSet;

use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::schema::{centres, search_grams};
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

/// Replaces what an entity is indexed under.
pub fn replace(
    conn: &mut DbConnection,
    kind: &str,
    entity_id: &str,
    centre_id: &str,
    text: &str,
) -> QueryResult<()> {
    diesel::delete(
        search_grams::table
            .filter(search_grams::kind.eq(kind))
            .filter(search_grams::entity_id.eq(entity_id)),
    )
    .execute(conn)?;
    let rows: Vec<_> = grams(text)
        .into_iter()
        .map(|gram| {
            (
                search_grams::kind.eq(kind),
                search_grams::centre_id.eq(centre_id),
                search_grams::gram.eq(gram),
                search_grams::entity_id.eq(entity_id),
            )
        })
        .collect();
    // One row at a time: Diesel's multi-backend connection has no batch insert.
    for row in rows {
        diesel::insert_into(search_grams::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
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

/// How a term's matches are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// By its three rarest grams (repeated when it has fewer).
    Grams([String; 3]),
    /// One of its grams is nowhere: nothing matches.
    Nothing,
    /// It has no grams: only a scan can tell.
    Scan,
}

/// Picks the term's rarest grams in the centres searched: looking those up first keeps
/// the candidates few, and the LIKE check after them cheap.
pub fn lookup(
    conn: &mut DbConnection,
    kind: &str,
    centre_ids: &[String],
    term: &str,
) -> QueryResult<Lookup> {
    let wanted = query_grams(term);
    if wanted.is_empty() {
        return Ok(Lookup::Scan);
    }
    let mut counts: Vec<(String, i64)> = search_grams::table
        .filter(search_grams::kind.eq(kind))
        .filter(search_grams::centre_id.eq_any(centre_ids))
        .filter(search_grams::gram.eq_any(&wanted))
        .group_by(search_grams::gram)
        .select((search_grams::gram, count_star()))
        .load(conn)?;
    if counts.len() < wanted.len() {
        return Ok(Lookup::Nothing);
    }
    counts.sort_by_key(|(_, n)| *n);
    let pick = |i: usize| counts[i.min(counts.len() - 1)].0.clone();
    Ok(Lookup::Grams([pick(0), pick(1), pick(2)]))
}

diesel::alias!(
    search_grams as second_gram: SecondGram,
    search_grams as third_gram: ThirdGram
);

/// The entities of a kind, in the given centres, indexed under all three grams: a
/// subquery for `id IN (...)`. A macro, because Diesel's multi-backend connection needs
/// a subquery's concrete type; the inner lookups are aliases of the same table.
#[macro_export]
macro_rules! indexed_under {
    ($kind:expr, $centre_ids:expr, $grams:expr) => {{
        use $crate::db::schema::search_grams as g;
        use $crate::search::{second_gram, third_gram};
        let [first, second, third] = $grams;
        g::table
            .filter(g::kind.eq($kind))
            .filter(g::centre_id.eq_any($centre_ids.clone()))
            .filter(g::gram.eq(first))
            .filter(
                g::entity_id.eq_any(
                    second_gram
                        .filter(second_gram.field(g::kind).eq($kind))
                        .filter(second_gram.field(g::centre_id).eq_any($centre_ids.clone()))
                        .filter(second_gram.field(g::gram).eq(second))
                        .select(second_gram.field(g::entity_id)),
                ),
            )
            .filter(
                g::entity_id.eq_any(
                    third_gram
                        .filter(third_gram.field(g::kind).eq($kind))
                        .filter(third_gram.field(g::centre_id).eq_any($centre_ids.clone()))
                        .filter(third_gram.field(g::gram).eq(third))
                        .select(third_gram.field(g::entity_id)),
                ),
            )
            .select(g::entity_id)
    }};
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
    fn a_term_of_one_gram_is_told_apart() {
        for term in ["情緒", "陳", "mum", "911"] {
            assert!(is_one_gram(term), "{term}");
        }
        for term in ["情緒低落", "mother", "ho", "情緒 mum", "a-b"] {
            assert!(!is_one_gram(term), "{term}");
        }
    }
}
