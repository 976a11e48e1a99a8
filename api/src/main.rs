use std::io::BufRead;
use std::net::TcpListener;
use std::process::ExitCode;

use api::audit::{self, Actor, ReadAudit};
use api::config::{self, Secrets, Settings};
use api::db::{self, DbPool};
use api::files::FileStore;
use api::identity::service::{self, normalise_username};
use api::identity::{password, store};
use api::state::AppState;
use clap::{Parser, Subcommand};
use common::identity::{Role, Roles, Unit};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// FamilyLink: service platform for Hong Kong's Integrated Family Service Centres.
///
/// Configuration comes from the environment: DATABASE_URL (default data/familylink.db;
/// postgres://... for PostgreSQL), FAMILYLINK_BIND (default 127.0.0.1:8080),
/// FAMILYLINK_DIST (the built web app, default dist/), FAMILYLINK_DATA_DIR (default data/),
/// FAMILYLINK_KEY_DIR (default keys/, apart from the data), FAMILYLINK_SECRET and
/// FAMILYLINK_HKID_KEY (generated into the key directory when unset),
/// FAMILYLINK_TRUSTED_PROXIES (addresses whose X-Forwarded-For is believed),
/// FAMILYLINK_IDLE_TIMEOUT_MINUTES (default 30), FAMILYLINK_MATCH_THRESHOLD (the score
/// from which a client is offered as a possible duplicate, default 0.7) and
/// FAMILYLINK_NOTE_EDIT_HOURS (how long a case note stays editable, default 72),
/// FAMILYLINK_NOTE_DUE_DAYS (an open case without a contact this long is overdue, default
/// 30), FAMILYLINK_CASELOAD_WEIGHTS (each case type's weight in a caseload) and
/// FAMILYLINK_PROTECTION_DECISION_HOURS (how long a child protection concern may wait for
/// a decision before it goes to the supervisor, default 24).
#[derive(Parser)]
#[command(name = "familylink", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API and the web app (the default).
    Serve {
        /// Load the demo data if the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data into an empty database.
    Seed {
        /// The demo agencies, centres, users and clients (see README).
        #[arg(long, required_unless_present = "scale", conflicts_with = "scale")]
        demo: bool,
        /// The demo, then a synthetic data set N times the original project's first phase
        /// (26 centres, 35,706 cases, about 173,000 persons); N may be a fraction. Only
        /// into a database without clients.
        #[arg(long, value_name = "N")]
        scale: Option<f64>,
        /// The generator's seed: the same seed gives the same data.
        #[arg(long, requires = "scale", default_value_t = 1)]
        seed: u64,
    },
    /// Write the statistics workbook of every centre for a financial year, quarter or
    /// month to a file, saying how long its SQL took of the whole (for scheduled exports and
    /// the benchmark).
    Statistics {
        /// The calendar year the financial year starts in: 2021 for 2021-22.
        #[arg(long)]
        year: i32,
        #[arg(long, conflicts_with = "month")]
        quarter: Option<u32>,
        #[arg(long)]
        month: Option<u32>,
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// Also list each query with its time, the slowest first.
        #[arg(long)]
        queries: bool,
    },
    /// Measure theme tagging and de-identification against a labelled set of notes:
    /// precision and recall per theme and per kind of identifier.
    EvaluateLanguage {
        /// A directory of labelled notes, one JSON object a line in `.jsonl` files.
        #[arg(long, default_value = "bench/nlp")]
        set: std::path::PathBuf,
        /// Only the notes of one half: `odd` (the half the lexicon was tuned on) or `even`.
        #[arg(long, value_parser = ["odd", "even"])]
        half: Option<String>,
        /// Also list every miss and every extra find.
        #[arg(long)]
        misses: bool,
    },
    /// Tag the case notes the current lexicon has not tagged, as the server's background
    /// tagger would, and exit saying how many and how fast: for a database just seeded or
    /// a new lexicon, before the server is measured.
    TagNotes,
    /// Read an uploaded file's text for search: the file on standard input, its text on
    /// standard output. The server runs it as a process of its own, under hard limits.
    #[command(name = "extract-text", hide = true)]
    ExtractText {
        /// The file's kind, by its extension (pdf, docx).
        kind: String,
        /// The time the server gives it, in milliseconds.
        #[arg(long)]
        within_ms: u64,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the password is read from standard input (one line, at least 12 characters).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// One of: social_worker, supervisor, centre_admin, agency_admin, analyst, trainer,
        /// learner, resource_admin, system_admin. Repeat it for a user of several roles.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The agency's code (for agency-wide roles).
        #[arg(long)]
        agency: Option<String>,
        /// The centre's code (for centre staff).
        #[arg(long)]
        centre: Option<String>,
        /// The unit of the centre the user works in: family_resource, family_support or
        /// family_counselling.
        #[arg(long, requires = "centre")]
        unit: Option<String>,
    },
    /// Deactivate a user: their sessions stop working at once.
    Deactivate {
        #[arg(long)]
        username: String,
    },
    /// Let a user whose account paused after failed sign-ins try again at once.
    Unlock {
        #[arg(long)]
        username: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Before logging starts: its standard output is the text.
    if let Some(Command::ExtractText { kind, within_ms }) = &cli.command {
        return api::files::extraction::child(kind, std::time::Duration::from_millis(*within_ms));
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("familylink: {error}");
            ExitCode::FAILURE
        }
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn open(settings: &Settings) -> Result<DbPool, Failure> {
    let pool = db::pool(&settings.database_url, settings.db_connections)?;
    let mut conn = pool.get()?;
    db::migrate(&mut conn)?;
    // Clients and notes written before their indexes existed get them: SQL cannot
    // romanise names or cut Chinese text.
    let indexed = api::clients::service::index_unindexed(&mut conn)?;
    if indexed > 0 {
        tracing::info!(
            clients = indexed,
            "name keys and search grams written for clients registered before them"
        );
    }
    let notes = api::case_notes::service::index_unindexed(&mut conn)?;
    if notes > 0 {
        tracing::info!(notes, "search grams written for notes written before them");
    }
    let interrupted = api::statistics::jobs::fail_interrupted(&mut conn)?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "statistics workbooks left unfinished by the last run marked failed"
        );
    }
    Ok(pool)
}

