//! Shared helpers of the decision-record tests: a case directory in a tempdir with
//! freshly generated ed25519 keys (never the demo keys), and ways to drive it.

pub use super::cli::{stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use casebench::case::{LoadOptions, LoadedCase};
use casebench::record::model::{Record, RecordType, sha256_link};
use casebench::record::{Log, Signer, StateDir, Unsigned};
use chrono::{DateTime, NaiveDate, Utc};

pub const TODAY: &str = "2026-03-20";
pub const A: &str = "a.rivera@clinic.example";
pub const B: &str = "b.osei@clinic.example";
pub const T: &str = "t.trainee@clinic.example";
pub const C: &str = "c.audit@clinic.example";
/// Release-of-information staff: sign provision records only.
pub const R: &str = "r.roi@clinic.example";
/// A key listed nowhere.
pub const U: &str = "u.unknown";
pub const CASE: &str = "AR-2026-0201";
pub const CONCERN: &str = "DC-2026-0202";
/// Whose memory `Env::fill` appends with (a user of its own).
pub const SETUP: &str = "setup";
/// Whose memory `Env::cmd` runs with (no `--reviewer` needed: verify, list, audit).
pub const AUDITOR: &str = "auditor";

pub struct Env {
    pub tmp: tempfile::TempDir,
    pub cases: PathBuf,
}

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records/cases")
}

impl Env {
    /// A fresh case directory with keys for A, B (supervisors), T (trainee), C
    /// (compliance) and U (unlisted).
    pub fn new() -> Env {
        Env::with_options(&[])
    }

