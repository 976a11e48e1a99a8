//! Settings from the environment, read once at start.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use rand::RngCore;

/// The heaviest file i-Hub takes by default: a training video, not a film.
pub const MAX_UPLOAD_MB_DEFAULT: i64 = 100;

/// Shortest key accepted, in bytes, from a variable or a file.
pub const KEY_MIN_BYTES: usize = 32;

#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    /// Connections the server holds open to the database at most.
    pub db_connections: u32,
    pub bind: String,
    pub dist: PathBuf,
    pub data_dir: PathBuf,
    pub key_dir: PathBuf,
    pub trusted_proxies: Vec<IpAddr>,
    pub idle_timeout: chrono::Duration,
    pub export_row_limit: i64,
    pub match_threshold: f64,
    pub note_edit_window: chrono::Duration,
    pub note_due_days: i64,
    /// Hours a child protection concern may wait for a decision before it goes to the
    /// supervisor.
    pub protection_decision_hours: i64,
    pub caseload_weights: CaseloadWeights,
    pub suppression_threshold: i64,
    pub risk_rules: common::risk::RiskRules,
    /// How often the risk worker reads the cases marked stale.
    pub risk_refresh: std::time::Duration,
    /// Where i-Hub keeps files: a directory (default `<data>/files`), or the store a URL
    /// names.
    pub files_dir: PathBuf,
    pub file_store_url: Option<String>,
    pub max_upload_bytes: usize,
    /// The CJK font certificates and CPD transcripts are set in.
    pub certificate_font: PathBuf,
    pub cpd_policy: common::cpd::CpdPolicy,
    /// How many days ahead a certificate's expiry is shown.
    pub certificate_reminder_days: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{variable}: {value:?} is not an IP address")]
    NotAnAddress {
        variable: &'static str,
        value: String,
    },
    #[error("{variable} must be a whole number from {min} to {max}")]
    OutOfRange {
        variable: &'static str,
        min: i64,
        max: i64,
    },
    #[error("{variable} must be a decimal from 0 to 1, e.g. 0.7")]
    NotAFraction { variable: &'static str },
    #[error("{variable} must list case types and weights, e.g. brief_supportive=1,in_depth_counselling=2")]
    NotWeights { variable: &'static str },
    #[error("{variable} must list risk factors and weights from 0 to 100, e.g. violence=4,cssa=0")]
    NotRiskWeights { variable: &'static str },
    #[error("{variable} must be hours from 0 to 200, in tenths at most, e.g. 15 or 7.5")]
    NotHours { variable: &'static str },
}

fn number(variable: &'static str, default: i64, min: i64, max: i64) -> Result<i64, SettingsError> {
    match std::env::var(variable) {
        Err(_) => Ok(default),
        Ok(text) => text
            .trim()
            .parse()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or(SettingsError::OutOfRange { variable, min, max }),
    }
}

fn fraction(variable: &'static str, default: f64) -> Result<f64, SettingsError> {
    match std::env::var(variable) {
        Err(_) => Ok(default),
        Ok(text) => text
            .trim()
            .parse()
            .ok()
            .filter(|n| (0.0..=1.0).contains(n))
            .ok_or(SettingsError::NotAFraction { variable }),
    }
}

/// The score from which a client is offered as a possible duplicate: a name alone that is
/// the same in any script (0.95) passes, two syllables of three (0.63) do not.
pub const MATCH_THRESHOLD_DEFAULT: f64 = 0.7;
/// How long the author of a case note may still edit it; corrections after that.
pub const NOTE_EDIT_HOURS_DEFAULT: i64 = 72;
/// An open case without a contact note for this many days is overdue on the homes.
pub const NOTE_DUE_DAYS_DEFAULT: i64 = 30;
/// Aggregates shown beyond one's own centre hide counts of fewer people than this.
pub const SUPPRESSION_THRESHOLD_DEFAULT: i64 = 10;

/// How much work a case of each type counts for in a worker's caseload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseloadWeights {
    pub brief_supportive: f64,
    pub in_depth_counselling: f64,
}

impl Default for CaseloadWeights {
    fn default() -> Self {
        CaseloadWeights {
            brief_supportive: 1.0,
            in_depth_counselling: 2.0,
        }
    }
}

impl CaseloadWeights {
    /// `brief_supportive=1,in_depth_counselling=2`; a type left out keeps its default.
    pub fn parse(text: &str) -> Option<CaseloadWeights> {
        let mut weights = CaseloadWeights::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (code, weight) = pair.split_once('=')?;
            let weight: f64 = weight
                .trim()
                .parse()
                .ok()
                .filter(|w: &f64| (0.0..=100.0).contains(w))?;
            match common::cases::CaseType::parse(code.trim())? {
                common::cases::CaseType::BriefSupportive => weights.brief_supportive = weight,
                common::cases::CaseType::InDepthCounselling => {
                    weights.in_depth_counselling = weight
                }
            }
        }
        Some(weights)
    }

    pub fn of(&self, case_type: common::cases::CaseType) -> f64 {
        match case_type {
            common::cases::CaseType::BriefSupportive => self.brief_supportive,
            common::cases::CaseType::InDepthCounselling => self.in_depth_counselling,
        }
    }
}

impl Settings {
    pub fn from_env() -> Result<Settings, SettingsError> {
        let var =
            |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        let trusted_proxies = var("FAMILYLINK_TRUSTED_PROXIES", "")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse().map_err(|_| SettingsError::NotAnAddress {
                    variable: "FAMILYLINK_TRUSTED_PROXIES",
                    value: s.to_owned(),
                })
            })
            .collect::<Result<_, _>>()?;
        let idle_minutes = number("FAMILYLINK_IDLE_TIMEOUT_MINUTES", 30, 1, 720)?;
        let data_dir: PathBuf = var("FAMILYLINK_DATA_DIR", "data").into();
        Ok(Settings {
            database_url: var("DATABASE_URL", "data/familylink.db"),
            db_connections: number("FAMILYLINK_DB_CONNECTIONS", 8, 1, 256)? as u32,
            bind: var("FAMILYLINK_BIND", "127.0.0.1:8080"),
            dist: var("FAMILYLINK_DIST", "dist").into(),
            files_dir: std::env::var("FAMILYLINK_FILES_DIR")
                .map_or_else(|_| data_dir.join("files"), PathBuf::from),
            data_dir,
            key_dir: var("FAMILYLINK_KEY_DIR", "keys").into(),
            trusted_proxies,
            idle_timeout: chrono::Duration::minutes(idle_minutes),
            // A centre's whole caseload fits well within the default.
            export_row_limit: number("FAMILYLINK_EXPORT_ROW_LIMIT", 50_000, 1, 1_000_000)?,
            match_threshold: fraction("FAMILYLINK_MATCH_THRESHOLD", MATCH_THRESHOLD_DEFAULT)?,
            note_edit_window: chrono::Duration::hours(number(
                "FAMILYLINK_NOTE_EDIT_HOURS",
                NOTE_EDIT_HOURS_DEFAULT,
                0,
                24 * 365,
            )?),
            note_due_days: number("FAMILYLINK_NOTE_DUE_DAYS", NOTE_DUE_DAYS_DEFAULT, 1, 365)?,
            protection_decision_hours: number(
                "FAMILYLINK_PROTECTION_DECISION_HOURS",
                common::child_protection::DECISION_HOURS_DEFAULT,
                1,
                24 * 14,
            )?,
            caseload_weights: match std::env::var("FAMILYLINK_CASELOAD_WEIGHTS") {
                Err(_) => CaseloadWeights::default(),
                Ok(text) => CaseloadWeights::parse(&text).ok_or(SettingsError::NotWeights {
                    variable: "FAMILYLINK_CASELOAD_WEIGHTS",
                })?,
            },
            risk_rules: risk_rules()?,
            suppression_threshold: number(
                "FAMILYLINK_SUPPRESSION_THRESHOLD",
                SUPPRESSION_THRESHOLD_DEFAULT,
                2,
                1_000,
            )?,
            risk_refresh: std::time::Duration::from_secs(number(
                "FAMILYLINK_RISK_REFRESH_SECONDS",
                2,
                1,
                3600,
            )? as u64),
            certificate_font: var("FAMILYLINK_CERTIFICATE_FONT", crate::pdf::DEFAULT_FONT_PATH)
                .into(),
            file_store_url: std::env::var("FAMILYLINK_FILE_STORE_URL")
                .ok()
                .filter(|url| !url.trim().is_empty()),
            max_upload_bytes: number("FAMILYLINK_MAX_UPLOAD_MB", MAX_UPLOAD_MB_DEFAULT, 1, 2048)?
                as usize
                * 1024
                * 1024,
            cpd_policy: cpd_policy()?,
            certificate_reminder_days: number(
                "FAMILYLINK_CERTIFICATE_REMINDER_DAYS",
                common::training::REMINDER_DAYS_DEFAULT,
                0,
                3650,
            )?,
        })
    }
}

