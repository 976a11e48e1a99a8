//! Database access for the enquiry log. Every read starts from the enquiries a
//! [`RecordScope`] reaches ([`within`]).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use common::clients::Sex;
use common::enquiries::{AgeBand, Channel, Enquiry, EnquiryDetails, EnquiryFilter, EnquiryOutcome};
use common::identity::Unit;
use diesel::prelude::*;

use crate::cases::store::staff;
use crate::db::schema::{case_natures, enquiries, enquiry_topics, units};
use crate::db::{stored_code, unreadable, utc, DbConnection, MultiBackend};
use crate::identity::RecordScope;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = enquiries)]
pub struct EnquiryRow {
    pub id: String,
    pub centre_id: String,
    pub unit_id: String,
    pub received_at: NaiveDateTime,
    pub channel: String,
    pub summary: String,
    pub minutes_spent: i64,
    pub outcome: String,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub sex: Option<String>,
    pub phone: Option<String>,
    pub age_band: Option<String>,
    pub client_id: Option<String>,
    pub case_id: Option<String>,
    pub version: i64,
    pub recorded_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl EnquiryRow {
    pub fn outcome(&self) -> QueryResult<EnquiryOutcome> {
        stored_code(EnquiryOutcome::parse, "enquiries.outcome", &self.outcome)
    }
}

/// The enquiries a scope reaches: the query every read here starts from. The policy
/// gives no one a reach of their own enquiries only, but a scope that narrow would mean
/// those they recorded.
pub fn within(scope: &RecordScope) -> enquiries::BoxedQuery<'static, MultiBackend> {
    let mut query = enquiries::table.into_boxed();
    if let Some(of_centres) = scope.centres.condition(enquiries::centre_id) {
        query = query.filter(of_centres);
    }
    if let Some(owner) = &scope.owner_id {
        query = query.filter(enquiries::recorded_by.eq(owner.clone()));
    }
    query
}

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    scope: &RecordScope,
) -> QueryResult<Option<EnquiryRow>> {
    within(scope)
        .filter(enquiries::id.eq(id.to_owned()))
        .select(EnquiryRow::as_select())
        .first(conn)
        .optional()
}

