//! `casebench new` (issue 22): every question the intake asks ends up in a case file that
//! `check` accepts, through flags, an answers file and the terminal; the file is written
//! under the next free id and never over an existing one, also when clerks race.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use casebench::case::model::*;

use crate::support::cli::{casebench, stderr, stdout};

/// An empty case directory with its settings (home state Ohio), in a temporary dir.
fn clinic() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(
        cases.join("casebench.yaml"),
        "entity: { name: Test Clinic, state: US-OH }\nprivacy_contact: { title: Privacy Officer, phone: \"555-0100\" }\n",
    )
    .unwrap();
    tmp
}

fn cmd(tmp: &Path) -> Command {
    let mut c = casebench(&tmp.join("home"));
    c.arg("--cases").arg(tmp.join("cases")).arg("new");
    c
}

fn run_with_input(mut c: Command, input: &str) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn load(tmp: &Path, id: &str) -> Case {
    let cases = tmp.join("cases");
    let opts = casebench::case::LoadOptions::new(chrono::Local::now().date_naive());
    let dir = casebench::store::safe_open::SafeDir::open(&cases).unwrap();
    casebench::case::load::load_one(&dir, &format!("{id}.yaml"), &opts)
        .unwrap_or_else(|e| panic!("{e:#?}"))
        .case
}

