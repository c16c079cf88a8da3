//! Issue 25, FHIR R4 for the audit record repository: `casebench audit --format fhir`
//! (and with `--accounting`) validated by an independent validator,
//! tests/fhir/validate_bundle.py: the `fhir.resources` 6.4.0 models (FHIR R4 4.0.1)
//! parse the whole Bundle, and each AuditEvent is checked against the IHE BALP
//! "Privacy Disclosure at Source" profile's constraints as FHIRPath (`fhirpathpy`).
//! Each Provenance's signature is then checked by `ssh-keygen -Y verify` over the bytes
//! of the Binary it targets: the Bundle alone proves who signed what.
//!
//! The validator runs in a Python environment with those packages pinned: `.ci/run`
//! makes it at `target/py-fhir` (or set CASEBENCH_FHIR_PYTHON); without it the tests
//! say so and stop.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::audit::*;

/// The Python that has the validator's packages, or a message and `None`.
fn python() -> Option<PathBuf> {
    let p = std::env::var_os("CASEBENCH_FHIR_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/py-fhir/bin/python"));
    let ok = Command::new(&p)
        .args(["-c", "import fhir.resources, fhirpathpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "SKIPPED: no Python with fhir.resources 6.4.0 and fhirpathpy at {} (.ci/run makes it; or set CASEBENCH_FHIR_PYTHON)",
            p.display()
        );
    }
    ok.then_some(p)
}

fn validate(py: &Path, bundle: &Path, out: &Path) -> Output {
    Command::new(py)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fhir/validate_bundle.py"))
        .arg(bundle)
        .arg(out)
        .output()
        .unwrap()
}

fn export(env: &Env, args: &[&str], file: &str) -> (PathBuf, serde_json::Value, Output) {
    let path = env.tmp.path().join(file);
    let o = env
        .cmd(TODAY)
        .args(["audit", "--format", "fhir"])
        .args(args)
        .arg("--output")
        .arg(&path)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&std::fs::read(&path).unwrap_or_default())
        .unwrap_or(serde_json::Value::Null);
    (path, v, o)
}

fn resources<'a>(b: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

/// Checks every signature the validator extracted with OpenSSH alone.
fn verify_signatures(env: &Env, dir: &Path, n: usize) {
    for i in 0..n {
        let principal = std::fs::read_to_string(dir.join(format!("{i}.principal"))).unwrap();
        let record = std::fs::read(dir.join(format!("{i}.yaml"))).unwrap();
        let text = String::from_utf8_lossy(&record);
        let ns = if text.contains("\ntype: review\n") {
            "casebench-review"
        } else {
            "casebench-decision"
        };
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ssh-keygen -Y verify -f '{}' -I '{principal}' -n {ns} -s '{}' < '{}'",
                env.cases.join("reviewers/allowed_signers").display(),
                dir.join(format!("{i}.yaml.sig")).display(),
                dir.join(format!("{i}.yaml")).display()
            ))
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "signature {i}: {}{}",
            stdout(&o),
            stderr(&o)
        );
    }
}

#[test]
fn the_log_as_a_fhir_bundle_passes_an_independent_validator() {
    let Some(py) = python() else { return };
    let env = Env::new();
    build_log(&env);
    let (path, b, o) = export(&env, &[], "log.json");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    // Five records: three partial releases (one disclosure to the patient in record 1),
    // a warning with two disclosures, a report with one.
    let events = resources(&b, "AuditEvent");
    let provenances = resources(&b, "Provenance");
    assert_eq!(provenances.len(), 5, "one per signed record");
    let disclosures = 1 + 2 + 1;
    assert_eq!(events.len(), disclosures, "one per disclosure");
    let out = env.tmp.path().join("validated");
    let v = validate(&py, &path, &out);
    assert!(v.status.success(), "{}{}", stdout(&v), stderr(&v));
    assert!(stdout(&v).contains("\"signatures\": 5"), "{}", stdout(&v));
    verify_signatures(&env, &out, 5);

    // What the records hold, where docs/AUDIT.md says it goes.
    let victim = events
        .iter()
        .find(|e| e["agent"][1]["who"]["display"] == "Jane Doe (the named victim)")
        .expect("the victim's disclosure");
    assert_eq!(
        victim["agent"][1]["network"]["address"],
        "44 Oak Ave, Testville, OH"
    );
    // Disclosed the day the record was signed (the one clock), whatever `--today` says.
    let recorded = victim["recorded"].as_str().expect("recorded");
    assert_eq!(victim["period"]["start"], recorded[..10]);
    assert_eq!(
        victim["purposeOfEvent"][0]["text"],
        "Warn the identified victim (serious and imminent threat)"
    );
    assert_eq!(
        victim["entity"][0]["what"]["identifier"]["value"], "P-90304",
        "the patient reference of the case"
    );
    assert_eq!(
        victim["entity"][1]["description"],
        "The threat, its timing, the patient's name"
    );
    assert_eq!(victim["agent"][3]["who"]["identifier"]["value"], A);
    assert_eq!(victim["agent"][2]["who"]["display"], "Harbor Audit Clinic");
    let p4 = provenances
        .iter()
        .find(|p| p["target"][0]["identifier"]["value"] == "Audit fixture/4")
        .unwrap_or_else(|| panic!("{provenances:?}"));
    assert_eq!(p4["signature"][0]["who"]["identifier"]["value"], A);
    assert_eq!(
        p4["signature"][0]["sigFormat"],
        "application/x-ssh-signature"
    );

    // The same export twice is the same bytes (stable ids).
    let (path2, _, _) = export(&env, &[], "log2.json");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&path2).unwrap()
    );
}

