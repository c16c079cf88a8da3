//! OpenSSH SSHSIG signatures (the `ssh-keygen -Y sign` format), sha512, through
//! `ssh-key`. For ed25519 keys the PEM we write is byte-identical to ssh-keygen's.

use ssh_key::{HashAlg, LineEnding, PublicKey, SshSig};

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
