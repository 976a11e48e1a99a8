//! Tags, in the background, the notes the current lexicon has not: those written before
//! notes were tagged, and every note again when the lexicon changes. A note saved while
//! the server runs is tagged in its own transaction and never waits for this.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::service;
use crate::db::DbPool;
use crate::error::ApiError;

/// The tagger's thread; stopped when dropped.
pub struct NoteTagger {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl NoteTagger {
    pub fn start(pool: DbPool) -> NoteTagger {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("note-themes".into())
            .spawn(move || {
                let result = pool.get().map_err(ApiError::from).and_then(|mut conn| {
                    service::tag_untagged(&mut conn, || stopped.load(Ordering::Relaxed))
                });
                match result {
                    Ok(0) => {}
                    Ok(notes) => tracing::info!(notes, "case notes tagged with themes"),
                    Err(error) => tracing::warn!(%error, "case notes not tagged with themes"),
                }
            })
            .expect("the note tagger thread starts");
        NoteTagger {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for NoteTagger {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
