//! Issue 20: the log trusts no file a member can write; every member's client is a
//! witness. Four real Unix users of one clinic group (two supervisors, a trainee, a
//! compliance officer) on a case directory made by docs/DEPLOY.md's own set-up block,
//! each with their own home (their memory of the log). Each of the seven
//! attacks, made as the member would make it, and a restore from backup: honoured with
//! a compliance officer's rewind notice, refused with a trainee's forged one. Root only
//! (it creates users); elsewhere it skips with a message.

use std::path::PathBuf;
use std::process::Output;

use casebench::record::RecordType;

use crate::support::record::*;
use crate::support::unix::{can_make_users, chmod, ensure_users, home_with_key, run_as, sh_as};

const GROUP: &str = "cbtest-clinic";
/// Supervisor A.
const SUP1: &str = "cbtest-sup1";
/// Supervisor B.
const SUP2: &str = "cbtest-sup2";
/// The trainee T.
const TRAINEE: &str = "cbtest-trainee";
/// The compliance officer C.
const OFFICER: &str = "cbtest-officer";

/// A clinic server: the case directory set up by DEPLOY.md's block (as root), a copy of
/// the binary everyone may run, each member's home with their key.
struct Server {
    env: Env,
    bin: PathBuf,
    root: PathBuf,
}

impl Server {
    fn new() -> Option<Server> {
        if !can_make_users() {
            return None;
        }
        ensure_users(
            GROUP,
            &[(SUP1, true), (SUP2, true), (TRAINEE, true), (OFFICER, true)],
        );
        let env = Env::new();
        let root = env.tmp.path().to_path_buf();
        chmod(&root, 0o755);
        let bin = root.join("casebench");
        std::fs::copy(env!("CARGO_BIN_EXE_casebench"), &bin).unwrap();
        chmod(&bin, 0o755);
        let out = std::process::Command::new("sh")
            .arg("-e")
            .arg("-c")
            .arg(crate::deploy_docs::block("setup"))
            .env("CASES", &env.cases)
            .env("GROUP", GROUP)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        for (u, who) in [(SUP1, A), (SUP2, B), (TRAINEE, T), (OFFICER, C)] {
            home_with_key(&root, u, &env.key(who));
        }
        let scratch = root.join("scratch");
        std::fs::create_dir(&scratch).unwrap();
        chmod(&scratch, 0o755);
        Some(Server { env, bin, root })
    }

    fn principal(user: &str) -> &'static str {
        match user {
            SUP1 => A,
            SUP2 => B,
            TRAINEE => T,
            _ => C,
        }
    }

    fn home(&self, user: &str) -> PathBuf {
        self.root.join(format!("home-{user}"))
    }

    /// `casebench --cases DIR ARGS` as `user`.
    fn run(&self, user: &str, args: &[&str]) -> Output {
        let mut all = vec!["--cases", self.env.cases.to_str().unwrap()];
        all.extend_from_slice(args);
        run_as(
            user,
            &self.home(user),
            &self.bin,
            &[("CASEBENCH_TODAY", TODAY)],
            &all,
        )
    }

    /// `casebench ... --reviewer P --key KEY COMMAND ARGS` as `user`, signing as
    /// themselves.
    fn signed(&self, user: &str, command: &str, args: &[&str]) -> Output {
        let key = self.home(user).join("key");
        let mut all = vec![
            "--reviewer",
            Server::principal(user),
            "--key",
            key.to_str().unwrap(),
            command,
        ];
        all.extend_from_slice(args);
        self.run(user, &all)
    }

    fn decide(&self, user: &str, args: &[&str]) -> Output {
        self.signed(user, "decide", args)
    }

    /// `user` reads the log (their memory now holds its head); must succeed.
    fn look(&self, user: &str) {
        let o = self.run(user, &["list"]);
        assert!(o.status.success(), "{user} list: {}", stderr(&o));
    }

    /// Record bytes and signature placed into the log by `user` (who owns them then).
    fn plant(&self, user: &str, seq: u64, bytes: &[u8], pem: &[u8]) {
        let scratch = self.root.join("scratch");
        let (r, s) = (
            scratch.join(format!("{seq}.yaml")),
            scratch.join(format!("{seq}.sig")),
        );
        std::fs::write(&r, bytes).unwrap();
        std::fs::write(&s, pem).unwrap();
        chmod(&r, 0o644);
        chmod(&s, 0o644);
        let o = sh_as(
            user,
            &format!(
                "cp {} {} && cp {} {}",
                s.display(),
                self.env.sig(seq).display(),
                r.display(),
                self.env.record(seq).display()
            ),
        );
        assert!(
            o.status.success(),
            "{user} plants record {seq}: {}",
            stderr(&o)
        );
    }

    fn log_files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.env.log())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

