use serde::{Deserialize, Serialize};

use crate::districts::District;

/// A staff member's role. Who may do what is decided by [`Role::can`] and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SocialWorker,
    Supervisor,
    CentreAdmin,
    AgencyAdmin,
    Analyst,
    Trainer,
    Learner,
    ResourceAdmin,
    SystemAdmin,
}

/// What a request wants to do. Handlers name a permission; the policy says who has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read and search the client records one reaches.
    ViewClients,
    /// Register clients and edit the client records one reaches.
    EditClients,
    /// Export the centre's whole client list to Excel: a permission of its own, since a
    /// list of every family served is more than any one worker's casework needs.
    ExportClients,
    /// Read the cases one reaches.
    ViewCases,
    /// Open cases and work on the cases one reaches.
    EditCases,
    /// Approve closures, accept transfers into the centre and share cases in the unit.
    SuperviseCases,
    /// See aggregate (non-identifying) analytics.
    ViewAnalytics,
    /// Read the centre's enquiry log.
    ViewEnquiries,
    /// Record enquiries, and promote one to a client and a case.
    EditEnquiries,
    /// Merge two records of one person: moves casework between records, so a
    /// supervisor's judgement.
    MergeClients,
    /// Keep the case nature taxonomy: one for the platform, so the platform's own admins.
    EditTaxonomy,
    /// Load the district population figures the profile's rates are reckoned against:
    /// one set for the platform, so the platform's own admins.
    LoadPopulation,
    /// Read the centre's programmes, groups and community events and their calendar.
    ViewActivities,
    /// Run them: plan, schedule, enrol, take the roll call, record reach.
    EditActivities,
    /// Read the assessments of the cases and groups one reaches.
    ViewAssessments,
    /// Administer assessments within them.
    AdministerAssessments,
    /// See the statutory statistics of the centres one sees in aggregate, and export them.
    ViewStatistics,
    /// Set the levels a centre agreed with SWD for a year.
    SetServiceStandards,
    /// Open a statistic to the cases behind it: for those who see both.
    ViewStatisticsCases,
    /// Read and search the narrative of the case notes one reaches: not everyone who
    /// reads a case reads its notes (an agency admin does not).
    ViewCaseNotes,
    /// See the assessment instruments in use (the built-in ones and the agency's own):
    /// whoever assesses, reports outcomes, or adds instruments.
    ViewInstruments,
    /// Add an instrument of the agency's own, or a new version of one, without code.
    AddInstruments,
    /// Open a count of what was run to the programmes, groups and events behind it.
    ViewStatisticsActivities,
    /// See outcomes of service in one of the ways grouped
    /// (`OutcomeGrouping::permission`).
    ViewOutcomes,
    /// Take the case notes of one's analytics scope with every identifier replaced, for
    /// research: an analyst's, who reads no record that names anyone.
    ExportCorpus,
    /// Put a resource on i-Hub's shelf as a draft, and submit it for review.
    ContributeResources,
    /// Review, rate, publish and archive the resources of one's agency (of every
    /// agency, for a resource admin of the platform).
    ReviewResources,
    /// Write courses and publish them, and withdraw the certificates of one's courses.
    TeachCourses,
    /// Enrol in courses and take them.
    TakeCourses,
    /// Enrol the agency's staff in courses, one by one or from a list, and follow their
    /// completion.
    EnrolStaff,
    /// Take part in the co-learning circle: start threads, reply, react, report.
    JoinCircle,
    /// Keep the circle civil: hide a post, lock a thread, deal with what is reported.
    ModerateCircle,
}

impl Permission {
    pub const ALL: [Permission; 32] = [
        Permission::ViewClients,
        Permission::EditClients,
        Permission::ExportClients,
        Permission::ViewCases,
        Permission::EditCases,
        Permission::SuperviseCases,
        Permission::ViewAnalytics,
        Permission::ViewEnquiries,
        Permission::EditEnquiries,
        Permission::MergeClients,
        Permission::EditTaxonomy,
        Permission::LoadPopulation,
        Permission::ViewActivities,
        Permission::EditActivities,
        Permission::ViewAssessments,
        Permission::AdministerAssessments,
        Permission::ViewStatistics,
        Permission::SetServiceStandards,
        Permission::ViewStatisticsCases,
        Permission::ViewCaseNotes,
        Permission::ViewInstruments,
        Permission::AddInstruments,
        Permission::ViewStatisticsActivities,
        Permission::ViewOutcomes,
        Permission::ExportCorpus,
        Permission::ContributeResources,
        Permission::ReviewResources,
        Permission::TeachCourses,
        Permission::TakeCourses,
        Permission::EnrolStaff,
        Permission::JoinCircle,
        Permission::ModerateCircle,
    ];
}

