//! Casework: a case from enquiry to closure, as the API and the app both see it, with
//! the lifecycle's rules (which change is allowed from which state).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clients::Sex;
use crate::error::{FieldError, ValidationErrors};
use crate::identity::Unit;
use crate::stored_codes;
use crate::text::{one_line, paragraphs, required};

stored_codes! {
    /// The two IFSC case types SWD counts apart.
    pub enum CaseType {
        BriefSupportive = "brief_supportive",
        InDepthCounselling = "in_depth_counselling",
    }
}

stored_codes! {
    /// Who referred the family to the centre.
    pub enum ReferralSource {
        SelfReferred = "self",
        Swd = "swd",
        SchoolSocialWorker = "school_social_worker",
        HospitalSocialWorker = "hospital_social_worker",
        Police = "police",
        HousingDepartment = "housing_department",
        OtherNgo = "other_ngo",
        Outreach = "outreach",
        Other = "other",
    }
}

stored_codes! {
    /// Where a case stands. A reactivated case is open again: its reactivation is an
    /// event of its history, counted apart from new cases.
    pub enum CaseState {
        Enquiry = "enquiry",
        Waiting = "waiting",
        Open = "open",
        Closed = "closed",
    }
}

stored_codes! {
    /// What happened to a case: each event is a row of its history.
    pub enum CaseEventKind {
        /// The case was made, in its first state.
        Registered = "registered",
        /// Put on the waiting list.
        Waitlisted = "waitlisted",
        /// Taken up for service.
        Opened = "opened",
        /// Closed, with the supervisor's approval.
        Closed = "closed",
        /// Opened again after closing.
        Reactivated = "reactivated",
        /// Moved to another worker or centre, the receiver having accepted.
        Transferred = "transferred",
    }
}

stored_codes! {
    /// Why a case closed.
    pub enum ClosureReason {
        GoalsAchieved = "goals_achieved",
        NoFurtherServiceNeeded = "no_further_service_needed",
        ClientWithdrew = "client_withdrew",
        LostContact = "lost_contact",
        MovedAway = "moved_away",
        ReferredElsewhere = "referred_elsewhere",
        Deceased = "deceased",
        Other = "other",
    }
}

stored_codes! {
    /// A supervisor's answer to a request (a closure, a transfer).
    pub enum Decision {
        Approved = "approved",
        Returned = "returned",
    }
}

impl CaseState {
    /// The event that moves a case from this state to `to`, if that move is one a worker
    /// makes directly. Closing goes through a supervisor's approval, never through here.
    pub fn move_to(self, to: CaseState) -> Option<CaseEventKind> {
        use CaseState::*;
        match (self, to) {
            (Enquiry, Waiting) => Some(CaseEventKind::Waitlisted),
            (Enquiry | Waiting, Open) => Some(CaseEventKind::Opened),
            (Closed, Open) => Some(CaseEventKind::Reactivated),
            _ => None,
        }
    }

    /// Whether a closure may be asked for: any case not closed yet.
    pub fn may_close(self) -> bool {
        self != CaseState::Closed
    }
}

pub const REASON_MAX: usize = 500;
pub const SUMMARY_MAX: usize = 4000;
pub const NATURES_MAX: usize = 12;
pub const PEOPLE_MAX: usize = 20;

/// A staff member as a case names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffRef {
    pub id: String,
    pub display_name: String,
}

/// A person on a case: its client or a household member involved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CasePerson {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub sex: Sex,
}

stored_codes! {
    /// What is waiting on someone else's decision.
    pub enum Pending {
        Closure = "closure",
        Transfer = "transfer",
    }
}

/// A case as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub id: String,
    pub case_number: String,
    pub centre_id: String,
    pub unit: Unit,
    pub client: CasePerson,
    pub case_type: CaseType,
    pub referral_source: ReferralSource,
    pub responsible_worker: StaffRef,
    pub state: CaseState,
    /// The day the present state took effect.
    pub state_since: NaiveDate,
    pub sensitive: bool,
    pub nature_codes: Vec<String>,
    pub pending: Option<Pending>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// One row of a case's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseEvent {
    pub kind: CaseEventKind,
    /// The state after the event.
    pub state: CaseState,
    pub effective_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub actor: StaffRef,
    /// Who held the case after the event, and in which centre.
    pub worker: StaffRef,
    pub centre_id: String,
    pub detail: Option<String>,
}

