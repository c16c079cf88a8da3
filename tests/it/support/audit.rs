//! Shared helpers of the audit and notice tests: a tempdir copy of the audit fixture
//! directory with freshly generated ed25519 keys, an allowed_signers and reviewers.yaml
//! written here, and a decision log built through the real `casebench decide`.

pub use super::cli::{stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const TODAY: &str = "2026-03-20";
pub const A: &str = "a.rivera@clinic.example";
pub const B: &str = "b.osei@clinic.example";
pub const C: &str = "c.audit@clinic.example";

pub struct Env {
    pub tmp: tempfile::TempDir,
    pub cases: PathBuf,
}

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit/cases")
}

impl Env {
    /// A fresh directory: the fixture cases, keys for A and B (decisions) and C
    /// (compliance), their allowed_signers and reviewers.yaml.
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let cases = tmp.path().join("cases");
        std::fs::create_dir_all(cases.join("reviewers/keys")).unwrap();
        for e in std::fs::read_dir(fixture_dir()).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
        }
        let env = Env { tmp, cases };
        let mut allowed = String::from("# audit test policy\n");
        for (who, ns) in [
            (A, "casebench-decision,casebench-review,casebench-provision"),
            (B, "casebench-decision,casebench-review,casebench-provision"),
            (C, "casebench-audit"),
        ] {
            keygen(&env.key(who));
            let pubkey =
                std::fs::read_to_string(format!("{}.pub", env.key(who).display())).unwrap();
            let pubkey: Vec<&str> = pubkey.split_whitespace().take(2).collect();
            allowed.push_str(&format!("{who} namespaces=\"{ns}\" {}\n", pubkey.join(" ")));
        }
        std::fs::write(env.cases.join("reviewers/allowed_signers"), allowed).unwrap();
        std::fs::write(
            env.cases.join("reviewers/reviewers.yaml"),
            format!(
                "reviewers:\n  - {{ principal: {A}, name: Dr. A. Rivera, credential: MD, licensed: true, role: supervisor }}\n  - {{ principal: {B}, name: Dr. B. Osei, credential: MD, licensed: true, role: reviewing_professional }}\n  - {{ principal: {C}, name: C. Audit, credential: CHPC, licensed: false, role: compliance_officer }}\n"
            ),
        )
        .unwrap();
        env
    }

    /// The home of the Unix user these runs stand for (their memory of the log, drafts).
    pub fn home(&self) -> PathBuf {
        self.home_of("auditor")
    }

    pub fn key(&self, who: &str) -> PathBuf {
        self.cases.join("reviewers/keys").join(who)
    }

    pub fn record(&self, seq: u64) -> PathBuf {
        self.cases.join(format!("decisions/log/{seq:08}.yaml"))
    }

    /// The log's head: how many records it holds.
    pub fn head(&self) -> u64 {
        std::fs::read_dir(self.cases.join("decisions/log"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".yaml"))
                    .count() as u64
            })
            .unwrap_or(0)
    }

    /// Where a period ends when nothing was signed since the log was built: the newest
    /// record's day (the one clock's `period_end`, the real day being that day while
    /// the test runs), and the day six years before it (the accounting's window).
    pub fn period(&self) -> (String, String) {
        let end = self.record_day(self.head());
        let day = chrono::NaiveDate::parse_from_str(&end, "%Y-%m-%d").unwrap();
        let from = casebench::audit::accounting::six_years_before(day).to_string();
        (from, end)
    }

    /// The day record `seq` is dated by (its disclosures, its notice).
    pub fn record_day(&self, seq: u64) -> String {
        super::common::record_day(&self.record(seq))
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
    pub fn state(&self, who: &str) -> casebench::record::StateDir {
        casebench::record::StateDir::at(&self.state_home(who).join("casebench"))
    }

    /// `casebench --cases DIR` with "today" fixed, as the user "auditor".
    pub fn cmd(&self, today: &str) -> Command {
        self.cmd_as("auditor", today)
    }

    /// `casebench --cases DIR` with "today" fixed, as the simulated user `who` (a home
    /// of their own: their own memory of the log).
    pub fn cmd_as(&self, who: &str, today: &str) -> Command {
        let mut c = super::cli::casebench(&self.home_of(who));
        c.arg("--cases")
            .arg(&self.cases)
            .env("CASEBENCH_TODAY", today);
        c
    }

    /// `casebench decide` as `who`, on `today`; asserts success.
    pub fn decide(&self, who: &str, today: &str, args: &[&str]) {
        let o = self
            .cmd_as(who, today)
            .arg("--reviewer")
            .arg(who)
            .arg("--key")
            .arg(self.key(who))
            .arg("decide")
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "decide {args:?}: {}", stderr(&o));
    }

    /// `casebench audit ARGS` as of TODAY: (exit code, stdout).
    pub fn audit(&self, args: &[&str]) -> (i32, String) {
        let o = self.cmd(TODAY).arg("audit").args(args).output().unwrap();
        (o.status.code().unwrap_or(-1), stdout(&o))
    }

    /// Rewrites record `seq` with `from` replaced by `to` (same length or not): the
    /// signature no longer matches.
    pub fn tamper(&self, seq: u64, from: &str, to: &str) {
        let p = self.record(seq);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{text}");
        let new = text.replacen(from, to, 1);
        std::fs::remove_file(&p).unwrap();
        std::fs::write(&p, new).unwrap();
    }
}

