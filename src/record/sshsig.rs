//! OpenSSH SSHSIG signatures (the `ssh-keygen -Y sign` format), sha512, through
//! `ssh-key`. For ed25519 keys the PEM we write is byte-identical to ssh-keygen's.
//!
//! [`verify_cached`] is [`verify`] for many signatures by a few known keys: it keeps
//! each key's decompressed curve point ([`KeyCache`]) instead of decoding it again for
//! every signature, and otherwise runs the very steps `ssh-key` 0.6 runs.

use std::collections::HashMap;

use ed25519_dalek::Verifier as _;
use ssh_key::public::KeyData;
use ssh_key::{Algorithm, HashAlg, LineEnding, PublicKey, SshSig};

/// The hash every casebench signature uses (ssh-keygen's default).
pub const HASH: HashAlg = HashAlg::Sha512;

/// Why a signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    #[error("the signature file is not an SSH signature: {0}")]
    Malformed(String),
    #[error("signature namespace is `{found}`, expected `{expected}`")]
    Namespace { found: String, expected: String },
    #[error(
        "the signature does not match the file's bytes (the file was changed after signing, or the signature belongs to another file)"
    )]
    Mismatch,
    #[error("signature uses an unsupported algorithm: {0}")]
    Unsupported(String),
}

/// `SHA256:<base64>`, as `ssh-keygen -l` prints it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The PEM text (`-----BEGIN SSH SIGNATURE-----`, LF line endings) of `sig`.
pub fn to_pem(sig: &SshSig) -> Result<String, String> {
    sig.to_pem(LineEnding::LF).map_err(|e| e.to_string())
}

/// Parses a PEM signature.
pub fn from_pem(pem: &[u8]) -> Result<SshSig, SigError> {
    SshSig::from_pem(pem).map_err(|e| SigError::Malformed(e.to_string()))
}

/// Checks `sig` over `msg` in `namespace` and returns the public key it was made with.
/// Who that key belongs to, and whether it may sign, is the allowed_signers' question.
pub fn verify(sig: &SshSig, namespace: &str, msg: &[u8]) -> Result<PublicKey, SigError> {
    if sig.namespace() != namespace {
        return Err(SigError::Namespace {
            found: crate::text::sanitize_line(sig.namespace()),
            expected: namespace.to_string(),
        });
    }
    let key = PublicKey::from(sig.public_key().clone());
    match key.verify(namespace, msg, sig) {
        Ok(()) => Ok(key),
        Err(ssh_key::Error::AlgorithmUnknown | ssh_key::Error::AlgorithmUnsupported { .. }) => {
            Err(SigError::Unsupported(key.algorithm().to_string()))
        }
        Err(_) => Err(SigError::Mismatch),
    }
}

/// The bytes an agent (or any raw signer) must sign for an SSHSIG over `msg`.
pub fn signed_data(namespace: &str, msg: &[u8]) -> Result<Vec<u8>, String> {
    SshSig::signed_data(namespace, HASH, msg).map_err(|e| e.to_string())
}

/// ed25519 keys decoded once for [`verify_cached`], with their fingerprints. Built
/// before a parallel pass and then only read, so threads share it without locks.
#[derive(Default)]
pub struct KeyCache {
    keys: HashMap<[u8; 32], Cached>,
}

struct Cached {
    point: ed25519_dalek::VerifyingKey,
    fingerprint: String,
}

impl KeyCache {
    /// The ed25519 keys among `keys` (others, and bytes that are not a curve point,
    /// are left to the uncached path).
    pub fn new<'a>(keys: impl IntoIterator<Item = &'a PublicKey>) -> KeyCache {
        let mut cache = KeyCache::default();
        for key in keys {
            let KeyData::Ed25519(pk) = key.key_data() else {
                continue;
            };
            // The same conversion ssh-key makes on every verification.
            if let Ok(point) = ed25519_dalek::VerifyingKey::try_from(pk) {
                cache.keys.entry(pk.0).or_insert_with(|| Cached {
                    point,
                    fingerprint: fingerprint(key),
                });
            }
        }
        cache
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// [`fingerprint`], from the cache when the key is in it.
    pub fn fingerprint(&self, key: &PublicKey) -> String {
        match key.key_data() {
            KeyData::Ed25519(pk) => match self.keys.get(&pk.0) {
                Some(c) => c.fingerprint.clone(),
                None => fingerprint(key),
            },
            _ => fingerprint(key),
        }
    }
}

/// [`verify`] with the key's curve point taken from `cache`: same acceptance, same
/// errors. The cached path covers the usual case (an ed25519 signature by a cached key,
/// sha512, no reserved data) and builds the signed data with ssh-key's own encoder;
/// ssh-key verifies by the same `VerifyingKey::verify` (not `verify_strict`) on the
/// same bytes. Everything else, and every failure (to report it exactly as before),
/// goes through [`verify`].
pub fn verify_cached(
    sig: &SshSig,
    namespace: &str,
    msg: &[u8],
    cache: &KeyCache,
) -> Result<PublicKey, SigError> {
    if sig.namespace() == namespace
        && let Some(point) = cached_point(sig, cache)
        && let Ok(signature) = ed25519_dalek::Signature::try_from(sig.signature_bytes())
        && let Ok(data) = SshSig::signed_data(namespace, sig.hash_alg(), msg)
        && point.verify(&data, &signature).is_ok()
    {
        return Ok(PublicKey::from(sig.public_key().clone()));
    }
    verify(sig, namespace, msg)
}

/// The cached point of `sig`'s key when the cached path applies to `sig`.
fn cached_point<'a>(sig: &SshSig, cache: &'a KeyCache) -> Option<&'a ed25519_dalek::VerifyingKey> {
    let KeyData::Ed25519(pk) = sig.public_key() else {
        return None;
    };
    if sig.algorithm() != Algorithm::Ed25519 || sig.hash_alg() != HASH || !sig.reserved().is_empty()
    {
        return None;
    }
    cache.keys.get(&pk.0).map(|c| &c.point)
}