/// A worker's request to close, and the supervisor's answer once given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClosureRequest {
    pub closure_reason: ClosureReason,
    pub closing_summary: String,
    pub closed_on: NaiveDate,
    pub requested_by: StaffRef,
    pub requested_at: DateTime<Utc>,
    /// None while it waits.
    pub decision: Option<Decision>,
    pub decided_by: Option<StaffRef>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_comment: Option<String>,
}

/// A transfer waiting for its receiver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TransferRequest {
    pub to_worker: Option<StaffRef>,
    pub to_centre_id: String,
    pub reason: String,
    pub requested_by: StaffRef,
    pub requested_at: DateTime<Utc>,
}

/// A transfer offered to the user: enough to decide, before the case is theirs to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TransferOffer {
    pub case_id: String,
    pub case_number: String,
    pub client: CasePerson,
    pub case_type: CaseType,
    pub from_worker: StaffRef,
    pub from_centre_id: String,
    pub to_worker: Option<StaffRef>,
    pub to_centre_id: String,
    pub reason: String,
    pub requested_at: DateTime<Utc>,
}

/// What became of a transfer the user answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TransferAnswerOutcome {
    pub case_id: String,
    pub answer: TransferAnswer,
}

/// One worker's open cases, by type and weighted: a case type's weight says how much
/// work a case of it is, so in-depth counselling counts for more than a brief case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WorkerLoad {
    pub worker: StaffRef,
    pub brief_supportive: i64,
    pub in_depth_counselling: i64,
    pub weighted: f64,
}

/// What a caseworker's home shows: their work waiting, and for a supervisor, the
/// centre's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseworkHome {
    /// Open cases the user reaches (their own, or a supervisor's centre's).
    pub open_cases: i64,
    pub transfers_awaiting: Vec<TransferOffer>,
    /// Open cases without a contact note for `note_due_days`, longest first.
    pub notes_overdue: Vec<CaseSummary>,
    pub note_due_days: i64,
    /// For a supervisor: closures waiting for approval.
    pub closures_waiting: Vec<CaseSummary>,
    /// For a supervisor: each worker's open cases, heaviest first.
    pub caseload: Vec<WorkerLoad>,
    /// Cases not closed whose plan review day has come, the longest due first.
    pub reviews_due: Vec<crate::case_plans::ReviewDue>,
    /// Referrals waiting for an answer whose follow-up day has come, the longest due first.
    pub referrals_follow_up: Vec<crate::referrals::ReferralDue>,
}

/// Whom a case may be handed to: the caller's agency's centres, and the caseworkers of
/// the caller's own centre (another centre's supervisor names its worker on accepting).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseworkDirectory {
    pub centres: Vec<crate::identity::CentreRef>,
    pub caseworkers: Vec<StaffRef>,
}

/// A case with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    pub case: CaseSummary,
    pub co_workers: Vec<StaffRef>,
    pub members: Vec<CasePerson>,
    pub closure_reason: Option<ClosureReason>,
    /// The latest closure request, pending or decided.
    pub closure_request: Option<ClosureRequest>,
    pub transfer: Option<TransferRequest>,
    /// Workers of the unit a supervisor showed the case to, to read only.
    pub shared_with: Vec<StaffRef>,
    /// History, oldest first.
    pub events: Vec<CaseEvent>,
    /// Whether the user may work on this case (a case shared with them is read-only).
    pub may_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Opening a case for a registered client.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub client_id: String,
    pub case_type: Option<CaseType>,
    pub referral_source: Option<ReferralSource>,
    /// Left out: the user opening the case.
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub responsible_worker_id: Option<String>,
    #[serde(default)]
    pub co_worker_ids: Vec<String>,
    #[serde(default)]
    pub nature_codes: Vec<String>,
    /// Household members involved besides the client.
    #[serde(default)]
    pub member_ids: Vec<String>,
    /// Enquiry, waiting or open (the default).
    pub state: Option<CaseState>,
    #[serde(default)]
    pub sensitive: bool,
    /// When the case began; left out, today.
    pub effective_on: Option<NaiveDate>,
}