/// How far a user reaches into one kind of record, narrowest first. Aggregates are
/// decided apart ([`AnalyticsScope`]); this is about records that name people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// The cases the user is responsible for or co-works (and, to read, those a
    /// supervisor shared with them), and the clients of those cases or registered by them.
    Own,
    /// Records of the user's centre.
    Centre,
    /// Records of every centre of the user's agency.
    Agency,
    /// Every record.
    All,
}

/// The kinds of record the reach policy covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Records {
    Clients,
    Cases,
    /// The narrative of a case's notes, which not everyone who reads the case may read.
    CaseNotes,
    /// The enquiry log: the front desk's record of enquiries and drop-in contacts.
    Enquiries,
    /// The centre's programmes, groups and community events, their sessions and counts.
    Activities,
    /// Who takes part in them: rosters and roll calls, which name people. A worker's
    /// own are the activities they facilitate or organised.
    Participants,
    /// Measures of how a client is doing, kept within a case or a group: as private as
    /// the case's narrative, so reached like [`Records::CaseNotes`].
    Assessments,
}

/// Reading, or changing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    Read,
    Write,
}

/// How far aggregate analytics reach for a role, narrowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnalyticsScope {
    Centre,
    Agency,
    All,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::SocialWorker,
        Role::Supervisor,
        Role::CentreAdmin,
        Role::AgencyAdmin,
        Role::Analyst,
        Role::Trainer,
        Role::Learner,
        Role::ResourceAdmin,
        Role::SystemAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SocialWorker => "social_worker",
            Role::Supervisor => "supervisor",
            Role::CentreAdmin => "centre_admin",
            Role::AgencyAdmin => "agency_admin",
            Role::Analyst => "analyst",
            Role::Trainer => "trainer",
            Role::Learner => "learner",
            Role::ResourceAdmin => "resource_admin",
            Role::SystemAdmin => "system_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// What this role may do. Permissions over records follow the reach policy
    /// ([`Role::reach`]), so the two cannot disagree.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            ViewClients => self.reach(Records::Clients, Access::Read).is_some(),
            EditClients => self.reach(Records::Clients, Access::Write).is_some(),
            ExportClients => matches!(self, Supervisor | CentreAdmin),
            ViewCases => self.reach(Records::Cases, Access::Read).is_some(),
            EditCases => self.reach(Records::Cases, Access::Write).is_some(),
            SuperviseCases => matches!(self, Supervisor),
            ViewAnalytics => matches!(
                self,
                SocialWorker | Supervisor | CentreAdmin | AgencyAdmin | Analyst | SystemAdmin
            ),
            ViewEnquiries => self.reach(Records::Enquiries, Access::Read).is_some(),
            EditEnquiries => self.reach(Records::Enquiries, Access::Write).is_some(),
            MergeClients => matches!(self, Supervisor),
            EditTaxonomy | LoadPopulation => matches!(self, SystemAdmin),
            ViewActivities => self.reach(Records::Activities, Access::Read).is_some(),
            EditActivities => self.reach(Records::Activities, Access::Write).is_some(),
            ViewAssessments => self.reach(Records::Assessments, Access::Read).is_some(),
            AdministerAssessments => self.reach(Records::Assessments, Access::Write).is_some(),
            ViewStatistics => matches!(
                self,
                Supervisor | CentreAdmin | AgencyAdmin | Analyst | SystemAdmin
            ),
            SetServiceStandards => matches!(self, CentreAdmin | AgencyAdmin),
            ViewStatisticsCases => {
                self.can(ViewStatistics) && self.reach(Records::Cases, Access::Read).is_some()
            }
            ViewCaseNotes => self.reach(Records::CaseNotes, Access::Read).is_some(),
            ViewInstruments => {
                self.can(ViewAssessments) || self.can(ViewStatistics) || self.can(AddInstruments)
            }
            // An instrument is chosen for an agency's practice as a whole.
            AddInstruments => matches!(self, AgencyAdmin),
            ViewStatisticsActivities => {
                self.can(ViewStatistics) && self.reach(Records::Activities, Access::Read).is_some()
            }
            ViewOutcomes => self.can(ViewAssessments) || self.can(ViewStatistics),
            ExportCorpus => matches!(self, Analyst),
            // Practice knowledge comes from practitioners and trainers alike; analysts,
            // learners and the platform's own admins read the shelf but add nothing to it.
            ContributeResources => matches!(
                self,
                SocialWorker | Supervisor | CentreAdmin | AgencyAdmin | Trainer | ResourceAdmin
            ),
            ReviewResources => matches!(self, ResourceAdmin),
            TeachCourses => matches!(self, Trainer),
            TakeCourses => matches!(self, Learner),
            EnrolStaff => matches!(self, AgencyAdmin),
            // The circle is for the sector's practitioners and their trainers; analysts
            // and the platform's own admins have no practice to share there.
            JoinCircle => matches!(
                self,
                SocialWorker
                    | Supervisor
                    | CentreAdmin
                    | AgencyAdmin
                    | Trainer
                    | Learner
                    | ResourceAdmin
            ),
            ModerateCircle => matches!(self, Trainer | ResourceAdmin),
        }
    }

    /// How far this role reaches into `records` for `access`, if at all: the one place
    /// record reach is decided. A worker reaches their own casework; a supervisor their
    /// centre's; a centre admin reads the centre's cases and keeps its client records; an
    /// agency admin reads the agency's cases and clients but no case narrative. The
    /// enquiry log is the centre's front desk: whoever takes enquiries there (workers and
    /// supervisors) reads and writes the whole centre's, and a centre admin reads it; an
    /// enquiry is often anonymous, and is nobody's casework yet. Programmes, groups and
    /// events are the centre's work too, but their rosters name people: a worker reaches
    /// those of the activities they run, a supervisor the centre's. Assessments are as
    /// private as case notes and reached the same way. Nobody reaches another
    /// agency's records, and the platform's own admins, analysts and training and
    /// resource staff reach none.
    pub fn reach(self, records: Records, access: Access) -> Option<Reach> {
        use Access::*;
        use Records::*;
        use Role::*;
        match (self, records, access) {
            (SocialWorker | Supervisor, Enquiries | Activities, _) => Some(Reach::Centre),
            (SocialWorker, _, _) => Some(Reach::Own),
            (Supervisor, _, _) => Some(Reach::Centre),
            (CentreAdmin, Clients, _)
            | (
                CentreAdmin,
                Cases | CaseNotes | Enquiries | Activities | Participants | Assessments,
                Read,
            ) => Some(Reach::Centre),
            (AgencyAdmin, Clients | Cases | Activities | Participants, Read) => Some(Reach::Agency),
            _ => None,
        }
    }

    /// Aggregates carry no names, so they may reach wider than record access does.
    pub fn analytics_scope(self) -> AnalyticsScope {
        match self {
            Role::AgencyAdmin | Role::Analyst => AnalyticsScope::Agency,
            Role::SystemAdmin => AnalyticsScope::All,
            _ => AnalyticsScope::Centre,
        }
    }
}

