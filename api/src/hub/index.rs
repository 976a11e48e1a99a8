//! The hub's search, in memory: every resource's words as tokens, ranked by BM25, with
//! what the visibility rule and the facets need beside them. The shelf is small (thousands
//! of resources, not millions of notes), so one index read from the database at first use
//! and kept current by every write answers a search without a query. Chinese is cut into
//! characters and pairs of characters, folded to Simplified so either script finds the
//! other; English into words, stemmed ("parenting" finds "parents").

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, LazyLock, RwLock};

use chrono::NaiveDateTime;
use common::hub::{
    Audience, EvidenceRating, FacetCount, FacetFilter, Facets, Reader, ResourceHit,
    ResourceLanguage, ResourceSort, ResourceStatus, ResourceType, Shelved, Visibility,
};
use rust_stemmers::{Algorithm, Stemmer};

use super::store::{self, ResourceRow};
use crate::db::{utc, DbConnection};
use crate::error::ApiError;

/// How much a word counts by where it stands.
const TITLE_WEIGHT: f32 = 3.0;
const SUMMARY_WEIGHT: f32 = 1.5;
const BODY_WEIGHT: f32 = 1.0;
const K1: f32 = 1.2;
const B: f32 = 0.75;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Full-width Latin letters and digits, as typed on a Chinese keyboard, read as ASCII.
fn half_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Text as search compares it: Chinese folded to Simplified (so either script finds the
/// other), full-width Latin letters and digits as ASCII, lower-cased. The circle's search
/// reads its words so folded too.
pub fn folded(text: &str) -> String {
    crate::language::language()
        .fold_text(text)
        .chars()
        .map(half_width)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text's tokens. A document's Chinese gives every character and every pair; a
/// query's gives its pairs (or the character, alone), so that the words of a query are
/// found next to each other.
fn tokens(text: &str, query: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut han: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(STEMMER.stem(word).into_owned());
            word.clear();
        }
    };
    let flush_han = |han: &mut Vec<char>, out: &mut Vec<String>| {
        if han.len() == 1 || !query {
            out.extend(han.iter().map(char::to_string));
        }
        out.extend(han.windows(2).map(|pair| pair.iter().collect::<String>()));
        han.clear();
    };
    for c in folded(text).chars() {
        if is_han(c) {
            flush_word(&mut word, &mut out);
            han.push(c);
        } else if c.is_alphanumeric() {
            flush_han(&mut han, &mut out);
            word.push(c);
        } else {
            flush_word(&mut word, &mut out);
            flush_han(&mut han, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_han(&mut han, &mut out);
    out
}

/// What the index keeps of one resource.
#[derive(Debug, Clone)]
struct Entry {
    hit: ResourceHit,
    created_by: String,
    visibility: Visibility,
    topics: Vec<String>,
    audiences: Vec<Audience>,
    languages: Vec<ResourceLanguage>,
    /// Weighted count of each token, and their sum.
    terms: HashMap<String, f32>,
    length: f32,
    version: i64,
    /// The agency and topics as the index numbers their names, so that facets are
    /// counted without comparing strings (`Index::name`).
    agency_name: Name,
    topic_names: Vec<Name>,
}

impl Entry {
    fn of(row: &ResourceRow, file_texts: &[String]) -> Result<Entry, ApiError> {
        let content = row.content()?;
        let mut terms: HashMap<String, f32> = HashMap::new();
        let mut add = |text: &str, weight: f32| {
            for token in tokens(text, false) {
                *terms.entry(token).or_default() += weight;
            }
        };
        add(&row.title_zh, TITLE_WEIGHT);
        add(&row.title_en, TITLE_WEIGHT);
        add(&row.summary_zh, SUMMARY_WEIGHT);
        add(&row.summary_en, SUMMARY_WEIGHT);
        add(&row.authors, BODY_WEIGHT);
        add(&row.citation, BODY_WEIGHT);
        for text in file_texts {
            add(text, BODY_WEIGHT);
        }
        let length = terms.values().sum();
        Ok(Entry {
            hit: hit(row)?,
            created_by: row.created_by.clone(),
            visibility: content.visibility,
            topics: content.topics,
            audiences: content.audiences,
            languages: content.languages,
            terms,
            length,
            version: row.version,
            agency_name: 0,
            topic_names: Vec::new(),
        })
    }

    fn shelved(&self) -> Shelved<'_> {
        Shelved {
            agency_id: &self.hit.agency_id,
            created_by: &self.created_by,
            status: self.hit.status,
            visibility: self.visibility,
        }
    }

    fn passes(&self, filter: &FacetFilter) -> bool {
        filter
            .resource_type
            .is_none_or(|t| t == self.hit.resource_type)
            && filter
                .topic
                .as_ref()
                .is_none_or(|t| self.topics.contains(t))
            && filter
                .evidence_rating
                .is_none_or(|r| Some(r) == self.hit.evidence_rating)
            && filter.audience.is_none_or(|a| self.audiences.contains(&a))
            && filter.language.is_none_or(|l| self.languages.contains(&l))
            && filter
                .agency
                .as_ref()
                .is_none_or(|a| *a == self.hit.agency_id)
    }
}

/// A resource as a search lists it.
pub fn hit(row: &ResourceRow) -> Result<ResourceHit, ApiError> {
    Ok(ResourceHit {
        id: row.id.clone(),
        title_zh: row.title_zh.clone(),
        title_en: row.title_en.clone(),
        summary_zh: row.summary_zh.clone(),
        summary_en: row.summary_en.clone(),
        resource_type: row.resource_type()?,
        evidence_rating: row.evidence_rating()?,
        agency_id: row.agency_id.clone(),
        status: row.status()?,
        published_at: row.published_at.map(utc),
        updated_at: utc(row.updated_at),
        uses: row.uses,
    })
}

/// A resource's place in the index: postings name resources by it, not by their ids.
type Slot = u32;
/// An agency's or topic's number among the names the index has met.
type Name = u32;

#[derive(Debug, Default)]
struct Index {
    /// The resources by slot; a removed resource's slot stays empty until reused.
    slots: Vec<Option<Entry>>,
    by_id: HashMap<String, Slot>,
    free: Vec<Slot>,
    /// Each token's resources.
    postings: HashMap<String, HashSet<Slot>>,
    total_length: f32,
    /// Agency ids and topic codes, numbered as met; few, so never forgotten.
    names: Vec<String>,
    numbered: HashMap<String, Name>,
}

impl Index {
    fn get(&self, id: &str) -> Option<&Entry> {
        let slot = *self.by_id.get(id)?;
        self.slots[slot as usize].as_ref()
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Entry> {
        let slot = *self.by_id.get(id)?;
        self.slots[slot as usize].as_mut()
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.slots.iter().flatten()
    }

    fn name(&mut self, text: &str) -> Name {
        if let Some(name) = self.numbered.get(text) {
            return *name;
        }
        let name = self.names.len() as Name;
        self.names.push(text.to_owned());
        self.numbered.insert(text.to_owned(), name);
        name
    }

    fn put(&mut self, mut entry: Entry) {
        self.remove(&entry.hit.id);
        entry.agency_name = self.name(&entry.hit.agency_id);
        entry.topic_names = entry.topics.iter().map(|t| self.name(t)).collect();
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            (self.slots.len() - 1) as Slot
        });
        for token in entry.terms.keys() {
            self.postings.entry(token.clone()).or_default().insert(slot);
        }
        self.total_length += entry.length;
        self.by_id.insert(entry.hit.id.clone(), slot);
        self.slots[slot as usize] = Some(entry);
    }

    fn remove(&mut self, id: &str) {
        let Some(slot) = self.by_id.remove(id) else {
            return;
        };
        if let Some(old) = self.slots[slot as usize].take() {
            self.total_length -= old.length;
            for token in old.terms.keys() {
                if let Some(slots) = self.postings.get_mut(token) {
                    slots.remove(&slot);
                    if slots.is_empty() {
                        self.postings.remove(token);
                    }
                }
            }
        }
        self.free.push(slot);
    }

    /// The resources holding every token of the query, with their BM25 scores.
    fn matching(&self, query: &[String]) -> Vec<(&Entry, f32)> {
        let n = self.by_id.len() as f32;
        let average = if n > 0.0 { self.total_length / n } else { 1.0 };
        let mut lists: Vec<&HashSet<Slot>> = Vec::new();
        for token in query {
            match self.postings.get(token) {
                Some(slots) => lists.push(slots),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|slots| slots.len());
        let Some((rarest, rest)) = lists.split_first() else {
            return Vec::new();
        };
        rarest
            .iter()
            .filter(|slot| rest.iter().all(|slots| slots.contains(*slot)))
            .filter_map(|slot| self.slots[*slot as usize].as_ref())
            .map(|entry| {
                let score = query
                    .iter()
                    .map(|token| {
                        let df = self.postings.get(token).map_or(0, HashSet::len) as f32;
                        let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                        let tf = entry.terms.get(token).copied().unwrap_or(0.0);
                        idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * entry.length / average))
                    })
                    .sum();
                (entry, score)
            })
            .collect()
    }

    /// The facets of these resources, each value with how many of them have it.
    fn facets<'a>(&self, entries: impl Iterator<Item = &'a Entry>) -> Facets {
        let mut types: BTreeMap<ResourceType, i64> = BTreeMap::new();
        let mut topics = vec![0; self.names.len()];
        let mut ratings: BTreeMap<EvidenceRating, i64> = BTreeMap::new();
        let mut audiences: BTreeMap<Audience, i64> = BTreeMap::new();
        let mut languages: BTreeMap<ResourceLanguage, i64> = BTreeMap::new();
        let mut agencies = vec![0; self.names.len()];
        for entry in entries {
            *types.entry(entry.hit.resource_type).or_default() += 1;
            for topic in &entry.topic_names {
                topics[*topic as usize] += 1;
            }
            if let Some(rating) = entry.hit.evidence_rating {
                *ratings.entry(rating).or_default() += 1;
            }
            for audience in &entry.audiences {
                *audiences.entry(*audience).or_default() += 1;
            }
            for language in &entry.languages {
                *languages.entry(*language).or_default() += 1;
            }
            agencies[entry.agency_name as usize] += 1;
        }
        let named = |counts: Vec<i64>| -> BTreeMap<&str, i64> {
            counts
                .into_iter()
                .enumerate()
                .filter(|(_, count)| *count > 0)
                .map(|(name, count)| (self.names[name].as_str(), count))
                .collect()
        };
        Facets {
            resource_type: counted(types, |t| t.as_str().to_owned()),
            topic: counted(named(topics), str::to_owned),
            evidence_rating: counted(ratings, |r| r.as_str().to_owned()),
            audience: counted(audiences, |a| a.as_str().to_owned()),
            language: counted(languages, |l| l.as_str().to_owned()),
            agency: counted(named(agencies), str::to_owned),
        }
    }
}

