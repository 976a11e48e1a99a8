use std::io::Write;
use std::process::{Command, Output, Stdio};

use api::db::schema::{audit_log, login_throttle};
use api::identity::{password, store};
use common::identity::{Role, Roles};
use diesel::prelude::*;

use crate::helpers::{temp_dir, Backend, TestDatabase};

crate::on_both_backends!(
    the_command_line_migrates_seeds_once_and_creates_users,
    a_short_key_stops_the_server_from_starting,
);

fn familylink(
    database: &TestDatabase,
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
) -> Output {
    familylink_with(database, data_dir, args, stdin, &[])
}

fn familylink_with(
    database: &TestDatabase,
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_familylink"))
        .args(args)
        .env("DATABASE_URL", &database.url)
        .env("FAMILYLINK_DATA_DIR", data_dir.join("data"))
        .env("FAMILYLINK_KEY_DIR", data_dir.join("keys"))
        .envs(env.iter().copied())
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run familylink");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("familylink output")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn the_command_line_migrates_seeds_once_and_creates_users(backend: Backend) {
    let database = TestDatabase::new(backend);
    let data = temp_dir();
    let run = |args: &[&str], stdin: Option<&str>| familylink(&database, &data.0, args, stdin);

    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["seed", "--help"],
        &["user", "create", "--help"],
    ] {
        assert!(stdout(&run(args, None)).contains("Usage"), "{args:?}");
    }
    assert!(stdout(&run(&["migrate"], None)).contains("migrations applied"));
    assert!(!run(&["seed"], None).status.success(), "seed needs --demo");
    assert!(stdout(&run(&["seed", "--demo"], None)).contains("demo data loaded"));
    assert!(stdout(&run(&["seed", "--demo"], None)).contains("not loaded"));

    let create = [
        "user",
        "create",
        "--username",
        "Chan.TM",
        "--display-name",
        "陳大文",
        "--role",
        "supervisor",
        "--role",
        "trainer",
        "--centre",
        "HFS-KT",
        "--unit",
        "family_counselling",
    ];
    assert!(
        !run(&create, Some("short\n")).status.success(),
        "a short password is refused"
    );
    assert!(stdout(&run(&create, Some("a long enough password\n"))).contains("created"));
    assert!(
        !run(&create, Some("a long enough password\n"))
            .status
            .success(),
        "usernames are unique"
    );
    let bad_role = [
        "user",
        "create",
        "--username",
        "x",
        "--display-name",
        "X",
        "--role",
        "boss",
    ];
    assert!(!run(&bad_role, Some("a long enough password\n"))
        .status
        .success());

    let pool = api::db::pool(&database.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let user = store::find_by_username(&mut conn, "chan.tm")
        .unwrap()
        .expect("created user");
    assert_eq!(
        store::roles_of(&mut conn, &user.id).unwrap(),
        Roles::new([Role::Trainer, Role::Supervisor])
    );
    assert!(user.centre_id.is_some() && user.agency_id.is_some() && user.unit_id.is_some());
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(password::verify(
        "a long enough password",
        &user.password_hash
    ));

    assert!(
        stdout(&run(&["user", "deactivate", "--username", "chan.tm"], None))
            .contains("deactivated")
    );
    assert!(
        !store::find_by_username(&mut conn, "chan.tm")
            .unwrap()
            .unwrap()
            .active
    );

    // An account paused after failed sign-ins opens again at the operator's word.
    let user = store::find_by_username(&mut conn, "worker")
        .unwrap()
        .unwrap();
    diesel::insert_into(login_throttle::table)
        .values((
            login_throttle::key.eq(format!("account:{}", user.id)),
            login_throttle::window_start.eq(api::db::now()),
            login_throttle::failures.eq(5_i64),
        ))
        .execute(&mut *conn)
        .unwrap();
    assert!(
        stdout(&run(&["user", "unlock", "--username", "Worker"], None)).contains("may sign in")
    );
    assert_eq!(
        login_throttle::table
            .count()
            .get_result::<i64>(&mut *conn)
            .unwrap(),
        0
    );
    assert!(!run(&["user", "unlock", "--username", "nobody"], None)
        .status
        .success());

    // What the operator did is in the audit trail, as the command line's doing.
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::action.like("user.%"))
        .filter(audit_log::actor_id.is_null())
        .order(audit_log::id)
        .select(audit_log::action)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(actions, ["user.create", "user.deactivate", "user.unlock"]);
}

async fn a_short_key_stops_the_server_from_starting(backend: Backend) {
    let database = TestDatabase::new(backend);
    let data = temp_dir();
    let serve = |env: &[(&str, &str)]| {
        familylink_with(
            &database,
            &data.0,
            &["serve"],
            None,
            &[
                // Should the keys ever pass, binding fails rather than serving forever.
                [("FAMILYLINK_BIND", "not an address")].as_slice(),
                env,
            ]
            .concat(),
        )
    };
    let refused = serve(&[("FAMILYLINK_SECRET", "too short")]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("at least 32 bytes"));

    std::fs::create_dir_all(data.0.join("keys")).unwrap();
    std::fs::write(data.0.join("keys").join("hkid.key"), "short\n").unwrap();
    let refused = serve(&[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr)
        .contains("hkid.key must hold a key of at least 32 bytes"));
}

/// Keys live apart from the data, and what holds either is its owner's alone.
#[cfg(unix)]
#[test]
fn keys_and_the_database_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let root = temp_dir();
    let (data, keys) = (root.0.join("data"), root.0.join("keys"));
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;

    // A key left in the data directory by an earlier version moves, unchanged.
    std::fs::create_dir_all(&data).unwrap();
    let legacy = "0123456789abcdef0123456789abcdef-legacy";
    std::fs::write(data.join("hkid.key"), legacy).unwrap();
    let secrets = api::config::Secrets::load(&keys, &data).unwrap();
    assert_eq!(secrets.hkid_key, legacy.as_bytes());
    assert!(!data.join("hkid.key").exists());
    assert_eq!(mode(&keys), 0o700);
    assert_eq!(mode(&keys.join("secret.key")), 0o600);
    assert!(secrets.token_key.len() >= api::config::KEY_MIN_BYTES);

    let database = root.0.join("db").join("familylink.db");
    drop(api::db::pool(database.to_str().unwrap(), 1).unwrap());
    assert_eq!(mode(&database), 0o600);
    assert_eq!(mode(database.parent().unwrap()), 0o700);
}