/// How CPD hours are counted: the defaults, with what the environment changes. No minimum
/// is set unless a deployment sets one.
fn cpd_policy() -> Result<common::cpd::CpdPolicy, SettingsError> {
    let defaults = common::cpd::CpdPolicy::default();
    let minimum = "FAMILYLINK_CPD_MINIMUM_HOURS_PER_YEAR";
    Ok(common::cpd::CpdPolicy {
        cycle_years: number(
            "FAMILYLINK_CPD_CYCLE_YEARS",
            defaults.cycle_years.into(),
            1,
            10,
        )? as i32,
        first_cycle_year: number(
            "FAMILYLINK_CPD_FIRST_CYCLE_YEAR",
            defaults.first_cycle_year.into(),
            1990,
            2100,
        )? as i32,
        minimum_tenths_per_year: match std::env::var(minimum) {
            Err(_) => None,
            Ok(text) => Some(
                tenths(&text)
                    .filter(|t| (0..=2000).contains(t))
                    .ok_or(SettingsError::NotHours { variable: minimum })?,
            ),
        },
        self_reported_max_percent: number(
            "FAMILYLINK_CPD_SELF_REPORTED_MAX_PERCENT",
            defaults.self_reported_max_percent,
            0,
            100,
        )?,
    })
}

/// Hours written as a person writes them ("15", "7.5") in tenths.
fn tenths(text: &str) -> Option<i64> {
    let (whole, tenth) = match text.trim().split_once('.') {
        Some((whole, tenth)) if tenth.len() == 1 => (whole, tenth),
        Some(_) => return None,
        None => (text.trim(), "0"),
    };
    Some(whole.parse::<i64>().ok()? * 10 + tenth.parse::<i64>().ok()?)
}