fn check_is_clean(tmp: &Path) {
    let out = casebench(&tmp.join("home"))
        .arg("--cases")
        .arg(tmp.join("cases"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// Every question of a parent's request, as flags.
const FLAGS: &[&str] = &[
    "--no-input",
    "--kind",
    "access_request",
    "--received",
    "2026-11-20",
    "--patient-ref",
    "P-30001",
    "--set",
    "arrival.time=16:40",
    "--set",
    "arrival.channel=mail",
    "--set",
    "arrival.logged_by=J. Clerk",
    "--set",
    "jurisdiction=US-CA",
    "--set",
    "patient.age=15",
    "--set",
    "patient.emancipated=no",
    "--set",
    "requester.name=D. Marchetti (mother)",
    "--set",
    "requester.relationship=parent",
    "--set",
    "requester.address=12 Elm St, Lakeside, OH 44000",
    "--set",
    "requester.identity_verified=yes",
    "--set",
    "requester.identity_check.method=photo_id",
    "--set",
    "requester.identity_check.by=J. Clerk",
    "--set",
    "requester.identity_check.on=2026-11-20",
    "--set",
    "requester.authority.document=birth_certificate",
    "--set",
    "requester.authority.shown=yes",
    "--set",
    "instrument.type=written_request",
    "--set",
    "instrument.signed=yes",
    "--set",
    "instrument.dated=2026-11-18",
    "--set",
    "instrument.scope=all of my daughter's records",
    "--record",
    "chart chart Outpatient chart 2025; minor_consented_alone=no court_ordered_care=no parent_agreed_confidentiality=no",
    "--record",
    "notes psychotherapy_notes Therapist's process notes",
    "--set",
    "records.notes.kept_separately=unknown",
    "--set",
    "records.notes.minor_consented_alone=yes",
    "--set",
    "records.notes.court_ordered_care=no",
    "--set",
    "records.notes.parent_agreed_confidentiality=no",
    "--set",
    "form.requested=paper_copy",
    "--set",
    "form.format=printed, bound",
    "--set",
    "delivery.method=mail",
    "--set",
    "delivery.certified=yes",
    "--set",
    "delivery.sealed=yes",
    "--set",
    "fee.items=copying_labor=6.50 postage=2",
    "--set",
    "fee.method=flat",
    "--set",
    "fee.told_in_advance=yes",
    "--set",
    "urgency.needed_by=2026-12-15",
    "--set",
    "urgency.reason=custody hearing",
    "--set",
    "title=Mother asks for her 15-year-old's chart and notes",
    "--set",
    "evaluation.assigned_to=L. Haddad (LISW-S)",
];

fn assert_parent_case(c: &Case) {
    assert_eq!(c.kind, CaseKind::AccessRequest);
    assert_eq!(c.received.to_string(), "2026-11-20");
    assert_eq!(c.jurisdiction, "US-CA");
    let a = c.arrival.as_ref().unwrap();
    assert_eq!(a.time.as_deref(), Some("16:40"));
    assert_eq!(a.channel, Channel::Mail);
    assert_eq!(a.logged_by.as_deref(), Some("J. Clerk"));
    assert_eq!(c.patient.reference, "P-30001");
    assert_eq!(c.patient.age, 15);
    assert_eq!(c.patient.emancipated, Answer::No);
    let r = c.request.as_ref().unwrap();
    assert_eq!(r.requester.name, "D. Marchetti (mother)");
    assert_eq!(r.requester.relationship, Relationship::Parent);
    assert_eq!(
        r.requester.address.as_deref(),
        Some("12 Elm St, Lakeside, OH 44000")
    );
    assert_eq!(r.requester.identity_verified, Answer::Yes);
    let check = r.requester.identity_check.as_ref().unwrap();
    assert_eq!(check.method, IdentityMethod::PhotoId);
    assert_eq!(check.by, "J. Clerk");
    let auth = r.requester.authority.as_ref().unwrap();
    assert_eq!(auth.document, AuthorityDocument::BirthCertificate);
    assert_eq!(auth.shown, Answer::Yes);
    assert_eq!(r.instrument.kind, InstrumentKind::WrittenRequest);
    assert_eq!(r.instrument.signed, Answer::Yes);
    assert_eq!(r.instrument.dated.unwrap().to_string(), "2026-11-18");
    assert_eq!(
        r.instrument.scope.as_deref(),
        Some("all of my daughter's records")
    );
    assert_eq!(r.records.len(), 2);
    assert_eq!(r.records[0].minor_consented_alone, Answer::No);
    assert_eq!(r.records[1].category, RecordCategory::PsychotherapyNotes);
    assert_eq!(r.records[1].kept_separately, Answer::Unknown);
    assert_eq!(r.records[1].minor_consented_alone, Answer::Yes);
    let form = r.form.as_ref().unwrap();
    assert_eq!(form.requested, AccessForm::PaperCopy);
    assert_eq!(form.format.as_deref(), Some("printed, bound"));
    let d = r.delivery.as_ref().unwrap();
    assert_eq!(d.method, DeliveryMethod::Mail);
    assert!(d.certified && d.sealed);
    assert_eq!(d.address.as_deref(), Some("12 Elm St, Lakeside, OH 44000"));
    let fee = r.fee.as_ref().unwrap();
    assert_eq!(fee.method, FeeMethod::Flat);
    assert!(fee.told_in_advance);
    assert_eq!(fee.total_cents(), 850);
    let u = r.urgency.as_ref().unwrap();
    assert_eq!(u.needed_by.unwrap().to_string(), "2026-12-15");
    assert_eq!(u.reason.as_deref(), Some("custody hearing"));
    assert_eq!(c.title, "Mother asks for her 15-year-old's chart and notes");
    let p = c.harm_evaluation.pending().unwrap();
    assert_eq!(p.assigned_to, "L. Haddad (LISW-S)");
}

#[test]
fn every_flag_lands_in_a_case_check_accepts() {
    let tmp = clinic();
    let out = cmd(tmp.path()).args(FLAGS).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("AR-2026-0001.yaml (AR-2026-0001): waiting on clinician L. Haddad (LISW-S), due 2026-12-05"),
        "{}",
        stdout(&out)
    );
    check_is_clean(tmp.path());
    assert_parent_case(&load(tmp.path(), "AR-2026-0001"));
    // The queue shows it waiting on its clinician, its clock running (looked at on
    // 2026-11-25; its `assigned_on` is the day of the intake, so it loads as of a later
    // day).
    let late = casebench::case::LoadOptions::new(chrono::NaiveDate::MAX);
    let set = casebench::rules::load_dir(&tmp.path().join("cases"), &late, &|_, _| {}).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let rows = casebench::rules::queue::entries(&set, day, &|_| Default::default());
    assert_eq!(rows[0].id, "AR-2026-0001");
    assert_eq!(rows[0].status, casebench::rules::Status::WaitingOnClinician);
    assert_eq!(rows[0].due.unwrap().to_string(), "2026-12-05");
    assert_eq!(rows[0].days_left, Some(10));
}

/// The same answers, typed at the prompts (with a bad answer re-asked).
const TYPED: &str = "\
access_request
2026-11-20
16:40
mail
J. Clerk
US-CA
P-30001
teen
15
no

D. Marchetti (mother)
mother
parent
12 Elm St, Lakeside, OH 44000
yes
photo_id
J. Clerk
2026-11-20
birth_certificate
yes
written_request
yes
2026-11-18
all of my daughter's records
chart chart Outpatient chart 2025
no
no
no
notes psychotherapy_notes Therapist's process notes
unknown
yes
no
no

paper_copy
printed, bound
mail

yes
yes
copying_labor=6.50 postage=2
flat
yes
2026-12-15
custody hearing
Mother asks for her 15-year-old's chart and notes
L. Haddad (LISW-S)
";

#[test]
fn the_same_answers_typed_at_the_prompts() {
    let tmp = clinic();
    let out = run_with_input(cmd(tmp.path()), TYPED);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    // Bad answers are re-asked with what is allowed.
    assert!(
        text.contains("  ! expected a whole number from 0 to 130"),
        "{text}"
    );
    assert!(
        text.contains("  ! unknown value `mother` (did you mean `other`?); expected one of: self, personal_representative, parent,"),
        "{text}"
    );
    // In the clerk's order.
    let order: Vec<usize> = [
        "\nArrival\n",
        "\nPatient\n",
        "\nRequester\n",
        "\nAuthority\n",
        "\nInstrument\n",
        "\nRecords\n",
        "\nForm and delivery\n",
        "\nFee\n",
        "\nUrgency\n",
        "\nTitle\n",
        "\nEvaluation of harm\n",
    ]
    .iter()
    .map(|s| {
        text.find(s)
            .unwrap_or_else(|| panic!("{s:?} missing: {text}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    check_is_clean(tmp.path());
    assert_parent_case(&load(tmp.path(), "AR-2026-0001"));
}

#[test]
fn an_answers_file_and_a_concern() {
    let tmp = clinic();
    let answers = tmp.path().join("answers.yaml");
    std::fs::write(
        &answers,
        "kind: disclosure_concern\nreceived: 2026-11-21\narrival.time: 09:15\narrival.channel: in_person\npatient.ref: P-30002\npatient.age: 40\nconcern.type: threat_to_others\nconcern.statement: \"He said: I'll hurt him tonight.\"\nconcern.identifiable_victim: yes\nconcern.means: unknown\nconcern.imminent: yes\nconcern.patient_agrees_to_report: no\nevaluation.assigned_to: Dr. K. Osei (MD)\n",
    )
    .unwrap();
    let out = cmd(tmp.path())
        .arg("--answers")
        .arg(&answers)
        .arg("--no-input")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    check_is_clean(tmp.path());
    let c = load(tmp.path(), "DC-2026-0001");
    assert_eq!(c.kind, CaseKind::DisclosureConcern);
    // `09:15` is read as written, not as YAML 1.1's sexagesimal number.
    assert_eq!(c.arrival.as_ref().unwrap().time.as_deref(), Some("09:15"));
    let con = c.concern.as_ref().unwrap();
    assert_eq!(con.statement, "He said: I'll hurt him tonight.");
    assert_eq!(con.means, Answer::Unknown);
    assert_eq!(c.jurisdiction, "US-OH", "the home state is the default");
    assert_eq!(c.title, "Threat to others concerning P-30002");
}

#[test]
fn unanswered_questions_are_named_and_nothing_is_written() {
    let tmp = clinic();
    let out = cmd(tmp.path())
        .args([
            "--no-input",
            "--kind",
            "access_request",
            "--received",
            "2026-11-20",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("questions left unanswered; nothing was written"),
        "{err}"
    );
    for key in [
        "arrival.channel:",
        "patient.ref:",
        "requester.name:",
        "records:",
        "evaluation.assigned_to:",
    ] {
        assert!(err.contains(key), "{key}: {err}");
    }
    // The input ending early is the same: nothing written.
    let out = run_with_input(cmd(tmp.path()), "access_request\n2026-11-20\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("the input ended before `arrival.time` was answered; nothing was written")
    );
    let files: Vec<_> = std::fs::read_dir(tmp.path().join("cases"))
        .unwrap()
        .collect();
    assert_eq!(files.len(), 1, "only casebench.yaml");
}

#[test]
fn a_received_date_in_the_future_is_refused() {
    let tmp = clinic();
    let out = cmd(tmp.path())
        .args([
            "--no-input",
            "--kind",
            "access_request",
            "--received",
            "2999-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--received: received: 2999-01-01 is in the future"),
        "{}",
        stderr(&out)
    );
}

fn minimal(patient: &str) -> Vec<String> {
    [
        "--no-input",
        "--kind",
        "access_request",
        "--received",
        "2026-11-20",
        "--patient-ref",
        patient,
        "--set",
        "arrival.channel=portal",
        "--set",
        "patient.age=30",
        "--set",
        "requester.name=The patient",
        "--set",
        "requester.relationship=self",
        "--set",
        "requester.identity_verified=unknown",
        "--set",
        "instrument.type=written_request",
        "--set",
        "instrument.signed=yes",
        "--record",
        "chart chart Outpatient chart",
        "--set",
        "evaluation.assigned_to=Dr. X",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn new_never_overwrites_and_skips_taken_ids() {
    let tmp = clinic();
    let cases = tmp.path().join("cases");
    // Someone's file with a later number, even a broken one, is never touched.
    std::fs::write(cases.join("AR-2026-0007.yaml"), "not a case\n").unwrap();
    let out = cmd(tmp.path()).args(minimal("P-1")).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(cases.join("AR-2026-0007.yaml")).unwrap(),
        "not a case\n"
    );
    assert_eq!(load(tmp.path(), "AR-2026-0008").patient.reference, "P-1");
}

#[test]
fn an_id_the_log_knows_is_never_reused() {
    // The log holds a decision on AR-2026-0201, whose file was then removed: the next
    // new case must not take its id (its records would bind another file).
    let env = crate::support::record::Env::new();
    env.fill(1);
    std::fs::remove_file(env.cases.join("AR-2026-0201.yaml")).unwrap();
    std::fs::write(env.cases.join("AR-2026-0200.yaml"), "placeholder\n").unwrap();
    let out = env
        .cmd()
        .arg("new")
        .args(minimal("P-2"))
        .args(["--follows", "AR-2026-0201"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("(AR-2026-0202)"), "{}", stdout(&out));
    assert!(!env.cases.join("AR-2026-0201.yaml").exists());
    // A new case that follows the decided one says so.
    let text = std::fs::read_to_string(env.cases.join("AR-2026-0202.yaml")).unwrap();
    assert!(text.contains("\nfollows: AR-2026-0201\n"), "{text}");
}

#[test]
fn clerks_racing_get_different_ids() {
    let tmp = clinic();
    let children: Vec<_> = (0..4)
        .map(|n| {
            cmd(tmp.path())
                .args(minimal(&format!("P-{n}")))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let mut patients: Vec<String> = (1..=4)
        .map(|n| {
            load(tmp.path(), &format!("AR-2026-{n:04}"))
                .patient
                .reference
        })
        .collect();
    patients.sort();
    assert_eq!(patients, ["P-0", "P-1", "P-2", "P-3"]);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(tmp.path().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn list_questions_names_every_key() {
    let tmp = clinic();
    let out = cmd(tmp.path()).arg("--list-questions").output().unwrap();
    let text = stdout(&out);
    for key in [
        "received (required)",
        "arrival.time",
        "requester.identity_check.method",
        "requester.authority.shown",
        "instrument.protective_order",
        "records.<id>.kept_separately",
        "delivery.sealed",
        "fee.items",
        "urgency.needed_by",
        "concern.imminent",
        "evaluation.assigned_to (required)",
    ] {
        assert!(text.contains(key), "{key}: {text}");
    }
}
