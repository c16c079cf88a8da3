//! `reviewers/allowed_signers`: who may sign what, in the OpenSSH format (see
//! ssh-keygen(1), "ALLOWED SIGNERS"). casebench reads this subset:
//!
//! - one entry per line: `principals [options] ssh-ed25519 <base64> [comment]`; blank
//!   lines and `#` comments are ignored;
//! - principals: a comma-separated pattern list (`*` and `?` wildcards, `!` negation,
//!   optionally in double quotes), matched as ssh-keygen matches `-I`;
//! - options (comma-separated, names case-insensitive): `namespaces="a,b"` (a pattern
//!   list), `valid-after="YYYYMMDD[HHMM[SS]][Z]"`, `valid-before=...` (with `Z` UTC,
//!   without it local time, as OpenSSH does);
//! - `cert-authority` and any other option are refused with the line number: casebench
//!   verifies plain keys only, and a policy it cannot fully read must not half-apply;
//! - keys: `ssh-ed25519` only.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use sha2::{Digest, Sha256};
use ssh_key::PublicKey;

/// One allowed_signers line.
#[derive(Debug, Clone)]
pub struct Entry {
    pub line: usize,
    pub principals: String,
    pub namespaces: Option<String>,
    pub valid_after: Option<DateTime<Utc>>,
    pub valid_before: Option<DateTime<Utc>>,
    pub key: PublicKey,
}

/// A parsed allowed_signers file and the hash of its exact bytes (a record's `policy`).
#[derive(Debug, Clone)]
pub struct AllowedSigners {
    pub entries: Vec<Entry>,
    pub sha256: [u8; 32],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("allowed_signers line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Why a signer is not allowed, precise enough to say what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("key {key} is not in allowed_signers")]
    UnknownKey { key: String },
    #[error("key {key} belongs to {owners}, not to {principal}")]
    WrongPrincipal {
        key: String,
        principal: String,
        owners: String,
    },
    #[error("{principal} may not sign in namespace {namespace} (allowed: {allowed})")]
    Namespace {
        principal: String,
        namespace: String,
        allowed: String,
    },
    #[error("key of {principal} is not valid before {bound} (signed at {time})")]
    NotYetValid {
        principal: String,
        bound: String,
        time: String,
    },
    #[error("key of {principal} expired: valid-before {bound}, signed at {time}")]
    Expired {
        principal: String,
        bound: String,
        time: String,
    },
}

impl AllowedSigners {
    pub fn parse(bytes: &[u8]) -> Result<AllowedSigners, ParseError> {
        let text = std::str::from_utf8(bytes).map_err(|_| ParseError {
            line: 1,
            message: "not UTF-8 text".into(),
        })?;
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = parse_line(line, i + 1).map_err(|message| ParseError {
                line: i + 1,
                message,
            })?;
            entries.push(entry);
        }
        Ok(AllowedSigners {
            entries,
            sha256: Sha256::digest(bytes).into(),
        })
    }

    /// `sha256:<hex>` of the file's bytes.
    pub fn policy_link(&self) -> String {
        format!("sha256:{}", hex::encode(self.sha256))
    }

