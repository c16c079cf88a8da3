//! Who cosigns for `witness`: the compliance office holds only its mirror, no case
//! directory. The officer's key and principal are checked against each site's own
//! policy, the `reviewers/allowed_signers` its branch carries into `DIR/<site>/`:
//!
//! - the key: `--key FILE` (a private key), `--key FILE.pub` (its private half held by
//!   ssh-agent), or, without `--key`, the ssh-agent key that the sites' policies list
//!   for the principal with `casebench-audit`;
//! - the principal: `--reviewer`, or, without it, the one principal that the sites'
//!   policies list for that key with `casebench-audit`.
//!
//! Each site is then checked again on its own when its head is cosigned
//! ([`super::witness`]): a site whose policy does not allow this key and principal is
//! reported `FAILED` and nothing is cosigned for it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::fetch::mirrored_sites;
use crate::record::allowed_signers::AllowedSigners;
use crate::record::model::NS_AUDIT;
use crate::record::signer::{Signer, passphrase, read_public_key};
use crate::record::sshsig;

/// The officer's principal and signer, for the mirror `dir`.
pub fn officer(
    dir: &Path,
    key: Option<&Path>,
    principal: Option<&str>,
    time: DateTime<Utc>,
) -> Result<(String, Signer), String> {
    officer_with(dir, key, principal, time, &mut passphrase)
}

/// [`officer`] with the passphrase prompt supplied by the caller.
pub fn officer_with(
    dir: &Path,
    key: Option<&Path>,
    principal: Option<&str>,
    time: DateTime<Utc>,
    ask: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<(String, Signer), String> {
    let policy = sites_policy(dir)?;
    let agent = std::env::var_os("SSH_AUTH_SOCK")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from);
    let no_agent = |what: &str| {
        format!(
            "{what}: its private half must be in ssh-agent, but SSH_AUTH_SOCK is not set; \
             or pass --key with the private key file"
        )
    };
    let signer = match key {
        Some(k) if k.extension().is_some_and(|e| e == "pub") => {
            let want = read_public_key(k).map_err(|e| format!("--key {e}"))?;
            let sock = agent.ok_or_else(|| no_agent(&k.display().to_string()))?;
            Signer::from_agent(&sock, Some(&want), &[])?
        }
        Some(k) => Signer::from_file_with(k, ask).map_err(|e| format!("--key {e}"))?,
        None => {
            let sock = agent.ok_or(
                "who cosigns? pass --key PATH (the compliance officer's private key, or a \
                 .pub held by ssh-agent) and --reviewer ID (the officer's principal)",
            )?;
            match principal {
                Some(who) => {
                    Signer::from_agent(&sock, None, &policy.keys_for(who, NS_AUDIT, time))?
                }
                None => {
                    return Signer::from_agent_alone(&sock, &policy, NS_AUDIT, time);
                }
            }
        }
    };
    let who = match principal {
        Some(p) => p.to_string(),
        None => {
            let mut names = policy.principals_allowed(signer.public_key(), NS_AUDIT, time);
            if names.len() != 1 {
                return Err(format!(
                    "pass --reviewer ID: the key {} is listed with casebench-audit for {} \
                     principal(s) in the mirrored sites' allowed_signers{}",
                    sshsig::fingerprint(signer.public_key()),
                    names.len(),
                    if names.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", names.join(", "))
                    }
                ));
            }
            names.remove(0)
        }
    };
    Ok((who, signer))
}

/// Every mirrored site's allowed_signers, as one policy: a line allows a key if some
/// site's policy has it. Used only to pick the key and principal; each site's own
/// policy decides whether it is cosigned. A site whose policy cannot be read is left
/// out here and reported when its turn comes.
fn sites_policy(dir: &Path) -> Result<AllowedSigners, String> {
    let sites = mirrored_sites(dir)?;
    if sites.is_empty() {
        return Err(super::mirror::no_site_message(dir));
    }
    let mut all = Vec::new();
    for site in &sites {
        let Ok(bytes) = crate::record::reviewers::read_allowed_signers(&dir.join(site.as_str()))
        else {
            continue;
        };
        if AllowedSigners::parse(&bytes).is_ok() {
            all.extend_from_slice(&bytes);
            all.push(b'\n');
        }
    }
    AllowedSigners::parse(&all).map_err(|e| format!("the mirrored sites' allowed_signers: {e}"))
}
