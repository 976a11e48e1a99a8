use std::net::IpAddr;
use std::sync::Arc;

use actix_web::web;

use crate::audit::ReadAudit;
use crate::config::Secrets;
use crate::db::{Connect, DbConnection, DbPool};
use crate::error::ApiError;

/// What every handler can reach: the pool, the keys, the audit of reads and the
/// server's sign-in policy.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    /// The connections split work may hold at once, of the pool's.
    pub parts: crate::db::PartBudget,
    /// Requests' turns on the database, in the order they asked.
    pub admission: crate::db::Admission,
    pub secrets: Secrets,
    pub reads: ReadAudit,
    /// Proxies whose `X-Forwarded-For` is believed; any other peer is the client itself.
    pub trusted_proxies: Arc<[IpAddr]>,
    /// A session without user activity for this long ends.
    pub idle_timeout: chrono::Duration,
    /// Most rows one client export holds; a file cut there says so.
    pub export_row_limit: i64,
    /// The score from which a client is offered as a possible duplicate.
    pub match_threshold: f64,
    /// How long after writing a case note its author may still edit it.
    pub note_edit_window: chrono::Duration,
    /// An open case without a contact note for this many days is overdue.
    pub note_due_days: i64,
    /// A child protection concern undecided this long goes to the supervisor.
    pub protection_decision_window: chrono::Duration,
    pub caseload_weights: crate::config::CaseloadWeights,
    pub risk_rules: common::risk::RiskRules,
    /// Counts of fewer people than this are suppressed in aggregates shown beyond one's
    /// own centre.
    pub suppression_threshold: i64,
    pub analytics: crate::analytics::facts::Analytics,
    /// Calendars as last sent, while nothing in them changed.
    pub calendars: crate::activities::calendars::Calendars,
    /// Sessions as last read, while that read stands.
    pub sessions: crate::identity::service::KeptSessions,
    /// Workers' reaches as last read, while their reach stamps stand.
    pub reaches: crate::clients::service::Reaches,
    /// Workers' note numbers as last read, while their reach stamps stand.
    pub held_notes: crate::case_notes::service::HeldNotes,
    /// The search index's lists as last read, while no write since may have changed them.
    pub lists: crate::search::postings::KeptLists,
    /// i-Hub's search index.
    pub hub: crate::hub::index::Shelf,
    /// Where uploaded files are kept (the hub's and the circle's).
    pub files: crate::files::FileStore,
    /// How an uploaded document's text is taken: in a child process of this executable.
    pub extraction: crate::files::extraction::Extraction,
    /// The font certificates and transcripts are set in.
    pub pdf_fonts: crate::pdf::Fonts,
    pub cpd_policy: common::cpd::CpdPolicy,
    /// A certificate expiring within this many days is shown to its holder, who may then
    /// enrol again to renew it, and to those who follow them.
    pub certificate_reminder_days: i64,
}

impl AppState {
    /// Runs blocking database work off the async workers, with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        self.pooled(move |connect| work(&mut *connect()?)).await
    }

    /// Runs blocking database work off the async workers, taking connections from the
    /// pool as it needs them: several at once, for reads that go side by side.
    pub async fn pooled<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(Connect) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let turn = self.admission.turn().await;
        web::block(move || {
            let _turn = turn;
            work(&|| pool.get())
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    }
}