/// A case's details after validation (references are checked against the database by
/// the service).
#[derive(Debug, Clone, PartialEq)]
pub struct NewCase {
    pub client_id: String,
    pub case_type: CaseType,
    pub referral_source: ReferralSource,
    pub responsible_worker_id: Option<String>,
    pub co_worker_ids: Vec<String>,
    pub nature_codes: Vec<String>,
    pub member_ids: Vec<String>,
    pub state: CaseState,
    pub sensitive: bool,
    pub effective_on: NaiveDate,
}

impl CaseForm {
    pub fn parse(&self, today: NaiveDate) -> Result<NewCase, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let client_id = errors.check("client_id", required_id(&self.client_id, "Client"));
        let case_type = errors.check(
            "case_type",
            self.case_type.ok_or_else(|| missing("Case type")),
        );
        let referral_source = errors.check(
            "referral_source",
            self.referral_source
                .ok_or_else(|| missing("Referral source")),
        );
        let state = errors.check(
            "state",
            match self.state.unwrap_or(CaseState::Open) {
                CaseState::Closed => Err(FieldError::new(
                    "invalid_state",
                    "A new case is an enquiry, waiting or open",
                )),
                state => Ok(state),
            },
        );
        let effective_on = errors.check("effective_on", effective_date(self.effective_on, today));
        let co_worker_ids = errors.check("co_worker_ids", id_list(&self.co_worker_ids));
        let nature_codes = errors.check("nature_codes", code_list(&self.nature_codes));
        let member_ids = errors.check("member_ids", id_list(&self.member_ids));
        match (
            client_id,
            case_type,
            referral_source,
            state,
            effective_on,
            co_worker_ids,
            nature_codes,
            member_ids,
        ) {
            (
                Some(client_id),
                Some(case_type),
                Some(referral_source),
                Some(state),
                Some(effective_on),
                Some(co_worker_ids),
                Some(nature_codes),
                Some(member_ids),
            ) if errors.is_empty() => Ok(NewCase {
                client_id,
                case_type,
                referral_source,
                responsible_worker_id: self.responsible_worker_id.clone(),
                co_worker_ids,
                nature_codes,
                member_ids,
                state,
                sensitive: self.sensitive,
                effective_on,
            }),
            _ => Err(errors),
        }
    }
}

/// Editing what a case is about; its state and holder change only through their own
/// requests.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseUpdate {
    pub case_type: Option<CaseType>,
    pub referral_source: Option<ReferralSource>,
    #[serde(default)]
    pub co_worker_ids: Vec<String>,
    #[serde(default)]
    pub nature_codes: Vec<String>,
    #[serde(default)]
    pub member_ids: Vec<String>,
    #[serde(default)]
    pub sensitive: bool,
    /// The version the case was read at.
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseChanges {
    pub case_type: CaseType,
    pub referral_source: ReferralSource,
    pub co_worker_ids: Vec<String>,
    pub nature_codes: Vec<String>,
    pub member_ids: Vec<String>,
    pub sensitive: bool,
    pub version: i64,
}

impl CaseUpdate {
    pub fn parse(&self) -> Result<CaseChanges, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let case_type = errors.check(
            "case_type",
            self.case_type.ok_or_else(|| missing("Case type")),
        );
        let referral_source = errors.check(
            "referral_source",
            self.referral_source
                .ok_or_else(|| missing("Referral source")),
        );
        let co_worker_ids = errors.check("co_worker_ids", id_list(&self.co_worker_ids));
        let nature_codes = errors.check("nature_codes", code_list(&self.nature_codes));
        let member_ids = errors.check("member_ids", id_list(&self.member_ids));
        let version = errors.check("version", version(self.version));
        match (
            case_type,
            referral_source,
            co_worker_ids,
            nature_codes,
            member_ids,
            version,
        ) {
            (
                Some(case_type),
                Some(referral_source),
                Some(co_worker_ids),
                Some(nature_codes),
                Some(member_ids),
                Some(version),
            ) if errors.is_empty() => Ok(CaseChanges {
                case_type,
                referral_source,
                co_worker_ids,
                nature_codes,
                member_ids,
                sensitive: self.sensitive,
                version,
            }),
            _ => Err(errors),
        }
    }
}