    /// Like `new`, with extra allowed_signers options per principal (e.g.
    /// `(B, "valid-before=\"20260101Z\"")`).
    pub fn with_options(extra: &[(&str, &str)]) -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let cases = tmp.path().join("cases");
        std::fs::create_dir_all(cases.join("reviewers/keys")).unwrap();
        for e in std::fs::read_dir(fixture_dir()).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
        }
        for who in [A, B, T, C, R, U] {
            keygen(&cases.join("reviewers/keys").join(who), "");
        }
        let env = Env { tmp, cases };
        env.write_allowed(extra);
        std::fs::write(
            env.cases.join("reviewers/reviewers.yaml"),
            format!(
                "reviewers:\n  - {{ principal: {A}, name: Dr. A. Rivera, credential: MD, licensed: true, role: supervisor, key: keys/{A} }}\n  - {{ principal: {B}, name: Dr. B. Osei, credential: MD, licensed: true, role: reviewing_professional, key: keys/{B} }}\n  - {{ principal: {T}, name: T. Trainee, credential: MSW, licensed: false, role: trainee, key: keys/{T} }}\n  - {{ principal: {C}, name: C. Audit, credential: CHPC, licensed: false, role: compliance_officer, key: keys/{C} }}\n  - {{ principal: {R}, name: R. Clerk, role: release_of_information, key: keys/{R} }}\n"
            ),
        )
        .unwrap();
        env
    }

    pub fn write_allowed(&self, extra: &[(&str, &str)]) {
        let ns = |who: &str| match who {
            A | B => "casebench-decision,casebench-review,casebench-provision",
            T => "casebench-practice",
            R => "casebench-provision",
            _ => "casebench-audit",
        };
        let mut s = String::from("# test policy\n");
        for who in [A, B, T, C, R] {
            let mut opts = format!("namespaces=\"{}\"", ns(who));
            for (p, o) in extra {
                if *p == who {
                    opts.push(',');
                    opts.push_str(o);
                }
            }
            s.push_str(&format!("{who} {opts} {}\n", self.pubkey_line(who)));
        }
        std::fs::write(self.allowed(), s).unwrap();
    }

    pub fn allowed(&self) -> PathBuf {
        self.cases.join("reviewers/allowed_signers")
    }

    /// The home of the user `cmd` runs as (`AUDITOR`).
    pub fn home(&self) -> PathBuf {
        self.home_of(AUDITOR)
    }

    pub fn key(&self, who: &str) -> PathBuf {
        self.cases.join("reviewers/keys").join(who)
    }

    pub fn pubkey_line(&self, who: &str) -> String {
        let s = std::fs::read_to_string(format!("{}.pub", self.key(who).display())).unwrap();
        s.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
    }

    pub fn log(&self) -> PathBuf {
        self.cases.join("decisions/log")
    }

    pub fn record(&self, seq: u64) -> PathBuf {
        self.log().join(format!("{seq:08}.yaml"))
    }

    pub fn sig(&self, seq: u64) -> PathBuf {
        self.log().join(format!("{seq:08}.yaml.sig"))
    }

    /// The home of the simulated user `who`, inside this test's directory: each keeps
    /// their own memory of the log (never the real home).
    pub fn home_of(&self, who: &str) -> PathBuf {
        let name: String = who
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        super::cli::home_in(self.tmp.path(), &name)
    }

    /// The `XDG_STATE_HOME` of the simulated user `who`.
    pub fn state_home(&self, who: &str) -> PathBuf {
        self.home_of(who).join(".local/state")
    }

    /// `who`'s memory, as the library sees it (`$XDG_STATE_HOME/casebench`).
    pub fn state(&self, who: &str) -> StateDir {
        StateDir::at(&self.state_home(who).join("casebench"))
    }

    /// `casebench --cases DIR` with a fixed "today", as the user `AUDITOR`.
    pub fn cmd(&self) -> Command {
        self.cmd_as(AUDITOR)
    }

    /// `casebench --cases DIR` with a fixed "today", as the simulated user `who` (a home
    /// of their own: their own memory of the log).
    pub fn cmd_as(&self, who: &str) -> Command {
        let mut c = super::cli::casebench(&self.home_of(who));
        c.arg("--cases")
            .arg(&self.cases)
            .env("CASEBENCH_TODAY", TODAY);
        c
    }

    /// `casebench decide` as `who` with `who`'s key file.
    pub fn decide(&self, who: &str, args: &[&str]) -> Output {
        self.cmd_as(who)
            .arg("--reviewer")
            .arg(who)
            .arg("--key")
            .arg(self.key(who))
            .arg("decide")
            .args(args)
            .output()
            .unwrap()
    }

    pub fn load_case(&self, id: &str) -> LoadedCase {
        let opts = LoadOptions::new(today());
        let dir = casebench::store::safe_open::SafeDir::open(&self.cases).unwrap();
        casebench::case::load::load_one(&dir, &format!("{id}.yaml"), &opts).unwrap()
    }

    pub fn signer(&self, who: &str) -> Signer {
        Signer::from_file(&self.key(who)).unwrap()
    }

    /// Appends `n` records through the library, alternating cases and types so the
    /// log holds decisions, practice records and a review.
    pub fn fill(&self, n: usize) {
        let mut log = Log::open(&self.cases, &self.state(SETUP));
        let case = self.load_case(CASE);
        let concern = self.load_case(CONCERN);
        let mut a = self.signer(A);
        let mut t = self.signer(T);
        let start = casebench::record::log::build_index(&self.log())
            .map(|ix| ix.head as usize)
            .unwrap_or(0);
        for i in start..start + n {
            let (c, d, s) = match i {
                0 => (&case, draft(RecordType::Decision, A, "deny"), &mut a),
                1 => (
                    &concern,
                    draft(RecordType::Decision, A, "warn_and_protect"),
                    &mut a,
                ),
                _ => (&case, draft(RecordType::Practice, T, "deny"), &mut t),
            };
            log.append(c, &d, s, now()).unwrap();
        }
    }

    pub fn verify(&self) -> casebench::record::verify::LogReport {
        casebench::record::verify::verify_log(&self.cases, None).unwrap()
    }
}

pub fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

/// A fixed signing time within every key's validity (tests never read the clock).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-20T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn draft(kind: RecordType, who: &str, outcome: &str) -> Unsigned {
    use casebench::record::model::*;
    Unsigned {
        kind,
        reviewer: who.to_string(),
        outcome: outcome.to_string(),
        grounds: vec!["psychotherapy-notes".into()],
        records: vec![],
        disclosures: vec![],
        notice: Notice::default(),
        deadline: DeadlineInfo {
            due: None,
            decided_on_time: true,
        },
        provision: None,
        fees: Vec::new(),
        findings_overridden: vec![],
        rationale: "Test rationale.\n".into(),
    }
}

/// `ssh-keygen -t ed25519 -N pass -f path`, private key mode 0600.
pub use super::cli::keygen;

/// `ssh-keygen -Y verify` of `file` against its `.sig`; returns (ok, output).
pub fn ssh_verify(
    allowed: &Path,
    principal: &str,
    ns: &str,
    file: &Path,
    extra: &[&str],
) -> (bool, String) {
    let out = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed)
        .args(["-I", principal, "-n", ns])
        .args(extra)
        .arg("-s")
        .arg(format!("{}.sig", file.display()))
        .stdin(std::fs::File::open(file).unwrap())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `ssh-keygen -Y sign` of `msg` with `key` in `ns`: the PEM signature.
