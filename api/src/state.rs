use actix_web::web;

use crate::config::Secrets;
use crate::db::{DbConnection, DbPool};
use crate::error::ApiError;

/// What every handler can reach: the pool and the keys.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub secrets: Secrets,
}

impl AppState {
    /// Runs blocking database work off the async workers, with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    }
}
