//! The append-only audit trail: who did what to which record, when, from where.
//!
//! A change's entry is written in the same transaction as the change ([`record`]), so no
//! change is ever unaccounted for. A read's entry (a view, a search, an export) goes to
//! [`ReadAudit`], one writer that commits the entries of many requests together every tenth
//! of a second: readers then never queue for SQLite's single write lock, and seldom lose
//! their memory map of the file, which every commit takes from them. A crash can lose
//! at most the read entries of the batch being gathered, never a change's entry.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_log;
use crate::db::{self, new_id, now, DbConnection, DbPool};
use crate::error::ApiError;

/// Who is acting and from which address, carried from the request into the domain.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    /// An operator at the server's command line: no account, no address.
    pub fn command_line() -> Actor {
        Actor {
            user_id: None,
            ip: None,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
struct Entry {
    id: String,
    at: NaiveDateTime,
    actor_id: Option<String>,
    action: &'static str,
    entity_type: &'static str,
    entity_id: Option<String>,
    ip: Option<String>,
    detail: Option<String>,
}

impl Entry {
    fn new(
        actor: &Actor,
        action: &'static str,
        entity: (&'static str, Option<&str>),
        detail: Option<serde_json::Value>,
    ) -> Entry {
        Entry {
            id: new_id(),
            at: now(),
            actor_id: actor.user_id.clone(),
            action,
            entity_type: entity.0,
            entity_id: entity.1.map(str::to_owned),
            ip: actor.ip.clone(),
            detail: detail.map(|d| d.to_string()),
        }
    }
}

/// Writes a change's entry; call it inside the change's own transaction.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &'static str,
    entity: (&'static str, Option<&str>),
    detail: Option<serde_json::Value>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(Entry::new(actor, action, entity, detail))
        .execute(conn)
        .map(drop)
}

enum Message {
    Entry(Entry),
    /// Answered once everything sent before it is committed.
    Flush(mpsc::Sender<()>),
    Close,
}

/// How long the writer gathers read entries before committing them together.
const BATCH_WINDOW: Duration = Duration::from_millis(100);
const BATCH_MAX: usize = 512;
// A batch is written in one statement: its eight columns' values must fit.
const _: () = assert!(BATCH_MAX <= db::rows_per_statement(8));
/// Requests wait (rather than go unaudited) when this many entries are queued.
const QUEUE_MAX: usize = 8192;

/// The audit of reads: entries are queued here and committed in batches by one writer.
#[derive(Clone)]
pub struct ReadAudit {
    sender: mpsc::SyncSender<Message>,
}

/// The writer's thread; [`ReadAuditWriter::close`] commits what is queued and stops it.
pub struct ReadAuditWriter {
    sender: mpsc::SyncSender<Message>,
    thread: JoinHandle<()>,
}

impl ReadAudit {
    pub fn start(pool: DbPool) -> (ReadAudit, ReadAuditWriter) {
        let (sender, receiver) = mpsc::sync_channel(QUEUE_MAX);
        let thread = std::thread::Builder::new()
            .name("audit-reads".into())
            .spawn(move || write_batches(&pool, &receiver))
            .expect("the audit writer thread starts");
        (
            ReadAudit {
                sender: sender.clone(),
            },
            ReadAuditWriter { sender, thread },
        )
    }

    /// Queues a read's entry. A read that cannot be audited is refused, never served.
    pub fn record(
        &self,
        actor: &Actor,
        action: &'static str,
        entity: (&'static str, Option<&str>),
        detail: Option<serde_json::Value>,
    ) -> Result<(), ApiError> {
        self.sender
            .send(Message::Entry(Entry::new(actor, action, entity, detail)))
            .map_err(|_| ApiError::Unavailable("the audit writer has stopped".into()))
    }

    /// Waits until every entry queued before this call is committed.
    pub fn flush(&self) {
        let (done, wait) = mpsc::channel();
        if self.sender.send(Message::Flush(done)).is_ok() {
            let _ = wait.recv();
        }
    }
}

impl ReadAuditWriter {
    pub fn close(self) {
        let _ = self.sender.send(Message::Close);
        let _ = self.thread.join();
    }
}

fn write_batches(pool: &DbPool, receiver: &mpsc::Receiver<Message>) {
    let mut open = true;
    while open {
        let Ok(first) = receiver.recv() else { return };
        let mut batch = Vec::new();
        let mut waiting = Vec::new();
        let deadline = Instant::now() + BATCH_WINDOW;
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Entry(entry) => batch.push(entry),
                Message::Flush(done) => {
                    waiting.push(done);
                    break;
                }
                Message::Close => {
                    open = false;
                    break;
                }
            }
            if batch.len() >= BATCH_MAX {
                break;
            }
            next = match receiver.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(message) => Some(message),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    open = false;
                    None
                }
            };
        }
        commit(pool, &batch);
        for done in waiting {
            let _ = done.send(());
        }
    }
}

/// Commits one batch, retrying while the database is unreachable; requests queue behind
/// it meanwhile, so reads pause rather than go unrecorded.
fn commit(pool: &DbPool, batch: &[Entry]) {
    if batch.is_empty() {
        return;
    }
    let mut delay = Duration::from_millis(10);
    for attempt in 1.. {
        let written = pool.get().map_err(ApiError::from).and_then(|mut conn| {
            // One statement for the batch: on PostgreSQL a statement apiece was a round
            // trip and a parse for every read served. Alone, it needs no transaction, and
            // outside one it leaves standing the reads kept until a transaction ends: it
            // writes only the log, which none of them holds.
            crate::insert_rows!(&mut *conn, audit_log::table, batch)
                .map(drop)
                .map_err(ApiError::from)
        });
        match written {
            Ok(()) => return,
            Err(error) if attempt < 20 => {
                tracing::warn!(%error, attempt, "audit entries not yet written: retrying");
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_secs(2));
            }
            Err(error) => {
                tracing::error!(%error, lost = batch.len(), "audit entries of reads could not be written");
                return;
            }
        }
    }
}