    /// Whether `principal` may sign with `key` in `namespace` at `time`; the first line
    /// that allows it wins (as in ssh-keygen). The error explains the closest miss.
    pub fn check(
        &self,
        principal: &str,
        key: &PublicKey,
        namespace: &str,
        time: DateTime<Utc>,
    ) -> Result<&Entry, Denied> {
        let fp = || super::sshsig::fingerprint(key);
        let same_key: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.key.key_data() == key.key_data())
            .collect();
        if same_key.is_empty() {
            return Err(Denied::UnknownKey { key: fp() });
        }
        let mine: Vec<&Entry> = same_key
            .iter()
            .copied()
            .filter(|e| match_list(principal, &e.principals))
            .collect();
        if mine.is_empty() {
            let owners: Vec<&str> = same_key.iter().map(|e| e.principals.as_str()).collect();
            return Err(Denied::WrongPrincipal {
                key: fp(),
                principal: principal.to_string(),
                owners: owners.join(" / "),
            });
        }
        let mut miss = None;
        for e in mine {
            if let Some(ns) = &e.namespaces
                && !match_list(namespace, ns)
            {
                miss.get_or_insert(Denied::Namespace {
                    principal: principal.to_string(),
                    namespace: namespace.to_string(),
                    allowed: ns.clone(),
                });
                continue;
            }
            if let Some(b) = e.valid_before
                && time > b
            {
                miss = Some(Denied::Expired {
                    principal: principal.to_string(),
                    bound: super::model::format_time(&b),
                    time: super::model::format_time(&time),
                });
                continue;
            }
            if let Some(a) = e.valid_after
                && time < a
            {
                miss = Some(Denied::NotYetValid {
                    principal: principal.to_string(),
                    bound: super::model::format_time(&a),
                    time: super::model::format_time(&time),
                });
                continue;
            }
            return Ok(e);
        }
        Err(miss.unwrap_or(Denied::UnknownKey { key: fp() }))
    }

    /// The keys `principal` may sign with in `namespace` at `time` (to pick an agent key).
    pub fn keys_for(
        &self,
        principal: &str,
        namespace: &str,
        time: DateTime<Utc>,
    ) -> Vec<&PublicKey> {
        self.entries
            .iter()
            .filter(|e| self.check(principal, &e.key, namespace, time).is_ok())
            .map(|e| &e.key)
            .collect()
    }

    /// The principals listed literally for `key` that may sign in `namespace` at `time`.
    pub fn principals_allowed(
        &self,
        key: &PublicKey,
        namespace: &str,
        time: DateTime<Utc>,
    ) -> Vec<String> {
        self.principals_of(key)
            .into_iter()
            .filter(|p| self.check(p, key, namespace, time).is_ok())
            .collect()
    }

    /// The principals listed literally (without wildcards) for `key`.
    pub fn principals_of(&self, key: &PublicKey) -> Vec<String> {
        let mut out = Vec::new();
        for e in self
            .entries
            .iter()
            .filter(|e| e.key.key_data() == key.key_data())
        {
            for p in e.principals.split(',') {
                if !p.contains(['*', '?', '!']) && !out.iter().any(|o| o == p) {
                    out.push(p.to_string());
                }
            }
        }
        out
    }
}

fn parse_line(line: &str, _n: usize) -> Result<Entry, String> {
    let (principals, rest) = take_token(line)?;
    let principals = principals.trim_matches('"').to_string();
    if principals.is_empty() {
        return Err("no principals".into());
    }
    let rest = rest.trim_start();
    let (mut namespaces, mut valid_after, mut valid_before) = (None, None, None);
    let rest = if is_key_type(rest) {
        rest
    } else {
        let (opts, after) = take_token(rest)?;
        for opt in split_options(&opts) {
            let (name, value) = match opt.split_once('=') {
                Some((n, v)) => (
                    n.to_ascii_lowercase(),
                    Some(v.trim_matches('"').to_string()),
                ),
                None => (opt.to_ascii_lowercase(), None),
            };
            match (name.as_str(), value) {
                ("cert-authority", _) => {
                    return Err("`cert-authority` (certificate signers) is not supported: list each reviewer's own ssh-ed25519 key".into());
                }
                ("namespaces", Some(v)) => namespaces = Some(v),
                ("valid-after", Some(v)) => valid_after = Some(parse_ssh_time(&v)?),
                ("valid-before", Some(v)) => valid_before = Some(parse_ssh_time(&v)?),
                (other, _) => {
                    return Err(format!(
                        "unsupported option `{}` (supported: namespaces, valid-after, valid-before)",
                        crate::text::sanitize_line(other)
                    ));
                }
            }
        }
        after.trim_start()
    };
    let mut parts = rest.split_whitespace();
    let kind = parts.next().ok_or("missing key type")?;
    let b64 = parts.next().ok_or("missing key")?;
    if kind != "ssh-ed25519" {
        return Err(format!(
            "key type `{}` is not supported; casebench signs and verifies ssh-ed25519 keys",
            crate::text::sanitize_line(kind)
        ));
    }
    let key = PublicKey::from_openssh(&format!("{kind} {b64}"))
        .map_err(|e| format!("invalid key: {e}"))?;
    Ok(Entry {
        line: _n,
        principals,
        namespaces,
        valid_after,
        valid_before,
        key,
    })
}