fn run(cli: Cli) -> Result<(), Failure> {
    let settings = Settings::from_env;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(settings()?, demo),
        Command::Migrate => open(&settings()?).map(|_| println!("migrations applied")),
        Command::Seed {
            scale: Some(scale),
            seed,
            ..
        } => seed_scale(&settings()?, scale, seed),
        Command::Seed { .. } => seed(&open(&settings()?)?),
        Command::User { command } => user(&open(&settings()?)?, command),
        Command::TagNotes => tag_notes(&open(&settings()?)?),
        Command::EvaluateLanguage { set, half, misses } => {
            evaluate_language(&set, half.as_deref(), misses)
        }
        Command::ExtractText { .. } => unreachable!("run by main before logging starts"),
        Command::Statistics {
            year,
            quarter,
            month,
            out,
            queries,
        } => statistics(&open(&settings()?)?, year, quarter, month, &out, queries),
    }
}

fn evaluate_language(
    set: &std::path::Path,
    half: Option<&str>,
    misses: bool,
) -> Result<(), Failure> {
    use api::language::{self, evaluation};
    let mut notes = evaluation::read_set(set)?;
    if let Some(half) = half {
        notes.retain(|note| evaluation::is_odd(&note.id) == (half == "odd"));
    }
    let result = evaluation::evaluate(language::language(), &notes);
    if misses {
        for (note, what) in &result.misses {
            println!("{note}: {what}");
        }
        println!();
    }
    print!("{result}");
    Ok(())
}

fn statistics(
    pool: &DbPool,
    year: i32,
    quarter: Option<u32>,
    month: Option<u32>,
    out: &std::path::Path,
    list_queries: bool,
) -> Result<(), Failure> {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use api::statistics::{service as statistics, store as statistics_store, workbook};
    use diesel::connection::{Connection, InstrumentationEvent};

    let today = api::clients::service::hong_kong_today();
    let query = common::statistics::StatisticsQuery {
        year: Some(year),
        quarter,
        month,
        ..Default::default()
    };
    let (period, _) = query
        .parse(common::statistics::financial_year_of(today))
        .map_err(|errors| format!("{:?}", errors.0))?;
    // Each query's time inside the database, from its start to its finish, on each
    // connection the statistics take (they read on several at once).
    let timed = Arc::new(Mutex::new(Vec::<(Duration, String)>::new()));
    let connect = || {
        let mut conn = pool.get()?;
        let timed = timed.clone();
        let mut started = None::<Instant>;
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| match event {
            InstrumentationEvent::StartQuery { .. } => started = Some(Instant::now()),
            InstrumentationEvent::FinishQuery { query, .. } => {
                if let Some(at) = started.take() {
                    let text = query.to_string();
                    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    timed.lock().expect("timer").push((at.elapsed(), text));
                }
            }
            _ => {}
        });
        Ok(conn)
    };
    let begun = Instant::now();
    let centres = statistics_store::centre_ids(&mut *connect()?, None, None)?;
    let figures = statistics::statistics(
        &connect,
        &db::PartBudget::half_of(pool),
        &centres,
        period,
        today,
        chrono::Utc::now().naive_utc(),
    )?;
    let counted = begun.elapsed();
    let bytes = workbook::workbook(&figures, &mut |_| {})?;
    let total = begun.elapsed();
    std::fs::write(out, &bytes)?;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut timed = timed.lock().expect("timer").clone();
    let in_sql: Duration = timed.iter().map(|(d, _)| *d).sum();
    println!(
        "{} centres, {}: SQL {:.0} ms, counted in {:.0} ms, workbook in {:.0} ms ({} bytes)",
        centres.len(),
        period.label_en(),
        ms(in_sql),
        ms(counted),
        ms(total),
        bytes.len()
    );
    if list_queries {
        timed.sort_by_key(|(took, _)| std::cmp::Reverse(*took));
        for (took, text) in timed {
            println!(
                "{:>8.1} ms  {}",
                ms(took),
                text.chars().take(160).collect::<String>()
            );
        }
    }
    Ok(())
}

