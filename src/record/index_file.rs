//! The persistent index of the log, `decisions/cache/index`: what an append learnt of
//! the log (its head, the verified head, each case's history summary) kept for the next
//! process, so that a `decide`, `list` or workbench start costs what the work costs and
//! not what the whole log costs.
//!
//! ```text
//! casebench-index/1
//! log: <inode> <mtime s> <mtime ns> <ctime s> <ctime ns>   of decisions/log/
//! checkpoints: the same of decisions/checkpoints/, or `none`
//! verified: <seq> <record link> <signature link> <signatures chain>
//! window: <next seq the append spot-checks>
//! head: <seq> <link>
//! case <id> <count> <decision seen 0|1> <practice seen 0|1>
//! last <seq> <kind> <time> <link> <outcome> <reviewer>
//! final <seq> <kind> <time> <link> <outcome> <reviewer>      (when settled)
//! signers <principal>...
//! deciders <principal>...
//! countersigned <principal>...
//! ...
//! sum: sha256:<hex of every byte before this line>
//! ```
//!
//! It is a cache: deleting it changes no answer, only the time. It is used only when
//! everything below holds, and rebuilt from the log otherwise:
//! - the checksum matches (a truncated or hand-edited file is not ours);
//! - the file belongs to the owner of the head record (the writer who made the last
//!   append; the cache directory lets any member replace the file, which changes its
//!   owner, and the file itself is not group-writable);
//! - the log directory's inode and change times are those it recorded (no record or
//!   signature was added, removed or renamed since), no record or signature follows its
//!   head, its head's record and signature are there byte for byte, and the verified
//!   head file says the same ([`super::witness`]).
//!
//! `verify` and `audit` never read it.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::log::{CaseHistory, Entry, Index, MAX_RECORD_BYTES, Paths, SHARED_DIR_MODE};
use super::model::{RecordType, sha256_link};
use super::witness::{self, VerifiedHead};
use crate::store::safe_open::{ReadError, SafeDir};

const TAG: &str = "casebench-index/1";
pub const FILE_NAME: &str = "index";
/// Not group-writable: a member can replace the file (which makes it theirs, and so
/// not trusted) but not edit it in place.
const FILE_MODE: u32 = 0o640;
/// Indexes are small (six lines, ~300 bytes, per case: 9 MB for 30,000 cases); anything
/// larger is not one of ours, and is not read.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Inode and change times of the log directory: they change when a name is added,
/// removed or renamed in it (a record deleted from the middle, or appended by another
/// writer). Timestamps may be coarse, so a user of the stamp checks the names too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DirStamp {
    ino: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl DirStamp {
    pub(crate) fn of(dir: &std::path::Path) -> Option<DirStamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::symlink_metadata(dir).ok()?;
        Some(DirStamp {
            ino: m.ino(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
        })
    }
}

/// What a writer knows of the log after its append (or a full verification).
#[derive(Debug, Clone)]
pub(crate) struct Known {
    pub index: Index,
    pub head: VerifiedHead,
    /// The log directory as it was right after the append.
    pub stamp: DirStamp,
    /// `decisions/checkpoints/` then: a checkpoint added since makes the gate run whole.
    pub checkpoints: Option<DirStamp>,
    /// The first record the next append spot-checks ([`super::append`]).
    pub window: u64,
}

/// Whether the log is as `k` describes it: the same directory names (stamp), no
/// record or signature after its head, its head's record and signature unchanged, and
/// the verified head file the one it describes.
pub(crate) fn untouched_since(p: &Paths, k: &Known) -> bool {
    if k.index.head != k.head.seq
        || k.index.head_link != k.head.record
        || DirStamp::of(&p.log) != Some(k.stamp)
        || DirStamp::of(&p.checkpoints) != k.checkpoints
        || witness::read(p).as_ref() != Some(&k.head)
    {
        return false;
    }
    if k.head.seq == 0 {
        return false;
    }
    let Ok(dir) = SafeDir::open(&p.log) else {
        return false;
    };
    let next = k.head.seq + 1;
    let absent = |name: String| {
        matches!(
            dir.read_file(&name, MAX_RECORD_BYTES),
            Err(ReadError::Io(ref e)) if e.kind() == std::io::ErrorKind::NotFound
        )
    };
    let same = |name: String, link: &str| {
        dir.read_file(&name, MAX_RECORD_BYTES)
            .is_ok_and(|b| sha256_link(&b) == link)
    };
    absent(super::log::record_name(next))
        && absent(super::log::sig_name(next))
        && same(super::log::record_name(k.head.seq), &k.head.record)
        && same(super::log::sig_name(k.head.seq), &k.head.signature)
}

