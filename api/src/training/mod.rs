//! i-TLS: courses, enrolment, progress, quizzes and certificates.

pub mod certificate;
pub mod report;
pub mod routes;
pub mod service;
pub mod store;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::error::ApiError;

/// The certificates' font, read from its file at the first certificate printed (it is
/// large, and most requests never need it).
#[derive(Clone)]
pub struct CertificateFonts {
    path: PathBuf,
    font: Arc<OnceLock<Result<Arc<certificate::CertificateFont>, String>>>,
}

impl CertificateFonts {
    pub fn at(path: PathBuf) -> CertificateFonts {
        CertificateFonts {
            path,
            font: Arc::default(),
        }
    }

    pub fn get(&self) -> Result<Arc<certificate::CertificateFont>, ApiError> {
        self.font
            .get_or_init(|| certificate::CertificateFont::load(&self.path).map(Arc::new))
            .clone()
            .map_err(|e| ApiError::Unavailable(format!("the certificate font: {e}")))
    }
}