/// The risk indicator's rules: the defaults, with what the environment changes.
fn risk_rules() -> Result<common::risk::RiskRules, SettingsError> {
    let defaults = common::risk::RiskRules::default();
    let mut rules = match std::env::var("FAMILYLINK_RISK_WEIGHTS") {
        Err(_) => defaults.clone(),
        Ok(text) => defaults
            .clone()
            .with_weights(&text)
            .ok_or(SettingsError::NotRiskWeights {
                variable: "FAMILYLINK_RISK_WEIGHTS",
            })?,
    };
    rules.threshold = number(
        "FAMILYLINK_RISK_THRESHOLD",
        i64::from(defaults.threshold),
        1,
        1000,
    )? as u32;
    rules.no_contact_days = number(
        "FAMILYLINK_RISK_NO_CONTACT_DAYS",
        defaults.no_contact_days,
        1,
        365,
    )?;
    rules.missed_in_a_row = number(
        "FAMILYLINK_RISK_MISSED_SESSIONS",
        defaults.missed_in_a_row,
        1,
        52,
    )?;
    rules.reactivations = number(
        "FAMILYLINK_RISK_REACTIVATIONS",
        defaults.reactivations,
        1,
        100,
    )?;
    Ok(rules)
}

/// Keys the server signs tokens and hashes identity numbers with.
#[derive(Clone)]
pub struct Secrets {
    pub token_key: Vec<u8>,
    pub hkid_key: Vec<u8>,
}

