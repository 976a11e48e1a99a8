//! Theme tagging: a note carries a theme when a term of the theme's lexicon stands in it
//! and no negation governs that term ("否認有自殺念頭", "no signs of injury").

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::AhoCorasick;
use common::language::ThemeTag;
use ferrous_opencc::OpenCC;

use super::{Language, Positions};

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
/// Words that end a sentence: the reach of a combination.
const SENTENCE_ENDS: &[&str] = &["。", ".", "！", "!", "？", "?", "\n", "；", ";"];
/// Words that end a clause, and with it a negation's reach.
const CLAUSE_BREAKS: &[&str] = &[
    "，", ",", "。", ".", "；", ";", "！", "!", "？", "?", "：", ":", "\n", "但", "但係", "但是",
    "不過", "可是", "然而", "卻", "however", "but", "although", "though", "yet", "while",
];

struct Term {
    /// The theme or word group (`~partner`) it belongs to.
    group: usize,
    /// Folded, lower case, without spaces: matched against the note's words run together.
    text: String,
    /// Whether the last word may go on ("suicid*" for suicide, suicidal).
    prefix: bool,
}

/// A theme raised by words of several groups in one sentence: violence and a partner make
/// spouse battering, a quarrel and a child a parent-child conflict.
struct Combination {
    theme: usize,
    groups: Vec<usize>,
}

pub struct Lexicon {
    /// Themes, and word groups named `~...` that raise no theme of their own.
    groups: Vec<String>,
    /// Terms matched word by word: English, and Chinese of one character.
    terms: Vec<Term>,
    by_first: HashMap<char, Vec<usize>>,
    /// Chinese terms of two characters or more, matched wherever they stand.
    chinese: Vec<Term>,
    chinese_matcher: AhoCorasick,
    combinations: Vec<Combination>,
    clause_negations: HashSet<String>,
    near_negations: HashSet<String>,
    after_negations: HashSet<String>,
    breaks: HashSet<String>,
    sentence_ends: HashSet<String>,
}

/// Folded and lower case, as the note's words are compared.
fn normal(folding: &OpenCC, word: &str) -> String {
    folding.convert(word).to_lowercase()
}

fn is_chinese(text: &str) -> bool {
    text.chars().count() >= 2 && text.chars().all(|c| !c.is_ascii())
}

impl Lexicon {
    /// Reads the lexicon's sections (`[theme]` or `[~group]`, then `zh:` words, `en:`
    /// phrases and `when:` combinations).
    pub fn parse(source: &str, folding: &OpenCC) -> Lexicon {
        let mut groups: Vec<String> = Vec::new();
        let mut terms = Vec::new();
        let mut wanted: Vec<(usize, Vec<String>)> = Vec::new();
        for line in source.lines().map(str::trim) {
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                groups.push(name.to_string());
                continue;
            }
            let group = groups.len().saturating_sub(1);
            let words: Vec<&str> = if let Some(words) = line.strip_prefix("zh:") {
                words.split_whitespace().collect()
            } else if let Some(phrases) = line.strip_prefix("en:") {
                phrases.split(',').map(str::trim).collect()
            } else if let Some(names) = line.strip_prefix("when:") {
                wanted.push((group, names.split_whitespace().map(String::from).collect()));
                continue;
            } else {
                continue;
            };
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
                    group,
                    text,
                    prefix,
                });
            }
        }
        let combinations = wanted
            .into_iter()
            .map(|(theme, names)| Combination {
                theme,
                groups: names
                    .iter()
                    .map(|name| {
                        groups.iter().position(|g| g == name).unwrap_or_else(|| {
                            panic!("the lexicon names {name} but has no [{name}]")
                        })
                    })
                    .collect(),
            })
            .collect();
        let (chinese, terms): (Vec<Term>, Vec<Term>) =
            terms.into_iter().partition(|term| is_chinese(&term.text));
        let chinese_matcher = AhoCorasick::new(chinese.iter().map(|term| &term.text))
            .expect("the Chinese terms make a matcher");
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        for (index, term) in terms.iter().enumerate() {
            if let Some(first) = term.text.chars().next() {
                by_first.entry(first).or_default().push(index);
            }
        }
        let set = |words: &[&str]| words.iter().map(|w| normal(folding, w)).collect();
        Lexicon {
            groups,
            terms,
            by_first,
            chinese,
            chinese_matcher,
            combinations,
            clause_negations: set(CLAUSE_NEGATIONS),
            near_negations: set(NEAR_NEGATIONS),
            after_negations: set(AFTER_NEGATIONS),
            breaks: set(CLAUSE_BREAKS),
            sentence_ends: set(SENTENCE_ENDS),
        }
    }

    /// The Chinese terms, for the segmenter to keep each in one piece.
    pub fn chinese_words(&self) -> impl Iterator<Item = &str> {
        self.chinese.iter().map(|term| term.text.as_str())
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
            // A Chinese negation of one character reaches only the word after it (冇自殘, but
            // not 申請唔到綜援).
            let reach = if word.text.is_ascii() { NEAR_WINDOW } else { 1 };
            if self.clause_negations.contains(&word.text)
                || (distance < reach && self.near_negations.contains(&word.text))
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

    /// Every term that stands in the note unnegated: its group, its words and its characters.
    fn found(&self, text: &str, words: &[Word]) -> Vec<Found> {
        let mut found = Vec::new();
        for first in 0..words.len() {
            let Some(candidates) = words[first]
                .text
                .chars()
                .next()
                .and_then(|c| self.by_first.get(&c))
            else {
                continue;
            };
            for term in candidates.iter().map(|&index| &self.terms[index]) {
                if let Some(end) = self.matches(term, words, first) {
                    found.push(Found {
                        group: term.group,
                        words: first..end,
                        chars: words[first].chars.start..words[end - 1].chars.end,
                    });
                }
            }
        }
        let at = Positions::of(text);
        for m in self.chinese_matcher.find_overlapping_iter(text) {
            let (start, end) = (at.char_at(m.start()), at.char_at(m.end()));
            let first = words.partition_point(|w| w.chars.end <= start);
            let last = words.partition_point(|w| w.chars.start < end);
            if first < last {
                found.push(Found {
                    group: self.chinese[m.pattern().as_usize()].group,
                    words: first..last,
                    chars: start..end,
                });
            }
        }
        found.retain(|f| !self.negated(words, f.words.clone()));
        // 申請綜援 says all that 綜援 inside it does.
        let within = |f: &Found, g: &Found| {
            f.group == g.group
                && g.chars.start <= f.chars.start
                && f.chars.end <= g.chars.end
                && f.chars != g.chars
        };
        let kept: Vec<bool> = found
            .iter()
            .map(|f| !found.iter().any(|g| within(f, g)))
            .collect();
        found
            .into_iter()
            .zip(kept)
            .filter(|(_, keep)| *keep)
            .map(|(f, _)| f)
            .collect()
    }

    /// The sentence each word is in.
    fn sentences(&self, words: &[Word]) -> Vec<usize> {
        let mut sentence = 0;
        words
            .iter()
            .map(|w| {
                if self.sentence_ends.contains(&w.text) {
                    sentence += 1;
                }
                sentence
            })
            .collect()
    }
}