/// The index file, when it is there, whole, and written by the owner of the head
/// record. Whether it still describes the log is [`untouched_since`]'s question.
pub(crate) fn load(p: &Paths) -> Option<Known> {
    use std::io::Read;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    // One open file for the owner, the size and the bytes: never a name read twice.
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(p.cache.join(FILE_NAME))
        .ok()?;
    let meta = file.metadata().ok()?;
    // Writable by others, or too large: not ours, and not worth reading.
    if !meta.is_file() || meta.len() > MAX_BYTES || meta.mode() & 0o022 != 0 {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes).ok()?;
    let known = parse(std::str::from_utf8(&bytes).ok()?)?;
    let head =
        std::fs::symlink_metadata(p.log.join(super::log::record_name(known.head.seq))).ok()?;
    (meta.uid() == head.uid()).then_some(known)
}

/// Whether this process's user owns the head record of `k` (and so may write an index
/// that [`load`] will believe).
pub(crate) fn owns_head(p: &Paths, k: &Known) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    std::fs::symlink_metadata(p.log.join(super::log::record_name(k.head.seq)))
        .is_ok_and(|m| m.uid() == me)
}

/// Writes the index (a temporary in the cache directory renamed over the old file).
/// It is a cache: the caller ignores a failure, which costs the next process time.
pub(crate) fn store(p: &Paths, k: &Known) -> std::io::Result<()> {
    crate::store::publish::ensure_dir(&p.cache, SHARED_DIR_MODE)?;
    crate::store::publish::replace_cache(&p.cache, FILE_NAME, render(k).as_bytes(), FILE_MODE)
}

/// Bytes outside `[A-Za-z0-9._@+:-]` are written `%XX`, so every field is one word.
fn esc(s: &str, out: &mut String) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b".-_@+:".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

