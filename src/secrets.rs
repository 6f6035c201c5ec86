//! Secrets at rest: credentials Baton must send later (an action's bearer token, basic password
//! or API key) are stored sealed with XChaCha20-Poly1305 under a 256-bit key, never in clear.
//!
//! **The key** comes from `BATON_SECRET_KEY` (base64 of 32 bytes) when it is set: what several
//! `baton serve` processes sharing one PostgreSQL database must all be given. Otherwise, the
//! key the host provided ([`provide_key`]: the desktop app keeps it in the operating system's
//! credential store). Otherwise it is a key file, `secret.key`, created on first use with mode 0600 beside the SQLite file (or in the
//! OS data directory, `~/.local/share/baton`, for a PostgreSQL database), so a desktop install
//! needs no setup. An invalid `BATON_SECRET_KEY` is an error, never a silent fallback to the
//! file (secrets sealed under one key would not open under the other).
//!
//! **Sealed form**: `v1:` + base64(24-byte random nonce ‖ ciphertext ‖ tag). The associated
//! data names what the secret is for (e.g. the host it may be sent to), so a sealed value copied
//! to another row or kept after its host changed does not open.
//!
//! **Never shown**: [`Secret`] and [`SecretKey`] print `***` in `Debug` and have no `Display`;
//! the value is read only through [`Secret::expose`], where it is sent.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

/// The environment variable holding the key (base64, 32 bytes).
pub const KEY_ENV: &str = "BATON_SECRET_KEY";
/// The key file's name, in the directory [`key_file_for`] picks.
pub const KEY_FILE: &str = "secret.key";
const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;

/// Why a secret could not be sealed or opened. Messages never carry the secret or the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("BATON_SECRET_KEY is not the base64 of 32 bytes")]
    InvalidKey,
    #[error("the secret key file {path} cannot be used: {detail}")]
    KeyFile { path: String, detail: String },
    #[error(
        "a stored secret cannot be opened with this key (it was saved under another key, or for \
         another host): enter it again, or give this server the BATON_SECRET_KEY it was saved with"
    )]
    Undecryptable,
}

impl From<SecretError> for crate::error::Error {
    fn from(e: SecretError) -> Self {
        match e {
            SecretError::Undecryptable => crate::error::Error::Conflict {
                message: e.to_string(),
                field: Some("auth.secret".into()),
            },
            other => crate::error::Error::Internal(other.to_string()),
        }
    }
}

/// A secret value in memory. `Debug` shows `***`; read it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A 256-bit sealing key. `Debug` shows nothing of it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl SecretKey {
    /// A new random key.
    pub fn generate() -> SecretKey {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        SecretKey(key)
    }

    /// The key from its base64 text (surrounding whitespace ignored).
    pub fn from_base64(text: &str) -> Result<SecretKey, SecretError> {
        let bytes = B64
            .decode(text.trim())
            .map_err(|_| SecretError::InvalidKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| SecretError::InvalidKey)?;
        Ok(SecretKey(key))
    }

    /// The base64 text of the key (what `BATON_SECRET_KEY` and the key file hold).
    pub fn to_base64(&self) -> String {
        B64.encode(self.0)
    }

    /// Seals `plain`, bound to `purpose` (which [`SecretKey::open`] must be given again).
    pub fn seal(&self, plain: &Secret, purpose: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        // Encryption with a valid key and in-memory buffers cannot fail.
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.expose().as_bytes(),
                    aad: purpose.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", B64.encode(out))
    }

    /// Opens what [`SecretKey::seal`] made for the same `purpose`.
    pub fn open(&self, sealed: &str, purpose: &str) -> Result<Secret, SecretError> {
        let bytes = sealed
            .strip_prefix(PREFIX)
            .and_then(|b| B64.decode(b).ok())
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or(SecretError::Undecryptable)?;
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let plain = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: data,
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Undecryptable)?;
        String::from_utf8(plain)
            .map(Secret)
            .map_err(|_| SecretError::Undecryptable)
    }
}

/// Whether a stored value is in the sealed form (anything else is a value stored in clear by
/// an older Baton, sealed at the next start).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// Where the key file of a database lives: beside the SQLite file, else in the OS data
/// directory.
pub fn key_file_for(sqlite_file: Option<&Path>) -> PathBuf {
    match sqlite_file.and_then(Path::parent) {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(KEY_FILE),
        _ => dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("baton")
            .join(KEY_FILE),
    }
}

static PROVIDED: OnceLock<Arc<SecretKey>> = OnceLock::new();

