//! Two records of one person made one: a supervisor merges the duplicate (the absorbed
//! record) into the record kept (the survivor). Everything the person's casework hangs on
//! moves to the survivor in one transaction; the absorbed record stays as a tombstone
//! pointing to it, and the merge is kept to explain both records.

use common::clients::{Client, ClientMerge, MergeForm, MergeMoved};
use serde_json::json;

use super::service::{self, hong_kong_today, Scope};
use super::store::{self, MergeRow, NewMerge, StoredHkid, Write};
use crate::audit::{self, ReadAudit};
use crate::db::{self, new_id, now, utc, DbConnection};
use crate::error::ApiError;

pub fn merge(
    conn: &mut DbConnection,
    scope: &Scope,
    survivor_id: &str,
    form: &MergeForm,
) -> Result<ClientMerge, ApiError> {
    let request = form.parse(survivor_id).map_err(ApiError::Validation)?;
    let actor_id = scope.actor_id()?.to_owned();
    db::transaction(conn, |conn| {
        let survivor = store::find(conn, survivor_id, scope.records)?.ok_or(ApiError::NotFound)?;
        let absorbed =
            store::find(conn, &request.absorbed_id, scope.records)?.ok_or_else(|| {
                ApiError::field("absorbed_id", "not_found", "No such record to merge in")
            })?;
        if survivor.version != request.survivor_version
            || absorbed.version != request.absorbed_version
        {
            return Err(ApiError::version_conflict("client"));
        }
        // The HKID number's check is the surest sign of identity: two numbers, two people.
        let hash = match (&survivor.hkid_hash, &absorbed.hkid_hash) {
            (Some(kept), Some(other)) if kept != other => {
                return Err(ApiError::Conflict {
                    code: "different_hkid",
                    message: "The two records hold different HKIDs: they are not one person".into(),
                    field: Some("absorbed_id".into()),
                })
            }
            (kept, other) => kept.clone().or_else(|| other.clone()),
        };
        let masked = survivor
            .hkid_masked
            .clone()
            .or(absorbed.hkid_masked.clone());
        let centre_id = survivor.centre_id.clone();
        let kept = Client::try_from(survivor)?;
        let gone = Client::try_from(absorbed)?;
        let details = kept.merged_with(&gone);
        let at = now();

        // The household the duplicate may leave counts one fewer (the survivor's cases are
        // marked when it is written below).
        crate::risk::store::touch_household_of(conn, &gone.id)?;
        let (cases, case_memberships) = crate::cases::store::move_client(conn, &gone.id, &kept.id)?;
        let moved = MergeMoved {
            cases: cases as i64,
            case_memberships: case_memberships as i64,
            note_participations: crate::case_notes::store::move_participant(
                conn, &gone.id, &kept.id,
            )? as i64,
            household_memberships: crate::households::store::move_member(
                conn,
                &gone.id,
                &kept.id,
                hong_kong_today(),
            )? as i64,
            enquiries: crate::enquiries::store::move_client(conn, &gone.id, &kept.id)? as i64,
            enrolments: crate::activities::store::move_client(conn, &gone.id, &kept.id, at)? as i64,
            assessments: crate::assessments::store::move_client(conn, &gone.id, &kept.id)? as i64,
            protection_concerns: crate::child_protection::store::move_client(
                conn, &gone.id, &kept.id,
            )? as i64,
        };
        // The tombstone gives up its HKID hash first: one hash per centre.
        if store::tombstone(conn, &gone.id, gone.version, &kept.id, &actor_id, at)? == 0 {
            return Err(ApiError::version_conflict("client"));
        }
        let write = Write {
            details: &details,
            hkid: &StoredHkid { masked, hash },
            actor_id: &actor_id,
            at,
        };
        if store::update_if_version(conn, &kept.id, kept.version, &write)? == 0 {
            return Err(ApiError::version_conflict("client"));
        }
        service::index(
            conn,
            &kept.id,
            &centre_id,
            &details.name_zh,
            &details.name_en,
        )?;
        // A tombstone is found by no search.
        service::unindex(conn, &gone.id, &centre_id)?;
        let id = new_id();
        store::insert_merge(
            conn,
            &NewMerge {
                id: &id,
                survivor_id: &kept.id,
                absorbed_id: &gone.id,
                reason: &request.reason,
                moved: serde_json::to_string(&moved)
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
                merged_by: &actor_id,
                merged_at: at,
            },
        )?;
        let detail = json!({ "merge_id": id, "absorbed_id": gone.id, "moved": moved });
        audit::record(
            conn,
            scope.actor,
            "client.merge",
            ("client", Some(&kept.id)),
            Some(detail),
        )?;
        let detail = json!({ "merge_id": id, "survivor_id": kept.id });
        audit::record(
            conn,
            scope.actor,
            "client.merged_into",
            ("client", Some(&gone.id)),
            Some(detail),
        )?;
        merges_of(conn, &kept.id)?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(ApiError::NotFound)
    })
}

fn merges_of(conn: &mut DbConnection, client_id: &str) -> Result<Vec<ClientMerge>, ApiError> {
    store::merges_of(conn, client_id)?
        .into_iter()
        .map(from_row)
        .collect()
}

fn from_row(row: MergeRow) -> Result<ClientMerge, ApiError> {
    let (id, survivor_id, absorbed_id, reason, moved, merged_at, survivor, absorbed, merged_by) =
        row;
    let name = |(zh, en): (String, String)| {
        [zh, en]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    Ok(ClientMerge {
        moved: serde_json::from_str(&moved)
            .map_err(|_| db::unreadable("client_merges.moved", &moved))?,
        id,
        survivor_id,
        survivor_name: name(survivor),
        absorbed_id,
        absorbed_name: name(absorbed),
        reason,
        merged_by,
        merged_at: utc(merged_at),
    })
}

/// The merges a record the user reaches took part in, either way: a survivor lists the
/// records merged into it, a tombstone the record it was merged into.
pub fn merges(
    conn: &mut DbConnection,
    scope: &Scope,
    reads: &ReadAudit,
    client_id: &str,
) -> Result<Vec<ClientMerge>, ApiError> {
    store::find_record(conn, client_id, scope.records)?.ok_or(ApiError::NotFound)?;
    let merges = merges_of(conn, client_id)?;
    reads.record(
        scope.actor,
        "client.merges",
        ("client", Some(client_id)),
        None,
    )?;
    Ok(merges)
}
