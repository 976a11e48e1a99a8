//! Measures theme tagging and de-identification against a labelled set of synthetic notes
//! (`bench/nlp/*.jsonl`): precision and recall per theme, and per kind of identifier.
//!
//! An identifier counts as found when every character of it, bar spaces, is inside
//! something the detector replaces, whatever kind it took it for: what matters is that
//! it does not leak. A detection counts as right when it overlaps a labelled identifier.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use common::language::IdentifierKind;
use serde::Deserialize;

use super::Language;

/// The recall an identifier must reach: a missed HKID or phone number is a leak.
pub const IDENTIFIER_RECALL: f64 = 0.98;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledNote {
    pub id: String,
    pub language: String,
    pub text: String,
    pub themes: Vec<String>,
    pub identifiers: Vec<LabelledIdentifier>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledIdentifier {
    pub kind: IdentifierKind,
    pub text: String,
}

/// Reads every `.jsonl` file of the directory, in name order.
pub fn read_set(dir: &Path) -> Result<Vec<LabelledNote>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    let mut notes = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        for (line, json) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            notes.push(
                serde_json::from_str(json)
                    .map_err(|e| format!("{}:{}: {e}", file.display(), line + 1))?,
            );
        }
    }
    Ok(notes)
}

/// Whether a note's number is odd (`zh-003`): the half the lexicon was tuned on.
pub fn is_odd(id: &str) -> bool {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n % 2 == 1)
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Score {
    pub found: usize,
    pub missed: usize,
    pub extra: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.found, self.found + self.extra)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.found, self.found + self.missed)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

#[derive(Debug, Default)]
pub struct Evaluation {
    pub notes: usize,
    pub themes: BTreeMap<String, Score>,
    pub identifiers: BTreeMap<IdentifierKind, Score>,
    /// What was missed, for whoever tunes the lexicon or the patterns: note id and words.
    pub misses: Vec<(String, String)>,
}

impl Evaluation {
    pub fn themes_total(&self) -> Score {
        self.themes.values().fold(Score::default(), |sum, s| Score {
            found: sum.found + s.found,
            missed: sum.missed + s.missed,
            extra: sum.extra + s.extra,
        })
    }
}

/// Where each labelled identifier stands in the note, taking repeated ones in turn.
fn positions(note: &LabelledNote) -> Vec<(IdentifierKind, Range<usize>)> {
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    note.identifiers
        .iter()
        .filter_map(|gold| {
            let from = used.get(gold.text.as_str()).copied().unwrap_or(0);
            let byte = from + note.text[from..].find(&gold.text)?;
            used.insert(&gold.text, byte + gold.text.len());
            let start = note.text[..byte].chars().count();
            Some((gold.kind, start..start + gold.text.chars().count()))
        })
        .collect()
}

pub fn evaluate(language: &Language, notes: &[LabelledNote]) -> Evaluation {
    let mut evaluation = Evaluation {
        notes: notes.len(),
        ..Evaluation::default()
    };
    for note in notes {
        let tagged: Vec<String> = language
            .themes(&note.text)
            .into_iter()
            .map(|t| t.theme)
            .collect();
        for theme in &note.themes {
            let score = evaluation.themes.entry(theme.clone()).or_default();
            if tagged.contains(theme) {
                score.found += 1;
            } else {
                score.missed += 1;
                evaluation
                    .misses
                    .push((note.id.clone(), format!("theme {theme}")));
            }
        }
        for theme in tagged.iter().filter(|t| !note.themes.contains(t)) {
            evaluation.themes.entry(theme.clone()).or_default().extra += 1;
            evaluation
                .misses
                .push((note.id.clone(), format!("extra theme {theme}")));
        }

        let found = language.identifiers(&note.text, &[]);
        let gold = positions(note);
        let chars: Vec<char> = note.text.chars().collect();
        for (kind, span) in &gold {
            let covered = span
                .clone()
                .all(|at| chars[at].is_whitespace() || found.iter().any(|f| f.chars.contains(&at)));
            let score = evaluation.identifiers.entry(*kind).or_default();
            if covered {
                score.found += 1;
            } else {
                score.missed += 1;
                let text: String = chars[span.clone()].iter().collect();
                evaluation
                    .misses
                    .push((note.id.clone(), format!("{} {text}", kind.as_str())));
            }
        }
        for f in &found {
            let overlaps = gold
                .iter()
                .any(|(_, span)| span.start < f.chars.end && f.chars.start < span.end);
            if !overlaps {
                evaluation.identifiers.entry(f.kind).or_default().extra += 1;
                let text: String = chars[f.chars.clone()].iter().collect();
                evaluation
                    .misses
                    .push((note.id.clone(), format!("extra {} {text}", f.kind.as_str())));
            }
        }
    }
    evaluation
}

/// One table of scores, under its heading.
fn table<'a>(
    f: &mut fmt::Formatter<'_>,
    heading: &str,
    rows: impl Iterator<Item = (&'a str, &'a Score)>,
) -> fmt::Result {
    writeln!(
        f,
        "{heading:<26} {:>5} {:>5} {:>5} {:>9} {:>7}",
        "found", "miss", "extra", "precision", "recall"
    )?;
    for (name, s) in rows {
        writeln!(
            f,
            "{name:<26} {:>5} {:>5} {:>5} {:>9.3} {:>7.3}",
            s.found,
            s.missed,
            s.extra,
            s.precision(),
            s.recall()
        )?;
    }
    Ok(())
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} notes", self.notes)?;
        let total = self.themes_total();
        let themes = self.themes.iter().map(|(name, s)| (name.as_str(), s));
        table(f, "theme", themes.chain([("all themes", &total)]))?;
        writeln!(f)?;
        let kinds = self.identifiers.iter().map(|(kind, s)| (kind.as_str(), s));
        table(f, "identifier", kinds)
    }
}
#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::language::language;

    #[test]
    fn the_labelled_set_is_read_as_well_as_measured() {
        let set = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/nlp");
        let notes = read_set(&set).expect("the labelled set reads");
        assert!(notes.len() >= 300, "{} notes", notes.len());
        let result = evaluate(language(), &notes);
        println!("{result}");
        let recall = |kind| result.identifiers[&kind].recall();
        for kind in [
            IdentifierKind::Hkid,
            IdentifierKind::Phone,
            IdentifierKind::DateOfBirth,
        ] {
            assert!(recall(kind) >= IDENTIFIER_RECALL, "{kind:?}\n{result}");
        }
        // Floors at what was measured when the tagger landed, below the targets (0.98 for
        // every identifier, 0.8 for themes) that are still to be met: no change may lose
        // ground.
        assert!(recall(IdentifierKind::Name) >= 0.92, "{result}");
        assert!(recall(IdentifierKind::Address) >= 0.96, "{result}");
        assert!(recall(IdentifierKind::School) >= 0.8, "{result}");
        let themes = result.themes_total();
        assert!(
            themes.precision() >= 0.77 && themes.recall() >= 0.78,
            "{result}"
        );
    }
}