/// How often a session's activity is written: at most once a minute (so that reading is
/// not writing), and often enough for a short timeout. The server's activity may so lag
/// the user's by this much; the app reckons the idle deadline from it.
pub fn activity_step_seconds(idle_timeout_seconds: i64) -> i64 {
    (idle_timeout_seconds / 10).clamp(1, 60)
}

/// The roles one user holds: they may do what any of them may.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Roles(Vec<Role>);

impl Roles {
    /// Sorted and without repeats, so two equal sets compare equal.
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Roles {
        let mut roles: Vec<Role> = roles.into_iter().collect();
        roles.sort_by_key(|role| Role::ALL.iter().position(|r| r == role));
        roles.dedup();
        Roles(roles)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.iter().any(|role| role.can(permission))
    }

    pub fn permissions(&self) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.can(*p))
            .collect()
    }

    /// The widest reach any of the roles gives for this access.
    pub fn reach(&self, records: Records, access: Access) -> Option<Reach> {
        self.iter()
            .filter_map(|role| role.reach(records, access))
            .max()
    }

    /// The widest of the roles' analytics scopes, for those that see analytics at all.
    pub fn analytics_scope(&self) -> Option<AnalyticsScope> {
        self.iter()
            .filter(|role| role.can(Permission::ViewAnalytics))
            .map(Role::analytics_scope)
            .max()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-HK")]
    ZhHk,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::ZhHk => "zh-HK",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        [Locale::ZhHk, Locale::En]
            .into_iter()
            .find(|l| l.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "server", schema(max_length = 64))]
    pub username: String,
    #[cfg_attr(feature = "server", schema(max_length = 256))]
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub token: String,
    /// When the token stops working (UTC); the app renews it before then.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CentreRef {
    pub id: String,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub district: District,
}