/// Moving a case to another state: waiting, open, or open again after closing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StateChangeForm {
    pub to: Option<CaseState>,
    /// When it took effect; left out, today.
    pub effective_on: Option<NaiveDate>,
    /// Why (required to reactivate).
    #[cfg_attr(feature = "server", schema(max_length = 500))]
    pub reason: Option<String>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StateChange {
    pub to: CaseState,
    pub effective_on: NaiveDate,
    pub reason: Option<String>,
    pub version: i64,
}

impl StateChangeForm {
    pub fn parse(&self, today: NaiveDate) -> Result<StateChange, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let to = errors.check("to", self.to.ok_or_else(|| missing("The new state")));
        let effective_on = errors.check("effective_on", effective_date(self.effective_on, today));
        let reason = errors.check(
            "reason",
            one_line(self.reason.as_deref().unwrap_or(""), REASON_MAX),
        );
        let version = errors.check("version", version(self.version));
        match (to, effective_on, reason, version) {
            (Some(to), Some(effective_on), Some(reason), Some(version)) if errors.is_empty() => {
                Ok(StateChange {
                    to,
                    effective_on,
                    reason: Some(reason).filter(|r| !r.is_empty()),
                    version,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A worker's request to close a case.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClosureForm {
    pub closure_reason: Option<ClosureReason>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 4000))]
    pub closing_summary: String,
    /// The day service ended; left out, today.
    pub closed_on: Option<NaiveDate>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Closure {
    pub closure_reason: ClosureReason,
    pub closing_summary: String,
    pub closed_on: NaiveDate,
    pub version: i64,
}

impl ClosureForm {
    pub fn parse(&self, today: NaiveDate) -> Result<Closure, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let closure_reason = errors.check(
            "closure_reason",
            self.closure_reason.ok_or_else(|| missing("Closure reason")),
        );
        let closing_summary = errors.check(
            "closing_summary",
            required(
                paragraphs(&self.closing_summary, SUMMARY_MAX),
                "Closing summary",
            ),
        );
        let closed_on = errors.check("closed_on", effective_date(self.closed_on, today));
        let version = errors.check("version", version(self.version));
        match (closure_reason, closing_summary, closed_on, version) {
            (Some(closure_reason), Some(closing_summary), Some(closed_on), Some(version))
                if errors.is_empty() =>
            {
                Ok(Closure {
                    closure_reason,
                    closing_summary,
                    closed_on,
                    version,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A supervisor's decision on a closure request.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionForm {
    pub decision: Option<Decision>,
    /// Required to return a request, so the worker knows what to do.
    #[cfg_attr(feature = "server", schema(max_length = 500))]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionMade {
    pub decision: Decision,
    pub comment: Option<String>,
}

impl DecisionForm {
    pub fn parse(&self) -> Result<DecisionMade, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let decision = errors.check("decision", self.decision.ok_or_else(|| missing("Decision")));
        let comment = errors.check("comment", comment(self.comment.as_deref()));
        if decision == Some(Decision::Returned) && comment == Some(None) {
            errors.add("comment", "required", "Say why the request is returned");
        }
        match (decision, comment) {
            (Some(decision), Some(comment)) if errors.is_empty() => {
                Ok(DecisionMade { decision, comment })
            }
            _ => Err(errors),
        }
    }
}

/// A supervisor shows a case to another worker of its unit, to read only.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShareForm {
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub user_id: Option<String>,
}

impl ShareForm {
    pub fn parse(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        match self.user_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => Ok(id.to_owned()),
            _ => {
                errors.add(
                    "user_id",
                    "required",
                    "Choose the worker to show the case to",
                );
                Err(errors)
            }
        }
    }
}

/// Handing a case to another worker of the centre, or to another centre of the agency.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferForm {
    /// The receiving worker; may be left out for another centre, whose supervisor then
    /// names one on accepting.
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub to_worker_id: Option<String>,
    /// Left out: the case's own centre.
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub to_centre_id: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 500))]
    pub reason: String,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    pub to_worker_id: Option<String>,
    pub to_centre_id: Option<String>,
    pub reason: String,
    pub version: i64,
}

