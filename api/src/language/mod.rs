//! Language processing of case-note narratives, in Traditional Chinese, Cantonese and
//! English: theme tagging (`themes`) and de-identification (`identifiers`), and their
//! measurement against a labelled set (`evaluation`).
//!
//! Both read a narrative folded to Simplified characters, one for one, so that a position
//! in the folded text is the same position in what the worker wrote: the segmenter's
//! dictionary is Simplified, and a worker may type either script.

pub mod evaluation;
pub mod identifiers;
pub mod themes;

use std::ops::Range;
use std::sync::LazyLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;
use jieba_rs::Jieba;
use sha2::{Digest, Sha256};

/// Cantonese words and their counts in the Hong Kong Cantonese Corpus (see data/README.md).
const CANTONESE_WORDS: &str = include_str!("../../data/cantonese-words.txt");

/// The folding, the segmenter and the lexicon, built once: the segmenter's dictionary
/// takes a moment to load.
pub struct Language {
    folding: OpenCC,
    segmenter: Jieba,
    lexicon: themes::Lexicon,
    /// Names what the themes were tagged with: notes tagged by another are tagged again.
    lexicon_version: String,
    detector: identifiers::Detector,
}

static LANGUAGE: LazyLock<Language> = LazyLock::new(Language::build);

/// The one instance, built on first use.
pub fn language() -> &'static Language {
    &LANGUAGE
}

impl Language {
    fn build() -> Language {
        let folding = OpenCC::from_config(BuiltinConfig::Hk2s)
            .expect("the built-in Hong Kong to Simplified conversion loads");
        let mut segmenter = Jieba::new();
        for line in CANTONESE_WORDS.lines() {
            if let Some((word, count)) = line.split_once(' ') {
                let word = folding.convert(word);
                if !segmenter.has_word(&word) {
                    segmenter.add_word(&word, count.parse().ok(), None);
                }
            }
        }
        let lexicon = themes::Lexicon::parse(themes::LEXICON, &folding);
        for word in lexicon.chinese_words() {
            segmenter.add_word(word, None, None);
        }
        let detector = identifiers::Detector::new(&folding);
        let digest = Sha256::new()
            .chain_update(themes::LEXICON)
            .chain_update(CANTONESE_WORDS)
            .chain_update(env!("CARGO_PKG_VERSION"))
            .finalize();
        Language {
            folding,
            segmenter,
            lexicon,
            lexicon_version: hex::encode(&digest[..8]),
            detector,
        }
    }

    pub fn lexicon_version(&self) -> &str {
        &self.lexicon_version
    }

    /// The text in Simplified characters, so that either script reads alike.
    pub fn fold_text(&self, text: &str) -> String {
        self.folding.convert(text)
    }

    fn fold<'a>(&self, text: &'a str) -> Folded<'a> {
        Folded::new(text, |part| self.folding.convert(part))
    }
}

/// A narrative beside its Simplified folding, character for character.
struct Folded<'a> {
    original: &'a str,
    folded: String,
    /// The byte where each of the original's characters starts, and its length at the end.
    starts: Vec<usize>,
}

impl<'a> Folded<'a> {
    fn new(original: &'a str, convert: impl Fn(&str) -> String) -> Folded<'a> {
        let whole = convert(original);
        let count = original.chars().count();
        // A phrase conversion may change a phrase's length; then fold character by character.
        let folded = if whole.chars().count() == count {
            whole
        } else {
            original
                .chars()
                .map(|c| {
                    let one = convert(c.encode_utf8(&mut [0; 4]));
                    let mut one = one.chars();
                    match (one.next(), one.next()) {
                        (Some(folded), None) => folded,
                        _ => c,
                    }
                })
                .collect()
        };
        let starts = original
            .char_indices()
            .map(|(byte, _)| byte)
            .chain([original.len()])
            .collect();
        Folded {
            original,
            folded,
            starts,
        }
    }

    /// What the worker wrote at these character positions.
    fn original(&self, chars: Range<usize>) -> &'a str {
        &self.original[self.starts[chars.start]..self.starts[chars.end]]
    }
}

/// Character positions of a folded text's bytes.
pub(crate) struct Positions(Vec<usize>);

impl Positions {
    pub(crate) fn of(text: &str) -> Positions {
        Positions(
            text.char_indices()
                .map(|(byte, _)| byte)
                .chain([text.len()])
                .collect(),
        )
    }

    pub(crate) fn char_at(&self, byte: usize) -> usize {
        self.0.partition_point(|&start| start < byte)
    }

    pub(crate) fn chars(&self, bytes: Range<usize>) -> Range<usize> {
        self.char_at(bytes.start)..self.char_at(bytes.end)
    }

    /// The bytes of a range of characters.
    pub(crate) fn bytes(&self, chars: Range<usize>) -> Range<usize> {
        self.0[chars.start]..self.0[chars.end]
    }

    pub(crate) fn char_count(&self) -> usize {
        self.0.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_every_position() {
        let language = language();
        let folded = language.fold("案主話老公成日打佢，说没有钱。");
        assert_eq!(folded.folded, "案主话老公成日打佢，说没有钱。");
        assert_eq!(folded.original(2..4), "話老");
    }
}