fn seed(pool: &DbPool) -> Result<(), Failure> {
    if api::seed::demo(&mut *pool.get()?)? {
        println!("demo data loaded");
    } else {
        println!("the database already has users: demo data not loaded");
    }
    Ok(())
}

fn tag_notes(pool: &DbPool) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let tagged = api::case_notes::service::tag_untagged(&mut *pool.get()?, || false)?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{tagged} notes tagged in {seconds:.1} s ({:.0} a second)",
        tagged as f64 / seconds.max(1e-3)
    );
    Ok(())
}

fn seed_scale(settings: &Settings, scale: f64, seed: u64) -> Result<(), Failure> {
    if !(scale.is_finite() && scale > 0.0 && scale <= 100.0) {
        return Err("--scale takes a number above 0, at most 100".into());
    }
    // HKIDs are stored as the server stores them: hashed with its key.
    config::create_private_dir(&settings.data_dir)?;
    let secrets = Secrets::load(&settings.key_dir, &settings.data_dir)?;
    let pool = open(settings)?;
    let started = std::time::Instant::now();
    let options = api::seed::scale::Options {
        scale,
        seed,
        hkid_key: secrets.hkid_key,
        files: file_store(settings)?,
    };
    let loaded = api::seed::scale::load(&mut *pool.get()?, &options)?;
    println!(
        "scale {scale} (seed {seed}) loaded in {:.1} s: {} centres, {} caseworkers and supervisors, \
         {} clients in {} households, {} cases, {} case notes, {} groups, programmes and events, \
         {} attendance marks, {} enquiries, {} assessments, {} i-Hub resources",
        started.elapsed().as_secs_f64(),
        loaded.centres,
        loaded.staff,
        loaded.clients,
        loaded.households,
        loaded.cases,
        loaded.notes,
        loaded.activities,
        loaded.attendance,
        loaded.enquiries,
        loaded.assessments,
        loaded.resources,
    );
    Ok(())
}

/// Reads what the first requests would otherwise wait for, the analytics model and the
/// hub's index, each on a thread of its own, so that the server answers at once.
fn warm(state: &AppState) {
    let analytics = state.analytics.clone();
    warm_apart(&state.pool, "analytics model", move |conn| {
        analytics.warm(conn)
    });
    let hub = state.hub.clone();
    warm_apart(&state.pool, "hub index", move |conn| hub.warm(conn));
}

fn warm_apart(
    pool: &DbPool,
    what: &'static str,
    read: impl FnOnce(&mut db::DbConnection) -> Result<(), api::error::ApiError> + Send + 'static,
) {
    let pool = pool.clone();
    std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let warmed = pool
            .get()
            .map_err(|e| e.to_string())
            .and_then(|mut conn| read(&mut conn).map_err(|e| e.to_string()));
        match warmed {
            Ok(()) => tracing::info!(seconds = started.elapsed().as_secs_f64(), "{what} read"),
            Err(error) => tracing::error!(%error, "{what} not read"),
        }
    });
}

/// The store the settings name: a directory, or object storage configured from the
/// environment.
fn file_store(settings: &Settings) -> Result<FileStore, String> {
    match &settings.file_store_url {
        Some(url) => FileStore::at(url, std::env::vars(), settings.max_upload_bytes),
        None => FileStore::local(&settings.files_dir, settings.max_upload_bytes),
    }
}

