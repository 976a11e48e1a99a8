//! What the service-effectiveness board reads, in the model: each client's pre- and
//! post-service measures on each instrument in the order taken, and each group's sessions,
//! enrolled members and facilitators. Kept current by `analytics_marks`, which triggers
//! write for the clients and activities whose records changed.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use common::identity::Unit;
use smallvec::SmallVec;

use super::facts::{Interner, Model};
use super::store;
use crate::db::{stored_code, DbConnection};
use crate::error::ApiError;

/// Where a measure was taken: within a case (the model's place of it) or a group (its
/// number in `Outcomes::groups`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Within {
    Case(u32),
    Group(u32),
}

/// One scale's score of a measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// The scale's number in `Outcomes::scales`.
    pub scale: u32,
    pub milli: Option<i64>,
    pub severity: Option<u8>,
}

/// A pre- or post-service measure of a client.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    pub within: Within,
    pub post: bool,
    pub on: NaiveDate,
    pub centre: u32,
    pub scores: Box<[Scored]>,
}

impl Taken {
    pub fn score(&self, scale: u32) -> Option<&Scored> {
        self.scores.iter().find(|s| s.scale == scale)
    }
}

/// A group as the board reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFacts {
    pub centre: u32,
    pub unit: Unit,
    /// The intervention model's number in `Outcomes::models`.
    pub model: Option<u32>,
    pub completion_percent: i64,
    pub sessions: i64,
    pub last_session: Option<NaiveDateTime>,
    /// The staff facilitating it, by the model's worker numbers.
    pub facilitators: SmallVec<[u32; 2]>,
    /// (client number, sessions attended) of each enrolled member.
    pub members: Box<[(u32, i64)]>,
}

#[derive(Default, Clone, PartialEq, Debug)]
pub struct Outcomes {
    pub instruments: Interner,
    pub scales: Interner,
    pub models: Interner,
    /// By instrument number: each measured client's measures, in the order taken.
    pub taken: Vec<HashMap<u32, Box<[Taken]>>>,
    /// Activities named by measures or read as groups; `group_facts` is none for one that is
    /// not (or no longer) a group.
    pub groups: Interner,
    group_facts: Vec<Option<GroupFacts>>,
}

impl Outcomes {
    pub fn group(&self, number: u32) -> Option<&GroupFacts> {
        self.group_facts.get(number as usize)?.as_ref()
    }

    /// Every group read, with its number.
    pub fn each_group(&self) -> impl Iterator<Item = (u32, &GroupFacts)> {
        self.group_facts
            .iter()
            .enumerate()
            .filter_map(|(n, g)| Some((n as u32, g.as_ref()?)))
    }

    fn group_number(&mut self, id: &str) -> u32 {
        let n = self.groups.intern(id);
        if self.group_facts.len() <= n as usize {
            self.group_facts.resize(n as usize + 1, None);
        }
        n
    }
}

impl Model {
    /// Reads these groups (or every group) again.
    pub(super) fn read_groups(
        &mut self,
        conn: &mut DbConnection,
        ids: Option<&[String]>,
    ) -> Result<(), ApiError> {
        let mut sessions: HashMap<String, (Option<NaiveDateTime>, i64)> =
            store::group_sessions(conn, ids)?
                .into_iter()
                .map(|(id, last, count)| (id, (last, count)))
                .collect();
        let mut members: HashMap<String, Vec<(u32, i64)>> = HashMap::new();
        for (group, client, attended) in store::group_members(conn, ids)? {
            let client = self.clients.intern(&client);
            members.entry(group).or_default().push((client, attended));
        }
        let mut facilitators: HashMap<String, SmallVec<[u32; 2]>> = HashMap::new();
        for (group, user) in store::group_facilitators(conn, ids)? {
            let worker = self.workers.intern(&user);
            facilitators.entry(group).or_default().push(worker);
        }
        if let Some(ids) = ids {
            for n in ids.iter().filter_map(|id| self.outcomes.groups.get(id)) {
                self.outcomes.group_facts[n as usize] = None;
            }
        }
        for row in store::groups(conn, ids)? {
            let (sessions, last_session) = sessions
                .remove(&row.id)
                .map_or((0, None), |(last, count)| (count, last));
            let mut members = members.remove(&row.id).unwrap_or_default();
            members.sort_unstable();
            let mut facilitators = facilitators.remove(&row.id).unwrap_or_default();
            facilitators.sort_unstable();
            facilitators.dedup();
            let facts = GroupFacts {
                centre: self.centres.intern(&row.centre_id),
                unit: stored_code(Unit::parse, "units.kind", &row.unit_kind)?,
                model: row
                    .intervention_model
                    .as_deref()
                    .map(|m| self.outcomes.models.intern(m)),
                completion_percent: row.completion_percent,
                sessions,
                last_session,
                facilitators,
                members: members.into(),
            };
            let n = self.outcomes.group_number(&row.id);
            self.outcomes.group_facts[n as usize] = Some(facts);
        }
        Ok(())
    }