const TOKEN_KEY_FILE: &str = "secret.key";
const HKID_KEY_FILE: &str = "hkid.key";

impl Secrets {
    /// Each key comes from its variable or, when unset, from a file in the key directory,
    /// generated on first start and kept: never a constant in code. The key directory is
    /// apart from the data directory, so a copy of the data (a backup, a stolen disk image
    /// of `data/`) does not carry the key that would let anyone test HKID candidates
    /// against the stored hashes. The HKID key is apart from the token key so rotating
    /// sign-in keys does not break duplicate matching.
    pub fn load(key_dir: &Path, data_dir: &Path) -> std::io::Result<Secrets> {
        create_private_dir(key_dir)?;
        for file in [TOKEN_KEY_FILE, HKID_KEY_FILE] {
            move_legacy_key(&data_dir.join(file), &key_dir.join(file))?;
        }
        Ok(Secrets {
            token_key: key("FAMILYLINK_SECRET", &key_dir.join(TOKEN_KEY_FILE))?,
            hkid_key: key("FAMILYLINK_HKID_KEY", &key_dir.join(HKID_KEY_FILE))?,
        })
    }
}

/// Earlier versions kept generated keys in the data directory. Moving them (never
/// regenerating) keeps every stored HKID hash matchable.
fn move_legacy_key(old: &Path, new: &Path) -> std::io::Result<()> {
    if old == new || !old.exists() {
        return Ok(());
    }
    if new.exists() {
        return Err(std::io::Error::other(format!(
            "{} and {} both exist: keep the one in the key directory and remove the other",
            old.display(),
            new.display()
        )));
    }
    tracing::warn!(from = %old.display(), to = %new.display(), "moving a key out of the data directory");
    std::fs::rename(old, new).or_else(|_| {
        // Across file systems a rename fails: copy, then remove the original.
        write_private(new, &std::fs::read_to_string(old)?)?;
        std::fs::remove_file(old)
    })
}

fn key(variable: &str, file: &Path) -> std::io::Result<Vec<u8>> {
    let too_short = |source: String| {
        std::io::Error::other(format!(
            "{source} must hold a key of at least {KEY_MIN_BYTES} bytes"
        ))
    };
    if let Ok(value) = std::env::var(variable) {
        if value.len() < KEY_MIN_BYTES {
            return Err(too_short(variable.to_owned()));
        }
        return Ok(value.into_bytes());
    }
    match std::fs::read_to_string(file) {
        Ok(existing) => {
            let existing = existing.trim();
            if existing.len() < KEY_MIN_BYTES {
                return Err(too_short(file.display().to_string()));
            }
            return Ok(existing.as_bytes().to_vec());
        }
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
        Err(_) => {}
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let generated = hex::encode(bytes);
    write_private(file, &generated)?;
    Ok(generated.into_bytes())
}

/// Creates `dir` (and missing parents) so that only its owner can enter it. A directory
/// that already exists keeps its mode, since it may be shared (`/tmp`); a warning says
/// when others can read it.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if let Ok(meta) = std::fs::metadata(dir) {
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(dir = %dir.display(), "directory is readable by other users: consider chmod 700");
            }
        }
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates `file` (it must not exist) readable and writable by its owner only.
fn write_private(file: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    create_private_file(file)?.write_all(contents.as_bytes())
}

pub fn create_private_file(file: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(file)
}
