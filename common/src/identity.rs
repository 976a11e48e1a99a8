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
    /// Read and search client records of one's own centre.
    ViewClients,
    /// Register and edit client records of one's own centre.
    EditClients,
    /// Export the centre's whole client list to Excel: a permission of its own, since a
    /// list of every family served is more than any one worker's casework needs.
    ExportClients,
    /// See aggregate (non-identifying) analytics.
    ViewAnalytics,
}

/// How far aggregate analytics reach for a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

    /// Client records are personal data about vulnerable families: only the staff who
    /// serve them in the centre (workers, their supervisors, the centre's admin) see them.
    /// Agency and system admins manage the platform, not cases.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            ViewClients | EditClients => matches!(self, SocialWorker | Supervisor | CentreAdmin),
            ExportClients => matches!(self, Supervisor | CentreAdmin),
            ViewAnalytics => matches!(
                self,
                SocialWorker | Supervisor | CentreAdmin | AgencyAdmin | Analyst | SystemAdmin
            ),
        }
    }

    pub fn permissions(self) -> Vec<Permission> {
        [
            Permission::ViewClients,
            Permission::EditClients,
            Permission::ExportClients,
            Permission::ViewAnalytics,
        ]
        .into_iter()
        .filter(|p| self.can(*p))
        .collect()
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
    pub role: Role,
    pub agency: Option<AgencyRef>,
    pub centre: Option<CentreRef>,
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

    #[test]
    fn only_centre_staff_touch_client_records() {
        let record_roles: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.can(Permission::ViewClients))
            .collect();
        assert_eq!(
            record_roles,
            vec![Role::SocialWorker, Role::Supervisor, Role::CentreAdmin]
        );
        assert!(!Role::SystemAdmin.can(Permission::ViewClients));
        assert!(Role::Analyst.can(Permission::ViewAnalytics));
        assert!(!Role::Learner.can(Permission::ViewAnalytics));
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