const CASE_ARGS: &[&str] = &[
    CASE,
    "--outcome",
    "release_partial",
    "--ground",
    "right-of-access",
    "--withhold",
    "notes=psychotherapy-notes",
    "--rationale",
    "Notes kept separately.",
];

const CONCERN_ARGS: &[&str] = &[
    CONCERN,
    "--outcome",
    "warn_and_protect",
    "--ground",
    "serious-threat",
    "--rationale",
    "Imminent threat to an identified person.",
];

const PRACTICE_ARGS: &[&str] = &[
    CASE,
    "--type",
    "practice",
    "--outcome",
    "deny",
    "--ground",
    "lack-of-consent",
    "--rationale",
    "Practice.",
];

fn ok(o: &Output, what: &str) {
    assert!(o.status.success(), "{what}: {}{}", stdout(o), stderr(o));
}

/// Exit 1, and stderr (or stdout) says each of `needles`.
fn refused(o: &Output, what: &str, needles: &[&str]) {
    let all = format!("{}{}", stdout(o), stderr(o));
    assert_eq!(o.status.code(), Some(1), "{what}: {all}");
    for n in needles {
        assert!(all.contains(n), "{what}: no {n:?} in {all}");
    }
}

/// Three records: A decides the access request, B the concern, the trainee practises;
/// every member has seen them.
fn three(s: &Server) {
    ok(&s.decide(SUP1, CASE_ARGS), "A decides");
    ok(&s.decide(SUP2, CONCERN_ARGS), "B decides");
    ok(&s.decide(TRAINEE, PRACTICE_ARGS), "T practises");
    for u in [SUP1, SUP2, TRAINEE, OFFICER] {
        s.look(u);
    }
}

#[test]
fn attack_1_the_log_s_directories_are_root_s_and_no_member_creates_one() {
    let Some(s) = Server::new() else { return };
    ok(&s.decide(SUP1, CONCERN_ARGS), "A decides");
    // The log is root's (the set-up made it): B cannot erase A's record.
    let meta = std::fs::metadata(s.env.log()).unwrap();
    assert_eq!(std::os::unix::fs::MetadataExt::uid(&meta), 0);
    let o = sh_as(SUP2, &format!("rm -f {}", s.env.record(1).display()));
    assert!(!o.status.success(), "B erased A's record");
    assert!(s.env.record(1).exists());
    let o = s.run(OFFICER, &["verify"]);
    ok(&o, "verify");
    // A missing directory is never created by a member: refused with the command.
    std::fs::remove_dir(s.env.cases.join("decisions/checkpoints")).unwrap();
    let o = s.signed(OFFICER, "checkpoint", &[]);
    let err = stderr(&o);
    assert_ne!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "install -d -o root -g {GROUP} -m 3770 {}",
            s.env.cases.join("decisions/checkpoints").display()
        )),
        "{err}"
    );
    assert!(!s.env.cases.join("decisions/checkpoints").exists());
    // A log directory a member owns (as older versions let the first one make it):
    // verify says what it means.
    let (uid, _) = crate::support::unix::uid_gid(SUP1);
    std::os::unix::fs::chown(s.env.log(), Some(uid), None).unwrap();
    chmod(&s.env.log(), 0o3770);
    let o = s.run(OFFICER, &["verify"]);
    refused(
        &o,
        "member-owned log",
        &[SUP1, "its owner can delete anyone's records", "chown root"],
    );
}

