//! Calendars as last sent, each kept with the stamp its centres had when it was read: a
//! month the whole centre looks at is read from the database again only once something it
//! shows has changed. The stamps (`calendar_stamps`) are moved by triggers on every table
//! a calendar shows, in the transaction that changes it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::web::Bytes;
use common::activities::CalendarQuery;

use crate::identity::Centres;

/// Most calendars kept at once; past it, all are let go (a month is read again quickly).
const KEPT_MAX: usize = 1024;

type Key = (Centres, CalendarQuery);

#[derive(Clone, Default)]
pub struct Calendars(Arc<Mutex<HashMap<Key, (i64, Bytes)>>>);

impl Calendars {
    /// The calendar kept for these centres and window, if it was read at this stamp.
    pub fn get(&self, centres: &Centres, query: &CalendarQuery, stamp: i64) -> Option<Bytes> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (at, body) = kept.get(&(centres.clone(), query.clone()))?;
        (*at == stamp).then(|| body.clone())
    }

    pub fn keep(&self, centres: Centres, query: CalendarQuery, stamp: i64, body: Bytes) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= KEPT_MAX {
            kept.clear();
        }
        kept.insert((centres, query), (stamp, body));
    }
}
