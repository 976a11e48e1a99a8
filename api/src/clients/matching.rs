//! Whether a client may be the person a registration form describes: a score from 0 to 1
//! and the reasons.
//!
//! Only the same HKID scores 1. Otherwise the parts given count by weight (the name half,
//! date of birth and phone a quarter each; the name's part is how alike the best pair of
//! names is, in any script), only those given count, and the result is scaled below
//! certainty. A client holding another HKID than the one typed is most likely someone
//! else: their score is halved.

use common::clients::{MatchProbe, MatchReason};

use super::names::{Comparison, Name};
use super::store::ClientRow;

const NAME_WEIGHT: f64 = 0.5;
const DATE_OF_BIRTH_WEIGHT: f64 = 0.25;
const PHONE_WEIGHT: f64 = 0.25;
/// The most a client can score without the same HKID.
const WITHOUT_HKID: f64 = 0.95;
const OTHER_HKID: f64 = 0.5;
/// A pair of names this alike is given as a reason.
const NAME_REASON: f64 = 0.5;

/// What a registration form gives, ready to score many clients against.
pub struct Probe<'a> {
    given: &'a MatchProbe,
    names: Vec<Name>,
    /// The typed HKID's keyed hash.
    hkid_hash: Option<&'a str>,
}

impl<'a> Probe<'a> {
    pub fn new(given: &'a MatchProbe, hkid_hash: Option<&'a str>) -> Probe<'a> {
        let names = [&given.name_zh, &given.name_en]
            .into_iter()
            .flatten()
            .map(|name| Name::parse(name))
            .collect();
        Probe {
            given,
            names,
            hkid_hash,
        }
    }

    /// The score of `client`, rounded to two decimals, with its reasons in a stable order.
    pub fn score(&self, client: &ClientRow) -> (f64, Vec<MatchReason>) {
        let hkid_hash = self.hkid_hash;
        let mut reasons = Vec::new();
        let same_hkid = hkid_hash.is_some() && client.hkid_hash.as_deref() == hkid_hash;
        if same_hkid {
            reasons.push(MatchReason::Hkid);
        }
        let (mut weight, mut sum) = (0.0, 0.0);
        if !self.names.is_empty() {
            let mut best = 0.0_f64;
            let mut alike = Vec::new();
            let stored = [Name::parse(&client.name_zh), Name::parse(&client.name_en)];
            for typed in &self.names {
                for stored in &stored {
                    if let Some((similarity, comparison)) = typed.compare(stored) {
                        best = best.max(similarity);
                        if similarity >= NAME_REASON {
                            alike.push(comparison);
                        }
                    }
                }
            }
            let same_script = [
                (Comparison::Chinese, MatchReason::NameZh),
                (Comparison::Romanised, MatchReason::NameEn),
            ]
            .into_iter()
            .filter(|(comparison, _)| alike.contains(comparison))
            .map(|(_, reason)| reason)
            .collect::<Vec<_>>();
            // Across scripts is the reason only when no name alike in its own script says more.
            if same_script.is_empty() && alike.contains(&Comparison::CrossScript) {
                reasons.push(MatchReason::NameCrossScript);
            }
            reasons.extend(same_script);
            weight += NAME_WEIGHT;
            sum += NAME_WEIGHT * best;
        }
        // A date estimated from an age says nothing about the day.
        if let Some(date) = self
            .given
            .date_of_birth
            .filter(|_| !client.date_of_birth_estimated)
        {
            weight += DATE_OF_BIRTH_WEIGHT;
            if date == client.date_of_birth {
                sum += DATE_OF_BIRTH_WEIGHT;
                reasons.push(MatchReason::DateOfBirth);
            }
        }
        if let Some(phone) = &self.given.phone {
            weight += PHONE_WEIGHT;
            if *phone == client.phone {
                sum += PHONE_WEIGHT;
                reasons.push(MatchReason::Phone);
            }
        }
        let score = if same_hkid {
            1.0
        } else {
            let base = if weight > 0.0 { sum / weight } else { 0.0 };
            let other_hkid = hkid_hash.is_some() && client.hkid_hash.is_some();
            base * WITHOUT_HKID * if other_hkid { OTHER_HKID } else { 1.0 }
        };
        ((score * 100.0).round() / 100.0, reasons)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn score(
        given: &MatchProbe,
        hkid_hash: Option<&str>,
        client: &ClientRow,
    ) -> (f64, Vec<MatchReason>) {
        Probe::new(given, hkid_hash).score(client)
    }
    use MatchReason::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn chan_tai_man() -> ClientRow {
        ClientRow {
            id: "c1".into(),
            centre_id: "centre".into(),
            name_zh: "陳大文".into(),
            name_en: "CHAN Tai Man".into(),
            sex: "M".into(),
            date_of_birth: date("1980-05-01"),
            date_of_birth_estimated: false,
            phone: "91234567".into(),
            district: Some("F".into()),
            hkid_masked: Some("A123***(*)".into()),
            hkid_hash: Some("hash-a".into()),
            ethnicity: None,
            preferred_language: None,
            disabilities: String::new(),
            arrived_on: None,
            school: String::new(),
            merged_into: None,
            version: 1,
            created_at: Default::default(),
            updated_at: Default::default(),
        }
    }

    fn probe() -> MatchProbe {
        MatchProbe {
            name_zh: None,
            name_en: None,
            date_of_birth: None,
            phone: None,
            hkid: None,
        }
    }

    #[test]
    fn the_same_hkid_is_certain() {
        let (score, reasons) = score(&probe(), Some("hash-a"), &chan_tai_man());
        assert_eq!((score, reasons), (1.0, vec![Hkid]));
    }

    #[test]
    fn a_name_in_another_script_is_a_likely_match() {
        let typed = MatchProbe {
            name_en: Some("Chen Da Wen".into()),
            ..probe()
        };
        assert_eq!(
            score(&typed, None, &chan_tai_man()),
            (0.95, vec![NameCrossScript])
        );
        let typed = MatchProbe {
            name_zh: Some("陳大文".into()),
            name_en: Some("CHAN, Tai-man".into()),
            ..probe()
        };
        assert_eq!(
            score(&typed, None, &chan_tai_man()),
            (0.95, vec![NameZh, NameEn])
        );
    }

    #[test]
    fn date_of_birth_and_phone_count_with_the_name() {
        let everything = MatchProbe {
            name_en: Some("Chan Tai Man".into()),
            date_of_birth: Some(date("1980-05-01")),
            phone: Some("91234567".into()),
            ..probe()
        };
        assert_eq!(
            score(&everything, None, &chan_tai_man()),
            (0.95, vec![NameEn, DateOfBirth, Phone])
        );
        let moved = MatchProbe {
            phone: Some("23456789".into()),
            ..everything.clone()
        };
        assert_eq!(
            score(&moved, None, &chan_tai_man()),
            (0.71, vec![NameEn, DateOfBirth])
        );
        // A family sharing a phone is not one person.
        let relative = MatchProbe {
            name_en: Some("Wong Siu Ming".into()),
            date_of_birth: Some(date("2010-01-01")),
            ..everything
        };
        assert_eq!(score(&relative, None, &chan_tai_man()), (0.24, vec![Phone]));
    }

    #[test]
    fn another_hkid_makes_it_unlikely() {
        let typed = MatchProbe {
            name_en: Some("Chan Tai Man".into()),
            ..probe()
        };
        assert_eq!(score(&typed, Some("hash-b"), &chan_tai_man()).0, 0.48);
        let mut without = chan_tai_man();
        without.hkid_hash = None;
        assert_eq!(score(&typed, Some("hash-b"), &without).0, 0.95);
    }

    #[test]
    fn different_names_score_nothing() {
        let typed = MatchProbe {
            name_zh: Some("黃小明".into()),
            name_en: Some("Wong Siu Ming".into()),
            ..probe()
        };
        assert_eq!(score(&typed, None, &chan_tai_man()), (0.0, vec![]));
    }
}