struct Found {
    group: usize,
    words: Range<usize>,
    chars: Range<usize>,
}

/// A word of the note, folded and lower case, with its character positions.
struct Word {
    text: String,
    chars: Range<usize>,
}

impl Language {
    fn words(&self, text: &str) -> Vec<Word> {
        self.segmenter
            .cut(text, true)
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
        let lower = folded.folded.to_lowercase();
        // Lower case changes no character count in the scripts a note is written in; if it
        // did, the note is read as it stands.
        let text = if lower.chars().count() == folded.folded.chars().count() {
            lower
        } else {
            folded.folded.clone()
        };
        let words = self.words(&text);
        let lexicon = &self.lexicon;
        let found = lexicon.found(&text, &words);
        let said = |f: &Found| folded.original(f.chars.clone()).to_string();
        let mut raised: Vec<Vec<String>> = vec![Vec::new(); lexicon.groups.len()];
        let mut add = |group: usize, word: String| {
            if !raised[group].contains(&word) {
                raised[group].push(word);
            }
        };
        for f in &found {
            add(f.group, said(f));
        }
        let sentence = lexicon.sentences(&words);
        for combination in &lexicon.combinations {
            for first in found.iter().filter(|f| f.group == combination.groups[0]) {
                let here = sentence[first.words.start];
                let others: Option<Vec<&Found>> = combination.groups[1..]
                    .iter()
                    .map(|other| {
                        found
                            .iter()
                            .find(|f| f.group == *other && sentence[f.words.start] == here)
                    })
                    .collect();
                if let Some(others) = others {
                    add(combination.theme, said(first));
                    for other in others {
                        add(combination.theme, said(other));
                    }
                }
            }
        }
        lexicon
            .groups
            .iter()
            .zip(raised)
            .filter(|(name, words)| !name.starts_with('~') && !words.is_empty())
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
        let words = |theme: &str| {
            found
                .iter()
                .find(|(t, _)| t == theme)
                .map(|(_, w)| w.clone())
        };
        assert_eq!(words("financial"), Some(vec!["申請綜援".to_string()]));
        assert_eq!(
            words("cue:violence"),
            Some(vec!["毆打".to_string(), "打她".to_string()])
        );
        // Violence and a partner in one sentence.
        assert_eq!(
            words("spouse_battering"),
            Some(vec![
                "毆打".to_string(),
                "丈夫".to_string(),
                "打她".to_string()
            ])
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