/// Gives the key this process uses (unless `BATON_SECRET_KEY` is set), before any database is
/// opened: the desktop app's, from the OS credential store. False if one was given already.
pub fn provide_key(key: SecretKey) -> bool {
    PROVIDED.set(Arc::new(key)).is_ok()
}

/// The key to use: `BATON_SECRET_KEY` when set, else the key the host provided, else the key
/// file at `file` (created if missing). Keys read from files are kept for the life of the
/// process.
pub fn key(file: &Path) -> Result<Arc<SecretKey>, SecretError> {
    if let Ok(text) = std::env::var(KEY_ENV) {
        return SecretKey::from_base64(&text).map(Arc::new);
    }
    if let Some(k) = PROVIDED.get() {
        return Ok(k.clone());
    }
    static FILES: OnceLock<Mutex<HashMap<PathBuf, Arc<SecretKey>>>> = OnceLock::new();
    let files = FILES.get_or_init(Default::default);
    if let Some(k) = files.lock().ok().and_then(|m| m.get(file).cloned()) {
        return Ok(k);
    }
    let k = Arc::new(load_or_create(file)?);
    if let Ok(mut m) = files.lock() {
        m.insert(file.to_owned(), k.clone());
    }
    Ok(k)
}

/// Reads the key file, or creates it (mode 0600) with a new key. Creation is atomic: the key is
/// written to a private temporary file and linked into place only if no file is there yet, so
/// two processes starting together agree on one key.
pub fn load_or_create(file: &Path) -> Result<SecretKey, SecretError> {
    let fail = |detail: String| SecretError::KeyFile {
        path: file.display().to_string(),
        detail,
    };
    if let Ok(text) = std::fs::read_to_string(file) {
        return SecretKey::from_base64(&text).map_err(|_| fail("it does not hold a key".into()));
    }
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    let key = SecretKey::generate();
    let tmp = dir.join(format!(
        ".{KEY_FILE}.{}.{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let written = write_private(&tmp, key.to_base64().as_bytes());
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, file));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(key),
        // Someone else created it first: theirs is the key.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(file).map_err(|e| fail(e.to_string()))?;
            SecretKey::from_base64(&text).map_err(|_| fail("it does not hold a key".into()))
        }
        Err(e) => Err(fail(e.to_string())),
    }
}

/// Writes `key` to a new file at `path` (mode 0600), replacing what was there: for a rotation,
/// staged beside the key file, then renamed over it.
pub fn write_key_file(path: &Path, key: &SecretKey) -> Result<(), SecretError> {
    let fail = |e: std::io::Error| SecretError::KeyFile {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(fail(e)),
        _ => {}
    }
    write_private(path, key.to_base64().as_bytes()).map_err(fail)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_for_the_same_purpose_only() {
        let key = SecretKey::generate();
        let secret = Secret::new("CANARY-sk-123");
        let sealed = key.seal(&secret, "host:api.example.com");
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("CANARY"));
        assert_ne!(sealed, key.seal(&secret, "host:api.example.com"), "nonce");
        assert_eq!(key.open(&sealed, "host:api.example.com").unwrap(), secret);
        assert_eq!(
            key.open(&sealed, "host:evil.example").unwrap_err(),
            SecretError::Undecryptable
        );
        assert_eq!(
            SecretKey::generate()
                .open(&sealed, "host:api.example.com")
                .unwrap_err(),
            SecretError::Undecryptable
        );
        assert!(key.open("v1:AAAA", "x").is_err());
        assert!(key.open("plain", "x").is_err());
    }

    #[test]
    fn debug_shows_no_secret() {
        let key = SecretKey::generate();
        assert_eq!(format!("{key:?}"), "SecretKey(***)");
        assert_eq!(format!("{:?}", Secret::new("CANARY")), "Secret(***)");
    }

    #[test]
    fn keys_round_trip_as_base64_and_bad_ones_are_refused() {
        let key = SecretKey::generate();
        let again = SecretKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(again.0, key.0);
        assert_eq!(
            SecretKey::from_base64("c2hvcnQ=").unwrap_err(),
            SecretError::InvalidKey
        );
        assert_eq!(
            SecretKey::from_base64("not base64!").unwrap_err(),
            SecretError::InvalidKey
        );
    }

    #[test]
    fn the_key_file_is_created_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let file = key_file_for(Some(&dir.path().join("baton.db")));
        assert_eq!(file, dir.path().join(KEY_FILE));
        let first = load_or_create(&file).unwrap();
        let second = load_or_create(&file).unwrap();
        assert_eq!(first.0, second.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary file left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        std::fs::write(&file, "garbage").unwrap();
        assert!(matches!(
            load_or_create(&file),
            Err(SecretError::KeyFile { .. })
        ));
    }
}
