use std::io::Write;
use std::process::{Command, Output, Stdio};

use api::identity::{password, store};

use crate::helpers::{temp_dir, Backend, TestDatabase};

crate::on_both_backends!(the_command_line_migrates_seeds_once_and_creates_users);

fn familylink(
    database: &TestDatabase,
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_familylink"))
        .args(args)
        .env("DATABASE_URL", &database.url)
        .env("FAMILYLINK_DATA_DIR", data_dir)
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
        "--centre",
        "HFS-KT",
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
    assert_eq!(user.role, "supervisor");
    assert!(user.centre_id.is_some() && user.agency_id.is_some());
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
}