#[test]
fn attacks_2_and_3_a_rollback_is_refused_by_every_member_who_saw_more() {
    let Some(s) = Server::new() else { return };
    three(&s);
    // Attack 2: the trainee deletes their own newest record, then runs verify, which
    // once accepted the shorter log as the new normal.
    let o = sh_as(
        TRAINEE,
        &format!(
            "rm {} {}",
            s.env.record(3).display(),
            s.env.sig(3).display()
        ),
    );
    ok(&o, "the trainee deletes record 3");
    let o = s.run(TRAINEE, &["verify"]);
    refused(
        &o,
        "verify after the rollback",
        &["record 3, which you saw at"],
    );
    // Nobody appends on top, or reuses seq 3.
    let before = s.log_files();
    let o = s.decide(SUP1, CONCERN_ARGS);
    refused(
        &o,
        "A's decide",
        &["record 3", "no longer holds what you verified"],
    );
    assert_eq!(s.log_files(), before, "nothing written");
    let o = s.run(SUP2, &["list"]);
    refused(&o, "B's list", &["record 3, which you saw at", "is gone"]);
    // ...nor when it is replaced by another record the trainee signs.
    let (seq, bytes, pem) = forged(
        &s.env,
        RecordType::Practice,
        T,
        T,
        CASE,
        "release_full",
        now() + chrono::Duration::hours(1),
    );
    assert_eq!(seq, 3);
    s.plant(TRAINEE, seq, &bytes, &pem);
    for u in [SUP1, SUP2, OFFICER] {
        let o = s.run(u, &["list"]);
        refused(&o, u, &["record 3, which you saw at", "other bytes"]);
    }
    // Attack 3: the newest records and the shared cache removed (the trainee's and
    // the rest, as root could): every member who saw them still refuses.
    for seq in [2, 3] {
        std::fs::remove_file(s.env.record(seq)).unwrap();
        std::fs::remove_file(s.env.sig(seq)).unwrap();
    }
    let _ = std::fs::remove_dir_all(s.env.cases.join("decisions/cache"));
    let o = s.decide(SUP1, CONCERN_ARGS);
    refused(
        &o,
        "A after truncation",
        &["record 3", "the log now ends at record 1"],
    );
    let o = s.run(OFFICER, &["verify"]);
    refused(&o, "the officer's verify", &["record 3, which you saw at"]);
    assert_eq!(s.log_files().len(), 2, "{:?}", s.log_files());
}

