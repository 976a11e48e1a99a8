//! i-Hub's shelf at scale: about 2,000 resources per unit of scale, contributed by the
//! caseworkers and supervisors of each agency's centres and reviewed by a resource admin
//! of the agency, of every type and status, from the template bank's subjects
//! (`bank::HUB_THEMES`), with their versions as the workflow writes them, rated evidence,
//! files whose text is searched (plain text, kept in the file store), downloads, and the
//! readers' bookmarks and collections. Rows are those the hub's services would write;
//! drawn from a stream of their own, so the rest of the data set stays as it was.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::clients::Sex;
use common::hub::{
    EvidenceRating, Licence, ResourceContent, ResourceLanguage, ResourceStatus, ResourceType,
    Visibility,
};
use common::identity::{Role, Roles};
use diesel::prelude::*;
use rand::seq::{IteratorRandom, SliceRandom};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

use super::bank::{self, HubTheme};
use super::bulk as seeds;
use crate::db::schema::{resource_bookmarks, resource_collection_items, resource_collections};
use crate::db::{self, rows_per_statement, DbConnection};
use crate::error::ApiError;
use crate::files::FileStore;
use crate::hub::store::{FileRow, ResourceRow, VersionRow};
use crate::identity::password;
use crate::identity::store::{self as identity, NewUser};
use crate::insert_rows;

pub const RESOURCES_AT_SCALE_1: f64 = 2_000.0;

/// The stream the shelf draws from, apart from every centre's.
const STREAM: u64 = 1 << 32;

/// An agency's people, as the shelf needs them.
struct Agency {
    id: String,
    /// Its centres' caseworkers and supervisors: they contribute, bookmark and collect.
    staff: Vec<String>,
    /// Its resource admin, who reviews and rates.
    reviewer: String,
}

/// A reader and who they are: the staff of an agency.
type Reader<'a> = (&'a str, &'a str);

#[derive(Default)]
struct Shelf {
    resources: Vec<ResourceRow>,
    versions: Vec<VersionRow>,
    files: Vec<FileRow>,
    bookmarks: Vec<(String, String, NaiveDateTime)>,
    /// Id, reader, name, when made.
    collections: Vec<(String, String, String, NaiveDateTime)>,
    items: Vec<(String, String, NaiveDateTime)>,
}

/// Makes the shelf and keeps it: its files' bytes in the store first, as the hub does,
/// then its rows in one transaction. Answers how many resources it wrote.
pub fn load(
    conn: &mut DbConnection,
    files: &FileStore,
    (scale, seed): (f64, u64),
    natures: &BTreeMap<String, (String, String)>,
) -> Result<usize, ApiError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(STREAM);
    let agencies = db::transaction(conn, |conn| agencies(conn, &mut rng))?;
    let wanted = (RESOURCES_AT_SCALE_1 * scale).round() as usize;
    let shelf = make(&mut rng, &agencies, natures, wanted);
    files.put_all_blocking(
        shelf
            .files
            .iter()
            .map(|f| (f.storage_key.clone(), f.extracted_text.clone().into()))
            .collect(),
    )?;
    db::transaction(conn, |conn| write(conn, &shelf))?;
    Ok(shelf.resources.len())
}