/// The search itself: which resources, in which order, and the facets of all of them.
pub struct Found {
    pub hits: Vec<ResourceHit>,
    pub total: i64,
    pub facets: Facets,
}

/// What a search asks, once valid and with its reader.
pub struct Ask<'a> {
    pub reader: &'a Reader<'a>,
    pub q: &'a str,
    pub filter: &'a FacetFilter,
    pub status: ResourceStatus,
    pub mine: bool,
    pub sort: ResourceSort,
    pub page: i64,
    pub per_page: i64,
}

fn counted<T: Ord>(counts: BTreeMap<T, i64>, code: impl Fn(T) -> String) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount {
            value: code(value),
            count,
        })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list
}

/// The hub's index, shared by every request: read from the database at its first use,
/// and kept current by [`Shelf::refresh`] after every write that changes what a search
/// sees.
#[derive(Clone, Default)]
pub struct Shelf(Arc<RwLock<Option<Index>>>);

fn poisoned<T>(_: T) -> ApiError {
    ApiError::Internal("the hub's index lock is poisoned".into())
}

fn entries_from(conn: &mut DbConnection, rows: &[ResourceRow]) -> Result<Vec<Entry>, ApiError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut texts: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for file in store::files_of(conn, chunk)? {
            texts
                .entry(file.resource_id)
                .or_default()
                .push(file.extracted_text);
        }
    }
    rows.iter()
        .map(|row| Entry::of(row, texts.get(&row.id).map_or(&[][..], Vec::as_slice)))
        .collect()
}