#[test]
fn attacks_4_5_and_6_files_a_member_writes_let_nothing_through_and_block_nobody() {
    let Some(s) = Server::new() else { return };
    ok(&s.decide(SUP1, CASE_ARGS), "A decides");
    for u in [SUP1, SUP2, TRAINEE, OFFICER] {
        s.look(u);
    }
    let cache = s.env.cases.join("decisions/cache");
    let z = |c: char| format!("sha256:{}", c.to_string().repeat(64));
    // Attack 4: the trainee writes the next record, a decision naming supervisor B
    // signed with the trainee's own key, and a "verified head" that covers it.
    let (seq, bytes, pem) = forged(&s.env, RecordType::Decision, B, T, CONCERN, "report", now());
    s.plant(TRAINEE, seq, &bytes, &pem);
    let o = sh_as(
        TRAINEE,
        &format!(
            "mkdir -p {c} && printf 'casebench-verified-head/1\\nseq: 2\\nrecord: {r}\\nsignature: {r}\\nsignatures: {r}\\n' > {c}/verified-head",
            c = cache.display(),
            r = z('a')
        ),
    );
    ok(&o, "the trainee writes cache/verified-head");
    let before = s.log_files();
    let o = s.decide(SUP2, CONCERN_ARGS);
    refused(
        &o,
        "B's decide on the planted record",
        &["damaged", "record 2"],
    );
    assert_eq!(s.log_files(), before, "nothing appended on top");
    let o = s.run(SUP1, &["list", "--json"]);
    refused(&o, "A's list", &["record 2"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"], "log_damaged");
    assert!(!stdout(&o).contains("\"decided\""));
    let o = s.run(OFFICER, &["verify"]);
    refused(&o, "verify", &["first bad record 2"]);
    // The administrator removes the planted record (members cannot: sticky log).
    std::fs::remove_file(s.env.record(2)).unwrap();
    std::fs::remove_file(s.env.sig(2)).unwrap();

    // Attack 6: a well-formed false verified head once blocked every append.
    let o = sh_as(
        TRAINEE,
        &format!(
            "printf 'casebench-verified-head/1\\nseq: 1\\nrecord: {r}\\nsignature: {r}\\nsignatures: {r}\\n' > {c}/verified-head",
            c = cache.display(),
            r = z('b')
        ),
    );
    ok(&o, "the trainee rewrites cache/verified-head");
    ok(&s.decide(SUP2, CONCERN_ARGS), "B decides despite it");

    // Attack 5: the trainee makes the head theirs and leaves a consistent index that
    // omits A's decision. B's second decision on the decided case is still refused.
    ok(&s.decide(TRAINEE, PRACTICE_ARGS), "T practises");
    let o = sh_as(
        TRAINEE,
        &format!(
            "printf 'casebench-index/1\\ncase {CASE} 1 0 0\\n' > {c}/index && chmod 640 {c}/index",
            c = cache.display()
        ),
    );
    ok(&o, "the trainee writes cache/index");
    let o = s.decide(SUP2, CASE_ARGS);
    refused(
        &o,
        "B's second decision",
        &[&format!("case {CASE} already decided by {A}")],
    );
    let o = s.run(SUP2, &["list", "--json"]);
    ok(&o, "B's list");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let row = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == CASE)
        .unwrap()
        .clone();
    assert_eq!(row["status"], "awaiting_provision", "{row}");
    // A second decision signed by hand with B's own (valid) key and chained correctly:
    // the signature checks, the rule does not. verify and every member say so.
    let (seq, bytes, pem) = forged(&s.env, RecordType::Decision, B, B, CASE, "deny", now());
    s.plant(SUP2, seq, &bytes, &pem);
    let o = s.run(OFFICER, &["verify"]);
    refused(
        &o,
        "verify of two decisions",
        &[
            &format!("first bad record {seq}"),
            "breaks the log's rules",
            "already decided",
        ],
    );
    let o = s.run(SUP1, &["list"]);
    refused(
        &o,
        "A's list",
        &[&format!("record {seq}"), "breaks the log's rules"],
    );
}

#[test]
fn attack_7_a_record_deleted_from_the_middle_is_said_by_list_and_show() {
    let Some(s) = Server::new() else { return };
    three(&s);
    // B deletes their own decision, record 2, from the middle.
    let o = sh_as(
        SUP2,
        &format!(
            "rm {} {}",
            s.env.record(2).display(),
            s.env.sig(2).display()
        ),
    );
    ok(&o, "B deletes record 2");
    for u in [SUP1, OFFICER] {
        let o = s.run(u, &["list"]);
        refused(&o, &format!("{u}'s list"), &["record 2", "missing"]);
        let o = s.run(u, &["list", "--json"]);
        refused(&o, &format!("{u}'s list --json"), &["record 2"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["seq"], 2);
        let o = s.run(u, &["show", CONCERN]);
        refused(&o, &format!("{u}'s show"), &["record 2", "missing"]);
        assert!(!stdout(&o).contains("due soon"), "{}", stdout(&o));
    }
}

/// The notice file written into decisions/checkpoints/ by `checkpoint --rewind` (not the
/// one named `other`).
fn notice_file(s: &Server, other: &str) -> PathBuf {
    let dir = s.env.cases.join("decisions/checkpoints");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.starts_with("rewind-") && n.ends_with(".yaml") && n != other
        })
        .unwrap()
}