#[test]
fn the_accounting_as_fhir_and_what_is_left_out() {
    let Some(py) = python() else { return };
    let env = Env::new();
    build_log(&env);
    // The accounting holds only what 164.528 includes: not the patient's own access.
    let (path, b, o) = export(&env, &["--accounting"], "acc.json");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let events = resources(&b, "AuditEvent");
    assert_eq!(events.len(), 3, "victim, police, child protective services");
    assert!(
        events
            .iter()
            .all(|e| e["agent"][1]["who"]["display"] != "M. Reyes (the patient)")
    );
    assert_eq!(resources(&b, "Provenance").len(), 2, "records 4 and 5");
    let out = env.tmp.path().join("validated-acc");
    let v = validate(&py, &path, &out);
    assert!(v.status.success(), "{}{}", stdout(&v), stderr(&v));
    verify_signatures(&env, &out, 2);
    let (_, b, _) = export(&env, &["--accounting", "--patient", "P-90304"], "one.json");
    assert_eq!(resources(&b, "AuditEvent").len(), 2);

    // A record that fails verification is left out, and the command says so (exit 1).
    env.tamper(4, "Jane Doe", "Jane Roe");
    let (path, b, o) = export(&env, &[], "tampered.json");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("left out of the FHIR bundle: record(s) 4"),
        "{}",
        stderr(&o)
    );
    assert!(
        resources(&b, "AuditEvent")
            .iter()
            .all(|e| e["agent"][1]["who"]["display"] != "Jane Roe (the named victim)")
    );
    let v = validate(&py, &path, &env.tmp.path().join("validated-tampered"));
    assert!(v.status.success(), "{}", stderr(&v));
}

#[test]
fn the_validator_really_checks_the_profile() {
    let Some(py) = python() else { return };
    let env = Env::new();
    build_log(&env);
    let (_, mut b, _) = export(&env, &[], "log.json");
    // Break what the BALP profile requires: the recipient's network, the event type.
    for e in b["entry"].as_array_mut().unwrap() {
        let r = &mut e["resource"];
        if r["resourceType"] == "AuditEvent" {
            r["agent"][1].as_object_mut().unwrap().remove("network");
            r["type"]["code"] = "110107".into();
            break;
        }
    }
    let bad = env.tmp.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_vec(&b).unwrap()).unwrap();
    let v = validate(&py, &bad, &env.tmp.path().join("bad-out"));
    assert!(!v.status.success());
    let err = stderr(&v);
    assert!(err.contains("agent[recipient].network 1..1"), "{err}");
    assert!(err.contains("type = DCM#110106"), "{err}");
    // And an element FHIR R4 does not define.
    for e in b["entry"].as_array_mut().unwrap() {
        if e["resource"]["resourceType"] == "Provenance" {
            e["resource"]["signatur"] = e["resource"]["signature"].take();
            break;
        }
    }
    std::fs::write(&bad, serde_json::to_vec(&b).unwrap()).unwrap();
    let v = validate(&py, &bad, &env.tmp.path().join("bad-out2"));
    assert!(!v.status.success());
    assert!(
        stderr(&v).contains("not a valid FHIR R4 Bundle"),
        "{}",
        stderr(&v)
    );
}
