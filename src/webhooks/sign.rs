//! Standard Webhooks signing: `webhook-id`, `webhook-timestamp` and `webhook-signature:
//! v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the secret's decoded bytes
//! (the secret is `whsec_` + base64). During a rotation the header lists both signatures,
//! space-separated, so a receiver holding either secret verifies.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::secrets::Secret;

pub const SECRET_PREFIX: &str = "whsec_";
/// Random bytes in a new secret (192 bits, as Standard Webhooks senders use).
pub const SECRET_BYTES: usize = 24;

/// A new signing secret: `whsec_` + base64 of [`SECRET_BYTES`] random bytes.
pub fn new_secret() -> Secret {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::new(format!("{SECRET_PREFIX}{}", B64.encode(bytes)))
}

/// The HMAC key of a secret: its base64 part decoded. None for a malformed secret.
pub fn key_of(secret: &Secret) -> Option<Vec<u8>> {
    let b64 = secret.expose().strip_prefix(SECRET_PREFIX)?;
    B64.decode(b64).ok().filter(|k| !k.is_empty())
}

/// A new message id (`msg_` + 32 hex digits): the `webhook-id` of one event to one endpoint.
pub fn new_message_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("msg_{}", hex::encode(bytes))
}

/// `v1,<base64 signature>` of `body` sent as message `id` at unix second `timestamp`.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("v1,{}", B64.encode(mac.finalize().into_bytes()))
}

/// The `webhook-signature` header: one signature per key, space-separated.
pub fn signature_header(keys: &[Vec<u8>], id: &str, timestamp: i64, body: &str) -> String {
    keys.iter()
        .map(|k| signature(k, id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_webhooks_reference_vector() {
        // From the Standard Webhooks specification's test vectors.
        let secret = Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let key = key_of(&secret).unwrap();
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn new_secrets_are_random_and_decodable() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert!(a.expose().starts_with(SECRET_PREFIX));
        assert_eq!(key_of(&a).unwrap().len(), SECRET_BYTES);
        assert!(key_of(&Secret::new("nope")).is_none());
        assert!(key_of(&Secret::new("whsec_")).is_none());
        let id = new_message_id();
        assert!(id.starts_with("msg_") && id.len() == 36 && !id.contains('.'));
    }

    #[test]
    fn a_rotation_header_lists_both_signatures() {
        let (k1, k2) = (vec![1u8; 24], vec![2u8; 24]);
        let h = signature_header(&[k1.clone(), k2.clone()], "msg_1", 10, "{}");
        let parts: Vec<&str> = h.split(' ').collect();
        assert_eq!(
            parts,
            [
                signature(&k1, "msg_1", 10, "{}"),
                signature(&k2, "msg_1", 10, "{}")
            ]
        );
    }
}