fn serve(settings: Settings, demo: bool) -> Result<(), Failure> {
    config::create_private_dir(&settings.data_dir)?;
    let secrets = Secrets::load(&settings.key_dir, &settings.data_dir)?;
    let pool = open(&settings)?;
    if demo {
        seed(&pool)?;
    }
    let listener = TcpListener::bind(&settings.bind)?;
    tracing::info!(address = %settings.bind, "FamilyLink listening: http://{}", settings.bind);
    let (reads, reads_writer) = ReadAudit::start(pool.clone());
    let files = file_store(&settings)?;
    let state = AppState {
        parts: db::PartBudget::half_of(&pool),
        admission: db::Admission::for_pool(&pool),
        pool,
        secrets,
        reads,
        trusted_proxies: settings.trusted_proxies.into(),
        idle_timeout: settings.idle_timeout,
        export_row_limit: settings.export_row_limit,
        match_threshold: settings.match_threshold,
        note_edit_window: settings.note_edit_window,
        note_due_days: settings.note_due_days,
        protection_decision_window: chrono::Duration::hours(settings.protection_decision_hours),
        caseload_weights: settings.caseload_weights,
        risk_rules: settings.risk_rules.clone(),
        suppression_threshold: settings.suppression_threshold,
        analytics: Default::default(),
        calendars: Default::default(),
        sessions: Default::default(),
        reaches: Default::default(),
        held_notes: Default::default(),
        lists: Default::default(),
        hub: Default::default(),
        files,
        extraction: api::files::extraction::Extraction::new(std::env::current_exe()?),
        pdf_fonts: api::pdf::Fonts::at(settings.certificate_font.clone()),
        cpd_policy: settings.cpd_policy,
        certificate_reminder_days: settings.certificate_reminder_days,
    };
    warm(&state);
    let _tagger = api::case_notes::tagger::NoteTagger::start(state.pool.clone());
    // Stopped with the server, when dropped at the end of this function.
    let _risk = api::risk::worker::RiskWorker::start(
        state.pool.clone(),
        settings.risk_rules,
        settings.risk_refresh,
    );
    let served = actix_web::rt::System::new()
        .block_on(async move { api::app::server(state, listener, settings.dist)?.await });
    // Stopped (SIGTERM, Ctrl-C): the reads audited so far are committed before exit.
    reads_writer.close();
    Ok(served?)
}

fn user(pool: &DbPool, command: UserCommand) -> Result<(), Failure> {
    let conn = &mut *pool.get()?;
    match command {
        UserCommand::Create {
            username,
            display_name,
            roles,
            agency,
            centre,
            unit,
        } => {
            let roles = roles
                .iter()
                .map(|name| Role::parse(name).ok_or_else(|| format!("unknown role {name}")))
                .collect::<Result<Vec<_>, _>>()?;
            let roles = Roles::new(roles);
            let unit = unit
                .map(|name| Unit::parse(&name).ok_or_else(|| format!("unknown unit {name}")))
                .transpose()?;
            let username = normalise_username(&username);
            if username.is_empty() || display_name.trim().is_empty() {
                return Err("username and display name are required".into());
            }
            let (agency_id, centre_id) = match (agency, centre) {
                (_, Some(code)) => {
                    let (centre_id, agency_id) =
                        store::centre_by_code(conn, &code)?.ok_or(format!("no centre {code}"))?;
                    (Some(agency_id), Some(centre_id))
                }
                (Some(code), None) => (
                    Some(
                        store::agency_id_by_code(conn, &code)?
                            .ok_or(format!("no agency {code}"))?,
                    ),
                    None,
                ),
                (None, None) => (None, None),
            };
            let unit_id = store::unit_id(conn, centre_id.as_deref(), unit)?;
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            if password.chars().count() < 12 {
                return Err("the password must have at least 12 characters".into());
            }
            let password_hash = password::hash(password).map_err(|e| e.to_string())?;
            let user = store::NewUser {
                username: &username,
                display_name: display_name.trim(),
                password_hash: &password_hash,
                roles: &roles,
                agency_id: agency_id.as_deref(),
                centre_id: centre_id.as_deref(),
                unit_id: unit_id.as_deref(),
            };
            db::transaction(conn, |conn| {
                let id = store::insert_user(conn, &user)?;
                let detail = serde_json::json!({ "roles": roles });
                audit::record(
                    conn,
                    &Actor::command_line(),
                    "user.create",
                    ("user", Some(&id)),
                    Some(detail),
                )
            })?;
            println!("user {username} created");
        }
        UserCommand::Deactivate { username } => {
            let username = normalise_username(&username);
            let changed = db::transaction(conn, |conn| {
                let Some(user) = store::find_by_username(conn, &username)? else {
                    return Ok(false);
                };
                store::set_active(conn, &username, false)?;
                audit::record(
                    conn,
                    &Actor::command_line(),
                    "user.deactivate",
                    ("user", Some(&user.id)),
                    None,
                )?;
                diesel::QueryResult::Ok(true)
            })?;
            if !changed {
                return Err(format!("no user {username}").into());
            }
            println!("user {username} deactivated");
        }
        UserCommand::Unlock { username } => {
            let username = normalise_username(&username);
            if !service::unlock(conn, &Actor::command_line(), &username)? {
                return Err(format!("no user {username}").into());
            }
            println!("user {username} may sign in again");
        }
    }
    Ok(())
}