crate::stored_codes! {
    /// The three units of every IFSC and ISC.
    pub enum Unit {
        /// Preventive: drop-in, enquiries, family life education, programmes.
        FamilyResource = "family_resource",
        /// Supportive: outreach, groups, volunteers.
        FamilySupport = "family_support",
        /// Remedial: casework and counselling.
        FamilyCounselling = "family_counselling",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AgencyRef {
    pub id: String,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// The signed-in user, as the app needs to know them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Roles,
    pub agency: Option<AgencyRef>,
    pub centre: Option<CentreRef>,
    /// The unit of the centre the user works in, if any.
    pub unit: Option<Unit>,
    pub locale: Locale,
    pub permissions: Vec<Permission>,
    /// The session ends after this long without the user's activity; the app warns a
    /// minute before.
    pub idle_timeout_seconds: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocaleUpdate {
    pub locale: Locale,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holders(permission: Permission) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| r.can(permission))
            .collect()
    }

    /// The API finds a session under its roster's scope alone (`reached_session`).
    #[test]
    fn a_roster_never_reaches_wider_than_its_activity() {
        for role in Role::ALL {
            for access in [Access::Read, Access::Write] {
                if let Some(roster) = role.reach(Records::Participants, access) {
                    let activity = role.reach(Records::Activities, Access::Read);
                    assert!(activity >= Some(roster), "{role:?} {access:?}");
                }
            }
        }
    }

    #[test]
    fn statistics_are_for_those_who_report_and_their_cases_for_those_who_read_cases() {
        use Role::*;
        assert_eq!(
            holders(Permission::ViewStatistics),
            [Supervisor, CentreAdmin, AgencyAdmin, Analyst, SystemAdmin]
        );
        assert_eq!(
            holders(Permission::ViewStatisticsCases),
            [Supervisor, CentreAdmin, AgencyAdmin]
        );
        assert_eq!(
            holders(Permission::ViewStatisticsActivities),
            [Supervisor, CentreAdmin, AgencyAdmin]
        );
        assert_eq!(
            holders(Permission::SetServiceStandards),
            [CentreAdmin, AgencyAdmin]
        );
    }

    #[test]
    fn only_an_analyst_takes_the_de_identified_corpus() {
        assert_eq!(holders(Permission::ExportCorpus), [Role::Analyst]);
    }

    #[test]
    fn an_agency_admin_reads_cases_but_not_their_notes() {
        use Role::*;
        assert!(AgencyAdmin.can(Permission::ViewCases));
        assert_eq!(
            holders(Permission::ViewCaseNotes),
            [SocialWorker, Supervisor, CentreAdmin]
        );
    }

    #[test]
    fn an_agency_admin_adds_instruments_that_those_who_assess_or_report_see() {
        use Role::*;
        assert_eq!(holders(Permission::AddInstruments), [AgencyAdmin]);
        assert_eq!(
            holders(Permission::ViewInstruments),
            [
                SocialWorker,
                Supervisor,
                CentreAdmin,
                AgencyAdmin,
                Analyst,
                SystemAdmin
            ]
        );
        assert_eq!(
            holders(Permission::ViewOutcomes),
            [
                SocialWorker,
                Supervisor,
                CentreAdmin,
                AgencyAdmin,
                Analyst,
                SystemAdmin
            ]
        );
    }

    #[test]
    fn case_records_stay_with_centre_staff_and_agency_admins_read_them() {
        let case_readers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.can(Permission::ViewCases))
            .collect();
        assert_eq!(
            case_readers,
            vec![
                Role::SocialWorker,
                Role::Supervisor,
                Role::CentreAdmin,
                Role::AgencyAdmin
            ]
        );
        assert!(!Role::AgencyAdmin.can(Permission::EditCases));
        assert!(!Role::CentreAdmin.can(Permission::EditCases));
        assert_eq!(
            Role::AgencyAdmin.reach(Records::CaseNotes, Access::Read),
            None
        );
        assert!(!Role::SystemAdmin.can(Permission::ViewClients));
        assert!(Role::Analyst.can(Permission::ViewAnalytics));
        assert!(!Role::Learner.can(Permission::ViewAnalytics));
    }

    #[test]
    fn the_enquiry_log_is_the_centre_front_desk() {
        for role in [Role::SocialWorker, Role::Supervisor] {
            for access in [Access::Read, Access::Write] {
                assert_eq!(role.reach(Records::Enquiries, access), Some(Reach::Centre));
            }
        }
        assert_eq!(
            Role::CentreAdmin.reach(Records::Enquiries, Access::Read),
            Some(Reach::Centre)
        );
        assert!(!Role::CentreAdmin.can(Permission::EditEnquiries));
        for role in [
            Role::AgencyAdmin,
            Role::Analyst,
            Role::SystemAdmin,
            Role::Learner,
        ] {
            assert!(!role.can(Permission::ViewEnquiries), "{role:?}");
        }
    }

    #[test]
    fn a_set_of_roles_may_do_what_any_of_them_may() {
        let worker_learner = Roles::new([Role::Learner, Role::SocialWorker, Role::Learner]);
        assert_eq!(
            worker_learner.iter().collect::<Vec<_>>(),
            vec![Role::SocialWorker, Role::Learner]
        );
        assert!(worker_learner.can(Permission::ViewClients));
        assert!(!worker_learner.can(Permission::ExportClients));
        assert_eq!(
            worker_learner.reach(Records::Cases, Access::Write),
            Some(Reach::Own)
        );
        assert_eq!(
            Roles::new([Role::SocialWorker, Role::AgencyAdmin]).reach(Records::Cases, Access::Read),
            Some(Reach::Agency)
        );
        assert_eq!(
            Roles::new([Role::SocialWorker, Role::AgencyAdmin])
                .reach(Records::Cases, Access::Write),
            Some(Reach::Own)
        );
        assert_eq!(
            Roles::new([Role::Learner]).reach(Records::Clients, Access::Read),
            None
        );
        assert_eq!(
            Roles::new([Role::SocialWorker, Role::Analyst]).analytics_scope(),
            Some(AnalyticsScope::Agency)
        );
        assert_eq!(Roles::new([Role::Trainer]).analytics_scope(), None);
    }

    #[test]
    fn record_permissions_follow_the_reach_policy() {
        for role in Role::ALL {
            for (records, view, edit) in [
                (
                    Records::Clients,
                    Permission::ViewClients,
                    Permission::EditClients,
                ),
                (Records::Cases, Permission::ViewCases, Permission::EditCases),
                (
                    Records::Enquiries,
                    Permission::ViewEnquiries,
                    Permission::EditEnquiries,
                ),
                (
                    Records::Activities,
                    Permission::ViewActivities,
                    Permission::EditActivities,
                ),
                (
                    Records::Assessments,
                    Permission::ViewAssessments,
                    Permission::AdministerAssessments,
                ),
            ] {
                assert_eq!(role.can(view), role.reach(records, Access::Read).is_some());
                assert_eq!(role.can(edit), role.reach(records, Access::Write).is_some());
            }
            // Whoever writes also reads, at least as far.
            for records in [
                Records::Clients,
                Records::Cases,
                Records::CaseNotes,
                Records::Enquiries,
                Records::Activities,
                Records::Participants,
                Records::Assessments,
            ] {
                assert!(role.reach(records, Access::Write) <= role.reach(records, Access::Read));
            }
        }
    }

    #[test]
    fn role_and_locale_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert_eq!(Locale::parse("zh-HK"), Some(Locale::ZhHk));
        assert_eq!(serde_json::to_value(Locale::En).unwrap(), "en");
    }
}