/// Every agency with centres, its staff and its resource admin (one is added where the
/// agency has none).
fn agencies(conn: &mut DbConnection, rng: &mut ChaCha8Rng) -> Result<Vec<Agency>, ApiError> {
    // Keyed by the agency's code, not its id: ids are drawn afresh in each database, and
    // the order agencies are met in decides every draw after.
    let mut staff: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (centre_id, code, _) in seeds::centres(conn)? {
        let (_, agency_id) = identity::centre_by_code(conn, &code)?.ok_or(ApiError::NotFound)?;
        let agency_code = seeds::agency_code(conn, &agency_id)?;
        let people = staff.entry((agency_code, agency_id)).or_default();
        people.extend(
            seeds::casework_staff(conn, &centre_id)?
                .into_iter()
                .map(|(id, ..)| id),
        );
    }
    let hash =
        password::hash(super::DEMO_PASSWORD).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut admins: BTreeMap<String, String> = BTreeMap::new();
    for (user_id, agency_id) in seeds::resource_admins(conn)? {
        admins.entry(agency_id).or_insert(user_id);
    }
    let mut agencies = Vec::new();
    for ((code, agency_id), staff) in staff {
        let reviewer = match admins.remove(&agency_id) {
            Some(user_id) => user_id,
            None => {
                let sex = if rng.gen_bool(0.7) { Sex::F } else { Sex::M };
                let surname = bank::SURNAMES
                    .choose_weighted(&mut *rng, |s| s.2)
                    .expect("surnames");
                let (name_zh, name_en) = super::scale::chinese_name(rng, surname, sex, 1980);
                identity::insert_user(
                    conn,
                    &NewUser {
                        username: &format!("{}-ra", code.to_lowercase()),
                        display_name: &format!("{name_zh} {name_en}"),
                        password_hash: &hash,
                        roles: &Roles::new([Role::ResourceAdmin]),
                        agency_id: Some(&agency_id),
                        centre_id: None,
                        unit_id: None,
                    },
                )?
            }
        };
        agencies.push(Agency {
            id: agency_id,
            staff,
            reviewer,
        });
    }
    Ok(agencies)
}

/// An id whose UUIDv7 time is the row's, so ids run in the order rows were written.
fn id_at(rng: &mut ChaCha8Rng, at: NaiveDateTime) -> String {
    let mut random = [0u8; 10];
    rng.fill_bytes(&mut random);
    uuid::Builder::from_unix_timestamp_millis(at.and_utc().timestamp_millis() as u64, &random)
        .into_uuid()
        .to_string()
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 4, 1).expect("a date")
}

/// The shelf opened two years before the casework's last day.
fn days() -> i64 {
    (NaiveDate::from_ymd_opt(2022, 3, 31).expect("a date") - first_day()).num_days()
}

/// A moment of office hours (09:00 to 18:00 in Hong Kong, UTC+8), in UTC.
fn office_time(rng: &mut ChaCha8Rng, day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(1, 0, 0).expect("a time") + Duration::seconds(rng.gen_range(0..9 * 3600))
}

/// Steps of the workflow in order, from a draft to `status`.
fn path_to(status: ResourceStatus) -> &'static [ResourceStatus] {
    use ResourceStatus::*;
    const PATH: [ResourceStatus; 4] = [Submitted, Approved, Published, Archived];
    let steps = match status {
        Draft => 0,
        Submitted => 1,
        Approved => 2,
        Published => 3,
        Archived => 4,
    };
    &PATH[..steps]
}