/// The log every audit test starts from (five records, two reviewers):
/// 1. A: AR-2026-0301 release_partial, notes withheld (psychotherapy-notes), with a
///    right-of-access disclosure to the patient (excluded from the accounting);
/// 2. B: AR-2026-0302 release_partial, means-note withheld (danger-to-life): LATE;
/// 3. A: AR-2026-0303 release_partial overriding two error findings;
/// 4. A: DC-2026-0304 warn_and_protect: disclosures to the victim and the police;
/// 5. B: DC-2026-0305 report to child protective services (decided 2026-03-18).
///
/// AR-2026-0306 stays undecided: overdue as of TODAY.
pub fn build_log(env: &Env) {
    env.decide(
        A,
        TODAY,
        &[
            "AR-2026-0301",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--disclosure",
            "M. Reyes (the patient)|12 Elm St, Testville|Outpatient chart 2024-2026|Patient's own access request",
            "--rationale",
            "Chart released; separately kept psychotherapy notes withheld.",
        ],
    );
    env.decide(
        B,
        TODAY,
        &[
            "AR-2026-0302",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "means-note=danger-to-life",
            "--rationale",
            "Release the chart; withhold the note naming lethal means.",
        ],
    );
    env.decide(
        A,
        TODAY,
        &[
            "AR-2026-0303",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "crisis-note=danger-to-life",
            "--override",
            "harm-not-licensed=Dr. A. Rivera (MD) confirmed the determination in person on 2026-03-07",
            "--override",
            "invalid-ground=The licensed determination is documented in the crisis note, not yet in the case file",
            "--rationale",
            "Withhold the crisis note while the risk lasts.",
        ],
    );
    env.decide(
        A,
        TODAY,
        &[
            "DC-2026-0304",
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--ground",
            "state-duty-to-warn",
            "--disclosure",
            "Jane Doe (the named victim)|44 Oak Ave, Testville, OH|The threat, its timing, the patient's name|Warn the identified victim (serious and imminent threat)",
            "--disclosure",
            "Testville Police Department|1 Civic Plaza, Testville, OH|The threat and the patient's name and address|Report to law enforcement under the duty to protect",
            "--rationale",
            "Serious and imminent threat with a named victim; warned and reported.",
        ],
    );
    env.decide(
        B,
        "2026-03-18",
        &[
            "DC-2026-0305",
            "--outcome",
            "report",
            "--ground",
            "child-abuse-report",
            "--disclosure",
            "County Children Services, \"intake\"|9 Court St, Testville, OH|The child's statement and the therapist's observations|Mandatory report of suspected child abuse",
            "--rationale",
            "Reasonable cause to suspect abuse; reported to CPS.",
        ],
    );
}

/// `ssh-keygen -t ed25519 -N "" -f path`.
/// A fresh key without a passphrase.
pub fn keygen(path: &Path) {
    super::cli::keygen(path, "");
}
