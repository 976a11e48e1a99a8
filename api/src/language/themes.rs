//! Theme tagging: a note carries a theme when a term of the theme's lexicon stands in it
//! and no negation governs that term ("否認有自殺念頭", "no signs of injury").

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use common::language::ThemeTag;
use ferrous_opencc::OpenCC;

use super::Language;

pub const LEXICON: &str = include_str!("../../data/themes.txt");

/// Negations that govern any term after them in their clause.
const CLAUSE_NEGATIONS: &[&str] = &[
    "否認",
    "否认",
    "並無",
    "並沒有",
    "沒有",
    "未見",
    "未有",
    "從未",
    "從來沒有",
    "未曾",
    "排除",
    "冇話",
    "denied",
    "denies",
    "deny",
    "denying",
];
/// Negations that govern only a term close after them.
const NEAR_NEGATIONS: &[&str] = &[
    "不", "唔", "冇", "無", "沒", "未", "非", "不是", "唔係", "no", "not", "never", "without",
    "nil", "none", "n't",
];
const NEAR_WINDOW: usize = 3;
/// Negations that govern a term just before them ("self-harm denied").
const AFTER_NEGATIONS: &[&str] = &["denied", "ruled", "absent", "否認", "排除"];
const AFTER_WINDOW: usize = 3;
/// Words that end a clause, and with it a negation's reach.
const CLAUSE_BREAKS: &[&str] = &[
    "，", ",", "。", ".", "；", ";", "！", "!", "？", "?", "：", ":", "\n", "但", "但係", "但是",
    "不過", "可是", "然而", "卻", "however", "but", "although", "though", "yet", "while",
];

struct Term {
    theme: usize,
    /// Folded, lower case, without spaces: matched against the note's words run together.
    text: String,
    /// Whether the last word may go on ("suicid*" for suicide, suicidal).
    prefix: bool,
}

pub struct Lexicon {
    themes: Vec<String>,
    terms: Vec<Term>,
    by_first: HashMap<char, Vec<usize>>,
    clause_negations: HashSet<String>,
    near_negations: HashSet<String>,
    after_negations: HashSet<String>,
    breaks: HashSet<String>,
}

/// Folded and lower case, as the note's words are compared.
fn normal(folding: &OpenCC, word: &str) -> String {
    folding.convert(word).to_lowercase()
}

impl Lexicon {
    /// Reads the lexicon's sections (`[theme]`, then `zh:` words and `en:` phrases).
    pub fn parse(source: &str, folding: &OpenCC) -> Lexicon {
        let mut themes = Vec::new();
        let mut terms = Vec::new();
        for line in source.lines().map(str::trim) {
            if let Some(theme) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                themes.push(theme.to_string());
                continue;
            }
            let words: Vec<&str> = if let Some(words) = line.strip_prefix("zh:") {
                words.split_whitespace().collect()
            } else if let Some(phrases) = line.strip_prefix("en:") {
                phrases.split(',').map(str::trim).collect()
            } else {
                continue;
            };
            let theme = themes.len().checked_sub(1).expect("terms follow a [theme]");
            for word in words.into_iter().filter(|w| !w.is_empty()) {
                let (word, prefix) = match word.strip_suffix('*') {
                    Some(stem) => (stem, true),
                    None => (word, false),
                };
                let text: String = normal(folding, word)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                terms.push(Term {
                    theme,
                    text,
                    prefix,
                });
            }
        }
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        for (index, term) in terms.iter().enumerate() {
            if let Some(first) = term.text.chars().next() {
                by_first.entry(first).or_default().push(index);
            }
        }
        let set = |words: &[&str]| words.iter().map(|w| normal(folding, w)).collect();
        Lexicon {
            themes,
            terms,
            by_first,
            clause_negations: set(CLAUSE_NEGATIONS),
            near_negations: set(NEAR_NEGATIONS),
            after_negations: set(AFTER_NEGATIONS),
            breaks: set(CLAUSE_BREAKS),
        }
    }

    /// The Chinese terms, for the segmenter to keep each in one piece.
    pub fn chinese_words(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .map(|term| term.text.as_str())
            .filter(|text| text.chars().all(|c| !c.is_ascii()))
    }

    /// Where the term starting at word `first` ends (one past its last word), if it does.
    fn matches(&self, term: &Term, words: &[Word], first: usize) -> Option<usize> {
        let mut rest = term.text.as_str();
        for (at, word) in words.iter().enumerate().skip(first) {
            if let Some(after) = rest.strip_prefix(word.text.as_str()) {
                rest = after;
                if rest.is_empty() {
                    return Some(at + 1);
                }
            } else if term.prefix && word.text.starts_with(rest) {
                return Some(at + 1);
            } else {
                return None;
            }
        }
        None
    }

    fn negated(&self, words: &[Word], found: Range<usize>) -> bool {
        let before = words[..found.start]
            .iter()
            .rev()
            .take_while(|w| !self.breaks.contains(&w.text));
        for (distance, word) in before.enumerate() {
            if self.clause_negations.contains(&word.text)
                || (distance < NEAR_WINDOW && self.near_negations.contains(&word.text))
            {
                return true;
            }
        }
        words[found.end..]
            .iter()
            .take_while(|w| !self.breaks.contains(&w.text))
            .take(AFTER_WINDOW)
            .any(|w| self.after_negations.contains(&w.text))
    }
}