    /// Reads these clients' measures (or everyone's) again; the cases they were taken in
    /// are read first where the model has not read them yet.
    pub(super) fn read_taken(
        &mut self,
        conn: &mut DbConnection,
        clients: Option<&[String]>,
    ) -> Result<(), ApiError> {
        let rows = store::taken(conn, clients)?;
        let mut unread: Vec<String> = rows
            .iter()
            .filter_map(|r| r.case_id.as_ref())
            .filter(|id| self.case_place(id).is_none())
            .cloned()
            .collect();
        unread.sort_unstable();
        unread.dedup();
        for chunk in unread.chunks(store::CHUNK) {
            self.read(conn, Some(chunk))?;
        }
        let mut scores: HashMap<String, Vec<Scored>> = HashMap::new();
        for row in store::taken_scores(conn, clients)? {
            let scale = self.outcomes.scales.intern(&row.scale);
            scores.entry(row.assessment_id).or_default().push(Scored {
                scale,
                milli: row.score_milli,
                severity: row.severity.and_then(|s| u8::try_from(s).ok()),
            });
        }
        if let Some(ids) = clients {
            for number in ids.iter().filter_map(|id| self.clients.get(id)) {
                for taken in &mut self.outcomes.taken {
                    taken.remove(&number);
                }
            }
        }
        let mut by_whom: HashMap<(u32, u32), Vec<Taken>> = HashMap::new();
        for row in rows {
            let within = match (&row.case_id, &row.activity_id) {
                (Some(case), None) => match self.case_place(case) {
                    Some(place) => Within::Case(place),
                    None => continue,
                },
                (None, Some(group)) => Within::Group(self.outcomes.group_number(group)),
                _ => continue,
            };
            let instrument = self.outcomes.instruments.intern(&row.instrument);
            let client = self.clients.intern(&row.client_id);
            by_whom
                .entry((instrument, client))
                .or_default()
                .push(Taken {
                    within,
                    post: row.stage == "post",
                    on: row.administered_on,
                    centre: self.centres.intern(&row.centre_id),
                    scores: scores.remove(&row.id).unwrap_or_default().into(),
                });
        }
        let instruments = self.outcomes.instruments.names.len();
        self.outcomes.taken.resize_with(instruments, HashMap::new);
        for ((instrument, client), taken) in by_whom {
            self.outcomes.taken[instrument as usize].insert(client, taken.into());
        }
        Ok(())
    }
}

/// A measure or a group with the model's numbers replaced by what they name, to compare two
/// models read in different orders.
type NamedTaken = (
    String,
    bool,
    NaiveDate,
    String,
    Vec<(String, Option<i64>, Option<u8>)>,
);
type NamedGroup = (
    String,
    Unit,
    Option<String>,
    i64,
    i64,
    Option<NaiveDateTime>,
    Vec<String>,
    Vec<(String, i64)>,
);
type NamedOutcomes = (
    BTreeMap<(String, String), Vec<NamedTaken>>,
    BTreeMap<String, NamedGroup>,
);

impl Model {
    pub(super) fn named_outcomes(&self, case_ids: &[&str]) -> NamedOutcomes {
        let o = &self.outcomes;
        let name = |i: &Interner, n: u32| i.names[n as usize].clone();
        let mut taken = BTreeMap::new();
        for (instrument, by_client) in o.taken.iter().enumerate() {
            for (&client, measures) in by_client {
                let named = measures
                    .iter()
                    .map(|t| {
                        let within = match t.within {
                            Within::Case(place) => format!("case {}", case_ids[place as usize]),
                            Within::Group(n) => format!("group {}", name(&o.groups, n)),
                        };
                        let mut scores: Vec<_> = t
                            .scores
                            .iter()
                            .map(|s| (name(&o.scales, s.scale), s.milli, s.severity))
                            .collect();
                        scores.sort();
                        (within, t.post, t.on, name(&self.centres, t.centre), scores)
                    })
                    .collect();
                taken.insert(
                    (
                        name(&o.instruments, instrument as u32),
                        name(&self.clients, client),
                    ),
                    named,
                );
            }
        }
        let groups = o
            .each_group()
            .map(|(n, g)| {
                let mut facilitators: Vec<_> = g
                    .facilitators
                    .iter()
                    .map(|&w| name(&self.workers, w))
                    .collect();
                facilitators.sort();
                let mut members: Vec<_> = g
                    .members
                    .iter()
                    .map(|&(c, attended)| (name(&self.clients, c), attended))
                    .collect();
                members.sort();
                let named = (
                    name(&self.centres, g.centre),
                    g.unit,
                    g.model.map(|m| name(&o.models, m)),
                    g.completion_percent,
                    g.sessions,
                    g.last_session,
                    facilitators,
                    members,
                );
                (name(&o.groups, n), named)
            })
            .collect();
        (taken, groups)
    }
}