impl Shelf {
    /// Builds the index unless built: at the server's start, or else at the first search.
    pub fn warm(&self, conn: &mut DbConnection) -> Result<(), ApiError> {
        if self.0.read().map_err(poisoned)?.is_some() {
            return Ok(());
        }
        // Built under the write lock: a write that commits meanwhile waits to refresh,
        // and then reads what it committed.
        let mut guard = self.0.write().map_err(poisoned)?;
        if guard.is_none() {
            let rows = store::every(conn)?;
            let mut index = Index::default();
            for entry in entries_from(conn, &rows)? {
                index.put(entry);
            }
            *guard = Some(index);
        }
        Ok(())
    }

    /// Reads the resource again, after its change committed. An index not yet built
    /// will read it when it is.
    pub fn refresh(&self, conn: &mut DbConnection, id: &str) -> Result<(), ApiError> {
        let mut guard = self.0.write().map_err(poisoned)?;
        let Some(index) = guard.as_mut() else {
            return Ok(());
        };
        match store::find(conn, id)? {
            Some(row) => {
                let entry = entries_from(conn, std::slice::from_ref(&row))?
                    .pop()
                    .ok_or(ApiError::NotFound)?;
                if index.get(id).is_none_or(|old| old.version <= entry.version) {
                    index.put(entry);
                }
            }
            None => index.remove(id),
        }
        Ok(())
    }

    /// Reads again only how much the resource is used, after a download, bookmark or
    /// collection: its words are unchanged, so they are not taken apart again.
    pub fn refresh_uses(&self, conn: &mut DbConnection, id: &str) -> Result<(), ApiError> {
        let mut guard = self.0.write().map_err(poisoned)?;
        if let (Some(index), Some(uses)) = (guard.as_mut(), store::uses(conn, id)?) {
            if let Some(entry) = index.get_mut(id) {
                entry.hit.uses = uses;
            }
        }
        Ok(())
    }