/// A word of the note, folded and lower case, with its character positions.
struct Word {
    text: String,
    chars: Range<usize>,
}

impl Language {
    fn words(&self, folded: &str) -> Vec<Word> {
        let lower = folded.to_lowercase();
        // Lower case changes no character count for the scripts a note is written in; if it
        // did, the segmenter reads the text as it stands.
        let text = if lower.chars().count() == folded.chars().count() {
            lower
        } else {
            folded.to_string()
        };
        self.segmenter
            .cut(&text, true)
            .into_iter()
            .filter(|token| !token.word.trim().is_empty() || token.word.contains('\n'))
            .map(|token| Word {
                text: if token.word.contains('\n') {
                    "\n".into()
                } else {
                    token.word.to_string()
                },
                chars: token.start..token.end,
            })
            .collect()
    }

    /// The note's themes in the lexicon's order, each with the words that raised it.
    pub fn themes(&self, narrative: &str) -> Vec<ThemeTag> {
        let folded = self.fold(narrative);
        let words = self.words(&folded.folded);
        let lexicon = &self.lexicon;
        let mut found: Vec<Vec<String>> = vec![Vec::new(); lexicon.themes.len()];
        for first in 0..words.len() {
            let Some(candidates) = words[first]
                .text
                .chars()
                .next()
                .and_then(|c| lexicon.by_first.get(&c))
            else {
                continue;
            };
            for term in candidates.iter().map(|&index| &lexicon.terms[index]) {
                let Some(end) = lexicon.matches(term, &words, first) else {
                    continue;
                };
                if lexicon.negated(&words, first..end) {
                    continue;
                }
                let said = folded
                    .original(words[first].chars.start..words[end - 1].chars.end)
                    .to_string();
                let theme_words = &mut found[term.theme];
                if !theme_words.contains(&said) {
                    theme_words.push(said);
                }
            }
        }
        lexicon
            .themes
            .iter()
            .zip(found)
            .filter(|(_, words)| !words.is_empty())
            .map(|(theme, words)| ThemeTag {
                theme: theme.clone(),
                words,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::language::language;

    fn themes(text: &str) -> Vec<(String, Vec<String>)> {
        language()
            .themes(text)
            .into_iter()
            .map(|tag| (tag.theme, tag.words))
            .collect()
    }

    fn codes(text: &str) -> Vec<String> {
        themes(text).into_iter().map(|(theme, _)| theme).collect()
    }

    #[test]
    fn a_theme_shows_the_words_as_written() {
        let found = themes("案主表示丈夫經常毆打她，現申請綜援。");
        assert_eq!(
            found,
            [
                ("financial".to_string(), vec!["申請綜援".to_string()]),
                ("cue:violence".to_string(), vec!["毆打".to_string()])
            ]
        );
    }

    #[test]
    fn simplified_cantonese_and_english_are_read_alike() {
        assert!(codes("案主经济困难，欠下卡数").contains(&"financial".to_string()));
        assert!(codes("佢畀人追數，冇錢交租").contains(&"cue:financial_crisis".to_string()));
        assert!(codes("Client has suicidal thoughts.").contains(&"suicide_risk".to_string()));
    }

    #[test]
    fn a_negation_in_the_clause_removes_the_theme() {
        assert!(!codes("案主否認有自殺念頭。").contains(&"suicide_risk".to_string()));
        assert!(!codes("She denied any suicidal ideation.").contains(&"suicide_risk".to_string()));
        assert!(
            !codes("No signs of self-harm were observed.").contains(&"cue:self_harm".to_string())
        );
        let both = codes("Client denied suicidal ideation, but her husband hit her last night.");
        assert!(!both.contains(&"suicide_risk".to_string()), "{both:?}");
        assert!(both.contains(&"cue:violence".to_string()), "{both:?}");
    }

    #[test]
    fn a_word_is_not_matched_inside_another() {
        assert!(!codes("她打算下星期去見工。").contains(&"cue:violence".to_string()));
        assert!(!codes("The parent attended.").contains(&"housing".to_string()));
    }
}
