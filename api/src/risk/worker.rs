//! Keeps every case's indicator current in the background: the stale cases soon after
//! the writes that marked them, and open cases once a day, since days without contact and
//! children's ages change with time alone.

use std::sync::mpsc;
use std::thread::JoinHandle;

use common::risk::RiskRules;

use super::{service, store};
use crate::db::DbPool;
use crate::error::ApiError;

/// Cases read in one transaction: short enough not to hold SQLite's write lock for long.
const BATCH: i64 = 200;

/// The worker's thread; stopped when dropped.
pub struct RiskWorker {
    stop: mpsc::Sender<()>,
    thread: Option<JoinHandle<()>>,
}

impl RiskWorker {
    pub fn start(pool: DbPool, rules: RiskRules, every: std::time::Duration) -> RiskWorker {
        let (stop, stopped) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("risk".into())
            .spawn(move || {
                if let Err(error) = pool
                    .get()
                    .map_err(ApiError::from)
                    .and_then(|mut conn| Ok(store::adopt_unread(&mut conn)?))
                {
                    tracing::error!(%error, "cases without a risk reading were not adopted");
                }
                loop {
                    match pass(&pool, &rules, &stopped) {
                        Ok(Pass::Stopped) => return,
                        Ok(Pass::Done) => {}
                        Err(error) => tracing::warn!(%error, "risk indicators not refreshed"),
                    }
                    match stopped.recv_timeout(every) {
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                        _ => return,
                    }
                }
            })
            .expect("the risk worker thread starts");
        RiskWorker {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for RiskWorker {
    fn drop(&mut self) {
        let _ = self.stop.send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

enum Pass {
    Done,
    Stopped,
}

/// Marks the open cases not read today, then reads every stale case, a batch at a time,
/// until none is left or the worker is asked to stop.
fn pass(pool: &DbPool, rules: &RiskRules, stopped: &mpsc::Receiver<()>) -> Result<Pass, ApiError> {
    let mut conn = pool.get()?;
    let today = crate::db::day_start(crate::clients::service::hong_kong_today());
    store::mark_day_old(&mut conn, today)?;
    loop {
        if !matches!(stopped.try_recv(), Err(mpsc::TryRecvError::Empty)) {
            return Ok(Pass::Stopped);
        }
        let ids = store::stale(&mut conn, None, BATCH)?;
        if ids.is_empty() {
            return Ok(Pass::Done);
        }
        service::refresh(&mut conn, rules, &ids)?;
    }
}
