//! Settings from the environment, read once at start.

use std::path::{Path, PathBuf};

use rand::RngCore;

#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub bind: String,
    pub dist: PathBuf,
    pub data_dir: PathBuf,
}

impl Settings {
    pub fn from_env() -> Settings {
        let var =
            |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        Settings {
            database_url: var("DATABASE_URL", "data/familylink.db"),
            bind: var("FAMILYLINK_BIND", "127.0.0.1:8080"),
            dist: var("FAMILYLINK_DIST", "dist").into(),
            data_dir: var("FAMILYLINK_DATA_DIR", "data").into(),
        }
    }
}

/// Keys the server signs tokens and hashes identity numbers with.
#[derive(Clone)]
pub struct Secrets {
    pub token_key: Vec<u8>,
    pub hkid_key: Vec<u8>,
}

impl Secrets {
    /// Each key comes from its variable or, when unset, from a file in the data directory,
    /// generated on first start and kept: never a constant in code. The HKID key is apart
    /// from the token key so rotating sign-in keys does not break duplicate matching.
    pub fn load(data_dir: &Path) -> std::io::Result<Secrets> {
        Ok(Secrets {
            token_key: key("FAMILYLINK_SECRET", &data_dir.join("secret.key"))?,
            hkid_key: key("FAMILYLINK_HKID_KEY", &data_dir.join("hkid.key"))?,
        })
    }
}

fn key(variable: &str, file: &Path) -> std::io::Result<Vec<u8>> {
    if let Ok(value) = std::env::var(variable) {
        if value.len() < 32 {
            return Err(std::io::Error::other(format!(
                "{variable} must be at least 32 characters"
            )));
        }
        return Ok(value.into_bytes());
    }
    if let Ok(existing) = std::fs::read_to_string(file) {
        return Ok(existing.trim().as_bytes().to_vec());
    }
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let generated = hex::encode(bytes);
    write_private(file, &generated)?;
    Ok(generated.into_bytes())
}

fn write_private(file: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(file)?.write_all(contents.as_bytes())
}
