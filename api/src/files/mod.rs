//! Files people upload (a hub resource's, a circle post's): kept in one file store (a
//! directory by default; any store `object_store` reaches, named by URL, when a
//! deployment outgrows one machine), received within the size limit and checked by their
//! content, and served back as downloads.

pub mod content;
pub mod extraction;
mod pdf_text;

use std::sync::Arc;

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpResponse};
use object_store::path::Path as StorePath;
use object_store::ObjectStore;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::extract::read_body;

/// Where files are kept, and the most one may weigh.
#[derive(Clone)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    pub max_bytes: usize,
}

impl FileStore {
    /// Files in a directory of this machine, created private if missing.
    pub fn local(dir: &std::path::Path, max_bytes: usize) -> Result<FileStore, String> {
        crate::config::create_private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(FileStore {
            store: Arc::new(store),
            max_bytes,
        })
    }

    /// Files in the store this URL names (`s3://bucket/prefix`), configured by `options`
    /// as its client reads them (`AWS_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, ...;
    /// other names are ignored): `main` passes the environment, a test its own server's.
    pub fn at<K, V>(
        url: &str,
        options: impl IntoIterator<Item = (K, V)>,
        max_bytes: usize,
    ) -> Result<FileStore, String>
    where
        K: AsRef<str>,
        V: Into<String>,
    {
        let url = url.parse().map_err(|e| format!("{url}: {e}"))?;
        let (store, prefix) =
            object_store::parse_url_opts(&url, options).map_err(|e| format!("{url}: {e}"))?;
        let store = object_store::prefix::PrefixStore::new(store, prefix);
        Ok(FileStore {
            store: Arc::new(store),
            max_bytes,
        })
    }

    pub async fn put(&self, key: &str, bytes: web::Bytes) -> Result<(), ApiError> {
        self.store
            .put(&StorePath::from(key), bytes.into())
            .await
            .map(drop)
            .map_err(|e| ApiError::Internal(format!("file store: {e}")))
    }

    /// Keeps many files at once, from code that is not async (the scaled seed): on a
    /// thread and runtime of its own, so it may be called from within another runtime.
    pub fn put_all_blocking(&self, objects: Vec<(String, web::Bytes)>) -> Result<(), ApiError> {
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| ApiError::Internal(e.to_string()))?;
                    runtime.block_on(async {
                        for (key, bytes) in objects {
                            self.put(&key, bytes).await?;
                        }
                        Ok(())
                    })
                })
                .join()
                .map_err(|_| ApiError::Internal("the file store's writer panicked".into()))?
        })
    }

    pub async fn get(&self, key: &str) -> Result<web::Bytes, ApiError> {
        let got = self
            .store
            .get(&StorePath::from(key))
            .await
            .map_err(|e| ApiError::Internal(format!("file store: {e}")))?;
        got.bytes()
            .await
            .map_err(|e| ApiError::Internal(format!("file store: {e}")))
    }

    /// Takes back the bytes of a file whose row was refused.
    pub async fn delete(&self, key: &str) {
        if let Err(error) = self.store.delete(&StorePath::from(key)).await {
            tracing::warn!(%error, key, "a file not kept was not deleted from the store");
        }
    }
}

/// A file as received and checked, before it is kept.
pub struct Received {
    pub bytes: web::Bytes,
    pub kind: content::Kind,
    pub sha256: String,
}

impl Received {
    pub fn size(&self) -> i64 {
        self.bytes.len() as i64
    }
}

/// Reads an upload's body, refused (413) as it grows past the store's limit, and tells
/// its kind from its bytes (PDF, Word, Excel, PowerPoint, PNG, JPEG, MP4, MP3, plain
/// text), never from its name: anything else, or nothing, is 422 on `file`.
pub async fn receive(files: &FileStore, payload: web::Payload) -> Result<Received, ApiError> {
    let bytes = read_body(payload.into_inner(), files.max_bytes)
        .await?
        .freeze();
    if bytes.is_empty() {
        return Err(ApiError::field("file", "required", "The file is empty"));
    }
    web::block(move || {
        let kind = content::sniff(&bytes).ok_or_else(|| {
            ApiError::field(
                "file",
                "unsupported_file_type",
                "Files may be PDF, Word, Excel, PowerPoint, PNG, JPEG, MP4, MP3 or plain text",
            )
        })?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        Ok(Received {
            bytes,
            kind,
            sha256,
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
}

/// A kept file as a download under its own name, never cached by the way.
pub fn download(file_name: String, media_type: &str, bytes: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(media_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::FilenameExt(header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: file_name.into_bytes(),
            })],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}
