//! The append-only audit trail: who did what to which record, when, from where.
//! Entries are written in the same transaction as the change they describe.

use diesel::prelude::*;

use crate::db::schema::audit_log;
use crate::db::{new_id, now, DbConnection};

/// Who is acting and from which address, carried from the request into the domain.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<String>,
    pub ip: Option<String>,
}

pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    entity: (&str, Option<&str>),
    detail: Option<serde_json::Value>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(new_id()),
            audit_log::at.eq(now()),
            audit_log::actor_id.eq(actor.user_id.as_deref()),
            audit_log::action.eq(action),
            audit_log::entity_type.eq(entity.0),
            audit_log::entity_id.eq(entity.1),
            audit_log::ip.eq(actor.ip.as_deref()),
            audit_log::detail.eq(detail.map(|d| d.to_string())),
        ))
        .execute(conn)
        .map(|_| ())
}
