//! The desktop app's secrets key in the operating system's credential store (Secret Service on
//! Linux, the Keychain on macOS, the Credential Manager on Windows): the key that seals the SMTP
//! password, the model API keys, the actions' credentials and the webhook secrets in the
//! database. Read once at start and given to the core ([`baton::secrets::provide_key`]).
//!
//! - In the store: used.
//! - Not there yet: the key file an earlier Baton kept beside the database is moved into the
//!   store (and the file removed once the store gives the key back), else a new key is made.
//! - No store (a Linux desktop without a Secret Service, a locked keychain…): the key file
//!   beside the database, as `baton serve` keeps it (mode 0600), and the log says so.
//!
//! `BATON_SECRET_KEY`, when set, wins over both (the core reads it).

use std::path::{Path, PathBuf};

use baton::secrets::{self, SecretKey};

/// The service name entries are kept under.
pub const SERVICE: &str = "Baton";

/// Where the key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The OS credential store (moved there from `migrated`, when an old key file was there).
    CredentialStore { migrated: Option<PathBuf> },
    /// No credential store: the key file, and why.
    File { path: PathBuf, why: String },
}

/// The entry of a database's key: one per database, by its key file's path (two desktop
/// databases have two keys, as two key files would).
pub fn entry_for(key_file: &Path) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, &format!("secret-key:{}", key_file.display()))
}

/// The key for the database whose key file would be `key_file`, from `entry` (see the module).
pub fn load(entry: keyring::Result<keyring::Entry>, key_file: &Path) -> (SecretKey, Source) {
    let fallback = |why: String| -> (SecretKey, Source) {
        let path = key_file.to_owned();
        match secrets::load_or_create(key_file) {
            Ok(k) => (k, Source::File { path, why }),
            // Neither works: a key for this run only; sealed secrets will not open and say so.
            Err(e) => (
                SecretKey::generate(),
                Source::File {
                    path,
                    why: format!("{why}; the key file cannot be used either: {e}"),
                },
            ),
        }
    };
    let entry = match entry {
        Ok(e) => e,
        Err(e) => return fallback(format!("no credential store: {e}")),
    };
    match entry.get_password() {
        Ok(text) => match SecretKey::from_base64(&text) {
            Ok(k) => (k, Source::CredentialStore { migrated: None }),
            Err(_) => fallback("the credential store's entry does not hold a key".into()),
        },
        Err(keyring::Error::NoEntry) => {
            let old = key_file
                .exists()
                .then(|| secrets::load_or_create(key_file).ok())
                .flatten();
            let key = old.clone().unwrap_or_else(SecretKey::generate);
            if let Err(e) = entry.set_password(&key.to_base64()) {
                return fallback(format!("the credential store refused the key: {e}"));
            }
            // Only once the store gives it back is the file gone.
            match entry.get_password() {
                Ok(back) if back == key.to_base64() => {
                    let migrated = old.map(|_| {
                        let _ = std::fs::remove_file(key_file);
                        key_file.to_owned()
                    });
                    (key, Source::CredentialStore { migrated })
                }
                _ => fallback("the credential store did not keep the key".into()),
            }
        }
        Err(e) => fallback(format!("the credential store cannot be used: {e}")),
    }
}

/// Reads the key for the database at `url` and gives it to the core, unless
/// `BATON_SECRET_KEY` is set. Logs where it came from.
pub fn provide(url: &str) {
    if std::env::var_os(secrets::KEY_ENV).is_some() {
        return;
    }
    let file = secrets::key_file_for(baton::store::sqlite_file_of(url).as_deref());
    let (key, source) = load(entry_for(&file), &file);
    match &source {
        Source::CredentialStore { migrated: None } => {
            tracing::info!("secrets key: in the OS credential store")
        }
        Source::CredentialStore {
            migrated: Some(path),
        } => tracing::info!(
            file = %path.display(),
            "secrets key: moved from its file into the OS credential store"
        ),
        Source::File { path, why } => tracing::warn!(
            file = %path.display(), %why,
            "secrets key: kept in a file (mode 0600), not in an OS credential store"
        ),
    }
    secrets::provide_key(key);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock() {
        keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
    }

    #[test]
    fn an_old_key_file_moves_into_the_store_and_the_store_is_used_after() {
        mock();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret.key");
        let old = secrets::load_or_create(&file).unwrap();
        // The mock keeps what one entry holds: the same entry stands for the store.
        let entry = entry_for(&file).unwrap();
        let sealed = old.seal(&secrets::Secret::new("smtp password"), "smtp");
        let (k, source) = load(Ok(entry), &file);
        assert_eq!(
            source,
            Source::CredentialStore {
                migrated: Some(file.clone())
            }
        );
        assert!(
            !file.exists(),
            "the key file is gone once the store has the key"
        );
        assert_eq!(k.open(&sealed, "smtp").unwrap().expose(), "smtp password");
    }

    #[test]
    fn without_a_file_a_new_key_is_made_in_the_store() {
        mock();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret.key");
        let entry = entry_for(&file).unwrap();
        let (k, source) = load(Ok(entry), &file);
        assert_eq!(source, Source::CredentialStore { migrated: None });
        assert!(!file.exists(), "no key file is written");
        let sealed = k.seal(&secrets::Secret::new("x"), "p");
        assert_eq!(k.open(&sealed, "p").unwrap().expose(), "x");
    }

    #[test]
    fn without_a_store_the_key_file_is_used_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret.key");
        let failing = Err(keyring::Error::NoStorageAccess(
            "no Secret Service on this session bus".into(),
        ));
        let (k1, source) = load(failing, &file);
        assert!(
            matches!(&source, Source::File { path, why } if path == &file && why.contains("Secret Service")),
            "{source:?}"
        );
        assert!(file.exists());
        let again = Err(keyring::Error::NoStorageAccess("still none".into()));
        let (k2, _) = load(again, &file);
        let sealed = k1.seal(&secrets::Secret::new("y"), "p");
        assert_eq!(k2.open(&sealed, "p").unwrap().expose(), "y", "the same key");
    }
}