/// One page of the enquiries a scope reaches, with the filters, the latest received first.
pub fn list(
    conn: &mut DbConnection,
    scope: &RecordScope,
    filter: &EnquiryFilter,
) -> QueryResult<(Vec<EnquiryRow>, i64)> {
    let filtered = || {
        let mut query = within(scope);
        if let Some(from) = filter.from {
            query = query.filter(enquiries::received_at.ge(from.naive_utc()));
        }
        if let Some(until) = filter.until {
            query = query.filter(enquiries::received_at.lt(until.naive_utc()));
        }
        if let Some(channel) = filter.channel {
            query = query.filter(enquiries::channel.eq(channel.as_str()));
        }
        if let Some(outcome) = filter.outcome {
            query = query.filter(enquiries::outcome.eq(outcome.as_str()));
        }
        match filter.promoted {
            Some(true) => query = query.filter(enquiries::case_id.is_not_null()),
            Some(false) => query = query.filter(enquiries::case_id.is_null()),
            None => {}
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((enquiries::received_at.desc(), enquiries::id.desc()))
        .limit(filter.per_page)
        .offset((filter.page - 1) * filter.per_page)
        .select(EnquiryRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// An enquiry's topics, in the taxonomy's order.
pub fn topic_codes(conn: &mut DbConnection, enquiry_id: &str) -> QueryResult<Vec<String>> {
    Ok(topics(conn, &[enquiry_id])?
        .remove(enquiry_id)
        .unwrap_or_default())
}

fn topics(
    conn: &mut DbConnection,
    enquiry_ids: &[&str],
) -> QueryResult<HashMap<String, Vec<String>>> {
    let mut topics: HashMap<String, Vec<String>> = HashMap::new();
    for (enquiry_id, code) in enquiry_topics::table
        .inner_join(case_natures::table)
        .filter(enquiry_topics::enquiry_id.eq_any(enquiry_ids))
        .order(case_natures::position)
        .select((enquiry_topics::enquiry_id, enquiry_topics::nature_code))
        .load::<(String, String)>(conn)?
    {
        topics.entry(enquiry_id).or_default().push(code);
    }
    Ok(topics)
}

/// Enquiries as the API gives them, in the order given.
pub fn enquiries(conn: &mut DbConnection, rows: Vec<EnquiryRow>) -> QueryResult<Vec<Enquiry>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut topics = topics(conn, &ids)?;
    let recorders: Vec<&str> = rows.iter().map(|r| r.recorded_by.as_str()).collect();
    let staff = staff(conn, &recorders)?;
    let unit_ids: Vec<&str> = rows.iter().map(|r| r.unit_id.as_str()).collect();
    let units: HashMap<String, String> = units::table
        .filter(units::id.eq_any(&unit_ids))
        .select((units::id, units::kind))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|row| {
            let unit = units
                .get(&row.unit_id)
                .ok_or_else(|| unreadable("enquiries.unit_id", &row.unit_id))?;
            Ok(Enquiry {
                unit: stored_code(Unit::parse, "units.kind", unit)?,
                channel: stored_code(Channel::parse, "enquiries.channel", &row.channel)?,
                outcome: row.outcome()?,
                sex: row
                    .sex
                    .as_deref()
                    .map(|sex| stored_code(Sex::parse, "enquiries.sex", sex))
                    .transpose()?,
                age_band: row
                    .age_band
                    .as_deref()
                    .map(|band| stored_code(AgeBand::parse, "enquiries.age_band", band))
                    .transpose()?,
                recorded_by: staff
                    .get(&row.recorded_by)
                    .cloned()
                    .ok_or_else(|| unreadable("enquiries.recorded_by", &row.recorded_by))?,
                topic_codes: topics.remove(&row.id).unwrap_or_default(),
                received_at: utc(row.received_at),
                created_at: utc(row.created_at),
                updated_at: utc(row.updated_at),
                id: row.id,
                centre_id: row.centre_id,
                summary: row.summary,
                minutes_spent: row.minutes_spent,
                name_zh: row.name_zh,
                name_en: row.name_en,
                phone: row.phone,
                client_id: row.client_id,
                case_id: row.case_id,
                version: row.version,
            })
        })
        .collect()
}

/// The columns recording an enquiry and editing it both write.
#[derive(AsChangeset)]
#[diesel(table_name = enquiries, treat_none_as_null = true)]
pub struct Written<'a> {
    unit_id: &'a str,
    received_at: NaiveDateTime,
    channel: &'a str,
    summary: &'a str,
    minutes_spent: i64,
    outcome: &'a str,
    name_zh: Option<&'a str>,
    name_en: Option<&'a str>,
    sex: Option<&'a str>,
    phone: Option<&'a str>,
    age_band: Option<&'a str>,
    updated_by: &'a str,
    updated_at: NaiveDateTime,
}

impl<'a> Written<'a> {
    pub fn of(
        details: &'a EnquiryDetails,
        unit_id: &'a str,
        actor_id: &'a str,
        at: NaiveDateTime,
    ) -> Self {
        Written {
            unit_id,
            received_at: details.received_at.naive_utc(),
            channel: details.channel.as_str(),
            summary: &details.summary,
            minutes_spent: details.minutes_spent,
            outcome: details.outcome.as_str(),
            name_zh: details.name_zh.as_deref(),
            name_en: details.name_en.as_deref(),
            sex: details.sex.map(Sex::as_str),
            phone: details.phone.as_deref(),
            age_band: details.age_band.map(AgeBand::as_str),
            updated_by: actor_id,
            updated_at: at,
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    centre_id: &str,
    written: &Written,
    topic_codes: &[String],
) -> QueryResult<()> {
    diesel::insert_into(enquiries::table)
        .values((
            enquiries::id.eq(id),
            enquiries::centre_id.eq(centre_id),
            enquiries::unit_id.eq(written.unit_id),
            enquiries::received_at.eq(written.received_at),
            enquiries::channel.eq(written.channel),
            enquiries::summary.eq(written.summary),
            enquiries::minutes_spent.eq(written.minutes_spent),
            enquiries::outcome.eq(written.outcome),
            enquiries::name_zh.eq(written.name_zh),
            enquiries::name_en.eq(written.name_en),
            enquiries::sex.eq(written.sex),
            enquiries::phone.eq(written.phone),
            enquiries::age_band.eq(written.age_band),
            enquiries::version.eq(1),
            enquiries::recorded_by.eq(written.updated_by),
            enquiries::updated_by.eq(written.updated_by),
            enquiries::created_at.eq(written.updated_at),
            enquiries::updated_at.eq(written.updated_at),
        ))
        .execute(conn)?;
    replace_topics(conn, id, topic_codes)
}

/// Writes only if the enquiry is still at `expected_version`; answers whether it did.
pub fn update_if_version(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    written: &Written,
    topic_codes: &[String],
) -> QueryResult<bool> {
    let updated = diesel::update(
        enquiries::table
            .filter(enquiries::id.eq(id))
            .filter(enquiries::version.eq(expected_version)),
    )
    .set((written, enquiries::version.eq(expected_version + 1)))
    .execute(conn)?;
    if updated == 1 {
        replace_topics(conn, id, topic_codes)?;
    }
    Ok(updated == 1)
}

fn replace_topics(conn: &mut DbConnection, enquiry_id: &str, codes: &[String]) -> QueryResult<()> {
    diesel::delete(enquiry_topics::table.filter(enquiry_topics::enquiry_id.eq(enquiry_id)))
        .execute(conn)?;
    for code in codes {
        diesel::insert_into(enquiry_topics::table)
            .values((
                enquiry_topics::enquiry_id.eq(enquiry_id),
                enquiry_topics::nature_code.eq(code),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks the enquiry promoted to the client and case, if it is still at
/// `expected_version` and not promoted yet; answers whether it was.
pub fn promote(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    client_id: &str,
    case_id: &str,
    actor_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        enquiries::table
            .filter(enquiries::id.eq(id))
            .filter(enquiries::version.eq(expected_version))
            .filter(enquiries::case_id.is_null()),
    )
    .set((
        enquiries::outcome.eq(EnquiryOutcome::PromotedToCase.as_str()),
        enquiries::client_id.eq(client_id),
        enquiries::case_id.eq(case_id),
        enquiries::version.eq(expected_version + 1),
        enquiries::updated_by.eq(actor_id),
        enquiries::updated_at.eq(at),
    ))
    .execute(conn)
    .map(|updated| updated == 1)
}

/// Points the enquiries promoted to one record of a person at another (a merge).
pub fn move_client(conn: &mut DbConnection, from: &str, to: &str) -> QueryResult<usize> {
    diesel::update(enquiries::table.filter(enquiries::client_id.eq(from)))
        .set(enquiries::client_id.eq(to))
        .execute(conn)
}
