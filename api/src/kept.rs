//! Answers kept in memory for reads that requests repeat, each with the stamp its inputs
//! had when it was read: one whose stamp has moved since is read again. The stamps are
//! moved by triggers in the writer's own transaction (`calendar_stamps`, `reach_stamps`),
//! or by every transaction this process ends (`db::transactions_ended`), so no writer can
//! forget them, and a reader takes the stamp before what it keeps, so nothing kept is
//! older than its stamp.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// At most `MAX` answers at once; past it, all are let go (each is read again quickly).
pub struct Kept<K, V, const MAX: usize = 1024>(Arc<Mutex<HashMap<K, (i64, V)>>>);

impl<K, V, const MAX: usize> Clone for Kept<K, V, MAX> {
    fn clone(&self) -> Self {
        Kept(self.0.clone())
    }
}

impl<K, V, const MAX: usize> Default for Kept<K, V, MAX> {
    fn default() -> Self {
        Kept(Arc::default())
    }
}

impl<K: Eq + Hash, V: Clone, const MAX: usize> Kept<K, V, MAX> {
    /// The answer kept for the key, if it was read at this stamp.
    pub fn get(&self, key: &K, stamp: i64) -> Option<V> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (at, value) = kept.get(key)?;
        (*at == stamp).then(|| value.clone())
    }

    pub fn keep(&self, key: K, stamp: i64, value: V) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= MAX {
            kept.clear();
        }
        kept.insert(key, (stamp, value));
    }
}
