//! Shared helpers of the practice tests: a case directory in a tempdir (two practice
//! cases, two real cases) with freshly generated ed25519 keys for two supervisors (A, B),
//! a trainee (T) and a key listed nowhere (U); and ways to drive the binary.

pub use super::cli::{stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const TODAY: &str = "2026-03-20";
pub const A: &str = "a.super@clinic.example";
pub const B: &str = "b.super@clinic.example";
pub const T: &str = "t.trainee@clinic.example";
pub const T2: &str = "t2.trainee@clinic.example";
pub const U: &str = "u.unknown@clinic.example";
/// Practice cases (with a reference).
pub const PA: &str = "PA-2026-0301";
pub const PD: &str = "PD-2026-0302";
/// Real cases.
pub const REAL: &str = "AR-2026-0201";
pub const REAL_CONCERN: &str = "DC-2026-0202";

pub struct Env {
    pub tmp: tempfile::TempDir,
    pub cases: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let cases = tmp.path().join("cases");
        std::fs::create_dir_all(cases.join("reviewers/keys")).unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/practice/cases");
        for e in std::fs::read_dir(fixtures).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
        }
        for who in [A, B, T, T2, U] {
            keygen(&cases.join("reviewers/keys").join(who));
        }
        let env = Env { tmp, cases };
        let mut s = String::from("# practice test policy\n");
        for (who, ns) in [
            (A, "casebench-decision,casebench-review"),
            (B, "casebench-decision,casebench-review"),
            (T, "casebench-practice"),
            (T2, "casebench-practice"),
        ] {
            s.push_str(&format!(
                "{who} namespaces=\"{ns}\" {}\n",
                env.pubkey_line(who)
            ));
        }
        std::fs::write(env.cases.join("reviewers/allowed_signers"), s).unwrap();
        std::fs::write(
            env.cases.join("reviewers/reviewers.yaml"),
            format!(
                "reviewers:\n  - {{ principal: {A}, name: Dr. A. Super, credential: MD, licensed: true, role: supervisor }}\n  - {{ principal: {B}, name: Dr. B. Super, credential: MD, licensed: true, role: supervisor }}\n  - {{ principal: {T}, name: T. Trainee, credential: MSW, licensed: false, role: trainee }}\n  - {{ principal: {T2}, name: T. Second, credential: MSW, licensed: false, role: trainee }}\n"
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

    pub fn allowed(&self) -> PathBuf {
        self.cases.join("reviewers/allowed_signers")
    }

    pub fn pubkey_line(&self, who: &str) -> String {
        let s = std::fs::read_to_string(format!("{}.pub", self.key(who).display())).unwrap();
        s.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
    }

    pub fn record(&self, seq: u64) -> PathBuf {
        self.cases.join(format!("decisions/log/{seq:08}.yaml"))
    }

    pub fn records(&self) -> usize {
        std::fs::read_dir(self.cases.join("decisions/log"))
            .map(|rd| {
                rd.filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".yaml"))
                })
                .count()
            })
            .unwrap_or(0)
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

    /// `casebench --cases DIR` with a fixed "today" and no ambient identity, as the
    /// user "auditor".
    pub fn cmd(&self) -> Command {
        self.cmd_as("auditor")
    }

    /// The same, as the simulated user `who` (a home of their own: their own memory of
    /// the log).
    pub fn cmd_as(&self, who: &str) -> Command {
        let mut c = super::cli::casebench(&self.home_of(who));
        c.arg("--cases")
            .arg(&self.cases)
            .env("CASEBENCH_TODAY", TODAY);
        c
    }

    /// `casebench decide` as `who`, with `who`'s key file.
    pub fn decide(&self, who: &str, args: &[&str]) -> Output {
        self.cmd_as(who)
            .args(["--reviewer", who, "--key"])
            .arg(self.key(who))
            .arg("decide")
            .args(args)
            .output()
            .unwrap()
    }

    /// `decide ... --json`, which must succeed: the JSON it prints.
    pub fn decide_json(&self, who: &str, args: &[&str]) -> serde_json::Value {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--json");
        let o = self.decide(who, &all);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    }

    /// A practice attempt by T on `case`; returns the feedback JSON.
    pub fn attempt(&self, who: &str, case: &str, args: &[&str]) -> serde_json::Value {
        let mut all = vec![case, "--type", "practice"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--rationale", "My answer."]);
        let v = self.decide_json(who, &all);
        assert_eq!(v["practice"]["scored"], true, "{v}");
        v["practice"]["feedback"].clone()
    }

    pub fn practice(&self, args: &[&str]) -> Output {
        self.cmd().arg("practice").args(args).output().unwrap()
    }

    pub fn practice_json(&self, args: &[&str]) -> serde_json::Value {
        let o = self
            .cmd()
            .arg("practice")
            .args(args)
            .arg("--json")
            .output()
            .unwrap();
        assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    }

    pub fn verify(&self) -> Output {
        self.cmd().arg("verify").output().unwrap()
    }
}

/// `ssh-keygen -t ed25519 -N '' -f path`.
/// A fresh key without a passphrase.
pub fn keygen(path: &Path) {
    super::cli::keygen(path, "");
}

/// `ssh-keygen -Y verify` of a record against its signature.
pub fn ssh_verify(allowed: &Path, principal: &str, ns: &str, file: &Path) -> (bool, String) {
    let out = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed)
        .args(["-I", principal, "-n", ns, "-s"])
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

pub fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}
