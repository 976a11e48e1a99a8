//! Calendars as last sent, each kept with the stamp its centres had when it was read: a
//! month the whole centre looks at is read from the database again only once something it
//! shows has changed. The stamps (`calendar_stamps`) are moved by triggers on every table
//! a calendar shows, in the transaction that changes it.

use actix_web::web::Bytes;
use common::activities::CalendarQuery;

use crate::identity::Centres;
use crate::kept::Kept;

pub type Calendars = Kept<(Centres, CalendarQuery), Bytes>;