impl TransferForm {
    pub fn parse(&self) -> Result<Transfer, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let reason = errors.check(
            "reason",
            required(one_line(&self.reason, REASON_MAX), "Reason"),
        );
        let version = errors.check("version", version(self.version));
        if self.to_worker_id.is_none() && self.to_centre_id.is_none() {
            errors.add(
                "to_worker_id",
                "required",
                "Name the receiving worker or centre",
            );
        }
        match (reason, version) {
            (Some(reason), Some(version)) if errors.is_empty() => Ok(Transfer {
                to_worker_id: self.to_worker_id.clone(),
                to_centre_id: self.to_centre_id.clone(),
                reason,
                version,
            }),
            _ => Err(errors),
        }
    }
}

stored_codes! {
    /// The receiver's answer to a transfer.
    pub enum TransferAnswer {
        Accepted = "accepted",
        Declined = "declined",
    }
}

/// The receiver's answer to a transfer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferAnswerForm {
    pub answer: Option<TransferAnswer>,
    /// Who takes the case, when a receiving centre's supervisor accepts it.
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub worker_id: Option<String>,
    /// Required to decline, so the sender knows why.
    #[cfg_attr(feature = "server", schema(max_length = 500))]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TransferAnswered {
    pub answer: TransferAnswer,
    pub worker_id: Option<String>,
    pub comment: Option<String>,
}

impl TransferAnswerForm {
    pub fn parse(&self) -> Result<TransferAnswered, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let answer = errors.check("answer", self.answer.ok_or_else(|| missing("Answer")));
        let comment = errors.check("comment", comment(self.comment.as_deref()));
        if answer == Some(TransferAnswer::Declined) && comment == Some(None) {
            errors.add("comment", "required", "Say why the transfer is declined");
        }
        match (answer, comment) {
            (Some(answer), Some(comment)) if errors.is_empty() => Ok(TransferAnswered {
                answer,
                worker_id: self.worker_id.clone(),
                comment,
            }),
            _ => Err(errors),
        }
    }
}

/// Filters of the case list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct CaseListQuery {
    pub state: Option<CaseState>,
    pub case_type: Option<CaseType>,
    /// A case nature code.
    pub nature: Option<String>,
    /// The responsible worker's id.
    pub worker_id: Option<String>,
    /// Cases of this client (as their client, not as a household member).
    pub client_id: Option<String>,
    /// Only cases waiting on someone's decision.
    pub pending: Option<Pending>,
    /// 1-based page number.
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl CaseListQuery {
    /// The page window, once it is valid.
    pub fn window(&self) -> Result<(i64, i64), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let window = crate::paging::window(self.page, self.per_page, &mut errors);
        errors.into_result(|| window)
    }
}

/// An optional one-line comment: empty is none.
fn comment(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    one_line(raw.unwrap_or(""), REASON_MAX).map(|c| Some(c).filter(|c| !c.is_empty()))
}

pub(crate) fn missing(what: &str) -> FieldError {
    FieldError::new("required", format!("{what} is required"))
}

/// The version a record was read at, which every change carries.
pub(crate) fn version(version: Option<i64>) -> Result<i64, FieldError> {
    version.ok_or_else(|| FieldError::new("required", "The version read is required to change it"))
}

/// Ids are the server's own (UUIDs); anything longer is no id of ours.
const ID_MAX: usize = 40;

pub(crate) fn required_id(raw: &str, what: &str) -> Result<String, FieldError> {
    let id = raw.trim();
    if id.is_empty() {
        Err(missing(what))
    } else if id.len() > ID_MAX {
        Err(FieldError::new("unknown", format!("No such {what}")))
    } else {
        Ok(id.to_owned())
    }
}

fn id_list(ids: &[String]) -> Result<Vec<String>, FieldError> {
    list(ids, ID_MAX, PEOPLE_MAX)
}

pub(crate) fn code_list(codes: &[String]) -> Result<Vec<String>, FieldError> {
    list(codes, ID_MAX, NATURES_MAX)
}

