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

#[cfg(test)]
mod tests {
    use super::*;
    use ssh_key::private::Ed25519Keypair;
    use ssh_key::{PrivateKey, Signature};

    const NS: &str = "casebench-decision";

    fn key(seed: u8) -> PrivateKey {
        PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]))
    }

    /// Both paths, with `cache` holding `cached`'s key.
    fn both(sig: &SshSig, ns: &str, msg: &[u8], cache: &KeyCache) -> Result<PublicKey, SigError> {
        let plain = verify(sig, ns, msg);
        let cached = verify_cached(sig, ns, msg, cache);
        assert_eq!(
            plain.as_ref().map(PublicKey::key_data),
            cached.as_ref().map(PublicKey::key_data)
        );
        cached
    }

    /// `sig` with its parts replaced.
    fn rebuild(sig: &SshSig, key: KeyData, hash: HashAlg, signature: Signature) -> SshSig {
        SshSig::new(key, sig.namespace(), hash, signature).unwrap()
    }

    #[test]
    fn cached_path_accepts_what_ssh_key_accepts() {
        let a = key(1);
        let cache = KeyCache::new([a.public_key()]);
        assert_eq!(cache.len(), 1);
        for i in 0..50u32 {
            let msg = format!("record {i}\n").repeat(i as usize + 1);
            let sig = a.sign(NS, HASH, msg.as_bytes()).unwrap();
            let k = both(&sig, NS, msg.as_bytes(), &cache).unwrap();
            assert_eq!(k.key_data(), a.public_key().key_data());
            assert_eq!(cache.fingerprint(&k), fingerprint(a.public_key()));
            // Any change to the message.
            let mut bad = msg.clone().into_bytes();
            bad[i as usize % msg.len()] ^= 1;
            assert_eq!(both(&sig, NS, &bad, &cache), Err(SigError::Mismatch));
        }
    }

    #[test]
    fn every_mutated_signature_byte_is_judged_alike() {
        let a = key(2);
        let cache = KeyCache::new([a.public_key()]);
        let msg = b"the record's bytes\n";
        let sig = a.sign(NS, HASH, msg).unwrap();
        let raw = sig.signature_bytes().to_vec();
        for i in 0..raw.len() {
            for bit in [0x01, 0x80] {
                let mut m = raw.clone();
                m[i] ^= bit;
                let s = rebuild(
                    &sig,
                    sig.public_key().clone(),
                    HASH,
                    Signature::new(Algorithm::Ed25519, m).unwrap(),
                );
                assert_eq!(
                    both(&s, NS, msg, &cache),
                    Err(SigError::Mismatch),
                    "byte {i}"
                );
            }
        }
        // s + l (the group order): the same signature in a non-canonical encoding.
        let mut m = raw.clone();
        let l: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut carry = 0u16;
        for j in 0..32 {
            let v = u16::from(m[32 + j]) + u16::from(l[j]) + carry;
            m[32 + j] = v as u8;
            carry = v >> 8;
        }
        let s = rebuild(
            &sig,
            sig.public_key().clone(),
            HASH,
            Signature::new(Algorithm::Ed25519, m).unwrap(),
        );
        assert!(both(&s, NS, msg, &cache).is_err());
    }

    #[test]
    fn another_key_wrong_namespace_and_swapped_key() {
        let (a, b) = (key(3), key(4));
        let cache = KeyCache::new([a.public_key()]);
        let msg = b"bytes\n";
        // Signed by a key the cache does not hold: valid, and that key is returned
        // (whether it may sign is the allowed_signers' question).
        let by_b = b.sign(NS, HASH, msg).unwrap();
        let k = both(&by_b, NS, msg, &cache).unwrap();
        assert_eq!(k.key_data(), b.public_key().key_data());
        assert_eq!(cache.fingerprint(&k), fingerprint(b.public_key()));
        // b's signature presented as a's.
        let swapped = rebuild(
            &by_b,
            a.public_key().key_data().clone(),
            HASH,
            by_b.signature().clone(),
        );
        assert_eq!(both(&swapped, NS, msg, &cache), Err(SigError::Mismatch));
        // Another namespace.
        let other = a.sign("casebench-practice", HASH, msg).unwrap();
        assert_eq!(
            both(&other, NS, msg, &cache),
            Err(SigError::Namespace {
                found: "casebench-practice".into(),
                expected: NS.into()
            })
        );
    }

    #[test]
    fn uncached_shapes_take_the_ssh_key_path() {
        let a = key(5);
        let cache = KeyCache::new([a.public_key()]);
        let msg = b"bytes\n";
        // sha256 instead of sha512: valid SSHSIG either way.
        let sha256 = a.sign(NS, HashAlg::Sha256, msg).unwrap();
        assert!(both(&sha256, NS, msg, &cache).is_ok());
        // Claimed as sha512 while made over sha256.
        let relabelled = rebuild(
            &sha256,
            sha256.public_key().clone(),
            HashAlg::Sha512,
            sha256.signature().clone(),
        );
        assert_eq!(both(&relabelled, NS, msg, &cache), Err(SigError::Mismatch));
        // Reserved data is signed too: a PEM with it added no longer verifies.
        let sig = a.sign(NS, HASH, msg).unwrap();
        let unchanged = from_pem(&reencode_with_reserved(&sig, b"")).unwrap();
        assert_eq!(unchanged, sig);
        let with_reserved = from_pem(&reencode_with_reserved(&sig, b"x")).unwrap();
        assert_eq!(with_reserved.reserved(), b"x");
        assert_eq!(
            both(&with_reserved, NS, msg, &cache),
            Err(SigError::Mismatch)
        );
        // An ed25519 key with a signature of another algorithm.
        let rsa = rebuild(
            &sig,
            sig.public_key().clone(),
            HASH,
            Signature::new(
                Algorithm::Rsa {
                    hash: Some(HashAlg::Sha512),
                },
                vec![7; 256],
            )
            .unwrap(),
        );
        assert!(both(&rsa, NS, msg, &cache).is_err());
        // An ECDSA signature made by ssh-keygen over "ecdsa-signed message\n".
        let ecdsa = from_pem(ECDSA_PEM.as_bytes()).unwrap();
        let ok = both(&ecdsa, NS, b"ecdsa-signed message\n", &cache);
        assert!(ok.is_ok(), "{ok:?}");
        assert_eq!(
            both(&ecdsa, NS, b"ecdsa-signed message!", &cache),
            Err(SigError::Mismatch)
        );
        // Not a signature at all.
        assert!(matches!(
            from_pem(b"-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"),
            Err(SigError::Malformed(_))
        ));
    }

    #[test]
    fn cache_skips_keys_that_are_not_curve_points() {
        // y = 2 is not the y-coordinate of a point on edwards25519.
        let mut bytes = [0u8; 32];
        bytes[0] = 2;
        let bogus = PublicKey::from(KeyData::Ed25519(ssh_key::public::Ed25519PublicKey(bytes)));
        assert!(ed25519_dalek::VerifyingKey::from_bytes(&bytes).is_err());
        let cache = KeyCache::new([&bogus]);
        assert!(cache.is_empty());
        let a = key(6);
        let sig = a.sign(NS, HASH, b"m").unwrap();
        let claimed = rebuild(
            &sig,
            bogus.key_data().clone(),
            HASH,
            sig.signature().clone(),
        );
        assert_eq!(both(&claimed, NS, b"m", &cache), Err(SigError::Mismatch));
    }

    /// The PEM of an ed25519 SSHSIG by `sig`'s key and signature, with `reserved` as
    /// its reserved field (ssh-key's API cannot make one).
    fn reencode_with_reserved(sig: &SshSig, reserved: &[u8]) -> Vec<u8> {
        fn string(out: &mut Vec<u8>, b: &[u8]) {
            out.extend_from_slice(&(b.len() as u32).to_be_bytes());
            out.extend_from_slice(b);
        }
        let KeyData::Ed25519(pk) = sig.public_key() else {
            panic!("ed25519 only")
        };
        let (mut key, mut signature) = (Vec::new(), Vec::new());
        string(&mut key, b"ssh-ed25519");
        string(&mut key, &pk.0);
        string(&mut signature, b"ssh-ed25519");
        string(&mut signature, sig.signature_bytes());
        let mut blob = b"SSHSIG".to_vec();
        blob.extend_from_slice(&1u32.to_be_bytes());
        string(&mut blob, &key);
        string(&mut blob, sig.namespace().as_bytes());
        string(&mut blob, reserved);
        string(&mut blob, b"sha512");
        string(&mut blob, &signature);
        let b64 = base64(&blob);
        let mut pem = String::from("-----BEGIN SSH SIGNATURE-----\n");
        for line in b64.as_bytes().chunks(70) {
            pem.push_str(std::str::from_utf8(line).unwrap());
            pem.push('\n');
        }
        pem.push_str("-----END SSH SIGNATURE-----\n");
        pem.into_bytes()
    }

    fn base64(b: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in b.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= c.len() {
                    out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    const ECDSA_PEM: &str = "-----BEGIN SSH SIGNATURE-----
U1NIU0lHAAAAAQAAAGgAAAATZWNkc2Etc2hhMi1uaXN0cDI1NgAAAAhuaXN0cDI1NgAAAE
EEanwLbeHFmcdHnsp+cVqTCHGo3pKIMz4AVgxe2AppbRXqgn22Y2qRGO2zaY6lwwlqykYw
QslJiB/kBqpXJgn/RAAAABJjYXNlYmVuY2gtZGVjaXNpb24AAAAAAAAABnNoYTUxMgAAAG
UAAAATZWNkc2Etc2hhMi1uaXN0cDI1NgAAAEoAAAAhALDo8tQzmHoYgXE0kQLeAlHHQWw0
hODEA3Zrrx5jLlfNAAAAIQC6Cob5d3AfV6+DcnTbF51QeukIhtSF2MTlqsg7ZD8X2A==
-----END SSH SIGNATURE-----
";
}