fn unesc(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn render_entry(tag: &str, e: &Entry, out: &mut String) {
    let _ = write!(
        out,
        "{tag} {} {} {} {} ",
        e.seq,
        e.kind.as_str(),
        e.time.timestamp(),
        e.link
    );
    esc(&e.outcome, out);
    out.push(' ');
    esc(&e.reviewer, out);
    out.push('\n');
}

fn render_set(tag: &str, set: &BTreeSet<String>, out: &mut String) {
    out.push_str(tag);
    for s in set {
        out.push(' ');
        esc(s, out);
    }
    out.push('\n');
}

pub(crate) fn render(k: &Known) -> String {
    let mut out = String::with_capacity(256 + 300 * k.index.cases.len());
    let stamp = |s: &DirStamp| {
        format!(
            "{} {} {} {} {}",
            s.ino, s.mtime.0, s.mtime.1, s.ctime.0, s.ctime.1
        )
    };
    let _ = write!(
        out,
        "{TAG}\nlog: {}\ncheckpoints: {}\nverified: {} {} {} {}\nwindow: {}\nhead: {} {}\n",
        stamp(&k.stamp),
        k.checkpoints.as_ref().map_or("none".to_string(), stamp),
        k.head.seq,
        k.head.record,
        k.head.signature,
        k.head.signatures,
        k.window,
        k.index.head,
        k.index.head_link
    );
    // Sorted, so that the same log always gives the same bytes.
    let mut ids: Vec<&String> = k.index.cases.keys().collect();
    ids.sort_unstable();
    for id in ids {
        let h = &k.index.cases[id];
        out.push_str("case ");
        esc(id, &mut out);
        let _ = writeln!(
            out,
            " {} {} {}",
            h.count, h.decision_seen as u8, h.practice_seen as u8
        );
        if let Some(e) = &h.last {
            render_entry("last", e, &mut out);
        }
        if let Some(e) = &h.settled {
            render_entry("final", e, &mut out);
        }
        render_set("signers", &h.signers, &mut out);
        render_set("deciders", &h.deciders, &mut out);
        render_set("countersigned", &h.countersigned_settled, &mut out);
    }
    let sum = hex::encode(Sha256::digest(out.as_bytes()));
    let _ = writeln!(out, "sum: sha256:{sum}");
    out
}

fn parse_entry(rest: &str) -> Option<Entry> {
    let mut w = rest.split(' ');
    let seq = w.next()?.parse().ok()?;
    let kind = RecordType::parse(w.next()?)?;
    let time = DateTime::<Utc>::from_timestamp(w.next()?.parse().ok()?, 0)?;
    let link = w.next()?.to_string();
    let outcome = unesc(w.next()?)?;
    let reviewer = unesc(w.next()?)?;
    (w.next().is_none() && super::yamlout::is_sha256_link(&link)).then_some(Entry {
        seq,
        kind,
        reviewer,
        time,
        outcome,
        link,
    })
}

fn parse_set(rest: &str) -> Option<BTreeSet<String>> {
    rest.split(' ')
        .filter(|w| !w.is_empty())
        .map(unesc)
        .collect()
}

pub(crate) fn parse(s: &str) -> Option<Known> {
    let (body, sum_line) = s.strip_suffix('\n')?.rsplit_once('\n')?;
    let body = &s[..body.len() + 1];
    let sum = sum_line.strip_prefix("sum: sha256:")?;
    if hex::encode(Sha256::digest(body.as_bytes())) != sum {
        return None;
    }
    let mut lines = body.lines();
    if lines.next()? != TAG {
        return None;
    }
    let mut field = |name: &str| -> Option<Vec<String>> {
        let l = lines.next()?.strip_prefix(name)?.strip_prefix(": ")?;
        Some(l.split(' ').map(str::to_string).collect())
    };
    let num = |v: &str| v.parse::<i64>().ok();
    let stamp = |w: &[String]| -> Option<DirStamp> {
        let [ino, ms, mn, cs, cn] = w else {
            return None;
        };
        Some(DirStamp {
            ino: ino.parse().ok()?,
            mtime: (num(ms)?, num(mn)?),
            ctime: (num(cs)?, num(cn)?),
        })
    };
    let stamp_log = stamp(&field("log")?)?;
    let cp = field("checkpoints")?;
    let checkpoints = match cp.as_slice() {
        [none] if none == "none" => None,
        w => Some(stamp(w)?),
    };
    let verified = field("verified")?;
    let [seq, record, signature, signatures] = verified.as_slice() else {
        return None;
    };
    let head = VerifiedHead {
        seq: seq.parse().ok()?,
        record: record.clone(),
        signature: signature.clone(),
        signatures: signatures.clone(),
    };
    let window = field("window")?.first()?.parse().ok()?;
    let h = field("head")?;
    let [head_seq, head_link] = h.as_slice() else {
        return None;
    };
    let mut index = Index {
        head: head_seq.parse().ok()?,
        head_link: head_link.clone(),
        cases: HashMap::new(),
    };
    let mut current: Option<(String, CaseHistory)> = None;
    for line in lines {
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        if tag == "case" {
            if let Some((id, h)) = current.take() {
                index.cases.insert(id, h);
            }
            let mut w = rest.split(' ');
            let id = unesc(w.next()?)?;
            let h = CaseHistory {
                count: w.next()?.parse().ok()?,
                decision_seen: w.next()? == "1",
                practice_seen: w.next()? == "1",
                ..CaseHistory::default()
            };
            current = Some((id, h));
            continue;
        }
        let (_, h) = current.as_mut()?;
        match tag {
            "last" => h.last = Some(parse_entry(rest)?),
            "final" => h.settled = Some(parse_entry(rest)?),
            "signers" => h.signers = parse_set(rest)?,
            "deciders" => h.deciders = parse_set(rest)?,
            "countersigned" => h.countersigned_settled = parse_set(rest)?,
            _ => return None,
        }
    }
    if let Some((id, h)) = current.take() {
        index.cases.insert(id, h);
    }
    Some(Known {
        index,
        head,
        stamp: stamp_log,
        checkpoints,
        window,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64, kind: RecordType, who: &str) -> Entry {
        Entry {
            seq,
            kind,
            reviewer: who.to_string(),
            time: DateTime::<Utc>::from_timestamp(1_790_000_000 + seq as i64, 0).unwrap(),
            outcome: "release_full".into(),
            link: format!("sha256:{}", &format!("{seq:x}").repeat(64)[..64]),
        }
    }

    fn sample() -> Known {
        let l = |c: char| format!("sha256:{}", c.to_string().repeat(64));
        let mut index = Index {
            head: 4,
            head_link: l('d'),
            cases: HashMap::new(),
        };
        let mut a = CaseHistory::default();
        a.add(entry(1, RecordType::Practice, "t@x"));
        a.add(entry(2, RecordType::Countersign, "s@x"));
        a.add(entry(4, RecordType::Countersign, "o %weird@x"));
        index.cases.insert("AR-1".into(), a);
        let mut b = CaseHistory::default();
        b.add(entry(3, RecordType::Decision, "s@x"));
        index.cases.insert("DC_2".into(), b);
        Known {
            index,
            head: VerifiedHead {
                seq: 4,
                record: l('d'),
                signature: l('e'),
                signatures: l('f'),
            },
            stamp: DirStamp {
                ino: 7,
                mtime: (1, 2),
                ctime: (3, 4),
            },
            checkpoints: None,
            window: 1,
        }
    }

    #[test]
    fn round_trip() {
        let k = sample();
        let text = render(&k);
        let back = parse(&text).unwrap();
        assert_eq!(back.index.cases, k.index.cases);
        assert_eq!(back.head, k.head);
        assert_eq!(back.stamp, k.stamp);
        assert_eq!(render(&back), text);
    }

    #[test]
    fn any_change_or_cut_is_refused() {
        let text = render(&sample());
        assert!(parse(&text[..text.len() - 1]).is_none());
        assert!(parse(&text[..text.len() / 2]).is_none());
        assert!(parse(&text.replacen("release_full", "deny", 1)).is_none());
        assert!(parse(&text.replacen("case DC_2", "case DC_3", 1)).is_none());
        assert!(parse("").is_none());
        assert!(parse("junk\n").is_none());
    }
}