/// A list without repeats, in the order given, of values each at most `max_len` long.
fn list(values: &[String], max_len: usize, max_count: usize) -> Result<Vec<String>, FieldError> {
    if values.len() > max_count {
        return Err(FieldError::new("too_many", format!("At most {max_count}")));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values.iter().map(|v| v.trim()) {
        if value.is_empty() || value.len() > max_len {
            return Err(FieldError::new(
                "unknown",
                format!("Unknown value {value:?}"),
            ));
        }
        if !out.iter().any(|v| v == value) {
            out.push(value.to_owned());
        }
    }
    Ok(out)
}

/// The day something took effect: today when left out, never in the future, and not
/// before the platform's first records.
pub fn effective_date(date: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let date = date.unwrap_or(today);
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    if date > today {
        Err(FieldError::new(
            "date_in_future",
            "The date cannot be in the future",
        ))
    } else if date < earliest {
        Err(FieldError::new(
            "date_too_early",
            "The date cannot be before 2000",
        ))
    } else {
        Ok(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn only_the_lifecycle_moves_are_allowed() {
        use CaseState::*;
        assert_eq!(Enquiry.move_to(Waiting), Some(CaseEventKind::Waitlisted));
        assert_eq!(Waiting.move_to(Open), Some(CaseEventKind::Opened));
        assert_eq!(Closed.move_to(Open), Some(CaseEventKind::Reactivated));
        for (from, to) in [
            (Open, Waiting),
            (Open, Enquiry),
            (Waiting, Enquiry),
            (Closed, Waiting),
            (Open, Closed),
            (Waiting, Closed),
            (Open, Open),
        ] {
            assert_eq!(from.move_to(to), None, "{from:?} -> {to:?}");
        }
        assert!(!Closed.may_close());
        assert!(Enquiry.may_close());
    }

    #[test]
    fn codes_round_trip() {
        for source in ReferralSource::ALL {
            assert_eq!(ReferralSource::parse(source.as_str()), Some(*source));
            assert_eq!(serde_json::to_value(source).unwrap(), source.as_str());
        }
        assert_eq!(
            CaseType::parse("brief_supportive"),
            Some(CaseType::BriefSupportive)
        );
        assert_eq!(CaseState::parse("reactivated"), None);
    }

    #[test]
    fn a_case_form_names_every_bad_field() {
        let form = CaseForm {
            client_id: " ".into(),
            state: Some(CaseState::Closed),
            effective_on: NaiveDate::from_ymd_opt(2027, 1, 1),
            nature_codes: vec!["x".repeat(41)],
            ..CaseForm::default()
        };
        let errors = form.parse(today()).unwrap_err().0;
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            vec![
                "case_type",
                "client_id",
                "effective_on",
                "nature_codes",
                "referral_source",
                "state"
            ]
        );
    }

    #[test]
    fn a_valid_case_form_defaults_to_open_today() {
        let form = CaseForm {
            client_id: "c1".into(),
            case_type: Some(CaseType::InDepthCounselling),
            referral_source: Some(ReferralSource::Swd),
            nature_codes: vec!["emotional".into(), "emotional".into()],
            ..CaseForm::default()
        };
        let case = form.parse(today()).unwrap();
        assert_eq!(case.state, CaseState::Open);
        assert_eq!(case.effective_on, today());
        assert_eq!(case.nature_codes, vec!["emotional"]);
    }

    #[test]
    fn returning_a_request_needs_a_comment() {
        let form = DecisionForm {
            decision: Some(Decision::Returned),
            comment: Some("  ".into()),
        };
        assert_eq!(form.parse().unwrap_err().0["comment"].code, "required");
        let form = DecisionForm {
            decision: Some(Decision::Approved),
            comment: None,
        };
        assert_eq!(form.parse().unwrap().comment, None);
    }

    #[test]
    fn a_closure_needs_a_reason_and_a_summary() {
        let errors = ClosureForm {
            closing_summary: "\n \n".into(),
            version: Some(3),
            ..ClosureForm::default()
        }
        .parse(today())
        .unwrap_err()
        .0;
        assert_eq!(errors["closure_reason"].code, "required");
        assert_eq!(errors["closing_summary"].code, "required");
    }
}
