//! An uploaded document's text, taken in a process of its own.
//!
//! A parser fed crafted bytes can run for minutes (lopdf on overlapping object-stream
//! entries) or take memory without end, and a thread cannot be stopped. So the server runs
//! its own executable (`familylink extract-text <kind>`, hidden from the help) with the
//! file on standard input and its text on standard output, under hard limits set between
//! fork and exec: CPU time (`RLIMIT_CPU`), address space (`RLIMIT_AS`) and no core file;
//! with an empty environment (no keys or database address) and `/` as its directory. At
//! the wall-clock deadline the child is killed and reaped, so nothing of it outlives the
//! upload. A child that fails, runs out of time or writes anything but UTF-8 text within
//! the size text can have gives no text: the file is kept without, and a warning logged.
//!
//! PDF and Word documents go through the child: both are parsed (lopdf; zip and
//! quick-xml), and one rule for every parsed format is simpler to trust than a judgement
//! of each parser. A text file is only checked as UTF-8 and folded, here. Other kinds give
//! no text and start no process.

use std::io::{self, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::content::{self, Kind, MAX_TEXT_CHARS};

/// The subcommand the child runs.
pub const SUBCOMMAND: &str = "extract-text";

/// How long a document's text is waited for; a real document is read in well under it.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// The address space a child may map: the executable, the file, lopdf's objects and one
/// font program inflated at a time fit well within it.
pub const MEMORY_BYTES: u64 = 2 << 30;

/// The most a child may write: the most characters text keeps, four bytes each.
const OUTPUT_LIMIT: usize = MAX_TEXT_CHARS * 4;

/// How often a child is looked at while it finishes.
const POLL: Duration = Duration::from_millis(2);

/// How the server takes a document's text: which executable it runs, and its limits.
#[derive(Clone, Debug)]
pub struct Extraction {
    /// The server's own executable (`std::env::current_exe()`), which has the subcommand.
    pub program: PathBuf,
    /// Wall-clock time the child has; its CPU time is limited to the next whole second.
    pub deadline: Duration,
    pub memory_bytes: u64,
}

/// Why a child gave no text.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("the child did not start: {0}")]
    Spawn(io::Error),
    #[error("the child was killed at its deadline")]
    TimedOut,
    #[error("the child failed: {0}")]
    Exited(ExitStatus),
    #[error("the child wrote more than text can be")]
    TooLong,
    #[error("the child wrote something other than UTF-8 text")]
    NotText,
}

impl Extraction {
    pub fn new(program: PathBuf) -> Extraction {
        Extraction {
            program,
            deadline: DEADLINE,
            memory_bytes: MEMORY_BYTES,
        }
    }

    /// The text of a file for search (see [`content::text`]), empty when it has none or it
    /// could not be taken. Blocking: call it off the async workers.
    pub fn text(&self, kind: Kind, bytes: &[u8]) -> String {
        if !kind.parsed_for_text() {
            return content::text(kind, bytes, self.deadline);
        }
        let started = Instant::now();
        self.in_child(kind, bytes).unwrap_or_else(|failure| {
            tracing::warn!(
                kind = kind.extension,
                size = bytes.len(),
                millis = started.elapsed().as_millis() as u64,
                %failure,
                "a file's text was not taken; it is kept without"
            );
            String::new()
        })
    }

    fn in_child(&self, kind: Kind, bytes: &[u8]) -> Result<String, Failure> {
        let deadline = Instant::now() + self.deadline;
        let mut command = Command::new(&self.program);
        command
            .args([SUBCOMMAND, kind.extension, "--within-ms"])
            .arg(self.deadline.as_millis().to_string())
            .env_clear()
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let cpu_seconds = self.deadline.as_secs() + 1;
        let memory = self.memory_bytes;
        // SAFETY: the closure runs between fork and exec, where only async-signal-safe
        // calls are allowed: it makes three setrlimit calls and allocates nothing.
        unsafe {
            command.pre_exec(move || {
                let limit = |resource, soft, hard| {
                    let limits = libc::rlimit {
                        rlim_cur: soft,
                        rlim_max: hard,
                    };
                    match libc::setrlimit(resource, &limits) {
                        0 => Ok(()),
                        _ => Err(io::Error::last_os_error()),
                    }
                };
                // The soft limit's SIGXCPU ends it; SIGKILL a second later if ignored.
                limit(libc::RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)?;
                limit(libc::RLIMIT_AS, memory, memory)?;
                limit(libc::RLIMIT_CORE, 0, 0)
            });
        }
        let mut child = command.spawn().map_err(Failure::Spawn)?;
        let (stdin, stdout) = (child.stdin.take(), child.stdout.take());
        let (output, status) = thread::scope(|scope| {
            // Written apart from the reading, so that neither pipe can fill and block both
            // ends; a child that stops reading (killed, or done) ends the write.
            scope.spawn(move || stdin.map(|mut stdin| stdin.write_all(bytes)));
            let (sender, received) = mpsc::sync_channel(1);
            scope.spawn(move || {
                let mut out = Vec::new();
                let read =
                    stdout.map(|stdout| stdout.take(OUTPUT_LIMIT as u64 + 1).read_to_end(&mut out));
                let _ = sender.send(read.and_then(Result::ok).map(|_| out));
            });
            let output = received
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .ok()
                .flatten();
            let overflowing = output.as_ref().is_some_and(|out| out.len() > OUTPUT_LIMIT);
            let status = reap(
                &mut child,
                if overflowing {
                    Instant::now()
                } else {
                    deadline
                },
            );
            (output, status)
        });
        let output = match (output, status) {
            (Some(output), _) if output.len() > OUTPUT_LIMIT => return Err(Failure::TooLong),
            (_, Some(status)) if !status.success() => return Err(Failure::Exited(status)),
            (Some(output), Some(_)) => output,
            (_, None) | (None, _) => return Err(Failure::TimedOut),
        };
        let text = String::from_utf8(output).map_err(|_| Failure::NotText)?;
        // Checked as any text is, so a child cannot hand the database what it refuses.
        Ok(content::clean(&text))
    }
}

/// The child's exit status if it ends by `deadline`; otherwise it is killed there and
/// reaped, and there is none.
fn reap(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(POLL),
            _ => break,
        }
    }
    // Killing a child that has just exited is harmless: it is not reaped until `wait`.
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// The child's side: the file on standard input, its text on standard output, its pages
/// read until three quarters of its time, so that what it has is written in time.
pub fn child(kind: &str, within: Duration) -> ExitCode {
    let Some(kind) = Kind::named(kind) else {
        return ExitCode::FAILURE;
    };
    let mut bytes = Vec::new();
    if io::stdin().lock().read_to_end(&mut bytes).is_err() {
        return ExitCode::FAILURE;
    }
    let text = content::text(kind, &bytes, within * 3 / 4);
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