pub fn ssh_sign(key: &Path, ns: &str, msg: &[u8], extra: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", ns])
        .args(extra)
        .arg("-f")
        .arg(key)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(msg).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

/// Writes a record as an attacker would: straight into the log, with a correct chain,
/// signed by `key_of` in the record type's namespace.
pub fn forge(
    env: &Env,
    kind: RecordType,
    reviewer: &str,
    key_of: &str,
    time: DateTime<Utc>,
) -> u64 {
    let (seq, bytes, pem) = forged(env, kind, reviewer, key_of, CASE, "deny", time);
    std::fs::write(env.sig(seq), pem).unwrap();
    std::fs::write(env.record(seq), &bytes).unwrap();
    seq
}

/// The next record as an attacker would make it (not written): the log's next seq, with
/// a correct chain (`prev`, `case_prev`) on `case`, signed by `key_of` in the record
/// type's namespace. Returns (seq, record bytes, signature PEM).
pub fn forged(
    env: &Env,
    kind: RecordType,
    reviewer: &str,
    key_of: &str,
    case_id: &str,
    outcome: &str,
    time: DateTime<Utc>,
) -> (u64, Vec<u8>, Vec<u8>) {
    let index = casebench::record::log::build_index(&env.log()).unwrap();
    let case = env.load_case(case_id);
    let key = ssh_key::PrivateKey::read_openssh_file(&env.key(key_of)).unwrap();
    let d = draft(kind, reviewer, outcome);
    let rec = Record {
        record: casebench::record::model::RECORD_TAG.into(),
        seq: index.head + 1,
        prev: index.head_link.clone(),
        case: case_id.into(),
        case_sha256: case.sha256_hex(),
        case_prev: index
            .cases
            .get(case_id)
            .map_or("none".to_string(), |h| h.last_link().to_string()),
        kind,
        reviews: None,
        countersigns: None,
        reviewer: reviewer.into(),
        key: casebench::record::sshsig::fingerprint(key.public_key()),
        policy: sha256_link(&std::fs::read(env.allowed()).unwrap()),
        time,
        outcome: d.outcome,
        grounds: d.grounds,
        records: d.records,
        disclosures: d.disclosures,
        notice: d.notice,
        deadline: d.deadline,
        provision: None,
        fees: Vec::new(),
        findings_overridden: d.findings_overridden,
        rationale: d.rationale,
    };
    let bytes = rec.to_bytes();
    let sig = key
        .sign(kind.namespace(), ssh_key::HashAlg::Sha512, &bytes)
        .unwrap();
    let pem = sig.to_pem(ssh_key::LineEnding::LF).unwrap().into_bytes();
    (rec.seq, bytes, pem)
}

/// A real `ssh-agent`, killed when dropped.
pub struct Agent {
    child: std::process::Child,
    pub sock: std::path::PathBuf,
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A real `ssh-agent -D -a SOCK`, or `None` (with a message) where it is not installed.
pub fn start_agent(dir: &Path) -> Option<Agent> {
    let sock = dir.join("agent.sock");
    let child = match std::process::Command::new("ssh-agent")
        .arg("-D")
        .arg("-a")
        .arg(&sock)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("skipped: ssh-agent cannot be started here ({e})");
            return None;
        }
    };
    // The socket's name appears at bind(), before the agent listens: wait until a
    // connection is accepted (up to 10 s on a loaded machine).
    for _ in 0..1000 {
        if std::os::unix::net::UnixStream::connect(&sock).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    Some(Agent { child, sock })
}

impl Agent {
    /// `ssh-add` of a copy of `key` made with mode 0600 (ssh-add refuses others).
    pub fn add(&self, key: &Path) {
        let copy = key.with_extension("agent-copy");
        std::fs::copy(key, &copy).unwrap();
        std::fs::set_permissions(
            &copy,
            <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o600),
        )
        .unwrap();
        let out = std::process::Command::new("ssh-add")
            .arg(&copy)
            .env("SSH_AUTH_SOCK", &self.sock)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }

    pub fn clear(&self) {
        let out = std::process::Command::new("ssh-add")
            .arg("-D")
            .env("SSH_AUTH_SOCK", &self.sock)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
}