/// A resource's words from one of the bank's subjects.
fn content(
    rng: &mut ChaCha8Rng,
    theme: &HubTheme,
    resource_type: ResourceType,
    natures: &BTreeMap<String, (String, String)>,
) -> ResourceContent {
    let (_, type_zh, type_en) = bank::HUB_TYPE_NAMES
        .iter()
        .find(|(t, ..)| *t == resource_type)
        .expect("every type named");
    let (subject_zh, subject_en) = theme.titles.choose(rng).expect("titles");
    let year = rng.gen_range(2015..=2022);
    let (summary_zh, summary_en) = theme.summaries.choose(rng).expect("summaries");
    let (topic_count, factor_count, audience_count) = (
        rng.gen_range(1..=2),
        rng.gen_range(1..=3),
        rng.gen_range(1..=2),
    );
    let mut topics: Vec<String> = theme
        .topics
        .choose_multiple(rng, topic_count)
        .filter(|code| natures.contains_key(**code))
        .map(|code| (*code).to_owned())
        .collect();
    if rng.gen_bool(0.2) {
        if let Some(other) = natures.keys().choose(rng) {
            if !topics.contains(other) {
                topics.push(other.clone());
            }
        }
    }
    let mut factors: Vec<_> = theme
        .factors
        .choose_multiple(rng, factor_count)
        .copied()
        .collect();
    factors.sort_by_key(|f| f.as_str());
    let mut audiences: Vec<_> = theme
        .audiences
        .choose_multiple(rng, audience_count)
        .copied()
        .collect();
    audiences.sort_by_key(|a| a.as_str());
    let mut languages = vec![
        ResourceLanguage::TraditionalChinese,
        ResourceLanguage::English,
    ];
    if rng.gen_bool(0.15) {
        let other = *ResourceLanguage::ALL[1..].choose(rng).expect("languages");
        if !languages.contains(&other) {
            languages.push(other);
        }
    }
    let surname = bank::SURNAMES
        .choose_weighted(&mut *rng, |s| s.2)
        .expect("surnames");
    let sex = if rng.gen_bool(0.6) { Sex::F } else { Sex::M };
    let (author_zh, author_en) = super::scale::chinese_name(rng, surname, sex, 1975);
    let title_en = format!("{subject_en} {type_en} ({year} edition)");
    let citation = match resource_type {
        ResourceType::ResearchSummary | ResourceType::EvidenceBasedProgramme => {
            format!("{author_en} ({year}). {title_en}. Hong Kong.")
        }
        _ => String::new(),
    };
    ResourceContent {
        title_zh: format!("{subject_zh}{type_zh}（{year}年版）"),
        title_en,
        summary_zh: (*summary_zh).to_owned(),
        summary_en: (*summary_en).to_owned(),
        resource_type,
        topics,
        factors,
        audiences,
        languages,
        licence: *Licence::ALL.choose(rng).expect("licences"),
        authors: format!("{author_zh}; {author_en}"),
        citation,
        link: rng
            .gen_bool(0.3)
            .then(|| format!("https://example.org/hub/{}", rng.gen_range(1000..100_000))),
        visibility: [
            (Visibility::Public, 30),
            (Visibility::AllAgencies, 55),
            (Visibility::OwnAgency, 15),
        ]
        .choose_weighted(rng, |v| v.1)
        .expect("visibilities")
        .0,
    }
}

/// A file's text: a few hundred to a few thousand characters of the subject's
/// paragraphs, each in Chinese and English.
fn file_text(rng: &mut ChaCha8Rng, theme: &HubTheme, content: &ResourceContent) -> String {
    let mut text = format!("{}\n{}\n", content.title_zh, content.title_en);
    for _ in 0..rng.gen_range(1..=8) {
        let (zh, en) = theme.paragraphs.choose(rng).expect("paragraphs");
        text.push_str(&format!("\n{zh}\n{en}\n"));
    }
    text
}