fn is_key_type(s: &str) -> bool {
    ["ssh-", "ecdsa-", "sk-"].iter().any(|p| s.starts_with(p))
}

/// The next whitespace-delimited token, where double quotes protect spaces.
fn take_token(s: &str) -> Result<(String, &str), String> {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return Ok((s[..i].to_string(), &s[i..])),
            _ => {}
        }
    }
    if quoted {
        return Err("unterminated quote".into());
    }
    Ok((s.to_string(), ""))
}

/// Splits `a,b="x,y",c` at commas outside quotes.
fn split_options(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().filter(|o| !o.is_empty()).collect()
}

/// OpenSSH absolute times: `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, `Z` for UTC.
pub fn parse_ssh_time(s: &str) -> Result<DateTime<Utc>, String> {
    let bad = || {
        format!(
            "invalid time `{}`; expected YYYYMMDD[HHMM[SS]][Z]",
            crate::text::sanitize_line(s)
        )
    };
    let (digits, utc) = match s.strip_suffix(['Z', 'z']) {
        Some(d) => (d, true),
        None => (s, false),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let naive = match digits.len() {
        8 => NaiveDate::parse_from_str(digits, "%Y%m%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0)),
        12 => NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M").ok(),
        14 => NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M%S").ok(),
        _ => None,
    }
    .ok_or_else(bad)?;
    if utc {
        Ok(naive.and_utc())
    } else {
        chrono::Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(bad)
    }
}

/// OpenSSH `match_pattern_list`: true when a positive pattern matches and no negated one.
pub fn match_list(s: &str, list: &str) -> bool {
    let mut matched = false;
    for pat in list.split(',') {
        if let Some(neg) = pat.strip_prefix('!') {
            if match_pattern(s, neg) {
                return false;
            }
        } else if match_pattern(s, pat) {
            matched = true;
        }
    }
    matched
}

/// `*` and `?` wildcards.
pub fn match_pattern(s: &str, pat: &str) -> bool {
    let s: Vec<char> = s.chars().collect();
    let p: Vec<char> = pat.chars().collect();
    let (mut si, mut pi) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            si += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGngHlDAII0G14XvCd98oOG07eV26vNXodcdwYYvFuSK";

    #[test]
    fn patterns() {
        assert!(match_list("a@x.example", "*@x.example"));
        assert!(!match_list("a@x.example", "*@x.example,!a@*"));
        assert!(match_list(
            "casebench-decision",
            "casebench-decision,casebench-review"
        ));
        assert!(match_pattern("abc", "a?c"));
        assert!(!match_pattern("abcd", "a?c"));
    }

    #[test]
    fn parses_subset_and_refuses_the_rest() {
        let f = format!(
            "# c\n\n\"a@x,b@x\" namespaces=\"casebench-decision\",valid-before=\"20270101Z\" {K} c\nc@x {K}\n"
        );
        let a = AllowedSigners::parse(f.as_bytes()).unwrap();
        assert_eq!(a.entries.len(), 2);
        assert_eq!(a.entries[0].principals, "a@x,b@x");
        assert_eq!(a.entries[0].line, 3);
        assert_eq!(
            a.entries[0].valid_before.unwrap(),
            parse_ssh_time("20270101000000Z").unwrap()
        );
        let e = AllowedSigners::parse(format!("a@x cert-authority {K}\n").as_bytes()).unwrap_err();
        assert!(e.message.contains("cert-authority"), "{e}");
        let e =
            AllowedSigners::parse(format!("a@x no-touch-required {K}\n").as_bytes()).unwrap_err();
        assert!(e.message.contains("unsupported option"), "{e}");
    }
}