    pub fn search(&self, conn: &mut DbConnection, ask: &Ask) -> Result<Found, ApiError> {
        self.warm(conn)?;
        let guard = self.0.read().map_err(poisoned)?;
        let index = guard.as_ref().ok_or(ApiError::NotFound)?;
        let query = tokens(ask.q, true);
        let candidates: Vec<(&Entry, f32)> = if query.is_empty() {
            index.entries().map(|e| (e, 0.0)).collect()
        } else {
            index.matching(&query)
        };
        let mut kept: Vec<(&Entry, f32)> = candidates
            .into_iter()
            .filter(|(entry, _)| {
                entry.hit.status == ask.status
                    && ask.reader.sees(&entry.shelved())
                    && (!ask.mine || ask.reader.standing(&entry.shelved()).contributor)
                    && entry.passes(ask.filter)
            })
            .collect();
        let facets = index.facets(kept.iter().map(|(e, _)| *e));
        let newest = |e: &Entry| -> NaiveDateTime {
            e.hit.published_at.unwrap_or(e.hit.updated_at).naive_utc()
        };
        // A total order (ids are unique), so the pages before this one's end can be
        // picked out first and only they sorted.
        let order = |(a, sa): &(&Entry, f32), (b, sb): &(&Entry, f32)| {
            let order = match ask.sort {
                ResourceSort::Relevance => sb.total_cmp(sa),
                ResourceSort::Newest => newest(b).cmp(&newest(a)),
                ResourceSort::MostUsed => b.hit.uses.cmp(&a.hit.uses),
            };
            order
                .then_with(|| newest(b).cmp(&newest(a)))
                .then_with(|| a.hit.id.cmp(&b.hit.id))
        };
        let total = kept.len() as i64;
        let skip = ((ask.page - 1) * ask.per_page) as usize;
        let end = skip.saturating_add(ask.per_page as usize);
        if end < kept.len() {
            kept.select_nth_unstable_by(end, order);
            kept.truncate(end);
        }
        kept.sort_unstable_by(order);
        let hits = kept
            .into_iter()
            .skip(skip)
            .map(|(e, _)| e.hit.clone())
            .collect();
        Ok(Found {
            hits,
            total,
            facets,
        })
    }

    /// The published resources the reader sees that share a topic with this one, best
    /// first: by topics shared, then audiences shared, then whether of the same type.
    pub fn related(
        &self,
        conn: &mut DbConnection,
        reader: &Reader,
        id: &str,
        how_many: usize,
    ) -> Result<Vec<ResourceHit>, ApiError> {
        self.warm(conn)?;
        let guard = self.0.read().map_err(poisoned)?;
        let index = guard.as_ref().ok_or(ApiError::NotFound)?;
        let Some(this) = index.get(id) else {
            return Ok(Vec::new());
        };
        let shared = |a: &[String], b: &[String]| a.iter().filter(|x| b.contains(x)).count();
        let mut near: Vec<(f32, &Entry)> = index
            .entries()
            .filter(|e| e.hit.id != id && e.hit.status == ResourceStatus::Published)
            .filter(|e| reader.sees(&e.shelved()))
            .filter_map(|e| {
                let topics = shared(&this.topics, &e.topics) as f32;
                let audiences = this
                    .audiences
                    .iter()
                    .filter(|a| e.audiences.contains(a))
                    .count() as f32;
                let kind = f32::from(u8::from(this.hit.resource_type == e.hit.resource_type));
                let score = 2.0 * topics + audiences + 0.5 * kind;
                (topics > 0.0).then_some((score, e))
            })
            .collect();
        near.sort_by(|(sa, a), (sb, b)| {
            sb.total_cmp(sa)
                .then_with(|| b.hit.uses.cmp(&a.hit.uses))
                .then_with(|| a.hit.id.cmp(&b.hit.id))
        });
        Ok(near
            .into_iter()
            .take(how_many)
            .map(|(_, e)| e.hit.clone())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::tokens;

    #[test]
    fn chinese_is_cut_into_characters_and_pairs_and_english_stemmed() {
        assert_eq!(tokens("家暴", false), vec!["家", "暴", "家暴"]);
        assert_eq!(tokens("家庭暴力", true), vec!["家庭", "庭暴", "暴力"]);
        assert_eq!(tokens("暴", true), vec!["暴"]);
        assert_eq!(
            tokens("Parenting skills, ＡＢＣ", true),
            vec!["parent", "skill", "abc"]
        );
    }

    #[test]
    fn either_script_finds_the_other() {
        assert_eq!(tokens("親子溝通", true), tokens("亲子沟通", true));
    }
}