fn make(
    rng: &mut ChaCha8Rng,
    agencies: &[Agency],
    natures: &BTreeMap<String, (String, String)>,
    wanted: usize,
) -> Shelf {
    use ResourceStatus::*;
    let mut shelf = Shelf::default();
    let contributors: Vec<(usize, &str)> = agencies
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.staff.iter().map(move |s| (i, s.as_str())))
        .collect();
    let mut made = Vec::with_capacity(wanted);
    for _ in 0..wanted {
        let (agency, contributor) = *contributors.choose(rng).expect("staff");
        let agency = &agencies[agency];
        let theme = bank::HUB_THEMES.choose(rng).expect("themes");
        let resource_type = *ResourceType::ALL.choose(rng).expect("types");
        let content = content(rng, theme, resource_type, natures);
        let status = [
            (Published, 70),
            (Draft, 10),
            (Submitted, 6),
            (Approved, 5),
            (Archived, 9),
        ]
        .choose_weighted(rng, |s| s.1)
        .expect("statuses")
        .0;
        let day = first_day() + Duration::days(rng.gen_range(0..days()));
        let created = office_time(rng, day);
        made.push((agency, contributor, theme, content, status, created));
    }
    // Written in the order they were created, as the app would have.
    made.sort_by_key(|m| m.5);
    let Shelf {
        resources,
        versions,
        files,
        ..
    } = &mut shelf;
    for (agency, contributor, theme, content, status, created) in made {
        let id = id_at(rng, created);
        let mut row = ResourceRow::new(
            id.clone(),
            agency.id.clone(),
            &content,
            contributor.to_owned(),
            created,
        );
        let mut at = created;
        let words = serde_json::to_string(&content).expect("content as JSON");
        let mut version = |row: &mut ResourceRow, (change, note): (&str, String), by: &str, at| {
            row.version += 1;
            row.updated_at = at;
            versions.push(VersionRow {
                resource_id: row.id.clone(),
                version: row.version,
                status: row.status.clone(),
                evidence_rating: row.evidence_rating.clone(),
                change: change.to_owned(),
                note,
                content: words.clone(),
                changed_by: by.to_owned(),
                changed_at: at,
            });
        };
        row.version = 0;
        version(&mut row, ("created", String::new()), contributor, at);
        let mut downloads = Vec::new();
        for n in 0..[0, 1, 1, 1, 2].choose(rng).copied().unwrap_or(1) {
            at += Duration::minutes(rng.gen_range(5..600));
            let text = file_text(rng, theme, &content);
            let file_id = id_at(rng, at);
            let file_name = format!(
                "{}{}.txt",
                content.title_en.replace(['(', ')'], ""),
                if n == 0 {
                    String::new()
                } else {
                    format!(" {}", n + 1)
                }
            );
            files.push(FileRow {
                id: file_id.clone(),
                resource_id: id.clone(),
                file_name: file_name.clone(),
                media_type: "text/plain; charset=utf-8".to_owned(),
                size_bytes: text.len() as i64,
                sha256: hex::encode(Sha256::digest(text.as_bytes())),
                storage_key: format!("resources/{id}/{file_id}.txt"),
                extracted_text: text,
                downloads: 0,
                uploaded_by: contributor.to_owned(),
                uploaded_at: at,
                removed_at: None,
            });
            downloads.push(files.len() - 1);
            version(&mut row, ("file_added", file_name), contributor, at);
        }
        for step in path_to(status) {
            at += Duration::days(rng.gen_range(1..21));
            let by = match step {
                Submitted => contributor,
                _ => agency.reviewer.as_str(),
            };
            row.status = step.as_str().to_owned();
            if *step == Published {
                row.published_at = Some(at);
            }
            version(&mut row, (step.as_str(), String::new()), by, at);
            // Rated once approved: every programme and research summary, half the rest.
            let rated = *step == Approved
                && (matches!(
                    content.resource_type,
                    ResourceType::EvidenceBasedProgramme | ResourceType::ResearchSummary
                ) || rng.gen_bool(0.5));
            if rated {
                let rating = [
                    (EvidenceRating::WellSupported, 15),
                    (EvidenceRating::Supported, 25),
                    (EvidenceRating::Promising, 30),
                    (EvidenceRating::FailsToDemonstrateEffect, 5),
                    (EvidenceRating::ConcerningPractice, 2),
                    (EvidenceRating::NotAbleToBeRated, 23),
                ]
                .choose_weighted(rng, |r| r.1)
                .expect("ratings")
                .0;
                row.evidence_rating = Some(rating.as_str().to_owned());
                row.rated_by = Some(agency.reviewer.clone());
                row.rated_on = Some(at.date());
                version(&mut row, ("rated", String::new()), by, at);
            }
        }
        // Downloaded while it was published.
        if matches!(status, Published | Archived) {
            for &file in &downloads {
                let count = (rng.gen::<f64>().powi(3) * 300.0) as i64;
                files[file].downloads = count;
                row.uses += count;
            }
        }
        resources.push(row);
    }
    readers_keep(rng, agencies, &mut shelf);
    shelf
}

