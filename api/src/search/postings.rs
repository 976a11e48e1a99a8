//! Posting lists, for kinds whose texts are long (a case note has hundreds of grams): a
//! row per gram and entity would be hundreds of millions of rows at scale. An entity of
//! such a kind has a sequence number; each (kind, centre, gram) keeps the numbers of the
//! entities indexed under it, ascending, in chunks keyed by their first number, the rest
//! stored as gaps in LEB128 varints (a dense list costs a byte an entry). What the app
//! writes goes in one-entry chunks; a bulk load writes full ones.
//!
//! The lists are exact: an entity is under a gram of a centre exactly while its text has
//! the gram and it is searched in the centre. Writers of a kind take its
//! `search_sequences` row first, so no two rewrite a chunk at once.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::db::schema::{search_postings, search_sequences};
use crate::db::{self, one_of, rows_per_statement, DbConnection};
use crate::insert_rows;
use crate::kept::Kept;

/// Entries of a full chunk: a few kilobytes, rewritten whole when an entry leaves it.
pub const CHUNK: usize = 2048;

/// Appends `seqs` (ascending, the first left out) as gaps.
pub fn encode(seqs: &[i64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(seqs.len());
    for pair in seqs.windows(2) {
        let mut gap = (pair[1] - pair[0]) as u64;
        loop {
            let byte = (gap & 0x7f) as u8;
            gap >>= 7;
            if gap == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

/// The numbers of a chunk, appended to `out`.
pub fn decode(first: i64, gaps: &[u8], out: &mut Vec<i64>) {
    out.push(first);
    let (mut current, mut gap, mut shift) = (first, 0u64, 0);
    for &byte in gaps {
        gap |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            current += gap as i64;
            out.push(current);
            (gap, shift) = (0, 0);
        } else {
            shift += 7;
        }
    }
}

/// A chunk as stored: (first number, entries, gaps).
pub type Chunk = (i64, i64, Vec<u8>);

/// A gram's numbers (ascending) cut into full chunks.
pub fn chunks(seqs: &[i64]) -> impl Iterator<Item = Chunk> + '_ {
    seqs.chunks(CHUNK)
        .map(|part| (part[0], part.len() as i64, encode(part)))
}

/// Gives out the kind's next number, and with it the right to write the kind's lists
/// until the transaction ends.
pub fn next_seq(conn: &mut DbConnection, kind: &str) -> QueryResult<i64> {
    diesel::update(search_sequences::table.find(kind))
        .set(search_sequences::last_seq.eq(search_sequences::last_seq + 1))
        .execute(conn)?;
    last_seq(conn, kind)
}

/// Takes the right to write the kind's lists until the transaction ends: an update, even
/// one that changes nothing, locks the row on PostgreSQL and the database on SQLite.
pub fn lock(conn: &mut DbConnection, kind: &str) -> QueryResult<()> {
    diesel::update(search_sequences::table.find(kind))
        .set(search_sequences::last_seq.eq(search_sequences::last_seq))
        .execute(conn)
        .map(drop)
}

/// The last number given out.
pub fn last_seq(conn: &mut DbConnection, kind: &str) -> QueryResult<i64> {
    search_sequences::table
        .find(kind)
        .select(search_sequences::last_seq)
        .first(conn)
}

/// Sets the last number given out (a bulk load numbers its entities itself).
pub fn set_last_seq(conn: &mut DbConnection, kind: &str, seq: i64) -> QueryResult<()> {
    diesel::update(search_sequences::table.find(kind))
        .set(search_sequences::last_seq.eq(seq))
        .execute(conn)
        .map(drop)
}

/// Writes chunks of a centre's lists: (gram, chunk).
pub fn insert_chunks<G: AsRef<str>>(
    conn: &mut DbConnection,
    kind: &str,
    centre_id: &str,
    chunks: &[(G, Chunk)],
) -> QueryResult<()> {
    for part in chunks.chunks(rows_per_statement(6)) {
        let rows: Vec<_> = part
            .iter()
            .map(|(gram, (first, entries, gaps))| {
                (
                    search_postings::kind.eq(kind),
                    search_postings::centre_id.eq(centre_id),
                    search_postings::gram.eq(gram.as_ref()),
                    search_postings::first_seq.eq(*first),
                    search_postings::entries.eq(*entries),
                    search_postings::seqs.eq(gaps.as_slice()),
                )
            })
            .collect();
        insert_rows!(conn, search_postings::table, rows)?;
    }
    Ok(())
}

/// Puts an entity under grams of a centre it is not yet under there.
pub fn post(
    conn: &mut DbConnection,
    kind: &str,
    centre_id: &str,
    seq: i64,
    grams: &BTreeSet<String>,
) -> QueryResult<()> {
    let chunks: Vec<(&str, Chunk)> = grams
        .iter()
        .map(|gram| (gram.as_str(), (seq, 1, Vec::new())))
        .collect();
    insert_chunks(conn, kind, centre_id, &chunks)
}

/// Takes an entity from under grams of a centre.
pub fn unpost(
    conn: &mut DbConnection,
    kind: &str,
    centre_id: &str,
    seq: i64,
    grams: &BTreeSet<String>,
) -> QueryResult<()> {
    let of_centre = search_postings::kind
        .eq(kind.to_owned())
        .and(search_postings::centre_id.eq(centre_id.to_owned()));
    // Where the entity has a chunk of its own (all that the app wrote), one statement.
    let alone = search_postings::first_seq
        .eq(seq)
        .and(search_postings::entries.eq(1));
    let in_chunks: Vec<&String> = if grams.is_empty() {
        Vec::new()
    } else {
        let own: BTreeSet<String> = search_postings::table
            .filter(of_centre.clone())
            .filter(search_postings::gram.eq_any(grams))
            .filter(alone)
            .select(search_postings::gram)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        diesel::delete(
            search_postings::table
                .filter(of_centre.clone())
                .filter(search_postings::gram.eq_any(&own))
                .filter(alone),
        )
        .execute(conn)?;
        grams.iter().filter(|g| !own.contains(*g)).collect()
    };
    // In a full chunk: the chunk is written again without it.
    for gram in in_chunks {
        let found: Option<(i64, Vec<u8>)> = search_postings::table
            .filter(of_centre.clone())
            .filter(search_postings::gram.eq(gram))
            .filter(search_postings::first_seq.le(seq))
            .order(search_postings::first_seq.desc())
            .select((search_postings::first_seq, search_postings::seqs))
            .first(conn)
            .optional()?;
        let Some((first, gaps)) = found else { continue };
        let mut seqs = Vec::new();
        decode(first, &gaps, &mut seqs);
        let Ok(at) = seqs.binary_search(&seq) else {
            continue;
        };
        seqs.remove(at);
        diesel::delete(
            search_postings::table
                .filter(of_centre.clone())
                .filter(search_postings::gram.eq(gram))
                .filter(search_postings::first_seq.eq(first)),
        )
        .execute(conn)?;
        if !seqs.is_empty() {
            let rest: Vec<(&str, Chunk)> = chunks(&seqs).map(|c| (gram.as_str(), c)).collect();
            insert_chunks(conn, kind, centre_id, &rest)?;
        }
    }
    Ok(())
}

/// How many entities of the centres each of the grams has; a gram under none is absent.
pub fn counts(
    conn: &mut DbConnection,
    kind: &str,
    centre_ids: &[String],
    grams: &[String],
) -> QueryResult<Vec<(String, i64)>> {
    let rows: Vec<(String, i64)> = search_postings::table
        .filter(search_postings::kind.eq(kind))
        .filter(one_of(search_postings::centre_id, centre_ids))
        .filter(one_of(search_postings::gram, grams))
        .select((search_postings::gram, search_postings::entries))
        .load(conn)?;
    let mut counts: Vec<(String, i64)> = Vec::new();
    for (gram, entries) in rows {
        match counts.iter_mut().find(|(g, _)| *g == gram) {
            Some((_, n)) => *n += entries,
            None => counts.push((gram, entries)),
        }
    }
    Ok(counts)
}

/// Lists as last read, by kind, centres and gram, while no transaction of this process has
/// ended since (so none of its writes can be missing) and for at most [`LIST_RECHECK`]:
/// searches read the same few lists many times between two writes.
#[derive(Clone, Default)]
pub struct KeptLists(Kept<ListKey, KeptList, 256>);

type ListKey = (String, Vec<String>, String);

#[derive(Clone)]
struct KeptList {
    seqs: Arc<[i64]>,
    read_at: Instant,
}

/// What another process writes is found within this.
pub const LIST_RECHECK: Duration = Duration::from_secs(1);
/// Longer lists are read each time: 256 kept ones hold at most 64 MiB.
const KEPT_ENTRIES_MAX: usize = 1 << 15;

impl KeptLists {
    fn get(&self, key: &ListKey, stamp: i64) -> Option<Arc<[i64]>> {
        let found = self.0.get(key, stamp)?;
        (found.read_at.elapsed() < LIST_RECHECK).then_some(found.seqs)
    }

    fn keep(&self, key: ListKey, stamp: i64, seqs: Arc<[i64]>) {
        if seqs.len() <= KEPT_ENTRIES_MAX {
            let read_at = Instant::now();
            self.0.keep(key, stamp, KeptList { seqs, read_at });
        }
    }
}

/// The numbers under a gram in the centres, ascending.
pub fn under(
    conn: &mut DbConnection,
    kept: &KeptLists,
    kind: &str,
    centre_ids: &[String],
    gram: &str,
) -> QueryResult<Arc<[i64]>> {
    let mut lists = under_each(conn, kept, kind, centre_ids, &[gram.to_owned()])?;
    Ok(lists
        .pop()
        .map(|(_, seqs)| seqs)
        .unwrap_or_else(|| Arc::from([])))
}

/// The numbers under each of the grams in the centres, ascending: those kept, and the rest
/// read in one statement; a gram under none is absent. Inside a transaction, which may
/// have written lists not yet counted as ended, every list is read.
fn under_each(
    conn: &mut DbConnection,
    kept: &KeptLists,
    kind: &str,
    centre_ids: &[String],
    grams: &[String],
) -> QueryResult<Vec<(String, Arc<[i64]>)>> {
    let kept = (!db::in_transaction(conn)).then_some(kept);
    let stamp = db::transactions_ended();
    let key = |gram: &str| (kind.to_owned(), centre_ids.to_vec(), gram.to_owned());
    let mut lists = Vec::new();
    let mut unread = Vec::new();
    for gram in grams {
        match kept.and_then(|kept| kept.get(&key(gram), stamp)) {
            Some(seqs) => lists.push((gram.clone(), seqs)),
            None => unread.push(gram.clone()),
        }
    }
    if unread.is_empty() {
        return Ok(lists);
    }
    let rows: Vec<(String, i64, Vec<u8>)> = search_postings::table
        .filter(search_postings::kind.eq(kind))
        .filter(one_of(search_postings::centre_id, centre_ids))
        .filter(one_of(search_postings::gram, &unread))
        .select((
            search_postings::gram,
            search_postings::first_seq,
            search_postings::seqs,
        ))
        .load(conn)?;
    let mut read: Vec<(String, Vec<i64>)> = Vec::new();
    for (gram, first, gaps) in rows {
        let at = match read.iter().position(|(g, _)| *g == gram) {
            Some(at) => at,
            None => {
                read.push((gram, Vec::new()));
                read.len() - 1
            }
        };
        let seqs = &mut read[at].1;
        // A gap takes a byte at least: room for every entry, without growing as they come.
        seqs.reserve(gaps.len() + 1);
        decode(first, &gaps, seqs);
    }
    for (gram, mut seqs) in read {
        seqs.sort_unstable();
        seqs.dedup();
        let seqs: Arc<[i64]> = seqs.into();
        if let Some(kept) = kept {
            kept.keep(key(&gram), stamp, seqs.clone());
        }
        lists.push((gram, seqs));
    }
    Ok(lists)
}

/// The entities of the centres under every one of `grams` (under the `rarest` of them
/// only, when there are more), ascending; none when one of them is nowhere. `within`: the
/// only entities wanted (ascending), when the caller knows them: a worker's few thousand
/// are intersected first, rather than lists of a whole centre with each other.
pub fn under_all(
    conn: &mut DbConnection,
    kept: &KeptLists,
    kind: &str,
    centre_ids: &[String],
    grams: &[String],
    rarest: usize,
    within: Option<&[i64]>,
) -> QueryResult<Vec<i64>> {
    let narrowed = |seqs: &[i64]| match within {
        Some(wanted) => super::intersect(wanted, seqs),
        None => seqs.to_vec(),
    };
    if let [gram] = grams {
        return Ok(narrowed(&under(conn, kept, kind, centre_ids, gram)?));
    }
    if rarest >= grams.len() {
        // Every list is read: all in one statement, and none counted first.
        let mut lists = under_each(conn, kept, kind, centre_ids, grams)?;
        if lists.len() < grams.len() {
            return Ok(Vec::new());
        }
        lists.sort_by_key(|(_, seqs)| seqs.len());
        let mut lists = lists.into_iter().map(|(_, seqs)| seqs);
        let mut found = narrowed(&lists.next().unwrap_or_else(|| Arc::from([])));
        for seqs in lists {
            if found.is_empty() {
                break;
            }
            found = super::intersect(&found, &seqs);
        }
        return Ok(found);
    }
    let mut counts = counts(conn, kind, centre_ids, grams)?;
    if counts.len() < grams.len() {
        return Ok(Vec::new());
    }
    counts.sort_by_key(|(_, n)| *n);
    let mut found: Option<Vec<i64>> = None;
    for (gram, _) in counts.iter().take(rarest) {
        let seqs = under(conn, kept, kind, centre_ids, gram)?;
        found = Some(match found {
            None => narrowed(&seqs),
            Some(so_far) => super::intersect(&so_far, &seqs),
        });
        if found.as_ref().is_some_and(Vec::is_empty) {
            break;
        }
    }
    Ok(found.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_their_numbers() {
        let seqs: Vec<i64> = (0..5000)
            .map(|i| 7 + i * i % 1_000_003)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut back = Vec::new();
        for (first, entries, gaps) in chunks(&seqs) {
            let before = back.len();
            decode(first, &gaps, &mut back);
            assert_eq!(back.len() - before, entries as usize);
        }
        assert_eq!(back, seqs);
        assert_eq!(
            encode(&[5, 6, 7]).len(),
            2,
            "a dense list costs a byte an entry"
        );
        assert_eq!(encode(&[1]), Vec::<u8>::new());
    }
}