#[test]
fn a_restore_needs_a_compliance_officer_s_rewind_notice_and_a_forged_one_is_refused() {
    let Some(s) = Server::new() else { return };
    ok(&s.decide(SUP1, CASE_ARGS), "A decides");
    ok(&s.decide(SUP2, CONCERN_ARGS), "B decides");
    // The administrator's backup, as DEPLOY.md takes it.
    let backup = s.root.join("backup.tar.gz");
    let out = std::process::Command::new("sh")
        .arg("-e")
        .arg("-c")
        .arg(crate::deploy_docs::block("backup"))
        .env("CASES", &s.env.cases)
        .env("BACKUP", &backup)
        .output()
        .unwrap();
    ok(&out, "backup");
    ok(
        &s.decide(TRAINEE, PRACTICE_ARGS),
        "T practises after the backup",
    );
    for u in [SUP1, SUP2, TRAINEE, OFFICER] {
        s.look(u);
    }
    // The disk fails; the administrator restores the backup: record 3 is lost.
    std::fs::remove_dir_all(&s.env.cases).unwrap();
    let out = std::process::Command::new("tar")
        .arg("-xpzf")
        .arg(&backup)
        .arg("-C")
        .arg(s.env.cases.parent().unwrap())
        .output()
        .unwrap();
    ok(&out, "restore");
    assert!(!s.env.record(3).exists());
    let o = s.run(SUP1, &["list"]);
    refused(
        &o,
        "A before any notice",
        &["record 3, which you saw at", "is gone"],
    );

    // A rewind notice forged by the trainee (their own key, the officer's name) is
    // refused, and named.
    let key = ssh_key::PrivateKey::read_openssh_file(&s.env.key(T)).unwrap();
    let head = casebench::record::model::sha256_link(&std::fs::read(s.env.record(2)).unwrap());
    let forged_notice = casebench::record::rewind::notice(
        2,
        &head,
        Some((3, head.clone())),
        C,
        &casebench::record::sshsig::fingerprint(key.public_key()),
        chrono::Utc::now() + chrono::Duration::days(1),
        "restored from the backup",
    );
    let bytes = forged_notice.to_bytes();
    let sig = key
        .sign("casebench-audit", ssh_key::HashAlg::Sha512, &bytes)
        .unwrap()
        .to_pem(ssh_key::LineEnding::LF)
        .unwrap();
    let scratch = s.root.join("scratch");
    std::fs::write(scratch.join("n.yaml"), &bytes).unwrap();
    std::fs::write(scratch.join("n.yaml.sig"), sig).unwrap();
    for f in ["n.yaml", "n.yaml.sig"] {
        chmod(&scratch.join(f), 0o644);
    }
    let name = forged_notice.file_name();
    let cps = s.env.cases.join("decisions/checkpoints");
    let o = sh_as(
        TRAINEE,
        &format!(
            "cp {sc}/n.yaml.sig {cps}/{name}.sig && cp {sc}/n.yaml {cps}/{name}",
            sc = scratch.display(),
            cps = cps.display()
        ),
    );
    ok(&o, "the trainee places a forged notice");
    for u in [SUP1, SUP2] {
        let o = s.run(u, &["list"]);
        refused(
            &o,
            &format!("{u} with a forged notice"),
            &[
                "record 3",
                &name,
                "not a valid rewind notice",
                "not honoured",
            ],
        );
    }
    let o = s.decide(SUP1, CONCERN_ARGS);
    refused(
        &o,
        "A's decide with a forged notice",
        &["not a valid rewind notice"],
    );
    assert!(!s.env.record(3).exists());

    // The compliance officer signs the rewind notice: checkable with ssh-keygen.
    let o = s.signed(
        OFFICER,
        "checkpoint",
        &[
            "--rewind",
            "--reason",
            "disk failure; restored the backup of today",
        ],
    );
    ok(&o, "the officer's rewind notice");
    assert!(
        stdout(&o).contains("rewound from record 3 to record 2"),
        "{}",
        stdout(&o)
    );
    let notice = notice_file(&s, &name);
    let (verified, text) = ssh_verify(&s.env.allowed(), C, "casebench-audit", &notice, &[]);
    assert!(verified, "{text}");
    // Every member honours it, says so, and goes on from the restored log.
    let o = s.run(SUP2, &["list"]);
    ok(&o, "B's list after the notice");
    assert!(
        stderr(&o)
            .contains("the log was rewound from record 3 to record 2 by c.audit@clinic.example"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("disk failure"), "{}", stderr(&o));
    // Another attempt (another rationale): signed within the same second as the lost
    // record 3, the same words would give the same bytes, and nothing would have changed.
    let mut again = PRACTICE_ARGS.to_vec();
    *again.last_mut().unwrap() = "Practice, after the restore.";
    let o = s.decide(TRAINEE, &again);
    ok(&o, "T practises again after the notice");
    assert!(stdout(&o).contains("signed record 3"), "{}", stdout(&o));
    // A saw the old record 3; the log holds another now: the notice covers it too.
    let o = s.run(SUP1, &["list"]);
    ok(&o, "A's list after the notice");
    assert!(stderr(&o).contains("rewound"), "{}", stderr(&o));
    // A notice is honoured once: a later truncation is refused again.
    std::fs::remove_file(s.env.record(3)).unwrap();
    std::fs::remove_file(s.env.sig(3)).unwrap();
    let o = s.run(SUP1, &["list"]);
    refused(
        &o,
        "A after a second truncation",
        &["record 3, which you saw at"],
    );
}