/// Some readers bookmark published resources they see, and some gather them into
/// collections; each counts as a use.
fn readers_keep(rng: &mut ChaCha8Rng, agencies: &[Agency], shelf: &mut Shelf) {
    let readers: Vec<Reader> = agencies
        .iter()
        .flat_map(|a| a.staff.iter().map(|s| (s.as_str(), a.id.as_str())))
        .collect();
    let published: Vec<usize> = (0..shelf.resources.len())
        .filter(|&i| shelf.resources[i].status == ResourceStatus::Published.as_str())
        .collect();
    let sees = |row: &ResourceRow, (_, agency): Reader| {
        row.visibility != Visibility::OwnAgency.as_str() || row.agency_id == agency
    };
    let mut uses = vec![0i64; shelf.resources.len()];
    let last = shelf
        .resources
        .iter()
        .filter_map(|r| r.published_at)
        .max()
        .unwrap_or_default();
    let after = |rng: &mut ChaCha8Rng, from: NaiveDateTime| {
        let span = (last - from).num_minutes().max(1);
        from + Duration::minutes(rng.gen_range(0..span) + 1)
    };
    for &i in &published {
        if !rng.gen_bool(0.3) {
            continue;
        }
        let row = &shelf.resources[i];
        let mut marked = BTreeSet::new();
        for _ in 0..rng.gen_range(1..=5) {
            let reader = *readers.choose(rng).expect("readers");
            if sees(row, reader) && marked.insert(reader.0) {
                let at = after(rng, row.published_at.expect("published"));
                shelf
                    .bookmarks
                    .push((reader.0.to_owned(), row.id.clone(), at));
                uses[i] += 1;
            }
        }
    }
    let gatherers: Vec<Reader> = readers
        .iter()
        .copied()
        .filter(|_| rng.gen_bool(0.3))
        .collect();
    for reader in gatherers {
        let count = rng.gen_range(1..=2);
        let names: Vec<&str> = bank::HUB_COLLECTIONS
            .choose_multiple(rng, count)
            .copied()
            .collect();
        for name in names {
            let day = first_day() + Duration::days(rng.gen_range(0..days()));
            let made = office_time(rng, day);
            let id = id_at(rng, made);
            let mut kept = BTreeSet::new();
            for _ in 0..rng.gen_range(3..=12) {
                let i = *published.choose(rng).expect("published resources");
                let row = &shelf.resources[i];
                if sees(row, reader) && kept.insert(i) {
                    let at = after(rng, made.max(row.published_at.expect("published")));
                    shelf.items.push((id.clone(), row.id.clone(), at));
                    uses[i] += 1;
                }
            }
            shelf
                .collections
                .push((id, reader.0.to_owned(), name.to_owned(), made));
        }
    }
    for (row, used) in shelf.resources.iter_mut().zip(uses) {
        row.uses += used;
    }
}

fn write(conn: &mut DbConnection, shelf: &Shelf) -> Result<(), ApiError> {
    use crate::db::schema::{resource_files, resource_versions, resources};
    for chunk in shelf.resources.chunks(rows_per_statement(26)) {
        insert_rows!(conn, resources::table, chunk)?;
    }
    for chunk in shelf.versions.chunks(rows_per_statement(9)) {
        insert_rows!(conn, resource_versions::table, chunk)?;
    }
    for chunk in shelf.files.chunks(rows_per_statement(12)) {
        insert_rows!(conn, resource_files::table, chunk)?;
    }
    for chunk in shelf.bookmarks.chunks(rows_per_statement(3)) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(user, resource, at)| {
                (
                    resource_bookmarks::user_id.eq(user),
                    resource_bookmarks::resource_id.eq(resource),
                    resource_bookmarks::created_at.eq(at),
                )
            })
            .collect();
        insert_rows!(conn, resource_bookmarks::table, values)?;
    }
    for chunk in shelf.collections.chunks(rows_per_statement(5)) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(id, user, name, at)| {
                (
                    resource_collections::id.eq(id),
                    resource_collections::user_id.eq(user),
                    resource_collections::name.eq(name),
                    resource_collections::created_at.eq(at),
                    resource_collections::version.eq(1i64),
                )
            })
            .collect();
        insert_rows!(conn, resource_collections::table, values)?;
    }
    for chunk in shelf.items.chunks(rows_per_statement(3)) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(collection, resource, at)| {
                (
                    resource_collection_items::collection_id.eq(collection),
                    resource_collection_items::resource_id.eq(resource),
                    resource_collection_items::added_at.eq(at),
                )
            })
            .collect();
        insert_rows!(conn, resource_collection_items::table, values)?;
    }
    Ok(())
}
